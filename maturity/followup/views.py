"""The dealer's follow-up pages: the dealer home (the dealership page), the roadmap with
its statuses (and marking an action), the dealer group side by side, and two assessments
compared.

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
from django.views.decorators.http import require_GET

from common.http import is_htmx, safe_next_url
from common.i18n import current_language
from dealers.models import Dealership
from dealers.permissions import can_follow_up, permissions_for
from dealers.scoping import get_scoped_or_404, scoped
from dealers.selectors import dealership_people
from maturity.followup import roadmap as followup
from maturity.followup import services
from maturity.followup.comparison import compare
from maturity.followup.group import group_overview
from maturity.followup.home import dealer_home as build_dealer_home
from maturity.models import Assessment
from maturity.questionnaire.catalogues import catalogue_for


@login_required
@require_GET
def dealer_home(request: HttpRequest, pk: int) -> HttpResponse:
    """The dealership page: where it stands, how it got there, what to do next; its people."""
    dealership = _dealership(request, pk)
    permissions = permissions_for(user=request.user, dealership=dealership)
    context = {
        "dealership": dealership,
        "home": build_dealer_home(
            user=request.user,
            dealership=dealership,
            permissions=permissions,
            peer_group=request.GET.get("peers"),
        ),
        "my_role": permissions.role,
        "can_invite": permissions.can_manage_contacts,
        "can_manage_data": permissions.can_manage_data,
        "can_edit_profile": permissions.can_edit_profile,
        **dealership_people(dealership=dealership),
    }
    return render(request, "maturity/home/page.html", context)


def _dealership(request: HttpRequest, pk: int) -> Dealership:
    return get_scoped_or_404(
        Dealership.objects.select_related("group").prefetch_related("brands"), request.user, pk=pk
    )


@login_required
@require_GET
def roadmap_followup(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _dealership(request, pk)
    language = current_language()
    latest = followup.latest_scored(dealership)
    plan = horizons = None
    backlog: tuple[followup.TrackedAction, ...] = ()
    if latest is not None:
        latest.dealership = dealership
        statuses = followup.statuses_for(dealership)
        plan = followup.roadmap_plan_of(latest, language=language, statuses=statuses)
        if plan is not None:
            horizons = followup.track(plan.planned, statuses)
            backlog = followup.track_backlog(plan, statuses)
    actions = followup.all_actions(horizons) if horizons else []
    return render(
        request,
        "maturity/followup/roadmap.html",
        {
            "dealership": dealership,
            "latest": latest,
            "plan": plan,
            "horizons": horizons,
            "backlog": backlog,
            "total": len(actions),
            "done": sum(1 for a in actions if a.is_done),
            "in_progress": sum(1 for a in actions if a.status == followup.Status.IN_PROGRESS),
            "can_follow_up": can_follow_up(user=request.user, dealership=dealership),
        },
    )


@login_required
def roadmap_status(request: HttpRequest, pk: int, action_key: str) -> HttpResponse:
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if request.method != "POST":  # after the scoping: an unknown id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    if not can_follow_up(user=request.user, dealership=dealership):
        raise PermissionDenied
    latest = followup.latest_scored(dealership)
    if latest is None:
        raise Http404
    status = request.POST.get("status", "")
    try:
        row = services.roadmap_status_set(
            dealership=dealership,
            action_key=action_key,
            status=status,
            user=request.user,
            catalogue_of=latest,
        )
    except services.UnknownAction:
        raise Http404 from None
    except ValueError:
        return HttpResponseBadRequest("Unknown status.")

    if is_htmx(request):
        language = current_language()
        latest.dealership = dealership
        catalogue = catalogue_for(latest.definition)
        assert catalogue is not None  # roadmap_status_set checked the key against it
        action = catalogue.for_questionnaire(latest.definition).action(action_key)
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
    messages.success(request, services.status_message(row))
    target = safe_next_url(
        request,
        request.POST.get("next"),
        default=reverse("roadmap_followup", args=[dealership.pk]),
    )
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


def _choice(value: str | None, options: dict[int, Assessment]) -> Assessment | None:
    try:
        return options.get(int(value or ""))
    except ValueError:
        return None


@login_required
@require_GET
def assessment_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """``?a=<id>&b=<id>``; by default the two latest submitted assessments."""
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    submitted = list(
        scoped(Assessment.objects.all(), request.user)
        .filter(dealership=dealership)
        .scored()
        .without_content()
        .select_related("dealership")
        .newest_first()
    )
    options = {a.pk: a for a in submitted}
    first = _choice(request.GET.get("a"), options)
    second = _choice(request.GET.get("b"), options)
    if first is None and second is None and len(submitted) >= 2:
        first, second = submitted[1], submitted[0]
    problem = ""
    diff = None
    if len(submitted) < 2:
        problem = "too_few"
    elif first is None or second is None:
        problem = "pick"
    elif first.pk == second.pk:
        problem = "same"
    else:
        before, after = sorted([first, second], key=lambda a: (a.submitted_at, a.pk))
        diff = compare(before, after)
    only_changed = request.GET.get("all") != "1"
    return render(
        request,
        "maturity/followup/compare.html",
        {
            "dealership": dealership,
            "submitted": submitted,
            "first": first,
            "second": second,
            "diff": diff,
            "problem": problem,
            "only_changed": only_changed,
        },
    )
