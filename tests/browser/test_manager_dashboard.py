"""The manager dashboard in a real browser (issue 10): a leder lands on it, filters it by
visitation group without a page reload, downloads the XLSX, which openpyxl opens and which
holds the numbers the page shows; accessible, CSP-clean, and at 390 px the table scrolls in
its own box instead of widening the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cases.citizens.models import VisitationGroup, VisitationPeriod
from substitution.models import Role, Team
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory
from tests.factories.org import TeamFactory, make_staff
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def jobcentre(code_lists: None, team: Team) -> list[Team]:
    make_staff(Role.LEDER, team, username="lise", first_name="Lise")
    group1 = VisitationGroup.objects.get(code="gruppe-1")
    teams = [team, TeamFactory.create(unit=team.unit, name="Team Syd")]
    for t, size in zip(teams, (6, 4), strict=True):
        for n in range(size):
            citizen = CitizenFactory.create(
                team=t, opened_on=dt.date(2026, 1, 1), cv_present=n == 0
            )
            if n < 3:
                VisitationPeriod.objects.create(
                    citizen=citizen, group=group1, starts_on=dt.date(2026, 3, 1)
                )
                PlacementFactory.create(
                    citizen=citizen, type_code="virksomhedspraktik", starts_on=dt.date(2026, 12, 1)
                )
    return teams


def shown(page: Any) -> dict[str, str]:
    """ "measure label|team column" -> the figure's text, as the page shows it."""
    return page.evaluate(
        """() => {
        const heads = [...document.querySelectorAll('.manager-table thead th')]
          .map(th => th.textContent.trim());
        const out = {};
        for (const tr of document.querySelectorAll('.manager-table tbody tr')) {
          const label = tr.querySelector('th').textContent.trim();
          tr.querySelectorAll('td[data-team]').forEach((td, i) => {
            out[label + '|' + heads[i + 1]] = td.querySelector('a[data-figure]').textContent.trim();
          });
        }
        return out;
      }"""
    )


def test_a_leder_filters_by_visitation_group_and_downloads_the_xlsx(
    page: Any, jobcentre: list[Team], tmp_path: Any
) -> None:
    login(page, "lise")
    expect(page.get_by_role("heading", name="Ledelsesoverblik", level=1)).to_be_visible()
    assert page.url.endswith("/styring/leder/")
    assert_accessible(page)
    # The 13-month trend loads after the table (htmx).
    expect(page.locator("#manager-trend table.trend-table")).to_be_visible()
    before = shown(page)
    assert before["CV oprettet|Jobcentret i alt"] == "20 %"  # 2 of 10
    page.evaluate("window.__noReload = 'marker'")

    page.get_by_label("Visitationsgruppe").select_option("gruppe-1")
    page.wait_for_url("**gruppe=gruppe-1**")
    expect(page.locator('tr[data-measure="cv"] td[data-team] a').last).to_have_text("33 %")
    assert page.evaluate("window.__noReload") == "marker"
    after = shown(page)
    # Group 1: three citizens of each team, one with a CV in each: 2 of 6.
    assert after["CV oprettet|Team A"] == "33 %"
    assert after["CV oprettet|Team Syd"] == "33 %"
    assert after["I virksomhedsforløb mv.|Jobcentret i alt"] == "100 %"

    with page.expect_download() as info:
        page.get_by_role("link", name="Hent som Excel (XLSX)").click()
    download = info.value
    target = tmp_path / "overblik.xlsx"
    download.save_as(target)
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("Måling", "Nøgle", "Team", "Tæller", "Nævner", "Værdi", "Vist som")
    exported = {(r[0], r[2]): r[6] for r in rows[1:]}
    assert len(after) == 13 * 3  # every measure, two teams and the total
    for key, text in after.items():
        label, team = key.split("|")
        assert exported[(label, team)] == text, key
    cv_total = next(r for r in rows if r[1] == "cv" and r[2] == "Jobcentret i alt")
    assert (cv_total[3], cv_total[4]) == (2, 6)
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_the_dashboard_at_390_px(page: Any, jobcentre: list[Team]) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "lise")
    wrap = page.locator(".manager-table-wrap")
    expect(wrap).to_be_visible()
    widths = page.evaluate(
        """() => {
        const wrap = document.querySelector('.manager-table-wrap');
        return [document.documentElement.scrollWidth, wrap.scrollWidth, wrap.clientWidth];
      }"""
    )
    page_width, table_width, box_width = widths
    assert page_width <= 390
    assert table_width > box_width  # the table scrolls inside its box
    assert_accessible(page)
    # The cohort view also fits.
    page.goto("/styring/kohorter/")
    expect(page.get_by_role("heading", name="Kohorter efter visitationsmåned")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
