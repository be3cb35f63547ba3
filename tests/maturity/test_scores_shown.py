"""One rounding rule for every score shown: whole numbers, half up from the one-decimal
stored value, and a change is the difference of the whole numbers on the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from maturity.engine.scoring import display, whole, whole_change
from maturity.models import AssessmentResult
from tests.factories import submitted_assessment


@pytest.mark.parametrize(
    ("score", "shown"),
    [(30.46, 31), (41.4, 41), (30.44, 30), (0.0, 0), (99.95, 100), (12.5, 13), (12.449, 12)],
)
def test_it_shows_a_score_half_up_from_its_one_decimal_value(score, shown):
    assert whole(score) == shown
    assert whole(score) == whole(display(score))


def test_it_computes_a_change_from_the_numbers_shown():
    # Shown "31 -> 41": the change is +10 (rounding each side apart gave +11).
    assert whole_change(30.46, 41.4) == 10
    assert whole_change(41.4, 30.46) == -10


def test_it_rounds_in_templates_with_the_same_rule():
    template = engines["django"].from_string("{% load scores %}[{{ a|score }}|{{ b|score }}]")
    assert template.render({"a": 30.46, "b": 0.0}) == "[31|0]"
    empty = engines["django"].from_string('{% load scores %}{{ a|score|default:"–" }}')
    assert empty.render({"a": None}) == "–"


@pytest.fixture
def two_results(dealership, owner):
    earlier = submitted_assessment(
        dealership=dealership, persona="b", user=owner, submitted_at=timezone.now() - timedelta(90)
    )
    later = submitted_assessment(dealership=dealership, persona="b", user=owner)
    AssessmentResult.objects.filter(assessment=earlier).update(overall_score=30.46)
    AssessmentResult.objects.filter(assessment=later).update(overall_score=41.4)
    return earlier, later


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_shows_31_to_41_as_plus_10_on_the_dealer_home(
    english, client, owner, dealership, two_results
):
    client.force_login(owner)
    response = client.get(reverse("dealership_detail", args=[dealership.pk]))
    home = response.context["home"]
    assert home.overall_change == 10
    assert [p.change for p in home.past] == [10, None]
    text = _text(response.content.decode())
    assert "41 / 100" in text
    assert re.findall(r"▲ up (\d+)", text) == ["10", "10"], text


def test_it_shows_31_to_41_as_plus_10_on_the_compare_page(
    english, client, owner, dealership, two_results
):
    client.force_login(owner)
    response = client.get(reverse("assessment_compare", args=[dealership.pk]))
    diff = response.context["diff"]
    assert diff.score_delta == 10
    text = _text(response.content.decode())
    assert "31 → became 41 ▲ up 10" in text, text
