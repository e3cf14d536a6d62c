"""Fidelity demo data: the shipped models, and one closed round for every team with answers
from its jobformidlere, so the fidelity page has something to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from reporting.fidelity import seeded, services
from reporting.fidelity.models import FidelityModel, Item, Response, Round, RoundKind, Source
from substitution import days
from substitution.audit import SYSTEM
from substitution.demo import DemoContext
from substitution.models import Role, Team, User


def seed(ctx: DemoContext) -> None:
    seeded.seed_models()
    unit = ctx.data.get("unit")
    if unit is None or Round.objects.filter(unit=unit).exists():
        return
    model = FidelityModel.objects.get(unit__isnull=True, key="fsm")
    version = model.latest_version()
    assert version is not None
    teams = list(Team.objects.filter(unit=unit).order_by("name"))
    lead = User.objects.filter(memberships__role=Role.LEDER, memberships__team__unit=unit).first()
    if lead is None or not teams:
        return
    today = days.today()
    rnd = services.open_round(
        actor=lead,
        context=SYSTEM,
        version=version,
        kind=RoundKind.NULPUNKT,
        name=f"Nulpunktsmåling {today.year}",
        teams=teams,
        closes_on=today + dt.timedelta(days=14),
    )
    items = list(Item.objects.filter(element__version=version, source=Source.SPOERGESKEMA))
    for response in Response.objects.filter(round=rnd).select_related("user"):
        values = {i.pk: ctx.rng.choice([2, 3, 3, 4, 4, 4, 5]) for i in items}
        services.save_answers(response, values, submit=True, actor=response.user, context=SYSTEM)
    Round.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())
    ctx.log(f"Fidelitet: {rnd.name}, {Response.objects.filter(round=rnd).count()} svar")
