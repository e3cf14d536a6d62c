"""companies/history.py: the company's timeline; open follow-ups past due are overdue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from companies import history
from substitution.models import FollowUp, User
from tests.conftest import client_for
from tests.factories.companies import CompanyFactory, CompanyFollowUpFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_timeline_marks_open_follow_ups_past_due_as_overdue(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit, name="Lageret ApS")

    def follow_up(title: str, due: dt.date, done: bool = False) -> FollowUp:
        return CompanyFollowUpFactory.create(
            company=company,
            owner=konsulent,
            title=title,
            due_on=due,
            done_at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC) if done else None,
        )

    late = follow_up("Ring om kantinen", dt.date(2026, 2, 27))
    follow_up("Send CV", DAY)  # due today: not overdue yet
    follow_up("Besøg igen", dt.date(2026, 3, 20))
    follow_up("Aftal møde", dt.date(2026, 1, 30), done=True)  # done: never overdue
    overdue = {e.obj.title for e in history.build(company) if e.overdue}
    assert overdue == {late.title}
    # The day is a parameter: a week earlier nothing was overdue.
    assert not any(e.overdue for e in history.build(company, dt.date(2026, 2, 20)))

    body = client_for(konsulent).get(company.get_absolute_url()).content.decode()
    assert body.count('<span class="badge danger">Overskredet</span>') == 1
    assert body.count('<span class="badge ok">Udført</span>') == 1
    assert body.count('<span class="badge">Åben</span>') == 2
    item = body[body.index('<li class="followup overdue">') :]
    assert item.index("Ring om kantinen") < item.index("Overskredet") < item.index("</li>")
