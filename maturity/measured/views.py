"""The website check button and its self-updating status; a consultant's confirmation.

The dealership's owner and its consultants (and staff) ask for a check; its other people
see the status only. Confirming (or withdrawing a confirmation of) a declared answer that
a measurement contradicts is the consultant's (``can_review``). Everything is fetched
through the scoping module: a dealership out of reach is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.http import is_htmx, safe_next_url
from common.i18n import current_language
from dealers.models import Dealership
from dealers.permissions import permissions_for
from dealers.scoping import get_scoped_or_404
from maturity import selectors
from maturity.measured import services
from maturity.measured.presenters import measurement_status
from maturity.measured.selectors import latest_website_measurement
from maturity.measured.tasks import request_website_check
from maturity.models import Assessment, AssessmentResult, MeasurementConfirmation

COMMENT_MAX = MeasurementConfirmation._meta.get_field("comment").max_length


def _status(request: HttpRequest, dealership: Dealership) -> HttpResponse:
    allowed = permissions_for(user=request.user, dealership=dealership)
    response = render(
        request,
        "maturity/measured/_status.html",
        {
            "dealership": dealership,
            "check": measurement_status(
                latest_website_measurement(dealership), language=current_language()
            ),
            "can_check": bool(dealership.website_url)
            and (allowed.can_edit_profile or allowed.can_review),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def website_check_request(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Check the website": a pending measurement, run by a worker."""
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    allowed = permissions_for(user=request.user, dealership=dealership)
    if not (allowed.can_edit_profile or allowed.can_review):
        raise PermissionDenied
    try:
        request_website_check(dealership=dealership, requested_by=request.user)
    except services.NoWebsite:
        messages.error(request, _("Give the website's address on the profile page first."))
        if allowed.can_edit_profile:
            return redirect("dealership_profile", pk=pk)
        return redirect("dealership_detail", pk=pk)
    if is_htmx(request):
        return _status(request, dealership)
    messages.info(request, _("The website is being checked; the result appears in a minute."))
    default = reverse("dealership_detail", args=[pk])
    return redirect(safe_next_url(request, request.POST.get("next"), default=default))


@login_required
@require_GET
def website_check_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment (htmx polls it every 2 s while the check runs)."""
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    return _status(request, dealership)


def _confirmable(request: HttpRequest, pk: int, assessment_pk: int) -> Assessment:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    if not permissions_for(user=request.user, dealership=assessment.dealership).can_review:
        raise PermissionDenied
    return assessment


def _comparison_keys(assessment: Assessment, statuses: set[str]) -> set[str]:
    result = AssessmentResult.objects.filter(assessment=assessment).first()
    measured = (result.snapshot.get("measured") or {}) if result else {}
    return {c["key"] for c in measured.get("comparisons", ()) if c["status"] in statuses}


@login_required
@require_POST
def measured_confirm(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """The consultant confirms a declared answer the measurement contradicts."""
    assessment = _confirmable(request, pk, assessment_pk)
    key = request.POST.get("key", "")
    comment = request.POST.get("comment", "").strip()
    back = reverse("assessment_feedback", args=[pk, assessment_pk]) + "#measured"
    if key not in _comparison_keys(assessment, {"disproved"}):
        return HttpResponseBadRequest(_("This answer is not contradicted by a measurement."))
    if not comment or len(comment) > COMMENT_MAX:
        messages.error(
            request,
            _("Say in a comment (up to %(n)s characters) why the declared answer holds.")
            % {"n": COMMENT_MAX},
        )
        return redirect(back)
    services.measurement_confirm(
        dealership=assessment.dealership, key=key, comment=comment, author=request.user
    )
    messages.success(request, _("Declared answer confirmed: it is scored again."))
    return redirect(back)


@login_required
@require_POST
def measured_unconfirm(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """Withdraw a confirmation: the measured value is scored again."""
    assessment = _confirmable(request, pk, assessment_pk)
    key = request.POST.get("key", "")
    if key not in _comparison_keys(assessment, {"confirmed"}):
        return HttpResponseBadRequest(_("This answer has no confirmation to withdraw."))
    services.measurement_unconfirm(dealership=assessment.dealership, key=key)
    messages.info(request, _("Confirmation withdrawn: the measured value is scored again."))
    return redirect(reverse("assessment_feedback", args=[pk, assessment_pk]) + "#measured")
