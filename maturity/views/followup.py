"""Roadmap follow-up (the whole roadmap with statuses, and marking an action), and the
dealer group's dealerships side by side.

Marking is POST only, by the dealership's own people (consultants and staff read: 403).
It works as a plain form (redirect back) and, with htmx, swaps the action's status control
in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from dealers.models import Dealership
from dealers.scoping import get_scoped_or_404
from maturity import followup
from maturity.catalogues import catalogue_for
from maturity.group import group_overview
from maturity.models import Assessment
from maturity.presenters import normalise_language


def _dealership(request: HttpRequest, pk: int) -> Dealership:
    return get_scoped_or_404(
        Dealership.objects.select_related("group").prefetch_related("brands"), request.user, pk=pk
    )


def _latest_submitted(dealership: Dealership) -> Assessment | None:
    return (
        Assessment.objects.filter(
            dealership=dealership, status=Assessment.Status.SUBMITTED, result__isnull=False
        )
        .select_related("version", "result")
        .order_by("-submitted_at", "-pk")
        .first()
    )


@login_required
@require_GET
def roadmap_followup(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _dealership(request, pk)
    language = normalise_language(translation.get_language())
    latest = _latest_submitted(dealership)
    horizons = None
    if latest is not None:
        blocks = followup.roadmap_blocks(latest, language=language)
        if blocks is not None:
            horizons = followup.track(blocks, followup.statuses_for(dealership))
    actions = followup.all_actions(horizons) if horizons else []
    return render(
        request,
        "maturity/followup/roadmap.html",
        {
            "dealership": dealership,
            "latest": latest,
            "horizons": horizons,
            "total": len(actions),
            "done": sum(1 for a in actions if a.is_done),
            "in_progress": sum(1 for a in actions if a.status == followup.Status.IN_PROGRESS),
            "can_follow_up": followup.can_follow_up(user=request.user, dealership=dealership),
        },
    )


@login_required
def roadmap_status(request: HttpRequest, pk: int, action_key: str) -> HttpResponse:
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if request.method != "POST":  # after the scoping: an unknown id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    if not followup.can_follow_up(user=request.user, dealership=dealership):
        raise PermissionDenied
    latest = _latest_submitted(dealership)
    if latest is None:
        raise Http404
    status = request.POST.get("status", "")
    try:
        row = followup.roadmap_status_set(
            dealership=dealership,
            action_key=action_key,
            status=status,
            user=request.user,
            catalogue_of=latest,
        )
    except followup.UnknownAction:
        raise Http404 from None
    except ValueError:
        return HttpResponseBadRequest("Unknown status.")

    if request.headers.get("HX-Request") == "true":
        language = normalise_language(translation.get_language())
        catalogue = catalogue_for(latest.version.definition)
        assert catalogue is not None  # roadmap_status_set checked the key against it
        action = catalogue.action(action_key)
        control = followup.StatusControl(
            key=action_key,
            title=action.title.get(language),
            status=row.status,
            done_at=row.done_at,
        )
        return render(
            request,
            "maturity/followup/_status.html",
            {
                "dealership": dealership,
                "control": control,
                "can_follow_up": True,
                "saved": True,
                "next": request.POST.get("next", ""),
            },
        )
    messages.success(request, followup.status_message(row))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("roadmap_followup", args=[dealership.pk])
    return redirect(f"{target.split('#')[0]}#action-{action_key}")


@login_required
@require_GET
def dealership_group(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _dealership(request, pk)
    overview = group_overview(user=request.user, dealership=dealership)
    if overview is None:
        raise Http404
    return render(
        request,
        "maturity/followup/group.html",
        {"dealership": dealership, "overview": overview},
    )
