"""The caseload (sagsstamme): who may reassign citizens and to whom (a team lead's bulk
reassignment), and the rows of the CSV export. Rules only, no HTTP; the list itself is
``queries.caseload_queryset``, the writer ``services.reassign_many``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from cases.citizens.models import Citizen
from cases.citizens.steps import step_label
from substitution import days
from substitution.models import Membership, Role, User

# Roles that may reassign citizens between jobformidlere.
REASSIGN_ROLES = (Role.TEAMLEDER, Role.LEDER, Role.ADMINISTRATOR)


def may_reassign(user: User) -> bool:
    return user.is_superuser or user.has_role(*REASSIGN_ROLES)


def reassignment_errors(user: User, citizens: list[Citizen], target: User | None) -> list[str]:
    """Danish reasons why ``user`` may not make ``target`` the jobformidler of ``citizens``
    (empty when allowed). ``citizens`` must already be limited to the visible ones."""
    if not may_reassign(user):
        return [_("Kun teamledere, ledere og administratorer kan omfordele borgere.")]
    errors: list[str] = []
    if not citizens:
        errors.append(_("Vælg mindst én borger."))
    if target is None:
        errors.append(_("Vælg den jobformidler, borgerne skal overdrages til."))
    if errors:
        return errors
    assert target is not None
    if not user.is_unit_wide:
        led = set(user.led_team_ids())
        outside = [c for c in citizens if c.team_id not in led]
        if outside:
            errors.append(
                _("Du kan kun omfordele borgere i de teams, du er teamleder for: %(names)s.")
                % {"names": ", ".join(c.full_name for c in outside[:5])}
            )
    target_teams = set(
        Membership.objects.filter(user=target, role=Role.JOBFORMIDLER).values_list(
            "team_id", flat=True
        )
    )
    wrong_team = sorted({c.team.name for c in citizens if c.team_id not in target_teams})
    if wrong_team:
        errors.append(
            _("%(user)s er ikke jobformidler i %(teams)s. Vælg en jobformidler fra borgerens team.")
            % {"user": target.get_full_name() or target.username, "teams": ", ".join(wrong_team)}
        )
    return errors


# --- CSV export --------------------------------------------------------------------------

EXPORT_HEADER = [
    "navn",
    "cpr",
    "trin",
    "ydelse",
    "visitationsgruppe",
    "jobformidler",
    "team",
    "dage_siden_samtale",
    "naeste_opfoelgning",
    "status",
]


def safe_cell(value: Any) -> Any:
    """Guard against spreadsheet formula injection: text starting with = + - @ (or a tab or
    carriage return) is prefixed with an apostrophe so Excel shows it as text."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def export_rows(citizens: Iterable[Citizen], day: dt.date | None = None) -> Iterator[list[Any]]:
    """One row per citizen of ``queries.caseload_queryset`` (the maintained ``current_step``,
    ``last_held_conversation_at`` and ``next_follow_up_on``), masked CPR only
    (``DDMMYY-XXXX``); text cells are made safe for spreadsheets (``safe_cell``)."""
    day = day or days.today()
    for c in citizens:
        since = days.days_since(c.last_held_conversation_at, day)
        follow_up = c.next_follow_up_on
        row = [
            c.full_name,
            c.masked_cpr,
            step_label(c.current_step),
            c.benefit_type.label if c.benefit_type else "",
            c.visitation_group.label if c.visitation_group else "",
            (c.jobformidler.get_full_name() or c.jobformidler.username) if c.jobformidler else "",
            c.team.name,
            "" if since is None else since,
            follow_up.isoformat() if follow_up else "",  # ISO 8601: any spreadsheet reads it
            c.get_status_display(),
        ]
        yield [safe_cell(value) for value in row]
