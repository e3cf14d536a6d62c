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
