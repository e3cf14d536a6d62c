// Caseload page (templates/cases/caseload.html). No inline scripts (CSP).
// 1. Bulk reassignment: "select all on this page" and a count on the Omfordel button.
// 2. The name search is a GET (its text lands in the URL): a search containing digits is
//    not sent; CPR numbers go in the POST lookup form instead.
(function () {
  "use strict";

  function updateCount() {
    const count = document.querySelectorAll('input[name="borgere"]:checked').length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) {
      el.textContent = String(count);
    });
  }

  document.addEventListener("change", function (event) {
    const box = event.target;
    if (!(box instanceof HTMLInputElement)) return;
    if (box.dataset.selectAll) {
      document.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (el) {
        el.checked = box.checked;
      });
    }
    if (box.dataset.selectAll || box.name === "borgere") updateCount();
  });
  // New results (filter, next page) arrive unselected.
  document.addEventListener("htmx:afterSwap", updateCount);

  document.addEventListener("htmx:confirm", function (event) {
    const form = event.target.closest && event.target.closest("form.caseload-filters");
    if (!form) return;
    const search = form.querySelector('input[name="q"]');
    const hint = document.getElementById("q-cpr-hint");
    const hasDigits = !!search && /\d/.test(search.value);
    if (hint) hint.hidden = !hasDigits;
    if (hasDigits) event.preventDefault();
  });
})();
