"""A small hand-made fidelity model and rounds built row by row, for hand-computed scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from reporting.fidelity.models import (
    Answer,
    DataFigure,
    Element,
    FidelityModel,
    Item,
    ModelVersion,
    OverallBand,
    Response,
    Round,
)
from substitution.models import Team, Unit, User
from tests.factories.org import UserFactory

D = Decimal


def small_model(unit: Unit | None = None) -> ModelVersion:
    """Element A (weight 2): survey s1, s2; data cv (share bands). Element B (weight 1):
    survey s3; data caseload per jobformidler (lower is better: 60/50/40/30)."""
    model = FidelityModel.objects.create(unit=unit, key="lille", name="Lille model")
    version = ModelVersion.objects.create(model=model, number=1)
    for lower, label in [(D(1), "Lav"), (D("2.5"), "Middel"), (D("3.5"), "Høj")]:
        OverallBand.objects.create(version=version, lower=lower, label=label)
    a = Element.objects.create(version=version, position=1, name="A", weight=D(2))
    b = Element.objects.create(version=version, position=2, name="B", weight=D(1))
    Item.objects.create(element=a, position=1, text="s1", scale="niveauer", source="spoergeskema")
    Item.objects.create(element=a, position=2, text="s2", scale="andele", source="spoergeskema")
    Item.objects.create(
        element=a,
        position=3,
        text="cv",
        scale="andele",
        source="data",
        measure="cv",
        cut_2=D("0.2"),
        cut_3=D("0.4"),
        cut_4=D("0.6"),
        cut_5=D("0.8"),
    )
    Item.objects.create(element=b, position=1, text="s3", scale="niveauer", source="spoergeskema")
    Item.objects.create(
        element=b,
        position=2,
        text="caseload",
        scale="niveauer",
        source="data",
        measure="caseload_per_jobformidler",
        cut_2=D(60),
        cut_3=D(50),
        cut_4=D(40),
        cut_5=D(30),
        higher_is_better=False,
    )
    return version


def items(version: ModelVersion) -> dict[str, Item]:
    return {i.text: i for i in Item.objects.filter(element__version=version)}


def make_round(
    version: ModelVersion,
    teams: list[Team],
    opener: User,
    opened_on: dt.date = dt.date(2026, 11, 20),
    name: str = "Runde",
) -> Round:
    rnd = Round.objects.create(
        unit=teams[0].unit,
        version=version,
        kind="navngivet",
        name=name,
        opened_by=opener,
        opened_on=opened_on,
        closes_on=opened_on + dt.timedelta(days=30),
        period_first=opened_on - dt.timedelta(days=90),
        period_last=opened_on,
        min_respondents=3,
    )
    rnd.teams.set(teams)
    return rnd


def answer(
    rnd: Round, team: Team, values: dict[Item, int | None], submitted: bool = True
) -> Response:
    user = UserFactory.create(unit=team.unit)
    response = Response.objects.create(
        round=rnd, user=user, team=team, submitted_at=timezone.now() if submitted else None
    )
    for item, value in values.items():
        if value is not None:
            Answer.objects.create(response=response, item=item, value=value)
    return response


def figure(
    rnd: Round,
    team: Team | None,
    measure: str,
    numerator: Decimal,
    denominator: Decimal | None,
) -> None:
    value = None if not denominator else numerator / denominator
    DataFigure.objects.create(
        round=rnd,
        team=team,
        measure=measure,
        numerator=numerator,
        denominator=denominator,
        value=value,
        display="",
    )
