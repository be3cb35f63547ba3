"""The consultant's portfolio: their home page, its CSV and XLSX exports and their alert
setting.

Consultants and staff only (staff see every dealership); anybody else gets a 403. None of
these routes takes an id: what a user sees is decided by ``dealers.scoping`` inside the
selectors, for the page and the CSV alike.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.i18n import current_language
from common.xlsx import xlsx_response
from dealers.models import Dealership
from dealers.permissions import can_use_portfolio
from maturity.measurements.leads.presenters import measured_alert_groups
from maturity.portfolio import export, presenters
from maturity.portfolio.attention import portfolio_attention_cached
from maturity.portfolio.forms import CadenceForm, PortfolioFilterForm
from maturity.portfolio.selectors import (
    portfolio_data_version,
    portfolio_dealerships,
    portfolio_filter_choices,
    portfolio_page,
    portfolio_reference_benchmark,
    portfolio_rung_distribution,
)
from maturity.portfolio.services import user_cadence_update


def consultant_or_staff(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_use_portfolio(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@consultant_or_staff
@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    language = current_language()
    version = portfolio_data_version(user=request.user)
    choices = portfolio_filter_choices(user=request.user, version=version)
    form = PortfolioFilterForm(request.GET, choices=choices)
    filters = form.filters()
    attention = portfolio_attention_cached(user=request.user, version=version)
    alerts = attention.alerts
    alert_ids = attention.ids()

    page = portfolio_page(
        user=request.user, filters=filters, number=request.GET.get("page"), alert_ids=alert_ids
    )
    table = list(presenters.rows(page.object_list, language=language, for_page=True))
    counts = portfolio_rung_distribution(
        user=request.user, filters=filters, alert_ids=alert_ids, version=version
    )
    heatmap, heatmap_rows = presenters.heatmap(
        table,
        benchmark=portfolio_reference_benchmark(
            filters=filters,
            brand_name=dict(choices["brand"]).get(str(filters.brand), ""),
            version=version,
        ),
        language=language,
    )
    active_filters = form.active_count
    context = {
        "form": form,
        "selects": presenters.filter_selects(form, filters),
        "filters": filters,
        "page": page,
        "table": table,
        "columns": presenters.columns(filters),
        "bars": presenters.distribution(counts, filters=filters, language=language),
        "assessed_count": sum(n for rung, n in counts.items() if rung),
        "heatmap": heatmap,
        "heatmap_rows": heatmap_rows,
        "alert_groups": presenters.alert_groups(alerts, filters=filters, language=language),
        "alert_total": alerts.total + len(attention.measured),
        "measured_groups": measured_alert_groups(attention.measured),
        "todo_groups": presenters.todo_groups(attention, language=language),
        "todo_total": attention.total,
        "orders": presenters.orders(filters),
        "active_filters": active_filters,
        # Nothing at all in scope (rather than nothing matching the filters).
        "portfolio_empty": page.paginator.count == 0 and active_filters == 0,
        "export_query": presenters.export_querystring(request.GET),
    }
    return render(request, "maturity/portfolio/portfolio.html", context)


def _exported(request: HttpRequest) -> QuerySet[Dealership]:
    """Every row of the table with the page's filters and sort (what both files hold)."""
    form = PortfolioFilterForm(request.GET, choices=portfolio_filter_choices(user=request.user))
    filters = form.filters()
    alert_ids = None
    if filters.alert:
        version = portfolio_data_version(user=request.user)
        alert_ids = portfolio_attention_cached(user=request.user, version=version).ids()
    return portfolio_dealerships(user=request.user, filters=filters, alert_ids=alert_ids)


def _filename(extension: str) -> str:
    return f"portefeuille-{timezone.localdate():%Y-%m-%d}.{extension}"


@consultant_or_staff
@require_GET
def portfolio_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        export.csv_lines(_exported(request), language=current_language()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@consultant_or_staff
@require_GET
def portfolio_export_xlsx(request: HttpRequest) -> FileResponse:
    dealerships = _exported(request)
    language = current_language()
    return xlsx_response(
        lambda target: export.xlsx_write(dealerships, language=language, target=target),
        filename=_filename("xlsx"),
    )


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def portfolio_settings(request: HttpRequest) -> HttpResponse:
    form = CadenceForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_cadence_update(
            user=request.user, months=form.cleaned_data["reassessment_cadence_months"]
        )
        messages.success(
            request,
            _("Saved: re-assessments are now expected every %(n)s months.")
            % {"n": request.user.reassessment_cadence_months},
        )
        return redirect("portfolio")
    return render(request, "maturity/portfolio/settings.html", {"form": form})
