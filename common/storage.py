"""Stored files: the filesystem storage made durable, the storage errors worth a retry,
and the download of a stored file after the caller checked who is asking.

Every stored file goes through Django's storage API (``settings.STORAGES["default"]``):
the filesystem under ``MEDIA_ROOT`` on one machine, an S3-compatible bucket
(django-storages) when web and worker processes run on several hosts, so that nothing a
request or a task needs lives on one host's disk. Nothing here knows which one is
configured, except :func:`stored_file_response`, which redirects to a signed URL only
when ``S3_SIGNED_URLS`` is on (settings refuse it without the S3 backend).
"""

from __future__ import annotations

import os

from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

__all__ = [
    "TRANSIENT_STORAGE_ERRORS",
    "DurableFileSystemStorage",
    "stored_file_response",
]

# Errors of a storage that may be gone in a moment: a full or failing disk, the bucket's
# server unreachable or cut mid-answer. botocore already retried these (and 5xx and
# throttling answers) a few times; an answer such as "access denied" or "no such bucket"
# is a configuration error, not retried.
TRANSIENT_STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    BotoConnectionError,
    HTTPClientError,
)


class DurableFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` that flushes a saved file to the disk before returning.

    A report's row says "ready" right after its file is saved: after a power cut, the
    file must not be the empty or partial one the page cache held.
    """

    def _save(self, name: str, content: File) -> str:
        name = super()._save(name, content)
        with open(self.path(name), "rb") as handle:
            os.fsync(handle.fileno())
        return name


class _RedirectResponse(HttpResponseRedirect):
    # A signed URL of the bucket is another origin (https, or http for a local server).
    allowed_schemes = ["https", "http"]


def stored_file_response(
    storage: Storage, name: str, *, filename: str, content_type: str
) -> HttpResponse:
    """Send the stored file ``name`` as a download named ``filename``.

    Call it only once the request was checked against the file's owner: streamed from the
    storage in blocks, or (``S3_SIGNED_URLS``) a redirect to a URL of the bucket signed for
    ``S3_SIGNED_URL_SECONDS`` that names the download and forbids caching. Raises
    ``FileNotFoundError`` (or the storage's own error) when the file cannot be read.
    """
    if settings.S3_SIGNED_URLS:
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.S3_SIGNED_URL_SECONDS,
        )
        response: HttpResponse = _RedirectResponse(url)
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
    # Private to this user, and not kept by browsers or proxies: access is checked on
    # every download, a cached copy (or a cached redirect) would outlive it.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
