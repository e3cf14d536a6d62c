"""A virksomhedskonsulent creates a company (an invalid CVR first), logs a visit, maps two
tasks and sees a suitable citizen ranked first with the reasons shown. Real Chromium."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from cases.citizens.models import Consent, JobGoal
from companies.models import Company, Task
from substitution.models import Team, User
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_company_flow(page: Any, team: Team, konsulent: User) -> None:
    today = dt.date.today()
    best = CitizenFactory.create(
        team=team, first_name="Amira", last_name="Lager", postal_code="8000"
    )
    JobGoal.objects.create(citizen=best, title="Lagermedarbejder", hours_per_week=15)
    Consent.objects.create(citizen=best, given_on=today, scope="Deling med virksomheder")
    other = CitizenFactory.create(team=team, first_name="Bo", last_name="Kok", postal_code="2100")
    JobGoal.objects.create(citizen=other, title="Kok", hours_per_week=37)

    login(page, "vk")
    page.goto("/virksomheder/")
    assert_accessible(page)
    page.get_by_role("link", name="Opret virksomhed").click()
    page.get_by_label("CVR-nummer").fill("13585627")
    page.get_by_label("Navn").fill("Lageret Øst ApS")
    page.get_by_label("Postnummer").fill("8000")
    page.get_by_label("By", exact=True).fill("Aarhus C")
    page.get_by_role("button", name="Gem").click()
    field = page.locator(".field.has-error")
    assert "kontrolcifferet passer ikke" in field.inner_text()
    assert page.get_by_label("Navn").input_value() == "Lageret Øst ApS"
    assert page.get_by_label("CVR-nummer").input_value() == "13585627"
    assert_accessible(page)
    page.get_by_label("CVR-nummer").fill("13585628")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(re.compile(r"/virksomheder/\d+/$"))
    company = Company.objects.get(cvr="13585628")

    # Log a visit: one short form, no page reload. The date is typed the Danish way; an
    # impossible date is kept as typed with a Danish message beside it.
    page.evaluate("window.__marker = 1")
    date_input = page.get_by_label("Dato")
    assert date_input.get_attribute("type") == "text"
    assert date_input.input_value() == f"{today:%d.%m.%Y}"
    date_input.fill("31.02.2026")
    page.get_by_label("Kanal").select_option("besoeg")
    page.get_by_label("Formål").select_option("opsoegende")
    page.get_by_label("Resultat").fill("Besøg hos indehaveren; travlt på lageret.")
    page.get_by_role("button", name="Gem kontakt").click()
    # The message beside the field (the error summary above the form repeats it).
    page.locator(".field.has-error").get_by_text("Skriv en gyldig dato som dd.mm.åååå").wait_for()
    assert page.get_by_label("Dato").input_value() == "31.02.2026"
    assert page.get_by_label("Resultat").input_value().startswith("Besøg hos indehaveren")
    page.get_by_label("Dato").fill(f"{today:%d.%m.%Y}")
    page.get_by_role("button", name="Gem kontakt").click()
    # The message in the form (the live region, #a11y-live, repeats it).
    page.locator("#activity").get_by_text("Kontakten er registreret.").wait_for()
    assert page.evaluate("window.__marker") == 1
    assert "Besøg hos indehaveren" in page.locator(".company-timeline").inner_text()
    assert_accessible(page)

    # Map two tasks.
    page.get_by_role("link", name="Ny opgavekortlægning").click()
    page.get_by_label("Virksomhedens udfordringer med egne ord").fill("Faglærte pakker selv.")
    page.get_by_role("button", name="Gem").click()
    page.get_by_label("Titel").fill("Lagermedarbejder til pakning")
    page.get_by_label("Timer pr. uge").fill("15")
    page.get_by_role("button", name="Gem og tilføj endnu en").click()
    page.get_by_text("er gemt").wait_for()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Opvask i kantinen")
    page.get_by_label("Timer pr. uge").fill("7,5")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url(re.compile(r"/virksomheder/opgaver/\d+/$"))
    assert Task.objects.filter(company=company).count() == 2

    # The first task: the suitable citizen is ranked first, with the reasons.
    task = Task.objects.get(title="Lagermedarbejder til pakning")
    page.goto(f"/virksomheder/opgaver/{task.pk}/")
    panel = page.locator("#task-candidates")
    panel.wait_for()
    first = panel.locator(".match").first
    assert "Amira Lager" in first.inner_text()
    first.get_by_text("Hvorfor?").click()
    reasons = first.locator(".reasons").inner_text()
    assert "Jobmålet »Lagermedarbejder« matcher" in reasons
    assert "Samme postnummer (8000)" in reasons
    assert "Samtykke til at dele oplysninger" in reasons
    assert "Bo Kok" in panel.inner_text()
    assert_accessible(page)

    company_page = page.context.new_page()
    company_page.goto(f"/virksomheder/{company.pk}/")
    company_page.locator(".company-timeline").wait_for()
    assert "Kortlagt" in company_page.inner_text("h1")
    assert_accessible(company_page)
    assert_no_csp_errors(page)
