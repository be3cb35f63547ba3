"""The owner's archive: one zip with everything the dealership owns, a README inside, its
PDFs byte for byte, and nothing of any other dealership."""

from __future__ import annotations

import io
import json
import tempfile
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

from dealers.models import Invitation, Membership
from dealers.services import invitation_create
from maturity.assessments.services import area_delegate
from maturity.campaigns.mailing import send_campaign_messages
from maturity.campaigns.services import campaign_launch
from maturity.dealership_data.archive import dealership_archive_write
from maturity.followup.services import roadmap_plan_set, target_set
from maturity.models import Answer, Notification, ReminderLog, Report
from maturity.notifications.services import notify
from maturity.review.services import evidence_verify, review_save
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    persona_answers,
    token_for,
)
from tests.maturity.results_helpers import submit_answers

CHANGED_AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
PDF_BYTES = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def _submit(dealership, user, *, url: str):
    answers = persona_answers("b") | {"website_url": url}
    return submit_answers(dealership=dealership, user=user, answers=answers)


def _report(assessment, *, language: str, content: bytes) -> Report:
    report = Report.objects.create(
        assessment=assessment,
        fingerprint=f"{assessment.pk:032x}{language:0>32}",
        status="ready",
        language=language,
        finished_at=timezone.now(),
    )
    report.file.save(f"reports/r-{report.pk}.pdf", ContentFile(content), save=True)
    return report


def _download(client, dealership):
    response = client.get(reverse("dealership_data_download", args=[dealership.pk]))
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content)
    return response, zipfile.ZipFile(io.BytesIO(body))


def _json(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def full_world(media, dealership, owner, member, assigned_consultant, other_dealership):
    """A dealership with something in every category the archive holds."""
    scored = _submit(dealership, owner, url="https://www.auto-riviere.example")
    # The member changed one answer at a known time.
    Answer.objects.filter(assessment=scored, question_key="website_url").update(
        updated_by=member, updated_at=CHANGED_AT, revision=3
    )
    review_save(
        assessment=scored,
        user=assigned_consultant,
        overall_note="Belle progression.",
        area_comments={"website": "Site publié et rapide."},
        action="publish",
    )
    # A later draft the consultant has not published: not the dealer's to read.
    review_save(
        assessment=scored,
        user=assigned_consultant,
        overall_note="Brouillon confidentiel.",
        area_comments={"website": "Commentaire brouillon."},
        action="save",
    )
    evidence_verify(
        assessment=scored, question_key="website_url", user=assigned_consultant, verified=True
    )
    report = _report(scored, language="fr", content=PDF_BYTES)

    accepted = invitation_create(
        invited_by=owner, dealership=dealership, email="new.colleague@example.com", role="member"
    )
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    expired = invitation_create(
        invited_by=assigned_consultant,
        dealership=dealership,
        email="late@example.com",
        full_name="Léa Tardive",
        role="owner",
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))

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
    ReminderLog.objects.create(
        assessment=draft,
        user=member,
        email=member.email,
        sent_on=CHANGED_AT.date(),
        sent_at=CHANGED_AT,
    )
    notify(kind=Notification.Kind.REPORT_READY, recipients=[owner], dealership=dealership)
    token_for(owner, name="CRM maison")
    return {
        "scored": scored,
        "draft": draft,
        "report": report,
        "due": due,
        "accepted": accepted,
        "expired": expired,
    }


def test_it_downloads_one_zip_named_after_the_dealership_and_the_day(
    client, owner, dealership, media
):
    client.force_login(owner)
    response, archive = _download(client, dealership)
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="donnees-auto-riviere-{day}.zip"'
    )
    assert archive.testzip() is None
    assert {"README.txt", "dealership.json"} <= set(archive.namelist())


def test_it_holds_every_category_with_its_authors_and_times(
    client, owner, member, assigned_consultant, dealership, full_world
):
    scored, draft, report = full_world["scored"], full_world["draft"], full_world["report"]
    client.force_login(owner)
    _response, archive = _download(client, dealership)
    document = _json(archive, "dealership.json")

    assert document["format"] == "dealer-maturity/dealership-v3"
    assert document["exported_by"]["email"] == owner.email
    assert document["dealership"]["name"] == dealership.name
    assert document["dealership"]["profile"] == dealership.profile
    people = {p["email"]: p["role"] for p in document["people"]}
    assert people == {owner.email: "owner", member.email: "member"}
    assert [c["email"] for c in document["consultants"]] == [assigned_consultant.email]

    invitations = {i["email"]: i for i in document["invitations"]}
    accepted = invitations["new.colleague@example.com"]
    assert accepted["invited_by"]["email"] == owner.email
    assert accepted["role"] == "member" and accepted["state"] == "accepted"
    assert accepted["accepted_at"] is not None and accepted["created_at"]
    expired = invitations["late@example.com"]
    assert expired["invited_by"]["email"] == assigned_consultant.email
    assert expired["name"] == "Léa Tardive" and expired["role"] == "owner"
    assert expired["state"] == "expired" and expired["accepted_at"] is None

    (plan,) = document["roadmap_statuses"]
    assert plan["owner"]["email"] == member.email
    assert plan["due_date"] == full_world["due"].isoformat() and plan["notes"] == "Devis reçu."
    assert {c["field"] for c in document["roadmap_history"]} == {"owner", "due_date", "notes"}
    assert all(c["by"]["email"] == owner.email for c in document["roadmap_history"])
    assert document["target"]["rung"] == 3
    (delegation,) = document["delegations"]
    assert delegation["delegate"]["email"] == member.email and delegation["area"] == "crm"
    (entry,) = document["campaigns"]
    assert entry["title"] == "Printemps"
    assert entry["launched_by"]["email"] == assigned_consultant.email
    assert {e["to"] for e in entry["emails"]} == {owner.email, member.email}

    assert document["reminders"] == [
        {
            "assessment": draft.pk,
            "to": member.email,
            "name": member.full_name,
            "sent_at": "2026-03-14T09:30:00+00:00",
        }
    ]
    kinds = {(n["to"], n["kind"]) for n in document["notifications"]}
    assert (owner.email, "report_ready") in kinds and (member.email, "area_delegated") in kinds
    assert all(n["text"] for n in document["notifications"])
    (token,) = document["api_tokens"]
    assert token["person"]["email"] == owner.email and token["name"] == "CRM maison"
    assert token["starts_with"].startswith("dmat_")

    (listed,) = document["reports"]
    assert listed["id"] == report.pk and listed["language"] == "fr"
    assert listed["status"] == "ready" and listed["assessment"] == scored.pk
    assert listed["created_at"] and listed["file"] == f"reports/report-{report.pk}-fr.pdf"
    assert archive.read(listed["file"]) == PDF_BYTES
    assert archive.read(listed["file"]) == report.file.open("rb").read()

    assert {a["id"] for a in document["assessments"]} == {scored.pk, draft.pk}
    exported = _json(archive, f"assessments/assessment-{scored.pk}.json")
    assert exported["assessment"]["id"] == scored.pk
    assert exported["assessment"]["created_by"]["email"] == owner.email
    assert exported["assessment"]["submitted_by_email"] == owner.email
    assert exported["result"]["rung"] == scored.result.rung
    answers = {a["question"]: a for a in exported["answers"]}
    assert len(answers) == Answer.objects.filter(assessment=scored).exclude(value=None).count()
    changed = answers["website_url"]
    assert changed["changed_by"]["email"] == member.email
    assert changed["changed_at"] == "2026-03-14T09:30:00+00:00"
    assert changed["revision"] == 3
    others = [a for a in answers.values() if a is not changed]
    assert others and all(a["changed_by"]["email"] == owner.email for a in others)

    review = exported["review"]
    assert review["published"] is True
    assert review["published_by"]["email"] == assigned_consultant.email
    assert review["overall_note"] == "Belle progression."
    (comment,) = review["comments"]
    assert comment["area"] == "website" and comment["body"] == "Site publié et rapide."
    assert comment["author"]["email"] == assigned_consultant.email
    (evidence,) = exported["evidence"]
    assert evidence["question"] == "website_url"
    assert evidence["url"] == "https://www.auto-riviere.example"
    assert evidence["verified_by"]["email"] == assigned_consultant.email
    assert evidence["verified_at"].endswith("+00:00") and evidence["still_answered"] is True


def test_it_leaves_out_the_consultants_unpublished_draft_and_every_secret(
    client, owner, dealership, full_world
):
    client.force_login(owner)
    _response, archive = _download(client, dealership)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Brouillon confidentiel" not in everything
    assert b"Commentaire brouillon" not in everything
    token = owner.access_tokens.get()
    assert token.token_hash.encode() not in everything
    for invitation in Invitation.objects.all():
        assert invitation.token_hash.encode() not in everything


def test_it_holds_nothing_of_another_dealership(
    client, owner, dealership, other_dealership, outsider, full_world
):
    # The other dealership has its own people, answers, review, report, invitations,
    # reminders, notifications and tokens, some written by the same consultant.
    other_member = MembershipFactory(
        dealership=other_dealership, user__email="b.person@concurrent.example"
    ).user
    theirs = _submit(other_dealership, outsider, url="https://www.garage-concurrent.example")
    other_pdf = b"%PDF-1.7 Garage Concurrent secret\n%%EOF\n"
    other_report = _report(theirs, language="en", content=other_pdf)
    invitation_create(
        invited_by=outsider, dealership=other_dealership, email="b.invitee@concurrent.example"
    )
    ReminderLog.objects.create(
        assessment=theirs,
        user=other_member,
        email=other_member.email,
        sent_on=CHANGED_AT.date(),
        sent_at=CHANGED_AT,
    )
    notify(
        kind=Notification.Kind.REPORT_READY,
        recipients=[owner, outsider],
        dealership=other_dealership,
    )
    token_for(outsider, name="Concurrent API")

    client.force_login(owner)
    _response, archive = _download(client, dealership)
    names = archive.namelist()
    everything = b"".join(archive.read(name) for name in names)
    for needle in (
        other_dealership.name,
        other_dealership.city,
        outsider.email,
        other_member.email,
        "b.invitee@concurrent.example",
        "garage-concurrent",
        "Concurrent API",
    ):
        assert needle.encode() not in everything, needle
    assert other_pdf not in everything
    assert f"report-{other_report.pk}-" not in " ".join(names)
    assert f"assessment-{theirs.pk}.json" not in names

    document = _json(archive, "dealership.json")
    assert document["dealership"]["id"] == dealership.pk
    assert theirs.pk not in {a["id"] for a in document["assessments"]}
    assert {r["id"] for r in document["reports"]} == {full_world["report"].pk}
    assert all(r["assessment"] != theirs.pk for r in document["reminders"])
    assert len([n for n in document["notifications"] if n["kind"] == "report_ready"]) == 1
    for name in names:
        if name.startswith("assessments/"):
            assert _json(archive, name)["dealership"]["id"] == dealership.pk


@pytest.mark.parametrize(
    ("language", "title", "line"),
    [
        ("fr", "Toutes les données de la concession Auto Rivière", "au format ISO 8601, en UTC"),
        ("en", "All the data of Auto Rivière", "ISO 8601 in UTC"),
    ],
)
def test_it_writes_the_readme_in_the_requesters_language(
    client, owner, dealership, media, language, title, line
):
    owner.language = language
    owner.save(update_fields=["language"])
    client.force_login(owner)
    _response, archive = _download(client, dealership)
    readme = archive.read("README.txt").decode()
    assert readme.startswith(title)
    assert line in readme
    for name in ("dealership.json", "assessments/assessment-<id>.json", "reports/"):
        assert name in readme
    for field in ("invitations", "reminders", "changed_by", "api_tokens", "evidence"):
        assert field in readme
    other = "en" if language == "fr" else "fr"
    foreign = "All the data of" if other == "en" else "Toutes les données"
    assert foreign not in readme


def test_it_lists_a_report_whose_file_is_gone_without_failing(client, owner, dealership, media):
    scored = _submit(dealership, owner, url="https://www.auto-riviere.example")
    report = _report(scored, language="en", content=PDF_BYTES)
    report.file.storage.delete(report.file.name)
    queued = Report.objects.create(assessment=scored, fingerprint="q" * 64, status="queued")
    client.force_login(owner)
    _response, archive = _download(client, dealership)
    reports = {r["id"]: r for r in _json(archive, "dealership.json")["reports"]}
    assert reports[report.pk]["file"] is None and reports[queued.pk]["file"] is None
    assert not [n for n in archive.namelist() if n.startswith("reports/")]


def test_it_refuses_the_archive_to_a_member_and_a_consultant(
    client, member, assigned_consultant, dealership
):
    for user in (member, assigned_consultant):
        client.force_login(user)
        response = client.get(reverse("dealership_data_download", args=[dealership.pk]))
        assert response.status_code == 403


def test_it_describes_the_archive_on_the_data_page(client, owner, dealership):
    client.force_login(owner)
    page = client.get(reverse("dealership_data", args=[dealership.pk])).content.decode()
    assert reverse("dealership_data_download", args=[dealership.pk]) in page
    assert "README" in page and "zip" in page.lower()


def test_it_lets_staff_download_too(client, staff, dealership, media):
    assert not Membership.objects.filter(user=staff).exists()
    client.force_login(staff)
    _response, archive = _download(client, dealership)
    assert _json(archive, "dealership.json")["exported_by"]["email"] == staff.email


def test_it_copies_a_big_pdf_in_blocks_without_holding_it_in_memory(owner, dealership, media):
    big = b"%PDF-1.7\n" + b"\x8f" * (24 * 1024 * 1024) + b"\n%%EOF\n"
    scored = _submit(dealership, owner, url="https://www.auto-riviere.example")
    report = _report(scored, language="fr", content=big)
    del big
    with tempfile.TemporaryFile() as target:
        tracemalloc.start()
        try:
            dealership_archive_write(
                dealership=dealership, requested_by=owner, language="fr", target=target
            )
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 8 * 1024 * 1024, peak
        target.seek(0)
        with zipfile.ZipFile(target) as archive:
            info = archive.getinfo(f"reports/report-{report.pk}-fr.pdf")
            assert info.file_size == report.file.size
            assert info.compress_type == zipfile.ZIP_STORED
            assert archive.namelist()[0] == "README.txt"


def test_it_lists_a_report_whose_file_vanishes_while_archiving(
    client, owner, dealership, media, monkeypatch
):
    scored = _submit(dealership, owner, url="https://www.auto-riviere.example")
    report = _report(scored, language="fr", content=PDF_BYTES)
    storage = report.file.storage
    storage.delete(report.file.name)
    # Listed while its file was there, gone when the archive copies it.
    monkeypatch.setattr(FileSystemStorage, "exists", lambda self, name: True)
    client.force_login(owner)
    _response, archive = _download(client, dealership)
    (listed,) = _json(archive, "dealership.json")["reports"]
    assert listed["id"] == report.pk and listed["file"] is None
