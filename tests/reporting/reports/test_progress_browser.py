"""The run page's progress box polls itself with htmx (issue 16): the end of the run, done or
failed, is read out by the page's one live region; the progress steps are not (no chatter);
and no alert arrives inside the swapped box. axe-core finds no violation of any impact."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.reports import services
from reporting.reports.models import ReportRun, ReportType
from reporting.reports.params import Params
from reporting.reports.views import FAILED_MESSAGE
from substitution.audit import SYSTEM
from substitution.models import Unit
from tests.browser.a11y import announced, assert_announced, axe_violations, describe
from tests.conftest import assert_no_csp_errors, login
from tests.reporting.reports.conftest import NOV, Office, make_office

pytestmark = pytest.mark.browser


def running_run(office: Office) -> ReportRun:
    params = Params(ReportType.SAGSSTAMME, office.unit.pk, office.north.pk, NOV)
    run = services.request_run(office.tl_north, SYSTEM, params, enqueue=lambda pk: None).run
    services.claim(run.pk)
    services.mark_progress(run.pk, 40, "Sagsstamme: Team Nørrebro")
    return run


def open_run_page(page: Any, run: ReportRun) -> None:
    login(page, "tl_n")
    page.goto(reverse("reporting:report_run", args=[run.pk]))
    expect(page.locator("#report-bar")).to_have_attribute("value", "40")
    # A few polls while it runs: nothing is read out.
    services.mark_progress(run.pk, 60, "Sagsstamme: Team Nørrebro")
    expect(page.locator("#report-bar")).to_have_attribute("value", "60")
    assert announced(page) == ""


def assert_no_violations(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n{describe(violations)}"


def test_a_finished_report_is_announced(page: Any, unit: Unit) -> None:
    office = make_office(unit)
    run = running_run(office)
    open_run_page(page, run)
    assert_no_violations(page, "report running")
    services.finish(run.pk, "status.pdf", b"%PDF-1.4\n%%EOF\n", 1)
    expect(page.get_by_role("link", name="Hent PDF")).to_be_visible()
    assert_announced(page, "Rapporten er færdig og kan hentes som PDF.")
    assert (
        page.locator("#report-progress [role=alert], #report-progress [role=status]").count() == 0
    )
    assert_no_violations(page, "report done")
    assert_no_csp_errors(page)


def test_a_failed_report_is_announced_by_the_live_region(page: Any, unit: Unit) -> None:
    office = make_office(unit)
    run = running_run(office)
    open_run_page(page, run)
    services.fail(run.pk, "Traceback: boom")
    expect(page.locator("[data-status]")).to_have_text("Fejlet")
    assert_announced(page, str(FAILED_MESSAGE))
    assert (
        page.locator("#report-progress [role=alert], #report-progress [role=status]").count() == 0
    )
    assert_no_violations(page, "report failed")
    assert_no_csp_errors(page)
