"""Case review decisions on the citizen's timeline (registered with
``cases.citizens.timeline`` in ``ReportingConfig.ready``): one query per citizen page."""

from __future__ import annotations

from cases.citizens.models import Citizen
from cases.citizens.timeline import Entry
from reporting.dashboards.models import CaseReviewItem


def decisions(citizen: Citizen, fetch: int) -> list[Entry]:
    rows = (
        CaseReviewItem.objects.filter(citizen=citizen, decided_at__isnull=False)
        .select_related("review__led_by", "review__jobformidler", "follow_up")
        .order_by("-decided_at", "-pk")[:fetch]
    )
    return [Entry(item.decided_at, "case_review", item) for item in rows if item.decided_at]
