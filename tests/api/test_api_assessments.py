"""A dealer fills in and submits an assessment through the API, with the wizard's rules:
the same validation, the same 409 on a stale revision, the same locks and permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maturity.models import Answer, Assessment
from tests.api.conftest import assert_error
from tests.factories import persona_answers, submitted_assessment


def start_url(dealership) -> str:
    return reverse("api_assessment_start", args=[dealership.pk])


def answer_url(assessment, key: str) -> str:
    return reverse("api_answer", args=[assessment.pk, key])


@pytest.fixture
def owner_api(api_as, owner):
    return api_as(owner)


@pytest.fixture
def draft_id(owner_api, dealership) -> int:
    response = owner_api.post(start_url(dealership))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_it_starts_one_draft_and_gives_it_back_when_asked_again(owner_api, dealership, draft_id):
    again = owner_api.post(start_url(dealership))
    assert again.status_code == 200
    body = again.json()
    assert body["id"] == draft_id and body["status"] == "draft"
    assert body["url"].endswith(reverse("api_assessment_detail", args=[draft_id]))
    assert body["answers"] == [] and "website_own" in body["missing"]
    assert body["result"] is None
    assert Assessment.objects.filter(dealership=dealership).count() == 1


def test_it_saves_an_answer_and_refuses_a_stale_revision_with_the_stored_one(
    owner_api, api_as, member, draft_id
):
    assessment = Assessment.objects.get(pk=draft_id)
    saved = owner_api.put(
        answer_url(assessment, "website_own"), {"value": "own_site", "revision": 0}
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["revision"] == 1
    assert saved.json()["label"]["en"].startswith("Yes, a website in our name")

    # A colleague read revision 0 too, and answers differently: refused, nothing saved.
    colleague = api_as(member)
    stale = colleague.put(answer_url(assessment, "website_own"), {"value": "none", "revision": 0})
    body = assert_error(stale, 409, "stale_revision")
    assert body["data"]["current"]["value"] == "own_site"
    assert body["data"]["current"]["revision"] == 1
    assert Answer.objects.get(assessment=assessment, question_key="website_own").value == "own_site"

    # With the revision they were just given, the change goes through.
    fresh = colleague.put(answer_url(assessment, "website_own"), {"value": "none", "revision": 1})
    assert fresh.status_code == 200 and fresh.json()["revision"] == 2


def test_it_refuses_an_answer_that_does_not_fit_the_question(owner_api, draft_id):
    assessment = Assessment.objects.get(pk=draft_id)
    response = owner_api.put(
        answer_url(assessment, "website_own"), {"value": "maybe", "revision": 0}
    )
    body = assert_error(response, 400, "invalid_answer")
    assert body["data"] == {"reason": "unknown_option"}
    assert body["fields"]["value"]
    assert not Answer.objects.filter(assessment=assessment).exists()

    missing_revision = owner_api.put(answer_url(assessment, "website_own"), {"value": "none"})
    assert "revision" in assert_error(missing_revision, 400, "invalid")["fields"]
    unknown = owner_api.put(answer_url(assessment, "no_such_question"), {"value": 1, "revision": 0})
    assert_error(unknown, 404, "not_found")


def test_it_saves_a_set_of_answers_all_or_nothing(owner_api, draft_id):
    assessment = Assessment.objects.get(pk=draft_id)
    url = reverse("api_answers", args=[draft_id])
    refused = owner_api.post(
        url,
        {
            "answers": [
                {"question": "website_own", "value": "own_site", "revision": 0},
                {"question": "website_mobile", "value": "sometimes?", "revision": 0},
            ]
        },
    )
    body = assert_error(refused, 400, "invalid_answer")
    assert list(body["fields"]) == ["answers.website_mobile"]
    assert not Answer.objects.filter(assessment=assessment).exists()  # not even the valid one

    answers = persona_answers("b")
    items = [{"question": k, "value": v, "revision": 0} for k, v in answers.items()]
    saved = owner_api.post(url, {"answers": items})
    assert saved.status_code == 200, saved.content
    assert {a["question"]: a["value"] for a in saved.json()["answers"]} == answers


def test_it_submits_once_complete_then_locks_the_answers(owner_api, draft_id):
    submit = reverse("api_assessment_submit", args=[draft_id])
    incomplete = assert_error(owner_api.post(submit), 400, "assessment_incomplete")
    assert "website_own" in incomplete["data"]["missing"]

    items = [{"question": k, "value": v, "revision": 0} for k, v in persona_answers("b").items()]
    assert (
        owner_api.post(reverse("api_answers", args=[draft_id]), {"answers": items}).status_code
        == 200
    )
    response = owner_api.post(submit)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["missing"] == []
    assert body["result"]["rung"] == 2  # reference dealer B's rung
    assert body["rung"] == 2 and body["overall_score"] == body["result"]["overall_score"]
    assert body["result"]["areas"][0]["area"] == "website"

    assert_error(owner_api.post(submit), 409, "assessment_locked")
    locked = owner_api.put(
        answer_url(Assessment(pk=draft_id), "website_own"), {"value": "none", "revision": 1}
    )
    assert_error(locked, 409, "assessment_locked")


def test_consultants_and_staff_read_but_do_not_answer(api_as, assigned_consultant, staff, draft_id):
    assessment = Assessment.objects.get(pk=draft_id)
    for user in (assigned_consultant, staff):
        api = api_as(user)
        assert api.get(reverse("api_assessment_detail", args=[draft_id])).status_code == 200
        put = api.put(answer_url(assessment, "website_own"), {"value": "own_site", "revision": 0})
        assert_error(put, 403, "permission_denied")
        assert_error(api.post(reverse("api_assessment_submit", args=[draft_id])), 403)
        assert_error(api.post(start_url(assessment.dealership)), 403)
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_an_outsider_reaches_nothing_of_the_dealership(
    api_as, outsider, dealership, owner, draft_id
):
    scored = submitted_assessment(dealership=dealership, user=owner)
    api = api_as(outsider)
    urls = [
        reverse("api_dealership_detail", args=[dealership.pk]),
        reverse("api_dealership_roadmap", args=[dealership.pk]),
        reverse("api_assessment_detail", args=[draft_id]),
        reverse("api_assessment_questions", args=[draft_id]),
        reverse("api_assessment_roadmap", args=[scored.pk]),
    ]
    for url in urls:
        assert_error(api.get(url), 404, "not_found")
    assert_error(api.put(answer_url(scored, "website_own"), {"value": "none", "revision": 0}), 404)
    assert_error(api.post(start_url(dealership)), 404)
    assert_error(api.post(reverse("api_assessment_submit", args=[draft_id])), 404)
    assert_error(api.post(reverse("api_report_create", args=[scored.pk])), 404)
    # Lists leave the dealership out.
    listed = api.get(reverse("api_assessment_list")).json()["results"]
    assert all(item["dealership"] != dealership.pk for item in listed)
    names = [d["name"] for d in api.get(reverse("api_dealership_list")).json()["results"]]
    assert dealership.name not in names


def test_it_lists_assessments_with_filters(api_as, owner, dealership, draft_id):
    submitted_assessment(dealership=dealership, user=owner)
    api = api_as(owner)
    every = api.get(reverse("api_assessment_list")).json()
    assert every["count"] == 2
    drafts = api.get(reverse("api_assessment_list"), data={"status": "draft"}).json()
    assert [a["id"] for a in drafts["results"]] == [draft_id]
    assert_error(api.get(reverse("api_assessment_list"), data={"status": "later"}), 400, "invalid")
    assert_error(api.get(reverse("api_assessment_list"), data={"dealership": "1.5"}), 400)


def test_it_compares_instants_with_any_iso_offset_in_utc(api_as, owner, dealership, draft_id):
    submitted_assessment(dealership=dealership, user=owner)
    api = api_as(owner)
    url = reverse("api_assessment_list")
    # PostgreSQL refuses offsets beyond 15:59 that ISO 8601 parsers accept.
    old = api.get(url, data={"submitted_before": "0292-01-31T21:17:11+18:18"})
    assert old.status_code == 200 and old.json()["count"] == 0
    later = api.get(url, data={"submitted_after": "2000-01-01T00:00:00-17:30"})
    assert later.status_code == 200 and later.json()["count"] == 1
    assert_error(api.get(url, data={"submitted_before": "0001-01-01T00:00:00+05:00"}), 400)


def test_it_lists_the_questions_with_their_state(owner_api, draft_id):
    questions = owner_api.get(reverse("api_assessment_questions", args=[draft_id])).json()
    by_key = {q["key"]: q for q in questions}
    assert by_key["website_own"]["visible"] and by_key["website_own"]["answer"]["revision"] == 0
    assert {o["key"] for o in by_key["website_own"]["options"]} >= {"none", "own_site"}
    # The address question only shows once the dealer says they have a site.
    assert by_key["website_url"]["visible"] is False
    assert by_key["website_url"]["show_if"] == {"question": "website_own", "any_of": ["own_site"]}
