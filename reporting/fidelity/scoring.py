"""Scoring a fidelity round (docs/fidelity.md): no HTTP, one set of rules.

- **Items.** A survey item's score is the mean of the answers (1–5) of the submitted responses
  that answered it; an unanswered item is missing, not a zero. A data item's score is its
  measure's value for the round's period mapped to 1–5 by the item's four cut points
  (``level``); a measure without a value (no citizens to count) is missing.
- **Suppression.** Answers are only ever shown as aggregates, and only where at least
  ``Round.min_respondents`` (threshold ``fidelity_min_respondents``, default 3) answered: a
  team with fewer submitted responses shows no self-reported score at all, and an item
  answered by fewer is missing. The jobcentre's self-reported score pools only the teams shown,
  so a hidden team's answers cannot be worked out by subtraction.
- **Elements** score the mean of their scored items, self-reported (survey items) and
  data-derived (data items) apart; **overall** is the weighted mean of the scored elements
  (weights renormalised over the elements that have a score), put in the version's bands.
- **Gap.** An element is flagged when both scores exist and differ by more than the threshold
  ``fidelity_gap_points`` (default 1 point).
- Across teams: the median and the spread (lowest, highest) of the overall scores; per team
  the change since the previous round of the same model that the team took part in.

The page and the PDF report read ``rounds_scores`` / ``team_scores`` (a constant number of
queries whatever the number of teams, staff and rounds); ``compute_figures`` runs the measures
for a round's period (``services.refresh_figures`` stores them).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from reporting import measures
from reporting.fidelity.models import (
    Answer,
    DataFigure,
    Element,
    ModelVersion,
    OverallBand,
    Response,
    Round,
    Source,
)
from substitution import thresholds
from substitution.models import Team

ZERO = Decimal(0)


# --- plain specifications ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    id: int
    text: str
    source: str
    scale: str
    measure: str = ""
    cuts: tuple[Decimal, Decimal, Decimal, Decimal] | None = None
    higher_is_better: bool = True


@dataclass(frozen=True)
class ElementSpec:
    id: int
    position: int
    name: str
    weight: Decimal
    items: tuple[ItemSpec, ...]

    def of(self, source: str) -> tuple[ItemSpec, ...]:
        return tuple(i for i in self.items if i.source == source)


@dataclass(frozen=True)
class ModelSpec:
    version_id: int
    model_id: int
    name: str
    number: int
    elements: tuple[ElementSpec, ...]
    bands: tuple[tuple[Decimal, str], ...] = ()

    @property
    def data_measures(self) -> list[str]:
        seen: list[str] = []
        for element in self.elements:
            for item in element.of(Source.DATA):
                if item.measure not in seen:
                    seen.append(item.measure)
        return seen


# --- the rules -------------------------------------------------------------------------------


def level(
    value: Decimal | None,
    cuts: Sequence[Decimal] | None,
    higher_is_better: bool = True,
) -> int | None:
    """A measure's value on the 1–5 scale. Higher is better: each cut point is the lower edge
    (inclusive) of the next level, so with the share bands 0.2 is level 2 and 0.8 level 5.
    Lower is better: a level is reached when the value is *under* its cut point (trin-for-
    trin's "under 50"), so with cuts 80/70/60/50, 50 is level 4 and 49.9 level 5."""
    if value is None or cuts is None:
        return None
    if higher_is_better:
        return 1 + sum(1 for cut in cuts if value >= cut)
    return 1 + sum(1 for cut in cuts if value < cut)


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, ZERO) / len(present)


def weighted(scores: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The weighted mean of the scores present (weights renormalised over them)."""
    pairs = [(w, s) for w, s in scores if s is not None]
    total_weight = sum((w for w, _s in pairs), ZERO)
    if not pairs or total_weight == 0:
        return None
    return sum((w * s for w, s in pairs), ZERO) / total_weight


def band(score: Decimal | None, bands: Sequence[tuple[Decimal, str]]) -> str:
    """The label of the highest band whose lower edge (inclusive) the score reaches."""
    if score is None:
        return ""
    label = ""
    for lower, name in sorted(bands):
        if score >= lower:
            label = name
    return label


def rounded(value: Decimal | None, places: int = 1) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tally:
    """The sum and count of one item's answers (submitted responses only)."""

    total: int
    count: int


def item_means(tallies: dict[int, Tally], minimum: int) -> dict[int, Decimal | None]:
    """Item id -> mean answer, None where fewer than ``minimum`` answered."""
    return {
        item_id: (Decimal(t.total) / t.count if t.count >= minimum else None)
        for item_id, t in tallies.items()
    }


@dataclass
class ElementScore:
    element: ElementSpec
    self_score: Decimal | None
    data_score: Decimal | None
    item_scores: dict[int, Decimal | None]
    gap: Decimal | None = None
    flagged: bool = False


@dataclass
class Score:
    """The scores of one team (or the total) in one round."""

    label: str
    team_id: int | None
    invited: int
    answered: int
    suppressed: bool
    elements: list[ElementScore]
    self_overall: Decimal | None
    data_overall: Decimal | None
    self_band: str
    data_band: str
    figures: dict[str, DataFigureValue] = field(default_factory=dict)
    self_change: Decimal | None = None
    data_change: Decimal | None = None

    @property
    def flagged(self) -> list[ElementScore]:
        return [e for e in self.elements if e.flagged]


@dataclass(frozen=True)
class DataFigureValue:
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    display: str


def score(
    spec: ModelSpec,
    *,
    label: str,
    team_id: int | None,
    invited: int,
    answered: int,
    minimum: int,
    tallies: dict[int, Tally],
    figures: dict[str, DataFigureValue],
    gap_limit: Decimal,
) -> Score:
    """One team's (or the total's) scores from its answers' tallies and its measures."""
    suppressed = answered < minimum
    means = {} if suppressed else item_means(tallies, minimum)
    elements: list[ElementScore] = []
    for element in spec.elements:
        item_scores: dict[int, Decimal | None] = {}
        for item in element.of(Source.SPOERGESKEMA):
            item_scores[item.id] = means.get(item.id)
        for item in element.of(Source.DATA):
            figure = figures.get(item.measure)
            lvl = level(figure.value if figure else None, item.cuts, item.higher_is_better)
            item_scores[item.id] = None if lvl is None else Decimal(lvl)
        self_score = mean(item_scores[i.id] for i in element.of(Source.SPOERGESKEMA))
        data_score = mean(item_scores[i.id] for i in element.of(Source.DATA))
        result = ElementScore(element, self_score, data_score, item_scores)
        if self_score is not None and data_score is not None:
            result.gap = self_score - data_score
            result.flagged = abs(result.gap) > gap_limit
        elements.append(result)
    self_overall = weighted((e.element.weight, e.self_score) for e in elements)
    data_overall = weighted((e.element.weight, e.data_score) for e in elements)
    return Score(
        label=label,
        team_id=team_id,
        invited=invited,
        answered=answered,
        suppressed=suppressed,
        elements=elements,
        self_overall=self_overall,
        data_overall=data_overall,
        self_band=band(self_overall, spec.bands),
        data_band=band(data_overall, spec.bands),
        figures=figures,
    )


@dataclass(frozen=True)
class Spread:
    median: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    count: int


def spread(values: Iterable[Decimal | None]) -> Spread:
    present = sorted(v for v in values if v is not None)
    if not present:
        return Spread(None, None, None, 0)
    return Spread(Decimal(statistics.median(present)), present[0], present[-1], len(present))


def pooled_figures(
    per_team: Sequence[dict[str, DataFigureValue]], slugs: Iterable[str]
) -> dict[str, DataFigureValue]:
    """The teams' figures pooled (numerators and denominators summed: every citizen is in one
    team). Measures that are not a sum over teams (``measures.NOT_ADDITIVE``) are left out."""
    result: dict[str, DataFigureValue] = {}
    for slug in slugs:
        if slug in measures.NOT_ADDITIVE:
            continue
        figures = [f[slug] for f in per_team if slug in f]
        if not figures:
            continue
        numerator = sum((f.numerator for f in figures), ZERO)
        denominator = (
            None
            if all(f.denominator is None for f in figures)
            else sum((f.denominator or ZERO for f in figures), ZERO)
        )
        made = measures.BY_SLUG[slug]._make(numerator, denominator, None)
        result[slug] = DataFigureValue(numerator, denominator, made.value, made.display)
    return result


# --- reading rounds ------------------------------------------------------------------------


@dataclass
class RoundScores:
    round: Round
    spec: ModelSpec
    teams: list[Score]
    total: Score | None
    spread_self: Spread
    spread_data: Spread
    gap_limit: Decimal

    def team(self, team_id: int) -> Score | None:
        return next((s for s in self.teams if s.team_id == team_id), None)


def specs(version_ids: Iterable[int]) -> dict[int, ModelSpec]:
    """The versions as plain specifications: three queries for any number of versions."""
    ids = set(version_ids)
    versions = {v.pk: v for v in ModelVersion.objects.filter(pk__in=ids).select_related("model")}
    bands: dict[int, list[tuple[Decimal, str]]] = defaultdict(list)
    for b in OverallBand.objects.filter(version_id__in=ids).order_by("lower"):
        bands[b.version_id].append((b.lower, b.label))
    elements: dict[int, list[ElementSpec]] = defaultdict(list)
    for element in (
        Element.objects.filter(version_id__in=ids)
        .prefetch_related("items")
        .order_by("version_id", "position")
    ):
        items = tuple(
            ItemSpec(
                id=i.pk,
                text=i.text,
                source=i.source,
                scale=i.scale,
                measure=i.measure,
                cuts=i.cuts,
                higher_is_better=i.higher_is_better,
            )
            for i in sorted(element.items.all(), key=lambda i: i.position)
        )
        elements[element.version_id].append(
            ElementSpec(element.pk, element.position, element.name, element.weight, items)
        )
    return {
        pk: ModelSpec(
            version_id=pk,
            model_id=v.model_id,
            name=v.model.name,
            number=v.number,
            elements=tuple(elements[pk]),
            bands=tuple(bands[pk]),
        )
        for pk, v in versions.items()
    }


def rounds_scores(
    rounds: Sequence[Round],
    team_ids: Iterable[int],
    *,
    gap_limit: Decimal | None = None,
) -> dict[int, RoundScores]:
    """Scores of ``rounds`` for the teams of ``team_ids`` (the teams the reader may see; each
    round shows those of its teams among them), with the change since the previous round of
    the same model in ``rounds``. Needs the rounds' teams prefetched
    (``queries.rounds_visible_to``); a constant number of queries."""
    visible = set(team_ids)
    if not rounds:
        return {}
    round_ids = [r.pk for r in rounds]
    spec_by_version = specs(r.version_id for r in rounds)
    team_names = dict(Team.objects.filter(pk__in=visible).values_list("pk", "name"))
    counts: dict[tuple[int, int], tuple[int, int]] = {}
    for row in (
        Response.objects.filter(round_id__in=round_ids, team_id__in=visible)
        .values("round_id", "team_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(submitted_at__isnull=False)))
    ):
        counts[(row["round_id"], row["team_id"])] = (row["invited"], row["answered"])
    tallies: dict[tuple[int, int], dict[int, Tally]] = defaultdict(dict)
    for answer_row in (
        Answer.objects.filter(
            response__round_id__in=round_ids,
            response__team_id__in=visible,
            response__submitted_at__isnull=False,
        )
        .values("response__round_id", "response__team_id", "item_id")
        .annotate(total=Sum("value"), n=Count("pk"))
    ):
        key = (answer_row["response__round_id"], answer_row["response__team_id"])
        tallies[key][answer_row["item_id"]] = Tally(int(answer_row["total"]), int(answer_row["n"]))
    figures: dict[tuple[int, int | None], dict[str, DataFigureValue]] = defaultdict(dict)
    for f in DataFigure.objects.filter(round_id__in=round_ids).filter(
        Q(team_id__in=visible) | Q(team__isnull=True)
    ):
        figures[(f.round_id, f.team_id)][f.measure] = DataFigureValue(
            f.numerator, f.denominator, f.value, f.display
        )
    unit_ids = {r.unit_id for r in rounds}
    gaps = {
        unit_id: gap_limit
        if gap_limit is not None
        else thresholds.get("fidelity_gap_points", unit_id)
        for unit_id in unit_ids
    }

    result: dict[int, RoundScores] = {}
    for rnd in rounds:
        spec = spec_by_version[rnd.version_id]
        gap = gaps[rnd.unit_id]
        round_team_ids = [t.pk for t in rnd.teams.all()]
        shown = [t for t in round_team_ids if t in visible]
        shown.sort(key=lambda t: team_names.get(t, ""))
        team_scores = []
        for team_id in shown:
            invited, answered = counts.get((rnd.pk, team_id), (0, 0))
            team_scores.append(
                score(
                    spec,
                    label=team_names.get(team_id, ""),
                    team_id=team_id,
                    invited=invited,
                    answered=answered,
                    minimum=rnd.min_respondents,
                    tallies=tallies.get((rnd.pk, team_id), {}),
                    figures=figures.get((rnd.pk, team_id), {}),
                    gap_limit=gap,
                )
            )
        total = None
        if len(shown) > 1:
            total = _total(rnd, spec, shown, round_team_ids, team_scores, tallies, figures, gap)
        result[rnd.pk] = RoundScores(
            round=rnd,
            spec=spec,
            teams=team_scores,
            total=total,
            spread_self=spread(s.self_overall for s in team_scores),
            spread_data=spread(s.data_overall for s in team_scores),
            gap_limit=gap,
        )
    _changes(rounds, result)
    return result


def _total(
    rnd: Round,
    spec: ModelSpec,
    shown: list[int],
    round_team_ids: list[int],
    team_scores: list[Score],
    tallies: dict[tuple[int, int], dict[int, Tally]],
    figures: dict[tuple[int, int | None], dict[str, DataFigureValue]],
    gap: Decimal,
) -> Score:
    """All shown teams together: the answers of the teams not suppressed pooled; the measures
    of the whole round when the reader sees all its teams, else the shown teams' pooled."""
    pooled: dict[int, Tally] = {}
    invited = answered = 0
    for s in team_scores:
        invited += s.invited
        if s.suppressed:
            continue
        answered += s.answered
        for item_id, t in tallies.get((rnd.pk, s.team_id or 0), {}).items():
            before = pooled.get(item_id, Tally(0, 0))
            pooled[item_id] = Tally(before.total + t.total, before.count + t.count)
    if set(shown) == set(round_team_ids) and (rnd.pk, None) in figures:
        total_figures = figures[(rnd.pk, None)]
    else:
        total_figures = pooled_figures(
            [figures.get((rnd.pk, t), {}) for t in shown], spec.data_measures
        )
    result = score(
        spec,
        label="",
        team_id=None,
        invited=invited,
        answered=answered,
        minimum=rnd.min_respondents,
        tallies=pooled,
        figures=total_figures,
        gap_limit=gap,
    )
    result.invited = invited
    return result


def _changes(rounds: Sequence[Round], result: dict[int, RoundScores]) -> None:
    """Each score's change since the latest earlier round of the same model with that team."""
    ordered = sorted(rounds, key=lambda r: (r.opened_on, r.pk))
    latest: dict[tuple[int, int | None], Score] = {}
    for rnd in ordered:
        scores = result[rnd.pk]
        model_id = scores.spec.model_id
        for s in [*scores.teams, *([scores.total] if scores.total else [])]:
            key = (model_id, s.team_id)
            before = latest.get(key)
            if before is not None:
                if s.self_overall is not None and before.self_overall is not None:
                    s.self_change = s.self_overall - before.self_overall
                if s.data_overall is not None and before.data_overall is not None:
                    s.data_change = s.data_overall - before.data_overall
            latest[key] = s


def team_scores(rnd: Round, teams: Iterable[Team | int]) -> RoundScores:
    """One round's scores for ``teams`` (those the reader may see), with the change since the
    previous round of the same model (for the PDF report, issue 12)."""
    team_ids = [t if isinstance(t, int) else t.pk for t in teams]
    earlier = (
        Round.objects.filter(
            unit_id=rnd.unit_id,
            version__model_id=rnd.version.model_id,
            teams__in=team_ids,
            opened_on__lte=rnd.opened_on,
        )
        .exclude(pk=rnd.pk)
        .distinct()
        .order_by("-opened_on", "-pk")
        .prefetch_related("teams")[:1]
    )
    rounds = [*earlier, Round.objects.prefetch_related("teams").get(pk=rnd.pk)]
    return rounds_scores(rounds, team_ids)[rnd.pk]


# --- the data items ------------------------------------------------------------------------

OUTCOMES = ("virksomhedsforloeb", "ordinary_hours")


def compute_figures(
    rnd: Round, team_ids: Sequence[int], slugs: Sequence[str]
) -> tuple[dict[int, dict[str, measures.Figure]], dict[str, measures.Figure]]:
    """The measures ``slugs`` for the round's period: per team and for all the teams. Every
    citizen is in one team, so a measure counted over citizens has the teams' total as the
    sum of their numerators and denominators (the pooled figure, as ``measures.teams_and_total``
    takes it); only the others (``measures.NOT_ADDITIVE``) are computed for the teams together."""
    period = measures.Period(rnd.period_first, rnd.period_last)
    base = measures.Population(rnd.unit_id)
    per_team = {t: measures.compute(base.with_teams([t]), period, slugs) for t in team_ids}
    separate = [s for s in slugs if s in measures.NOT_ADDITIVE]
    total = measures.compute(base.with_teams(team_ids), period, separate) if separate else {}
    for slug in slugs:
        if slug in separate:
            continue
        measure = measures.BY_SLUG[slug]
        figures = [per_team[t][slug] for t in team_ids]
        numerator = sum((f.numerator for f in figures), ZERO)
        denominator = (
            None
            if measure.denominator is None
            else sum((f.denominator or ZERO for f in figures), ZERO)
        )
        total[slug] = measure._make(numerator, denominator, None)
    return per_team, {s: total[s] for s in slugs}
