"""Editing a work agreement keeps mentors who have since been deactivated."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cases.placements.forms import WorkAgreementForm
from companies.models import ContactPerson
from substitution.models import Role, Team
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WorkAgreementFactory


def choices(form: forms.BaseForm, name: str) -> QuerySet[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    return field.queryset


def test_deactivated_mentors_stay_on_the_agreement_but_are_not_offered_elsewhere(
    team: Team,
) -> None:
    placement = PlacementFactory.create(citizen=CitizenFactory.create(team=team))
    old_contact = ContactPerson.objects.create(company=placement.company, name="Ole", active=True)
    other_inactive = ContactPerson.objects.create(
        company=placement.company, name="Åse", active=False
    )
    mentor = make_staff(Role.MENTOR, team, username="mentor_m")
    agreement = WorkAgreementFactory.create(
        placement=placement, company_mentor=old_contact, jobcentre_mentor=mentor
    )
    old_contact.active = False
    old_contact.save()
    mentor.is_active = False
    mentor.save()

    form = WorkAgreementForm(instance=agreement, placement=placement)
    assert old_contact in choices(form, "company_mentor")
    assert other_inactive not in choices(form, "company_mentor")
    assert mentor in choices(form, "jobcentre_mentor")

    fresh = WorkAgreementForm(placement=placement)
    assert old_contact not in choices(fresh, "company_mentor")
    assert mentor not in choices(fresh, "jobcentre_mentor")


def _agreement_data(terms: str) -> dict[str, str]:
    return {
        "tasks": "Opvask",
        "working_hours": "Man-ons 8-12",
        "ordinary_hours_terms": terms,
        "ordinary_hours_target_date": "01.06.2027",
        "follow_up_days": "14",
        "agreed_on": "01.12.2026",
    }


def test_ordinary_paid_hours_placement_has_ordinary_hours_from_start(team: Team) -> None:
    """Issue 14, defect 9: an "Ordinære løntimer / småjob" placement accepted an agreement
    saying "Ordinære timer på sigt"."""
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team), type_code="ordinaere-loentimer"
    )
    for terms in ("paa_sigt", "ingen"):
        form = WorkAgreementForm(_agreement_data(terms), placement=placement)
        assert not form.is_valid()
        assert "ordinære timer fra start" in form.errors["ordinary_hours_terms"][0]
    assert WorkAgreementForm(_agreement_data("fra_start"), placement=placement).is_valid()


def test_a_practice_placement_may_agree_ordinary_hours_later(team: Team) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team), type_code="virksomhedspraktik"
    )
    assert WorkAgreementForm(_agreement_data("paa_sigt"), placement=placement).is_valid()


def test_a_contact_person_is_created_from_inside_the_agreement(team: Team) -> None:
    """Issue 14: the company mentor list was empty; the agreement creates the person (htmx:
    the field comes back with the new person chosen), audited by the company's writer."""
    from django.urls import reverse

    from substitution.models import AuditAction, AuditEvent
    from tests.conftest import client_for

    jf = make_staff(Role.JOBFORMIDLER, team, username="jf_agree")
    placement = PlacementFactory.create(citizen=CitizenFactory.create(team=team, jobformidler=jf))
    client = client_for(jf)
    page = client.get(reverse("cases:agreement_edit", args=[placement.pk])).content.decode()
    assert 'form="ny-kontaktperson"' in page and 'id="ny-kontaktperson"' in page
    url = reverse("cases:agreement_contact_create", args=[placement.pk])

    # Without a name: the message beside the field, what was typed kept, nothing created.
    response = client.post(url, {"ny_kontakt-phone": "12345678"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Skriv kontaktpersonens navn." in html and 'value="12345678"' in html
    assert not ContactPerson.objects.exists()

    response = client.post(
        url,
        {"ny_kontakt-name": "Åse Holm", "ny_kontakt-role": "Køkkenchef"},
        HTTP_HX_REQUEST="true",
    )
    person = ContactPerson.objects.get()
    assert (person.company, person.name, person.role) == (
        placement.company,
        "Åse Holm",
        "Køkkenchef",
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="company-mentor-block"' in html
    assert f'<option value="{person.pk}" selected>Åse Holm' in html
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_repr__contains="Åse"
    ).exists()

    # Without JavaScript: back to the agreement form.
    plain = client.post(url, {"ny_kontakt-name": "Bo"})
    assert plain.status_code == 302
    assert plain["Location"] == reverse("cases:agreement_edit", args=[placement.pk])


def test_another_team_cannot_add_a_contact_person_to_the_agreement(
    team: Team, other_team: Team
) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    placement = PlacementFactory.create(citizen=CitizenFactory.create(team=team))
    outsider = make_staff(Role.JOBFORMIDLER, other_team, username="jf_other")
    url = reverse("cases:agreement_contact_create", args=[placement.pk])
    assert client_for(outsider).post(url, {"ny_kontakt-name": "X"}).status_code == 404
    assert not ContactPerson.objects.exists()
