"""Scrolling table boxes on a phone (issue 16): a box that scrolls is a focusable region whose
name no other region on the page has, and it is a plain box again when it fits. axe-core finds
no violation of any impact (not only serious and critical) in each state: the crawl's last
moderate finding was the drill-down table's region named like its section
(landmark-unique at 390 px)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import axe_violations, describe
from tests.conftest import assert_no_csp_errors, login
from tests.reporting.dashboards.test_team_lead_browser import week  # noqa: F401  fixture

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def assert_no_violations(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n{describe(violations)}"


def test_drill_down_table_region_has_its_own_name_at_390_px(
    page: Any,
    week: None,  # noqa: F811
) -> None:
    login(page, "tina")
    expect(page.locator("article.tile svg.sparkline").first).to_be_visible()
    # The figure's own page (the link's address; on the dashboard htmx shows it in place).
    page.goto(page.locator('a[data-drill="contact_cadence"]').get_attribute("href"))
    heading = page.locator("#drilldown-heading")
    expect(heading).to_have_text("Samtale inden for kadencen")
    box = page.locator("#drilldown .table-wrap")
    expect(box).not_to_have_attribute("role", "region")  # fits at 1280 px
    assert_no_violations(page, "drill-down @ 1280px")

    # On a phone the table scrolls: its box becomes a focusable region, named "Tabel: …"
    # because the section around it already has the caption's name.
    page.set_viewport_size(PHONE)
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("tabindex", "0")
    section = page.get_by_role("region", name="Samtale inden for kadencen", exact=True)
    expect(section).to_have_count(1)
    table_region = page.get_by_role("region", name="Tabel: Samtale inden for kadencen")
    expect(table_region).to_have_count(1)
    assert_no_violations(page, "drill-down @ 390px")

    # After the htmx swap the section is "… – resten": the caption alone is unique again.
    page.get_by_role("link", name="Vis dem, der ikke er med i tallet").click()
    expect(heading).to_contain_text("resten")
    expect(box).to_have_attribute("role", "region")
    caption_id = page.locator("#drilldown caption").get_attribute("id")
    assert caption_id
    expect(box).to_have_attribute("aria-labelledby", caption_id)
    assert_no_violations(page, "drill-down rest @ 390px")

    # Wide again: the box fits, is no region and carries no name (a name on a plain <div> is
    # prohibited: aria-prohibited-attr).
    page.set_viewport_size(WIDE)
    expect(box).not_to_have_attribute("role", "region")
    expect(box).not_to_have_attribute("aria-labelledby", caption_id)
    assert box.get_attribute("aria-label") is None
    assert box.get_attribute("tabindex") is None
    assert_no_violations(page, "drill-down rest @ 1280px after 390px")
    assert_no_csp_errors(page)
