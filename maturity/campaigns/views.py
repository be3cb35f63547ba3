"""The consultant's campaigns: the list, launching one from the portfolio, one campaign's
page, closing it (after a confirmation page).

Consultants and staff only (anybody else: 403, like the portfolio); a campaign is its
creator's and staff's (404 for other consultants). The dealerships of a launch come from
the portfolio: picked ones (``d``, repeated) or the table's current filter
(``scope=filter`` with the portfolio's own filter parameters), always through the
portfolio's scoped selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.http import NULL_CHARACTER_MESSAGE, has_null_character
from common.i18n import current_language
from common.xlsx import xlsx_response
from maturity.campaigns import export, selectors, services
from maturity.campaigns.forms import CampaignForm
from maturity.portfolio.attention import portfolio_attention_cached
from maturity.portfolio.forms import PortfolioFilterForm
from maturity.portfolio.selectors import (
    portfolio_data_version,
    portfolio_dealerships,
    portfolio_filter_choices,
)
from maturity.portfolio.views import consultant_or_staff


@consultant_or_staff
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "maturity/campaigns/list.html",
        {"campaigns": selectors.campaign_list(user=request.user)},
    )


def _ids(request: HttpRequest) -> list[int]:
    """The dealership ids of the launch: picked, or every one of the portfolio filter."""
    source = request.POST if request.method == "POST" else request.GET
    if source.get("scope") == "filter" and request.method == "GET":
        form = PortfolioFilterForm(request.GET, choices=portfolio_filter_choices(user=request.user))
        filters = form.filters()
        alert_ids = None
        if filters.alert:
            version = portfolio_data_version(user=request.user)
            alert_ids = portfolio_attention_cached(user=request.user, version=version).ids()
        rows = portfolio_dealerships(user=request.user, filters=filters, alert_ids=alert_ids)
        limit = settings.CAMPAIGN_MAX_DEALERSHIPS + 1
        return list(rows.values_list("pk", flat=True)[:limit])
    ids = []
    for value in source.getlist("d"):
        try:
            pk = int(value)
        except ValueError:
            continue
        if 0 < pk < 2**31:  # any other is no row (and SQLite could not even look it up)
            ids.append(pk)
    return ids


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    limit = settings.CAMPAIGN_MAX_DEALERSHIPS
    dealerships = selectors.launch_candidates(user=request.user, ids=_ids(request), limit=limit)
    too_many = len(dealerships) > limit
    form = CampaignForm(request.POST or None)
    contacts: dict[int, tuple[str, str]] = {}
    contact_errors: dict[int, str] = {}
    error = ""
    if request.method == "POST":
        for dealership in dealerships:
            if dealership.contacts:
                continue
            email = request.POST.get(f"email-{dealership.pk}", "").strip()
            name = request.POST.get(f"name-{dealership.pk}", "").strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    contact_errors[dealership.pk] = _("Enter a valid e-mail address.")
                if has_null_character(name):
                    contact_errors[dealership.pk] = str(NULL_CHARACTER_MESSAGE)
                contacts[dealership.pk] = (email, name)
        if form.is_valid() and not contact_errors and not too_many:
            try:
                campaign = services.campaign_launch(
                    user=request.user,
                    dealerships=dealerships,
                    title=form.cleaned_data["title"],
                    message=form.cleaned_data["message"],
                    due_date=form.cleaned_data["due_date"],
                    reminder_every_days=form.cleaned_data["reminder_every_days"],
                    reminder_max=form.cleaned_data["reminder_max"],
                    contacts=contacts,
                )
            except services.CampaignError as problem:
                error = str(problem)
            else:
                messages.success(
                    request,
                    _(
                        "Campaign launched: each dealership has its draft, and its contacts "
                        "are being e-mailed."
                    ),
                )
                return redirect("campaign_detail", pk=campaign.pk)
    if too_many:
        error = _("A campaign holds at most %(n)s dealerships: narrow the selection.") % {
            "n": limit
        }
    elif not dealerships:
        error = _("Choose the dealerships in your portfolio first (tick them in the table).")
    return render(
        request,
        "maturity/campaigns/new.html",
        {
            "form": form,
            "dealerships": dealerships[:limit],
            "without_contact": [d for d in dealerships[:limit] if not d.contacts],
            "contacts": contacts,
            "contact_errors": contact_errors,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )


@consultant_or_staff
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return render(
        request,
        "maturity/campaigns/detail.html",
        {"view": selectors.campaign_view(user=request.user, campaign=campaign)},
    )


def _view(request: HttpRequest, pk: int) -> selectors.CampaignView:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return selectors.campaign_view(user=request.user, campaign=campaign)


@consultant_or_staff
@require_GET
def campaign_export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The campaign's status as CSV (the page's table, each dealership's state)."""
    view = _view(request, pk)
    response = StreamingHttpResponse(
        export.csv_lines(view, language=current_language()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename(view, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@consultant_or_staff
@require_GET
def campaign_export_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    """The same table as an XLSX workbook."""
    view = _view(request, pk)
    return xlsx_response(
        lambda target: export.xlsx_write(view, target=target),
        filename=export.filename(view, "xlsx"),
    )


@consultant_or_staff
@require_http_methods(["GET", "POST"])
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what closing does, and a confirmation; POST: close."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.campaign_close(campaign=campaign, user=request.user)
        except services.CampaignClosed:
            messages.info(request, _("This campaign was already closed."))
        else:
            messages.success(
                request,
                _("Campaign closed: no more reminders. The drafts stay open for the dealers."),
            )
        return redirect("campaign_detail", pk=campaign.pk)
    view = selectors.campaign_view(user=request.user, campaign=campaign)
    return render(request, "maturity/campaigns/close.html", {"view": view})
