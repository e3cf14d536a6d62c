"""The right of access (GDPR art. 15): everything stored about one citizen, as data.

``collect`` walks every table that holds rows about the citizen (the citizen record and its
barriers, assignments, job goals, consents, plan with sub-goals, reviews and revisions,
conversations and their revisions, follow-ups, match proposals, candidate shares, placements
with work agreements, weekly hours and their revisions, and the audit log's rows about the
citizen) and serialises every stored field of each row, so a field added to a model is in the
export without anyone remembering it. ``tests/cases/privacy/test_access.py`` fails when a new
model points at the citizen and is not collected here.

The CPR number is in the export only for a user whose role may reveal it
(``Cap.CPR_REVEAL``); for anyone else the record shows the masked number and every text in the
export has CPR-looking numbers masked (a note may quote one). Consents carry their state on the
day of the export: a withdrawn consent says so, with the day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from cases.citizens import cpr
from cases.citizens.followups import citizen_type
from cases.citizens.models import (
    Assignment,
    BenefitPeriod,
    Citizen,
    CitizenMonth,
    Consent,
    Conversation,
    ConversationRevision,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    SubGoal,
    VisitationPeriod,
)
from cases.matching.models import CandidateShare, MatchProposal
from cases.placements.models import Placement, WeeklyHours, WeeklyHoursRevision, WorkAgreement
from substitution import audit, days
from substitution.log_scrub import scrub
from substitution.models import AuditEvent, FollowUp, User

# Bookkeeping columns that say nothing about the citizen.
SKIPPED_FIELDS = frozenset({"version", "search_vector"})


@dataclass(frozen=True)
class Extra:
    """Rows about a citizen kept by a package above this one (docs/architecture.md: reporting's
    case review decisions), registered at start-up (``register``) like the timeline sources."""

    key: str
    title: str
    model: type[models.Model]
    rows: Callable[[Citizen], QuerySet[Any]]
    skip: frozenset[str] = frozenset()


EXTRAS: list[Extra] = []


def register(extra: Extra) -> None:
    if all(e.key != extra.key for e in EXTRAS):
        EXTRAS.append(extra)


def collected_models() -> frozenset[type[models.Model]]:
    """The models ``collect`` takes rows from (the test checks that nothing is missing)."""
    return frozenset({e.model for e in EXTRAS}) | frozenset(
        {
            Citizen,
            Assignment,
            BenefitPeriod,
            VisitationPeriod,
            JobGoal,
            Consent,
            Plan,
            SubGoal,
            ProgressReview,
            PlanRevision,
            Conversation,
            ConversationRevision,
            FollowUp,
            MatchProposal,
            CandidateShare,
            Placement,
            WorkAgreement,
            WeeklyHours,
            WeeklyHoursRevision,
            CitizenMonth,
            AuditEvent,
        }
    )


@dataclass
class Section:
    key: str
    title: str
    labels: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def display_rows(self) -> list[list[tuple[str, str]]]:
        """Each row as (label, text) pairs for the PDF."""
        return [
            [(self.labels.get(name, name), _text(value)) for name, value in row.items()]
            for row in self.rows
        ]


@dataclass
class AccessExport:
    citizen: Citizen
    generated_at: dt.datetime
    generated_by: str
    includes_cpr: bool
    sections: list[Section]

    def as_json(self) -> dict[str, Any]:
        return {
            "udtraek": {
                "borger_id": self.citizen.pk,
                "dannet": self.generated_at.isoformat(),
                "dannet_af": self.generated_by,
                "fuldt_cpr_nummer": self.includes_cpr,
            },
            **{section.key: section.rows for section in self.sections},
        }


def _value(obj: models.Model, f: models.Field[Any, Any]) -> Any:
    if f.is_relation:
        related = getattr(obj, f.name)
        return None if related is None else str(related)
    value = getattr(obj, f.attname)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(model: type[models.Model], skip: frozenset[str]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and f.name not in skip
    ]


def _section(
    key: str,
    title: str,
    rows: QuerySet[Any] | list[Any],
    model: type[models.Model],
    *,
    skip: frozenset[str] = frozenset(),
    extra: dict[str, str] | None = None,
) -> Section:
    fields = _fields(model, skip)
    labels = {f.name: str(f.verbose_name) for f in fields}
    labels.update(extra or {})
    section = Section(key=key, title=title, labels=labels)
    for obj in rows:
        row = {f.name: _value(obj, f) for f in fields}
        for name in extra or {}:
            row[name] = getattr(obj, f"export_{name}", None)
        section.rows.append(row)
    return section


def collect(citizen: Citizen, user: User, *, include_cpr: bool) -> AccessExport:
    """Everything stored about ``citizen``; ``include_cpr`` only for a role that may reveal
    the number (the caller decides with ``Cap.CPR_REVEAL``)."""
    today = days.today()
    citizen_rows = Citizen.objects.filter(pk=citizen.pk).select_related(
        "unit",
        "team",
        "benefit_type",
        "readiness",
        "visitation_group",
        "exit_reason",
        "jobformidler",
    )
    record = _section("borger", "Borger", citizen_rows, Citizen, extra={"barrierer": "Barrierer"})
    # Citizen has a many-to-many the generic walk does not see.
    record.rows[0]["barrierer"] = [str(b) for b in citizen.barriers.all()]
    record.rows[0]["cpr"] = cpr.formatted(citizen.cpr) if include_cpr else cpr.mask(citizen.cpr)

    consents = list(Consent.objects.filter(citizen=citizen).select_related("recorded_by"))
    for consent in consents:
        consent.export_status = (  # type: ignore[attr-defined]
            "aktivt"
            if consent.is_active(today)
            else f"tilbagekaldt {consent.withdrawn_on:%d.%m.%Y}"
            if consent.withdrawn_on is not None and consent.withdrawn_on <= today
            else "ikke trådt i kraft"
        )

    plan = Plan.objects.filter(citizen=citizen)
    sub_goals = SubGoal.objects.filter(plan__citizen=citizen).select_related("plan")
    conversations = Conversation.objects.filter(citizen=citizen).select_related(
        "author", "kind", "channel", "placement", "follow_up"
    )
    placements = Placement.objects.filter(citizen=citizen).select_related(
        "company", "task", "type", "end_reason", "created_by", "from_proposal"
    )
    audit_rows = (
        AuditEvent.objects.filter(audit.shown_citizen(citizen.pk))
        .select_related("user", "object_type")
        .order_by("at", "pk")
    )
    sections = [
        record,
        _section(
            "tildelinger",
            "Personlig jobformidler (historik)",
            Assignment.objects.filter(citizen=citizen).select_related(
                "jobformidler", "assigned_by"
            ),
            Assignment,
            skip=frozenset({"citizen"}),
        ),
        _section(
            "ydelsesperioder",
            "Ydelser (perioder)",
            BenefitPeriod.objects.filter(citizen=citizen).select_related("benefit_type"),
            BenefitPeriod,
            skip=frozenset({"citizen"}),
        ),
        _section(
            "visitationsperioder",
            "Visitation (perioder)",
            VisitationPeriod.objects.filter(citizen=citizen).select_related("group"),
            VisitationPeriod,
            skip=frozenset({"citizen"}),
        ),
        _section(
            "jobmaal",
            "Jobmål",
            JobGoal.objects.filter(citizen=citizen),
            JobGoal,
            skip=frozenset({"citizen"}),
        ),
        _section(
            "samtykker",
            "Samtykker",
            consents,
            Consent,
            skip=frozenset({"citizen"}),
            extra={"status": "Status på udtræksdagen"},
        ),
        _section("plan", "Plan", plan, Plan, skip=frozenset({"citizen"})),
        _section("delmaal", "Delmål", sub_goals, SubGoal, skip=frozenset({"plan"})),
        _section(
            "progressionsvurderinger",
            "Progressionsvurderinger",
            ProgressReview.objects.filter(sub_goal__plan__citizen=citizen).select_related(
                "sub_goal", "by"
            ),
            ProgressReview,
        ),
        _section(
            "planrevisioner",
            "Planens tidligere udgaver",
            PlanRevision.objects.filter(plan__citizen=citizen).select_related("by"),
            PlanRevision,
            skip=frozenset({"plan"}),
        ),
        _section("samtaler", "Samtaler", conversations, Conversation, skip=frozenset({"citizen"})),
        _section(
            "samtalerevisioner",
            "Samtalers tidligere udgaver",
            ConversationRevision.objects.filter(conversation__citizen=citizen).select_related(
                "conversation", "by"
            ),
            ConversationRevision,
        ),
        _section(
            "opfoelgninger",
            "Opfølgninger",
            FollowUp.objects.filter(subject_type=citizen_type(), subject_id=citizen.pk)
            .select_related("owner")
            .order_by("due_on", "pk"),
            FollowUp,
            skip=frozenset({"subject_type", "subject_id"}),
        ),
        _section(
            "matchforslag",
            "Matchforslag",
            MatchProposal.objects.filter(citizen=citizen).select_related("task", "created_by"),
            MatchProposal,
            skip=frozenset({"citizen"}),
        ),
        _section(
            "delinger",
            "Delt med virksomheder",
            CandidateShare.objects.filter(citizen=citizen).select_related("task", "shared_by"),
            CandidateShare,
            skip=frozenset({"citizen"}),
        ),
        _section(
            "forloeb", "Virksomhedsforløb", placements, Placement, skip=frozenset({"citizen"})
        ),
        _section(
            "arbejdsaftaler",
            "Arbejdsaftaler",
            WorkAgreement.objects.filter(placement__citizen=citizen).select_related(
                "placement", "company_mentor", "jobcentre_mentor"
            ),
            WorkAgreement,
        ),
        _section(
            "timer",
            "Ordinære timer",
            WeeklyHours.objects.filter(placement__citizen=citizen).select_related(
                "placement", "registered_by"
            ),
            WeeklyHours,
        ),
        _section(
            "timerevisioner",
            "Timers tidligere værdier",
            WeeklyHoursRevision.objects.filter(
                weekly_hours__placement__citizen=citizen
            ).select_related("weekly_hours", "replaced_by"),
            WeeklyHoursRevision,
        ),
        _section(
            "maanedsfakta",
            "Månedstal beregnet af forløb, timer og samtaler (til statistik)",
            CitizenMonth.objects.filter(citizen=citizen).order_by("month"),
            CitizenMonth,
            skip=frozenset({"citizen"}),
        ),
        *(_section(e.key, e.title, e.rows(citizen), e.model, skip=e.skip) for e in EXTRAS),
        _section(
            "adgangslog",
            "Hvem har set eller ændret oplysningerne (revisionslog)",
            audit_rows,
            AuditEvent,
            skip=frozenset({"citizen_id", "ip_address"}),
        ),
    ]
    if not include_cpr:
        for section in sections:
            section.rows = [_masked(row) for row in section.rows]
    return AccessExport(
        citizen=citizen,
        generated_at=days.now(),
        generated_by=str(user),
        includes_cpr=include_cpr,
        sections=sections,
    )


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value) or "–"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _masked(value: Any) -> Any:
    """``value`` with every CPR-looking number in its texts masked."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value
