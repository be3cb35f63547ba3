"""The consultant's review of a submitted assessment: comments per area, an overall note,
verified evidence links, its publication.

Staff and the dealership's consultants write; the dealership's people get a 403 here and
read the published review on their home page, the results page and the PDF (the rule of
drafts and publication is in ``review.services``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.http import NULL_CHARACTER_MESSAGE, has_null_character, is_htmx
from common.i18n import current_language
from dealers.permissions import can_review
from maturity import selectors
from maturity.engine.scoring import whole
from maturity.measured.selectors import measured_panel
from maturity.models import AreaComment, Assessment, AssessmentResult, AssessmentReview
from maturity.review import selectors as feedback
from maturity.review import services

# The limits are the model fields' (what the database column accepts).
NOTE_MAX = AssessmentReview._meta.get_field("overall_note").max_length
COMMENT_MAX = AreaComment._meta.get_field("body").max_length


def _reviewable(request: HttpRequest, pk: int, assessment_pk: int) -> Assessment:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    if not can_review(user=request.user, dealership=assessment.dealership):
        raise PermissionDenied
    if assessment.status != Assessment.Status.SUBMITTED:
        raise Http404  # a draft is still being answered: nothing to review yet
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
def assessment_feedback(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    assessment = _reviewable(request, pk, assessment_pk)
    language = current_language()
    definition = assessment.definition
    errors: dict[str, str] = {}
    if request.method == "POST":
        note = request.POST.get("overall_note", "")
        comments = {
            area.key: request.POST.get(f"comment-{area.key}", "") for area in definition.areas
        }
        if len(note) > NOTE_MAX:
            errors["overall_note"] = _("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}
        elif has_null_character(note):
            errors["overall_note"] = str(NULL_CHARACTER_MESSAGE)
        for key, body in comments.items():
            if len(body) > COMMENT_MAX:
                errors[key] = _("Keep the comment under %(n)s characters.") % {"n": COMMENT_MAX}
            elif has_null_character(body):
                errors[key] = str(NULL_CHARACTER_MESSAGE)
        # The form's button values: "review" publishes, "reopen" withdraws.
        action = {"review": "publish", "reopen": "withdraw"}.get(
            request.POST.get("action", "save"), "save"
        )
        if not errors:
            try:
                review = services.review_save(
                    assessment=assessment,
                    user=request.user,
                    overall_note=note,
                    area_comments=comments,
                    action=action,
                )
            except services.NotReviewable:
                raise Http404 from None
            if action == "publish":
                messages.success(
                    request, _("Review published: the dealer can read it now and has been told.")
                )
            elif action == "withdraw":
                messages.info(
                    request,
                    _("The review is no longer published: the dealer does not see it any more."),
                )
            elif review.reviewed_at is not None:
                messages.success(
                    request,
                    _(
                        "Changes saved as a draft: the dealer still reads the published review "
                        "until you publish them."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Draft saved. The dealer sees nothing until you publish the review."),
                )
            return redirect("assessment_feedback", pk=pk, assessment_pk=assessment.pk)
        posted = {"note": note, "comments": comments}
    else:
        posted = None

    current = feedback.feedback_for(assessment, language=language, reviewer=True)
    links = feedback.evidence_links(assessment, language=language)
    result = AssessmentResult.objects.filter(assessment=assessment).first()
    scores = result.area_scores if result else {}
    areas = []
    for area in definition.areas:
        existing = current.area(area.key)
        body = posted["comments"][area.key] if posted else (existing.body if existing else "")
        areas.append(
            {
                "key": area.key,
                "title": area.title.get(language),
                "score": whole(scores[area.key]) if area.key in scores else None,
                "comment": body,
                "error": errors.get(area.key, ""),
                "links": [link for link in links if link.area_key == area.key],
            }
        )
    return render(
        request,
        "maturity/review/page.html",
        {
            "dealership": assessment.dealership,
            "assessment": assessment,
            "result": result,
            "feedback": current,
            "note": posted["note"] if posted else current.overall_note,
            "note_error": errors.get("overall_note", ""),
            "areas": areas,
            "links": links,
            **measured_panel(
                user=request.user, assessment=assessment, language=language, result=result
            ),
        },
        status=400 if errors else 200,
    )


@login_required
def evidence_verify(
    request: HttpRequest, pk: int, assessment_pk: int, question_key: str
) -> HttpResponse:
    assessment = _reviewable(request, pk, assessment_pk)
    if request.method != "POST":  # after the scoping: an unknown id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    verified = request.POST.get("verified") == "1"
    try:
        services.evidence_verify(
            assessment=assessment, question_key=question_key, user=request.user, verified=verified
        )
    except (services.NotEvidence, services.NotReviewable):
        raise Http404 from None
    if is_htmx(request):
        language = current_language()
        link = next(
            (
                item
                for item in feedback.evidence_links(assessment, language=language)
                if item.question_key == question_key
            ),
            None,
        )
        return render(
            request,
            "maturity/review/_evidence.html",
            {"dealership": assessment.dealership, "assessment": assessment, "link": link},
        )
    if verified:
        messages.success(request, _("Evidence link marked as verified."))
    else:
        messages.info(request, _("Evidence link no longer marked as verified."))
    return redirect("assessment_feedback", pk=pk, assessment_pk=assessment.pk)
