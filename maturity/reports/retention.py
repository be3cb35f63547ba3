"""Retention of the PDF files: old copies are deleted, the latest one is always kept.

For each assessment and language, the latest ready report keeps its file however old it
is (it is the one a person downloads again). Every other ready report finished more than
``REPORT_RETENTION_DAYS`` days ago loses its file; its row stays, with no file, so the
status page says the PDF was deleted and offers to generate it again (a new request
renders it: a ready row without a file is never reused). Files under ``reports/`` that no
row points to (a report deleted with its dealership, the file of a render killed before
its row pointed to it) are deleted once they are an hour old, so that a render in
progress is never touched. Files are listed and deleted through the storage API: the
filesystem or the bucket, whichever is configured.

Run daily by beat (``maturity.purge_reports``); safe to run twice or on two machines at
once: each row is cleared by a conditional update before its file is deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from common.storage import TRANSIENT_STORAGE_ERRORS
from maturity.models import Report

logger = logging.getLogger(__name__)

# A file nobody points to is left alone this long: a render writes its file a moment
# before the row points to it.
ORPHAN_GRACE = timedelta(hours=1)
# At most this many rows per run; the next run takes the rest.
BATCH = 1000


def report_is_purged(report: Report) -> bool:
    """A ready report whose file was deleted by the retention job."""
    return report.status == Report.Status.READY and not report.file


def reports_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete old PDF files; returns counts for logs and tests: ``purged``, ``orphans``.

    Nothing is purged when ``REPORT_RETENTION_DAYS`` is 0 (keep every file).
    """
    now = now or timezone.now()
    counts = {"purged": 0, "orphans": 0}
    days = settings.REPORT_RETENTION_DAYS
    if days > 0:
        counts["purged"] = _purge_old(cutoff=now - timedelta(days=days))
    counts["orphans"] = _purge_orphans(before=now - ORPHAN_GRACE)
    if any(counts.values()):
        logger.info("Report retention: %s", counts)
    return counts


def _purge_old(*, cutoff: datetime) -> int:
    with_file = Report.objects.filter(status=Report.Status.READY).exclude(file="")
    latest = (
        with_file.filter(assessment=OuterRef("assessment"), language=OuterRef("language"))
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    old = (
        with_file.filter(finished_at__lt=cutoff)
        .exclude(pk=Subquery(latest))
        .only("pk", "file")
        .order_by("pk")[:BATCH]
    )
    purged = 0
    for report in old:
        name = report.file.name
        # The row first: once it points to no file, nothing serves the file any more.
        cleared = Report.objects.filter(pk=report.pk, status=Report.Status.READY, file=name)
        if not cleared.update(file=""):
            continue
        _delete(name)
        purged += 1
    return purged


def _stored_names(storage: Storage, folder: str) -> Iterator[str]:
    """Every file name under ``folder`` of ``storage``, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet (filesystem)
        return
    for name in files:
        yield f"{folder}/{name}"
    for child in folders:
        yield from _stored_names(storage, f"{folder}/{child}")


def _purge_orphans(*, before: datetime) -> int:
    storage = _storage()
    known = set(Report.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    for name in _stored_names(storage, "reports"):
        # PDFs, and the temporary ``.part`` files of renders from before the storage API.
        if name in known or not name.endswith((".pdf", ".part")):
            continue
        try:
            if storage.get_modified_time(name) >= before:
                continue
        except FileNotFoundError:  # removed meanwhile (another run)
            continue
        _delete(name)
        removed += 1
    return removed


def _storage() -> Storage:
    return Report._meta.get_field("file").storage


def _delete(name: str) -> None:
    try:
        _storage().delete(name)
    except TRANSIENT_STORAGE_ERRORS:
        # The row already says "deleted"; the orphan sweep of a later run retries.
        logger.warning("Report retention: could not delete %s", name, exc_info=True)


__all__ = ["ORPHAN_GRACE", "report_is_purged", "reports_purge"]
