"""Demo companies: counts, a dated story per company, plain names, deterministic, idempotent."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from faker import Faker
from stdnum.dk import cvr as stdnum_cvr

from companies import coordination, demo
from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    CompanyStatusChange,
    ContactPerson,
    MappingSession,
    PipelineStatus,
    Task,
    TaskStatus,
)
from substitution import demo as org_demo
from substitution.demo import DemoContext
from substitution.models import FollowUp

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
SCALE = 0.2  # 30 companies
# A person's name: words of letters (hyphen allowed), no titles such as "Dr." or "Univ.Prof.".
PLAIN_NAME = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?: [^\W\d_]+(?:-[^\W\d_]+)*)+")
TITLES = {"dr", "prof", "univ", "hr", "fru", "frk", "cand", "mag"}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        yield


def context(seed: int = 7) -> DemoContext:
    faker = Faker("da_DK")
    faker.seed_instance(seed)
    ctx = DemoContext(seed=seed, scale=SCALE, rng=random.Random(seed), faker=faker)
    org_demo.seed(ctx)
    return ctx


def snapshot() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for company in Company.objects.order_by("cvr").prefetch_related(
        "status_history", "contacts", "mapping_sessions", "tasks", "contact_people"
    ):
        rows.append(
            (
                company.cvr,
                company.name,
                company.status,
                company.postal_code,
                company.fixed_contact_id,
                [(s.status, s.changed_on) for s in company.status_history.all()],
                sorted(
                    (c.occurred_on, c.staff_id, c.purpose, c.next_step_due)
                    for c in company.contacts.all()
                ),
                sorted(m.held_on for m in company.mapping_sessions.all()),
                sorted(
                    (t.title, t.status, t.status_changed_on, str(t.hours_per_week))
                    for t in company.tasks.all()
                ),
                sorted(p.name for p in company.contact_people.all()),
            )
        )
    return rows


def test_counts_and_ids() -> None:
    ctx = context()
    demo.seed(ctx)
    companies = Company.objects.all()
    assert companies.count() == demo.company_count(SCALE) == 30
    assert sorted(ctx.data["company_ids"]) == sorted(companies.values_list("pk", flat=True))
    assert sorted(ctx.data["task_ids"]) == sorted(Task.objects.values_list("pk", flat=True))
    assert 2 < Task.objects.count() / 30 < 7  # about four per company
    assert MappingSession.objects.exists() and Agreement.objects.exists()
    for company in companies:
        assert stdnum_cvr.validate(company.cvr) == company.cvr
        titles = list(company.tasks.values_list("title", flat=True))
        assert len(titles) == len(set(titles)), titles
        assert company.fixed_contact_id is not None
        assert company.target_groups.exists()
        assert company.contact_people.exists()
    assert demo.company_count(33) == 4950  # --scale 33: about 5,000 companies


def test_every_company_has_one_consistent_dated_story() -> None:
    demo.seed(context())
    today = timezone.localdate()
    oldest_work = today - dt.timedelta(days=demo.HISTORY_DAYS)
    for company in Company.objects.prefetch_related("status_history", "contacts"):
        history = list(company.status_history.order_by("changed_on", "pk"))
        assert history[0].status == PipelineStatus.EMNE
        assert history[-1].status == company.status
        days = [h.changed_on for h in history]
        assert days == sorted(days) and days[-1] <= today
        assert timezone.localdate(company.created_at) == days[0]
        on = {h.status: h.changed_on for h in history}
        contacts = list(company.contacts.all())
        if PipelineStatus.KONTAKTET not in on:
            assert not contacts
            continue
        last_day = on.get(PipelineStatus.INAKTIV, today)
        assert all(on[PipelineStatus.KONTAKTET] <= c.occurred_on <= last_day for c in contacts)
        for c in contacts:
            if c.next_step_due:
                assert c.next_step_due > c.occurred_on
    # Mapping sessions: within the last 18 months, the first on the day the company became
    # kortlagt, spread over many different days.
    sessions = list(MappingSession.objects.select_related("company").order_by("held_on"))
    assert sessions and all(oldest_work <= s.held_on <= today for s in sessions)
    assert len({s.held_on for s in sessions}) > len(sessions) // 2
    for s in sessions:
        first = MappingSession.objects.filter(company=s.company).order_by("held_on", "pk")[0]
        kortlagt = CompanyStatusChange.objects.get(company=s.company, status="kortlagt")
        assert first.held_on == kortlagt.changed_on
        assert s.company.fixed_contact_id is not None
        assert s.participants.filter(pk=s.company.fixed_contact_id).exists()
    # Tasks are created on their session's day; a status changes on or after it.
    tasks = list(Task.objects.select_related("session"))
    assert len({timezone.localdate(t.created_at) for t in tasks}) > 5
    for t in tasks:
        assert t.session is not None
        assert timezone.localdate(t.created_at) == t.session.held_on
        assert t.session.held_on <= t.status_changed_on <= today
        if t.status in (TaskStatus.IDENTIFICERET, TaskStatus.AABEN):
            assert t.status_changed_on == t.session.held_on
    # An agreement is signed on the day of samarbejde.
    for agreement in Agreement.objects.all():
        change = CompanyStatusChange.objects.get(company=agreement.company, status="samarbejde")
        assert agreement.signed_on == change.changed_on
    # The latest contacts' next steps are open follow-ups owned by whoever made the contact.
    with_steps = CompanyContact.objects.exclude(next_step="")
    assert with_steps.exists()
    assert FollowUp.objects.count() == with_steps.count()
    for contact in with_steps:
        assert contact.next_step_due is not None
        assert FollowUp.objects.for_subject(contact.company).filter(
            owner=contact.staff_id, due_on=contact.next_step_due, title=contact.next_step
        )


def test_contact_people_have_plain_names() -> None:
    demo.seed(context())
    names = list(ContactPerson.objects.values_list("name", flat=True))
    assert len(names) >= 30
    for name in names:
        assert PLAIN_NAME.fullmatch(name), name
        assert not {w.lower().strip(".") for w in name.split()} & TITLES, name


def test_some_companies_show_the_coordination_warning() -> None:
    demo.seed(context())
    warned = [c for c in Company.objects.all() if coordination.warning_for(c) is not None]
    assert 0 < len(warned) < 5


def test_deterministic_and_idempotent() -> None:
    ctx = context()
    demo.seed(ctx)
    first = snapshot()
    counts = (Company.objects.count(), Task.objects.count(), CompanyContact.objects.count())
    demo.seed(context())  # a second run adds nothing
    assert (
        Company.objects.count(),
        Task.objects.count(),
        CompanyContact.objects.count(),
    ) == counts
    assert snapshot() == first
    Company.objects.all().delete()
    FollowUp.objects.all().delete()
    demo.seed(context())  # the same seed on the same day gives the same companies (pks aside)
    assert snapshot() == first
    other = context(seed=8)
    Company.objects.all().delete()
    demo.seed(other)
    assert snapshot() != first
