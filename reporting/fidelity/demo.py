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
    items = list(Item.objects.filter(element__version=version, source=Source.SPOERGESKEMA))
    # A baseline half a year ago (closed) and a mid-term round open now, so the page shows a
    # trend and the demo jobformidler has a form to fill in.
    for kind, name, opened, answer_share in [
        (RoundKind.NULPUNKT, "Nulpunktsmåling", days.add_months(today, -6), 1.0),
        (RoundKind.MIDTVEJS, "Midtvejsmåling", today, 0.8),
    ]:
        rnd = services.open_round(
            actor=lead,
            context=SYSTEM,
            version=version,
            kind=kind,
            name=f"{name} {opened:%m.%Y}",
            teams=teams,
            closes_on=today + dt.timedelta(days=14),
            invite=False,
        )
        responses = list(Response.objects.filter(round=rnd).exclude(user__username="jobformidler"))
        for response in responses[: max(3, int(len(responses) * answer_share))]:
            bias = 0 if kind == RoundKind.NULPUNKT else 1
            values = {i.pk: min(5, ctx.rng.choice([2, 3, 3, 4, 4]) + bias) for i in items}
            services.save_answers(
                response, values, submit=True, actor=response.user, context=SYSTEM
            )
        if opened != today:
            first, last = services.default_period(opened)
            Round.objects.filter(pk=rnd.pk).update(
                opened_on=opened,
                closes_on=opened + dt.timedelta(days=14),
                closed_at=timezone.now(),
                period_first=first,
                period_last=last,
            )
            rnd.refresh_from_db()
            services.refresh_figures(rnd)
        ctx.log(f"Fidelitet: {rnd.name}, {len(responses)} inviteret")
