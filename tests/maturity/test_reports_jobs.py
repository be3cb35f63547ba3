"""The rendering job: claim, duplicates, attempt cap, retries, sweeper, reuse.

The task is run in this process (``apply``: eager, no broker); the real worker is in
``test_reports_worker.py``. Rendering is replaced by a stub where the PDF itself does not
matter, so these tests stay fast.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import Reject, SoftTimeLimitExceeded
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from maturity.models import Answer, AssessmentReview, Report
from maturity.reports import jobs, tasks
from maturity.reports.services import ReportNotAvailable, report_request
from tests.factories import SubmittedAssessmentFactory, submitted_assessment
from tests.maturity.reports_helpers import Sent

FAKE_PDF = b"%PDF-1.7\n% a stub: the layout is tested in test_reports_pdf.py\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_EMAIL_WHEN_READY = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def sent(monkeypatch) -> Sent:
    recorder = Sent()
    monkeypatch.setattr(tasks, "report_send", recorder)
    return recorder


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Replace the layout by a stub; the list collects the rendered report ids."""
    calls: list[int] = []

    def fake(report: Report) -> bytes:
        calls.append(report.pk)
        return FAKE_PDF

    monkeypatch.setattr(jobs, "render_report_pdf", fake)
    return calls


@pytest.fixture
def assessment(dealership, owner):
    return submitted_assessment(dealership=dealership, persona="b", user=owner)


@pytest.fixture
def report(assessment, owner, sent, django_capture_on_commit_callbacks) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(assessment=assessment, user=owner, language="fr")
    assert sent.ids == [report.pk]
    return report


def run(report_id: int) -> str:
    """One delivery of the task, as a worker would run it (eagerly, in this process)."""
    return tasks.render_report.apply(args=[report_id]).result


def media_files(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


# --- the request -------------------------------------------------------------------------


def test_a_request_queues_a_row_and_sends_its_id_after_the_commit(
    assessment, owner, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_request(assessment=assessment, user=owner, language="en")
        assert sent.ids == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent.ids == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert report.language == "en"
    assert report.requested_by == owner
    assert report.queued_at is not None
    assert len(report.fingerprint) == 64


def test_a_draft_or_an_assessment_without_result_has_no_report(dealership, owner, sent):
    with pytest.raises(ReportNotAvailable):
        report_request(
            assessment=SubmittedAssessmentFactory(dealership=dealership, status="draft"),
            user=owner,
            language="fr",
        )
    with pytest.raises(ReportNotAvailable):
        report_request(
            assessment=SubmittedAssessmentFactory(dealership=dealership), user=owner, language="fr"
        )
    assert not Report.objects.exists()


def test_it_reuses_a_ready_pdf_for_unchanged_content(
    report, assessment, owner, sent, renders, settings, django_capture_on_commit_callbacks
):
    assert run(report.pk) == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        again = report_request(assessment=assessment, user=owner, language="fr")
    assert again.pk == report.pk
    assert sent.ids == [report.pk]  # nothing sent again
    assert renders == [report.pk]  # rendered once

    # Another language, or changed content (a consultant's published comment), is a new PDF.
    with django_capture_on_commit_callbacks(execute=True):
        english = report_request(assessment=assessment, user=owner, language="en")
    assert english.pk != report.pk
    AssessmentReview.objects.create(assessment=assessment, reviewed_at=timezone.now())
    assessment.area_comments.create(area_key="website", body="Refaire la page d'accueil")
    with django_capture_on_commit_callbacks(execute=True):
        commented = report_request(assessment=assessment, user=owner, language="fr")
    assert commented.pk not in (report.pk, english.pk)
    assert sent.ids == [report.pk, english.pk, commented.pk]


def test_a_ready_pdf_whose_file_is_gone_is_rendered_again(
    report, assessment, owner, sent, renders, settings
):
    assert run(report.pk) == "ready"
    for path in media_files(settings):
        path.unlink()
    again = report_request(assessment=assessment, user=owner, language="fr")
    assert again.pk != report.pk


def test_a_double_click_makes_one_job(report, assessment, owner, sent):
    again = report_request(assessment=assessment, user=owner, language="fr")
    assert again.pk == report.pk
    assert Report.objects.count() == 1


def test_the_answers_are_part_of_the_fingerprint(assessment, owner, sent):
    first = report_request(assessment=assessment, user=owner, language="fr")
    Answer.objects.filter(assessment=assessment, question_key="website_comment").delete()
    Answer.objects.create(assessment=assessment, question_key="website_comment", value="Nouveau")
    second = report_request(assessment=assessment, user=owner, language="fr")
    assert first.fingerprint != second.fingerprint


# --- the task ----------------------------------------------------------------------------


def test_the_task_renders_writes_atomically_and_mails_the_requester(
    report, owner, renders, settings
):
    assert run(report.pk) == "ready"
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.attempts == 1
    assert report.started_at <= report.finished_at
    assert report.error == ""
    files = media_files(settings)
    assert files == [Path(settings.MEDIA_ROOT) / report.file.name]
    assert files[0].read_bytes() == FAKE_PDF
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.part"))
    assert report.file.name.startswith("reports/")
    # The e-mail goes to the requester, with a link to the (scoped) status page.
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert f"/reports/{report.pk}/" in mail.outbox[0].body


def test_two_deliveries_produce_one_file(report, renders, settings):
    assert run(report.pk) == "ready"
    assert run(report.pk) == "duplicate"
    assert renders == [report.pk]
    assert len(media_files(settings)) == 1
    assert len(mail.outbox) == 1


def test_a_delivery_while_another_renders_does_nothing(report, monkeypatch, settings):
    """The second delivery arrives while the first holds the claim (worker crash/redelivery)."""
    inner: list[str] = []

    def render_and_meanwhile_deliver_again(report: Report) -> bytes:
        inner.append(run(report.pk))
        return FAKE_PDF

    monkeypatch.setattr(jobs, "render_report_pdf", render_and_meanwhile_deliver_again)
    assert run(report.pk) == "ready"
    assert inner == ["duplicate"]
    report.refresh_from_db()
    assert report.attempts == 1
    assert len(media_files(settings)) == 1


def test_a_transient_error_is_retried_with_backoff(report, monkeypatch, settings):
    """Eager mode runs the retry at once (in a worker it waits ``backoff_seconds``)."""
    calls: list[int] = []

    def database_blip(report: Report) -> bytes:
        calls.append(report.attempts)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return FAKE_PDF

    monkeypatch.setattr(jobs, "render_report_pdf", database_blip)
    countdowns: list[float] = []
    monkeypatch.setattr(jobs, "backoff_seconds", lambda attempt: countdowns.append(attempt) or 0)
    run(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert calls == [1, 2]
    assert countdowns == [1]
    assert len(media_files(settings)) == 1


def test_a_transient_error_is_retried_until_the_attempt_cap(report, monkeypatch, settings):
    calls: list[int] = []

    def database_away(report: Report) -> bytes:
        calls.append(report.attempts)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(jobs, "render_report_pdf", database_away)
    Report.objects.filter(pk=report.pk).update(max_attempts=3)

    run(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 3)
    assert report.error == jobs.ERROR_GAVE_UP
    assert calls == [1, 2, 3]
    # Any later delivery finds nothing to do.
    assert run(report.pk) == "duplicate"
    assert calls == [1, 2, 3]
    assert media_files(settings) == []


def test_a_failed_attempt_puts_the_row_back_in_the_queue(report, monkeypatch):
    """Between attempts the row is queued again, so the retry (or the sweeper) can claim it."""
    seen: list[tuple[str, int]] = []

    def database_away(report: Report) -> bytes:
        raise OperationalError("server closed the connection unexpectedly")

    def retry(*args, **kwargs):
        row = Report.objects.get(pk=report.pk)
        seen.append((row.status, row.attempts))
        raise Reject("broker down", requeue=False)

    monkeypatch.setattr(jobs, "render_report_pdf", database_away)
    monkeypatch.setattr(tasks.render_report, "retry", retry)
    assert run(report.pk) == "retry"
    assert seen == [(Report.Status.QUEUED, 1)]


def test_a_queued_report_out_of_attempts_is_failed_not_rendered(report, renders):
    Report.objects.filter(pk=report.pk).update(attempts=3, max_attempts=3)
    assert run(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == jobs.ERROR_GAVE_UP
    assert renders == []


def test_the_backoff_grows_exponentially():
    low = [jobs.backoff_seconds(n) / 1.2 for n in (1, 2, 3, 4)]
    high = [jobs.backoff_seconds(n) / 0.8 for n in (1, 2, 3, 4)]
    for attempt, (a, b) in enumerate(zip(low, high, strict=True), start=1):
        assert a <= 5 * 2 ** (attempt - 1) <= b
    assert jobs.backoff_seconds(30) <= 300 * 1.2


def test_a_write_error_is_transient(report, renders, monkeypatch, settings):
    real_write = jobs._write_file
    calls: list[int] = []

    def disk_full_once(report: Report, pdf: bytes) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real_write(report, pdf)

    monkeypatch.setattr(jobs, "_write_file", disk_full_once)
    monkeypatch.setattr(jobs, "backoff_seconds", lambda attempt: 0)
    run(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert len(media_files(settings)) == 1


def test_a_soft_time_limit_on_the_last_attempt_fails_with_a_clear_message(report, monkeypatch):
    def too_slow(report: Report) -> bytes:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(jobs, "render_report_pdf", too_slow)
    Report.objects.filter(pk=report.pk).update(max_attempts=1)
    assert run(report.pk) == "failed"
    report.refresh_from_db()
    assert report.error == jobs.ERROR_TOO_LONG


def test_a_bug_fails_at_once_and_is_not_retried(report, monkeypatch):
    calls: list[int] = []

    def bug(report: Report) -> bytes:
        calls.append(1)
        raise KeyError("website")

    monkeypatch.setattr(jobs, "render_report_pdf", bug)
    result = tasks.render_report.apply(args=[report.pk])
    assert result.failed()  # Celery logs the traceback
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == jobs.ERROR_UNEXPECTED
    assert calls == [1]


def test_an_assessment_without_result_fails_at_once_with_a_clear_message(report):
    report.assessment.result.delete()
    assert run(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "This assessment has no result yet."
    assert report.attempts == 1


def test_a_deleted_assessment_leaves_nothing_to_do(report):
    report.assessment.delete()
    assert run(report.pk) == "missing"


def test_a_dealership_deleted_while_rendering_leaves_no_file_and_says_so(
    report, renders, monkeypatch, settings, caplog
):
    """Deleted between the file write and the claim's update: the PDF (with the deleted
    dealership's content) is removed, and the log says why, not "duplicate delivery"."""
    real_write = jobs._write_file

    def write_then_delete_the_dealership(report: Report, pdf: bytes) -> str:
        written = real_write(report, pdf)
        assert (Path(settings.MEDIA_ROOT) / written).is_file()
        report.assessment.dealership.delete()
        return written

    monkeypatch.setattr(jobs, "_write_file", write_then_delete_the_dealership)
    with caplog.at_level("INFO", logger="maturity.reports.jobs"):
        assert run(report.pk) == "missing"
    assert not Report.objects.filter(pk=report.pk).exists()
    assert media_files(settings) == []
    assert f"Report {report.pk} was deleted while rendering" in caplog.text
    assert "duplicate" not in caplog.text
    assert mail.outbox == []


def test_a_dealership_deleted_under_a_failing_render_is_not_reported_as_a_bug(
    report, monkeypatch, settings, caplog
):
    def render_while_the_dealership_goes(report: Report) -> bytes:
        report.assessment.dealership.delete()
        raise Report.DoesNotExist("the assessment's rows are gone")

    monkeypatch.setattr(jobs, "render_report_pdf", render_while_the_dealership_goes)
    with caplog.at_level("INFO", logger="maturity.reports.jobs"):
        assert run(report.pk) == "missing"
    assert "rendering failed" not in caplog.text
    assert f"Report {report.pk} was deleted while rendering" in caplog.text
    assert media_files(settings) == []


def test_a_render_that_lost_its_claim_removes_its_file_and_keeps_the_winners(
    report, monkeypatch, settings, caplog
):
    """The first render is so slow that the row is taken over (stale) and finished by a
    second delivery; the first one must not replace nor remove the winner's file."""
    outcomes: list[str] = []

    def slow_render(report: Report) -> bytes:
        if not outcomes:
            outcomes.append("taken over")
            stale = timezone.now() - jobs.running_stale_after() - timedelta(seconds=5)
            Report.objects.filter(pk=report.pk).update(started_at=stale)
            outcomes.append(run(report.pk))  # the second delivery takes over and finishes
            return b"%PDF-1.7\n% the loser's copy\n%%EOF\n"
        return FAKE_PDF

    monkeypatch.setattr(jobs, "render_report_pdf", slow_render)
    with caplog.at_level("INFO", logger="maturity.reports.jobs"):
        assert run(report.pk) == "lost"
    assert outcomes == ["taken over", "ready"]
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    files = media_files(settings)
    assert files == [Path(settings.MEDIA_ROOT) / report.file.name]
    assert files[0].read_bytes() == FAKE_PDF  # the winner's
    assert f"Report {report.pk}: attempt 1 lost its claim while rendering" in caplog.text
    assert "the row is now ready, attempt 2" in caplog.text
    assert len(mail.outbox) == 1  # from the winner only


# --- the sweeper -------------------------------------------------------------------------


def test_the_sweeper_resends_reports_queued_too_long(report, sent, settings):
    fresh = Report.objects.create(
        assessment=report.assessment, fingerprint="f" * 64, queued_at=timezone.now()
    )
    old = timezone.now() - timedelta(seconds=settings.REPORTS_RESEND_QUEUED_AFTER + 5)
    Report.objects.filter(pk=report.pk).update(queued_at=old)
    sent.ids.clear()

    counts = tasks.sweep_reports.apply().result
    assert counts == {"requeued": 0, "resent": 1, "failed": 0}
    assert sent.ids == [report.pk]  # not the fresh one
    report.refresh_from_db()
    assert report.queued_at > old  # not sent again at the next sweep
    assert tasks.sweep_reports.apply().result["resent"] == 0
    assert fresh.pk not in sent.ids


def test_the_sweeper_requeues_a_report_stuck_running(report, sent, renders, settings):
    assert run(report.pk) == "ready"
    stuck = timezone.now() - jobs.running_stale_after() - timedelta(seconds=5)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, started_at=stuck, attempts=1
    )
    sent.ids.clear()

    counts = tasks.sweep_reports.apply().result
    assert counts == {"requeued": 1, "resent": 1, "failed": 0}
    assert sent.ids == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert run(report.pk) == "ready"
    report.refresh_from_db()
    assert report.attempts == 2


def test_a_report_running_within_the_time_limit_is_left_alone(report, sent):
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, started_at=timezone.now(), attempts=1
    )
    sent.ids.clear()
    assert tasks.sweep_reports.apply().result == {"requeued": 0, "resent": 0, "failed": 0}
    assert run(report.pk) == "duplicate"  # nor taken by a redelivered message


def test_the_sweeper_fails_a_stuck_report_out_of_attempts(report, sent):
    stuck = timezone.now() - jobs.running_stale_after() - timedelta(seconds=5)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, started_at=stuck, attempts=3, max_attempts=3
    )
    sent.ids.clear()
    assert tasks.sweep_reports.apply().result == {"requeued": 0, "resent": 0, "failed": 1}
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == jobs.ERROR_GAVE_UP
    assert sent.ids == []


def test_the_sweeper_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-sweep"]
    assert entry["task"] == tasks.sweep_reports.name
    assert entry["schedule"] <= 60
    # A dead worker's claim goes stale, then the next sweep re-queues it: within a minute,
    # leaving a render of a few seconds.
    assert settings.REPORTS_HEARTBEAT_STALE_AFTER + entry["schedule"] <= 50
    assert settings.REPORTS_HEARTBEAT_STALE_AFTER >= 3 * settings.REPORTS_HEARTBEAT_SECONDS


def test_sending_gives_up_within_two_seconds_when_the_broker_is_unreachable(monkeypatch):
    """A real publish to a Redis broker nobody listens on: no retry loop, no hang."""
    pytest.importorskip("redis")
    monkeypatch.setattr(tasks.render_report.app.conf, "broker_write_url", "redis://127.0.0.1:9/0")
    started = time.monotonic()
    assert tasks.report_send(report_id=1) is False
    assert time.monotonic() - started < 2.5


def test_the_ready_e_mail_is_in_the_report_language(
    assessment, owner, sent, renders, django_capture_on_commit_callbacks
):
    report = report_request(assessment=assessment, user=owner, language="en")
    assert run(report.pk) == "ready"
    assert mail.outbox[0].subject == "The PDF roadmap of Auto Rivière is ready"


def test_no_e_mail_when_switched_off(report, renders, settings):
    settings.REPORTS_EMAIL_WHEN_READY = False
    assert run(report.pk) == "ready"
    assert mail.outbox == []


def test_a_layout_change_is_a_new_pdf(assessment, owner, sent, monkeypatch):
    from maturity.reports import content

    first = report_request(assessment=assessment, user=owner, language="fr")
    monkeypatch.setattr(content, "TEMPLATE_VERSION", content.TEMPLATE_VERSION + "-next")
    content._digests.clear()
    second = report_request(assessment=assessment, user=owner, language="fr")
    content._digests.clear()
    assert first.fingerprint != second.fingerprint


def test_it_takes_over_at_once_from_a_render_whose_process_died(report, renders, settings):
    """A killed pool process: Celery redelivers its message; the row says "running"."""
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        claimed_by=jobs.claimant(dead_pid),
    )
    assert run(report.pk) == "ready"
    assert renders == [report.pk]
    assert len(media_files(settings)) == 1


def test_it_leaves_a_live_render_alone(report, renders):
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        claimed_by=jobs.claimant(),
    )
    assert run(report.pk) == "duplicate"
    assert renders == []


def test_it_cannot_tell_for_another_host_and_waits_for_the_stale_delay(report, renders):
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        claimed_by="other-host:1",
    )
    assert run(report.pk) == "duplicate"


def test_a_process_of_another_machine_under_our_host_name_is_not_taken_for_dead(
    report, renders, monkeypatch
):
    """Two containers (or network namespaces) may share a host name, not a pid space: a
    pid that does not exist here may be a live render there."""
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    theirs = jobs.claimant(int(gone.stdout))
    monkeypatch.setattr(jobs, "_process_namespace", lambda: "another-pid-namespace")
    assert jobs.claimant().split("/")[0] == theirs.split("/")[0]  # the same host name
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=1, started_at=timezone.now(), claimed_by=theirs
    )
    assert run(report.pk) == "duplicate"
    assert renders == []


# --- the heartbeat -----------------------------------------------------------------------


def _running(
    report: Report, *, started: float, heartbeat: float | None, attempts: int = 1, **fields
) -> None:
    """Make ``report`` a claim of attempt ``attempts`` started ``started`` seconds ago, whose
    heartbeat was written ``heartbeat`` seconds ago (``None``: never)."""
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        attempts=attempts,
        started_at=now - timedelta(seconds=started),
        heartbeat_at=None if heartbeat is None else now - timedelta(seconds=heartbeat),
        **fields,
    )


def test_the_claim_records_a_first_heartbeat(report, renders):
    assert run(report.pk) == "ready"
    report.refresh_from_db()
    assert report.heartbeat_at is not None
    assert report.started_at <= report.heartbeat_at <= report.finished_at


def test_the_sweeper_requeues_a_claim_whose_heartbeat_stopped(report, sent, renders, settings):
    """The whole worker died 31 s after its last heartbeat, well within the time limit."""
    _running(report, started=40, heartbeat=settings.REPORTS_HEARTBEAT_STALE_AFTER + 1)
    sent.ids.clear()
    assert tasks.sweep_reports.apply().result == {"requeued": 1, "resent": 1, "failed": 0}
    assert sent.ids == [report.pk]
    assert run(report.pk) == "ready"
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert len(media_files(settings)) == 1


def test_a_claim_with_a_live_heartbeat_is_left_alone_however_long_it_runs(report, sent, renders):
    _running(report, started=100, heartbeat=3, claimed_by="other-host:1")
    sent.ids.clear()
    assert tasks.sweep_reports.apply().result == {"requeued": 0, "resent": 0, "failed": 0}
    assert run(report.pk) == "duplicate"  # nor taken by a redelivered message
    assert renders == []


def test_a_redelivery_takes_over_a_claim_whose_heartbeat_stopped(report, renders, settings):
    """Of another host, so the process cannot be checked: the heartbeat tells."""
    _running(
        report,
        started=40,
        heartbeat=settings.REPORTS_HEARTBEAT_STALE_AFTER + 1,
        claimed_by="other-host:1",
    )
    assert run(report.pk) == "ready"
    assert renders == [report.pk]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_written_while_rendering_and_stops_with_the_render(
    report, monkeypatch, settings
):
    """A real thread with its own database connection (hence a transactional test)."""
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    seen: list = []

    def slow(report: Report) -> bytes:
        first = Report.objects.get(pk=report.pk).heartbeat_at
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.05)
            later = Report.objects.get(pk=report.pk).heartbeat_at
            if later > first:
                seen.append((first, later))
                break
        return FAKE_PDF

    monkeypatch.setattr(jobs, "render_report_pdf", slow)
    assert run(report.pk) == "ready"
    assert seen, "no heartbeat was written during the render"
    report.refresh_from_db()
    stopped = report.heartbeat_at
    time.sleep(0.3)
    report.refresh_from_db()
    assert report.heartbeat_at == stopped  # nothing beats once the render is over


def test_a_heartbeat_is_written_only_while_the_claim_holds(report):
    _running(report, started=10, heartbeat=10)
    before = Report.objects.get(pk=report.pk).heartbeat_at
    held = jobs.Heartbeat(report_id=report.pk, attempt=1)
    assert held.beat() and held.beats == 1 and not held.lost
    assert Report.objects.get(pk=report.pk).heartbeat_at > before
    # Another delivery took over (attempt 2): nothing written, the heartbeat is lost.
    Report.objects.filter(pk=report.pk).update(attempts=2)
    lost = jobs.Heartbeat(report_id=report.pk, attempt=1)
    assert not lost.beat() and lost.lost


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_stops_by_itself_once_the_claim_is_lost(report):
    _running(report, started=1, heartbeat=1, attempts=2)
    heartbeat = jobs.Heartbeat(report_id=report.pk, attempt=1, every=0.01)
    with heartbeat:
        heartbeat._thread.join(timeout=10)
        assert not heartbeat._thread.is_alive()
    assert heartbeat.lost and heartbeat.beats == 0


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_that_fails_once_reconnects_and_beats_again(report, monkeypatch):
    _running(report, started=1, heartbeat=10)
    before = Report.objects.get(pk=report.pk).heartbeat_at
    heartbeat = jobs.Heartbeat(report_id=report.pk, attempt=1, every=0.01)
    real_beat = heartbeat.beat
    failures: list[int] = []

    def database_blip() -> bool:
        if not failures:
            failures.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real_beat()

    monkeypatch.setattr(heartbeat, "beat", database_blip)
    with heartbeat:
        deadline = time.monotonic() + 10
        while heartbeat.beats < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert failures == [1] and heartbeat.beats >= 1
    assert Report.objects.get(pk=report.pk).heartbeat_at > before
