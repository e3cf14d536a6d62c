"""Survey rounds: opening, invitations, drafts, answering once, reminders, closing, extending
(reporting/fidelity/services.py and tasks.py), and data items computed by the measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.fidelity import scoring, seeded, services, tasks
from reporting.fidelity.models import (
    DataFigure,
    FidelityModel,
    Item,
    ModelVersion,
    Response,
    Round,
    Source,
)
from substitution import days
from substitution.audit import SYSTEM
from substitution.models import AuditEvent, Role, Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)  # the suite's frozen day (tests/clock.py)


@pytest.fixture
def fsm(db: None) -> ModelVersion:
    seeded.seed_models()
    version = FidelityModel.objects.get(unit__isnull=True, key="fsm").latest_version()
    assert version is not None
    return version


def staff_with_caseload(team: Team, username: str, citizens: int = 1, **kw: object) -> User:
    user = make_staff(Role.JOBFORMIDLER, team, username=username)
    for _ in range(citizens):
        CitizenFactory.create(team=team, assigned_to=user, opened_on=dt.date(2026, 1, 5), **kw)
    return user


def open_for(team: Team, lead: User, version: ModelVersion, closes: int = 14) -> Round:
    return services.open_round(
        actor=lead,
        context=SYSTEM,
        version=version,
        kind="midtvejs",
        name="Midtvejsmåling",
        teams=[team],
        closes_on=TODAY + dt.timedelta(days=closes),
        site_url="https://jobcenter.example/",
    )


def survey_values(version: ModelVersion, value: int) -> dict[int, int | None]:
    return {
        i.pk: value
        for i in Item.objects.filter(element__version=version, source=Source.SPOERGESKEMA)
    }


def test_opening_invites_every_jobformidler_with_a_caseload_by_email(
    fsm: ModelVersion,
    team: Team,
    other_team: Team,
    teamleder: User,
    konsulent: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    a = staff_with_caseload(team, "jf_a", 2)
    b = staff_with_caseload(team, "jf_b")
    make_staff(Role.JOBFORMIDLER, team, username="jf_none")  # no caseload: not asked
    staff_with_caseload(other_team, "jf_other")  # another team
    # Citizens in both teams: answers for the round's team where most of them are.
    both = staff_with_caseload(other_team, "jf_both", 2)
    CitizenFactory.create(team=team, assigned_to=both)

    with django_capture_on_commit_callbacks(execute=True):  # invitations go after commit
        rnd = open_for(team, teamleder, fsm)
    invited = set(Response.objects.filter(round=rnd).values_list("user__username", "team_id"))
    assert invited == {("jf_a", team.pk), ("jf_b", team.pk), ("jf_both", team.pk)}
    assert rnd.min_respondents == 3 and rnd.version == fsm
    assert (rnd.period_first, rnd.period_last) == (dt.date(2026, 9, 3), TODAY)
    assert {m.to[0] for m in mail.outbox} == {a.email, b.email, both.email}
    body = mail.outbox[0].body
    assert f"https://jobcenter.example/styring/fidelitet/{rnd.pk}/svar/" in body
    assert "vises aldrig enkeltvis" in body
    assert AuditEvent.objects.filter(action="create", object_id=str(rnd.pk)).exists()

    leder = make_staff(Role.LEDER, team, username="leder")
    both_teams = services.open_round(
        actor=leder,
        context=SYSTEM,
        version=fsm,
        kind="slut",
        name="Slutmåling",
        teams=[team, other_team],
        closes_on=TODAY,
    )
    assert Response.objects.get(round=both_teams, user=both).team == other_team


def test_opening_for_a_team_the_lead_does_not_lead_is_refused(
    fsm: ModelVersion, other_team: Team, teamleder: User
) -> None:
    with pytest.raises(PermissionDenied):
        open_for(other_team, teamleder, fsm)


def test_a_draft_is_kept_and_a_submitted_answer_cannot_be_given_twice(
    fsm: ModelVersion, team: Team, teamleder: User
) -> None:
    jf = staff_with_caseload(team, "jf_a")
    rnd = open_for(team, teamleder, fsm)
    response = Response.objects.get(round=rnd, user=jf)
    values = survey_values(fsm, 4)
    first_item = next(iter(values))
    values[first_item] = None  # "Ved ikke": no answer row
    services.save_answers(response, values, submit=False, actor=jf, context=SYSTEM)
    response.refresh_from_db()
    assert response.submitted_at is None and response.saved_at is not None
    assert response.answers.count() == len(values) - 1
    services.save_answers(response, survey_values(fsm, 5), submit=True, actor=jf, context=SYSTEM)
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert set(response.answers.values_list("value", flat=True)) == {5}
    with pytest.raises(ValidationError):
        services.save_answers(
            response, survey_values(fsm, 1), submit=True, actor=jf, context=SYSTEM
        )
    assert set(response.answers.values_list("value", flat=True)) == {5}
    # The audit row says that it was submitted, never what was answered.
    event = AuditEvent.objects.filter(object_id=str(rnd.pk), action="change").order_by("pk").last()
    assert event is not None and event.changes == {"besvarelse": ["", "indsendt"]}


def test_nobody_answers_for_someone_else_or_after_closing(
    fsm: ModelVersion, team: Team, teamleder: User
) -> None:
    jf = staff_with_caseload(team, "jf_a")
    other = staff_with_caseload(team, "jf_b")
    rnd = open_for(team, teamleder, fsm)
    response = Response.objects.get(round=rnd, user=jf)
    with pytest.raises(PermissionDenied):
        services.save_answers(
            response, survey_values(fsm, 3), submit=True, actor=other, context=SYSTEM
        )
    services.close_round(rnd, actor=teamleder, context=SYSTEM)
    with pytest.raises(ValidationError):
        services.save_answers(
            response, survey_values(fsm, 3), submit=True, actor=jf, context=SYSTEM
        )


def test_the_daily_task_reminds_once_before_closing_and_closes_when_due(
    fsm: ModelVersion, team: Team, teamleder: User
) -> None:
    jf_a = staff_with_caseload(team, "jf_a")
    jf_b = staff_with_caseload(team, "jf_b")
    rnd = open_for(team, teamleder, fsm, closes=5)
    services.save_answers(
        Response.objects.get(round=rnd, user=jf_a),
        survey_values(fsm, 3),
        submit=True,
        actor=jf_a,
        context=SYSTEM,
    )
    mail.outbox.clear()
    assert services.send_reminders(TODAY) == 0  # 5 days before: too early (default 3)
    assert services.send_reminders(rnd.closes_on - dt.timedelta(days=3)) == 1
    assert [m.to[0] for m in mail.outbox] == [jf_b.email]  # only who has not answered
    assert "Påmindelse" in mail.outbox[0].subject
    assert services.send_reminders(rnd.closes_on - dt.timedelta(days=2)) == 0  # once

    assert services.close_due(rnd.closes_on) == 0  # open through its closing day
    result = tasks.fidelity_rounds.apply().get()  # today: not due
    assert result == {"reminded": 0, "closed": 0}
    assert services.close_due(rnd.closes_on + dt.timedelta(days=1)) == 1
    rnd.refresh_from_db()
    assert rnd.closed_at is not None


def test_closing_early_and_extending(fsm: ModelVersion, team: Team, teamleder: User) -> None:
    staff_with_caseload(team, "jf_a")
    rnd = open_for(team, teamleder, fsm, closes=5)
    with pytest.raises(ValidationError):
        services.extend_round(rnd, rnd.closes_on, actor=teamleder, context=SYSTEM)
    services.extend_round(
        rnd, rnd.closes_on + dt.timedelta(days=7), actor=teamleder, context=SYSTEM
    )
    rnd.refresh_from_db()
    assert rnd.closes_on == TODAY + dt.timedelta(days=12)
    services.close_round(rnd, actor=teamleder, context=SYSTEM)
    assert not Round.objects.get(pk=rnd.pk).is_open(days.today())
    with pytest.raises(ValidationError):
        services.close_round(rnd, actor=teamleder, context=SYSTEM)
    with pytest.raises(ValidationError):
        services.extend_round(
            rnd, rnd.closes_on + dt.timedelta(days=7), actor=teamleder, context=SYSTEM
        )


def test_data_items_are_computed_by_the_measures_for_the_rounds_period(
    fsm: ModelVersion, team: Team, teamleder: User
) -> None:
    jf = staff_with_caseload(team, "jf_a", 3, cv_present=True)
    for _ in range(2):
        CitizenFactory.create(team=team, assigned_to=jf, opened_on=dt.date(2026, 1, 5))
    rnd = open_for(team, teamleder, fsm)
    stored = {f.measure: f for f in DataFigure.objects.filter(round=rnd, team=team)}
    assert set(stored) >= {"cv", "caseload_per_jobformidler", *scoring.OUTCOMES}
    assert stored["cv"].value == Decimal("0.6")  # 3 of 5
    assert stored["caseload_per_jobformidler"].value == Decimal(5)
    total = {f.measure: f for f in DataFigure.objects.filter(round=rnd, team__isnull=True)}
    assert total["cv"].value == Decimal("0.6")  # pooled over the round's one team
    assert total["caseload_per_jobformidler"].value == Decimal(5)  # computed for all teams

    (score,) = scoring.team_scores(rnd, [team]).teams
    first = score.elements[0]  # Borgerens eget jobmål: cv 60 % -> 4, own job goal 0 % -> 1
    assert first.data_score == Decimal("2.5")
    second = score.elements[1]  # caseload 5 per jobformidler: under 30 -> level 5
    caseload_item = next(
        i for i in second.element.items if i.measure == "caseload_per_jobformidler"
    )
    assert second.item_scores[caseload_item.id] == Decimal(5)

    # Recomputed for the same period when the round closes (late data counts).
    CitizenFactory.create(team=team, assigned_to=jf, opened_on=dt.date(2026, 1, 5), cv_present=True)
    services.close_round(rnd, actor=teamleder, context=SYSTEM)
    assert DataFigure.objects.get(round=rnd, team=team, measure="cv").value == Decimal("0.666667")


def test_the_rounds_total_is_pooled_over_its_teams_as_the_measures_compute_it(
    fsm: ModelVersion, team: Team, other_team: Team
) -> None:
    from reporting import measures

    leder = make_staff(Role.LEDER, team, username="leder")
    staff_with_caseload(team, "jf_a", 3, cv_present=True)
    staff_with_caseload(other_team, "jf_b", 1)
    staff_with_caseload(other_team, "jf_c", 4, cv_present=True)
    rnd = services.open_round(
        actor=leder,
        context=SYSTEM,
        version=fsm,
        kind="slut",
        name="Slut",
        teams=[team, other_team],
        closes_on=TODAY,
    )
    period = measures.Period(rnd.period_first, rnd.period_last)
    population = measures.Population(team.unit_id, (team.pk, other_team.pk))
    direct = measures.compute(population, period)
    stored = {f.measure: f for f in DataFigure.objects.filter(round=rnd, team__isnull=True)}
    for slug, figure in stored.items():
        assert (figure.numerator, figure.denominator, figure.value) == (
            direct[slug].numerator,
            direct[slug].denominator,
            direct[slug].value,
        ), slug
    assert stored["cv"].value == Decimal("0.875")  # 7 of 8
