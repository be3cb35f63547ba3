"""Generate, watch and download a PDF through the web: status page, download, access."""

from __future__ import annotations

import time
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from kombu.exceptions import OperationalError as BrokerError

from maturity.models import Report
from maturity.reports import jobs, services, tasks
from tests.factories import submitted_assessment
from tests.maturity.reports_helpers import Sent

FAKE_PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_EMAIL_WHEN_READY = False


@pytest.fixture
def sent(monkeypatch) -> Sent:
    recorder = Sent()
    monkeypatch.setattr(tasks, "report_send", recorder)
    return recorder


@pytest.fixture(autouse=True)
def _stub_layout(monkeypatch):
    monkeypatch.setattr(jobs, "render_report_pdf", lambda report: FAKE_PDF)


@pytest.fixture
def assessment(dealership, owner):
    return submitted_assessment(dealership=dealership, persona="b", user=owner)


def create_url(assessment) -> str:
    return reverse("report_create", args=[assessment.dealership_id, assessment.pk])


def url(name: str, report: Report) -> str:
    return reverse(name, args=[report.assessment.dealership_id, report.pk])


@pytest.fixture
def ready(assessment, owner, sent) -> Report:
    report = services.report_request(assessment=assessment, user=owner, language="fr")
    assert tasks.render_report.apply(args=[report.pk]).result == "ready"
    report.refresh_from_db()
    return report


def test_generate_queues_the_report_and_lands_on_the_status_page(
    client, owner, assessment, sent, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(assessment))
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("report_detail", report)
    assert sent.ids == [report.pk]
    assert report.language == "fr"  # the dealer's language

    page = client.get(url("report_detail", report))
    html = page.content.decode()
    # The fragment polls itself every 2 s while the job runs.
    assert f'hx-get="{url("report_status", report)}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert 'aria-current="step"' in html
    assert "report_download" not in html and "/download/" not in html


def test_a_consultant_may_ask_for_the_other_language(client, assigned_consultant, assessment, sent):
    client.force_login(assigned_consultant)
    client.post(create_url(assessment), {"language": "en"})
    assert Report.objects.get().language == "en"
    client.post(create_url(assessment), {"language": "de"})  # unknown: the dealer's
    assert sorted(Report.objects.values_list("language", flat=True)) == ["en", "fr"]


def test_generate_on_a_draft_explains_why_not(client, owner, dealership, sent):
    from tests.factories import AssessmentFactory

    draft = AssessmentFactory(dealership=dealership)
    client.force_login(owner)
    response = client.post(create_url(draft), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dealership_detail", args=[dealership.pk])
    assert not Report.objects.exists()


def test_generate_needs_a_post(client, owner, assessment):
    client.force_login(owner)
    assert client.get(create_url(assessment)).status_code == 405


def test_the_status_fragment_stops_polling_and_offers_the_download_when_ready(client, owner, ready):
    client.force_login(owner)
    response = client.get(url("report_status", ready), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert 'id="report-status"' in html
    assert "hx-get" not in html and "hx-trigger" not in html
    assert url("report_download", ready) in html


def test_a_failed_report_says_why_and_offers_to_try_again(
    client, owner, ready, sent, settings, django_capture_on_commit_callbacks
):
    Report.objects.filter(pk=ready.pk).update(
        status=Report.Status.FAILED, error=jobs.ERROR_GAVE_UP, fingerprint="0" * 64
    )
    client.force_login(owner)
    html = unescape(client.get(url("report_status", ready)).content.decode())
    assert "hx-get" not in html
    with translation.override(settings.LANGUAGE_CODE):
        assert gettext(jobs.ERROR_GAVE_UP) in html  # the stored message, translated
    assert url("report_retry", ready) in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_retry", ready))
    again = Report.objects.exclude(pk=ready.pk).get()
    assert response["Location"] == url("report_detail", again)
    assert again.status == Report.Status.QUEUED
    assert sent.ids[-1] == again.pk


def test_the_download_is_an_attachment_with_a_server_chosen_name_and_no_cache(
    client, member, ready
):
    client.force_login(member)
    response = client.get(url("report_download", ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localdate(ready.assessment.submitted_at)
    assert response["Content-Disposition"] == (
        f'attachment; filename="feuille-de-route-auto-riviere-{day:%Y-%m-%d}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == FAKE_PDF


def test_an_english_report_gets_an_english_file_name(client, owner, assessment, sent):
    report = services.report_request(assessment=assessment, user=owner, language="en")
    tasks.render_report.apply(args=[report.pk])
    client.force_login(owner)
    response = client.get(url("report_download", report))
    assert 'filename="roadmap-auto-riviere-' in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["outsider", "unassigned_consultant"])
def test_other_people_get_a_404_for_every_report_url(client, request, ready, role):
    client.force_login(request.getfixturevalue(role))
    for name in ("report_detail", "report_status", "report_download"):
        assert client.get(url(name, ready)).status_code == 404, name
    assert client.post(url("report_retry", ready)).status_code == 404
    assert client.post(create_url(ready.assessment)).status_code == 404


def test_a_report_url_under_another_dealership_is_a_404(client, outsider, ready, other_dealership):
    """The outsider sees ``other_dealership``: its id in the URL does not open our report."""
    client.force_login(outsider)
    wrong = reverse("report_download", args=[other_dealership.pk, ready.pk])
    assert client.get(wrong).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, ready):
    response = client.get(url("report_download", ready))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_access_is_checked_at_download_time(client, member, ready):
    client.force_login(member)
    assert client.get(url("report_download", ready)).status_code == 200
    member.memberships.all().delete()
    assert client.get(url("report_download", ready)).status_code == 404


def test_a_report_that_is_not_ready_cannot_be_downloaded(client, owner, ready, settings):
    client.force_login(owner)
    Report.objects.filter(pk=ready.pk).update(status=Report.Status.RUNNING)
    assert client.get(url("report_download", ready)).status_code == 404
    Report.objects.filter(pk=ready.pk).update(status=Report.Status.READY)
    (Path(settings.MEDIA_ROOT) / ready.file.name).unlink()
    assert client.get(url("report_download", ready)).status_code == 404


def test_the_pdf_is_not_under_a_public_url(client, owner, ready, settings):
    client.force_login(owner)
    assert settings.MEDIA_URL in ("", "/")  # nothing serves MEDIA_ROOT
    assert client.get("/" + ready.file.name).status_code == 404
    assert client.get("/media/" + ready.file.name).status_code == 404


def test_a_broker_outage_does_not_hold_the_request_and_the_sweeper_sends_later(
    client, owner, assessment, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.render_report, "apply_async", broker_down)
    client.force_login(owner)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(assessment))
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED
    assert client.get(response["Location"]).status_code == 200

    # The broker is back; a sweep after the resend delay sends the report.
    published: list[list[int]] = []
    monkeypatch.setattr(
        tasks.render_report, "apply_async", lambda args, **kwargs: published.append(args)
    )
    assert tasks.sweep_reports.apply().result["resent"] == 0  # too early
    Report.objects.filter(pk=report.pk).update(
        queued_at=timezone.now() - timedelta(seconds=settings.REPORTS_RESEND_QUEUED_AFTER + 1)
    )
    assert tasks.sweep_reports.apply().result["resent"] == 1
    assert published == [[report.pk]]
    assert tasks.render_report.apply(args=[report.pk]).result == "ready"


@pytest.mark.parametrize(("seconds", "slow"), [(5, False), (45, True)])
def test_a_render_running_too_long_says_it_is_taking_longer_than_usual(
    client, owner, ready, seconds, slow
):
    """A render takes seconds; a worker that died mid-render is replaced within a minute,
    and meanwhile the page says so rather than nothing."""
    Report.objects.filter(pk=ready.pk).update(
        status=Report.Status.RUNNING,
        started_at=timezone.now() - timedelta(seconds=seconds),
        queued_at=timezone.now() - timedelta(seconds=seconds + 1),
    )
    client.force_login(owner)
    html = unescape(client.get(url("report_status", ready)).content.decode())
    assert 'hx-trigger="every 2s"' in html  # still polling
    assert ("plus long que d'habitude" in html) is slow
    assert ("se met à jour toute seule" in html) is not slow
