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
