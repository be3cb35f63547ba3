"""Cells of the CSV and XLSX files the product exports, made safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` is taken for a formula by Excel,
LibreOffice or Google Sheets: a dealership named ``=HYPERLINK(...)`` would run in the
consultant's spreadsheet ("CSV injection"). Following OWASP, such a text gets a leading
apostrophe, which spreadsheets read as "this is text". The first character that counts is
found the way a spreadsheet would be fooled: after leading spaces, tabs, line breaks and
invisible characters (zero-width spaces, byte-order marks), and in its NFKC form too, so
the full-width ``＝`` or the small ``﹦`` count as ``=``. A cell that starts with a tab or
a carriage return is neutralised as well (OWASP lists both). Numbers and dates are written
as they are: a score change of ``-3`` is a number, not a formula. Every export, CSV or
XLSX, passes its cells through :func:`safe_cell`, so both say the same thing.

The CSV files are written one way (:func:`csv_lines`), for our users open them in Excel,
mostly in French:

- UTF-8 with a byte-order mark: without it Excel reads the file as Windows-1252 and
  "Citroën" becomes "CitroÃ«n";
- ``;`` as the separator and ``,`` as the decimal mark in French (``62,5``): French Excel
  expects both, since the comma is its decimal mark; in English, ``,`` and ``.``;
- dates as ``YYYY-MM-DD`` (Excel recognises them in every locale).

Plain Python (no Django).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

__all__ = [
    "BOM",
    "FORMULA_START",
    "csv_lines",
    "csv_text",
    "delimiter_for",
    "is_formula_like",
    "safe_cell",
]

BOM = "\ufeff"

# What a formula starts with, once the text is in NFKC form (full-width forms fold to these).
FORMULA_START = frozenset("=+-@")
# A cell starting with one of these is neutralised whatever follows (OWASP).
_RISKY_FIRST = frozenset("\t\r")
# Leading characters a spreadsheet skips, or a reader does not see, before a formula.
_SKIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _first_significant(text: str) -> str:
    for char in text:
        if not char.isspace() and unicodedata.category(char) not in _SKIPPED_CATEGORIES:
            return char
    return ""


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if text[:1] in _RISKY_FIRST:
        return True
    # Both forms: NFKC folds "＝" to "=", but would compose "=" and a combining mark.
    for form in (text, unicodedata.normalize("NFKC", text)):
        first = _first_significant(form)
        if first and unicodedata.normalize("NFKC", first)[:1] in FORMULA_START:
            return True
    return False


def safe_cell(value: object) -> object:
    """What to write in a cell: text neutralised, numbers and dates unchanged, ``None``
    as an empty text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if is_formula_like(text) else text


class _Echo:
    """A file-like object whose ``write`` returns the line: ``csv.writer`` into a stream."""

    def write(self, value: str) -> str:
        return value


def delimiter_for(language: str) -> str:
    return ";" if language == "fr" else ","


def csv_text(value: object, *, decimal: str) -> str:
    """One CSV cell: a one-decimal number with the language's decimal mark, an ISO date,
    or a text neutralised by :func:`safe_cell`."""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", decimal)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(safe_cell(value))


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, language: str
) -> Iterator[str]:
    """The CSV text of ``header`` then ``rows``, one line at a time, BOM first (to stream)."""
    decimal = "," if language == "fr" else "."
    writer = csv.writer(_Echo(), delimiter=delimiter_for(language), lineterminator="\r\n")
    yield BOM + writer.writerow([csv_text(title, decimal=decimal) for title in header])
    for row in rows:
        yield writer.writerow([csv_text(value, decimal=decimal) for value in row])
