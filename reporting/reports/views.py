"""Report pages (docs/reports.md): request a report, follow its progress, download it, and the
archive. Requesting enqueues a Celery task and answers at once; the run page polls its progress
with htmx; every download is checked against the user's access and audit-logged."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reporting.reports import queries, services, tasks
from reporting.reports.forms import ArchiveFilterForm, ReportRequestForm
from reporting.reports.models import ReportRun
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest
from substitution.roles import Cap, can, require

FAILED_MESSAGE = _(
    "Rapporten kunne ikke dannes. Prøv at bestille den igen; sker det igen, så kontakt en "
    "administrator (fejlen er gemt ved kørslen)."
)


NOT_SENT_MESSAGE = _(
    "Rapporten er bestilt, men opgavekøen svarer ikke lige nu, så den er ikke startet endnu. "
    "Bestillingen er gemt og startes automatisk, når køen svarer igen; du behøver ikke bestille "
    "den igen."
)


# Outside ATOMIC_REQUESTS' transaction: the run is committed inside request_run and its task
# sent right after, so a broker outage is known (and told) before the answer, not raised as a
# 500 when the request's transaction commits.
@transaction.non_atomic_requests
def request_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.REPORTS_EXPORT)
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        requested = services.request_run(
            request.user, AuditContext.of(request), form.params(), enqueue=tasks.enqueue
        )
        if requested.run.step == services.NOT_SENT:
            messages.error(request, NOT_SENT_MESSAGE)
        return redirect("reporting:report_run", requested.run.pk)
    recent = queries.visible_runs(request.user).order_by("-requested_at", "-pk")[:5]
    return render(request, "reporting/reports/request.html", {"form": form, "recent": recent})


def _run_context(request: AuthenticatedHttpRequest, run: ReportRun) -> dict[str, object]:
    # The error itself only for administrators; everyone sees the Danish message.
    return {
        "run": run,
        "failed_message": FAILED_MESSAGE,
        "show_error": can(request.user, Cap.ADMIN_SITE),
    }


def report_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.REPORTS_EXPORT)
    run = queries.visible_run(request.user, pk)
    context = {**_run_context(request, run), "params": services.params_of(run)}
    return render(request, "reporting/reports/run.html", context)


def report_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the run page polls (htmx): it stops polling once the run ended."""
    require(request.user, Cap.REPORTS_EXPORT)
    run = queries.visible_run(request.user, pk)
    return render(request, "reporting/reports/_progress.html", _run_context(request, run))


def report_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require(request.user, Cap.REPORTS_EXPORT)
    run = queries.visible_run(request.user, pk)
    if not run.is_done or not run.has_file:
        raise Http404
    try:
        # A file gone from storage (a database restored without its media, a cleaned disk)
        # is a 404 like a purged one, not a 500.
        handle = run.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.record_download(request.user, AuditContext.of(request), run)
    params = services.params_of(run)
    filename = f"{run.report_type}-{params.period.first:%Y-%m}-{run.pk}.pdf"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


def report_archive(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.REPORTS_EXPORT)
    form = ArchiveFilterForm(request.GET or None)
    runs = queries.visible_runs(request.user).order_by("-requested_at", "-pk")
    if form.is_valid():
        data = form.cleaned_data
        runs = queries.archive(
            request.user,
            report_type=data.get("type") or "",
            status=data.get("status") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
    return render(request, "reporting/reports/archive.html", {"form": form, "runs": runs[:200]})
