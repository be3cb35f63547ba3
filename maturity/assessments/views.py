"""The assessment wizard: start, resume, one step per area, autosave, review, submit.

Every page works without JavaScript (the step form saves the whole step on previous /
next); with htmx each answer is also saved as soon as it changes (``answer_save``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
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
from django.utils import timezone
from django.utils.translation import gettext as _

from common.http import NULL_CHARACTER_MESSAGE, has_null_character, is_htmx, safe_next_url
from common.i18n import current_language
from dealers.models import Dealership
from dealers.permissions import can_answer, can_edit_profile, can_manage_contacts
from dealers.scoping import get_scoped_or_404
from maturity import selectors
from maturity.assessments import services, wizard
from maturity.assessments.delegations import colleagues, delegations_of
from maturity.assessments.forms import posted_revision, posted_value
from maturity.assessments.progress import (
    first_incomplete_area,
    missing_required,
    progress,
    visible_keys,
)
from maturity.engine.answers import AnswerError
from maturity.engine.definition import Area
from maturity.measured.selectors import wizard_measured_notes
from maturity.models import Assessment


def _step_url(assessment: Assessment, area_key: str) -> str:
    return reverse("assessment_step", args=[assessment.dealership_id, assessment.pk, area_key])


def _area(assessment: Assessment, key: str) -> Area:
    try:
        return assessment.definition.area(key)
    except KeyError:
        raise Http404 from None


def _locked_message() -> str:
    return _(
        "This assessment has been submitted: its answers are locked and nothing was saved. "
        "Start a new assessment from the dealership page to update them."
    )


def _forbidden_message() -> str:
    return _(
        "Only the dealership's own people answer its assessment: you can read it, not change it."
    )


# --- start and resume ----------------------------------------------------------------------


@login_required
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    dealership = get_scoped_or_404(Dealership.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can_answer(user=request.user, dealership=dealership):
        raise PermissionDenied
    assessment, created = services.assessment_start(dealership=dealership, user=request.user)
    if created and assessment.previous_id:
        messages.info(
            request,
            _(
                "Your answers from the previous assessment are filled in: check each step "
                "and update what has changed since."
            ),
        )
    return redirect("assessment_detail", pk=dealership.pk, assessment_pk=assessment.pk)


@login_required
def assessment_detail(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """Resume: the first step with a question left to answer, else the review page."""
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    if assessment.is_draft and can_answer(user=request.user, dealership=assessment.dealership):
        values = selectors.answer_values(selectors.answer_rows(assessment=assessment))
        area = first_incomplete_area(assessment.definition, values)
        if area is not None:
            return redirect(_step_url(assessment, area.key))
    return redirect("assessment_review", pk=pk, assessment_pk=assessment.pk)


# --- one step --------------------------------------------------------------------------------


def _step_context(
    request: HttpRequest,
    assessment: Assessment,
    area: Area,
    *,
    editable: bool,
    posted: dict | None = None,
    errors: dict | None = None,
) -> dict:
    definition = assessment.definition
    rows = selectors.answer_rows(assessment=assessment)
    values = selectors.answer_values(rows)
    current = progress(definition, values)
    previous_key, next_key = wizard.neighbours(definition, area.key)
    fields = wizard.fields_for(
        definition, area, rows, posted=posted, errors=errors, user=request.user
    )
    notes = wizard_measured_notes(assessment, language=current_language(), area=area)
    for item in fields:
        item.measured = notes.get(item.key, "")
    return {
        "assessment": assessment,
        "dealership": assessment.dealership,
        "delegation": delegations_of(assessment).get(area.key) if assessment.is_draft else None,
        "area": area,
        "area_title": area.title.get(current_language()),
        "area_intro": area.intro.get(current_language()),
        "fields": fields,
        "progress": current,
        "steps": wizard.steps(definition, current, area.key),
        "step_number": [a.key for a in definition.areas].index(area.key) + 1,
        "step_count": len(definition.areas),
        "previous_key": previous_key,
        "next_key": next_key,
        "editable": editable,
        "can_edit_profile": editable
        and can_edit_profile(user=request.user, dealership=assessment.dealership),
        "errors": errors or {},
    }


@login_required
def assessment_step(request: HttpRequest, pk: int, assessment_pk: int, area: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    step = _area(assessment, area)
    may_answer = can_answer(user=request.user, dealership=assessment.dealership)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if not assessment.is_draft:
            return _locked_page(request, assessment)
        return _save_step(request, assessment, step)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    context = _step_context(request, assessment, step, editable=may_answer and assessment.is_draft)
    return render(request, "maturity/assessments/step.html", context)


def _save_step(request: HttpRequest, assessment: Assessment, area: Area) -> HttpResponse:
    """Without JavaScript: save the whole step, then go where the dealer asked.

    The step is saved all together or not at all: when one answer is refused, the page
    comes back with every answer as posted and the reason beside the refused ones."""
    answers = {}
    try:
        for question in area.questions:
            revision = posted_revision(question, request.POST)
            if revision is not None:  # shown on the page
                answers[question.key] = (posted_value(question, request.POST), revision)
    except ValueError:
        return HttpResponseBadRequest(_("The form was altered: reload the page and try again."))
    errors: dict[str, Exception] = {}
    try:
        services.answers_save_all(assessment=assessment, answers=answers, user=request.user)
    except services.AssessmentLocked:
        return _locked_page(request, assessment)
    except services.AnswersRefused as refused:
        errors = refused.errors
    if errors:
        posted = {key: value for key, (value, _revision) in answers.items()}
        context = _step_context(
            request, assessment, area, editable=True, posted=posted, errors=errors
        )
        return render(request, "maturity/assessments/step.html", context)
    go = request.POST.get("go", "")
    if go in ("next", "review"):
        revealed = _revealed(assessment, area, shown=set(answers))
        if revealed:
            # Without JavaScript the questions an answer reveals only appear after the
            # save: show them before moving on rather than leave them behind.
            messages.info(
                request,
                _("Your answers open a few more questions on this step: please answer them."),
            )
            return redirect(_step_url(assessment, area.key) + f"#question-{revealed[0]}")
    return redirect(_destination(assessment, area, go))


def _revealed(assessment: Assessment, area: Area, *, shown: set[str]) -> list[str]:
    """Required questions of ``area`` now visible that the posted page did not show."""
    values = selectors.answer_values(selectors.answer_rows(assessment=assessment))
    visible = visible_keys(assessment.definition, values)
    return [
        q.key
        for q in area.questions
        if q.show_if is not None
        and q.required
        and q.key in visible
        and q.key not in shown
        and q.key not in values
    ]


def _destination(assessment: Assessment, area: Area, go: str) -> str:
    previous_key, next_key = wizard.neighbours(assessment.definition, area.key)
    if go == "previous" and previous_key:
        return _step_url(assessment, previous_key)
    if go == "next" and next_key:
        return _step_url(assessment, next_key)
    if go == "review" or (go == "next" and next_key is None):
        return reverse("assessment_review", args=[assessment.dealership_id, assessment.pk])
    if go in {a.key for a in assessment.definition.areas}:
        return _step_url(assessment, go)  # a step picked in the step list
    return _step_url(assessment, area.key)


def _locked_page(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    context = _review_context(request, assessment)
    context["alert"] = _locked_message()
    return render(request, "maturity/assessments/review.html", context, status=409)


# --- delegation ------------------------------------------------------------------------------


@login_required
def assessment_delegate(
    request: HttpRequest, pk: int, assessment_pk: int, area: str
) -> HttpResponse:
    """Ask a colleague to answer one step (GET: the form; POST: ask, or withdraw)."""
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    step = _area(assessment, area)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not can_answer(user=request.user, dealership=assessment.dealership):
        raise PermissionDenied
    if not assessment.is_draft:
        return _locked_page(request, assessment)
    people = colleagues(assessment, user=request.user)
    error = ""
    if request.method == "POST":
        if request.POST.get("withdraw"):
            services.area_delegation_withdraw(assessment=assessment, area_key=step.key)
            messages.info(request, _("Nobody in particular answers this step any more."))
            return redirect(_step_url(assessment, step.key))
        chosen = next((u for u in people if str(u.pk) == request.POST.get("delegate")), None)
        if chosen is None:
            error = _("Choose the colleague who will answer this step.")
        elif has_null_character(request.POST.get("message", "")):
            error = str(NULL_CHARACTER_MESSAGE)
        else:
            try:
                services.area_delegate(
                    assessment=assessment,
                    area_key=step.key,
                    delegate=chosen,
                    user=request.user,
                    message=request.POST.get("message", ""),
                )
            except services.NotAColleague:
                error = _("Choose the colleague who will answer this step.")
            else:
                messages.success(
                    request,
                    _("%(name)s is asked to answer this step and has been told, with a link.")
                    % {"name": chosen.get_full_name()},
                )
                return redirect(_step_url(assessment, step.key))
    return render(
        request,
        "maturity/assessments/delegate.html",
        {
            "assessment": assessment,
            "dealership": assessment.dealership,
            "area": step,
            "area_title": step.title.get(current_language()),
            "colleagues": people,
            "delegation": delegations_of(assessment).get(step.key),
            "can_invite": can_manage_contacts(user=request.user, dealership=assessment.dealership),
            "error": error,
            "message": request.POST.get("message", "") if request.method == "POST" else "",
        },
        status=400 if error else 200,
    )


# --- autosave (htmx) ---------------------------------------------------------------------


def _fragment(request: HttpRequest, context: dict, status: int) -> HttpResponse:
    return render(request, "maturity/assessments/htmx/answer.html", context, status=status)


def _alert(request: HttpRequest, message: str, status: int, login_url: str = "") -> HttpResponse:
    return render(
        request,
        "maturity/assessments/htmx/alert.html",
        {"message": message, "login_url": login_url},
        status=status,
    )


def _session_expired(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    # Come back to the page the dealer was on (htmx says which), else to the draft.
    back = reverse("assessment_detail", args=[pk, assessment_pk])
    current = safe_next_url(request, request.headers.get("HX-Current-URL"), default="")
    if current:
        parts = urlsplit(current)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    login_url = redirect_to_login(back).url
    return _alert(
        request,
        _(
            "Your session has expired, so this last change was not saved. Your earlier "
            "answers are safe: log in again to continue where you were."
        ),
        status=401,
        login_url=login_url,
    )


def answer_save(
    request: HttpRequest, pk: int, assessment_pk: int, question_key: str
) -> HttpResponse:
    """Save one answer as it changes; answer with the page parts that change with it."""
    htmx = is_htmx(request)
    if not request.user.is_authenticated:
        if htmx:
            return _session_expired(request, pk, assessment_pk)
        return redirect_to_login(request.get_full_path())
    # The hot path of the wizard: the assessment with the user's role, every answer row,
    # one conditional write (session and user aside, five queries).
    assessment = selectors.assessment_get_for_answering(
        user=request.user, dealership_pk=pk, pk=assessment_pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    definition = assessment.definition
    if not definition.has_question(question_key):
        raise Http404
    question = definition.question(question_key)
    if not can_answer(user=request.user, dealership=assessment.dealership):
        if not htmx:
            raise PermissionDenied
        return _alert(request, _forbidden_message(), status=403)
    if not assessment.is_draft:
        return _alert(request, _locked_message(), status=409)
    try:
        revision = posted_revision(question, request.POST)
    except ValueError:
        revision = None
    if revision is None:
        return _alert(
            request, _("The form was altered: reload the page and try again."), status=400
        )
    value = posted_value(question, request.POST)

    rows = selectors.answer_rows(assessment=assessment)
    area = definition.area(question.area)
    values_before = selectors.answer_values(rows)
    visible_before = visible_keys(definition, values_before)
    field = None
    status = 200
    try:
        answer = services.answer_save(
            assessment=assessment,
            question_key=question.key,
            value=value,
            revision=revision,
            user=request.user,
            known=rows.get(question.key),
        )
    except services.AssessmentLocked:
        return _alert(request, _locked_message(), status=409)
    except AnswerError as error:
        field = wizard.field_for(definition, question, rows.get(question.key), visible=True)
        field.error = wizard.error_message(question, error, value)
        status = 400
    except services.AnswerConflict as conflict:
        field = wizard.field_for(definition, question, conflict.current, visible=True)
        field.conflict = wizard.conflict_message(question, conflict, request.user)
        status = 409
        if conflict.current is not None:
            rows[question.key] = conflict.current
    else:
        if answer is not None:
            rows[question.key] = answer
        field = wizard.field_for(definition, question, answer, visible=True)
        field.saved_at = timezone.now()
    if not htmx:
        if status == 200:
            return redirect(_step_url(assessment, area.key))
        return _fragment(request, {"field": field, "assessment": assessment}, status)

    values = selectors.answer_values(rows)
    visible_after = visible_keys(definition, values)
    # Questions of this step that the change revealed or hid are re-rendered; the others
    # are left alone so that nobody loses the focus or what they are typing.
    toggled = [
        wizard.field_for(definition, q, rows.get(q.key), visible=q.key in visible_after)
        for q in area.questions
        if (q.key in visible_before) != (q.key in visible_after)
    ]
    if toggled:
        notes = wizard_measured_notes(
            assessment,
            language=current_language(),
            area=area,
            keys={item.key for item in toggled},
        )
        for item in toggled:
            item.measured = notes.get(item.key, "")
    current = progress(definition, values)
    # The progress bar and the steps are re-rendered only when their figures moved (not
    # when an answer changes from one value to another): most of the fragment's cost.
    moved = current != progress(definition, values_before)
    context = {
        "assessment": assessment,
        "field": field,
        "toggled": toggled,
        "progress": current if moved else None,
        "steps": wizard.steps(definition, current, area.key) if moved else (),
        "editable": True,
    }
    return _fragment(request, context, status)


# --- review and submit ---------------------------------------------------------------------


def _review_context(request: HttpRequest, assessment: Assessment) -> dict:
    definition = assessment.definition
    rows = selectors.answer_rows(assessment=assessment)
    values = selectors.answer_values(rows)
    visible = visible_keys(definition, values)
    current = progress(definition, values)
    language = current_language()
    sections = []
    for area in definition.areas:
        fields = [
            wizard.field_for(definition, q, rows.get(q.key), visible=True)
            for q in area.questions
            if q.key in visible
        ]
        sections.append({"area": area, "title": area.title.get(language), "fields": fields})
    editable = assessment.is_draft and can_answer(
        user=request.user, dealership=assessment.dealership
    )
    missing = missing_required(definition, values) if assessment.is_draft else []
    return {
        "assessment": assessment,
        "dealership": assessment.dealership,
        "sections": sections,
        "progress": current,
        "steps": wizard.steps(definition, current),
        "editable": editable,
        "can_edit_profile": editable
        and can_edit_profile(user=request.user, dealership=assessment.dealership),
        "missing": [
            {
                "question": q.text.get(language),
                "area": definition.area(q.area).title.get(language),
                "url": _step_url(assessment, q.area) + f"#question-{q.key}",
            }
            for q in missing
        ],
    }


@login_required
def assessment_review(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    return render(request, "maturity/assessments/review.html", _review_context(request, assessment))


@login_required
def assessment_submit(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can_answer(user=request.user, dealership=assessment.dealership):
        raise PermissionDenied
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except services.AssessmentLocked:
        return _locked_page(request, assessment)
    except services.AssessmentIncomplete:
        context = _review_context(request, assessment)
        context["submit_refused"] = True
        return render(request, "maturity/assessments/review.html", context)
    messages.success(
        request,
        _("Thank you! The assessment is submitted; its answers are now locked."),
    )
    # Straight to what the dealer came for: their place on the ladder and the roadmap.
    return redirect("assessment_results", pk=assessment.pk)
