"""The work agreement PDF: one page, and it contains the agreement's content (pypdf)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from cases.placements.models import OrdinaryHoursTerms
from companies.models import ContactPerson
from substitution.models import AuditEvent, Role
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WorkAgreementFactory, make_task


def test_pdf_contains_the_agreement(jf_client, team, jobformidler) -> None:
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Mette", last_name="Kjær", cpr="0101901234"
    )
    placement = PlacementFactory.create(
        citizen=citizen, type_code="virksomhedspraktik", starts_on=dt.date(2026, 3, 2)
    )
    mentor = ContactPerson.objects.create(
        company=placement.company, name="Jonas Holm", role="Køkkenchef", phone="12345678"
    )
    jc_mentor = make_staff(
        Role.MENTOR, team, username="mentor1", first_name="Sara", last_name="Lund"
    )
    WorkAgreementFactory.create(
        placement=placement,
        tasks="Opvask og klargøring af salatbar",
        working_hours="Mandag, onsdag og fredag kl. 8-12",
        sub_goals="Møde stabilt i fire uger",
        ordinary_hours_terms=OrdinaryHoursTerms.PAA_SIGT,
        ordinary_hours_target_date=dt.date(2026, 6, 1),
        follow_up_days=7,
        company_mentor=mentor,
        jobcentre_mentor=jc_mentor,
        aids="Sikkerhedssko",
        roles="Jonas oplærer; Sara følger op hver uge",
    )
    response = jf_client.get(reverse("cases:agreement_pdf", args=[placement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in [
        "Arbejdsaftale",
        "Mette Kjær",
        "010190-XXXX",
        "Bageriet A/S",
        "Virksomhedspraktik",
        "Opvask og klargøring af salatbar",
        "Mandag, onsdag og fredag kl. 8-12",
        "Møde stabilt i fire uger",
        "Ordinære timer på sigt",
        "1. juni 2026",
        "Hver 7. dag",
        "Jonas Holm",
        "Sara Lund",
        "Sikkerhedssko",
        "Jonas oplærer; Sara følger op hver uge",
        # Issued by the jobcentre, and signed by the three parties, each named under the line.
        team.unit.name,
        "Dato og underskrift, borger Mette Kjær",
        "Dato og underskrift, virksomhed Jonas Holm, Bageriet A/S",
        "Dato og underskrift, jobcenter",
    ]:
        assert expected in text, expected
    assert "0101901234" not in text
    assert AuditEvent.objects.filter(action="export", citizen_id=citizen.pk).exists()


def test_a_long_agreement_still_fits_on_one_page(jf_client, team, jobformidler) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team, jobformidler=jobformidler)
    )
    sentence = "Borgeren lærer opgaven at kende sammen med sin mentor og arbejder selvstændigt. "
    WorkAgreementFactory.create(
        placement=placement,
        tasks=sentence * 5,
        sub_goals="\n".join(f"{n}. {sentence}" for n in range(1, 5)),
        aids=sentence * 2,
        roles="\n".join(f"{who}: {sentence}" for who in ("Virksomheden", "Mentor", "Borgeren")),
    )
    response = jf_client.get(reverse("cases:agreement_pdf", args=[placement.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Dato og underskrift, borger" in reader.pages[0].extract_text()


def test_no_agreement_gives_404(jf_client, team, jobformidler) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team, jobformidler=jobformidler)
    )
    assert jf_client.get(reverse("cases:agreement_pdf", args=[placement.pk])).status_code == 404


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def test_signature_lines_address_and_one_tasks_row(team, jobformidler) -> None:
    """Issue 14, defect 3: the third signature line stays inside the right margin, the
    company's address has postal code and town, and the task is one "Opgaver" row."""
    from weasyprint import HTML

    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team, jobformidler=jobformidler),
        task=None,
    )
    company = placement.company
    company.address, company.postal_code, company.city = "Havnegade 4", "8000", "Aarhus C"
    company.save()
    placement.task = make_task(company, "Opvask og salatbar")
    placement.save()
    agreement = WorkAgreementFactory.create(placement=placement, tasks="Opvask hver formiddag")
    html = render_to_string(
        "cases/placements/agreement_pdf.html",
        {
            "placement": placement,
            "citizen": placement.citizen,
            "agreement": agreement,
            "jobformidler": jobformidler,
            "printed_on": dt.date(2026, 12, 2),
        },
    )
    page = HTML(string=html).render().pages[0]
    right_margin_mm = 16
    content_right = page.width - right_margin_mm * 96 / 25.4
    lines = [b for b in _boxes(page._page_box) if getattr(b, "element_tag", None) == "td"][-3:]
    assert len(lines) == 3
    for cell in lines:
        assert cell.border_box_x() + cell.border_width() <= content_right + 0.5
    text = " ".join(
        PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0].extract_text().split()
    )
    assert "Havnegade 4, 8000 Aarhus C" in text
    assert "Opgave " not in text.replace("Opgaver", "")
    assert "Opvask og salatbar" in text and "Opvask hver formiddag" in text
