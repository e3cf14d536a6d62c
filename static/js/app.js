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

// Issue 14: a field the user corrects loses its old error message at once, so a message about
// the previous value never stands beside the corrected one while the save is in flight. The
// server's answer shows the message again if the value is still wrong.
document.addEventListener("input", function (event) {
  const input = event.target;
  if (!(input instanceof Element)) return;
  const field = input.closest(".field.has-error, td.hours-cell.has-error");
  if (!field) return;
  field.classList.remove("has-error");
  field.querySelectorAll(".errors, .error").forEach(function (el) {
    el.hidden = true;
  });
  field.querySelectorAll("[aria-invalid]").forEach(function (el) {
    el.removeAttribute("aria-invalid");
  });
});

// Issue 14: choosing a task fills in its hours per week and first placement type
// (cases.placements.forms.TaskSelect puts them on the options).
document.addEventListener("change", function (event) {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.dataset.prefill !== "task") return;
  const option = select.options[select.selectedIndex];
  if (!option || !option.value || !select.form) return;
  const hours = select.form.querySelector('[name="planned_hours_per_week"]');
  const type = select.form.querySelector('select[name="type"]');
  if (hours && option.dataset.hours) {
    // A number input takes "12.5"; a Danish text input shows "12,5".
    hours.value = hours.type === "number" ? option.dataset.hours : option.dataset.hours.replace(".", ",");
  }
  if (type && option.dataset.type) type.value = option.dataset.type;
});

// Issue 14, the hours grid: the week totals follow the cells as they are saved, and the
// current week is scrolled into view (on a phone the table scrolls inside its card).
function hoursGridTotals() {
  document.querySelectorAll("table.hours-grid").forEach(function (table) {
    const totals = table.querySelectorAll("tfoot td.week-total");
    totals.forEach(function (cell, i) {
      let sum = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        const input = row.children[i + 1] && row.children[i + 1].querySelector('input[name="hours"]');
        const value = input ? parseFloat(input.value.replace(",", ".")) : NaN;
        if (!isNaN(value)) sum += value;
      });
      cell.textContent = String(Math.round(sum * 100) / 100).replace(".", ",");
    });
  });
}
document.addEventListener("htmx:afterSettle", hoursGridTotals);
document.addEventListener("DOMContentLoaded", function () {
  const current = document.querySelector(".hours-grid [data-current-week]");
  const wrap = current && current.closest(".table-wrap");
  if (wrap && wrap.scrollWidth > wrap.clientWidth) {
    wrap.scrollLeft = Math.max(0, current.offsetLeft + current.offsetWidth - wrap.clientWidth);
  }
});

// Issue 14, a phone: the main menu and the user box fold behind one "Menu" button, so the top
// bar takes one line; the filters of a long list (details[data-fold-narrow]) start folded.
// Without JavaScript both stay open.
const NARROW = window.matchMedia("(max-width: 40rem)");
document.addEventListener("DOMContentLoaded", function () {
  const toggle = document.querySelector(".topbar .nav-toggle");
  if (toggle) {
    const bar = toggle.closest(".topbar");
    bar.classList.add("has-nav-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      const open = bar.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  if (NARROW.matches) {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      details.open = false;
    });
  }
});
