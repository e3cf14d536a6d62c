"""Matching's entries on the citizen's timeline: each time the citizen's profile was shared with
a company (the candidate overview). Registered with ``cases.citizens.timeline`` at start-up."""

from __future__ import annotations

from cases.citizens.models import Citizen
from cases.citizens.timeline import Entry
from cases.matching.models import CandidateShare


def shares(citizen: Citizen, fetch: int) -> list[Entry]:
    rows = CandidateShare.objects.filter(citizen=citizen).select_related(
        "task__company", "shared_by"
    )[:fetch]
    return [Entry(share.shared_at, "share", share) for share in rows]
