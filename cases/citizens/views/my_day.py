"""Min dag: the jobformidler's landing page. Overdue and today's follow-ups, citizens without
a held conversation for too long, due progression reviews, recent conversations and the
quick-log form. A constant number of queries whatever the caseload."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.citizens import queries, reviews
from cases.citizens.forms import ConversationForm
from cases.citizens.models import ConversationOutcome
from substitution import days, links, thresholds
from substitution.audit import record_list
from substitution.http import AuthenticatedHttpRequest
from substitution.models import FollowUp, Role
from substitution.roles import Cap, can

# Lists on Min dag are capped; the caseload list (cases:caseload) shows everything.
LIST_LIMIT = 50


def my_day_context(request: AuthenticatedHttpRequest, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = days.today()
    unit_id = user.unit_id
    no_contact_days = thresholds.get_int("no_contact_days", unit_id, today)
    # "Over 42 dage" in calendar days (docs/days.md): no held conversation since local
    # midnight 42 days ago, so the list and the printed age never disagree.
    since = days.more_than_days_ago(no_contact_days, today)
    caseload = queries.my_caseload(user)
    upcoming, overdue = queries.my_follow_ups(user, today, LIST_LIMIT)
    # True totals, not just the listed (capped) follow-ups: one aggregate query.
    due_total, overdue_count = queries.due_counts(FollowUp.objects.filter(owner=user), today)
    no_contact = queries.without_contact(caseload, since, LIST_LIMIT)
    # Each row's link resolved once for the page (links.pk_url), not one reverse() per row.
    citizen_url = links.pk_url("cases:citizen_detail")
    for citizen in no_contact:
        citizen.days_since = days.days_since(citizen.last_held_at, today)  # type: ignore[attr-defined]
        citizen.url = citizen_url(citizen.pk)  # type: ignore[attr-defined]
    recent = queries.recent_conversations(user)
    outcomes = links.choice_labels(ConversationOutcome.choices)
    for conversation in recent:
        conversation.citizen_url = citizen_url(conversation.citizen_id)  # type: ignore[attr-defined]
        conversation.outcome_label = outcomes.get(conversation.outcome, conversation.outcome)  # type: ignore[attr-defined]
    reviews_due = list(reviews.due_for_citizens(caseload, today, unit_id)[:LIST_LIMIT])
    review_url = links.pk_url("cases:review_create")
    for sub_goal in reviews_due:
        sub_goal.review_url = review_url(sub_goal.plan.citizen_id)  # type: ignore[attr-defined]
    can_log = can(user, Cap.CONVERSATIONS_LOG)
    mentor = user.has_role(Role.MENTOR)
    return {
        "is_mentor": mentor,
        "mentored": queries.mentored_citizens(user, today, LIST_LIMIT) if mentor else [],
        "today": today,
        # Today's and this week's first; the overdue grouped after them, newest first.
        "upcoming": upcoming,
        "overdue": overdue,
        "follow_ups": upcoming + overdue,
        "follow_ups_total": due_total,
        "overdue_count": overdue_count,
        "no_contact": no_contact,
        "no_contact_days": no_contact_days,
        "reviews_due": reviews_due,
        "recent": recent,
        "caseload_count": caseload.count(),
        "can_log": can_log,
        "log_form": forms.get("log_form")
        or (
            ConversationForm(citizens=queries.caseload_for_log(user, caseload)) if can_log else None
        ),
        "log_url": "cases:quick_log",
    }


def my_day(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = my_day_context(request)
    record_shown(request, context)
    return render(request, "cases/citizens/my_day/page.html", context)


def record_shown(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> None:
    """One audit row for the citizens Min dag lists (follow-ups, no contact, reviews due,
    recent conversations), from the lists already loaded: one insert, no further reads."""
    shown: list[int | None] = [
        item.citizen.pk
        for item in context["follow_ups"]
        if getattr(item, "citizen", None) is not None
    ]
    shown += [citizen.pk for citizen in context["no_contact"]]
    shown += [sub_goal.plan.citizen_id for sub_goal in context["reviews_due"]]
    shown += [conversation.citizen_id for conversation in context["recent"]]
    shown += [citizen.pk for citizen in context["mentored"]]
    record_list(request, _("Min dag"), shown, {"dato": context["today"].isoformat()})
