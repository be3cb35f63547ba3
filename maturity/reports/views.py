"""PDF roadmaps: ask for one, watch it being made, download it.

Everyone who sees the dealership (its people, its consultants, staff) may generate and
download its reports; everyone else gets a 404, as for an id that does not exist. Every
view fetches through the scoping module, at request time: a PDF is never reachable by a
public media URL, so losing access to a dealership also loses access to its PDFs.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.storage import stored_file_response
from dealers.scoping import get_scoped_or_404
from maturity.models import Assessment, Report
from maturity.reports.content import REPORT_LANGUAGES
from maturity.reports.retention import report_is_purged
from maturity.reports.services import ReportNotAvailable, report_file_exists, report_request

# File names are not interface text: fixed per language, whatever the catalogues hold.
FILE_PREFIX = {"fr": "feuille-de-route", "en": "roadmap"}
# After this long in the queue, or rendering, the status page says it is taking longer
# than usual (a render takes a few seconds; a lost one is started again within a minute).
SLOW_AFTER = timedelta(seconds=30)


def _report(request: HttpRequest, dealership_pk: int, report_pk: int) -> Report:
    queryset = Report.objects.select_related("assessment__dealership", "requested_by")
    return get_scoped_or_404(
        queryset, request.user, pk=report_pk, assessment__dealership_id=dealership_pk
    )


@login_required
def report_create(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """ "Generate the PDF": reuse a ready one for unchanged content, else queue a new one."""
    assessment = get_scoped_or_404(
        Assessment.objects.select_related("dealership"),
        request.user,
        pk=assessment_pk,
        dealership_id=pk,
    )
    # Scoping before the method check: an id outside the user's scope is a 404 either way.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # The dealer's language by default; a consultant may ask for the other one.
    language = request.POST.get("language") or assessment.dealership.language
    if language not in REPORT_LANGUAGES:
        language = assessment.dealership.language
    try:
        report = report_request(assessment=assessment, user=request.user, language=language)
    except ReportNotAvailable as exc:
        messages.error(request, _(str(exc)))
        return redirect("dealership_detail", pk=pk)
    return redirect("report_detail", pk=pk, report_pk=report.pk)


def _status_context(report: Report) -> dict[str, object]:
    now = timezone.now()
    waiting_since = report.queued_at or report.created_at
    stages = [
        (Report.Status.QUEUED, _("Queued")),
        (Report.Status.RUNNING, _("Laying out the pages")),
        (Report.Status.READY, _("Ready")),
    ]
    order = [s for s, _label in stages]
    if report.status == Report.Status.FAILED:
        # Show where it stopped: in the queue, or while laying out.
        stopped = order.index(Report.Status.RUNNING if report.started_at else Report.Status.QUEUED)
        states = ["done"] * stopped + ["failed"] + ["todo"] * (len(order) - stopped - 1)
    elif report.status == Report.Status.READY:
        states = ["done"] * len(order)
    else:
        current = order.index(report.status)
        states = [
            "done" if i < current else "current" if i == current else "todo"
            for i in range(len(order))
        ]
    return {
        "report": report,
        "dealership": report.assessment.dealership,
        "assessment": report.assessment,
        "stages": [
            {"label": label, "state": state}
            for (_status, label), state in zip(stages, states, strict=True)
        ],
        "in_progress": report.status in (Report.Status.QUEUED, Report.Status.RUNNING),
        "slow": (report.status == Report.Status.QUEUED and now - waiting_since > SLOW_AFTER)
        or (
            report.status == Report.Status.RUNNING
            and now - (report.started_at or waiting_since) > SLOW_AFTER
        ),
        "downloadable": report.status == Report.Status.READY and report_file_exists(report),
        # Its file was deleted by the retention job (the row stays, to say so).
        "purged": report_is_purged(report),
        "retention_days": settings.REPORT_RETENTION_DAYS,
        "email_when_ready": settings.REPORTS_EMAIL_WHEN_READY and report.requested_by_id,
    }


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The status page: it polls :func:`report_status` until the PDF is ready or failed."""
    report = _report(request, pk, report_pk)
    return render(request, "maturity/reports/status.html", _status_context(report))


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The status fragment (htmx swaps it in place every 2 s while the job runs)."""
    report = _report(request, pk, report_pk)
    response = render(request, "maturity/reports/_status.html", _status_context(report))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_retry(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """ "Try again" after a failure: a new request for the same assessment and language."""
    report = _report(request, pk, report_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if report.status != Report.Status.FAILED:
        return redirect("report_detail", pk=pk, report_pk=report.pk)
    try:
        again = report_request(
            assessment=report.assessment, user=request.user, language=report.language
        )
    except ReportNotAvailable as exc:
        messages.error(request, _(str(exc)))
        return redirect("dealership_detail", pk=pk)
    return redirect("report_detail", pk=pk, report_pk=again.pk)


def download_name(report: Report) -> str:
    """A file name chosen by the server (nothing of it comes from the request)."""
    assessment = report.assessment
    day = timezone.localdate(assessment.submitted_at or report.created_at)
    prefix = FILE_PREFIX.get(report.language, FILE_PREFIX["fr"])
    dealership = slugify(assessment.dealership.name)[:60] or "dealership"
    return f"{prefix}-{dealership}-{day:%Y-%m-%d}.pdf"


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The PDF, streamed from the storage (or a redirect to a short-lived signed URL of
    the bucket), once the scoping found the report."""
    report = _report(request, pk, report_pk)
    if report.status != Report.Status.READY or not report_file_exists(report):
        raise Http404
    try:
        return stored_file_response(
            report.file.storage,
            report.file.name,
            filename=download_name(report),
            content_type="application/pdf",
        )
    except FileNotFoundError:  # removed between the check and the read
        raise Http404 from None
