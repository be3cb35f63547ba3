"""Compare two submitted assessments of a dealership; export one assessment as JSON."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dealers.models import Dealership
from dealers.scoping import get_scoped_or_404, scoped
from maturity import selectors
from maturity.assessment_export import assessment_document, export_filename
from maturity.comparison import compare
from maturity.models import Assessment


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
        .filter(dealership=dealership, status=Assessment.Status.SUBMITTED, result__isnull=False)
        .select_related("version", "dealership")
        .defer("version__content")
        .order_by("-submitted_at", "-pk")
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
        "maturity/compare/compare.html",
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
