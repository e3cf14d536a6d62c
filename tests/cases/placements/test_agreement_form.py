"""Editing a work agreement keeps mentors who have since been deactivated."""

from __future__ import annotations

from cases.placements.forms import WorkAgreementForm
from companies.models import ContactPerson
from substitution.models import Role, Team
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WorkAgreementFactory


def test_deactivated_mentors_stay_on_the_agreement_but_are_not_offered_elsewhere(
    team: Team,
) -> None:
    placement = PlacementFactory(citizen=CitizenFactory(team=team))
    old_contact = ContactPerson.objects.create(company=placement.company, name="Ole", active=True)
    other_inactive = ContactPerson.objects.create(
        company=placement.company, name="Åse", active=False
    )
    mentor = make_staff(Role.MENTOR, team, username="mentor_m")
    agreement = WorkAgreementFactory(
        placement=placement, company_mentor=old_contact, jobcentre_mentor=mentor
    )
    old_contact.active = False
    old_contact.save()
    mentor.is_active = False
    mentor.save()

    form = WorkAgreementForm(instance=agreement, placement=placement)
    assert old_contact in form.fields["company_mentor"].queryset
    assert other_inactive not in form.fields["company_mentor"].queryset
    assert mentor in form.fields["jobcentre_mentor"].queryset

    fresh = WorkAgreementForm(placement=placement)
    assert old_contact not in fresh.fields["company_mentor"].queryset
    assert mentor not in fresh.fields["jobcentre_mentor"].queryset
