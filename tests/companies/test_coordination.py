"""companies/coordination.py: "Én indgang", more than the limit of different staff members
contacting a company in seven days."""

from __future__ import annotations

import datetime as dt

import pytest

from companies import coordination
from substitution.models import Role, Team, Threshold, User
from tests.factories.companies import CompanyFactory, ContactFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_coordination_warning_over_limit_in_seven_days(team: Team, konsulent: User) -> None:
    company = CompanyFactory.create(unit=team.unit, fixed_contact=konsulent)
    staff = [konsulent] + [make_staff(Role.JOBFORMIDLER, team, username=f"jf{n}") for n in range(3)]
    ContactFactory.create(company=company, staff=staff[0], occurred_on=DAY)
    ContactFactory.create(company=company, staff=staff[0], occurred_on=DAY)  # same person twice
    ContactFactory.create(company=company, staff=staff[1], occurred_on=DAY - dt.timedelta(days=6))
    ContactFactory.create(
        company=company, staff=staff[2], occurred_on=DAY - dt.timedelta(days=7)
    )  # out
    assert coordination.warning_for(company, DAY) is None  # 2 staff, limit 2
    ContactFactory.create(company=company, staff=staff[3], occurred_on=DAY - dt.timedelta(days=3))
    warning = coordination.warning_for(company, DAY)
    assert warning is not None and (warning.staff_count, warning.limit) == (3, 2)
    assert [w.company for w in coordination.warnings_for_fixed_contact(konsulent, DAY)] == [company]
    # The limit is data: a jobcentre may allow more.
    Threshold.objects.create(key="coordination_staff_limit", value=3, unit=team.unit)
    assert coordination.warning_for(company, DAY) is None
