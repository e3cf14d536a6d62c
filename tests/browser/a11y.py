"""The accessibility test layer for browser tests (docs/accessibility.md).

- ``axe_violations`` / ``assert_axe`` run axe-core on the page *as it is now*: call them after
  every htmx interaction, not only after a page load. Serious and critical violations fail;
  moderate and minor ones are returned (and collected in ``MINOR``) for the report.
- ``focused`` / ``assert_focus``: where is keyboard focus after this action?
- ``announced`` / ``assert_announced``: what did the page's live region (``#a11y-live``) say?
- ``focus_ring_contrast``: the contrast of the focused element's focus indicator against the
  background around it, from computed styles; ``tab_stops`` walks the page with Tab.
- ``press_tab_until``: keyboard-only navigation, counting Tab stops.

axe-core is the copy bundled in the ``axe-playwright-python`` package (a test dependency from
PyPI, axe-core 4.12): no CDN, nothing downloaded at test time.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
FAILING = {"serious", "critical"}
# Moderate and minor violations seen in this run, for the report (never fail the build).
MINOR: dict[str, set[str]] = {}

AXE_OPTIONS = {"resultTypes": ["violations"]}
# Known exception (docs/accessibility.md): the "?" icon that Django admin's own
# filter_horizontal widget (SelectFilter2.js) puts in a label, a <span> with a title and an
# aria-label axe-core calls prohibited. Only Django's admin has the class.
AXE_CONTEXT = {"exclude": [".help-tooltip"]}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current state of the page (every rule axe runs by
    default: WCAG 2.0/2.1 A and AA and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    context, options = json.dumps(AXE_CONTEXT), json.dumps(AXE_OPTIONS)
    result = page.evaluate(
        f"async () => JSON.stringify((await axe.run({context}, {options})).violations)"
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(n.get("target")) for n in v["nodes"][:5])
        for v in violations
    )


def assert_axe(page: Any, where: str = "") -> list[dict[str, Any]]:
    """Fail on serious or critical violations; return (and collect) the others."""
    violations = axe_violations(page)
    failing = [v for v in violations if v.get("impact") in FAILING]
    label = where or page.url
    assert not failing, f"{label}:\n{describe(failing)}"
    for v in violations:
        MINOR.setdefault(f"{v['id']} ({v['impact']})", set()).add(label)
    return violations


# --- focus ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Focus:
    tag: str
    id: str
    name: str  # the element's text or value, shortened
    invalid: bool
    classes: str

    def __str__(self) -> str:
        return f"<{self.tag} id={self.id!r} class={self.classes!r}> {self.name!r}"


FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const text = (el.getAttribute('aria-label') || el.value || el.innerText || el.textContent || '');
  return {tag: el.tagName.toLowerCase(), id: el.id || '', classes: el.className || '',
          name: text.replace(/\\s+/g, ' ').trim().slice(0, 120),
          invalid: el.getAttribute('aria-invalid') === 'true'};
}"""


def focused(page: Any) -> Focus | None:
    """The element that has keyboard focus, or None when focus is on <body> (lost)."""
    info = page.evaluate(FOCUSED_JS)
    return Focus(**info) if info else None


def assert_focus(page: Any, selector: str, timeout: float = 3.0) -> Focus:
    """Focus is on the element ``selector`` matches (waits for the swap to settle)."""
    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            current = focused(page)
            assert current is not None
            return current
        if time.monotonic() > deadline:
            raise AssertionError(f"focus is on {focused(page)}, not on {selector!r}")
        page.wait_for_timeout(50)


def press_tab_until(page: Any, selector: str, limit: int) -> int:
    """Press Tab until focus is on ``selector``; the number of Tab presses, at most ``limit``."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return count
    raise AssertionError(
        f"{selector!r} not reached in {limit} Tab stops; focus is on {focused(page)}"
    )


# --- live region ------------------------------------------------------------------------------


def announced(page: Any) -> str:
    """What the live region says now."""
    text: str = page.locator("#a11y-live").inner_text()
    return " ".join(text.split())


def assert_announced(page: Any, expected: str, timeout: float = 3.0) -> str:
    """The live region says ``expected`` (a substring), waiting for it."""
    deadline = time.monotonic() + timeout
    while expected not in (now := announced(page)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the live region says {now!r}, not {expected!r}")
        page.wait_for_timeout(50)
    return now


# --- focus indicator contrast -------------------------------------------------------------------

CONTRAST_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  function rgba(text) {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  }
  function lum(c) {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  // The background the ring is drawn on: an outline with a positive offset lies outside the
  // element, so the first opaque background of an ancestor; an inset one lies on the element.
  const style = getComputedStyle(el);
  const offset = parseFloat(style.outlineOffset) || 0;
  let node = offset < 0 ? el : el.parentElement;
  let bg = null;
  while (node) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0.5) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || {r: 255, g: 255, b: 255, a: 1};
  const ring = rgba(style.outlineColor);
  const width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth) || 0;
  const hi = Math.max(lum(ring), lum(bg)), lo = Math.min(lum(ring), lum(bg));
  return {tag: el.tagName.toLowerCase(), id: el.id,
          text: (el.innerText || el.value || '').trim().slice(0, 60),
          width: width, ring: style.outlineColor, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`,
          ratio: width > 0 ? (hi + 0.05) / (lo + 0.05) : 0};
}"""


def focus_ring_contrast(page: Any) -> dict[str, Any] | None:
    """The focused element's outline: width (px), colour, the background behind it and their
    contrast ratio (0 when there is no outline). None when nothing has focus."""
    result: dict[str, Any] | None = page.evaluate(CONTRAST_JS)
    return result


def tab_stops(page: Any, limit: int = 400) -> list[dict[str, Any]]:
    """Tab from the top of the page through every focus stop (until focus wraps to the first
    stop again or leaves the page) and measure each one's focus indicator."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.mouse.click(1, 1)  # a neutral start for sequential focus navigation
    stops: list[dict[str, Any]] = []
    first: tuple[str, str, str] | None = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus_ring_contrast(page)
        if stop is None:
            break
        key = (stop["tag"], stop["id"], stop["text"])
        if first is None:
            first = key
        elif key == first:
            break
        stops.append(stop)
    return stops
