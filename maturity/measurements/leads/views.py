"""Lead-response test pages: the dealership's figures and tests (everyone who sees the
dealership; its people see closed tests only, read-only), and recording, correcting and
deleting a test (its consultants and staff: 403 for the dealer's people)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.i18n import current_language
from dealers.models import Dealership
from dealers.permissions import permissions_for
from dealers.scoping import get_scoped_or_404
from maturity.measurements.leads import presenters, services
from maturity.measurements.leads.forms import DATETIME_FORMAT, LeadTestForm
from maturity.measurements.leads.grid import current_grid
from maturity.measurements.leads.selectors import lead_overview
from maturity.models import LeadTest


def _dealership(request: HttpRequest, pk: int) -> Dealership:
    return get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)


def _recorder(request: HttpRequest, pk: int) -> Dealership:
    dealership = _dealership(request, pk)
    if not permissions_for(user=request.user, dealership=dealership).can_record_lead_tests:
        raise PermissionDenied
    return dealership


def _test(dealership: Dealership, test_pk: int) -> LeadTest:
    return get_object_or_404(LeadTest, dealership=dealership, pk=test_pk)


@login_required
@require_GET
def lead_tests(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _dealership(request, pk)
    can_record = permissions_for(user=request.user, dealership=dealership).can_record_lead_tests
    now = timezone.now()
    by = "month" if request.GET.get("by") == "month" else "quarter"
    overview = lead_overview(dealership=dealership, dealer_view=not can_record, now=now, by=by)
    language = current_language()
    figures = overview.figures
    context = {
        "dealership": dealership,
        "can_record": can_record,
        "overview": overview,
        "figures": figures,
        "answered": presenters.percent_text(figures.answered_share),
        "quality": presenters.score_text(figures.quality),
        "median": presenters.duration_text(figures.median_reply),
        "rows": presenters.test_rows(overview, language=language, now=now),
        "channels": presenters.channel_rows(figures),
        "history": [
            (
                presenters.period_label(p.period),
                p.figures.tests,
                presenters.percent_text(p.figures.answered_share),
                presenters.duration_text(p.figures.median_reply),
                presenters.score_text(p.figures.quality),
            )
            for p in overview.history
        ],
        "by": by,
        "grid_lines": presenters.grid_lines(overview.grid, language=language),
        "delay": presenters.duration_text(overview.grid.no_reply_after),
    }
    return render(request, "maturity/measurements/leads/list.html", context)


def _form_page(request: HttpRequest, dealership: Dealership, test: LeadTest | None) -> HttpResponse:
    grid = current_grid()
    now = timezone.localtime().strftime(DATETIME_FORMAT)
    initial = LeadTestForm.initial_of(test) if test else {"sent_at": now}
    form = LeadTestForm(
        request.POST or None, grid=grid, language=current_language(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "channel": data["channel"],
            "question": data["question"],
            "sent_at": data["sent_at"],
            "replied_at": data["replied_at"],
            "grid_items": data["grid_items"],
            "notes": data["notes"],
        }
        if test is None:
            services.lead_test_record(dealership=dealership, user=request.user, **fields)
            messages.success(request, _("The test is recorded."))
        else:
            services.lead_test_update(test=test, **fields)
            messages.success(request, _("The test is saved."))
        return redirect("lead_tests", pk=dealership.pk)
    return render(
        request,
        "maturity/measurements/leads/form.html",
        {
            "dealership": dealership,
            "form": form,
            "test": test,
            "delay": presenters.duration_text(grid.no_reply_after),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_test_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, _recorder(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def lead_test_edit(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    dealership = _recorder(request, pk)
    return _form_page(request, dealership, _test(dealership, test_pk))


@login_required
def lead_test_delete(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    if request.method != "POST":  # after the scoping: an unknown id is a 404 whatever the method
        _dealership(request, pk)
        return HttpResponseNotAllowed(["POST"])
    dealership = _recorder(request, pk)
    services.lead_test_delete(test=_test(dealership, test_pk))
    messages.info(request, _("The test is deleted."))
    return redirect("lead_tests", pk=dealership.pk)
