"""The dealer home on the dealership page (``dealers`` knows nothing of assessments)."""

from __future__ import annotations

from django import template
from django.utils import translation

from maturity.home import dealer_home as build_dealer_home

register = template.Library()


@register.inclusion_tag("maturity/home/home.html", takes_context=True)
def dealer_home(context: template.Context, dealership: object) -> dict:
    request = context["request"]
    return {
        "home": build_dealer_home(
            user=request.user, dealership=dealership, peer_group=request.GET.get("peers")
        ),
        "dealership": dealership,
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("maturity/feedback/_card.html", takes_context=True)
def consultant_feedback(context: template.Context, assessment: object) -> dict:
    """The consultant's comments on ``assessment`` as a card (nothing when there are none).

    For the results page: ``{% load home_tags %}{% consultant_feedback assessment %}``.
    """
    from maturity.feedback import can_review, feedback_for
    from maturity.presenters import normalise_language

    request = context["request"]
    language = normalise_language(translation.get_language())
    return {
        "feedback": feedback_for(assessment, language=language),
        "assessment": assessment,
        "can_review": can_review(user=request.user, dealership=assessment.dealership),
    }
