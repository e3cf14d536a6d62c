"""Code lists are data: seeded Danish values, editable in the admin; a retired value stays on
old records and can still be kept when editing, but cannot be chosen for new ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from cases.citizens.forms import CitizenForm, ConversationForm
from cases.citizens.models import (
    Barrier,
    BenefitType,
    Channel,
    Citizen,
    ConversationKind,
    ExitReason,
    ReadinessCategory,
    VisitationGroup,
)
from substitution import days
from substitution.admin import CodeListAdmin
from substitution.models import CodeList, Team, User
from tests.factories.cases import CitizenFactory


def yesterday() -> dt.date:
    """Yesterday at the suite's frozen instant (read inside a test, never at import)."""
    return days.today() - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("model", "code", "label"),
    [
        (BenefitType, "kontanthjaelp", "Kontanthjælp"),
        (ReadinessCategory, "aktivitetsparat", "Aktivitetsparat"),
        (VisitationGroup, "gruppe-1", "Gruppe 1 – indsats"),
        (ConversationKind, "trepartssamtale", "Trepartssamtale"),
        (Channel, "hjemmebesoeg", "Hjemmebesøg"),
        (ExitReason, "ordinaert-job", "Ordinært job"),
        (Barrier, "sprog", "Sproglige udfordringer"),
    ],
)
def test_seeded_with_danish_values_and_in_admin(
    db: None, model: type[CodeList], code: str, label: str
) -> None:
    assert model.objects.get(code=code).label == label
    assert isinstance(admin.site._registry[model], CodeListAdmin)


def choices(form: forms.BaseForm, name: str) -> QuerySet[Any]:
    """The values a form's code-list field offers."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    return field.queryset


def citizen_data(citizen: Citizen, **extra: Any) -> dict[str, Any]:
    return {
        "first_name": citizen.first_name,
        "last_name": citizen.last_name,
        "team": citizen.team_id,
        "status": "aktiv",
        **extra,
    }


def test_retired_value_cannot_be_chosen_for_new_citizen(team: Team, jobformidler: User) -> None:
    retired = BenefitType.objects.get(code="overgangsydelse")
    retired.valid_to = yesterday()
    retired.save()
    form = CitizenForm(user=jobformidler)
    assert retired not in choices(form, "benefit_type")
    assert BenefitType.objects.get(code="kontanthjaelp") in choices(form, "benefit_type")
    bound = CitizenForm(
        {
            "cpr": "150312-4002",
            "first_name": "Bo",
            "last_name": "Hansen",
            "team": team.pk,
            "status": "aktiv",
            "benefit_type": retired.pk,
        },
        user=jobformidler,
    )
    assert not bound.is_valid()
    assert "gyldig valgmulighed" in bound.errors["benefit_type"][0]


def test_retired_value_stays_on_old_record_and_is_editable(
    team: Team, jobformidler: User, jf_client: Client
) -> None:
    retired = BenefitType.objects.get(code="overgangsydelse")
    citizen = CitizenFactory.create(team=team, benefit_type=retired)
    retired.valid_to = yesterday()
    retired.save()
    assert retired in choices(CitizenForm(instance=citizen, user=jobformidler), "benefit_type")
    # The old record keeps its value while other fields are edited.
    response = jf_client.post(
        reverse("cases:citizen_edit", args=[citizen.pk]),
        citizen_data(citizen, benefit_type=retired.pk, phone="12345678"),
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.benefit_type == retired and citizen.phone == "12345678"
    assert "Overgangsydelse" in jf_client.get(citizen.get_absolute_url()).content.decode()


def test_retired_conversation_kind_not_offered_in_quick_log(db: None) -> None:
    ConversationKind.objects.filter(code="drop-in").update(valid_to=yesterday())
    future = ConversationKind.objects.create(
        code="ny-type", label="Ny type", valid_from=dt.date.today() + dt.timedelta(days=5)
    )
    kinds = choices(ConversationForm(), "kind")
    assert not kinds.filter(code="drop-in").exists()
    assert future not in kinds
    assert kinds.filter(code="individuel").exists()
