"""Shared data for the report tests: a small jobcentre with two teams, Danish names, placements,
hours and exits; the report files go to a temporary directory; helpers read PDFs with pypdf.

The clock is frozen at Wednesday 2 December 2026 (tests/clock.py); reports cover November 2026.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from cases.citizens.models import Citizen, ExitReason
from reporting.measures import Period
from substitution.celery import app
from substitution.models import Role, Team, Unit, User
from tests.factories.cases import CitizenFactory, ConversationFactory, JobGoalFactory
from tests.factories.org import TeamFactory, make_staff
from tests.factories.placements import (
    PlacementFactory,
    WeeklyHoursFactory,
    make_company,
    make_task,
)

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture(autouse=True)
def report_files(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Report PDFs in a temporary directory (the ``reports`` storage)."""
    location = tmp_path / "media"
    storages = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    with override_settings(STORAGES=storages):
        yield location


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Tasks run in-process (as without REDIS_URL), whatever the environment says."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


@dataclass
class Office:
    unit: Unit
    north: Team
    south: Team
    jf_north: User
    jf_north_2: User
    jf_south: User
    leder: User
    tl_north: User
    tl_south: User
    admin: User


def make_office(unit: Unit) -> Office:
    north = TeamFactory.create(unit=unit, name="Team Nørrebro")
    south = TeamFactory.create(unit=unit, name="Team Søndermark")
    return Office(
        unit=unit,
        north=north,
        south=south,
        jf_north=make_staff(
            Role.JOBFORMIDLER, north, username="soeren", first_name="Søren", last_name="Ærø"
        ),
        jf_north_2=make_staff(
            Role.JOBFORMIDLER, north, username="aase", first_name="Åse", last_name="Østergård"
        ),
        jf_south=make_staff(
            Role.JOBFORMIDLER, south, username="bo", first_name="Bo", last_name="Bøgh"
        ),
        leder=make_staff(
            Role.LEDER, north, username="leder", first_name="Lis", email="lis@jobcenter.dk"
        ),
        tl_north=make_staff(Role.TEAMLEDER, north, username="tl_n"),
        tl_south=make_staff(Role.TEAMLEDER, south, username="tl_s"),
        admin=make_staff(Role.ADMINISTRATOR, north, username="adm"),
    )


def citizen(team: Team, jf: User, first: str, last: str, **kwargs: Any) -> Citizen:
    return CitizenFactory.create(
        team=team,
        first_name=first,
        last_name=last,
        opened_on=dt.date(2026, 1, 5),
        assigned_to=jf,
        assigned_to__on=dt.date(2026, 1, 5),
        **kwargs,
    )


def fill(office: Office, extra: int = 0) -> list[Citizen]:
    """Citizens with conversations, job goals, placements, hours and an exit; ``extra`` more
    plain citizens per jobformidler (for constant-query checks at two sizes)."""
    company = make_company(office.unit, name="Æblegården ApS")
    task = make_task(company, title="Pakning af æbler")
    out = []
    anna = citizen(office.north, office.jf_north, "Anna", "Ærbødig", cv_present=True)
    JobGoalFactory.create(citizen=anna, title="Lagerarbejde", created_on=dt.date(2026, 2, 1))
    ConversationFactory.create(
        citizen=anna,
        author=office.jf_north,
        occurred_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
    )
    paid = PlacementFactory.create(
        citizen=anna, company=company, task=task, starts_on=dt.date(2026, 3, 2)
    )
    WeeklyHoursFactory.create(
        placement=paid,
        week_start=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 30),
        hours=Decimal(40),
    )
    out.append(anna)
    bo = citizen(office.north, office.jf_north, "Bjørn", "Åkjær")
    PlacementFactory.create(
        citizen=bo,
        company=company,
        type_code="virksomhedspraktik",
        starts_on=dt.date(2026, 10, 5),
        ends_on=dt.date(2026, 11, 13),
    )
    out.append(bo)
    out.append(citizen(office.north, office.jf_north_2, "Cæcilie", "Øberg", cv_present=True))
    gone = citizen(office.south, office.jf_south, "Dorte", "Dæhn")
    Citizen.objects.filter(pk=gone.pk).update(
        status="afsluttet",
        exit_date=dt.date(2026, 11, 10),
        exit_reason=ExitReason.objects.get(code="ordinaert-job"),
    )
    out.append(gone)
    out.append(citizen(office.south, office.jf_south, "Erik", "Ærlig"))
    for jf, team in ((office.jf_north, office.north), (office.jf_south, office.south)):
        for n in range(extra):
            out.append(citizen(team, jf, f"Ekstra{n}", "Hansen"))
    return out


@pytest.fixture
def office(unit: Unit) -> Office:
    office = make_office(unit)
    fill(office)
    return office


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def line_with(text: str, label: str) -> str:
    """The extracted line that starts with ``label`` (a table row: label, then the cells)."""
    for line in text.splitlines():
        if line.startswith(label + " ") or line == label:
            return line
    raise AssertionError(f"no line starts with {label!r}")


__all__ = ["NOV", "Office", "fill", "line_with", "make_office", "pdf_pages", "pdf_text"]
