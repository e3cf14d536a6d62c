"""Real Chromium at 1280 px and on a 390 px phone: the daily work of issue 14 (the company
page's placements panel, a mentor's caseload, the combobox, the hours grid's totals, the
citizen page built for action). Every page is checked for sideways scrolling on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cases.placements.models import PlacementStatus
from substitution.models import Team, User
from tests.conftest import assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, make_company, make_task

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def assert_no_sideways_scroll(page: Any) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px: {width} px wide"


def test_company_placements_panel_is_not_clipped(page: Any, team: Team, konsulent: User) -> None:
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    task = make_task(company, "Opvask og salatbar i kantinen")
    for n in range(3):
        PlacementFactory.create(
            citizen=CitizenFactory.create(team=team, first_name=f"Borger{n}", last_name="Hansen"),
            company=company,
            task=task,
            starts_on=dt.date(2026, 11, 3),
            status=PlacementStatus.AKTIV,
        )
    login(page, "vk")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/virksomheder/{company.pk}/")
    panel = page.locator(".company-placements table")
    panel.wait_for()
    # Every column is shown in full: the table is no wider than its card, and its headers
    # do not wrap one word per line.
    table_width, wrap_width = panel.evaluate(
        "t => [t.scrollWidth, t.closest('.table-wrap').clientWidth]"
    )
    assert table_width <= wrap_width
    header_height = panel.locator("thead tr").evaluate("r => r.getBoundingClientRect().height")
    assert header_height < 60
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page)
    assert_no_csp_errors(page)


def test_a_corrected_field_loses_its_old_error_at_once(
    page: Any, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Nielsen"
    )
    login(page, "jf")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/borgere/{citizen.pk}/")
    form = page.locator("#quick-log")
    form.get_by_label("Dato").fill("31.02.2026")
    form.get_by_role("button", name="Gem samtale").click()
    error = page.locator("#quick-log .field.has-error .error").first
    error.wait_for()
    assert "gyldig dato" in error.inner_text()
    page.locator("#quick-log").get_by_label("Dato").fill("01.12.2026")
    assert page.locator("#quick-log").get_by_text("Skriv en gyldig dato").is_hidden()
    assert_no_csp_errors(page)
