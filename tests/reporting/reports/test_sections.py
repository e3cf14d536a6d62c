"""The sections that come from the dashboards and the fidelity features: targets coloured by
the dashboards' rule and the open action plans with their recorded explanations in the monthly
status; the fidelity summary there; and the fidelity report (element scores self-reported
against data-derived, trend over rounds, the scatter) — every score equal to
``reporting.fidelity.scoring``'s for the same data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting import measures
from reporting.dashboards.models import ActionPlan, Target
from reporting.fidelity import scoring
from reporting.fidelity.models import Round
from reporting.measures import BY_SLUG, Population
from reporting.reports.fidelity import fmt
from reporting.reports.models import ReportType
from reporting.reports.params import Params
from reporting.reports.rendering import render
from substitution.pdf import restricted_fetcher
from tests.reporting.fidelity.helpers import answer, figure, items, make_round, small_model
from tests.reporting.reports.conftest import NOV, Office, line_with, pdf_text

pytestmark = pytest.mark.django_db
D = Decimal


def closed_round(office: Office, name: str, opened_on: dt.date, s1: int) -> Round:
    version = (
        small_model(office.unit)
        if not Round.objects.exists()
        else (
            Round.objects.first().version  # type: ignore[union-attr]
        )
    )
    rnd = make_round(version, [office.north, office.south], office.leder, opened_on, name)
    its = items(version)
    for team in (office.north, office.south):
        for _ in range(3):
            answer(rnd, team, {its["s1"]: s1, its["s2"]: 4, its["s3"]: 3})
        figure(rnd, team, "cv", D(1), D(2))
        figure(rnd, team, "virksomhedsforloeb", D(1), D(2))
    Round.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())
    rnd.refresh_from_db()
    return rnd


def test_monthly_status_shows_targets_plans_and_the_fidelity_summary(office: Office) -> None:
    Target.objects.create(
        unit=office.unit,
        measure="cv",
        value=D(80),
        tolerance=D(5),
        valid_from=dt.date(2026, 1, 1),
        updated_by=office.leder,
    )
    Target.objects.create(
        unit=office.unit,
        team=office.south,
        measure="cv",
        value=D(10),
        valid_from=dt.date(2026, 1, 1),
        updated_by=office.leder,
    )
    ActionPlan.objects.create(
        unit=office.unit,
        team=office.north,
        measure="cv",
        period_first=NOV.first,
        period_last=NOV.last,
        figure_display="67 %",
        target_display="80 %",
        status="red",
        explanation='Få CV\'er – <img src="http://127.0.0.1:9/x"> skyldes sygdom i Ærø-teamet',
        plan="Workshop om CV hver tirsdag",
        owner=office.tl_north,
        follow_up_on=dt.date(2026, 12, 15),
        created_by=office.tl_north,
        created_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )
    rnd = closed_round(office, "Baseline 2026", dt.date(2026, 11, 20), s1=5)
    record: list[str] = []
    params = Params(ReportType.MAANEDLIG_STATUS, office.unit.pk, None, NOV)
    text = pdf_text(render(params, fetcher=restricted_fetcher(record)).pdf)
    flat = "".join(text.split())
    base = Population(office.unit.pk)
    total = measures.compute(base, NOV, ["cv"])["cv"]
    south = measures.compute(base.with_teams([office.south.pk]), NOV, ["cv"])["cv"]
    targets = text.split("Måltal ved månedens udgang", 1)[1]
    label = BY_SLUG["cv"].label
    assert line_with(targets, f"{label} Jobcenter Test").startswith(
        f"{label} Jobcenter Test {total.display} 80 %"
    )
    assert line_with(targets, f"{label} Team Søndermark").startswith(
        f"{label} Team Søndermark {south.display} 10 %"
    )
    assert "Team Nørrebro" not in line_with(targets, label)  # no target of its own
    # The plan's recorded explanation, as text; the address in it never fetched.
    assert "".join(["<img", 'src="http://127.0.0.1:9/x">']) in flat
    assert "Workshop om CV hver tirsdag" in text and "Ærø-teamet" in text
    assert not any("127.0.0.1" in url for url in record)
    # The fidelity summary: the round's pooled scores.
    scores = scoring.rounds_scores([rnd], [office.north.pk, office.south.pk])[rnd.pk]
    assert scores.total is not None
    summary = line_with(text, "Samlet fidelitet (alle viste teams)")
    assert summary.split()[-2:] == [fmt(scores.total.self_overall), fmt(scores.total.data_overall)]
    assert "Baseline 2026" in text


def test_the_fidelity_report_prints_the_scoring_modules_scores(office: Office) -> None:
    first = closed_round(office, "Baseline", dt.date(2026, 6, 1), s1=2)
    second = closed_round(office, "Midtvejs", dt.date(2026, 11, 20), s1=5)
    params = Params(
        ReportType.FIDELITET,
        office.unit.pk,
        None,
        measures.Period(second.period_first, second.period_last),
        round_id=second.pk,
    )
    text = pdf_text(render(params).pdf)
    scores = scoring.rounds_scores([first, second], [office.north.pk, office.south.pk])
    current = scores[second.pk]
    for team_score in current.teams:
        row = line_with(text.split("Samlet fidelitet", 1)[1], team_score.label)
        assert fmt(team_score.self_overall) in row and fmt(team_score.data_overall) in row
    north = current.team(office.north.pk)
    assert north is not None and north.self_change is not None and north.self_change > 0
    element = north.elements[0]
    line = line_with(text.split("Team Nørrebro", 2)[2], f"1. {element.element.name}")
    assert line.split()[2:4] == [fmt(element.self_score), fmt(element.data_score)]
    # Trend over both rounds, and the scatter's text alternative with both teams.
    trend = text.split("Udvikling over målingerne", 1)[1]
    row = line_with(trend, "Team Nørrebro")
    for rnd in (first, second):
        past = scores[rnd.pk].team(office.north.pk)
        assert past is not None
        assert f"{fmt(past.self_overall)} / {fmt(past.data_overall)}" in row
    assert "Fidelitet og andel i virksomhedsforløb mv., Midtvejs" in text
