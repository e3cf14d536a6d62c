"""The plan (end goal and sub-goals) and its revisions: every change is kept as a snapshot."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.citizens.models import Citizen, Plan, PlanRevision, SubGoal


def plan_for(citizen: Citizen) -> Plan:
    plan, _created = Plan.objects.get_or_create(citizen=citizen)
    return plan


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON: end goal and every sub-goal."""
    return {
        "end_goal": plan.end_goal,
        "sub_goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "due_on": goal.due_on.isoformat() if goal.due_on else None,
                "owner": goal.owner,
                "status": goal.status,
                "status_label": str(goal.get_status_display()),
            }
            for goal in SubGoal.objects.filter(plan=plan).order_by("due_on", "pk")
        ],
    }


@transaction.atomic
def save_revision(plan: Plan, by: Any, summary: str) -> PlanRevision:
    """Record the plan as it is now (call after every change)."""
    return PlanRevision.objects.create(
        plan=plan, by=by, summary=summary[:300], snapshot=snapshot(plan)
    )
