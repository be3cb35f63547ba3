"""The dealership's customer reviews: figures, latest reviews and imports (everyone who
sees the dealership), and importing an export (owners, its consultants and staff: 403
for members). A bad file answers the page again with a 400 and every error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dealers.models import Dealership
from dealers.permissions import permissions_for
from dealers.scoping import get_scoped_or_404
from maturity.measurements.reviews import presenters
from maturity.measurements.reviews.forms import ReviewImportForm
from maturity.measurements.reviews.parsing import ReviewFileError
from maturity.measurements.reviews.selectors import review_overview
from maturity.measurements.reviews.services import ReviewImportRejected, reviews_import


def _page(
    request: HttpRequest,
    dealership: Dealership,
    form: ReviewImportForm,
    *,
    errors: list[str] | None = None,
    more: int = 0,
    status: int = 200,
) -> HttpResponse:
    overview = review_overview(dealership=dealership)
    context = {
        "dealership": dealership,
        "can_import": permissions_for(user=request.user, dealership=dealership).can_import_reviews,
        "overview": overview,
        "cards": presenters.figure_cards(overview.figures),
        "form": form,
        "errors": errors or [],
        "more_errors": more,
    }
    return render(request, "maturity/measurements/reviews/page.html", context, status=status)


@login_required
@require_GET
def dealership_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    return _page(request, dealership, ReviewImportForm())


@login_required
def review_import(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if request.method != "POST":  # after the scoping: an unknown id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    if not permissions_for(user=request.user, dealership=dealership).can_import_reviews:
        raise PermissionDenied
    form = ReviewImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, dealership, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        record = reviews_import(
            dealership=dealership,
            user=request.user,
            data=upload.read(),
            filename=upload.name or "reviews",
        )
    except ReviewFileError as error:
        return _page(
            request, dealership, form, errors=[presenters.file_error_text(error)], status=400
        )
    except ReviewImportRejected as rejected:
        lines, more = presenters.row_errors(rejected.errors)
        return _page(request, dealership, form, errors=lines, more=more, status=400)
    messages.success(
        request,
        _(
            "Imported: %(added)s new reviews, %(known)s already known (%(updated)s with a new "
            "answer). Nothing is counted twice."
        )
        % {
            "added": record.added,
            "known": record.rows - record.added,
            "updated": record.updated,
        },
    )
    return redirect("dealership_reviews", pk=dealership.pk)
