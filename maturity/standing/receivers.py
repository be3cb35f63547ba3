"""Refresh a dealership's standing whenever one of its assessments, results or reviews is
saved or deleted.

Signals rather than calls in each service: a standing that lags behind its assessments
would sort the portfolio wrongly without anyone noticing, and results and assessments
are written by services, the admin, the demo and test factories alike. Writes that send
no signal (``QuerySet.update``, ``bulk_create``) call ``standings_rebuild`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from dealers.models import Dealership
from maturity.models import Assessment, AssessmentResult, AssessmentReview
from maturity.standing.services import standing_refresh

# The fields of an assessment the standing reads (a save touching none changes nothing).
_ASSESSMENT_FIELDS = frozenset({"status", "submitted_at", "dealership"})
_REVIEW_FIELDS = frozenset({"reviewed_at"})


def _origin_model(origin: Any) -> type[Model] | None:
    if origin is None:
        return None
    return getattr(origin, "model", type(origin))  # a queryset, or a model instance


def _dealership_of(instance: AssessmentResult | AssessmentReview) -> int | None:
    if type(instance).assessment.is_cached(instance):
        return instance.assessment.dealership_id
    return (
        Assessment.objects.filter(pk=instance.assessment_id)
        .values_list("dealership_id", flat=True)
        .first()
    )


def _touches(update_fields: Any, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def on_assessment_saved(
    sender: type[Assessment], instance: Assessment, created: bool, update_fields=None, **kwargs
) -> None:
    if created or _touches(update_fields, _ASSESSMENT_FIELDS):
        standing_refresh(dealership_id=instance.dealership_id)


def on_assessment_deleted(sender: type[Assessment], instance: Assessment, **kwargs) -> None:
    if _origin_model(kwargs.get("origin")) is Dealership:
        return  # the dealership goes, and its standing with it
    standing_refresh(dealership_id=instance.dealership_id)


def on_child_saved(
    sender: type[AssessmentResult | AssessmentReview],
    instance: AssessmentResult | AssessmentReview,
    update_fields=None,
    **kwargs,
) -> None:
    if sender is AssessmentReview and not _touches(update_fields, _REVIEW_FIELDS):
        return  # a draft note: the standing only reads when it was published
    if (dealership_id := _dealership_of(instance)) is not None:
        standing_refresh(dealership_id=dealership_id)


def on_child_deleted(
    sender: type[AssessmentResult | AssessmentReview],
    instance: AssessmentResult | AssessmentReview,
    **kwargs,
) -> None:
    if _origin_model(kwargs.get("origin")) in (Assessment, Dealership):
        return  # the assessment's own deletion refreshes (or the dealership goes)
    if (dealership_id := _dealership_of(instance)) is not None:
        standing_refresh(dealership_id=dealership_id)


def connect() -> None:
    post_save.connect(on_assessment_saved, sender=Assessment, dispatch_uid="standing-a-save")
    post_delete.connect(on_assessment_deleted, sender=Assessment, dispatch_uid="standing-a-del")
    for model in (AssessmentResult, AssessmentReview):
        name = model._meta.model_name
        post_save.connect(on_child_saved, sender=model, dispatch_uid=f"standing-{name}-save")
        post_delete.connect(on_child_deleted, sender=model, dispatch_uid=f"standing-{name}-del")
