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

Plain Python (no Django).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

__all__ = ["FORMULA_START", "is_formula_like", "safe_cell"]

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
