"""Cells of the CSV and XLSX files the product exports, made safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, a carriage return,
their full-width forms, or any of them after leading spaces) is taken for a formula by
Excel, LibreOffice or Google Sheets: a dealership named ``=HYPERLINK(...)`` would run in
the consultant's spreadsheet ("CSV injection"). Following OWASP, such a text gets a
leading apostrophe, which spreadsheets read as "this is text". Numbers and dates are
written as they are: a score change of ``-3`` is a number, not a formula. Every export,
CSV or XLSX, passes its cells through :func:`safe_cell`, so both say the same thing.

Plain Python (no Django).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

__all__ = ["FORMULA_START", "is_formula_like", "safe_cell"]

FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if text[:1] in FORMULA_START:
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_START


def safe_cell(value: object) -> object:
    """What to write in a cell: text neutralised, numbers and dates unchanged, ``None``
    as an empty text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if is_formula_like(text) else text
