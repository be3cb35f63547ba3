"""Comparing two assessments, and the JSON export of one."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.engine.loader import parse_questionnaire
from maturity.followup.comparison import compare
from maturity.models import (
    AreaComment,
    AssessmentReview,
    QuestionnaireVersion,
    RoadmapActionStatus,
)
from tests.factories import AssessmentFactory, persona_answers
from tests.factories import submitted_assessment as make_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the product's English msgids, whatever the French catalogue says."""
    client.cookies.load({"django_language": "en"})


@pytest.fixture
def two(dealership):
    now = timezone.now()
    before = make_submitted(dealership=dealership, persona="a", submitted_at=now - timedelta(60))
    after = make_submitted(dealership=dealership, persona="b", submitted_at=now - timedelta(1))
    return before, after


def test_the_default_comparison_is_the_two_latest(client, dealership, owner, two):
    before, after = two
    RoadmapActionStatus.objects.create(
        dealership=dealership,
        action_key="website_create",
        status="done",
        done_at=timezone.now() - timedelta(days=30),
    )
    client.force_login(owner)
    response = client.get(reverse("assessment_compare", args=[dealership.pk]))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert (diff.before, diff.after) == (before, after)
    assert diff.rung_delta == 1
    website = next(a for a in diff.areas if a.key == "website")
    assert website.delta > 0
    own = next(a for a in website.answers if a.key == "website_own")
    assert own.changed and own.better
    assert [d.key for d in diff.done_between] == ["website_create"]
    html = response.content.decode()
    assert "own website" in html  # the action done in between, by its title
    assert "is-changed" not in html  # only changes are listed: no need to highlight


def test_the_order_of_the_picks_does_not_matter(client, dealership, owner, two):
    before, after = two
    client.force_login(owner)
    url = reverse("assessment_compare", args=[dealership.pk])
    diff = client.get(url, {"a": after.pk, "b": before.pk}).context["diff"]
    assert (diff.before, diff.after) == (before, after)


def test_unchanged_answers_are_hidden_unless_asked(client, dealership, owner, two):
    client.force_login(owner)
    url = reverse("assessment_compare", args=[dealership.pk])
    few = client.get(url).content.decode().count("<tr class=")
    many = client.get(url, {"all": "1"}).content.decode().count("<tr class=")
    assert many > few > 0


def test_one_assessment_is_not_enough(client, dealership, owner):
    make_submitted(dealership=dealership)
    client.force_login(owner)
    html = client.get(reverse("assessment_compare", args=[dealership.pk])).content.decode()
    assert "Two submitted assessments are needed" in html


def test_the_same_twice_or_foreign_ids(client, dealership, owner, two, other_dealership):
    before, _after = two
    foreign = make_submitted(dealership=other_dealership)
    client.force_login(owner)
    url = reverse("assessment_compare", args=[dealership.pk])
    assert (
        "Pick two different assessments."
        in client.get(url, {"a": before.pk, "b": before.pk}).content.decode()
    )
    response = client.get(url, {"a": before.pk, "b": foreign.pk})
    assert response.context["diff"] is None
    assert client.get(url, {"a": "x", "b": "<script>"}).status_code == 200


def _other_version(base: QuestionnaireVersion) -> QuestionnaireVersion:
    """The current questionnaire without the optional ``website_url`` question, and with a
    new optional text question in the reviews area."""
    content = copy.deepcopy(base.content)
    content["version"] = "2099.1"
    website = next(a for a in content["areas"] if a["key"] == "website")
    website["questions"] = [q for q in website["questions"] if q["key"] != "website_url"]
    reviews = next(a for a in content["areas"] if a["key"] == "reviews")
    reviews["questions"].append(
        {
            "key": "reviews_note_new",
            "kind": "text",
            "required": False,
            "text": {"fr": "Une remarque ?", "en": "A remark?"},
            "help": {"fr": "Pour le consultant.", "en": "For the consultant."},
        }
    )
    definition = parse_questionnaire(content, source="test")
    return QuestionnaireVersion.objects.create(
        label="2099.1", content_hash=definition.content_hash, content=content
    )


def test_different_questionnaire_versions_compare_gracefully(client, dealership, owner):
    old = make_submitted(
        dealership=dealership,
        answers=persona_answers("b") | {"website_url": "https://old.example"},
        submitted_at=timezone.now() - timedelta(days=200),
    )
    version = _other_version(old.version)
    new = make_submitted(
        dealership=dealership,
        answers=persona_answers("b") | {"reviews_note_new": "We started."},
        version=version,
    )
    diff = compare(old, new)
    assert not diff.same_version
    website = next(a for a in diff.areas if a.key == "website")
    gone = next(a for a in website.answers if a.key == "website_url")
    assert gone.before == "https://old.example" and gone.after is None and gone.changed
    reviews = next(a for a in diff.areas if a.key == "reviews")
    added = next(a for a in reviews.answers if a.key == "reviews_note_new")
    assert added.before is None and added.after == "We started."
    client.force_login(owner)
    html = client.get(reverse("assessment_compare", args=[dealership.pk])).content.decode()
    assert "different versions of the questionnaire" in html
    assert "not asked" in html


# --- JSON export ----------------------------------------------------------------------------


def test_the_export_is_a_json_attachment_with_results(client, dealership, owner, two):
    _before, after = two
    # A published review (a draft is the consultant's only: not in the dealer's export).
    AssessmentReview.objects.create(assessment=after, reviewed_at=timezone.now())
    AreaComment.objects.create(assessment=after, area_key="crm", body="Log every lead.")
    AreaComment.objects.create(assessment=after, area_key="social", draft_body="Not yet.")
    client.force_login(owner)
    response = client.get(reverse("assessment_export_json", args=[dealership.pk, after.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"-{after.pk}.json" in disposition
    document = json.loads(response.content)
    assert document["format"] == "dealer-maturity/assessment-v1"
    assert document["assessment"]["id"] == after.pk
    assert document["dealership"]["name"] == dealership.name
    assert document["result"]["rung"] == after.result.rung
    assert {a["area"] for a in document["result"]["areas"]} >= {"website", "strategy"}
    own = next(a for a in document["answers"] if a["question"] == "website_own")
    assert own["value"] == "own_site" and own["label"]["en"]
    assert document["review"]["area_comments"] == {"crm": "Log every lead."}
    assert document["roadmap"] and document["roadmap"][0]["status"] == "todo"
    # The dealer profile, and the roadmap's backlog ("later") after the three horizons.
    assert document["dealership"]["profile"] == document["assessment"]["profile"]
    assert document["assessment"]["profile"] == "brand_dealer"
    horizons = [item["horizon"] for item in document["roadmap"]]
    order = ["0-3", "3-6", "6-12", "later"]
    assert horizons == sorted(horizons, key=order.index)
    assert sum(1 for h in horizons if h == "0-3") <= 5


def test_a_draft_exports_its_answers_without_results(client, dealership, owner):
    draft = AssessmentFactory(dealership=dealership)
    client.force_login(owner)
    response = client.get(reverse("assessment_export_json", args=[dealership.pk, draft.pk]))
    document = json.loads(response.content)
    assert document["result"] is None and document["answers"] == []


def test_the_export_is_scoped(client, dealership, outsider, two):
    client.force_login(outsider)
    url = reverse("assessment_export_json", args=[dealership.pk, two[1].pk])
    assert client.get(url).status_code == 404
