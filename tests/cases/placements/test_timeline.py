"""Placements on the citizen's timeline (issue 14, defect 7): a placement started, its work
agreement, its end and the hours milestones reached appear among the citizen's events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.urls import reverse

from cases.placements.models import PlacementEndReason
from tests.factories.cases import CitizenFactory
from tests.factories.placements import (
    PlacementFactory,
    WeeklyHoursFactory,
    WorkAgreementFactory,
)


def test_start_agreement_end_and_milestone_are_on_the_timeline(
    jf_client, team, jobformidler
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    placement = PlacementFactory.create(
        citizen=citizen,
        starts_on=dt.date(2026, 11, 3),
        ends_on=dt.date(2026, 11, 27),
        end_reason=PlacementEndReason.objects.first(),
    )
    WorkAgreementFactory.create(placement=placement, agreed_on=dt.date(2026, 11, 2))
    WeeklyHoursFactory.create(placement=placement, week_start=dt.date(2026, 11, 2), hours=D(4))
    page = jf_client.get(
        reverse("cases:citizen_section", args=[citizen.pk, "tidslinje"])
    ).content.decode()
    timeline = page.split('id="tidslinje"')[1]
    assert "Forløb startet:" in timeline and "03.11.2026" in timeline
    assert "Arbejdsaftale indgået:" in timeline and "02.11.2026" in timeline
    assert "Forløb afsluttet:" in timeline and "27.11.2026" in timeline
    assert "Milepæl nået: Første lønnede time" in timeline
