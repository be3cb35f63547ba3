import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dealers.models import Dealership, Membership, User
from maturity.models import Answer, Assessment, Report
from tests.maturity.results_helpers import submit_persona


@pytest.fixture
def scored(dealership, owner):
    return submit_persona(dealership=dealership, user=owner, letter="b")


@pytest.fixture
def stored_pdf(scored, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = Report.objects.create(assessment=scored, fingerprint="x" * 64, status="ready")
    report.file.save("reports/test.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return report


def test_it_exports_everything_about_the_dealership(client, owner, member, scored, dealership):
    client.force_login(owner)
    response = client.get(reverse("dealership_data_download", args=[dealership.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    document = json.loads(response.content)
    assert document["dealership"]["name"] == dealership.name
    assert {p["email"] for p in document["people"]} == {owner.email, member.email}
    assert len(document["assessments"]) == 1
    exported = document["assessments"][0]
    assert (
        len(exported["answers"])
        == Answer.objects.filter(assessment=scored).exclude(value=None).count()
    )
    assert exported["result"]["rung"] == 2


def test_it_deletes_the_data_and_the_stored_pdfs(
    client, owner, scored, stored_pdf, dealership, django_capture_on_commit_callbacks
):
    path = stored_pdf.file.path
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dealership_data_erase", args=[dealership.pk]), {"name": dealership.name}
        )
    assert response.status_code == 302
    assert not Dealership.objects.filter(pk=dealership.pk).exists()
    assert not Assessment.objects.exists() and not Answer.objects.exists()
    assert not Report.objects.exists()
    assert not Membership.objects.filter(dealership_id=dealership.pk).exists()
    assert User.objects.filter(pk=owner.pk).exists()  # people keep their accounts
    import os

    assert not os.path.exists(path)


def test_it_deletes_nothing_without_the_right_confirmation(
    client, owner, scored, stored_pdf, dealership
):
    client.force_login(owner)
    response = client.post(
        reverse("dealership_data_erase", args=[dealership.pk]), {"name": "Autre"}
    )
    assert response.status_code == 400
    assert (
        "does not match" in response.content.decode() or "correspond" in response.content.decode()
    )
    assert Dealership.objects.filter(pk=dealership.pk).exists()
    assert Assessment.objects.filter(pk=scored.pk).exists()
    stored_pdf.refresh_from_db()
    assert stored_pdf.file.storage.exists(stored_pdf.file.name)


def test_it_asks_for_confirmation_on_the_page(client, owner, dealership):
    client.force_login(owner)
    page = client.get(reverse("dealership_data", args=[dealership.pk])).content.decode()
    assert "data-confirm=" in page
    assert reverse("dealership_data_download", args=[dealership.pk]) in page


def test_it_refuses_a_member(client, member, dealership):
    client.force_login(member)
    response = client.post(
        reverse("dealership_data_erase", args=[dealership.pk]), {"name": dealership.name}
    )
    assert response.status_code == 403
    assert Dealership.objects.filter(pk=dealership.pk).exists()


def test_it_exports_plans_history_delegations_target_campaigns_and_notifications(
    client, owner, member, scored, dealership, assigned_consultant, other_dealership
):
    from datetime import timedelta

    from django.utils import timezone

    from maturity.assessments.services import area_delegate
    from maturity.campaigns.mailing import send_campaign_messages
    from maturity.campaigns.services import campaign_launch
    from maturity.followup.services import roadmap_plan_set, target_set
    from maturity.models import Notification
    from maturity.notifications.services import notify
    from tests.factories import AssignmentFactory

    due = timezone.localdate() + timedelta(days=20)
    roadmap_plan_set(
        dealership=dealership,
        action_key="website_mobile",
        user=owner,
        catalogue_of=scored,
        owner=member,
        due_date=due,
        notes="Devis reçu.",
    )
    target_set(dealership=dealership, user=owner, rung=3, due_date=due)
    AssignmentFactory(consultant=assigned_consultant, dealership=other_dealership)
    campaign = campaign_launch(
        user=assigned_consultant,
        dealerships=[dealership, other_dealership],
        title="Printemps",
        message="",
        due_date=due,
        reminder_every_days=7,
        reminder_max=3,
    )
    send_campaign_messages()
    draft = campaign.participants.get(dealership=dealership).assessment
    area_delegate(assessment=draft, area_key="crm", delegate=member, user=owner)
    notify(kind=Notification.Kind.REPORT_READY, recipients=[owner], dealership=dealership)
    # Someone else's notification about another dealership stays out.
    notify(kind=Notification.Kind.REPORT_READY, recipients=[owner], dealership=other_dealership)

    client.force_login(owner)
    document = json.loads(
        client.get(reverse("dealership_data_download", args=[dealership.pk])).content
    )
    (plan,) = document["roadmap_statuses"]
    assert plan["owner"]["email"] == member.email and plan["due_date"] == due.isoformat()
    assert plan["notes"] == "Devis reçu."
    assert {c["field"] for c in document["roadmap_history"]} == {"owner", "due_date", "notes"}
    (delegation,) = document["delegations"]
    assert delegation["delegate"]["email"] == member.email and delegation["area"] == "crm"
    assert document["target"]["rung"] == 3
    (entry,) = document["campaigns"]
    assert entry["title"] == "Printemps" and entry["launched_by"]["email"] == (
        assigned_consultant.email
    )
    assert {e["to"] for e in entry["emails"]} == {owner.email, member.email}
    kinds = {(n["to"], n["kind"]) for n in document["notifications"]}
    assert (owner.email, "report_ready") in kinds and (member.email, "area_delegated") in kinds
    assert len([n for n in document["notifications"] if n["kind"] == "report_ready"]) == 1
