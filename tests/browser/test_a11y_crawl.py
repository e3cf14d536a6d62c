"""Every page each demo role can reach, at 1280 and 390 px, through axe-core (issue 16).

The demo data (``seed_demo --scale 0.05``) is loaded once; each demo role logs in and follows
the links on its pages, breadth first, visiting each kind of page once (a kind is the URL
pattern and its query keys: one citizen page stands for all; the admin's changelists of all
models are one kind). Each page is scanned at 1280 × 900, then resized to 390 × 844 and
scanned again. Serious and critical violations fail; moderate and minor ones are listed as a
warning. A crawled page that answers 500 fails too.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections import deque
from io import StringIO
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.a11y import FAILING, axe_violations, describe
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _missing

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-Substitution-2026"
ROLES = ["jobformidler", "konsulent", "mentor", "teamleder", "leder", "admin"]
# Two crawlers of about equal work (pages per role: jobformidler 30, konsulent 21, mentor 13,
# teamleder 47, leder 42, admin 67 on 7 December 2026).
ROLE_GROUPS = [["admin", "konsulent", "mentor"], ["teamleder", "jobformidler", "leder"]]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
# A guard against a crawl that never ends (a link that makes new kinds of page forever); a
# role that reaches it fails the test rather than leave pages unscanned (the admin has ~70).
MAX_PAGES_PER_ROLE = 150
TIMES = {"load": 0.0, "axe": 0.0}
# Links that do something rather than show a page, or are files.
SKIP_PREFIXES = ("/static/", "/media/", "/logout")
SKIP_SUFFIXES = (".pdf", ".csv", ".json", ".svg", ".png", ".ics", ".xlsx")


def kind(path: str, query: str) -> str | None:
    """The kind of page a link leads to, or None for a link the crawl does not follow."""
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name.startswith("admin:"):
        # A model's admin page: admin:cases_citizen_changelist -> admin:changelist, one of
        # each kind for all models, filters and popups included.
        if getattr(match.func, "model_admin", None) is not None:
            return "admin:" + name.rsplit("_", 1)[-1]
        return name
    keys = sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)} - {"side"})
    return name + ("?" + "&".join(keys) if keys else "")


# A link marked ``download`` is a file, whatever its address ends with.
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]:not([download])'))
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""


def settled(page: Any) -> None:
    """The page and its lazy htmx panels have loaded (quicker than networkidle's 500 ms)."""
    page.wait_for_function(
        "() => document.readyState === 'complete' && !document.querySelector('.htmx-request')",
        polling=50,
    )


def scan(page: Any, where: str, failures: list[str], minor: dict[str, set[str]]) -> None:
    for size in (WIDE, NARROW):
        if size is NARROW:
            page.set_viewport_size(size)
            # What a11y.js does on its (debounced) resize: re-check the scrolling regions.
            page.evaluate("() => window.a11y && window.a11y.refresh()")
        label = f"{where} @ {size['width']}px"
        started = time.monotonic()
        violations = axe_violations(page)
        TIMES["axe"] += time.monotonic() - started
        failing = [v for v in violations if v.get("impact") in FAILING]
        if failing:
            failures.append(f"{label}:\n{describe(failing)}")
        for v in violations:
            if v.get("impact") not in FAILING:
                minor.setdefault(f"{v['id']} ({v['impact']})", set()).add(label)


def crawl_role(
    page: Any, username: str, failures: list[str], minor: dict[str, set[str]]
) -> list[str]:
    page.set_viewport_size(WIDE)
    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
    start = urlsplit(page.url)
    queue: deque[str] = deque([start.path + (f"?{start.query}" if start.query else "")])
    seen: set[str] = set()
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        parts = urlsplit(url)
        page_kind = kind(parts.path, parts.query)
        if page_kind is None or page_kind in seen:
            continue
        seen.add(page_kind)
        page.set_viewport_size(WIDE)
        started = time.monotonic()
        response = page.goto(url)
        settled(page)
        TIMES["load"] += time.monotonic() - started
        status = response.status if response else 0
        if status >= 500:
            failures.append(f"{username} {url}: HTTP {status}")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        visited.append(f"{url} ({status})")
        scan(page, f"{username} {url}", failures, minor)
        for href in page.evaluate(LINKS_JS):
            link = urlsplit(href)
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    unvisited = {
        k
        for url in queue
        if (k := kind(urlsplit(url).path, urlsplit(url).query)) is not None and k not in seen
    }
    if unvisited:
        failures.append(
            f"{username}: stopped after {len(visited)} pages with {len(unvisited)} kinds of page "
            f"not scanned: {sorted(unvisited)[:10]}"
        )
    return visited


def crawl_roles(
    base_url: str,
    roles: list[str],
    failures: list[str],
    minor: dict[str, set[str]],
    visited: dict[str, list[str]],
) -> None:
    """Crawl ``roles`` one after the other in a browser of this thread's own (Playwright's
    sync API is per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="da-DK", base_url=base_url)
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            for username in roles:
                context.clear_cookies()
                visited[username] = crawl_role(page, username, failures, minor)
        except Exception as exc:  # reported by the test, not lost in the thread
            failures.append(f"crawl of {roles} stopped: {exc!r}")
        finally:
            browser.close()


def test_every_page_of_every_demo_role_at_1280_and_390_px(
    live_server: Any, code_lists: None
) -> None:
    if not os.path.exists(CHROMIUM):
        _missing("Chromium", f"{CHROMIUM} not found (apt-get install -y chromium)")
    call_command("seed_demo", "--scale", "0.05", stdout=StringIO())
    failures: list[str] = []
    minor: dict[str, set[str]] = {}
    visited: dict[str, list[str]] = {}
    started = time.monotonic()
    # Two browsers at once (the machine has two cores; axe-core's scans are most of the time).
    threads = [
        threading.Thread(
            target=crawl_roles, args=(live_server.url, group, failures, minor, visited)
        )
        for group in ROLE_GROUPS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    pages = sum(len(v) for v in visited.values())
    summary = f"{pages} pages, {pages * 2} scans in {seconds:.0f} s ({TIMES}): " + ", ".join(
        f"{role} {len(urls)}" for role, urls in visited.items()
    )
    print(summary)
    for role, urls in visited.items():
        print(role, *urls, sep="\n  ")
    for rule, where in sorted(minor.items()):
        print(rule, *sorted(where), sep="\n  ")
    assert not failures, "\n\n".join(failures)
    # Every role reaches more than its landing page.
    assert set(visited) == set(ROLES)
    assert all(len(urls) >= 3 for urls in visited.values()), visited
    if minor:
        warnings.warn(
            "axe-core moderate/minor (not failing): "
            + "; ".join(f"{rule}: {len(where)} scans" for rule, where in sorted(minor.items())),
            stacklevel=1,
        )
