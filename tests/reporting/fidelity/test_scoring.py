"""Scoring on hand-computed rounds (reporting/fidelity/scoring.py, docs/fidelity.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reporting.fidelity import scoring, seeded, services
from reporting.fidelity.models import Element, FidelityModel, Item, ModelVersion, Round
from reporting.fidelity.scoring import band, level
from substitution.models import Team, User
from tests.factories.org import TeamFactory
from tests.reporting.fidelity.helpers import D, answer, figure, items, make_round, small_model

THIRD = Decimal(1) / 3


def close(a: Decimal | None, b: Decimal | float) -> bool:
    return a is not None and abs(a - Decimal(str(b))) < Decimal("0.0001")


# --- the pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(0), 1),
        (D("0.1999"), 1),
        (D("0.2"), 2),  # a band's lower edge belongs to it: exactly 20 % is level 2
        (D("0.3999"), 2),
        (D("0.4"), 3),
        (D("0.6"), 4),
        (D("0.7999"), 4),
        (D("0.8"), 5),
        (D(1), 5),
    ],
)
def test_share_bands_at_their_edges(value: Decimal, expected: int) -> None:
    assert level(value, seeded.SHARE_BANDS) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D(80), 1), (D("79.9"), 2), (D(70), 2), (D(60), 3), (D(50), 4), (D("49.9"), 5), (D(10), 5)],
)
def test_lower_is_better_reaches_a_level_under_its_cut(value: Decimal, expected: int) -> None:
    # Trin-for-trin: "under 50" is the requirement: 50 itself is not under 50.
    assert level(value, seeded.TFT_CASELOAD, higher_is_better=False) == expected


def test_a_missing_value_or_missing_cuts_score_nothing() -> None:
    assert level(None, seeded.SHARE_BANDS) is None
    assert level(D("0.5"), None) is None


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (D(1), "Lav"),
        (D("2.49"), "Lav"),
        (D("2.5"), "Middel"),
        (D("3.49"), "Middel"),
        (D("3.5"), "Høj"),
        (D(5), "Høj"),
        (None, ""),
    ],
)
def test_overall_bands_at_their_edges(score: Decimal | None, expected: str) -> None:
    bands = [(D(1), "Lav"), (D("2.5"), "Middel"), (D("3.5"), "Høj")]
    assert band(score, bands) == expected


def test_weighted_mean_renormalises_over_the_elements_scored() -> None:
    assert scoring.weighted([(D(2), D(3)), (D(1), D(6))]) == D(4)
    assert scoring.weighted([(D(2), D(3)), (D(1), None)]) == D(3)
    assert scoring.weighted([(D(2), None)]) is None


def test_spread_is_median_lowest_and_highest() -> None:
    s = scoring.spread([D(3), None, D(4), D("2.5"), D(5)])
    assert (s.median, s.lowest, s.highest, s.count) == (D("3.5"), D("2.5"), D(5), 4)


# Each data item of the shipped models, with one hand-chosen value per level.
HAND_LEVELS = {
    "cv": [D("0.19"), D("0.2"), D("0.45"), D("0.6"), D("0.95")],
    "own_job_goal": [D("0.1"), D("0.25"), D("0.4"), D("0.79"), D("0.8")],
    "contact_cadence": [D(0), D("0.39"), D("0.59"), D("0.61"), D(1)],
    "agreements_ordinary_from_start": [D("0.05"), D("0.2"), D("0.5"), D("0.7"), D("0.9")],
    "placements_followed_up": [D("0.15"), D("0.35"), D("0.55"), D("0.75"), D("0.85")],
    "hours_rising": [D(0), D("0.2"), D("0.4"), D("0.6"), D("0.8")],
    # changes of jobformidler per citizen per year, lower is better
    "continuity": [D("0.5"), D("0.4"), D("0.3"), D("0.15"), D("0.05")],
}
CASELOAD = {
    "fsm": [D(60), D(55), D(45), D(35), D(29)],  # FSM's good practice 30–40 is level 4
    "trin-for-trin": [D(80), D(75), D(65), D(50), D(49)],  # trin-for-trin: under 50
}


def test_every_data_item_of_the_shipped_models_maps_its_measure_to_1_to_5() -> None:
    checked = 0
    for spec in seeded.MODELS:
        for _name, element_items in spec["elements"]:
            for item in element_items:
                if item["source"] != "data":
                    continue
                measure = item["measure"]
                values = (
                    CASELOAD[spec["key"]]
                    if measure == "caseload_per_jobformidler"
                    else HAND_LEVELS[measure]
                )
                got = [level(v, item["cuts"], item["higher_is_better"]) for v in values]
                assert got == [1, 2, 3, 4, 5], (spec["key"], measure, got)
                checked += 1
    assert checked == 15  # FSM 8, trin-for-trin 7


# --- hand-computed rounds ---------------------------------------------------------------------


@pytest.fixture
def version(db: None) -> ModelVersion:
    return small_model()


def test_item_means_elements_weights_and_overall(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team], teamleder)
    s1, s2, s3 = it["s1"], it["s2"], it["s3"]
    answer(rnd, team, {s1: 4, s2: 5, s3: 2})
    answer(rnd, team, {s1: 2, s2: None, s3: 3})  # s2 left unanswered: missing, not 0
    answer(rnd, team, {s1: 3, s2: 5, s3: 4})
    answer(rnd, team, {s1: 3, s2: 2, s3: None})
    answer(rnd, team, {s1: 1, s2: 1, s3: 1}, submitted=False)  # a draft counts nowhere
    figure(rnd, team, "cv", D(6), D(10))  # 60 % -> level 4
    figure(rnd, team, "caseload_per_jobformidler", D(90), D(2))  # 45 -> level 3

    result = scoring.rounds_scores([rnd], [team.pk])[rnd.pk]
    (score,) = result.teams
    assert (score.invited, score.answered, score.suppressed) == (5, 4, False)
    a, b = score.elements
    assert a.item_scores[s1.pk] == D(3)  # (4+2+3+3)/4
    assert a.item_scores[s2.pk] == D(4)  # (5+5+2)/3
    assert b.item_scores[s3.pk] == D(3)  # (2+3+4)/3
    assert a.self_score == D("3.5") and b.self_score == D(3)
    assert a.data_score == D(4) and b.data_score == D(3)
    # weights 2 and 1: (2*3.5 + 3)/3 and (2*4 + 3)/3
    assert close(score.self_overall, 10 / 3) and score.self_band == "Middel"
    assert close(score.data_overall, 11 / 3) and score.data_band == "Høj"
    assert a.gap == D("-0.5") and not a.flagged and not b.flagged


def test_an_item_answered_by_fewer_than_three_is_missing(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team], teamleder)
    answer(rnd, team, {it["s1"]: 5, it["s2"]: 1, it["s3"]: 2})
    answer(rnd, team, {it["s1"]: 5, it["s2"]: 1, it["s3"]: 2})
    answer(rnd, team, {it["s1"]: 5, it["s2"]: None, it["s3"]: 2})
    (score,) = scoring.rounds_scores([rnd], [team.pk])[rnd.pk].teams
    a = score.elements[0]
    assert a.item_scores[it["s2"].pk] is None  # two answers only
    assert a.self_score == D(5)  # s1 alone


def test_fewer_than_three_answers_show_no_self_reported_score(
    version: ModelVersion, team: Team, other_team: Team, teamleder: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team, other_team], teamleder)
    for _ in range(3):
        answer(rnd, team, {it["s1"]: 4, it["s2"]: 4, it["s3"]: 4})
    for _ in range(2):
        answer(rnd, other_team, {it["s1"]: 1, it["s2"]: 1, it["s3"]: 1})
    answer(rnd, other_team, {it["s1"]: 1}, submitted=False)
    figure(rnd, other_team, "cv", D(1), D(10))  # 10 % -> level 1

    result = scoring.rounds_scores([rnd], [team.pk, other_team.pk])[rnd.pk]
    hidden = result.team(other_team.pk)
    assert hidden is not None and hidden.suppressed and hidden.answered == 2
    assert hidden.self_overall is None
    assert all(e.self_score is None for e in hidden.elements)
    assert hidden.elements[0].data_score == D(1)  # data is not about persons: shown
    # The total pools only the teams shown: the hidden team's answers cannot be subtracted.
    assert result.total is not None
    assert result.total.answered == 3 and result.total.self_overall == D(4)


def test_the_gap_flag_uses_the_threshold(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team], teamleder)
    for _ in range(3):
        answer(rnd, team, {it["s1"]: 5, it["s2"]: 5, it["s3"]: 4})
    figure(rnd, team, "cv", D(1), D(10))  # level 1: self 5 vs data 1
    figure(rnd, team, "caseload_per_jobformidler", D(90), D(3))  # 30 -> under 40: level 4
    (score,) = scoring.rounds_scores([rnd], [team.pk])[rnd.pk].teams
    a, b = score.elements
    assert a.gap == D(4) and a.flagged
    assert b.gap == D(0) and not b.flagged
    (strict,) = scoring.rounds_scores([rnd], [team.pk], gap_limit=D(4))[rnd.pk].teams
    assert not strict.elements[0].flagged  # more than the limit, not equal to it


def test_a_model_edited_after_a_round_opened_keeps_the_rounds_version(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team], teamleder)
    for values in ([4, 4, 1], [4, 4, 1], [4, 4, 1]):
        answer(rnd, team, dict(zip([it["s1"], it["s2"], it["s3"]], values, strict=True)))
    element_a = Element.objects.get(version=version, name="A")
    element_a.weight = D(1)
    with pytest.raises(ValidationError):
        element_a.save()  # the round's version is locked
    with pytest.raises(ValidationError):
        it["s1"].delete()

    model = FidelityModel.objects.get(key="lille")
    v2 = services.new_version(model, actor=teamleder)
    assert v2.number == 2
    v2_a = Element.objects.get(version=v2, name="A")
    v2_a.weight = D(1)
    v2_a.save()  # the new version is editable
    Item.objects.filter(element__version=v2, text="s3").update(text="s3 ny")

    rnd = Round.objects.get(pk=rnd.pk)
    assert rnd.version_id == version.pk
    (score,) = scoring.rounds_scores([rnd], [team.pk])[rnd.pk].teams
    # Still weight 2 for A: (2*4 + 1)/3 = 3, not (4 + 1)/2 = 2.5.
    assert score.self_overall == D(3)
    assert [e.element.name for e in score.elements] == ["A", "B"]


def test_change_since_the_previous_round_of_the_same_model(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    it = items(version)
    first = make_round(version, [team], teamleder, dt.date(2026, 5, 1), "Nulpunkt")
    second = make_round(version, [team], teamleder, dt.date(2026, 11, 1), "Midtvejs")
    for _ in range(3):
        answer(first, team, {it["s1"]: 2, it["s2"]: 2, it["s3"]: 2})
        answer(second, team, {it["s1"]: 3, it["s2"]: 3, it["s3"]: 4})
    figure(first, team, "cv", D(1), D(10))
    figure(second, team, "cv", D(5), D(10))
    scores = scoring.rounds_scores([second, first], [team.pk])
    (before,) = scores[first.pk].teams
    (after,) = scores[second.pk].teams
    assert before.self_change is None
    assert close(after.self_change, 10 / 3 - 2)  # (2*3 + 4)/3 - 2
    assert after.data_change == D(2)  # cv level 1 -> 3 (B has no data)

    api = scoring.team_scores(second, [team])
    (only,) = api.teams
    assert close(only.self_change, 10 / 3 - 2)


def test_teams_the_reader_cannot_see_never_appear(
    version: ModelVersion, team: Team, other_team: Team, teamleder: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team, other_team], teamleder)
    for t in (team, other_team):
        for _ in range(3):
            answer(rnd, t, {it["s1"]: 5 if t == team else 1})
    result = scoring.rounds_scores([rnd], [team.pk])[rnd.pk]
    assert [s.team_id for s in result.teams] == [team.pk]
    assert result.total is None  # one team shown: no total that could include the other


def test_the_total_pools_the_teams_measures_when_a_reader_sees_some_of_them(
    version: ModelVersion, team: Team, other_team: Team, teamleder: User
) -> None:
    third = TeamFactory.create(unit=team.unit, name="Team C")
    rnd = make_round(version, [team, other_team, third], teamleder)
    figure(rnd, team, "cv", D(2), D(10))
    figure(rnd, other_team, "cv", D(6), D(10))
    figure(rnd, third, "cv", D(10), D(10))
    figure(rnd, None, "cv", D(18), D(30))
    partial = scoring.rounds_scores([rnd], [team.pk, other_team.pk])[rnd.pk].total
    assert partial is not None
    assert partial.figures["cv"].value == D("0.4")  # 8 of 20, pooled: not a mean of shares
    assert partial.elements[0].data_score == D(3)
    full = scoring.rounds_scores([rnd], [team.pk, other_team.pk, third.pk])[rnd.pk].total
    assert full is not None and full.figures["cv"].value == D("0.6")
