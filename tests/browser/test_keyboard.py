"""Keyboard only, in real Chromium (issue 16): every action below is done with Tab, Enter, the
arrow keys and typing; after each htmx swap the test asks where focus is, what the live
region said, and runs axe-core on the page as it now is (tests/browser/a11y.py)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.citizens.models import Conversation
from cases.placements.hours import iso_week_label, week_start
from cases.placements.models import WeeklyHours
from companies.models import CompanyContact
from substitution.models import Role, Team, User
from tests.browser.a11y import (
    announced,
    assert_announced,
    assert_axe,
    assert_focus,
    focus_ring_contrast,
    focused,
    press_tab_until,
    tab_stops,
)
from tests.conftest import assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory, FollowUpFactory
from tests.factories.companies import log_contact
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WorkAgreementFactory, make_company

pytestmark = pytest.mark.browser


def test_log_a_conversation_from_the_citizen_page_with_the_keyboard(
    page: Any, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(
        team=team, first_name="Anna", last_name="Jensen", assigned_to=jobformidler
    )
    login(page, jobformidler.username)
    page.goto(f"/borgere/{citizen.pk}/")
    assert_axe(page, "citizen page")

    # From the top: the skip link, Enter, and the form's first field, in at most 10 Tab stops.
    stops = press_tab_until(page, 'a.skip-link[href="#quick-log"]', limit=10)
    page.keyboard.press("Enter")
    assert_focus(page, "#quick-log")
    stops += press_tab_until(page, "#quick-log input, #quick-log select", limit=10 - stops)
    assert stops <= 10
    assert focused(page) is not None

    # Submit without type and channel: focus lands on the first invalid field and the live
    # region reads the error summary.
    press_tab_until(page, '#quick-log button[type="submit"]', limit=20)
    page.keyboard.press("Enter")
    field = assert_focus(page, '#quick-log select[aria-invalid="true"]')
    assert field.id == "id_kind"
    said = assert_announced(page, "Det blev ikke gemt")
    assert "Type: Vælg samtaletype." in said
    assert_axe(page, "quick-log with errors")

    # Fix with the keyboard (arrow keys choose in a select), save, and land on the confirmation.
    page.keyboard.press("ArrowDown")
    press_tab_until(page, "#id_note", limit=10)
    page.keyboard.type("Talte om job på lager.")
    press_tab_until(page, '#quick-log button[type="submit"]', limit=10)
    page.keyboard.press("Enter")
    confirmation = assert_focus(page, "#quick-log .alert-ok")
    assert "Samtalen med Anna Jensen er gemt." in confirmation.name
    assert_announced(page, "Samtalen med Anna Jensen er gemt.")
    assert Conversation.objects.get().note == "Talte om job på lager."
    assert_axe(page, "quick-log saved")
    # The next Tab continues inside the form, not from the top of the page.
    page.keyboard.press("Tab")
    after = focused(page)
    assert after is not None and page.evaluate(
        "() => document.querySelector('#quick-log').contains(document.activeElement)"
    ), after
    assert_no_csp_errors(page)


def test_min_dag_reaches_the_quick_log_in_ten_tab_stops(
    page: Any, team: Team, jobformidler: User
) -> None:
    """Min dag is long (the day's follow-ups, each with its buttons, before the quick-log): the
    skip link takes the keyboard to the quick-log's first field in at most 10 Tab stops."""
    for n in range(12):
        citizen = CitizenFactory.create(team=team, assigned_to=jobformidler)
        FollowUpFactory.create(subject=citizen, owner=jobformidler, title=f"Opfølgning {n}")
    login(page, jobformidler.username)
    expect(page.get_by_role("heading", name="Min dag")).to_be_visible()
    stops = press_tab_until(page, 'a.skip-link[href="#quick-log"]', limit=10)
    page.keyboard.press("Enter")
    assert_focus(page, "#quick-log")
    stops += press_tab_until(
        page, "#quick-log input:not([type=hidden]), #quick-log select", limit=10 - stops
    )
    assert stops <= 10
    assert_axe(page, "Min dag, focus in the quick-log")


def test_mark_a_follow_up_done_and_hear_it(page: Any, team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler)
    follow_up = FollowUpFactory.create(
        subject=citizen, owner=jobformidler, title="Ring til Bo om CV"
    )
    login(page, jobformidler.username)
    assert page.get_by_role("heading", name="Min dag").is_visible()
    press_tab_until(page, f"#opfoelgning-{follow_up.pk} button", limit=60)
    page.keyboard.press("Enter")
    assert_announced(page, "Opfølgningen er markeret som udført: Ring til Bo om CV.")
    assert_focus(page, f"#opfoelgning-{follow_up.pk}")
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert_axe(page, "Min dag after Markér udført")


def test_reveal_cpr_keeps_focus_on_the_number(page: Any, team: Team) -> None:
    make_staff(Role.TEAMLEDER, team, username="tl")
    citizen = CitizenFactory.create(team=team)
    login(page, "tl")
    page.goto(f"/borgere/{citizen.pk}/")
    press_tab_until(page, "#cpr button", limit=30)
    page.keyboard.press("Enter")
    number = assert_focus(page, "#cpr")
    assert citizen.cpr[:6] in number.name.replace("-", "")
    assert_announced(page, "Det fulde CPR-nummer vises.")
    assert_axe(page, "citizen page with CPR shown")


def test_company_contact_errors_then_save(page: Any, team: Team) -> None:
    make_staff(Role.VIRKSOMHEDSKONSULENT, team, username="vk")
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    # Three colleagues called this week (the limit is two): the coordination warning shows.
    for n in range(3):
        colleague = make_staff(Role.VIRKSOMHEDSKONSULENT, team, username=f"kollega{n}")
        log_contact(company, colleague, occurred_on=timezone.localdate())
    login(page, "vk")
    page.goto(company.get_absolute_url())
    expect(page.locator("#coordination-warning")).to_be_visible()
    press_tab_until(page, '#activity button[type="submit"]', limit=40)
    page.keyboard.press("Enter")
    field = assert_focus(page, '#activity [aria-invalid="true"]')
    assert_announced(page, "Det blev ikke gemt")
    assert_axe(page, "company contact with errors")
    # Choose the first value in every invalid select, then save.
    for _ in range(5):
        current = focused(page)
        if current is None or not current.invalid:
            break
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    assert field.tag in {"select", "input"}
    press_tab_until(page, '#activity button[type="submit"]', limit=20)
    page.keyboard.press("Enter")
    assert_focus(page, "#activity .alert-ok")
    assert_announced(page, "Kontakten er registreret.")
    assert CompanyContact.objects.filter(company=company).count() == 4  # 3 + the new one
    # The coordination warning comes back with the new content but is no alert that is read
    # out again on every save: the live region says only what the save did.
    expect(page.locator("#coordination-warning")).to_be_visible()
    assert page.locator("#activity [role=alert], #activity [role=status]").count() == 0
    assert page.locator("#activity [aria-live]").count() == 0
    assert "Én indgang" not in announced(page)
    assert "forskellige medarbejdere" not in announced(page)
    assert_axe(page, "company contact saved")


def test_three_weeks_of_hours_in_the_grid_without_a_mouse(
    page: Any, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(
        team=team, first_name="Aisha", last_name="Nielsen", assigned_to=jobformidler
    )
    monday = week_start(timezone.localdate())
    first = monday - dt.timedelta(weeks=3)
    placement = PlacementFactory.create(citizen=citizen, starts_on=first - dt.timedelta(weeks=4))
    WorkAgreementFactory.create(placement=placement)
    login(page, jobformidler.username)
    page.goto("/borgere/timer/")
    assert_axe(page, "hours grid")

    # The skip link goes to the grid's one Tab stop; the whole grid is one stop.
    press_tab_until(page, 'a.skip-link[href="#hours-grid"]', limit=5)
    page.keyboard.press("Enter")
    assert_focus(page, "#hours-grid input")
    # The first row's first cell is the oldest week shown: move right to `first`.
    weeks = [first + dt.timedelta(weeks=n) for n in range(3)]
    target = f"#c{placement.pk}-{weeks[0]:%Y%m%d}-timer"
    for _ in range(10):
        if page.evaluate("(s) => document.activeElement.matches(s)", target):
            break
        page.keyboard.press("ArrowRight")
    assert_focus(page, target)
    for week, typed in zip(weeks, ["2", "7,5", "12"], strict=True):
        cell = f"#c{placement.pk}-{week:%Y%m%d}-timer"
        assert_focus(page, cell)
        page.keyboard.press("Control+A")
        page.keyboard.type(typed)
        page.keyboard.press("Enter")  # saves; focus stays in the cell (stable id)
        assert_announced(page, f"Timer for Aisha Nielsen i uge {iso_week_label(week)} er gemt.")
        assert_focus(page, cell)
        page.keyboard.press("ArrowRight")
    assert sorted(WeeklyHours.objects.values_list("hours", flat=True)) == [
        Decimal(2),
        Decimal("7.5"),
        Decimal(12),
    ]
    # An error keeps focus in the cell and is read out with the cell's label.
    page.keyboard.press("Control+A")
    page.keyboard.type("99")
    page.keyboard.press("Enter")
    assert_announced(page, "Højst 80 timer på en uge.")
    assert focused(page) is not None and focused(page).invalid  # type: ignore[union-attr]
    assert "Aisha Nielsen" in announced(page)
    assert_axe(page, "hours grid after saves and an error")
    # Tab leaves the grid in one step.
    page.keyboard.press("Tab")
    assert not page.evaluate(
        "() => document.querySelector('#hours-grid').contains(document.activeElement)"
    )

    # On a phone the grid scrolls sideways: its box is then a focusable region named by the
    # caption (axe: scrollable-region-focusable); at 1280 px it fits and is no Tab stop.
    box = page.locator(".table-wrap")
    assert box.get_attribute("tabindex") is None
    page.set_viewport_size({"width": 390, "height": 844})
    expect(box).to_have_attribute("tabindex", "0")
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-labelledby") == page.locator(
        "#hours-grid caption"
    ).get_attribute("id")
    assert_axe(page, "hours grid at 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(box).not_to_have_attribute("role", re.compile(".*"))
    assert box.get_attribute("tabindex") is None


def test_focus_indicator_contrast_on_cards_and_page(
    page: Any, team: Team, jobformidler: User
) -> None:
    """Every focus stop on the citizen page (white cards, the grey page, the dark top bar,
    <summary> included) has an outline of at least 2 px with at least 3:1 contrast."""
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler)
    FollowUpFactory.create(subject=citizen, owner=jobformidler)
    login(page, jobformidler.username)
    page.goto(f"/borgere/{citizen.pk}/")
    stops = tab_stops(page)
    assert len(stops) > 20
    weak = [s for s in stops if s["ratio"] < 3 or s["width"] < 2]
    assert not weak, weak
    backgrounds = {s["background"] for s in stops}
    assert {"rgb(255, 255, 255)", "rgb(245, 246, 248)"} <= backgrounds, backgrounds
    assert any(s["tag"] == "summary" for s in stops)
    # A message focused by script after a save has the same ring.
    page.evaluate("() => window.a11y.focus(document.querySelector('h1'))")
    ring = focus_ring_contrast(page)
    assert ring is not None and ring["ratio"] >= 3
