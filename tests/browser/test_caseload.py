"""Caseload list and import page in a real browser: filters apply without a page reload
(htmx swaps the results and pushes the URL); the pages are accessible and CSP-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from cases.citizens.assignments import assign
from cases.citizens.models import Citizen, VisitationGroup
from substitution.models import Role, Team
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory, JobGoalFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def caseload(code_lists: None, team: Team) -> None:
    jf = make_staff(Role.JOBFORMIDLER, team, username="mette", first_name="Mette")
    make_staff(Role.TEAMLEDER, team, username="tina")
    group_2 = VisitationGroup.objects.get(code="gruppe-2")
    anna = CitizenFactory.create(team=team, first_name="Anna", last_name="Andersen")
    bo = CitizenFactory.create(
        team=team, first_name="Bo", last_name="Berg", visitation_group=group_2
    )
    cai = CitizenFactory.create(team=team, first_name="Cai", last_name="Carlsen")
    for citizen in (anna, bo, cai):
        assign(citizen, jf)
    JobGoalFactory.create(citizen=anna)


def rows(page: Any) -> list[str]:
    return page.locator("#caseload-results tbody td.name a").all_inner_texts()


def test_filter_caseload_without_page_reload(page: Any, caseload: None) -> None:
    login(page, "tina")
    page.goto("/borgere/")
    assert page.get_by_role("heading", name="Borgere", level=1).is_visible()
    assert rows(page) == ["Anna Andersen", "Bo Berg", "Cai Carlsen"]
    assert_accessible(page)
    page.evaluate("window.__noReload = 'marker'")

    page.get_by_label("Trin").select_option(label="Trin 2 – På vej mod job")
    page.wait_for_url("**trin=2**")
    expect(page.locator("#caseload-results tbody td.name")).to_have_text(["Anna Andersen"])

    page.get_by_label("Trin").select_option(label="Alle")
    page.get_by_label("Søg efter navn").fill("carl")
    page.wait_for_url("**q=carl**")
    expect(page.locator("#caseload-results tbody td.name")).to_have_text(["Cai Carlsen"])

    page.get_by_label("Søg efter navn").fill("")
    page.get_by_label("Visitationsgruppe").select_option(label="Gruppe 2 – rehabilitering")
    page.wait_for_url("**visitationsgruppe=**")
    expect(page.locator("#caseload-results tbody td.name")).to_have_text(["Bo Berg"])
    assert rows(page) == ["Bo Berg"]

    assert page.evaluate("window.__noReload") == "marker"  # no full page load happened
    assert_accessible(page)
    assert_no_csp_errors(page)

    # The pushed URL reproduces the filtered list on a full load (and without JS).
    page.reload()
    assert rows(page) == ["Bo Berg"]


def test_cpr_never_reaches_a_url_and_team_lead_reassigns_from_the_list(
    page: Any, caseload: None, team: Team
) -> None:
    """A CPR number typed in the name search is not sent; the CPR lookup is a POST that opens
    the citizen; a team lead selects citizens in the list and reassigns them in one go."""
    other_jf = make_staff(Role.JOBFORMIDLER, team, username="ole", first_name="Ole")
    bo = Citizen.objects.get(first_name="Bo")
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    login(page, "tina")
    page.goto("/borgere/")
    page.get_by_label("Søg efter navn").fill(bo.cpr)
    expect(page.locator("#q-cpr-hint")).to_be_visible()
    page.get_by_label("Søg efter navn").fill("")

    page.get_by_label("Find borger på CPR-nummer").fill(f"{bo.cpr[:6]}-{bo.cpr[6:]}")
    page.get_by_role("button", name="Find borger").click()
    page.wait_for_url(f"**{bo.get_absolute_url()}")
    assert page.get_by_role("heading", name="Bo Berg", level=1).is_visible()
    assert not [url for url in urls if bo.cpr[:6] in url]
    page.wait_for_load_state("networkidle")  # the citizen page's lazy panels

    page.goto("/borgere/")
    page.get_by_label("Vælg alle borgere på siden").check()
    expect(page.get_by_role("button", name="Omfordel valgte (3)")).to_be_visible()
    page.get_by_label("Vælg Anna Andersen").uncheck()
    # Hundreds of jobformidlere in a jobcentre: a searchable field (issue 13).
    target = page.get_by_role("combobox", name="Overdrag de valgte borgere til")
    target.focus()
    page.keyboard.type("Ole")
    page.get_by_role("option", name=str(other_jf)).click()
    assert target.input_value() == str(other_jf)
    page.get_by_role("button", name="Omfordel valgte (2)").click()
    expect(page.get_by_text("2 borgere er overdraget til")).to_be_visible()
    assert sorted(
        Citizen.objects.filter(jobformidler=other_jf).values_list("first_name", flat=True)
    ) == ["Bo", "Cai"]
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_jobformidler_sees_own_caseload_and_team_toggle(page: Any, caseload: None) -> None:
    login(page, "mette")
    page.wait_for_load_state("networkidle")  # Min dag's lazy panels (SQLite: one writer)
    page.goto("/borgere/")
    assert page.get_by_label("Vis", exact=True).input_value() == "mine"
    assert len(rows(page)) == 3
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_import_page_is_accessible(page: Any, code_lists: None, team: Team) -> None:
    make_staff(Role.ADMINISTRATOR, team, username="ada")
    login(page, "ada")
    page.goto("/borgere/import/")
    assert page.get_by_role("heading", name="Import af borgere fra CSV").is_visible()
    assert_accessible(page)
    bad = "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
    bad += "jobformidler\r\n3102851234;Anna;Jensen;8000;løn;;;;ukendt\r\n"
    page.get_by_label("CSV-fil").set_input_files(
        files=[{"name": "borgere.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Upload og importér").click()
    page.wait_for_load_state()
    assert page.get_by_text("Intet er importeret.").first.is_visible()
    assert page.locator("table.import-errors tbody tr").count() == 3
    assert_accessible(page)
    assert_no_csp_errors(page)
