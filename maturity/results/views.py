"""The results page of a submitted assessment (the rung, the radar, why, what next), and
one assessment with its results as a JSON or XLSX download.

Everyone who can see the dealership can read it (owner, members, its consultants,
staff); others get a 404 like for an id that does not exist. A draft has no results
yet: its results URL redirects to the wizard (which resumes the draft or shows its
review page, depending on who asks).
"""

from __future__ import annotations

import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.i18n import current_language, format_date
from common.xlsx import xlsx_response
from maturity import selectors
from maturity.engine.scoring import Result
from maturity.measured.selectors import measured_panel
from maturity.models import AssessmentResult
from maturity.questionnaire.catalogues import catalogue_for
from maturity.results.export import assessment_document, assessment_xlsx_write, export_filename
from maturity.results.presenters import (
    comparison_from_result,
    present_stored_result,
)
from maturity.results.projection import projection_view
from maturity.review.selectors import feedback_card

logger = logging.getLogger(__name__)


@login_required
@require_GET
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_results(user=request.user, pk=pk)
    if assessment.is_draft:
        return redirect("assessment_detail", pk=assessment.dealership_id, assessment_pk=pk)
    context: dict[str, object] = {"assessment": assessment, "dealership": assessment.dealership}
    try:
        stored = assessment.result
    except AssessmentResult.DoesNotExist:
        # Submitted before results were stored: `manage.py recompute_results --apply`
        # creates the missing ones. Say so rather than fail.
        return render(request, "maturity/results/page.html", context)
    language = current_language()
    context.update(feedback_card(user=request.user, assessment=assessment, language=language))
    # The page speaks to the dealer ("your roadmap"), and of the dealer to its consultants
    # and staff (who see it as reviewers: nobody else sees the assessment).
    context["for_dealer"] = not context["can_review"]
    previous = None
    earlier = selectors.result_previous(assessment=assessment)
    if earlier is not None:
        with translation.override(language):
            label = _("Previous assessment (%(date)s)") % {
                "date": format_date(earlier.assessment.submitted_at, "DATE_FORMAT")
            }
        previous = comparison_from_result(earlier, label)
    try:
        context["p"] = present_stored_result(
            stored,
            language=language,
            previous=previous,
            dealership_name=None if context["for_dealer"] else assessment.dealership.name,
        )
        context["projection"] = _projection(assessment, stored, language)
    except (KeyError, TypeError, ValueError):
        # A snapshot that does not parse (hand-made, or from a foreign version) must not
        # take the page down: show what is known and log it for the staff.
        logger.exception("Stored result %s cannot be presented", stored.pk)
        context["broken"] = True
    context["result"] = stored
    context.update(
        measured_panel(user=request.user, assessment=assessment, language=language, result=stored)
    )
    return render(request, "maturity/results/page.html", context)


def _projection(assessment, stored: AssessmentResult, language: str):
    """Where the roadmap leads, and the dealership's target (selected with the assessment)."""
    definition = assessment.definition
    target = getattr(assessment.dealership, "target", None)  # none: the reverse one-to-one raises
    return projection_view(
        definition,
        Result.from_dict(stored.snapshot),
        catalogue_for(definition),
        language=language,
        today=timezone.localdate(),
        target_rung=target.rung if target else None,
        target_date=target.due_date if target else None,
    )


@login_required
@require_GET
def assessment_export_json(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    document = assessment_document(assessment)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(assessment)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def assessment_export_xlsx(request: HttpRequest, pk: int, assessment_pk: int) -> FileResponse:
    assessment = selectors.assessment_get(user=request.user, dealership_pk=pk, pk=assessment_pk)
    language = current_language()
    return xlsx_response(
        lambda target: assessment_xlsx_write(assessment, language=language, target=target),
        filename=export_filename(assessment, "xlsx"),
    )
