"""A population built only through the import paths, as a jobcentre moving in would (and as
the measures' tests do): citizens of several teams, visitation periods, benefit periods,
placements, monthly hours and exits, each file imported twice (the second time changes
nothing) and the whole kept by check_data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cases import invariants
from cases.citizens.models import Citizen, CitizenStatus, VisitationPeriod
from cases.citizens.services import import_citizens, sync_periods
from cases.placements.models import Placement, WeeklyHours
from cases.placements.services import import_history, import_hours
from substitution import days
from substitution.models import Team, Unit, User
from tests.factories.cases import make_cpr
from tests.factories.placements import make_company


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_a_population_through_the_imports(unit: Unit, team: Team, administrator: User) -> None:
    teams = [team, *(Team.objects.create(unit=unit, name=f"Enhed {n}") for n in range(2, 6))]
    make_company(unit, cvr="11111111")
    cprs = [make_cpr(n) for n in range(1, 11)]
    citizens = lines(
        "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
        "jobformidler;team;sag åbnet",
        *(
            f"{cpr};Borger;{n};8000;kontanthjaelp;aktivitetsparat;;;;{teams[n % 5].name};"
            f"01-0{1 + n % 6}-2025"
            for n, cpr in enumerate(cprs)
        ),
    )
    visitation = lines(
        "cpr;visitationsgruppe;fra",
        *(f"{cpr};gruppe-3;01-01-2025" for cpr in cprs[:3]),
        *(f"{cpr};gruppe-1;01-07-2025" for cpr in cprs),
    )
    benefit = lines("cpr;ydelse;fra;til", *(f"{cpr};kontanthjaelp;01-01-2025;" for cpr in cprs))
    placements = lines(
        "cpr;cvr;type;start;start bekræftet;slut;timer pr. uge;slutårsag",
        *(f"{cpr};11111111;virksomhedspraktik;01-02-2026;ja;;10;" for cpr in cprs),
        *(f"{cpr};11111111;ordinaere-loentimer;01-03-2026;ja;;6;" for cpr in cprs[:4]),
    )
    hours = lines(
        "cpr;cvr;måned;timer",
        *(f"{cpr};11111111;2026-03;30" for cpr in cprs[:4]),
        *(f"{cpr};11111111;2026-04;25,5" for cpr in cprs[:4]),
    )
    exits = lines(
        "cpr;afslutningsdato;afslutningsårsag",
        f"{cprs[9]};01-11-2026;ordinaert-job",
        f"{cprs[8]};01-11-2026;foertidspension",
    )

    for _round in range(2):
        assert import_citizens(citizens, unit, actor=administrator).errors == []
        for kind, data in (("visitation", visitation), ("ydelser", benefit),
                           ("placements", placements)):  # fmt: skip
            assert import_history(kind, data, unit, actor=administrator).errors == []
        result = import_hours(hours, unit_id=unit.pk, actor=administrator)
        assert result.errors == []
        assert import_history("afslutninger", exits, unit, actor=administrator).errors == []
    # The second round changed nothing.
    assert (result.created, result.corrected, result.unchanged) == (0, 0, 8)

    assert Citizen.objects.count() == 10
    assert {c.team_id for c in Citizen.objects.all()} == {t.pk for t in teams}
    assert Citizen.objects.get(cpr=cprs[1]).opened_on == dt.date(2025, 2, 1)
    assert VisitationPeriod.objects.filter(ends_on=dt.date(2025, 6, 30)).count() == 3
    assert Placement.objects.count() == 14
    assert (
        WeeklyHours.objects.filter(
            week_start=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31), hours=Decimal(30)
        ).count()
        == 4
    )
    assert Citizen.objects.filter(status=CitizenStatus.AFSLUTTET).count() == 2
    for citizen in Citizen.objects.all():
        sync_periods(citizen)
    assert VisitationPeriod.objects.count() == 13
    # (The company factory writes no status history: that check is not about the imports.)
    found = [
        v
        for check in invariants.CHECKS
        if check.code != "virksomhed-historik"
        for v in check.run(days.today())
    ]
    assert found == []
