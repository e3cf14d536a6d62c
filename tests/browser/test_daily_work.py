"""Real Chromium at 1280 px and on a 390 px phone: the daily work of issue 14 (the company
page's placements panel, a mentor's caseload, the combobox, the hours grid's totals, the
citizen page built for action). Every page is checked for sideways scrolling on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from cases.placements.models import PlacementStatus
from substitution.models import Team, User
from tests.conftest import assert_accessible, assert_no_csp_errors, login
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
    field_error = page.locator("#quick-log .field .error").filter(has_text="Skriv en gyldig dato")
    assert field_error.is_hidden()
    assert_no_csp_errors(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_find_a_company_by_typing_and_start_from_a_task_with_prefilled_hours(
    page: Any, team: Team, jobformidler: User, viewport: dict[str, int]
) -> None:
    """Keyboard only: type part of the company's name, choose it with the arrow keys and
    Enter; choosing the task fills in its hours and placement type."""
    from decimal import Decimal

    from cases.placements.models import Placement
    from tests.factories.placements import placement_type

    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Nielsen"
    )
    for n in range(30):
        make_company(team.unit, f"Firma {n:02d} ApS", cvr=None)
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    task = make_task(company, "Opvask og salatbar", hours_per_week=Decimal("12.5"))
    task.placement_types.add(placement_type("ordinaere-loentimer"))
    login(page, "jf")
    page.set_viewport_size(viewport)
    page.goto(f"/borgere/{citizen.pk}/forloeb/ny/")
    box = page.get_by_role("combobox", name="Virksomhed")
    box.focus()
    page.keyboard.type("kantin")
    option = page.get_by_role("option", name="Kantinen ved Åen ApS")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    page.keyboard.press("Enter")
    assert box.input_value() == "Kantinen ved Åen ApS"
    assert box.get_attribute("aria-expanded") == "false"
    assert_accessible(page)
    task_select = page.get_by_label("Opgave (fra opgavekortlægning)")
    task_select.locator("option", has_text="Opvask og salatbar").wait_for(state="attached")
    task_select.select_option(value=str(task.pk))
    assert page.get_by_label("Planlagte timer pr. uge").input_value() in {"12,5", "12.5"}
    assert page.get_by_label("Forløbstype").input_value() == str(
        placement_type("ordinaere-loentimer").pk
    )
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Start forløb").click()
    page.get_by_role("heading", name="Arbejdsaftale").wait_for()
    placement = Placement.objects.get(citizen=citizen)
    assert placement.company == company and placement.task == task
    assert placement.planned_hours_per_week == Decimal("12.5")
    assert_no_csp_errors(page)


def test_the_company_field_without_javascript(
    _playwright_browser: Any, live_server: Any, code_lists: None, team: Team, jobformidler: User
) -> None:
    """The company field lists no companies (a jobcentre has thousands: ``SearchOnlyCombobox``),
    so without JavaScript it is a plain select holding the chosen company: a placement from a
    saved match (company given) can still be started; choosing another needs the combobox."""
    from django.urls import reverse

    from cases.matching.models import MatchProposal

    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    make_company(team.unit, "Lageret ApS")
    task = make_task(make_company(team.unit, "Kantinen ved Åen ApS"), "Opvask")
    proposal = MatchProposal.objects.create(citizen=citizen, task=task, created_by=jobformidler)
    context = _playwright_browser.new_context(
        locale="da-DK", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, "jf")
        page.goto(f"/borgere/{citizen.pk}/forloeb/ny/")
        select = page.get_by_label("Virksomhed")
        assert select.evaluate("e => e.tagName") == "SELECT"
        assert select.locator("option").count() == 1  # the empty choice only
        page.goto(reverse("cases:placement_from_proposal", args=[proposal.pk]))
        select = page.get_by_label("Virksomhed")
        assert select.evaluate("e => e.selectedOptions[0].text") == "Kantinen ved Åen ApS"
        assert "Lageret ApS" not in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_register_a_month_of_hours_and_see_the_smalljob_month(
    page: Any, team: Team, jobformidler: User, viewport: dict[str, int]
) -> None:
    """Weeks are labelled "Uge 45" with their dates; the totals per week and per calendar
    month follow the cells as they save; November reaches 30 hours and is marked "Småjob";
    on a phone the current week is in view."""
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Nielsen"
    )
    placement = PlacementFactory.create(
        citizen=citizen, starts_on=dt.date(2026, 10, 1), type_code="ordinaere-loentimer"
    )
    login(page, "jf")
    page.set_viewport_size(viewport)
    page.goto("/borgere/timer/")
    header = page.locator("thead th.week").filter(has_text="Uge 45")
    assert header.count() == 1
    assert "2026-W45" in header.locator("span[title]").get_attribute("title")
    current = page.locator("thead th.current-week")
    assert "Uge 49" in current.inner_text()
    box = current.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert_no_sideways_scroll(page)
    november = page.locator(f"#m{placement.pk}-202611")
    for week in (45, 46, 47, 48):
        cell = page.get_by_label(f"Timer for Aisha Nielsen i uge 2026-W{week}")
        cell.fill("8")
        cell.press("Tab")
        page.locator(f"td:has(input[value='8'][aria-label$='2026-W{week}']) .saved-mark").wait_for()
    expect(november).to_contain_text("Småjob")
    assert november.inner_text().startswith("32")
    assert "Småjob" not in page.locator(f"#m{placement.pk}-202610").inner_text()
    # The week totals follow the saved cells on htmx:afterSettle (static/js/app.js), a moment
    # after the last cell's saved mark shows.
    # (Locator assertions poll without evaluating strings, which the CSP forbids.)
    week_totals = page.locator("tfoot td.week-total")
    for index in range(-5, -1):
        expect(week_totals.nth(index)).to_have_text("8")
    totals = page.locator("tfoot td.week-total").all_inner_texts()
    assert totals[-5:-1] == ["8", "8", "8", "8"]
    assert_no_sideways_scroll(page)
    if viewport == DESKTOP:
        assert_accessible(page)
    assert_no_csp_errors(page)


def test_citizen_page_puts_the_quick_log_in_the_first_screen_on_a_phone(
    page: Any, team: Team, jobformidler: User
) -> None:
    from cases.citizens.models import JobGoal

    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Nielsen"
    )
    JobGoal.objects.create(citizen=citizen, title="Køkkenmedhjælper", hours_per_week=15)
    login(page, "jf")
    page.set_viewport_size(PHONE)
    page.goto(f"/borgere/{citizen.pk}/")
    page.wait_for_load_state("networkidle")
    top = page.locator("#quick-log").evaluate("e => e.getBoundingClientRect().top + scrollY")
    assert top <= 900, top
    assert_no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)
    top = page.locator("#quick-log").evaluate("e => e.getBoundingClientRect().top + scrollY")
    assert top <= 900, top
    assert_accessible(page)


def test_no_sideways_scrolling_on_the_daily_pages_at_390(
    page: Any, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Nielsen"
    )
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    task = make_task(company, "Opvask og salatbar")
    placement = PlacementFactory.create(
        citizen=citizen, company=company, task=task, starts_on=dt.date(2026, 10, 1)
    )
    login(page, "jf")
    page.set_viewport_size(PHONE)
    wide = []
    for url in [
        "/borgere/min-dag/",
        "/borgere/",
        f"/borgere/{citizen.pk}/",
        f"/borgere/forloeb/{placement.pk}/",
        "/borgere/timer/",
        "/virksomheder/",
        f"/virksomheder/{company.pk}/",
        f"/virksomheder/opgaver/{task.pk}/",
        f"/borgere/{citizen.pk}/forloeb/ny/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > inner:
            wide.append((url, width))
    assert not wide, wide


def test_on_a_phone_the_menu_and_the_filters_fold_away(
    page: Any, team: Team, jobformidler: User
) -> None:
    CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Aisha")
    page.set_viewport_size(PHONE)
    login(page, "jf")
    page.goto("/borgere/")
    page.wait_for_load_state("networkidle")
    bar = page.locator("header.topbar")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    toggle = page.get_by_role("button", name="Menu")
    # One line: the brand and the Menu button; the menu and the log-out behind it.
    assert bar.evaluate("b => b.getBoundingClientRect().height") < 60
    assert not nav.is_visible() and not page.get_by_role("button", name="Log ud").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Min dag").is_visible()
    assert page.get_by_role("button", name="Log ud").is_visible()
    assert_accessible(page)
    # The list's filters are folded: the name search and the first rows are on screen.
    filters = page.locator("details.filter-more")
    assert filters.evaluate("d => d.open") is False
    assert not page.get_by_label("Trin").is_visible()
    table_top = page.locator("#caseload-results").evaluate(
        "e => e.getBoundingClientRect().top + scrollY"
    )
    assert table_top < 844, table_top
    page.get_by_text("Filtre og sortering").click()
    assert page.get_by_label("Trin").is_visible()
    assert_no_sideways_scroll(page)
    assert_no_csp_errors(page)

    # On a desktop both stay open and the button is not there.
    page.set_viewport_size(DESKTOP)
    page.goto("/borgere/")
    page.wait_for_load_state("networkidle")
    assert nav.is_visible() and not toggle.is_visible()
    assert page.locator("details.filter-more").evaluate("d => d.open") is True


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_choose_several_staff_by_typing_instead_of_ctrl_click(
    page: Any, team: Team, konsulent: User, viewport: dict[str, int]
) -> None:
    """The task mapping's participants (29 staff in the demo, hundreds at scale): a searchable
    list of the chosen ones with a remove button each, not a Ctrl-click multi-select."""
    from companies.models import MappingSession
    from substitution.models import Role
    from tests.factories.org import make_staff

    for n in range(30):
        make_staff(Role.JOBFORMIDLER, team, username=f"jf{n:02d}", first_name=f"Kollega{n:02d}")
    make_staff(Role.JOBFORMIDLER, team, username="birte", first_name="Birte", last_name="Åby")
    make_staff(Role.MENTOR, team, username="ole", first_name="Ole", last_name="Xøby")
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    login(page, "vk")
    page.set_viewport_size(viewport)
    page.goto(f"/virksomheder/{company.pk}/kortlaegning/")
    field = page.get_by_role("combobox", name="Deltagere fra jobcentret")
    chosen = page.get_by_role("list", name="Valgte: Deltagere fra jobcentret")
    # The user opening the form is chosen already.
    assert chosen.get_by_role("listitem").count() == 1
    field.fill("birt")
    page.get_by_role("option", name="Birte Åby").click()
    field.fill("xø")
    page.get_by_role("option", name="Ole Xøby").wait_for()
    field.press("ArrowDown")
    field.press("Enter")
    assert "Birte Åby" in chosen.inner_text() and "Ole Xøby" in chosen.inner_text()
    assert field.input_value() == ""
    # Removing one takes it off the list (and out of what is posted).
    chosen.get_by_role("button", name="Fjern Birte Åby").click()
    assert "Birte Åby" not in chosen.inner_text()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.get_by_label("Virksomhedens udfordringer med egne ord").fill("Travlt i frokosten.")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state()
    session = MappingSession.objects.get()
    names = {u.get_full_name() for u in session.participants.all()}
    assert names == {konsulent.get_full_name(), "Ole Xøby"}
    assert_no_csp_errors(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_search_from_every_page(
    page: Any, team: Team, jobformidler: User, viewport: dict[str, int]
) -> None:
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aisha", last_name="Kvistgaard"
    )
    company = make_company(team.unit, "Kvistgaard Køkken ApS")
    make_task(company, "Opvask og salatbar")
    page.set_viewport_size(viewport)
    login(page, "jf")
    page.goto("/borgere/timer/")
    if viewport is PHONE:
        page.get_by_role("button", name="Menu").click()
    box = page.get_by_role("searchbox", name="Hurtigsøgning")
    box.fill("kvistgaard")
    box.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Søg", level=1).is_visible()
    results = page.locator("#search-results")
    assert "Aisha Kvistgaard" in results.inner_text()
    assert "Kvistgaard Køkken ApS" in results.inner_text()
    # Typing on the page updates the results in place.
    page.evaluate("window.__noReload = 'search'")
    page.get_by_label("Navn på borger, virksomhed (eller CVR-nummer) eller opgave").fill("salat")
    expect(results).not_to_contain_text("Aisha")
    assert page.get_by_role("link", name="Opvask og salatbar").is_visible()
    assert page.evaluate("window.__noReload") == "search"
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.get_by_label("Navn på borger, virksomhed (eller CVR-nummer) eller opgave").fill("aisha")
    page.get_by_role("link", name="Aisha Kvistgaard").click()
    page.wait_for_load_state()
    assert page.url.endswith(citizen.get_absolute_url())
    assert_no_csp_errors(page)


def test_create_the_company_mentor_from_inside_the_work_agreement(
    page: Any, team: Team, jobformidler: User
) -> None:
    from cases.placements.models import WorkAgreement

    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Aisha")
    company = make_company(team.unit, "Kantinen ved Åen ApS")
    placement = PlacementFactory.create(
        citizen=citizen,
        company=company,
        task=make_task(company, "Opvask"),
        starts_on=dt.date(2026, 11, 2),
    )
    login(page, "jf")
    page.goto(f"/borgere/forloeb/{placement.pk}/arbejdsaftale/")
    page.evaluate("window.__noReload = 'agreement'")
    page.locator("#id_tasks").fill("Opvask og klargøring")
    page.get_by_text("Opret ny kontaktperson hos Kantinen ved Åen ApS").click()
    page.locator("#id_ny_kontakt-name").fill("Åse Holm")
    page.get_by_role("button", name="Opret kontaktperson").click()
    page.locator("#id_company_mentor option:checked", has_text="Åse Holm").wait_for(
        state="attached"
    )
    assert page.evaluate("window.__noReload") == "agreement"
    # What was typed in the agreement is still there; saving it keeps the new mentor.
    assert page.locator("#id_tasks").input_value() == "Opvask og klargøring"
    assert_accessible(page)
    page.get_by_role("button", name="Gem arbejdsaftale").click()
    page.wait_for_load_state()
    agreement = WorkAgreement.objects.get(placement=placement)
    assert agreement.company_mentor is not None and agreement.company_mentor.name == "Åse Holm"
    assert_no_csp_errors(page)
