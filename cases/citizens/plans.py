"""The plan (end goal and sub-goals): what a revision keeps, and when a sub-goal is closed.
Rules only; ``services`` writes the plan and its revisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cases.citizens.models import Plan, SubGoal, SubGoalStatus


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


def set_status(goal: SubGoal, status: str, day: dt.date) -> None:
    """Give ``goal`` its status and keep ``closed_on`` with it: an open sub-goal has none, a
    closed one keeps the day it was first closed (``day`` when it closes now)."""
    goal.status = status
    goal.closed_on = None if status == SubGoalStatus.AABEN else goal.closed_on or day
