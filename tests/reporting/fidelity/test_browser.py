"""Real Chromium: a team lead opens a fidelity round for a team, two staff members answer (one
saves a draft first), a third answer unlocks the aggregates, the round closes, and the fidelity
page shows element scores, the data-derived scores and the gap flags. Every page is checked
with axe-core, for CSP errors and at 390 px."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

from reporting.fidelity import seeded
from reporting.fidelity.models import FidelityModel, Item, Response, Round, Source
from substitution.models import Role, Team, User
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fits_the_phone(page: Any) -> None:
    page.set_viewport_size(PHONE)
    # What a11y.js does on its (debounced) resize: wide tables become focusable regions.
    page.evaluate("() => window.a11y && window.a11y.refresh()")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('body *')).filter(e => "
        "e.getBoundingClientRect().right > window.innerWidth + 1 && "
        "e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className + ':' + e.getBoundingClientRect().right)"
        ".slice(0, 8)"
    )
    assert width <= inner, (page.url, width, inner, wide)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    page.evaluate("() => window.a11y && window.a11y.refresh()")


def switch_to(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def answer_all(page: Any, items: list[Item], option: str) -> None:
    for item in items:
        labels = ["80–100 pct.", "I meget høj grad"]
        choice = option if item.scale == "niveauer" else labels[0]
        page.get_by_role("group", name=item.text).get_by_label(choice, exact=True).check()


def test_open_answer_unlock_close_and_read_the_scores(
    page: Any, team: Team, teamleder: User
) -> None:
    seeded.seed_models()
    staff = [make_staff(Role.JOBFORMIDLER, team, username=f"jf{n}") for n in (1, 2, 3)]
    # Citizens without a CV or a job goal: the data says element 1 is at level 1.
    for user in staff:
        for _ in range(2):
            CitizenFactory.create(team=team, assigned_to=user, opened_on=dt.date(2026, 1, 5))
    model = FidelityModel.objects.get(unit__isnull=True, key="fsm")
    version = model.latest_version()
    items = list(
        Item.objects.filter(element__version=version, source=Source.SPOERGESKEMA).order_by(
            "element__position", "position"
        )
    )

    # The team lead opens a round for the team.
    login(page, "tl")
    page.goto("/styring/fidelitet/")
    assert_accessible(page)
    page.get_by_role("link", name="Åbn ny måling").click()
    page.wait_for_load_state()
    page.get_by_label("Model").select_option(label=model.name)
    page.get_by_label("Midtvejsmåling").check()
    page.get_by_label("Team A").check()
    page.get_by_label("Lukker").fill("18.12.2026")
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_role("button", name="Åbn målingen").click()
    page.wait_for_load_state()
    rnd = Round.objects.get()
    assert page.get_by_role("heading", name=rnd.name).is_visible()
    assert page.get_by_text("Målingen er åbnet").is_visible()
    row = page.get_by_role("row", name=re.compile("Team A"))
    assert row.get_by_role("cell").nth(0).inner_text() == "3"  # invited
    assert_accessible(page)
    fits_the_phone(page)
    # Each staff member got an e-mail with the link to their form.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in staff)
    link = re.search(r"https?://\S+/svar/", str(mail.outbox[0].body))
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]

    # The first saves a draft, comes back, and submits.
    switch_to(page, "jf1")
    page.goto(path)
    assert_accessible(page)
    fits_the_phone(page)
    answer_all(page, items[:3], "I meget høj grad")
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_load_state()
    assert page.get_by_text("gemt som kladde").is_visible()
    page.goto(path)
    first = page.get_by_role("group", name=items[0].text)
    assert first.get_by_label("80–100 pct.", exact=True).is_checked()
    response = Response.objects.get(user=staff[0])
    assert response.submitted_at is None and response.answers.count() == 3
    answer_all(page, items, "I meget høj grad")
    page.get_by_role("button", name="Indsend svar").click()
    page.wait_for_load_state()
    assert page.get_by_text("Dine svar er indsendt").is_visible()
    page.goto(path)
    assert page.get_by_text("Man kan kun svare én gang").is_visible()
    page.get_by_role("link", name="Spørgeskemaer").click()  # the staff member's own forms
    page.wait_for_load_state()
    assert page.get_by_text(f"{rnd.name} – besvaret").is_visible()
    assert_accessible(page)
    fits_the_phone(page)
    assert_no_csp_errors(page)

    # The second answers straight away.
    switch_to(page, "jf2")
    page.goto(path)
    answer_all(page, items, "I meget høj grad")
    page.get_by_role("button", name="Indsend svar").click()
    page.wait_for_load_state()

    # Two answers: the team lead sees no averages yet.
    switch_to(page, "tl")
    page.goto(f"/styring/fidelitet/?runde={rnd.pk}")
    assert page.get_by_text("2 af 3 har svaret").is_visible()
    assert page.get_by_text("vises, når mindst 3 har svaret").first.is_visible()
    team_section = page.locator("section.fidelity-team")
    assert "Samlet, selvvurderet: –" in team_section.inner_text()

    # The third answer unlocks them.
    switch_to(page, "jf3")
    page.goto(path)
    answer_all(page, items, "I høj grad")
    page.get_by_role("button", name="Indsend svar").click()
    page.wait_for_load_state()
    assert Response.objects.filter(round=rnd, submitted_at__isnull=False).count() == 3

    # The team lead closes the round and reads the scores.
    switch_to(page, "tl")
    page.goto(f"/styring/fidelitet/{rnd.pk}/")
    page.get_by_role("button", name="Luk målingen nu").click()
    page.wait_for_load_state()
    assert page.get_by_text("Målingen er lukket.").is_visible()
    page.get_by_role("link", name="Se fidelitet for målingen").click()
    page.wait_for_load_state()
    text = team_section.inner_text()
    assert "3 af 3 har svaret" in text
    table = team_section.get_by_role("table")
    element_1 = table.get_by_role("row", name=re.compile("1. Borgerens eget jobmål"))
    cells = element_1.get_by_role("cell").all_inner_texts()
    # Self-reported: every share item answered 80–100 pct. -> 5,0; data: no CV, no job goal -> 1,0.
    assert cells[1:3] == ["5,0", "1,0"]
    assert "⚑" in cells[3]
    assert team_section.locator("tr.gap-flag").count() >= 1
    element_5 = table.get_by_role("row", name=re.compile("5. Ressourcefokuseret"))
    resource = element_5.get_by_role("cell").all_inner_texts()
    assert resource[1] == "4,7" and resource[2] == "–"  # (5+5+4)/3; nothing in the data
    assert page.locator("figure.chart svg").count() == 1
    assert_accessible(page)
    fits_the_phone(page)
    assert_no_csp_errors(page)
