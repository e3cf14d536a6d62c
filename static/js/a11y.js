// Keyboard and screen-reader support for every page (docs/accessibility.md). No inline
// scripts (CSP): base.html loads this file; pages only add data attributes.
//
// 1. One permanent polite live region (#a11y-live in base.html). After each htmx swap it
//    announces: the server's message (HX-Trigger-After-Settle "a11y", set by
//    substitution.http.announce), the text of [data-a11y-announce] elements in the new
//    content, or the error summary when the new content has invalid fields.
// 2. Focus moves on purpose after a swap that took the focused element away (or when nothing
//    had focus): to the first invalid field after errors; else to the server's focus target;
//    else to [data-a11y-focus] in the new content (the confirmation); else to the new
//    content's heading. Focus somewhere else on the page is left alone. htmx itself puts focus
//    back on an element whose id is in the new content, so fields keep stable ids.
// 3. A page loaded with an error summary (a form posted without htmx) focuses the summary.
// 4. Skip links focus their target; scrolling table boxes become focusable, labelled regions
//    only while they actually scroll; [data-arrow-grid] tables move between their inputs with
//    the arrow keys and are one Tab stop (roving tabindex).
(function () {
  "use strict";

  const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  let counter = 0;

  function ensureId(el, prefix) {
    if (!el.id) {
      counter += 1;
      el.id = prefix + "-" + counter;
    }
    return el.id;
  }

  // --- live region -----------------------------------------------------------------------
  let announceTimer = null;
  function announce(text) {
    const region = document.getElementById("a11y-live");
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!region || !text) return;
    // Empty first, then fill: the same message twice in a row is read twice.
    region.textContent = "";
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      region.textContent = text;
    }, 60);
  }

  function focusElement(el) {
    if (!el) return false;
    if (!el.matches(FOCUSABLE) || el.matches("[disabled]")) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    }
    el.focus({ preventScroll: false });
    return document.activeElement === el;
  }

  function isShown(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  // --- after each htmx swap --------------------------------------------------------------
  // One record per request: where focus was before the swap, the new elements, the server's
  // message. Processed once, after all of the request's afterSettle events.
  const swaps = new WeakMap();

  function recordFor(info) {
    const key = (info && info.xhr) || info; // beforeSwap and afterSettle share the request
    let rec = swaps.get(key);
    if (!rec) {
      rec = { elts: [], message: "", focus: "", owned: false, idle: false, done: false };
      swaps.set(key, rec);
    }
    return rec;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const rec = recordFor(event.detail);
    const active = document.activeElement;
    const target = event.detail.target;
    rec.idle = !active || active === document.body;
    rec.owned = !rec.idle && !!target && target.contains(active);
    rec.previous = active;
  });

  function findIn(elts, selector) {
    for (const elt of elts) {
      if (!elt.isConnected || elt.nodeType !== 1) continue;
      if (elt.matches(selector) && isShown(elt)) return elt;
      for (const found of elt.querySelectorAll(selector)) {
        if (isShown(found)) return found;
      }
    }
    return null;
  }

  function allIn(elts, selector) {
    const out = [];
    for (const elt of elts) {
      if (!elt.isConnected || elt.nodeType !== 1) continue;
      if (elt.matches(selector)) out.push(elt);
      out.push(...elt.querySelectorAll(selector));
    }
    return out;
  }

  function errorText(field) {
    const form = field.closest("form");
    const summary = form && form.querySelector("[data-error-summary]");
    if (summary) return summary.textContent;
    const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/);
    const texts = ids
      .map(function (id) { return document.getElementById(id); })
      .filter(function (el) { return el && el.matches(".errors, .error"); })
      .map(function (el) { return el.textContent; });
    const label = field.getAttribute("aria-label") ||
      (field.labels && field.labels[0] ? field.labels[0].textContent : "");
    return (label ? label.trim() + ": " : "") + (texts.length ? texts.join(" ") : "Feltet har en fejl.");
  }

  function settle(rec) {
    if (rec.done) return;
    rec.done = true;
    const elts = rec.elts;
    const messages = [];
    if (rec.message) messages.push(rec.message);
    allIn(elts, "[data-a11y-announce]").forEach(function (el) {
      messages.push(el.getAttribute("data-a11y-announce") || el.textContent);
      el.removeAttribute("data-a11y-announce");
    });
    const marked = findIn(elts, "[data-a11y-focus]");
    allIn(elts, "[data-a11y-focus]").forEach(function (el) { el.removeAttribute("data-a11y-focus"); });
    const invalid = findIn(elts, '[aria-invalid="true"]');
    const active = document.activeElement;
    const lost = !active || active === document.body;
    const mayMove = rec.owned || rec.idle || lost;

    if (invalid) {
      messages.unshift(errorText(invalid));
      if (mayMove && active !== invalid) focusElement(invalid);
    } else if (mayMove) {
      const serverTarget = rec.focus ? document.querySelector(rec.focus) : null;
      if (serverTarget) {
        focusElement(serverTarget);
      } else if (marked) {
        focusElement(marked);
      } else if (rec.owned && lost) {
        focusElement(findIn(elts, "h1, h2, h3, h4, legend") || elts.find(function (e) {
          return e.isConnected && e.nodeType === 1;
        }));
      }
    }
    if (messages.length) announce(messages.join(" "));
    refresh();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    const rec = recordFor(event.detail);
    rec.elts.push(event.target);
    window.setTimeout(function () { settle(rec); }, 0);
  });

  // HX-Trigger-After-Settle: {"a11y": {"message": "...", "focus": "#id"}}. htmx fires it
  // right after the request's afterSettle events, before the timeout above runs, so it
  // belongs to the last record.
  let lastRecord = null;
  document.addEventListener("htmx:afterSettle", function (event) {
    lastRecord = recordFor(event.detail);
  }, true);
  document.addEventListener("a11y", function (event) {
    const detail = event.detail || {};
    if (lastRecord && !lastRecord.done) {
      lastRecord.message = detail.message || "";
      lastRecord.focus = detail.focus || "";
    } else {
      announce(detail.message);
      if (detail.focus) focusElement(document.querySelector(detail.focus));
    }
  });

  // A failed request: say so, and keep focus where it was.
  document.addEventListener("htmx:responseError", function () {
    announce("Der opstod en fejl. Prøv igen.");
  });

  // --- skip links and the error summary's links to fields -------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest(
      'a.skip-link, [data-error-summary] a[href^="#"]'
    );
    if (!link) return;
    const id = (link.getAttribute("href") || "").slice(1);
    const target = id && document.getElementById(id);
    if (!target) return;
    event.preventDefault();
    // An input grid's way in is its one Tab stop.
    const entry = target.matches("[data-arrow-grid]") && target.querySelector('input[tabindex="0"]');
    focusElement(entry || target);
    target.scrollIntoView({ block: "start" });
  });

  // --- scrolling regions ------------------------------------------------------------------
  // The accessible name of a landmark: its aria-label, else the text of its aria-labelledby.
  function landmarkName(el) {
    const label = el.getAttribute("aria-label");
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const text = label !== null ? label : ids.map(function (id) {
      const node = document.getElementById(id);
      return node ? node.textContent : "";
    }).join(" ");
    return text.replace(/\s+/g, " ").trim().toLowerCase();
  }

  // The names of the page's other region landmarks (a named <section>, role=region): a
  // scrolling box must not repeat one (axe: landmark-unique), e.g. a table whose caption is
  // its section's heading.
  function regionNames(except) {
    const names = new Set();
    document.querySelectorAll('section[aria-label], section[aria-labelledby], [role="region"]')
      .forEach(function (el) { if (el !== except) names.add(landmarkName(el)); });
    return names;
  }

  function nameScrollRegion(box) {
    if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
    // Named by the table's caption, else "Tabel: <the section's heading>"; "Tabel: <caption>"
    // when another region has the caption's name already.
    const caption = box.querySelector("caption");
    const section = box.closest("section, .card, main");
    const heading = section && section.querySelector("h1, h2, h3");
    const taken = regionNames(box);
    const captionText = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    if (captionText && !taken.has(captionText.toLowerCase())) {
      box.setAttribute("aria-labelledby", ensureId(caption, "a11y-label"));
    } else {
      const base = "Tabel" + (captionText ? ": " + captionText
        : heading ? ": " + heading.textContent.replace(/\s+/g, " ").trim() : "");
      let label = base;
      for (let n = 2; taken.has(label.toLowerCase()); n += 1) label = base + " (" + n + ")";
      box.setAttribute("aria-label", label);
    }
    box.setAttribute("data-scroll-named", "");
  }

  function labelScrollRegions() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("data-scroll-region")) {
        box.setAttribute("data-scroll-region", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        nameScrollRegion(box);
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        box.removeAttribute("data-scroll-region");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        // A name on a plain <div> is prohibited (axe: aria-prohibited-attr): only the
        // region keeps the name this script gave it.
        if (box.hasAttribute("data-scroll-named")) {
          box.removeAttribute("data-scroll-named");
          box.removeAttribute("aria-label");
          box.removeAttribute("aria-labelledby");
        }
      }
    });
  }

  // --- arrow keys in input grids ------------------------------------------------------------
  function gridInputs(table) {
    return Array.from(table.querySelectorAll("tbody td input:not([type=hidden])"));
  }

  function initGrids() {
    document.querySelectorAll("table[data-arrow-grid]").forEach(function (table) {
      const inputs = gridInputs(table);
      if (!inputs.length) return;
      let current = inputs.find(function (i) { return i.getAttribute("tabindex") === "0"; });
      if (table.contains(document.activeElement) && document.activeElement.matches("input")) {
        current = document.activeElement;
      }
      current = current || inputs[0];
      inputs.forEach(function (i) { i.setAttribute("tabindex", i === current ? "0" : "-1"); });
    });
  }

  function moveTo(table, input) {
    if (!input) return false;
    gridInputs(table).forEach(function (i) { i.setAttribute("tabindex", i === input ? "0" : "-1"); });
    input.focus();
    input.select();
    return true;
  }

  function neighbour(table, input, key) {
    const cell = input.closest("td");
    const row = cell.parentElement;
    if (key === "ArrowLeft" || key === "ArrowRight") {
      const inRow = Array.from(row.querySelectorAll("td input:not([type=hidden])"));
      const i = inRow.indexOf(input) + (key === "ArrowRight" ? 1 : -1);
      return inRow[i] || null;
    }
    const rows = Array.from(table.tBodies[0].rows);
    const step = key === "ArrowDown" ? 1 : -1;
    for (let r = rows.indexOf(row) + step; r >= 0 && r < rows.length; r += step) {
      const other = rows[r].cells[cell.cellIndex];
      const found = other && other.querySelector("input:not([type=hidden])");
      if (found) return found;
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || event.altKey || event.ctrlKey || event.metaKey) return;
    const table = input.closest("table[data-arrow-grid]");
    if (!table || !["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) return;
    // Left and right move the caret inside the text first; at its edge they change cell.
    const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    if (event.key === "ArrowLeft" && !all && input.selectionStart !== 0) return;
    if (event.key === "ArrowRight" && !all && input.selectionEnd !== input.value.length) return;
    if (moveTo(table, neighbour(table, input, event.key))) event.preventDefault();
  });

  document.addEventListener("focusin", function (event) {
    const table = event.target.closest && event.target.closest("table[data-arrow-grid]");
    if (table && event.target.matches("input")) {
      gridInputs(table).forEach(function (i) { i.setAttribute("tabindex", i === event.target ? "0" : "-1"); });
    }
  });

  // --- page load and changes ------------------------------------------------------------------
  let resizeTimer = null;
  function refresh() {
    labelScrollRegions();
    initGrids();
  }
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(labelScrollRegions, 150);
  });

  function onLoad() {
    refresh();
    const summary = document.querySelector("[data-error-summary]");
    if (summary && isShown(summary)) focusElement(summary);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad);
  else onLoad();

  window.a11y = { announce: announce, focus: focusElement, refresh: refresh };
})();
