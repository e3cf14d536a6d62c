"""companies/services.py: the pipeline's dated status history, moves forward only, and the
fixed-contact history."""

from __future__ import annotations

import datetime as dt

import pytest

from companies import services
from companies.forms import MappingSessionForm
from companies.models import Company, CompanyStatusChange, FixedContactPeriod, PipelineStatus
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.factories.companies import CompanyFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_status_history_has_a_dated_row_per_change(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit)
    services.start_history(company, actor=konsulent, on=DAY)
    services.change_status(
        company, PipelineStatus.KONTAKTET, actor=konsulent, on=DAY + dt.timedelta(1)
    )
    assert services.change_status(company, PipelineStatus.KONTAKTET, actor=konsulent) is None
    services.change_status(
        company, PipelineStatus.SAMARBEJDE, actor=konsulent, on=DAY + dt.timedelta(9)
    )
    company.refresh_from_db()
    assert company.status == PipelineStatus.SAMARBEJDE
    assert list(
        CompanyStatusChange.objects.filter(company=company).values_list("status", "changed_on")
    ) == [
        ("emne", DAY),
        ("kontaktet", DAY + dt.timedelta(1)),
        ("samarbejde", DAY + dt.timedelta(9)),
    ]


def _record_mapping(company: Company, actor: User) -> None:
    form = MappingSessionForm({"held_on": f"{DAY:%d.%m.%Y}"}, unit_id=company.unit_id)
    assert form.is_valid(), form.errors
    services.record_mapping(form, company=company, actor=actor)


def test_mapping_moves_to_kortlagt_only_forward(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit, status=PipelineStatus.KONTAKTET)
    _record_mapping(company, konsulent)
    company.refresh_from_db()
    assert company.status == PipelineStatus.KORTLAGT
    partner = CompanyFactory.create(unit=konsulent.unit, status=PipelineStatus.SAMARBEJDE)
    _record_mapping(partner, konsulent)
    partner.refresh_from_db()
    assert partner.status == PipelineStatus.SAMARBEJDE


def test_fixed_contact_history(team: Team, konsulent: User) -> None:
    other = make_staff(Role.VIRKSOMHEDSKONSULENT, team, username="vk2")
    company = CompanyFactory.create(unit=team.unit)
    services.assign_fixed_contact(company, konsulent, actor=konsulent, on=DAY)
    assert services.assign_fixed_contact(company, konsulent, actor=konsulent, on=DAY) is None
    services.assign_fixed_contact(company, other, actor=konsulent, on=DAY + dt.timedelta(30))
    company.refresh_from_db()
    assert company.fixed_contact == other
    assert list(
        FixedContactPeriod.objects.filter(company=company).values_list(
            "consultant", "started_on", "ended_on"
        )
    ) == [
        (konsulent.pk, DAY, DAY + dt.timedelta(30)),
        (other.pk, DAY + dt.timedelta(30), None),
    ]


def test_a_call_without_a_request_is_audited_with_its_actor(konsulent: User) -> None:
    """A service called from Celery, a command or the shell (context SYSTEM) audits the same
    way as from a view: the actor, no client address."""
    company = CompanyFactory.create(unit=konsulent.unit)
    services.change_status(company, PipelineStatus.INAKTIV, actor=konsulent)
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(company.pk))
    assert (event.user, event.ip_address) == (konsulent, None)
    assert event.changes == {"status": ["emne", "inaktiv"]}
