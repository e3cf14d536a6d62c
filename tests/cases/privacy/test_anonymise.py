"""Anonymisation of long-closed cases (cases/privacy/anonymise.py, services.py, the
``anonymise`` command and the beat task)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from pytest_django.fixtures import Settings

from cases.citizens.models import Barrier, Citizen, CitizenStatus, Plan
from cases.privacy import anonymise
from cases.privacy.access import collect, collected_models
from cases.tasks import anonymise_closed_cases
from substitution.models import AuditAction, AuditEvent, FollowUp, Team, Threshold, User
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    JobGoalFactory,
    SubGoalFactory,
)
from tests.factories.org import TeamFactory
from tests.factories.placements import WorkAgreementFactory

# The suite's clock: 2026-12-02. Five years back: 2021-12-02.
OLD = dt.date(2021, 12, 1)
RECENT = dt.date(2021, 12, 2)
SECRETS = ("Ida", "Hemmelig", "12345678", "Gyden 7", "skilsmisse", "Ring til Ida", "ryg")


def _closed(team: Team, on: dt.date, **kwargs: object) -> Citizen:
    return CitizenFactory.create(
        team=team, status=CitizenStatus.AFSLUTTET, exit_date=on, status_changed_on=on, **kwargs
    )


@pytest.fixture
def old(team: Team, jobformidler: User) -> Citizen:
    citizen = _closed(
        team,
        OLD,
        first_name="Ida",
        last_name="Hemmelig",
        phone="12345678",
        address="Gyden 7",
        email="ida@example.dk",
        resources="Gode til skilsmisse-samtaler",
    )
    citizen.barriers.add(Barrier.objects.first())  # type: ignore[arg-type]
    JobGoalFactory.create(citizen=citizen, title="Gartner", experience="ryg problemer")
    ConversationFactory.create(citizen=citizen, author=jobformidler, note="Talte om skilsmisse")
    SubGoalFactory.create(citizen=citizen, title="Ida skal have ryg behandlet", owner="Ida")
    Plan.objects.filter(citizen=citizen).update(end_goal="Ida i job trods ryg")
    FollowUpFactory.create(subject=citizen, owner=jobformidler, title="Ring til Ida")
    WorkAgreementFactory.create(placement__citizen=citizen, aids="Hæve-sænkebord for ryg")
    return citizen


@pytest.fixture
def others(team: Team) -> list[Citizen]:
    return [
        _closed(team, RECENT, first_name="Nylig"),
        CitizenFactory.create(team=team, status_changed_on=OLD, first_name="Aktiv"),
    ]


def test_only_cases_closed_more_than_five_years_ago_are_due(
    old: Citizen, others: list[Citizen]
) -> None:
    assert [(d.citizen_id, d.closed_on, d.years) for d in anonymise.due()] == [(old.pk, OLD, 5)]


def test_the_limit_is_data_per_jobcentre(old: Citizen) -> None:
    Threshold.objects.create(
        key="anonymise_after_years",
        unit=old.unit,
        value=Decimal(10),
        valid_from=dt.date(2000, 1, 1),
    )
    assert anonymise.due() == []
    other = _closed(TeamFactory.create(), OLD)
    assert [d.citizen_id for d in anonymise.due()] == [other.pk]  # the default elsewhere
    Threshold.objects.filter(unit=old.unit).update(value=Decimal(0))
    assert anonymise.years_for(old.unit, dt.date(2026, 12, 2)) == 1  # never below one year


def test_dry_run_reports_and_changes_nothing(old: Citizen, others: list[Citizen]) -> None:
    out = StringIO()
    call_command("anonymise", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"borger {old.pk}, afsluttet 01.12.2021" in text
    assert "1 borger(e)" in text and "intet er ændret" in text
    assert "Ida" not in text  # no names in the report
    old.refresh_from_db()
    assert old.first_name == "Ida" and old.anonymised_on is None


def test_anonymise_removes_personal_data_and_is_audited(
    old: Citizen, others: list[Citizen], jobformidler: User
) -> None:
    cpr = old.cpr
    out = StringIO()
    call_command("anonymise", stdout=out)
    assert "1 borger(e) anonymiseret" in out.getvalue()
    old.refresh_from_db()
    assert old.full_name == "Anonymiseret" and old.anonymised_on == dt.date(2026, 12, 2)
    assert old.cpr != cpr and old.cpr.startswith("00") and len(old.cpr) == 10
    assert not old.barriers.exists()
    assert old.status == CitizenStatus.AFSLUTTET and old.exit_date == OLD  # statistics kept
    assert old.placements.count() == 1 and old.job_goals.get().title == "Gartner"
    data = collect(old, jobformidler, include_cpr=True).as_json()
    data.pop("adgangslog")  # the insert-only audit log is not rewritten
    text = json.dumps(data, ensure_ascii=False)
    for secret in (*SECRETS, cpr):
        assert secret not in text, secret
    row = AuditEvent.objects.get(action=AuditAction.CHANGE, citizen_id=old.pk)
    assert row.user is None and "Ida" not in row.object_repr
    assert {c.first_name for c in others} == {"Nylig", "Aktiv"}
    call_command("anonymise", stdout=StringIO())  # once only
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, citizen_id=old.pk).count() == 1
    assert FollowUp.objects.get().title == "Opfølgning"


def test_the_beat_job_reports_until_enabled(old: Citizen, settings: Settings) -> None:
    # apply(): run here, never through a broker (with REDIS_URL set .delay() would wait for a
    # worker); the task's wiring to a worker is tests/substitution/test_celery.py's.
    assert "anonymise-closed-cases" in settings.CELERY_BEAT_SCHEDULE
    settings.ANONYMISE_ENABLED = False
    assert anonymise_closed_cases.apply().get() == {"due": 1, "anonymised": 0}
    old.refresh_from_db()
    assert old.anonymised_on is None
    settings.ANONYMISE_ENABLED = True
    assert anonymise_closed_cases.apply().get() == {"due": 1, "anonymised": 1}
    old.refresh_from_db()
    assert old.first_name == "Anonymiseret"


def test_every_free_text_about_the_citizen_is_anonymised_or_kept_on_purpose() -> None:
    covered = {
        f"{model._meta.label}.{name}"
        for model, (_path, values) in anonymise.FIELDS.items()
        for name in values
    } | set(anonymise.KEPT)
    texts = sorted(
        f"{model._meta.label}.{f.name}"
        for model in collected_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
    )
    assert [name for name in texts if name not in covered] == []
