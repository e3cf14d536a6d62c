"""Audit retention (substitution/retention.py, migration 0004_wt15_audit_retention): read
events go after AUDIT_READ_RETENTION_MONTHS, others after AUDIT_OTHER_RETENTION_MONTHS (0:
never), only through the purge, which on PostgreSQL is a SECURITY DEFINER function the
application's role may execute while it may not DELETE."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from pytest_django.fixtures import Settings

from substitution import days
from substitution.models import AuditAction, AuditEvent, User
from substitution.retention import purge_audit_log
from tests.substitution.test_audit_db_roles import acting_as, new_role, refused, sql

postgres = pytest.mark.postgres


def _event(user: User, action: str, months_ago: int, extra_days: int = 0) -> AuditEvent:
    at = days.start_of_day(days.add_months(days.today(), -months_ago)) - dt.timedelta(
        days=extra_days
    )
    return AuditEvent.objects.create(user=user, action=action, object_repr="x", at=at)


@pytest.fixture
def rows(jobformidler: User) -> dict[str, AuditEvent]:
    return {
        "old_view": _event(jobformidler, AuditAction.VIEW, 6, extra_days=1),
        "old_export": _event(jobformidler, AuditAction.EXPORT, 7),
        "old_search": _event(jobformidler, AuditAction.SEARCH, 7),
        "old_reveal": _event(jobformidler, AuditAction.REVEAL_CPR, 7),
        "new_view": _event(jobformidler, AuditAction.VIEW, 5),
        "edge_view": _event(jobformidler, AuditAction.VIEW, 6),
        "old_change": _event(jobformidler, AuditAction.CHANGE, 30),
        "new_change": _event(jobformidler, AuditAction.CHANGE, 7),
    }


def _left(rows: dict[str, AuditEvent]) -> set[str]:
    pks = set(AuditEvent.objects.values_list("pk", flat=True))
    return {name for name, row in rows.items() if row.pk in pks}


def test_read_events_older_than_six_months_are_deleted(rows: dict[str, AuditEvent]) -> None:
    assert django_settings.AUDIT_READ_RETENTION_MONTHS == 6
    result = purge_audit_log()
    assert result.deleted == 4
    assert _left(rows) == {"new_view", "edge_view", "old_change", "new_change"}
    # The purge is logged (by the system), so the log says what left it.
    log = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert log.user is None and log.changes["slettet"] == 4
    assert purge_audit_log().deleted == 0  # nothing more, and no new row
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


def test_other_events_are_kept_unless_configured(
    rows: dict[str, AuditEvent], settings: Settings
) -> None:
    settings.AUDIT_OTHER_RETENTION_MONTHS = 24
    settings.AUDIT_READ_RETENTION_MONTHS = 12
    assert purge_audit_log().deleted == 1
    assert "old_change" not in _left(rows)
    assert {"old_view", "new_change"} <= _left(rows)


def test_too_short_retention_is_refused(settings: Settings, db: None) -> None:
    settings.AUDIT_READ_RETENTION_MONTHS = 0
    with pytest.raises(ImproperlyConfigured):
        purge_audit_log()
    settings.AUDIT_READ_RETENTION_MONTHS = 6
    settings.AUDIT_OTHER_RETENTION_MONTHS = 3
    with pytest.raises(ImproperlyConfigured):
        purge_audit_log()


def test_the_nightly_beat_task_runs_the_purge(rows: dict[str, AuditEvent]) -> None:
    from substitution.tasks import purge_audit_log as task

    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-audit-log"]
    assert entry["task"] == "substitution.tasks.purge_audit_log"
    assert task.apply().get() == 4  # here, not through a broker


def test_the_model_still_refuses_deletes(rows: dict[str, AuditEvent]) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@postgres
def test_the_app_role_purges_only_through_the_function(rows: dict[str, AuditEvent]) -> None:
    role = new_role()
    call_command("grant_app_role", role, stdout=StringIO())
    with acting_as(role):
        refused("DELETE FROM substitution_auditevent", "permission denied")
        sql("SET substitution.audit_purge = 'on'")
        refused("DELETE FROM substitution_auditevent", "permission denied")
        sql("RESET substitution.audit_purge")
        # The function refuses to empty the log, whatever the caller asks for.
        refused("SELECT substitution_audit_purge(now(), NULL)", "at least one month")
        refused(
            "SELECT substitution_audit_purge(now() - interval '2 months', now())",
            "at least one year",
        )
        assert purge_audit_log().deleted == 4
    assert _left(rows) == {"new_view", "edge_view", "old_change", "new_change"}


@postgres
def test_no_other_role_may_execute_the_function(db: None) -> None:
    role = new_role()
    with acting_as(role):
        refused(
            "SELECT substitution_audit_purge(now() - interval '2 years', NULL)",
            "permission denied",
        )


@postgres
def test_outside_the_function_the_trigger_still_refuses_delete(
    rows: dict[str, AuditEvent],
) -> None:
    """The test runner is a superuser owning the table: the trigger stops it unless the
    purge's flag is set."""
    refused("DELETE FROM substitution_auditevent", r"insert-only \(DELETE rejected\)")
    owner = new_role()
    from tests.substitution.test_audit_db_roles import give_table_to

    give_table_to(owner)
    with acting_as(owner):
        refused("DELETE FROM substitution_auditevent", r"insert-only \(DELETE rejected\)")
    assert len(_left(rows)) == len(rows)
