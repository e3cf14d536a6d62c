"""Audit retention: read events are kept ``AUDIT_READ_RETENTION_MONTHS`` (default 6), other
events ``AUDIT_OTHER_RETENTION_MONTHS`` (default 0: for ever). ``purge_audit_log`` is the
only code that deletes audit rows; the Celery beat task ``substitution.tasks.purge_audit_log``
runs it every night.

On PostgreSQL it calls ``substitution_audit_purge`` (migration 0004_wt15_audit_retention), a
``SECURITY DEFINER`` function of the table's owner that the application's role may only
execute; the insert-only trigger refuses every other DELETE. On SQLite there is no such
protection in the database: the model refuses deletes (``AuditQuerySet.delete``) and this
module deletes with plain SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from substitution import audit, days
from substitution.models import AuditAction, AuditEvent

READ_ACTIONS = (
    AuditAction.VIEW,
    AuditAction.REVEAL_CPR,
    AuditAction.EXPORT,
    AuditAction.SEARCH,
)
# What the database function refuses anyway (migration 0004_wt15_audit_retention).
MIN_READ_MONTHS = 1
MIN_OTHER_MONTHS = 12


@dataclass(frozen=True)
class Purge:
    read_before: dt.datetime
    other_before: dt.datetime | None
    deleted: int


def cutoffs(day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime | None]:
    """Start of the Copenhagen day ``months`` before ``day``: rows before it are due."""
    day = day or days.today()
    read_months: int = settings.AUDIT_READ_RETENTION_MONTHS
    other_months: int = settings.AUDIT_OTHER_RETENTION_MONTHS
    if read_months < MIN_READ_MONTHS:
        raise ImproperlyConfigured(
            f"AUDIT_READ_RETENTION_MONTHS must be at least {MIN_READ_MONTHS} (got {read_months})"
        )
    if other_months and other_months < MIN_OTHER_MONTHS:
        raise ImproperlyConfigured(
            f"AUDIT_OTHER_RETENTION_MONTHS must be 0 (keep) or at least {MIN_OTHER_MONTHS} "
            f"(got {other_months})"
        )
    read_before = days.start_of_day(days.add_months(day, -read_months))
    other_before = days.start_of_day(days.add_months(day, -other_months)) if other_months else None
    return read_before, other_before


def purge_audit_log(day: dt.date | None = None) -> Purge:
    """Delete the audit rows past their retention, and log how many went (one row, by the
    system), unless none did."""
    read_before, other_before = cutoffs(day)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT substitution_audit_purge(%s, %s)", [read_before, other_before])
            deleted = int(cursor.fetchone()[0])
        else:
            deleted = _delete_sqlite(cursor, read_before, other_before)
        if deleted:
            audit.write(
                None,
                AuditAction.DELETE,
                object_repr=f"Revisionslog: {deleted} hændelser over opbevaringstiden slettet",
                changes={
                    "slettet": deleted,
                    "laesninger_foer": read_before.isoformat(),
                    "oevrige_foer": other_before.isoformat() if other_before else None,
                },
            )
    return Purge(read_before=read_before, other_before=other_before, deleted=deleted)


def _delete_sqlite(
    cursor: CursorWrapper,
    read_before: dt.datetime,
    other_before: dt.datetime | None,
) -> int:
    table = AuditEvent._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value  # stored as UTC text
    reads = [str(action) for action in READ_ACTIONS]
    marks = ", ".join("%s" for _ in reads)
    cursor.execute(
        f"DELETE FROM {table} WHERE action IN ({marks}) AND at < %s", [*reads, adapt(read_before)]
    )
    deleted = int(cursor.rowcount)
    if other_before is not None:
        cursor.execute(
            f"DELETE FROM {table} WHERE action NOT IN ({marks}) AND at < %s",
            [*reads, adapt(other_before)],
        )
        deleted += int(cursor.rowcount)
    return deleted
