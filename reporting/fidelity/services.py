"""The writers of the fidelity feature: nothing else saves its models (docs/architecture.md).

Each takes the acting user and an ``AuditContext`` (``SYSTEM`` from Celery), owns its
transaction and writes an audit row. Answers are audited as "submitted" or "saved as draft",
never with their values: they are shown only as aggregates (docs/fidelity.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.citizens.models import Citizen
from reporting.fidelity import queries, scoring
from reporting.fidelity.models import (
    Answer,
    DataFigure,
    Element,
    FidelityModel,
    Item,
    ModelVersion,
    OverallBand,
    Response,
    Round,
)
from substitution import audit, days, thresholds
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, Team, User


def default_period(opened_on: dt.date) -> tuple[dt.date, dt.date]:
    """The data period of a round opened on ``opened_on``: the 3 months up to that day."""
    return days.add_months(opened_on, -3) + dt.timedelta(days=1), opened_on


def respondents(teams: Iterable[Team], unit_id: int) -> dict[int, int]:
    """Staff member id -> the team their answer counts for: every jobformidler with a caseload
    (citizens assigned now whose status counts as caseload) in ``teams``; the team where most
    of that caseload is (ties: the lowest team id)."""
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    rows = (
        Citizen.objects.in_caseload(unit_id)
        .filter(team__in=list(teams), jobformidler__isnull=False, exit_date__isnull=True)
        .values_list("jobformidler_id", "team_id")
    )
    for user_id, team_id in rows:
        counts[user_id][team_id] += 1
    return {
        user_id: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for user_id, c in counts.items()
    }


@transaction.atomic
def open_round(
    *,
    actor: User,
    context: AuditContext,
    version: ModelVersion,
    kind: str,
    name: str,
    teams: Iterable[Team],
    closes_on: dt.date,
    period: tuple[dt.date, dt.date] | None = None,
    site_url: str = "",
    invite: bool = True,
) -> Round:
    """Open a round for ``teams`` (all visible to ``actor``), invite every staff member with a
    caseload in them (by e-mail unless ``invite`` is off: the demo data), and compute the
    round's measures."""
    teams = list(teams)
    allowed = set(queries.visible_team_ids(actor))
    if not teams or any(t.pk not in allowed for t in teams):
        raise PermissionDenied
    today = days.today()
    if closes_on < today:
        raise ValidationError({"closes_on": _("Lukkedatoen kan ikke ligge før i dag.")})
    unit_id = teams[0].unit_id
    first, last = period or default_period(today)
    rnd = Round.objects.create(
        unit_id=unit_id,
        version=version,
        kind=kind,
        name=name,
        opened_by=actor,
        opened_on=today,
        closes_on=closes_on,
        period_first=first,
        period_last=last,
        min_respondents=thresholds.get_int("fidelity_min_respondents", unit_id, today),
        site_url=site_url.rstrip("/"),
    )
    rnd.teams.set(teams)
    Response.objects.bulk_create(
        Response(round=rnd, user_id=user_id, team_id=team_id)
        for user_id, team_id in respondents(teams, unit_id).items()
    )
    refresh_figures(rnd)
    audit.write(actor, AuditAction.CREATE, rnd, context=context)
    if invite:
        transaction.on_commit(lambda: send_invitations(rnd.pk))
    return rnd


def answer_link(rnd: Round) -> str:
    return f"{rnd.site_url}{reverse('reporting:fidelity_answer', args=[rnd.pk])}"


def _mail(rnd: Round, users: Iterable[User], subject: str, opening: str) -> int:
    sent = 0
    closes = rnd.closes_on.strftime("%d.%m.%Y")
    for user in users:
        if not user.email:
            continue
        body = "\n\n".join(
            [
                _("Kære %(name)s") % {"name": user.get_full_name() or user.username},
                opening,
                _("Svar her: %(link)s") % {"link": answer_link(rnd)},
                _(
                    "Målingen lukker %(date)s. Dine svar vises aldrig enkeltvis, kun som "
                    "gennemsnit for teamet, når mindst %(n)s har svaret."
                )
                % {"date": closes, "n": rnd.min_respondents},
            ]
        )
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


def send_invitations(round_id: int) -> int:
    rnd = Round.objects.get(pk=round_id)
    users = User.objects.filter(fidelity_responses__round=rnd)
    return _mail(
        rnd,
        users,
        _("Fidelitetsmåling: %(name)s") % {"name": rnd.name},
        _("Du er inviteret til at besvare fidelitetsmålingen «%(name)s».") % {"name": rnd.name},
    )


@transaction.atomic
def send_reminders(today: dt.date | None = None) -> int:
    """Remind those who have not submitted, once per round, ``fidelity_reminder_days``
    before it closes (the daily Celery task)."""
    today = today or days.today()
    sent = 0
    for rnd in Round.objects.filter(
        closed_at__isnull=True, closes_on__gte=today, reminder_sent_on__isnull=True
    ):
        lead = thresholds.get_int("fidelity_reminder_days", rnd.unit_id, today)
        if (rnd.closes_on - today).days > lead:
            continue
        users = User.objects.filter(
            fidelity_responses__round=rnd, fidelity_responses__submitted_at__isnull=True
        )
        sent += _mail(
            rnd,
            users,
            _("Påmindelse: fidelitetsmåling %(name)s") % {"name": rnd.name},
            _("Du har endnu ikke besvaret fidelitetsmålingen «%(name)s».") % {"name": rnd.name},
        )
        Round.objects.filter(pk=rnd.pk).update(reminder_sent_on=today)
        audit.write(None, AuditAction.CHANGE, rnd, changes={"reminder_sent_on": [None, str(today)]})
    return sent


@transaction.atomic
def save_answers(
    response: Response,
    values: Mapping[int, int | None],
    *,
    submit: bool,
    actor: User,
    context: AuditContext,
) -> Response:
    """Save the staff member's own answers (a draft, or submitted: then final). ``values``:
    item id -> 1–5, or None for no answer (a missing answer, not a zero)."""
    response = Response.objects.select_for_update().select_related("round").get(pk=response.pk)
    if response.user_id != actor.pk:
        raise PermissionDenied
    if response.submitted_at is not None:
        raise ValidationError(_("Du har allerede besvaret denne måling."))
    if not response.round.is_open(days.today()):
        raise ValidationError(_("Målingen er lukket."))
    item_ids = set(
        Item.objects.filter(element__version_id=response.round.version_id).values_list(
            "pk", flat=True
        )
    )
    Answer.objects.filter(response=response).delete()
    Answer.objects.bulk_create(
        Answer(response=response, item_id=item_id, value=value)
        for item_id, value in values.items()
        if value is not None and item_id in item_ids and 1 <= value <= 5
    )
    now = timezone.now()
    response.saved_at = now
    if submit:
        response.submitted_at = now
    response.save(update_fields=["saved_at", "submitted_at"])
    audit.write(
        actor,
        AuditAction.CHANGE,
        response.round,
        context=context,
        changes={"besvarelse": ["", "indsendt" if submit else "kladde"]},
    )
    return response


def _require_manager(actor: User, rnd: Round) -> None:
    allowed = set(queries.visible_team_ids(actor))
    if not any(t.pk in allowed for t in rnd.teams.all()):
        raise PermissionDenied


@transaction.atomic
def close_round(rnd: Round, *, actor: User | None, context: AuditContext = SYSTEM) -> Round:
    """Close a round (early, or the task when its closing date has passed) and compute its
    measures again, so late data for the period is included."""
    if actor is not None:
        _require_manager(actor, rnd)
    if rnd.closed_at is not None:
        raise ValidationError(_("Målingen er allerede lukket."))
    rnd.closed_at = timezone.now()
    rnd.save(update_fields=["closed_at"])
    refresh_figures(rnd)
    audit.write(actor, AuditAction.CHANGE, rnd, context=context, changes={"lukket": ["", "ja"]})
    return rnd


@transaction.atomic
def extend_round(rnd: Round, closes_on: dt.date, *, actor: User, context: AuditContext) -> Round:
    _require_manager(actor, rnd)
    if rnd.closed_at is not None:
        raise ValidationError(_("Målingen er lukket og kan ikke forlænges."))
    if closes_on <= rnd.closes_on or closes_on < days.today():
        raise ValidationError({"closes_on": _("Vælg en dato efter den nuværende lukkedato.")})
    before = rnd.closes_on
    rnd.closes_on = closes_on
    rnd.reminder_sent_on = None
    rnd.save(update_fields=["closes_on", "reminder_sent_on"])
    audit.write(
        actor,
        AuditAction.CHANGE,
        rnd,
        context=context,
        changes={"closes_on": [str(before), str(closes_on)]},
    )
    return rnd


@transaction.atomic
def recompute_figures(rnd: Round, *, actor: User, context: AuditContext) -> Round:
    """Compute a round's measures again for its own period (data corrected since)."""
    _require_manager(actor, rnd)
    refresh_figures(rnd)
    audit.write(
        actor, AuditAction.CHANGE, rnd, context=context, changes={"data": ["", "genberegnet"]}
    )
    return rnd


def close_due(today: dt.date | None = None) -> int:
    """Close every round whose closing date has passed (the daily Celery task)."""
    today = today or days.today()
    due = Round.objects.filter(closed_at__isnull=True, closes_on__lt=today)
    closed = 0
    for rnd in due:
        close_round(rnd, actor=None)
        closed += 1
    return closed


@transaction.atomic
def refresh_figures(rnd: Round) -> None:
    """(Re)compute the round's measures for its period with the measures module: the data
    items of its version and the outcomes of the scatter, per team and for all its teams."""
    spec = scoring.specs([rnd.version_id])[rnd.version_id]
    slugs = [*spec.data_measures, *(s for s in scoring.OUTCOMES if s not in spec.data_measures)]
    team_ids = sorted(t.pk for t in rnd.teams.all())
    per_team, total = scoring.compute_figures(rnd, team_ids, slugs)
    DataFigure.objects.filter(round=rnd).delete()
    now = timezone.now()
    rows = [
        DataFigure(
            round=rnd,
            team_id=team_id,
            measure=slug,
            numerator=f.numerator,
            denominator=f.denominator,
            value=f.value,
            display=f.display,
            computed_at=now,
        )
        for team_id, figures in [*per_team.items(), (None, total)]
        for slug, f in figures.items()
    ]
    DataFigure.objects.bulk_create(rows)


@transaction.atomic
def new_version(
    model: FidelityModel, *, actor: User | None, context: AuditContext = SYSTEM
) -> ModelVersion:
    """A new version of ``model``, a copy of its latest, to edit (a version a round uses is
    locked: the round keeps being scored by it)."""
    latest = model.versions.order_by("-number").first()
    number = (latest.number + 1) if latest else 1
    version = ModelVersion.objects.create(model=model, number=number, note="")
    if latest is not None:
        OverallBand.objects.bulk_create(
            OverallBand(version=version, lower=b.lower, label=b.label) for b in latest.bands.all()
        )
        for element in latest.elements.prefetch_related("items"):
            copy = Element.objects.create(
                version=version,
                position=element.position,
                name=element.name,
                description=element.description,
                weight=element.weight,
            )
            Item.objects.bulk_create(
                Item(
                    element=copy,
                    position=i.position,
                    text=i.text,
                    scale=i.scale,
                    source=i.source,
                    measure=i.measure,
                    cut_2=i.cut_2,
                    cut_3=i.cut_3,
                    cut_4=i.cut_4,
                    cut_5=i.cut_5,
                    higher_is_better=i.higher_is_better,
                )
                for i in element.items.all()
            )
    audit.write(actor, AuditAction.CREATE, version, context=context)
    return version
