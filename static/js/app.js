// Small progressive enhancements. No inline scripts anywhere (CSP).
document.addEventListener("htmx:responseError", function (event) {
  const target = event.detail.target;
  if (target) {
    target.insertAdjacentHTML(
      "afterbegin",
      // Announced by the live region (a11y.js), so no role="alert" here.
      '<p class="alert alert-error">Der opstod en fejl. Prøv igen.</p>'
    );
  }
});
document.addEventListener("click", function (event) {
  const el = event.target.closest("[data-print]");
  if (el) {
    event.preventDefault();
    window.print();
  }
});
