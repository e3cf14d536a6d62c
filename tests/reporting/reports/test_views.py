"""Report pages: requesting answers at once with the run page, the progress fragment polls
until the run ends, downloads follow the user's teams (another team's run is 404) and are
audit-logged, the archive filters, a failure shows the Danish message (the error only for
administrators), and the pages run a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.reports import services, tasks
from reporting.reports.models import ReportRun, ReportType, RunStatus
from reporting.reports.params import Params
from substitution.audit import SYSTEM
from substitution.models import AuditEvent, User
from tests.conftest import client_for
from tests.reporting.reports.conftest import NOV, Office, fill

pytestmark = pytest.mark.django_db


def made(office: Office, kind: str, team: Any, by: User, note: str = "") -> ReportRun:
    params = Params(kind, office.unit.pk, team.pk if team else None, NOV, note=note)
    run = services.request_run(by, SYSTEM, params, enqueue=lambda pk: None).run
    tasks.generate_report.run(run.pk)
    run.refresh_from_db()
    return run


def test_a_teamleder_requests_a_caseload_report_and_gets_the_run_page(
    office: Office, eager_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(office.tl_north)
    page = client.get(reverse("reporting:report_request"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bestil rapport" in html and "Team Nørrebro" in html
    assert "Team Søndermark" not in html  # not their team
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_request"),
            {
                "report_type": ReportType.SAGSSTAMME,
                "team": office.north.pk,
                "month": "2026-11",
                "months": "12",
                "scope": "alle",
                "note": "Til sagssparring",
            },
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_run", args=[run.pk])
    assert run.requested_by == office.tl_north and run.parameters["note"] == "Til sagssparring"
    run.refresh_from_db()
    assert run.status == RunStatus.FAERDIG  # eager: the task ran on commit
    html = client.get(response["Location"]).content.decode()
    assert "Hent PDF" in html and 'hx-trigger="every 1s"' not in html


def test_the_form_refuses_what_the_user_may_not_ask_for(office: Office) -> None:
    client = client_for(office.tl_north)
    url = reverse("reporting:report_request")
    data = {"month": "2026-11", "months": "12", "scope": "alle"}
    monthly = client.post(
        url, {**data, "report_type": ReportType.MAANEDLIG_STATUS, "team": office.north.pk}
    )
    assert monthly.status_code == 200
    assert "Månedlig status viser alle teams og bestilles af en leder." in monthly.content.decode()
    other = client.post(
        url, {**data, "report_type": ReportType.SAGSSTAMME, "team": office.south.pk}
    )
    assert "Marker en gyldig valgmulighed" in other.content.decode()
    future = client.post(
        url,
        {**data, "report_type": ReportType.SAGSSTAMME, "team": office.north.pk, "month": "2027-01"},
    )
    html = future.content.decode()
    assert "Måneden er ikke begyndt endnu." in html
    assert 'value="2027-01"' in html  # what was typed is kept
    assert not ReportRun.objects.exists()


def test_the_progress_fragment_polls_while_running_and_stops_when_done(office: Office) -> None:
    params = Params(ReportType.SAGSSTAMME, office.unit.pk, office.north.pk, NOV)
    run = services.request_run(office.tl_north, SYSTEM, params, enqueue=lambda pk: None).run
    services.claim(run.pk)
    services.mark_progress(run.pk, 42, "Sagsstamme: Søren Ærø")
    client = client_for(office.tl_north)
    url = reverse("reporting:report_progress", args=[run.pk])
    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in running
    assert 'value="42"' in running and "Sagsstamme: Søren Ærø" in running
    assert "<script" not in running and "style=" not in running
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.KOE)
    tasks.generate_report.run(run.pk)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "Hent PDF" in done


def test_a_user_cannot_see_or_download_another_teams_report(office: Office) -> None:
    run = made(office, ReportType.SAGSSTAMME, office.south, office.tl_south)
    assert run.status == RunStatus.FAERDIG
    for name in ("report_run", "report_progress", "report_download"):
        url = reverse(f"reporting:{name}", args=[run.pk])
        assert client_for(office.tl_north).get(url).status_code == 404, name
        assert client_for(office.tl_south).get(url).status_code == 200, name
        assert client_for(office.leder).get(url).status_code == 200, name
    # A jobformidler may not use reports at all.
    assert client_for(office.jf_south).get(reverse("reporting:report_archive")).status_code == 403
    archive = client_for(office.tl_north).get(reverse("reporting:report_archive")).content.decode()
    assert reverse("reporting:report_run", args=[run.pk]) not in archive


def test_the_jobcentre_report_is_for_unit_wide_roles_only(office: Office) -> None:
    from substitution.models import Role
    from tests.factories.org import TeamFactory, UnitFactory, make_staff

    run = made(office, ReportType.MAANEDLIG_STATUS, None, office.leder)
    url = reverse("reporting:report_download", args=[run.pk])
    assert client_for(office.tl_north).get(url).status_code == 404
    assert client_for(office.admin).get(url).status_code == 200
    # Another jobcentre's leder sees neither the run nor its file.
    elsewhere = TeamFactory.create(unit=UnitFactory.create(name="Jobcenter B"), name="Team B1")
    other_leder = make_staff(Role.LEDER, elsewhere, username="leder_b")
    for name in ("report_run", "report_progress", "report_download"):
        response = client_for(other_leder).get(reverse(f"reporting:{name}", args=[run.pk]))
        assert response.status_code == 404, name


def test_a_download_is_the_pdf_and_is_audit_logged(office: Office) -> None:
    run = made(office, ReportType.SAGSSTAMME, office.north, office.tl_north)
    response = client_for(office.leder).get(reverse("reporting:report_download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF") and len(body) == run.file_size
    event = AuditEvent.objects.get(action="export", object_id=str(run.pk))
    assert event.user == office.leder and "Rapport hentet" in event.object_repr


def test_a_download_whose_file_is_gone_from_storage_is_404_and_not_logged(office: Office) -> None:
    """A database restored without its media (docs/backup.md) or a cleaned disk: 404, not 500."""
    run = made(office, ReportType.SAGSSTAMME, office.north, office.tl_north)
    run.file.storage.delete(str(run.file.name))
    response = client_for(office.leder).get(reverse("reporting:report_download", args=[run.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export", object_id=str(run.pk)).exists()


def test_a_failed_run_shows_the_danish_message_and_the_error_to_administrators(
    office: Office,
) -> None:
    run = made(office, ReportType.SAGSSTAMME, None, office.leder)
    assert run.status == RunStatus.FEJLET
    url = reverse("reporting:report_run", args=[run.pk])
    leder = client_for(office.leder).get(url).content.decode()
    assert "Rapporten kunne ikke dannes." in leder and "Traceback" not in leder
    assert "Sagsstammerapporten laves for et team." in leder  # the reason, in Danish
    admin = client_for(office.admin).get(url).content.decode()
    assert "Rapporten kunne ikke dannes." in admin and "ReportNotAvailable" in admin
    assert "Hent PDF" not in leder
    assert (
        client_for(office.leder)
        .get(reverse("reporting:report_download", args=[run.pk]))
        .status_code
        == 404
    )


def test_the_archive_filters_by_type_status_and_period(office: Office) -> None:
    caseload = made(office, ReportType.SAGSSTAMME, office.north, office.tl_north)
    results = made(office, ReportType.RESULTATOPGOERELSE, office.north, office.tl_north)
    client = client_for(office.tl_north)
    url = reverse("reporting:report_archive")

    def shown(**query: str) -> set[int]:
        html = client.get(url, query).content.decode()
        return {
            r.pk
            for r in (caseload, results)
            if reverse("reporting:report_run", args=[r.pk]) in html
        }

    assert shown() == {caseload.pk, results.pk}
    assert shown(type=ReportType.SAGSSTAMME) == {caseload.pk}
    assert shown(status=RunStatus.FEJLET) == set()
    assert shown(since="2026-12-02", until="2026-12-02") == {caseload.pk, results.pk}
    assert shown(since="2026-12-03") == set()
    bad = client.get(url, {"since": "2026-12-05", "until": "2026-12-01"}).content.decode()
    assert "Slutdatoen ligger før startdatoen." in bad


@pytest.mark.parametrize("name", ["report_archive", "report_request"])
def test_the_pages_run_a_constant_number_of_queries(office: Office, name: str) -> None:
    client = client_for(office.leder)
    url = reverse(f"reporting:{name}")
    client.get(url)  # warm the session (django-otp loads a device on the first request)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        made(office, ReportType.SAGSSTAMME, office.north, office.tl_north, note=str(_))
    small = count()
    fill(office, extra=5)
    for n in range(12):
        made(office, ReportType.RESULTATOPGOERELSE, office.north, office.tl_north, note=str(n))
    assert count() == small
