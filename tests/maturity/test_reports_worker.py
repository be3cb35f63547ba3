"""End to end through a real Celery worker process: request -> broker -> worker -> PDF."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from maturity.models import Report
from maturity.reports.services import report_request
from tests.factories import submitted_assessment
from tests.maturity.reports_helpers import pdf_text, rung_title
from tests.worker import running_worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_report_end_to_end(dealership, owner, settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    assessment = submitted_assessment(dealership=dealership, persona="c", user=owner)
    env = {"MEDIA_ROOT": str(media), "REPORTS_EMAIL_WHEN_READY": "0"}
    with running_worker(extra_env=env):
        # Outside any transaction: on_commit sends at once, to the real broker.
        report = report_request(assessment=assessment, user=owner, language="en")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in (Report.Status.READY, Report.Status.FAILED):
                break
            time.sleep(0.5)
    assert report.status == Report.Status.READY, (report.status, report.error)
    assert report.attempts == 1
    pdf = (media / report.file.name).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Auto Rivière" in text
    assert rung_title(assessment, "en") in text
    # Persona C: very active on social networks, no website: the roadmap starts there.
    assert "Create the dealership's own website" in text
    assert not list(Path(media).rglob("*.part"))
