"""Fixtures shared by the placement tests: a citizen with a job goal in the jobformidler's
caseload, and a company of the same jobcentre."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.citizens.models import Citizen
from companies.models import Company
from substitution.models import Team, Unit, User
from tests.factories.cases import CitizenFactory, JobGoalFactory
from tests.factories.companies import CompanyFactory


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    c = CitizenFactory.create(team=team, jobformidler=jobformidler)
    JobGoalFactory.create(citizen=c, created_on=dt.date(2026, 1, 1))
    return c


@pytest.fixture
def company(unit: Unit) -> Company:
    return CompanyFactory.create(unit=unit, name="Kantinen ApS")
