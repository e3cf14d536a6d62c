"""The team lead's week in real Chromium (issue 10): open the dashboard, follow a red figure
to its list, record an explanation and action plan, start a case review of two citizens from
the list and record a decision, which shows on the citizen's timeline. Accessible (axe-core),
CSP-clean, and usable on a 390 px phone (tiles stack, tables scroll inside their box)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from reporting.dashboards.models import ActionPlan, CaseReviewItem, Target
from substitution.models import Role, Team
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.org import make_staff
from tests.reporting.dashboards.team_data import citizen_mix

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def week(code_lists: None, team: Team) -> None:
    jf = make_staff(Role.JOBFORMIDLER, team, username="mette", first_name="Mette", last_name="Mo")
    make_staff(Role.TEAMLEDER, team, username="tina", first_name="Tina")
    citizen_mix(team, jf, size=2)  # 2 of 12 seen within the cadence: 17 %
    Target.objects.create(
        unit=team.unit,
        team=team,
        measure="contact_cadence",
        value=Decimal(90),
        tolerance=Decimal(10),
        valid_from=dt.date(2026, 1, 1),
    )


def test_team_lead_follows_a_red_figure_to_a_case_review(page: Any, week: None) -> None:
    login(page, "tina")
    assert page.url.endswith("/styring/")
    tile = page.locator("article.tile-red", has_text="Samtale inden for kadencen")
    expect(tile).to_contain_text("17 %")
    expect(tile).to_contain_text("Langt fra mål")
    expect(tile.locator("svg.sparkline")).to_have_count(1)  # the trend arrived (htmx)
    assert_accessible(page)

    # The explanation and action plan for the red figure.
    tile.get_by_role("link", name="Forklaring og handlingsplan").click()
    page.get_by_label("Forklaring på afvigelsen").fill("To kolleger på kursus i november.")
    page.get_by_label("Handlingsplan").fill("Samtaler bookes for alle uden kontakt.")
    page.get_by_label("Opfølgning senest").fill("15.12.2026")
    assert_accessible(page)
    page.get_by_role("button", name="Gem forklaring og handlingsplan").click()
    plans = page.locator("#handlingsplaner")
    expect(plans).to_contain_text("Samtaler bookes for alle uden kontakt.")
    assert ActionPlan.objects.get().status == "red"

    # Follow the red figure to its list, then to those who are not in it.
    page.locator('a[data-drill="contact_cadence"]').click()
    heading = page.locator("#drilldown-heading")
    expect(heading).to_have_text("Samtale inden for kadencen")
    expect(page.locator("#drilldown [data-count]")).to_have_attribute("data-count", "2")
    page.get_by_role("link", name="Vis dem, der ikke er med i tallet").click()
    expect(heading).to_contain_text("resten")
    rows = page.locator("#drilldown tbody tr")
    expect(rows).to_have_count(10)
    assert_accessible(page)
    first, second = (rows.nth(i).locator("td a").first.inner_text() for i in (0, 1))
    rows.nth(0).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("checkbox").check()
    page.get_by_role("button", name="Start sagssparring om de valgte").click()

    expect(page.get_by_role("heading", name="Ny sagssparring")).to_be_visible()
    expect(page.locator("main")).to_contain_text(first)
    expect(page.get_by_label("Sagssparring med")).to_have_value(str(_jf_pk()))
    page.get_by_role("button", name="Start sagssparring").click()

    expect(page.get_by_role("heading", name=first)).to_be_visible()
    expect(page.get_by_role("heading", name=second)).to_be_visible()
    assert_accessible(page)
    item = page.locator(".review-item", has_text=first)
    item.get_by_label("Beslutning").fill("Ring i dag og book samtale i næste uge.")
    item.get_by_label("Opfølgning senest").fill("09.12.2026")
    item.get_by_role("button", name="Gem beslutning").click()
    expect(page.locator(".review-item", has_text=first)).to_contain_text("Besluttet")
    decided = CaseReviewItem.objects.get(decided_at__isnull=False)
    assert decided.follow_up is not None
    assert decided.follow_up.due_on == dt.date(2026, 12, 9)
    assert decided.follow_up.owner.username == "mette"

    # The decision is on the citizen's timeline.
    page.locator(".review-item", has_text=first).get_by_role("link", name=first).click()
    expect(page.locator("#tidslinje")).to_contain_text("Ring i dag og book samtale i næste uge.")
    assert_no_csp_errors(page)
    page.wait_for_load_state("networkidle")


def _jf_pk() -> int:
    from substitution.models import User

    return User.objects.get(username="mette").pk


def test_dashboard_on_a_phone(page: Any, week: None) -> None:
    login(page, "tina")
    # The sparklines' request finishes before the reload (a request still running when the
    # test ends would meet the live server's flush).
    expect(page.locator("article.tile svg.sparkline").first).to_be_visible()
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("article.tile svg.sparkline").first).to_be_visible()
    boxes = [t.bounding_box() for t in page.locator("article.tile").all()]
    assert len({round(b["x"]) for b in boxes}) == 1  # one column: the tiles stack
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(  # what sticks out, for the message
        "Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 2)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className)"
    )
    assert width <= inner, wide
    board, box = page.evaluate(
        "[document.querySelector('table.board').scrollWidth,"
        " document.querySelector('table.board').closest('.table-wrap').clientWidth]"
    )
    assert board > box  # the board scrolls inside its box, not the page
    page.locator('a[data-drill="overdue_follow_ups"]').click()
    expect(page.locator("#drilldown tbody tr")).to_have_count(2)
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    assert_accessible(page)
    assert_no_csp_errors(page)
    page.wait_for_load_state("networkidle")
