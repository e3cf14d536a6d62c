"""A leder requests the monthly status in a real browser, watches the progress bar (htmx
polling, no reload) until the run is done, and downloads the PDF; a real Celery worker makes it
through Redis. The pages are accessible, CSP-clean and work at 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from playwright.sync_api import expect

from reporting.reports.models import ReportRun, RunStatus
from substitution.models import Unit
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.reporting.reports.conftest import (
    fill,
    make_office,
    pdf_text,
    report_files,  # noqa: F401  fixture
)
from tests.reporting.reports.test_worker import (  # noqa: F401  fixture
    redis_worker_app,
    worker_process,
)

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.postgres]


def assert_fits(page: Any) -> None:
    """No horizontal scrolling at 390 px."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, (width, inner)


def test_leder_requests_the_monthly_status_and_downloads_it(
    page: Any,
    redis_worker_app: Celery,  # noqa: F811
    report_files: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    unit = Unit.objects.create(name="Jobcenter Test")
    office = make_office(unit)
    fill(office, extra=10)
    login(page, "leder")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Rapporter").click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits(page)
    page.get_by_role("link", name="Bestil rapport").click()
    assert_fits(page)
    assert_accessible(page)
    page.get_by_label("Månedlig status").check()
    page.locator("#id_month").fill("2026-11")
    page.get_by_role("button", name="Bestil rapport").click()
    page.wait_for_url("**/styring/rapporter/*/")
    run = ReportRun.objects.get()
    assert run.status == RunStatus.KOE  # queued: no worker yet
    expect(page.locator("#report-progress progress")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("I kø")
    assert_accessible(page)
    page.evaluate("window.__noReload = 'marker'")
    with worker_process(report_files):
        download_link = page.get_by_role("link", name="Hent PDF")
        expect(download_link).to_be_visible(timeout=90_000)
    assert page.evaluate("window.__noReload") == "marker"  # htmx swapped; no reload
    expect(page.locator("[data-status]")).to_have_text("Færdig")
    assert_fits(page)
    assert page.locator("#report-progress").get_attribute("hx-trigger") is None
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / "status.pdf"
    info.value.save_as(target)
    text = pdf_text(target.read_bytes())
    assert "Månedlig status: Jobcenter Test, november 2026" in text
    assert "Team Nørrebro" in text and "Team Søndermark" in text
    assert_accessible(page)
    assert_no_csp_errors(page)
    run.refresh_from_db()
    assert run.status == RunStatus.FAERDIG and run.requested_by == office.leder
