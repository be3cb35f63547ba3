"""The dealer's follow-up pages: the dealer home (the dealership page), the roadmap with
its statuses (and marking an action), each action's plan (owner, due date, notes), the
target, a consultant's reminder about a stalled draft, the dealer group side by side, and
two assessments compared.

Marking is POST only, by the dealership's own people (consultants and staff read: 403).
It works as a plain form (redirect back) and, with htmx, swaps the action's status control
in place. Plans and the target are set by the dealership's people and its consultants.
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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from common.http import is_htmx, safe_next_url
from common.i18n import current_language
from dealers.models import Dealership, User
from dealers.permissions import can_follow_up, can_plan, can_review, permissions_for
from dealers.scoping import get_scoped_or_404, scoped
from dealers.selectors import dealership_people
from maturity.followup import roadmap as followup
from maturity.followup import services
from maturity.followup.comparison import choice_labels, compare
from maturity.followup.forms import PlanForm, TargetForm
from maturity.followup.group import group_overview
from maturity.followup.home import dealer_home as build_dealer_home
from maturity.followup.reminders import NothingToRemind, draft_remind
from maturity.models import Assessment, DealershipTarget
from maturity.questionnaire.catalogues import catalogue_for
from maturity.questionnaire.services import questionnaire_current


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
        Dealership.objects.select_related("group", "target").prefetch_related("brands"),
        request.user,
        pk=pk,
    )


@login_required
@require_GET
def roadmap_followup(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = _dealership(request, pk)
    language = current_language()
    latest = followup.latest_scored(dealership)
    permissions = permissions_for(user=request.user, dealership=dealership)
    plan = horizons = None
    backlog: tuple[followup.TrackedAction, ...] = ()
    if latest is not None:
        latest.dealership = dealership
        statuses = followup.statuses_for(dealership)
        plan = followup.roadmap_plan_of(
            latest,
            language=language,
            statuses=statuses,
            dealership_name=followup.reader_dealership_name(
                permissions=permissions, dealership=dealership
            ),
        )
        if plan is not None:
            horizons = followup.track(plan.planned, statuses)
            backlog = followup.track_backlog(plan, statuses)
    actions = followup.all_actions(horizons) if horizons else []
    if horizons:
        horizons = followup.with_history(
            horizons, followup.history(dealership, [a.key for a in actions])
        )
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
            "overdue": followup.overdue_actions(horizons) if horizons else [],
            "can_follow_up": permissions.can_follow_up,
            "can_plan": permissions.can_plan,
            "owners": followup.owner_choices(dealership) if permissions.can_plan else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_plan(request: HttpRequest, pk: int, action_key: str) -> HttpResponse:
    """An action's owner, due date and notes (the dealership's people and consultants)."""
    dealership = _dealership(request, pk)
    if not can_plan(user=request.user, dealership=dealership):
        raise PermissionDenied
    latest = followup.latest_scored(dealership)
    if latest is None:
        raise Http404
    catalogue = catalogue_for(latest.definition)
    if catalogue is None or not catalogue.for_questionnaire(latest.definition).has_action(
        action_key
    ):
        raise Http404
    row = followup.statuses_for(dealership).get(action_key)
    owners = followup.owner_choices(dealership)
    initial = {
        "owner": row.owner_id if row else None,
        "due_date": row.due_date if row else None,
        "notes": row.notes if row else "",
    }
    form = PlanForm(request.POST or None, owners=owners, initial=initial)
    back = safe_next_url(
        request,
        request.POST.get("next") or request.GET.get("next"),
        default=reverse("roadmap_followup", args=[dealership.pk]),
    )
    if request.method == "POST" and form.is_valid():
        owner = None
        if form.cleaned_data["owner"]:
            owner = User.objects.filter(pk=form.cleaned_data["owner"]).first()
        try:
            services.roadmap_plan_set(
                dealership=dealership,
                action_key=action_key,
                user=request.user,
                catalogue_of=latest,
                owner=owner,
                due_date=form.cleaned_data["due_date"],
                notes=form.cleaned_data["notes"],
            )
        except services.PlanError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Saved: the plan of this action is up to date."))
            return redirect(f"{back.split('#')[0]}#action-{action_key}")
    action = catalogue.action(action_key)
    return render(
        request,
        "maturity/followup/plan.html",
        {
            "dealership": dealership,
            "action_key": action_key,
            "action_title": action.title.get(current_language()),
            "form": form,
            "next": back,
            "history": followup.history(dealership, [action_key]).get(action_key, []),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dealership_target(request: HttpRequest, pk: int) -> HttpResponse:
    """The rung the dealership aims for and by when (its people and consultants set it)."""
    dealership = _dealership(request, pk)
    if not can_plan(user=request.user, dealership=dealership):
        raise PermissionDenied
    latest = followup.latest_scored(dealership)
    definition = (latest.version if latest else questionnaire_current()).definition
    language = current_language()
    lowest = latest.result.rung + 1 if latest else 2
    rungs = [
        (r.number, f"{r.number} · {r.title.get(language)}")
        for r in definition.rungs
        if r.number >= min(lowest, len(definition.rungs))
    ]
    target = DealershipTarget.objects.filter(dealership=dealership).first()
    initial = {"rung": target.rung, "due_date": target.due_date} if target else {}
    form = TargetForm(request.POST or None, rungs=rungs, initial=initial)
    if request.method == "POST" and request.POST.get("clear"):
        services.target_clear(dealership=dealership)
        messages.info(request, _("The target is removed."))
        return redirect("dealership_detail", pk=dealership.pk)
    if request.method == "POST" and form.is_valid():
        services.target_set(
            dealership=dealership,
            user=request.user,
            rung=form.cleaned_data["rung"],
            due_date=form.cleaned_data["due_date"],
            rung_count=len(definition.rungs),
        )
        messages.success(
            request, _("Saved: the target and whether it is in reach are shown with the results.")
        )
        if latest is not None:
            return redirect(reverse("assessment_results", args=[latest.pk]) + "#projection")
        return redirect("dealership_detail", pk=dealership.pk)
    return render(
        request,
        "maturity/followup/target.html",
        {"dealership": dealership, "form": form, "target": target, "latest": latest},
        status=400 if form.is_bound else 200,
    )


@login_required
def draft_reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultant reminds the dealership's contacts about its stalled draft (POST)."""
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if request.method != "POST":  # after the scoping: an unknown id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    if not can_review(user=request.user, dealership=dealership):
        raise PermissionDenied
    draft = (
        Assessment.objects.filter(dealership=dealership)
        .drafts()
        .select_related("dealership")
        .first()
    )
    try:
        if draft is None:
            raise NothingToRemind
        sent = draft_remind(draft=draft, sender=request.user)
    except NothingToRemind:
        messages.warning(
            request,
            _("Nobody to remind: the dealership has no draft or no contact with an account."),
        )
    else:
        if sent:
            messages.success(
                request,
                ngettext(
                    "Reminder sent to %(n)s contact of %(name)s.",
                    "Reminder sent to %(n)s contacts of %(name)s.",
                    sent,
                )
                % {"n": sent, "name": dealership.name},
            )
        else:
            messages.info(
                request,
                _("Every contact of %(name)s was already reminded today: try again tomorrow.")
                % {"name": dealership.name},
            )
    return redirect(safe_next_url(request, request.POST.get("next"), default=reverse("portfolio")))


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
    names = choice_labels(submitted)
    return render(
        request,
        "maturity/followup/compare.html",
        {
            "dealership": dealership,
            "choices": [(a.pk, names[a.pk]) for a in submitted],
            "before_label": names[diff.before.pk] if diff else "",
            "after_label": names[diff.after.pk] if diff else "",
            "first": first,
            "second": second,
            "diff": diff,
            "problem": problem,
            "only_changed": only_changed,
        },
    )
