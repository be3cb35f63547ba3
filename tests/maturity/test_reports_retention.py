"""Retention of the PDF files: old copies deleted, the latest kept, the page says so."""

from __future__ import annotations

import os
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.models import Report
from maturity.reports import retention, tasks
from tests.factories import submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_RETENTION_DAYS = 30


@pytest.fixture
def assessment(dealership, owner):
    return submitted_assessment(dealership=dealership, persona="b", user=owner)


def ready(assessment, *, days_ago: float, language: str = "fr") -> Report:
    """A ready report finished ``days_ago`` days ago, with its file on disk."""
    finished = timezone.now() - timedelta(days=days_ago)
    report = Report.objects.create(
        assessment=assessment,
        language=language,
        fingerprint=f"{days_ago}-{language}".ljust(64, "0"),
        status=Report.Status.READY,
        finished_at=finished,
    )
    name = f"reports/{finished:%Y/%m}/report-{report.pk}-0123456789abcdef.pdf"
    path = media(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")
    Report.objects.filter(pk=report.pk).update(file=name)
    report.refresh_from_db()
    return report


def media(name: str) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / name


def test_it_keeps_the_latest_ready_pdf_per_assessment_and_language_and_deletes_older_ones(
    assessment,
):
    oldest = ready(assessment, days_ago=200)
    old = ready(assessment, days_ago=100)
    latest_fr = ready(assessment, days_ago=60)  # old, but the latest in French: kept
    recent_older = ready(assessment, days_ago=10)  # not old enough
    latest_en = ready(assessment, days_ago=120, language="en")
    # The French latest is now the 10-day one; the 60-day one is old and not the latest.
    files = {r.pk: media(r.file.name) for r in (oldest, old, latest_fr, recent_older, latest_en)}

    assert tasks.purge_reports.apply().result == {"purged": 3, "orphans": 0}

    for report in (oldest, old, latest_fr):
        report.refresh_from_db()
        assert report.status == Report.Status.READY and not report.file  # marked purged
        assert retention.report_is_purged(report)
        assert not files[report.pk].exists()
    for report in (recent_older, latest_en):
        report.refresh_from_db()
        assert report.file and files[report.pk].is_file()
        assert not retention.report_is_purged(report)
    # Nothing more to do the next time.
    assert retention.reports_purge() == {"purged": 0, "orphans": 0}


def test_the_latest_pdf_is_kept_however_old(assessment, dealership):
    only = ready(assessment, days_ago=1000)
    other = submitted_assessment(dealership=dealership, persona="c")
    of_other = ready(other, days_ago=1000)
    assert retention.reports_purge()["purged"] == 0
    for report in (only, of_other):
        report.refresh_from_db()
        assert media(report.file.name).is_file()


def test_zero_days_keeps_every_file(assessment, settings):
    settings.REPORT_RETENTION_DAYS = 0
    reports = [ready(assessment, days_ago=days) for days in (500, 400)]
    assert retention.reports_purge()["purged"] == 0
    assert all(media(r.file.name).is_file() for r in reports)


def test_files_no_report_points_to_are_deleted_once_an_hour_old(assessment, settings):
    kept = ready(assessment, days_ago=1)
    folder = Path(settings.MEDIA_ROOT) / "reports" / "2026" / "01"
    folder.mkdir(parents=True, exist_ok=True)
    deleted_dealership = folder / "report-999-0123456789abcdef.pdf"
    killed_render = folder / ".report-abc.part"
    in_progress = folder / ".report-def.part"
    unrelated = folder / "notes.txt"
    for path in (deleted_dealership, killed_render, in_progress, unrelated):
        path.write_bytes(b"x")
    two_hours_ago = (timezone.now() - timedelta(hours=2)).timestamp()
    for path in (deleted_dealership, killed_render, unrelated, media(kept.file.name)):
        os.utime(path, (two_hours_ago, two_hours_ago))

    assert retention.reports_purge() == {"purged": 0, "orphans": 2}
    assert not deleted_dealership.exists() and not killed_render.exists()
    assert in_progress.exists()  # a render may be writing it
    assert unrelated.exists()  # not ours
    assert media(kept.file.name).is_file()


def test_the_status_page_says_the_pdf_was_deleted_and_offers_to_generate_it_again(
    client, owner, assessment
):
    old = ready(assessment, days_ago=100)
    ready(assessment, days_ago=1)
    retention.reports_purge()
    client.force_login(owner)
    page = client.get(reverse("report_detail", args=[assessment.dealership_id, old.pk]))
    html = unescape(page.content.decode())
    assert page.status_code == 200
    assert "Ce PDF a été supprimé\u202f: après 30 jours" in html
    assert reverse("report_create", args=[assessment.dealership_id, assessment.pk]) in html
    assert "/download/" not in html
    download = reverse("report_download", args=[assessment.dealership_id, old.pk])
    assert client.get(download).status_code == 404


def test_the_retention_job_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-retention"]
    assert entry["task"] == tasks.purge_reports.name
