"""Writing XLSX workbooks with openpyxl's write-only mode (the spreadsheet exports).

Write-only worksheets keep each row in a temporary file as it is appended, so a workbook
of thousands of rows is written with flat memory; the finished file is a zip, so it can
only be sent once complete: callers write into a temporary file and stream that file.
Every text cell goes through :func:`common.spreadsheets.safe_cell`, like the CSV exports:
a text that a spreadsheet could read as a formula is written as text. Control characters
that XLSX cannot hold (a name typed with a stray ``\x01``) are dropped rather than failing
the whole download.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from common.downloads import temporary_file_response
from common.spreadsheets import safe_cell

__all__ = ["XLSX_CONTENT_TYPE", "Sheet", "write_xlsx", "xlsx_response"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses sheet titles longer than 31 characters or with any of these.
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold header row, then ``rows`` (read lazily, once)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    # Column widths in characters (Excel's unit); the columns not listed keep the default.
    widths: Sequence[int] = ()


def _cell(sheet: WriteOnlyWorksheet, value: object, *, bold: bool = False) -> WriteOnlyCell:
    written = safe_cell(value)
    if isinstance(written, str):
        written = ILLEGAL_CHARACTERS_RE.sub("", written)
    cell = WriteOnlyCell(sheet, value=written)
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, float):
        cell.number_format = "0.0"
    return cell


def write_xlsx(sheets: Iterable[Sheet], target: BinaryIO) -> None:
    """Write ``sheets`` as one workbook into the binary file ``target``.

    Datetimes must be naive (local time): spreadsheets have no time zones.
    """
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title.translate(_TITLE_FORBIDDEN)[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, title, bold=True) for title in spec.header])
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    workbook.save(target)


def xlsx_response(write: Callable[[BinaryIO], None], *, filename: str) -> FileResponse:
    """A download of the workbook that ``write(target)`` writes, streamed from a temporary
    file (removed when the response is closed), private and never cached."""
    return temporary_file_response(write, filename=filename, content_type=XLSX_CONTENT_TYPE)
