"""Min dag: the jobformidler's landing page. Overdue and today's follow-ups, citizens without
a held conversation for too long, due progression reviews, recent conversations and the
quick-log form. A constant number of queries whatever the caseload."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.citizens import followups, reviews
from cases.citizens.forms import ConversationForm
from cases.citizens.models import Citizen, CitizenStatus, Conversation
from substitution import days, thresholds
from substitution.models import FollowUp
from substitution.roles import Cap, can

# Lists on Min dag are capped; the caseload list (cases:caseload) shows everything.
LIST_LIMIT = 50


def my_caseload(user: Any) -> QuerySet[Citizen]:
    """Citizens I am personal jobformidler for (within what I may see), not closed."""
    return (
        Citizen.objects.visible_to(user)
        .filter(jobformidler=user)
        .exclude(status=CitizenStatus.AFSLUTTET)
    )


def caseload_for_log(user: Any) -> QuerySet[Citizen]:
    """The citizen choices of the quick-log form on Min dag."""
    return my_caseload(user).order_by("first_name", "last_name", "pk")


def my_day_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = days.today()
    unit_id = user.unit_id
    no_contact_days = thresholds.get_int("no_contact_days", unit_id, today)
    # "Over 42 dage" in calendar days (docs/days.md): no held conversation since local
    # midnight 42 days ago, so the list and the printed age never disagree.
    since = days.more_than_days_ago(no_contact_days, today)
    caseload = my_caseload(user)

    mine = FollowUp.objects.filter(owner=user)
    due = list(
        mine.due_by(today).select_related("subject_type").order_by("due_on", "pk")[:LIST_LIMIT]
    )
    # True totals, not just the listed (capped) follow-ups: one aggregate query.
    due_total, overdue_count = followups.due_counts(mine, today)
    citizen_type = followups.citizen_type()
    citizen_ids = {f.subject_id for f in due if f.subject_type_id == citizen_type.pk}
    names = Citizen.objects.visible_to(user).in_bulk(citizen_ids) if citizen_ids else {}
    for item in due:
        item.citizen = (
            names.get(item.subject_id) if item.subject_type_id == citizen_type.pk else None
        )
    followups.annotate_overdue(due, today)

    no_contact = list(
        caseload.filter(status=CitizenStatus.AKTIV)
        .without_held_conversation_since(since)
        .with_last_held_conversation()
        # Never held first (on every database), then the longest without a conversation.
        .order_by(F("last_held_at").asc(nulls_first=True), "last_name", "pk")[:LIST_LIMIT]
    )
    for citizen in no_contact:
        citizen.days_since = days.days_since(citizen.last_held_at, today)  # type: ignore[attr-defined]
    recent = Conversation.objects.filter(
        author=user, citizen__in=Citizen.objects.visible_to(user)
    ).select_related("citizen", "kind", "channel")[:10]
    can_log = can(user, Cap.CONVERSATIONS_LOG)
    return {
        "today": today,
        "follow_ups": due,
        "follow_ups_total": due_total,
        "overdue_count": overdue_count,
        "no_contact": no_contact,
        "no_contact_days": no_contact_days,
        "reviews_due": list(reviews.due_for_citizens(caseload, today, unit_id)[:LIST_LIMIT]),
        "recent": list(recent),
        "caseload_count": caseload.count(),
        "can_log": can_log,
        "log_form": forms.get("log_form")
        or (ConversationForm(citizens=caseload_for_log(user)) if can_log else None),
        "log_url": "cases:quick_log",
    }


def my_day(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/citizens/my_day/page.html", my_day_context(request))
