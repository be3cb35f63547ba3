"""Measurements and campaigns through the API: website checks (list, detail, asking for
one), lead-response tests (list, detail, recording one), customer reviews imports (list,
detail, uploading a file) and the consultant's campaigns with their completion, each
with the pages' rules, its ``url`` and ``web_url``, and a list that costs the same
queries whatever its length."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maturity.campaigns.services import campaign_close, campaign_launch
from maturity.models import LeadTest, Measurement, MeasurementCheck, ReviewImport
from tests.api.conftest import assert_error
from tests.factories import (
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    LeadTestFactory,
    submitted_assessment,
    token_for,
)

REVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


def _measurement(dealership, **fields) -> Measurement:
    now = timezone.now()
    values = {
        "url": "https://www.auto-riviere.example/",
        "status": Measurement.Status.OK,
        "finished_at": now,
        "started_at": now,
    }
    return Measurement.objects.create(dealership=dealership, **(values | fields))


# --- website checks ------------------------------------------------------------------------


def test_the_owner_asks_for_a_check_and_reads_it_once_done(
    api_as, dealership, owner, django_capture_on_commit_callbacks
):
    dealership.website_url = "https://www.auto-riviere.example/"
    dealership.save()
    api = api_as(owner)
    with django_capture_on_commit_callbacks() as sent:
        response = api.post(reverse("api_website_check_request", args=[dealership.pk]))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["website"] == dealership.website_url
    assert body["url"].endswith(reverse("api_website_check_detail", args=[body["id"]]))
    assert body["web_url"].endswith(reverse("dealership_detail", args=[dealership.pk]))
    assert len(sent) == 1  # the worker's task, once the request commits
    # Asking again while it waits checks once.
    again = api.post(reverse("api_website_check_request", args=[dealership.pk]))
    assert again.status_code == 202 and again.json()["id"] == body["id"]

    measurement = Measurement.objects.get(pk=body["id"])
    measurement.status, measurement.finished_at = Measurement.Status.OK, timezone.now()
    measurement.save()
    MeasurementCheck.objects.create(
        measurement=measurement, key="mobile", ok=False, evidence="no viewport"
    )
    detail = api.get(body["url"]).json()
    assert detail["status"] == "ok"
    assert detail["checks"] == [{"key": "mobile", "ok": False, "evidence": "no viewport"}]


def test_a_member_may_not_ask_for_a_check_and_no_address_is_a_conflict(
    api_as, dealership, owner, member, assigned_consultant
):
    url = reverse("api_website_check_request", args=[dealership.pk])
    dealership.website_url = ""
    dealership.save()
    assert_error(api_as(member).post(url), 403, "permission_denied")
    assert_error(api_as(assigned_consultant).post(url), 409, "no_website")
    assert not Measurement.objects.exists()


def test_website_checks_are_listed_to_whoever_sees_the_dealership(
    api_as, dealership, other_dealership, owner, outsider, staff
):
    ours = _measurement(dealership)
    failed = _measurement(dealership, status=Measurement.Status.FAILED, reason="unreachable")
    theirs = _measurement(other_dealership)
    url = reverse("api_website_check_list")
    assert _ids(api_as(owner).get(url)) == [failed.pk, ours.pk]
    assert _ids(api_as(outsider).get(url)) == [theirs.pk]
    assert _ids(api_as(staff).get(url, data={"status": "failed"})) == [failed.pk]
    assert _ids(api_as(staff).get(url, data={"dealership": other_dealership.pk})) == [theirs.pk]
    assert_error(api_as(outsider).get(reverse("api_website_check_detail", args=[ours.pk])), 404)


# --- lead-response tests ----------------------------------------------------------------------


def _lead_test_body(**changes) -> dict:
    sent = timezone.now() - timedelta(hours=30)
    return {
        "channel": "email",
        "question": "Le SUV d'occasion est-il encore disponible ?",
        "sent_at": sent.isoformat(),
        "replied_at": (sent + timedelta(hours=3)).isoformat(),
        "grid_items": ["question_answered"],
        "notes": "Réponse signée du vendeur.",
    } | changes


def test_a_consultant_records_a_lead_test_through_the_api(api_as, dealership, assigned_consultant):
    response = api_as(assigned_consultant).post(
        reverse("api_lead_test_create", args=[dealership.pk]), _lead_test_body()
    )
    assert response.status_code == 201, response.content
    body = response.json()
    test = LeadTest.objects.get(pk=body["id"])
    assert test.recorded_by == assigned_consultant and test.dealership == dealership
    assert body["state"] == "answered" and 0 < body["score"] <= 100
    assert body["grid_items"] == ["question_answered"]
    assert body["recorded_by"] == str(assigned_consultant)
    assert body["web_url"].endswith(reverse("lead_tests", args=[dealership.pk]))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sent_at": (timezone.now() + timedelta(days=2)).isoformat()}, "sent_at"),
        # A mistyped year: refused rather than stored (and written back as no valid ISO date).
        ({"sent_at": "0208-11-24T14:34:14Z", "replied_at": None, "grid_items": []}, "sent_at"),
        ({"replied_at": (timezone.now() - timedelta(days=5)).isoformat()}, "replied_at"),
        ({"grid_items": ["bribe_offered"]}, "grid_items"),
        ({"replied_at": None}, "grid_items"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_a_lead_test_that_breaks_the_forms_rules_is_refused(
    api_as, dealership, assigned_consultant, changes, field
):
    response = api_as(assigned_consultant).post(
        reverse("api_lead_test_create", args=[dealership.pk]), _lead_test_body(**changes)
    )
    assert field in assert_error(response, 400)["fields"]
    assert not LeadTest.objects.exists()


def test_the_dealers_people_read_closed_tests_and_never_record_them(
    api_as, dealership, owner, member, assigned_consultant
):
    closed = LeadTestFactory(dealership=dealership)
    unanswered = LeadTestFactory(
        dealership=dealership, replied_at=None, sent_at=timezone.now() - timedelta(days=5)
    )
    waiting = LeadTestFactory(
        dealership=dealership, replied_at=None, sent_at=timezone.now() - timedelta(hours=2)
    )
    url = reverse("api_lead_test_list")
    assert set(_ids(api_as(owner).get(url))) == {closed.pk, unanswered.pk}
    assert set(_ids(api_as(assigned_consultant).get(url))) == {
        closed.pk,
        unanswered.pk,
        waiting.pk,
    }
    # The open test is the consultant's alone, as an id that does not exist.
    assert_error(api_as(owner).get(reverse("api_lead_test_detail", args=[waiting.pk])), 404)
    states = {
        row["id"]: (row["state"], row["score"])
        for row in api_as(assigned_consultant).get(url).json()["results"]
    }
    assert states[waiting.pk] == ("waiting", None)
    assert states[unanswered.pk] == ("unanswered", None)
    assert states[closed.pk][0] == "answered"
    create = reverse("api_lead_test_create", args=[dealership.pk])
    assert_error(api_as(owner).post(create, _lead_test_body()), 403, "permission_denied")
    assert_error(api_as(member).post(create, _lead_test_body()), 403, "permission_denied")


# --- customer reviews imports -----------------------------------------------------------------


def _upload(client, user, dealership, name: str, content: bytes | None = None):
    data = content if content is not None else (REVIEWS / name).read_bytes()
    return client.post(
        reverse("api_review_import_create", args=[dealership.pk]),
        {"file": SimpleUploadedFile(name, data)},
        headers={"Authorization": f"Bearer {token_for(user)}"},
    )


def test_the_owner_uploads_a_reviews_file_once(client, api_as, dealership, owner):
    first = _upload(client, owner, dealership, "avis_fr.csv")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["added"] == body["rows"] > 0 and body["file_format"] == "csv"
    assert body["web_url"].endswith(reverse("dealership_reviews", args=[dealership.pk]))
    again = _upload(client, owner, dealership, "avis_fr.csv").json()
    assert again["added"] == 0 and again["rows"] == body["rows"]

    url = reverse("api_review_import_list")
    assert _ids(api_as(owner).get(url)) == [again["id"], body["id"]]
    detail = api_as(owner).get(body["url"])
    assert detail.status_code == 200 and detail.json()["imported_by"] == str(owner)


def test_a_wrong_file_imports_nothing_and_names_its_lines(client, dealership, owner):
    refused = assert_error(
        _upload(client, owner, dealership, "avis_mauvaises_lignes.csv"), 400, "rows_refused"
    )
    assert refused["data"]["errors"] and all(e["line"] for e in refused["data"]["errors"])
    assert refused["fields"]["file"]
    garbage = _upload(client, owner, dealership, "avis.csv", b"\x00\x01\x02PK\x03\x04")
    assert_error(garbage, 400, "invalid_file")
    empty = _upload(client, owner, dealership, "avis.csv", b"")
    assert "file" in assert_error(empty, 400)["fields"]
    assert not ReviewImport.objects.exists()


def test_a_member_may_not_upload_and_an_outsider_sees_no_import(
    client, api_as, dealership, owner, member, outsider
):
    assert_error(_upload(client, member, dealership, "avis_fr.csv"), 403, "permission_denied")
    record = _upload(client, owner, dealership, "avis_fr.csv").json()
    assert _ids(api_as(outsider).get(reverse("api_review_import_list"))) == []
    assert_error(api_as(outsider).get(record["url"]), 404)
    assert_error(_upload(client, outsider, dealership, "avis_fr.csv"), 404)


# --- campaigns ---------------------------------------------------------------------------------


def _launch(consultant, dealerships, **extra):
    values = {
        "title": "Printemps 2026",
        "message": "Merci de répondre avant la réunion du réseau.",
        "due_date": timezone.localdate() + timedelta(days=30),
        "reminder_every_days": 7,
        "reminder_max": 2,
    }
    return campaign_launch(user=consultant, dealerships=dealerships, **(values | extra))


def test_a_consultant_reads_their_campaigns_with_each_dealerships_state(
    api_as, dealership, owner, assigned_consultant
):
    from maturity.assessments.services import assessment_submit

    submitted_assessment(dealership=dealership, persona="b", user=owner)
    second = DealershipFactory(name="Garage du Lac", city="Annecy")
    AssignmentFactory(consultant=assigned_consultant, dealership=second)
    campaign = _launch(assigned_consultant, [dealership, second])
    assessment_submit(
        assessment=campaign.participants.get(dealership=dealership).assessment, user=owner
    )
    api = api_as(assigned_consultant)

    (row,) = api.get(reverse("api_campaign_list")).json()["results"]
    assert row["id"] == campaign.pk and row["is_open"] and not row["overdue"]
    assert (row["dealerships"], row["submitted"], row["completion"]) == (2, 1, 50)
    assert row["web_url"].endswith(reverse("campaign_detail", args=[campaign.pk]))

    detail = api.get(row["url"]).json()
    assert detail["counts"] == {
        "not_started": 1,
        "in_progress": 0,
        "submitted": 1,
        "reviewed": 0,
    }
    states = {p["name"]: (p["state"], p["percent"]) for p in detail["participants"]}
    assert states == {"Auto Rivière": ("submitted", 100), "Garage du Lac": ("not_started", 0)}
    assert all(p["assessment_url"] for p in detail["participants"])

    campaign_close(campaign=campaign, user=assigned_consultant)
    assert _ids(api.get(reverse("api_campaign_list"), data={"status": "open"})) == []
    assert _ids(api.get(reverse("api_campaign_list"), data={"status": "closed"})) == [campaign.pk]
    assert_error(api.get(reverse("api_campaign_list"), data={"status": "later"}), 400)


def test_a_campaign_is_its_creators_and_staffs_only(
    api_as, dealership, owner, assigned_consultant, unassigned_consultant, staff
):
    campaign = _launch(assigned_consultant, [dealership])
    detail = reverse("api_campaign_detail", args=[campaign.pk])
    assert _ids(api_as(staff).get(reverse("api_campaign_list"))) == [campaign.pk]
    assert api_as(staff).get(detail).status_code == 200
    assert _ids(api_as(unassigned_consultant).get(reverse("api_campaign_list"))) == []
    assert_error(api_as(unassigned_consultant).get(detail), 404)
    assert_error(api_as(owner).get(detail), 404)
    assert_error(api_as(owner).get(reverse("api_campaign_list")), 403, "permission_denied")


# --- a list costs the same whatever its length --------------------------------------------------


def _grow(consultant, count: int) -> None:
    for _ in range(count):
        dealership = DealershipFactory()
        AssignmentFactory(consultant=consultant, dealership=dealership)
        _measurement(dealership)
        LeadTestFactory(dealership=dealership, recorded_by=consultant)
        ReviewImport.objects.create(
            dealership=dealership,
            file_format="csv",
            filename="avis.csv",
            file_hash="0" * 64,
            rows=3,
            added=3,
            imported_by=consultant,
            imported_at=timezone.now(),
        )
        _launch(consultant, [dealership])


@pytest.mark.parametrize(
    "route",
    ["api_website_check_list", "api_lead_test_list", "api_review_import_list", "api_campaign_list"],
)
def test_a_measurement_or_campaign_list_costs_the_same_whatever_its_length(api_as, db, route):
    consultant = ConsultantFactory()
    api = api_as(consultant)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(reverse(route))
        assert response.status_code == 200
        return len(captured)

    _grow(consultant, 2)
    api.get(reverse(route))  # warm the per-process caches (the grid, last-used stamp)
    few = queries()
    _grow(consultant, 6)
    assert queries() == few
