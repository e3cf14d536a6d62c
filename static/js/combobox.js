// The searchable choice field (substitution/widgets.py). A <select data-combobox="URL"> stays a
// plain select without JavaScript; here it becomes an ARIA 1.2 combobox: a text field whose
// listbox htmx fills from URL?q=<typed text>. Keyboard: Down/Up move, Enter chooses, Escape
// closes (and, when closed, restores the chosen value's text). The select keeps the value, so
// the form posts as before and its own htmx (e.g. reloading the company's tasks) still fires.
(function () {
  "use strict";

  function enhance(select) {
    if (select.dataset.comboboxReady || !window.htmx) return;
    select.dataset.comboboxReady = "1";
    const base = select.id || "combobox-" + Math.random().toString(36).slice(2);
    const label = document.querySelector('label[for="' + select.id + '"]');
    const input = document.createElement("input");
    const list = document.createElement("ul");
    const status = document.createElement("span");
    const wrapper = document.createElement("div");
    wrapper.className = "combobox";
    input.type = "text";
    input.id = base + "-soeg";
    input.name = "q";
    input.setAttribute("form", base + "-ingen-formular"); // never posted with the form
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-liste");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("placeholder", "Skriv for at søge");
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      // A multiple select is required of its chosen list, not of the empty search field.
      if (name === "required" && select.multiple) return;
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    input.setAttribute("hx-get", select.dataset.combobox);
    input.setAttribute("hx-trigger", "input changed delay:200ms, focus");
    input.setAttribute("hx-target", "#" + base + "-liste");
    input.setAttribute("hx-swap", "innerHTML");
    input.setAttribute("hx-sync", "this:replace");
    list.id = base + "-liste";
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    if (label) {
      label.htmlFor = input.id;
      if (!label.id) label.id = base + "-etiket";
      list.setAttribute("aria-labelledby", label.id);
    }
    const multiple = select.multiple;
    const chosen = select.options[select.selectedIndex];
    input.value = !multiple && chosen && chosen.value ? chosen.text : "";
    select.hidden = true;
    select.tabIndex = -1;
    select.after(wrapper);
    // A multiple select: the chosen ones as a list, each with its remove button.
    const picked = document.createElement("ul");
    if (multiple) {
      picked.className = "combobox-chosen";
      picked.id = base + "-valgte";
      picked.setAttribute("aria-label", "Valgte" + (label ? ": " + label.textContent.trim() : ""));
      wrapper.append(picked);
    }
    wrapper.append(input, list, status);
    window.htmx.process(input);

    let active = -1;
    function renderPicked() {
      if (!multiple) return;
      picked.replaceChildren();
      Array.prototype.forEach.call(select.selectedOptions, function (opt) {
        const item = document.createElement("li");
        const remove = document.createElement("button");
        item.textContent = opt.text + " ";
        remove.type = "button";
        remove.className = "small-button";
        remove.textContent = "Fjern";
        remove.setAttribute("aria-label", "Fjern " + opt.text);
        remove.addEventListener("click", function () {
          opt.selected = false;
          renderPicked();
          status.textContent = opt.text + " er fjernet.";
          input.focus();
          select.dispatchEvent(new Event("change", { bubbles: true }));
        });
        item.append(remove);
        picked.append(item);
      });
      picked.hidden = select.selectedOptions.length === 0;
    }
    renderPicked();
    function options() {
      return Array.prototype.slice.call(list.querySelectorAll('[role="option"]:not([aria-disabled])'));
    }
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    function choose(option) {
      const value = option.dataset.value;
      let match = Array.prototype.find.call(select.options, function (o) {
        return o.value === value;
      });
      if (!match) {
        match = new Option(option.dataset.label, value);
        select.add(match);
      }
      if (multiple) {
        match.selected = true;
        renderPicked();
        input.value = "";
        status.textContent = option.dataset.label + " er valgt.";
      } else {
        select.value = value;
        input.value = option.dataset.label;
      }
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    list.addEventListener("htmx:afterSwap", function () {
      options().forEach(function (option, i) {
        option.id = base + "-valg-" + i;
      });
      const count = options().length;
      status.textContent = count === 1 ? "1 resultat" : count + " resultater";
      active = -1;
      if (document.activeElement === input) open();
    });
    list.addEventListener("mousedown", function (event) {
      const option = event.target.closest('[role="option"]:not([aria-disabled])');
      if (option) {
        event.preventDefault();
        choose(option);
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) open();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          choose(options()[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (multiple) {
          input.value = "";
        } else {
          const current = select.options[select.selectedIndex];
          input.value = current && current.value ? current.text : "";
        }
      }
    });
    input.addEventListener("input", function () {
      if (!multiple && input.value === "" && select.value !== "") {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (multiple) {
        input.value = "";
        return;
      }
      const current = select.options[select.selectedIndex];
      if (input.value !== "" && current) input.value = current.value ? current.text : "";
    });
  }

  function enhanceAll(root) {
    (root.querySelectorAll ? root : document)
      .querySelectorAll("select[data-combobox]")
      .forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.detail.elt);
  });
})();
