"""The citizen page's timeline entries built in Python (cases.citizens.views.timeline_rows,
docs/performance.md issue 13) print the markup the template printed: every entry kind, with
text that needs escaping, compared with the template loop it replaced."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import engines
from django.urls import reverse
from django.utils import timezone

from cases.citizens import timeline
from cases.citizens.models import Citizen, PlanRevision, ProgressReview, ReviewOutcome
from cases.citizens.services import plan_for
from cases.citizens.views import timeline_rows
from cases.matching.models import CandidateShare
from cases.placements.models import PlacementEndReason
from reporting.dashboards.models import CaseReview, CaseReviewItem
from substitution import days
from substitution.models import Team, User
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    SubGoalFactory,
)
from tests.factories.placements import (
    PlacementFactory,
    WeeklyHoursFactory,
    WorkAgreementFactory,
    make_company,
    make_task,
)

# The template loop the Python replaced (templates/cases/citizens/citizen/detail.html before).
TEMPLATE = (Path(__file__).parent / "timeline_before.html").read_text(encoding="utf-8")

HOSTILE = 'A & B <i>"kursiv"</i>'


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def every_kind(team: Team, jobformidler: User, teamleder: User) -> Citizen:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    now = timezone.now()
    today = days.today()
    monday = days.week_start(today) - dt.timedelta(weeks=4)  # a finished week with hours
    held = ConversationFactory.create(
        citizen=citizen,
        author=jobformidler,
        occurred_at=now - dt.timedelta(hours=1),
        note=f"Første linje\n{HOSTILE}",
        next_step=HOSTILE,
        next_step_due=today + dt.timedelta(days=7),
    )
    held.revisions.create(
        by=teamleder,
        reason=HOSTILE,
        snapshot={"occurred_at": "2026-11-30T10:00", "kind": "Individuel", "note": HOSTILE},
    )
    ConversationFactory.create(
        citizen=citizen,
        author=teamleder,
        occurred_at=now - dt.timedelta(days=2),
        job_focused=False,
        outcome="udeblevet",
        note="",
    )
    plan = plan_for(citizen)
    PlanRevision.objects.create(plan=plan, by=jobformidler, summary=HOSTILE)
    for due, done in [
        (today - dt.timedelta(days=12), False),
        (today + dt.timedelta(days=18), False),
        (today - dt.timedelta(days=7), True),
    ]:
        FollowUpFactory.create(
            subject=citizen, owner=jobformidler, due_on=due, title=HOSTILE, done=done
        )
    sub_goal = SubGoalFactory.create(citizen=citizen, title=HOSTILE)
    ProgressReview.objects.create(
        sub_goal=sub_goal,
        by=jobformidler,
        outcome=ReviewOutcome.BEVAEGER,
        note=HOSTILE,
        reviewed_on=today - dt.timedelta(days=14),
    )
    ProgressReview.objects.create(
        sub_goal=sub_goal,
        by=jobformidler,
        outcome=ReviewOutcome.OPNAAET,
        reviewed_on=today - dt.timedelta(days=13),
    )
    company = make_company(team.unit, name=HOSTILE)
    task = make_task(company, title=HOSTILE)
    CandidateShare.objects.create(citizen=citizen, task=task, shared_by=jobformidler)
    ended = PlacementFactory.create(
        citizen=citizen,
        company=company,
        task=task,
        starts_on=monday + dt.timedelta(days=1),
        ends_on=monday + dt.timedelta(days=25),
        end_reason=PlacementEndReason.objects.first(),
        created_by=jobformidler,
    )
    WorkAgreementFactory.create(placement=ended, agreed_on=monday)
    WeeklyHoursFactory.create(placement=ended, week_start=monday, hours=4)
    PlacementFactory.create(citizen=citizen, starts_on=today - dt.timedelta(days=2))
    review = CaseReview.objects.create(
        unit=team.unit,
        team=team,
        jobformidler=jobformidler,
        led_by=teamleder,
        held_on=today - dt.timedelta(days=1),
    )
    follow_up = FollowUpFactory.create(
        subject=citizen, owner=jobformidler, due_on=today + dt.timedelta(days=12)
    )
    for decided_by, follow in [(teamleder, follow_up), (None, None)]:
        CaseReviewItem.objects.create(
            review=review,
            citizen=citizen,
            decision=f"Ring\n{HOSTILE}",
            decided_at=now - dt.timedelta(minutes=5),
            decided_by=decided_by,
            follow_up=follow,
        )
        review = CaseReview.objects.create(
            unit=team.unit,
            team=team,
            jobformidler=teamleder,
            led_by=teamleder,
            held_on=today - dt.timedelta(days=1),
        )
    return citizen


def test_every_entry_kind_prints_what_the_template_printed(team, jobformidler, teamleder) -> None:
    citizen = every_kind(team, jobformidler, teamleder)
    entries = timeline.build(citizen)
    kinds = {e.kind for e in entries}
    assert kinds == {
        "conversation",
        "plan",
        "followup",
        "review",
        "share",
        "placement_start",
        "agreement",
        "placement_end",
        "milestone",
        "case_review",
    }
    correctable = {e.obj.pk for e in entries if e.kind == "conversation"}
    for shown in [correctable, set()]:
        expected = (
            engines["django"]
            .from_string(TEMPLATE)
            .render({"timeline": entries, "correctable": shown})
        )
        got = timeline_rows.rows_html(entries, shown)
        assert normalised(got) == normalised(expected)
    assert "&lt;i&gt;" in got and "<i>" not in got


def test_the_section_shows_the_rows_and_the_empty_text(jf_client, team, jobformidler) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    url = reverse("cases:citizen_section", args=[citizen.pk, "tidslinje"])
    assert "Ingen hændelser endnu." in jf_client.get(url).content.decode()
    conversation = ConversationFactory.create(citizen=citizen, author=jobformidler)
    page = jf_client.get(url).content.decode()
    assert f'<li class="conversation" id="samtale-{conversation.pk}">' in page
    assert reverse("cases:conversation_edit", args=[conversation.pk]) in page
    assert "Ingen hændelser endnu." not in page
