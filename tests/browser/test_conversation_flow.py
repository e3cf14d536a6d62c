"""A jobformidler's day in a real browser: open a citizen from Min dag, log a conversation
with a next step without a page reload, see it in the timeline and the follow-up on Min dag;
Danish errors beside the fields keep what was typed; pages are accessible and CSP-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cases.citizens.assignments import assign
from cases.citizens.models import Conversation
from substitution.models import FollowUp, Role, Team
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def anna(code_lists: None, team: Team) -> Any:
    jf = make_staff(Role.JOBFORMIDLER, team, username="mette", first_name="Mette")
    citizen = CitizenFactory.create(team=team, first_name="Anna", last_name="Jensen")
    assign(citizen, jf)
    return citizen


def open_anna_from_min_dag(page: Any) -> None:
    login(page, "mette")
    assert page.get_by_role("heading", name="Min dag").is_visible()
    assert_accessible(page)
    page.locator("#uden-samtale").get_by_role("link", name="Anna Jensen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Anna Jensen", level=1).is_visible()


def test_log_conversation_without_reload_and_see_follow_up_on_min_dag(page: Any, anna: Any) -> None:
    open_anna_from_min_dag(page)
    assert_accessible(page)
    page.evaluate("window.__noReload = 'marker'")
    today = timezone.localdate().strftime("%d.%m.%Y")
    form = page.locator("#quick-log")
    form.get_by_label("Type").select_option(label="Individuel samtale")
    form.get_by_label("Kanal").select_option(label="Telefon")
    form.get_by_label("Notat").fill("Talte om job på lager.")
    form.get_by_label("Aftalt næste skridt").fill("Send CV til Lager ApS")
    form.get_by_label("Frist for næste skridt").fill(today)
    form.get_by_label("Kl. (hvis det er et møde)").fill("15:00")
    form.get_by_role("button", name="Gem samtale").click()
    page.locator("#quick-log .alert-ok").wait_for()
    assert page.evaluate("window.__noReload") == "marker"  # no navigation happened
    assert "Samtalen med Anna Jensen er gemt" in page.locator("#quick-log").inner_text()
    # The next meeting as a calendar invitation, downloaded from the confirmation.
    with page.expect_download() as download_info:
        page.locator("#quick-log").get_by_role("link", name="Hent kalenderinvitation").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    ics = Path(download.path()).read_text(encoding="utf-8")
    assert "SUMMARY:Send CV til Lager ApS – Anna J." in ics
    assert "DTSTART;TZID=Europe/Copenhagen:" in ics and "T150000" in ics
    timeline = page.locator("#tidslinje")
    assert "Talte om job på lager." in timeline.inner_text()
    assert "Send CV til Lager ApS" in page.locator("#borger-opfoelgninger").inner_text()
    # The fresh form is empty again.
    assert page.locator("#quick-log").get_by_label("Notat").input_value() == ""
    conversation = Conversation.objects.get()
    assert conversation.citizen == anna and conversation.note == "Talte om job på lager."
    assert FollowUp.objects.get().title == "Send CV til Lager ApS"
    assert_no_csp_errors(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Min dag").click()
    page.wait_for_load_state()
    followups = page.locator("#mine-opfoelgninger")
    assert "Send CV til Lager ApS" in followups.inner_text()
    assert "I dag" in followups.inner_text()
    # Marking it done swaps the item in place.
    page.evaluate("window.__noReload = 'again'")
    followups.get_by_role("button", name="Markér udført").click()
    followups.locator(".badge.ok").wait_for()
    assert page.evaluate("window.__noReload") == "again"
    assert FollowUp.objects.get().done_at is not None
    assert_no_csp_errors(page)


def test_invalid_date_and_missing_kind_show_danish_messages_and_keep_input(
    page: Any, anna: Any
) -> None:
    open_anna_from_min_dag(page)
    page.evaluate("window.__noReload = 'marker'")
    form = page.locator("#quick-log")
    form.get_by_label("Dato").fill("31.02.2025")
    form.get_by_label("Notat").fill("Noget jeg ikke vil skrive igen")
    form.get_by_label("Aftalt næste skridt").fill("Ring tilbage")
    form.get_by_role("button", name="Gem samtale").click()
    page.locator("#quick-log .errors").first.wait_for()
    assert page.evaluate("window.__noReload") == "marker"
    form = page.locator("#quick-log")
    date_field = form.locator(".field", has=page.get_by_label("Dato"))
    assert "Skriv en gyldig dato som dd.mm.åååå" in date_field.inner_text()
    kind_field = form.locator(".field", has=page.get_by_label("Type"))
    assert "Vælg samtaletype." in kind_field.inner_text()
    assert form.get_by_label("Dato").input_value() == "31.02.2025"
    assert form.get_by_label("Notat").input_value() == "Noget jeg ikke vil skrive igen"
    assert form.get_by_label("Aftalt næste skridt").input_value() == "Ring tilbage"
    assert not Conversation.objects.exists()
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_quick_log_on_min_dag_without_reload(page: Any, anna: Any) -> None:
    """The same quick-log on Min dag: pick the citizen, log, and the follow-up and the recent
    conversations update in place."""
    login(page, "mette")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__noReload = 'min-dag'")
    assert "Anna Jensen" in page.locator("#uden-samtale").inner_text()
    today = timezone.localdate().strftime("%d.%m.%Y")
    form = page.locator("#quick-log")
    form.get_by_role("button", name="Gem samtale").click()  # nothing chosen yet
    page.locator("#quick-log .errors").first.wait_for()
    assert "Vælg borgeren samtalen var med." in page.locator("#quick-log").inner_text()
    form = page.locator("#quick-log")
    # The citizen field is the searchable combobox (issue 14): type, then choose. The swapped
    # form's select becomes the combobox on htmx:load, a moment after the errors show.
    form.locator('input[role="combobox"]').wait_for()
    form.get_by_role("combobox", name="Borger").fill("Anna")
    page.get_by_role("option", name="Anna Jensen").click()
    form.get_by_label("Type").select_option(label="Individuel samtale")
    form.get_by_label("Notat").fill("Kort snak i telefonen.")
    form.get_by_label("Aftalt næste skridt").fill("Ring til Anna")
    form.get_by_label("Frist for næste skridt").fill(today)
    form.get_by_role("button", name="Gem samtale").click()
    page.locator("#quick-log .alert-ok").wait_for()
    assert page.evaluate("window.__noReload") == "min-dag"
    assert "Ring til Anna" in page.locator("#mine-opfoelgninger").inner_text()
    assert "Anna Jensen" in page.locator("#seneste-samtaler").inner_text()
    assert "Anna Jensen" not in page.locator("#uden-samtale").inner_text()  # held now
    assert Conversation.objects.get().citizen == anna
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_on_a_phone_log_a_conversation_and_book_the_meeting(page: Any, anna: Any) -> None:
    """Issue 14 at 390 px: the quick-log is on the first screen; a next step with a meeting
    time gives the calendar invitation; the page does not scroll sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "mette")
    page.goto(anna.get_absolute_url())
    page.wait_for_load_state("networkidle")
    form = page.locator("#quick-log")
    assert form.evaluate("e => e.getBoundingClientRect().top + scrollY") <= 900
    today = timezone.localdate().strftime("%d.%m.%Y")
    form.get_by_label("Type").select_option(label="Individuel samtale")
    form.get_by_label("Kanal").select_option(label="Telefon")
    form.get_by_label("Aftalt næste skridt").fill("Møde hos Lager ApS")
    form.get_by_label("Frist for næste skridt").fill(today)
    form.get_by_label("Kl. (hvis det er et møde)").fill("14:30")
    form.get_by_role("button", name="Gem samtale").click()
    page.locator("#quick-log .alert-ok").wait_for()
    with page.expect_download() as download_info:
        page.locator("#quick-log").get_by_role("link", name="Hent kalenderinvitation").click()
    ics = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "SUMMARY:Møde hos Lager ApS – Anna J." in ics and "T143000" in ics
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    assert_accessible(page)
    assert_no_csp_errors(page)
