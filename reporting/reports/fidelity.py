"""The fidelity report (*Fidelitetsrapport*, docs/reports.md) and the monthly status's fidelity
summary. Every score comes from ``reporting.fidelity.scoring.rounds_scores`` (the fidelity
page's own reading: suppression of small teams, element scores self-reported and data-derived,
gaps, median and spread); nothing is scored here.

- The report: for a team or the jobcentre (every team of the round) and a round: the overall
  scores and their bands, each element's self-reported and data-derived score with the gap,
  the trend over the rounds of the same model, and the scatter of the teams' self-reported
  fidelity against their share in virksomhedsforløb mv. (the chart module's ``scatter``).
- The summary: the latest closed round whose data period ended by the month's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reporting.charts.base import Chart
from reporting.charts.scatter import Point, scatter
from reporting.fidelity import scoring
from reporting.fidelity.models import Round
from reporting.measures import Period, danish_number
from substitution.models import Team, Unit

OUTCOME = "virksomhedsforloeb"


def fmt(value: Decimal | None, places: int = 1) -> str:
    return "–" if value is None else danish_number(value, places)


def signed(value: Decimal | None) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + danish_number(abs(value), 1)


@dataclass(frozen=True)
class FidelitySummary:
    round: Round
    total: scoring.Score | None
    spread_self: scoring.Spread
    spread_data: scoring.Spread
    teams: int

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        total = self.total
        return [
            (
                "Samlet fidelitet (alle viste teams)",
                fmt(total.self_overall) if total else "–",
                fmt(total.data_overall) if total else "–",
            ),
            ("Median mellem teams", fmt(self.spread_self.median), fmt(self.spread_data.median)),
            ("Laveste team", fmt(self.spread_self.lowest), fmt(self.spread_data.lowest)),
            ("Højeste team", fmt(self.spread_self.highest), fmt(self.spread_data.highest)),
        ]


def rounds_of(unit_id: int, team_ids: list[int]) -> list[Round]:
    return list(
        Round.objects.filter(unit_id=unit_id, teams__in=team_ids)
        .distinct()
        .select_related("version__model")
        .prefetch_related("teams")
        .order_by("opened_on", "pk")
    )


def fidelity_summary(unit: Unit, period: Period) -> FidelitySummary | None:
    team_ids = list(Team.objects.filter(unit=unit).values_list("pk", flat=True))
    closed = [
        r
        for r in rounds_of(unit.pk, team_ids)
        if r.closed_at is not None and r.period_last <= period.last
    ]
    if not closed:
        return None
    latest = closed[-1]
    scores = scoring.rounds_scores([latest], team_ids)[latest.pk]
    return FidelitySummary(
        latest, scores.total, scores.spread_self, scores.spread_data, len(scores.teams)
    )


@dataclass(frozen=True)
class FidelityReport:
    round: Round
    scores: scoring.RoundScores
    rows: list[dict[str, Any]]
    trend_rounds: list[Round]
    trend: list[tuple[str, list[tuple[str, str]]]]
    chart: Chart


def score_rows(scores: scoring.RoundScores) -> list[dict[str, Any]]:
    rows = []
    for s in [*scores.teams, *([scores.total] if scores.total else [])]:
        rows.append(
            {
                "label": s.label or "Alle viste teams",
                "answered": s.answered,
                "invited": s.invited,
                "suppressed": s.suppressed,
                "self_overall": fmt(s.self_overall),
                "data_overall": fmt(s.data_overall),
                "self_band": s.self_band,
                "data_band": s.data_band,
                "self_change": signed(s.self_change),
                "elements": [
                    {
                        "name": f"{e.element.position}. {e.element.name}",
                        "self": fmt(e.self_score),
                        "data": fmt(e.data_score),
                        "gap": signed(e.gap),
                        "flagged": e.flagged,
                    }
                    for e in s.elements
                ],
            }
        )
    return rows


def build(unit: Unit, team: Team | None, round_id: int) -> FidelityReport:
    team_ids = (
        [team.pk] if team else list(Team.objects.filter(unit=unit).values_list("pk", flat=True))
    )
    rounds = rounds_of(unit.pk, team_ids)
    selected = next(r for r in rounds if r.pk == round_id)
    same_model = [
        r
        for r in rounds
        if r.version.model_id == selected.version.model_id and r.opened_on <= selected.opened_on
    ]
    all_scores = scoring.rounds_scores(same_model, team_ids)
    current = all_scores[selected.pk]
    trend = []
    for team_score in [*current.teams, *([current.total] if current.total else [])]:
        cells = []
        for rnd in same_model:
            other = (
                all_scores[rnd.pk].team(team_score.team_id)
                if team_score.team_id is not None
                else all_scores[rnd.pk].total
            )
            cells.append(
                (fmt(other.self_overall), fmt(other.data_overall)) if other else ("–", "–")
            )
        trend.append((team_score.label or "Alle viste teams", cells))
    points = []
    for team_score in current.teams:
        figure = team_score.figures.get(OUTCOME)
        if team_score.self_overall is None or figure is None or figure.value is None:
            continue
        points.append(Point(team_score.label, float(team_score.self_overall), float(figure.value)))
    chart = scatter(
        points,
        title=f"Fidelitet og andel i virksomhedsforløb mv., {selected.name}",
        x_label="Samlet fidelitet (selvvurderet)",
        y_label="Andel i virksomhedsforløb mv.",
    )
    return FidelityReport(selected, current, score_rows(current), same_model, trend, chart)
