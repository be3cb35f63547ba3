"""Dealerships, roadmaps, PDF reports and the portfolio through the API: what each role
reads and may change, with the pages' rules; the schema and its documentation page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from maturity.models import Report, RoadmapActionStatus
from tests.api.conftest import assert_error
from tests.factories import (
    AssignmentFactory,
    DealershipFactory,
    ReportFactory,
    submitted_assessment,
)

# --- dealerships ---------------------------------------------------------------------------


def test_each_role_lists_the_dealerships_it_sees(
    api_as, dealership, other_dealership, owner, assigned_consultant, staff
):
    def names(user, **query):
        response = api_as(user).get(reverse("api_dealership_list"), data=query)
        assert response.status_code == 200
        return [d["name"] for d in response.json()["results"]]

    assert names(owner) == [dealership.name]
    assert names(assigned_consultant) == [dealership.name]
    assert names(staff) == sorted([dealership.name, other_dealership.name])
    assert names(staff, search="concurrent") == [other_dealership.name]
    assert names(staff, region=dealership.region) == [
        d.name for d in (dealership, other_dealership) if d.region == dealership.region
    ]
    assert_error(api_as(staff).get(reverse("api_dealership_list"), data={"region": "xx"}), 400)


def test_the_owner_updates_the_profile_and_nobody_else_does(api_as, dealership, owner, member):
    url = reverse("api_dealership_detail", args=[dealership.pk])
    changes = {
        "website_url": "https://www.auto-riviere.example/",
        "social_urls": ["https://facebook.com/autoriviere", "https://facebook.com/autoriviere"],
        "language": "en",
    }
    response = api_as(owner).patch(url, changes)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["website_url"] == changes["website_url"]
    assert body["social_urls"] == ["https://facebook.com/autoriviere"]
    dealership.refresh_from_db()
    assert dealership.language == "en" and dealership.name == "Auto Rivière"

    assert_error(api_as(member).patch(url, {"language": "fr"}), 403, "permission_denied")
    refused = api_as(owner).patch(url, {"website_url": "javascript:alert(1)"})
    assert "website_url" in assert_error(refused, 400, "invalid")["fields"]
    # Not a profile field: ignored, like any field the resource does not take.
    api_as(owner).patch(url, {"name": "Renamed"})
    dealership.refresh_from_db()
    assert dealership.name == "Auto Rivière" and dealership.language == "en"


# --- roadmaps ----------------------------------------------------------------------------


@pytest.fixture
def scored(dealership, owner):
    return submitted_assessment(dealership=dealership, user=owner)


def test_the_dealer_follows_the_roadmap_and_the_consultant_reads_it(
    api_as, dealership, scored, owner, assigned_consultant
):
    url = reverse("api_dealership_roadmap", args=[dealership.pk])
    roadmap = api_as(assigned_consultant).get(url, headers={"Accept-Language": "en"}).json()
    assert roadmap["assessment"] == scored.pk
    first = roadmap["actions"][0]
    assert first["status"] == "todo" and first["horizon"] in ("0-3", "3-6", "6-12")

    status_url = reverse("api_roadmap_status", args=[dealership.pk, first["action"]])
    assert_error(api_as(assigned_consultant).put(status_url, {"status": "done"}), 403)
    done = api_as(owner).put(status_url, {"status": "done"})
    assert done.status_code == 200 and done.json()["done_at"]
    row = RoadmapActionStatus.objects.get(dealership=dealership, action_key=first["action"])
    assert row.status == "done" and row.updated_by == owner

    again = api_as(assigned_consultant).get(url).json()
    assert again["actions"][0]["status"] == "done"
    by_assessment = api_as(owner).get(reverse("api_assessment_roadmap", args=[scored.pk])).json()
    assert by_assessment["actions"][0]["status"] == "done"

    assert_error(api_as(owner).put(status_url, {"status": "finished"}), 400, "invalid")
    unknown = reverse("api_roadmap_status", args=[dealership.pk, "no_such_action"])
    assert_error(api_as(owner).put(unknown, {"status": "done"}), 404)


def test_the_dealer_and_the_consultant_plan_an_action_through_the_api(
    api_as, dealership, scored, owner, member, assigned_consultant, outsider
):
    roadmap = api_as(owner).get(reverse("api_dealership_roadmap", args=[dealership.pk])).json()
    key = roadmap["actions"][0]["action"]
    url = reverse("api_roadmap_status", args=[dealership.pk, key])

    planned = api_as(assigned_consultant).patch(
        url, {"owner": member.pk, "due_date": "2027-03-31", "notes": "Avec l'agence"}
    )
    assert planned.status_code == 200, planned.content
    body = planned.json()
    assert body["owner"] == member.pk and body["owner_name"] == member.get_full_name()
    assert body["due_date"] == "2027-03-31" and body["notes"] == "Avec l'agence"

    # A field left out keeps its value; null clears it.
    cleared = api_as(owner).patch(url, {"due_date": None}).json()
    assert cleared["owner"] == member.pk and cleared["due_date"] is None
    assert cleared["notes"] == "Avec l'agence"
    row = RoadmapActionStatus.objects.get(dealership=dealership, action_key=key)
    assert row.owner == member and row.due_date is None and row.updated_by == owner

    # The roadmap shows the plan.
    again = api_as(owner).get(reverse("api_dealership_roadmap", args=[dealership.pk])).json()
    action = next(a for a in again["actions"] if a["action"] == key)
    assert action["owner"] == member.get_full_name() and action["due_date"] is None

    # Somebody who is not of the dealership cannot own it; bad dates are refused; an
    # outsider sees nothing.
    refused = api_as(owner).patch(url, {"owner": outsider.pk})
    assert "owner" in assert_error(refused, 400, "invalid")["fields"]
    assert_error(api_as(owner).patch(url, {"owner": 10**9}), 400, "invalid")
    assert_error(api_as(owner).patch(url, {"due_date": "31/03/2027"}), 400, "invalid")
    assert_error(api_as(outsider).patch(url, {"notes": "x"}), 404)
    unknown = reverse("api_roadmap_status", args=[dealership.pk, "no_such_action"])
    assert_error(api_as(owner).patch(unknown, {"notes": "x"}), 404)
    row.refresh_from_db()
    assert row.owner == member and row.notes == "Avec l'agence"


def test_there_is_no_roadmap_before_a_submission(api_as, dealership, owner):
    assert_error(api_as(owner).get(reverse("api_dealership_roadmap", args=[dealership.pk])), 404)


# --- reports -----------------------------------------------------------------------------


def test_a_report_is_requested_then_downloaded_through_the_scope_check(
    api_as, scored, owner, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_as(owner).post(reverse("api_report_create", args=[scored.pk]), {})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert body["language"] == "fr"  # the dealership's language
    assert len(callbacks) == 1  # the rendering task is sent once committed

    report = Report.objects.get(pk=body["id"])
    report.status = Report.Status.READY
    report.file.name = f"reports/test/api-download-{report.pk}.pdf"
    report.save()
    path = Path(settings.MEDIA_ROOT) / report.file.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")

    detail = api_as(owner).get(reverse("api_report_detail", args=[report.pk])).json()
    assert detail["download_url"].endswith(reverse("api_report_download", args=[report.pk]))
    download = api_as(owner).get(reverse("api_report_download", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "no-store" in download["Cache-Control"]

    outsider_api = api_as(outsider)
    assert_error(outsider_api.get(reverse("api_report_download", args=[report.pk])), 404)
    assert_error(outsider_api.get(reverse("api_report_detail", args=[report.pk])), 404)
    assert outsider_api.get(reverse("api_report_list")).json()["count"] == 0


def test_a_draft_has_no_report_and_an_unready_one_no_download(api_as, dealership, owner, scored):
    draft = api_as(owner).post(reverse("api_assessment_start", args=[dealership.pk])).json()
    refused = api_as(owner).post(reverse("api_report_create", args=[draft["id"]]), {})
    assert_error(refused, 409, "report_not_available")
    queued = ReportFactory(assessment=scored, status="queued")
    assert_error(api_as(owner).get(reverse("api_report_download", args=[queued.pk])), 404)


# --- portfolio -----------------------------------------------------------------------------


def test_the_portfolio_has_the_pages_rows_and_filters(api_as, assigned_consultant, owner, scored):
    lyon = DealershipFactory(name="Garage de Lyon", city="Lyon", region="cor")
    AssignmentFactory(consultant=assigned_consultant, dealership=lyon)
    api = api_as(assigned_consultant)
    rows = api.get(reverse("api_portfolio")).json()
    assert rows["count"] == 2
    by_name = {r["dealership"]["name"]: r for r in rows["results"]}
    assessed = by_name["Auto Rivière"]
    assert assessed["rung"] == 2 and assessed["latest_assessment"] == scored.pk
    assert set(assessed["area_scores"]) >= {"website", "social"}
    assert by_name["Garage de Lyon"]["rung"] is None

    filtered = api.get(reverse("api_portfolio"), data={"region": "cor"}).json()
    assert [r["dealership"]["name"] for r in filtered["results"]] == ["Garage de Lyon"]
    never = api.get(reverse("api_portfolio"), data={"rung": "none"}).json()
    assert [r["dealership"]["name"] for r in never["results"]] == ["Garage de Lyon"]
    paged = api.get(reverse("api_portfolio"), data={"page_size": 1, "sort": "-name"}).json()
    assert [r["dealership"]["name"] for r in paged["results"]] == ["Garage de Lyon"]
    assert paged["next"] and "page=2" in paged["next"]

    assert_error(api.get(reverse("api_portfolio"), data={"rung": "9"}), 400, "invalid")
    assert_error(api.get(reverse("api_portfolio"), data={"page": "7"}), 404)
    assert_error(api_as(owner).get(reverse("api_portfolio")), 403, "permission_denied")


# --- errors, schema, documentation ---------------------------------------------------------


def test_every_error_has_the_one_shape(api_as, owner, dealership, client):
    api = api_as(owner)
    draft = api.post(reverse("api_assessment_start", args=[dealership.pk])).json()
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api.get("/api/v1/dealerships/-1/"), 404, "not_found")
    assert_error(api.get("/api/v1/dealerships/1%0A/"), 404, "not_found")  # a line break
    assert_error(api.post(reverse("api_dealership_list"), {}), 405, "method_not_allowed")
    broken = client.post(
        reverse("api_answers", args=[draft["id"]]),
        data="{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert_error(broken, 400, "parse_error")
    english = api.get("/api/v1/nothing-here/", headers={"Accept-Language": "en"})
    assert assert_error(english, 404)["message"] == "The API has no such address."


def test_the_schema_and_its_documentation_page_are_served(client, db):
    schema = client.get(reverse("api_schema"), headers={"Accept": "application/json"})
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/assessments/{id}/answers/{question_key}/" in document["paths"]
    assert "Error" in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["accessToken"]["scheme"] == "bearer"

    page = client.get(reverse("api_docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html and "js/api-docs.js" in html
    assert reverse("api_schema") in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
