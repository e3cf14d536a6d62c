"""Real Chromium: from a saved match, a jobformidler starts a placement with a work agreement,
registers hours for three weeks in the grid without a reload, and sees the chart and the first
milestone on the citizen page. Every new page is checked with axe-core and for CSP errors."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cases.matching.models import MatchProposal
from cases.placements.hours import iso_week_label, week_start
from cases.placements.models import Placement, WeeklyHours, WorkAgreement
from companies.models import ContactPerson, TaskStatus
from substitution.models import Team, User
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory, JobGoalFactory
from tests.factories.placements import make_company, make_task, placement_type

pytestmark = pytest.mark.browser


def test_match_to_placement_to_hours_to_progression(
    page: Any, team: Team, jobformidler: User
) -> None:
    today = timezone.localdate()
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Nielsen"
    )
    JobGoalFactory.create(citizen=citizen, title="Køkkenmedhjælper")
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    ContactPerson.objects.create(company=company, name="Jonas Holm", role="Køkkenchef")
    task = make_task(
        company, "Opvask og salatbar", hours_per_week=Decimal(10), description="Opvask"
    )
    task.placement_types.add(placement_type("ordinaere-loentimer"))
    # The saved match (made on the citizen's match panel by the matching feature).
    MatchProposal.objects.create(citizen=citizen, task=task, created_by=jobformidler)
    starts_on = week_start(today) - dt.timedelta(weeks=3)

    login(page, "jf")
    page.goto(f"/borgere/{citizen.pk}/")
    panel = page.locator("#citizen-placements")
    panel.get_by_role("link", name="Start forløb fra match").click()
    page.wait_for_load_state()
    assert page.get_by_text("Fra matchforslag").is_visible()
    assert_accessible(page)
    page.get_by_label("Startdato").fill(f"{starts_on:%d.%m.%Y}")
    page.get_by_role("button", name="Start forløb").click()
    page.wait_for_load_state()

    # The work agreement follows directly.
    assert page.get_by_role("heading", name="Arbejdsaftale").is_visible()
    assert_accessible(page)
    page.get_by_label("Opgaver").fill("Opvask og klargøring af salatbar")
    page.get_by_label(re.compile(r"^Ordinære timer")).select_option("fra_start")
    page.get_by_label("Virksomhedsmentor").select_option(label="Jonas Holm (Køkkenchef)")
    page.get_by_label("Hvem gør hvad").fill("Jonas oplærer, jobformidleren følger op")
    page.get_by_role("button", name="Gem arbejdsaftale").click()
    page.wait_for_load_state()
    placement = Placement.objects.get()
    assert placement.from_proposal is not None and placement.task == task
    mentor = WorkAgreement.objects.get(placement=placement).company_mentor
    assert mentor is not None and mentor.name == "Jonas Holm"
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT
    assert page.get_by_role("link", name="Arbejdsaftale som PDF").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)

    # Hours for three weeks, each cell saved on change without a page reload.
    page.get_by_role("link", name="Timer", exact=True).click()
    page.wait_for_load_state()
    page.evaluate("window.__noReload = true")
    weeks = [starts_on + dt.timedelta(weeks=n) for n in range(3)]
    for monday, typed in zip(weeks, ["2", "7,5", "12"], strict=True):
        label = f"Timer for Aisha Nielsen i uge {iso_week_label(monday)}"
        page.get_by_label(label).fill(typed)
        page.get_by_label(label).press("Tab")
        cell = page.locator(f"#c{placement.pk}-{monday:%Y%m%d}")
        cell.get_by_text("Gemt").wait_for()
    # A rejected value shows a Danish error in its cell and keeps what was typed.
    bad = f"Timer for Aisha Nielsen i uge {iso_week_label(week_start(today))}"
    page.get_by_label(bad).fill("99")
    page.get_by_label(bad).press("Tab")
    # The message in its cell (the live region, #a11y-live, repeats it).
    page.locator(".hours-cell").get_by_text("Højst 80 timer på en uge.").wait_for()
    assert page.get_by_label(bad).input_value() == "99"
    assert page.evaluate("window.__noReload") is True
    assert sorted(WeeklyHours.objects.values_list("hours", flat=True)) == [
        Decimal(2),
        Decimal("7.5"),
        Decimal(12),
    ]
    assert_accessible(page)
    assert_no_csp_errors(page)

    # The citizen page shows the chart and the first milestone.
    page.goto(f"/borgere/{citizen.pk}/")
    panel = page.locator("#citizen-placements")
    panel.locator("svg[role=img]").wait_for()
    assert panel.locator("svg rect").count() == 26
    first = panel.locator("[data-milestone=first_hour]")
    assert "nået" in first.inner_text() and iso_week_label(weeks[0]) in first.inner_text()
    assert "ikke nået" in panel.locator("[data-milestone=full_time]").inner_text()
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_import_page_and_min_dag_alerts_are_accessible(
    page: Any, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Bo")
    company = make_company(team.unit, "Lageret A/S")
    Placement.objects.create(
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=timezone.localdate() - dt.timedelta(weeks=20),
        start_confirmed_on=timezone.localdate() - dt.timedelta(weeks=20),
    )
    login(page, "jf")
    page.goto("/borgere/min-dag/")
    alerts = page.locator("#my-alerts")
    alerts.get_by_text("Praktik uden aftale om ordinære timer").wait_for()
    assert alerts.get_by_text("Langvarig praktik uden ordinære timer").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)
    page.goto("/borgere/timer/import/")
    assert page.get_by_role("heading", name="Importér ordinære timer").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)
