"""Trin-for-trin's Bilag 1, reproduced (docs/measures.md, "Reproducing trin-for-trin's
Bilag 1").

CFBU, *Midtvejsevaluering af jobgarantien i udsatte boligområder*, Bilag 1: per municipality
the citizens referred and in active intervention, and the shares (of those in active
intervention, "ever during the project") with a CV, in praktik without ordinary hours, with
ordinary hours and self-supporting. The five municipalities become five teams; the population
is built only through the import path (citizens, visitation periods, placements, monthly hours
rows, exits); ``manage.py measures`` must print the table's percentages, unit by unit and pooled
in total, rounded half up (Fredericia: 9 of 40 = 22.5 % prints as 23 %, 25 of 40 as 63 %).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from cases.citizens.services import import_citizens
from cases.placements.services import import_history, import_hours
from reporting.measures import percent
from substitution.models import Team, Unit, User
from tests.factories.cases import make_cpr
from tests.factories.placements import make_company

pytestmark = pytest.mark.django_db

PERIOD = "2018-01-01:2019-06-30"  # the project up to the status of June/July 2019


@dataclass(frozen=True)
class Municipality:
    name: str
    referred: int
    active: int
    cv: int  # citizens with a CV among the referred (Odense: 82, see below)
    praktik: int  # in praktik without ordinary hours
    hours: int  # with ordinary hours
    self_supporting: int
    printed: dict[str, str]  # the table's cells


# Counts chosen so that the table's percentages follow (half up) from them.
TABLE = [
    Municipality("Roskilde", 138, 138, 77, 48, 11, 12,
                 {"cv": "56 %", "praktik_without_hours": "35 %", "ordinary_hours": "8 %",
                  "self_supporting": "9 %"}),
    Municipality("Odense", 94, 70, 82, 36, 36, 1,
                 {"cv": "117 %", "praktik_without_hours": "51 %", "ordinary_hours": "51 %",
                  "self_supporting": "1 %"}),
    Municipality("Fredericia", 150, 40, 25, 9, 11, 16,
                 {"cv": "63 %", "praktik_without_hours": "23 %", "ordinary_hours": "28 %",
                  "self_supporting": "40 %"}),
    Municipality("Kolding", 92, 71, 57, 29, 3, 4,
                 {"cv": "80 %", "praktik_without_hours": "41 %", "ordinary_hours": "4 %",
                  "self_supporting": "6 %"}),
    Municipality("Høje Taastrup", 112, 112, 25, 40, 3, 21,
                 {"cv": "22 %", "praktik_without_hours": "36 %", "ordinary_hours": "3 %",
                  "self_supporting": "19 %"}),
]  # fmt: skip
TOTAL = {
    "cv": "62 %",
    "praktik_without_hours": "38 %",
    "ordinary_hours": "15 %",
    "self_supporting": "13 %",
}
SHARE_ACTIVE = {"Roskilde": "100 %", "Odense": "74 %", "Fredericia": "27 %", "Kolding": "77 %",
                "Høje Taastrup": "100 %", "Jobcentret i alt": "74 %"}  # fmt: skip
CVR = "11111111"


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _files(unit: Unit) -> dict[str, bytes]:
    """The five import files for the whole population."""
    citizens, visitation, placements, hours, exits = [], [], [], [], []
    n = 0
    for m in TABLE:
        for i in range(m.referred):
            n += 1
            cpr = make_cpr(n)
            active = i < m.active
            # Odense's CV cell counts CVs among the referred (82) over the active (70): every
            # active citizen and 12 of the others have one.
            has_cv = i < m.cv
            citizens.append(
                f"{cpr};Borger;{n};5000;kontanthjaelp;aktivitetsparat;;;;{m.name};01-12-2017;"
                f"{'ja' if has_cv else 'nej'}"
            )
            visitation.append(f"{cpr};{'gruppe-1' if active else 'gruppe-2'};01-01-2018")
            if not active:
                continue
            # Praktik without ordinary hours: the first ones, in the spring of 2018.
            if i < m.praktik:
                placements.append(
                    f"{cpr};{CVR};virksomhedspraktik;01-02-2018;ja;30-04-2018;15;planmaessigt"
                )
            # Ordinary hours in 2019, overlapping the praktik group at its end where the counts
            # need it (Odense: 36 + 36 of 70, "ever during the project").
            first_hours = max(0, min(m.praktik, m.active - m.hours))
            if first_hours <= i < first_hours + m.hours:
                placements.append(f"{cpr};{CVR};ordinaere-loentimer;01-01-2019;ja;;8;")
                hours.append(f"{cpr};{CVR};2019-02;32")
            # Self-supporting: the last ones left for a job or education in May 2019.
            if i >= m.active - m.self_supporting:
                reason = "ordinaert-job" if i % 2 else "uddannelse"
                exits.append(f"{cpr};15-05-2019;{reason}")
    return {
        "citizens": _csv(
            "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
            "jobformidler;team;sag åbnet;cv",
            citizens,
        ),
        "visitation": _csv("cpr;visitationsgruppe;fra", visitation),
        "placements": _csv(
            "cpr;cvr;type;start;start bekræftet;slut;timer pr. uge;slutårsag", placements
        ),
        "hours": _csv("cpr;cvr;måned;timer", hours),
        "exits": _csv("cpr;afslutningsdato;afslutningsårsag", exits),
    }


def _measures(*args: str) -> dict[str, dict[str, dict[str, object]]]:
    out = io.StringIO()
    call_command("measures", "--period", PERIOD, *args, stdout=out)
    document = json.loads(out.getvalue())
    return {p["label"]: p["measures"] for p in document["populations"]}


@pytest.fixture
def bilag1(unit: Unit, administrator: User) -> Unit:
    for m in TABLE:
        Team.objects.create(unit=unit, name=m.name)
    Team.objects.filter(unit=unit).exclude(name__in=[m.name for m in TABLE]).delete()
    make_company(unit, name="Praktikvirksomheden", cvr=CVR)
    files = _files(unit)
    assert import_citizens(files["citizens"], unit, actor=administrator).errors == []
    for kind, key in (("visitation", "visitation"), ("placements", "placements")):
        assert import_history(kind, files[key], unit, actor=administrator).errors == []
    assert import_hours(files["hours"], unit_id=unit.pk, actor=administrator).errors == []
    assert import_history("afslutninger", files["exits"], unit, actor=administrator).errors == []
    return unit


def test_measures_print_bilag_1(bilag1: Unit) -> None:
    slugs = ["cv", "praktik_without_hours", "ordinary_hours", "self_supporting"]
    args = [arg for slug in slugs for arg in ("--measure", slug)]
    active = _measures("--visitation-group", "gruppe-1", *args)
    referred = _measures(*args)

    for m in TABLE:
        got = {slug: active[m.name][slug]["display"] for slug in slugs}
        expected = dict(m.printed)
        if m.name == "Odense":
            # 117 % cannot come from one population: numerator and denominator from the same
            # citizens, every active Odense citizen has a CV (100 %). The table's cell is
            # exactly the CVs of the referred over the active: 82 / 70.
            expected["cv"] = "100 %"
            cvs_of_referred = referred[m.name]["cv"]["numerator"]
            assert f"{percent(cvs_of_referred, m.active)} %" == "117 %"  # type: ignore[arg-type]
        assert got == expected, m.name
        assert active[m.name]["cv"]["denominator"] == m.active
        assert referred[m.name]["cv"]["denominator"] == m.referred

    total = {slug: active["Jobcentret i alt"][slug]["display"] for slug in slugs}
    # Pooled over the 431 citizens: the table's totals, except CV, where Odense's 82 became 70
    # (254 of 431 = 59 %; with the table's 82: 266 of 431 = 61.7 % = 62 %).
    assert total == {**TOTAL, "cv": "59 %"}
    assert active["Jobcentret i alt"]["ordinary_hours"]["numerator"] == 64
    assert active["Jobcentret i alt"]["ordinary_hours"]["denominator"] == 431
    # A mean of the five units' percentages would have printed 18.8 % for ordinary hours.
    assert sum(int(m.printed["ordinary_hours"].rstrip(" %")) for m in TABLE) / 5 == 18.8

    # Share in active intervention: active over referred, half up (431 / 586 = 73.5 % -> 74 %).
    for label, printed in SHARE_ACTIVE.items():
        assert (
            f"{percent(active[label]['cv']['denominator'], referred[label]['cv']['denominator'])} %"  # type: ignore[arg-type]
            == printed
        ), label


def test_fredericia_is_the_half_up_case(bilag1: Unit) -> None:
    fredericia = _measures(
        "--visitation-group", "gruppe-1", "--team", "Fredericia",
        "--measure", "praktik_without_hours", "--measure", "cv", "--format", "json",
    )["Fredericia"]  # fmt: skip
    assert (fredericia["praktik_without_hours"]["numerator"], fredericia["cv"]["numerator"]) == (
        9,
        25,
    )
    assert fredericia["praktik_without_hours"]["value"] == 0.225
    assert fredericia["praktik_without_hours"]["display"] == "23 %"
    assert fredericia["cv"]["display"] == "63 %"
    assert round(22.5) == 22 and round(62.5) == 62  # what Python's round would have printed
