"""Downloads written into a temporary file and streamed from it, with bounded memory.

Some files can only be sent once complete (a zip, an XLSX workbook: their index comes
last), yet may be large (an archive of PDF reports). The writer fills a temporary file on
disk, never the process's memory, and :class:`~django.http.FileResponse` streams it in
blocks; the file is removed when the response is closed. Every such download is private
to the person who asked and never cached: access is checked on each request.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import BinaryIO

from django.http import FileResponse


def temporary_file_response(
    write: Callable[[BinaryIO], None], *, filename: str, content_type: str
) -> FileResponse:
    """A download of what ``write(target)`` writes into a temporary file."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        write(target)
        target.seek(0)
    except BaseException:
        target.close()
        raise
    response = FileResponse(
        target, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
