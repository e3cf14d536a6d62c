"""Free text has a limit (issue 15, finding 7): a note over NOTE_MAX_LENGTH characters is
refused with a Danish message beside the field and the form shows what was typed; every form
of the product with free text uses the shared limit (substitution.forms.LimitedText)."""

from __future__ import annotations

import datetime as dt
import html
import importlib

from django import forms
from django.core.validators import MaxLengthValidator
from django.test import Client
from django.urls import reverse

from cases.citizens.models import Channel, Conversation, ConversationKind
from substitution.forms import NOTE_MAX_LENGTH, LimitedText, limit_text_field
from substitution.models import Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, WorkAgreementFactory

FORM_MODULES = ["cases.citizens.forms", "cases.placements.forms", "companies.forms"]
# Forms without free text: a CPR number, uploaded files.
WITHOUT_FREE_TEXT = {"CprLookupForm", "ImportForm", "HoursImportForm", "HistoryImportForm"}


def conversation(note: str) -> dict[str, object]:
    now = dt.datetime.now()
    return {
        "date": f"{now:%d.%m.%Y}",
        "time": f"{now:%H:%M}",
        "kind": ConversationKind.objects.get(code="individuel").pk,
        "channel": Channel.objects.get(code="telefon").pk,
        "job_focused": "True",
        "outcome": "afholdt",
        "note": note,
    }


def test_a_too_long_note_is_refused_in_danish_and_kept(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    note = ("Borgeren fortalte om forløbet. " * 400).strip()  # 12,399 characters
    url = reverse("cases:conversation_create", args=[citizen.pk])
    response = jf_client.post(url, conversation(note))
    assert response.status_code == 400  # the view's answer to an invalid form
    assert not Conversation.objects.exists()
    page = html.unescape(response.content.decode())
    assert f"Teksten er for lang: højst {NOTE_MAX_LENGTH} tegn, og der står {len(note)}." in page
    assert note in page  # what was typed is in the form again
    assert f'maxlength="{NOTE_MAX_LENGTH}"' not in page  # no silent cut of a pasted text

    ok = jf_client.post(url, conversation("x" * NOTE_MAX_LENGTH))
    assert ok.status_code == 302 and Conversation.objects.get().note == "x" * NOTE_MAX_LENGTH


def test_a_too_long_agreement_text_is_refused(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    placement = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 1, 5))
    WorkAgreementFactory.create(placement=placement)
    url = reverse("cases:agreement_edit", args=[placement.pk])
    form = jf_client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data["aids"] = "a" * (NOTE_MAX_LENGTH + 1)
    response = jf_client.post(url, {k: v for k, v in data.items() if not isinstance(v, list)})
    assert response.status_code == 200
    assert "Teksten er for lang" in response.context["form"].errors["aids"][0]


def test_every_form_with_free_text_has_the_limit() -> None:
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if not (isinstance(value, type) and issubclass(value, forms.BaseForm)):
                continue
            if value.__module__ != module_name or name in WITHOUT_FREE_TEXT:
                continue
            assert issubclass(value, LimitedText), f"{module_name}.{name} has no text limit"


def test_the_helper_keeps_short_codes_and_titles() -> None:
    cpr = forms.CharField(max_length=11)
    title = forms.CharField(max_length=300)
    note = forms.CharField(widget=forms.Textarea)
    for field in (cpr, title, note):
        limit_text_field(field)
        limit_text_field(field)  # idempotent
    assert "Teksten er for lang" not in str(cpr.error_messages.get("max_length", ""))
    assert "Teksten er for lang" in str(title.error_messages["max_length"])
    assert sum(isinstance(v, MaxLengthValidator) for v in note.validators) == 1
    assert note.clean("x" * NOTE_MAX_LENGTH)
    try:
        note.clean("x" * (NOTE_MAX_LENGTH + 1))
    except forms.ValidationError as error:
        assert "højst 10000 tegn" in error.messages[0]
    else:
        raise AssertionError("not refused")


def test_the_admin_limits_free_text_too(administrator: User, team: Team) -> None:
    client = client_for(administrator)
    response = client.get(reverse("admin:companies_company_add"))
    notes = response.context["adminform"].form.fields["notes"]
    assert any(getattr(v, "limit_value", None) == NOTE_MAX_LENGTH for v in notes.validators)


def test_number_fields_have_our_danish_messages() -> None:
    """Issue 14, defect 10: Django's bare "Indtast et tal." became "Skriv et tal, fx 7,5."."""
    from django import forms as django_forms

    from substitution.forms import LimitedText

    class Form(LimitedText, django_forms.Form):
        hours = django_forms.DecimalField(max_digits=4, decimal_places=1)
        days = django_forms.IntegerField(max_value=90)

    form = Form({"hours": "syv", "days": "to"})
    assert not form.is_valid()
    assert form.errors["hours"] == ["Skriv et tal, fx 7,5."]
    assert form.errors["days"] == ["Skriv et helt tal, fx 14."]
    form = Form({"hours": "7,25", "days": "120"})
    assert not form.is_valid()
    assert form.errors["days"] == ["Tallet må højst være 90."]
