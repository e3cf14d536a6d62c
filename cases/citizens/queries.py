"""Reads for the citizen pages and exports: querysets and annotations, never writes.

Every query of citizen data starts from ``Citizen.objects.visible_to(user)``, the one access
rule; a record the user may not see is a 404 (its existence is not revealed). Annotations
(the step, the last held conversation, the next open follow-up) are SQL subqueries, so a page
costs the same number of queries whatever the caseload.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models import Model as DjangoModel
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from cases.citizens import followups, reviews
from cases.citizens.models import (
    Citizen,
    CitizenQuerySet,
    Consent,
    Conversation,
    ConversationRevision,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    SubGoal,
    SubGoalStatus,
)
from cases.citizens.steps import with_step
from substitution import days
from substitution.models import FollowUp, FollowUpQuerySet, Membership, Role, User

# --- one record, or 404 ----------------------------------------------------------------------


def visible_citizen(request: HttpRequest, pk: int) -> Citizen:
    """The citizen ``pk`` if the user may see it, else 404 (existence is not revealed)."""
    return get_object_or_404(Citizen.objects.visible_to(request.user), pk=pk)


def _of_visible_citizens[M: DjangoModel](qs: QuerySet[M], user: User, path: str) -> QuerySet[M]:
    """Rows of ``qs`` whose citizen (reached by ``path``) the user may see."""
    return qs.filter(**{f"{path}__in": Citizen.objects.visible_to(user)})


def citizen_for_page(user: User, pk: int) -> Citizen:
    """The citizen page's citizen with the related rows the page prints (the step on today
    is the maintained ``current_step``, ``cases.citizens.facts``)."""
    return get_object_or_404(
        Citizen.objects.visible_to(user).select_related(
            "team",
            "jobformidler",
            "benefit_type",
            "readiness",
            "visitation_group",
            "exit_reason",
        ),
        pk=pk,
    )


def visible_conversation(user: User, pk: int) -> Conversation:
    return get_object_or_404(
        _of_visible_citizens(Conversation.objects.all(), user, "citizen").select_related(
            "citizen", "author", "kind", "channel"
        ),
        pk=pk,
    )


def visible_sub_goal(user: User, pk: int) -> SubGoal:
    return get_object_or_404(
        _of_visible_citizens(SubGoal.objects.all(), user, "plan__citizen").select_related(
            "plan__citizen"
        ),
        pk=pk,
    )


def visible_job_goal(user: User, pk: int) -> JobGoal:
    return get_object_or_404(_of_visible_citizens(JobGoal.objects.all(), user, "citizen"), pk=pk)


def visible_consent(user: User, pk: int) -> Consent:
    return get_object_or_404(_of_visible_citizens(Consent.objects.all(), user, "citizen"), pk=pk)


def visible_citizen_followups(user: User) -> QuerySet[FollowUp]:
    """Follow-ups whose subject is a citizen the user may see (the access rule applies)."""
    visible = Citizen.objects.visible_to(user).values("pk")
    return FollowUp.objects.filter(subject_type=followups.citizen_type(), subject_id__in=visible)


def visible_follow_up(user: User, pk: int) -> FollowUp:
    """A follow-up the user may mark done: their own, or one on a citizen they may see."""
    visible = visible_citizen_followups(user).values("pk")
    return get_object_or_404(
        FollowUp.objects.filter(Q(owner=user) | Q(pk__in=visible)).select_related("owner"),
        pk=pk,
    )


def cpr_matches(user: User, cpr: str) -> list[int]:
    """Ids of the visible citizens with this CPR number (at most two: one is a match)."""
    return list(Citizen.objects.visible_to(user).filter(cpr=cpr).values_list("pk", flat=True)[:2])


# --- the citizen page ------------------------------------------------------------------------


def follow_ups_of(citizen: Citizen) -> FollowUpQuerySet:
    return FollowUp.objects.for_subject(citizen).select_related("owner")


def plan_of(citizen: Citizen) -> Plan | None:
    return Plan.objects.filter(citizen=citizen).first()


def sub_goals_for_page(plan: Plan) -> list[SubGoal]:
    """The plan's sub-goals with ``last_review_on`` and their reviews, oldest first."""
    return list(
        reviews.with_last_review(plan.sub_goals.all()).prefetch_related(
            Prefetch("reviews", queryset=ProgressReview.objects.order_by("reviewed_on", "pk"))
        )
    )


def open_sub_goals(plan: Plan) -> list[SubGoal]:
    """The open sub-goals of a plan: what a progression review covers."""
    return list(plan.sub_goals.filter(status=SubGoalStatus.AABEN))


def plan_revisions(citizen: Citizen) -> list[PlanRevision]:
    return list(PlanRevision.objects.filter(plan__citizen=citizen).select_related("by"))


def conversation_revisions(conversation: Conversation) -> QuerySet[ConversationRevision]:
    return conversation.revisions.select_related("by")


# --- the caseload list and its export --------------------------------------------------------


def add_steps(citizens: list[Citizen], day: dt.date) -> None:
    """Set ``step`` on ``day`` on the rows of a page shown: today's is the maintained
    ``current_step`` (``cases.citizens.facts``; no query), another day's (a past period's
    drill-down) is computed by the rule (``cases.citizens.steps.step_on``) in one query over
    their primary keys, so the step costs what the page shows, not what the jobcentre holds."""
    if not citizens:
        return
    if day == days.today():
        for citizen in citizens:
            citizen.step = citizen.current_step  # type: ignore[attr-defined]
        return
    ids = [c.pk for c in citizens]
    annotated = with_step(Citizen.objects.filter(pk__in=ids), day)
    steps = dict(annotated.values_list("pk", "step"))  # type: ignore[misc]
    for citizen in citizens:
        citizen.step = steps[citizen.pk]  # type: ignore[attr-defined]


def caseload_list(user: User) -> CitizenQuerySet:
    """The caseload page's citizens: those ``user`` may see, with the related rows a row
    prints. Days since contact, the next follow-up and the step on today are the citizen's
    maintained columns (``cases.citizens.facts``), so a sort or filter by them over a whole
    jobcentre reads an index (docs/performance.md)."""
    return Citizen.objects.visible_to(user).select_related(
        "benefit_type", "visitation_group", "jobformidler"
    )


def caseload_queryset(user: User) -> CitizenQuerySet:
    """The citizens ``user`` may see: the CSV export, which writes every row (with the
    maintained ``current_step``, ``last_held_conversation_at`` and ``next_follow_up_on``)."""
    return caseload_list(user).select_related("team")


def reassign_targets(user: User, text: str = "") -> QuerySet[User]:
    """Jobformidlere a user may reassign citizens to: members (as jobformidler) of the teams
    the user leads, or of every team in the jobcentre for a leder/administrator; with
    ``text``, those whose name or user name contains every word of it (the searchable
    field)."""
    memberships = Membership.objects.filter(role=Role.JOBFORMIDLER)
    if user.is_superuser and user.unit_id is None:
        pass
    elif user.is_unit_wide:
        if user.unit_id is None:  # every team is in a jobcentre
            return User.objects.none()
        memberships = memberships.filter(team__unit_id=user.unit_id)
    else:
        memberships = memberships.filter(team_id__in=user.led_team_ids())
    found = User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
    return users_named(found, text)


def users_named(found: QuerySet[User], text: str = "") -> QuerySet[User]:
    """``found`` by name for a searchable user field: with ``text``, those whose name or user
    name contains every word of it."""
    for word in text.split():
        found = found.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return found.order_by("first_name", "last_name", "username").only(
        "pk", "first_name", "last_name", "username"
    )


def reassign_target(user: User, pk: int) -> User | None:
    """The chosen jobformidler, if a user of the reassigning user's jobcentre."""
    same_unit = Q(unit_id=user.unit_id) if user.unit_id is not None else Q(unit__isnull=True)
    return User.objects.filter(same_unit, pk=pk).first()


def citizens_to_reassign(user: User, ids: set[int]) -> list[Citizen]:
    """The chosen citizens among those ``user`` may see (fewer than ``ids`` when some are not)."""
    return list(
        Citizen.objects.visible_to(user).filter(pk__in=ids).select_related("team", "jobformidler")
    )


# --- Min dag ---------------------------------------------------------------------------------


def mentored_by(user: User, day: dt.date) -> Exists:
    """Citizens with an active placement (on ``day``) whose work agreement names ``user`` as
    the jobcentre mentor: a mentor's caseload. Placements sit in a layer above citizens
    (docs/architecture.md): the model is asked by name, so ``active_on`` stays the placement
    package's one definition of an active placement. Not an access rule: it only narrows
    ``Citizen.objects.visible_to``."""
    placements = apps.get_model("cases", "Placement").objects
    return Exists(
        placements.active_on(day).filter(citizen=OuterRef("pk"), agreement__jobcentre_mentor=user)
    )


def mine(user: User, day: dt.date | None = None) -> Q:
    """My caseload as a filter on visible citizens: those I am personal jobformidler for,
    and those I mentor on an active placement (``mentored_by``). The mentored ids are read
    first (a short list): "jobformidler = me OR id IN (…)" is two index scans, where an OR
    with the correlated EXISTS made PostgreSQL read the whole team (docs/performance.md)."""
    mentored = Citizen.objects.filter(mentored_by(user, day or days.today())).values_list(
        "pk", flat=True
    )
    return Q(jobformidler=user) | Q(pk__in=list(mentored))


def my_caseload(user: User, day: dt.date | None = None) -> CitizenQuerySet:
    """My caseload (``mine``) within what I may see, whose status counts as caseload
    (``caseload_statuses``)."""
    return Citizen.objects.visible_to(user).filter(mine(user, day)).in_caseload(user.unit_id)


def mentored_citizens(user: User, day: dt.date, limit: int) -> list[Citizen]:
    """The visible citizens I mentor on an active placement (``mentored_by``), by name."""
    return list(
        Citizen.objects.visible_to(user)
        .filter(mentored_by(user, day))
        .select_related("jobformidler")
        .order_by("first_name", "last_name", "pk")[:limit]
    )


def citizen_choices(user: User, text: str, mine_only: bool, limit: int) -> list[Citizen]:
    """Citizens for the searchable citizen field: every word of ``text`` in the first or last
    name (never a CPR number: typed text travels in a URL), my caseload only when
    ``mine_only`` (the quick-log on Min dag)."""
    qs: CitizenQuerySet = my_caseload(user) if mine_only else Citizen.objects.visible_to(user)
    if any(ch.isdigit() for ch in text):
        return []
    for word in text.split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(qs.order_by("first_name", "last_name", "pk")[:limit])


def caseload_for_log(user: User, caseload: CitizenQuerySet | None = None) -> QuerySet[Citizen]:
    """The citizen choices of the quick-log form on Min dag: ``caseload`` (``my_caseload``,
    when the page has it already) by name."""
    if caseload is None:
        caseload = my_caseload(user)
    return caseload.order_by("first_name", "last_name", "pk")


def due_counts(follow_ups: FollowUpQuerySet, day: dt.date) -> tuple[int, int]:
    """(open follow-ups due by ``day``, of which overdue) in one aggregate query. Within the
    open ones due by ``day``, overdue (FollowUp.is_overdue) is those due before it."""
    counts = follow_ups.due_by(day).aggregate(
        due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=day))
    )
    return counts["due"], counts["overdue"]


def my_due_follow_ups(user: User, day: dt.date, limit: int) -> list[FollowUp]:
    """My open follow-ups due by ``day``, earliest first, each with ``citizen`` (the visible
    citizen it is about, else None) and the overdue marks for the template."""
    due = list(
        FollowUp.objects.filter(owner=user)
        .due_by(day)
        .select_related("subject_type")
        .order_by("due_on", "pk")[:limit]
    )
    citizen_type = followups.citizen_type()
    citizen_ids = {f.subject_id for f in due if f.subject_type_id == citizen_type.pk}
    names = Citizen.objects.visible_to(user).in_bulk(citizen_ids) if citizen_ids else {}
    for item in due:
        item.citizen = (  # type: ignore[attr-defined]
            names.get(item.subject_id) if item.subject_type_id == citizen_type.pk else None
        )
    return followups.annotate_overdue(due, day)


def my_follow_ups(user: User, day: dt.date, limit: int) -> tuple[list[FollowUp], list[FollowUp]]:
    """Min dag's follow-ups, ordered by what to do now: (those due from ``day`` to the end of
    its week, earliest first; the overdue ones, most recent first), each list at most
    ``limit``, with ``citizen`` (the visible citizen, else None) and the overdue marks."""
    sunday = days.week_start(day) + dt.timedelta(days=6)
    mine = FollowUp.objects.filter(owner=user).open().select_related("subject_type")
    upcoming = list(
        mine.filter(due_on__gte=day, due_on__lte=sunday).order_by("due_on", "pk")[:limit]
    )
    overdue = list(mine.filter(due_on__lt=day).order_by("-due_on", "-pk")[:limit])
    citizen_type = followups.citizen_type()
    citizen_ids = {f.subject_id for f in upcoming + overdue if f.subject_type_id == citizen_type.pk}
    names = Citizen.objects.visible_to(user).in_bulk(citizen_ids) if citizen_ids else {}
    for item in upcoming + overdue:
        item.citizen = (  # type: ignore[attr-defined]
            names.get(item.subject_id) if item.subject_type_id == citizen_type.pk else None
        )
    return followups.annotate_overdue(upcoming, day), followups.annotate_overdue(overdue, day)


def without_contact(caseload: CitizenQuerySet, since: dt.datetime, limit: int) -> list[Citizen]:
    """Citizens of ``caseload`` without a conversation that counts for the cadence since
    ``since``: never held first (on every database), then the longest without one."""
    return list(
        caseload.without_held_conversation_since(since)
        .with_last_held_conversation()
        .order_by(F("last_held_at").asc(nulls_first=True), "last_name", "pk")[:limit]
    )


def recent_conversations(user: User, limit: int = 10) -> list[Conversation]:
    """My latest conversations with citizens I may still see."""
    return list(
        _of_visible_citizens(
            Conversation.objects.filter(author=user), user, "citizen"
        ).select_related("citizen", "kind", "channel")[:limit]
    )
