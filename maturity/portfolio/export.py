"""The portfolio as CSV: what the table shows, with the filters and sort applied, all pages.

Format choices (our users open it in Excel, mostly in French):

- UTF-8 with a byte-order mark: without it Excel reads the file as Windows-1252 and
  "Citroën" becomes "CitroÃ«n";
- ``;`` as the separator and ``,`` as the decimal mark in French (``62,5``): French Excel
  expects both, since the comma is its decimal mark; in English, ``,`` and ``.``;
- dates as ``YYYY-MM-DD`` (Excel recognises them in every locale);
- a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe, so a dealership name cannot smuggle a spreadsheet formula in
  ("CSV injection").

Rows are streamed in chunks of ``CHUNK`` dealerships: memory stays flat for thousands.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils.timezone import localtime
from django.utils.translation import pgettext

from dealers.models import Dealership
from maturity.portfolio import presenters

CHUNK = 500
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` returns the line: ``csv.writer`` into a stream."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: float | None, *, decimal: str) -> str:
    if value is None:
        return ""
    return f"{value:.1f}".replace(".", decimal)


def _date(value: datetime | None) -> str:
    return localtime(value).date().isoformat() if value else ""


# The columns, in order (tests and readers can rely on the order, not on the wording).
COLUMN_KEYS = (
    "dealership",
    "city",
    "region",
    "group",
    "brands",
    "rung",
    "rung_title",
    "score",
    "change",
    "change_points",
    "submitted",
    "reviewed",
    "draft",
    "report",
)


def header() -> list[str]:
    return [
        pgettext("portfolio column", "Dealership"),
        pgettext("portfolio column", "City"),
        pgettext("portfolio column", "Region"),
        pgettext("portfolio column", "Dealer group"),
        pgettext("portfolio column", "Brands"),
        pgettext("portfolio column", "Rung"),
        pgettext("portfolio column", "Rung title"),
        pgettext("portfolio column", "Overall score"),
        pgettext("portfolio column", "Change"),
        pgettext("portfolio column", "Change (points)"),
        pgettext("portfolio column", "Last submission"),
        pgettext("portfolio column", "Reviewed"),
        pgettext("portfolio column", "Draft in progress"),
        pgettext("portfolio column", "PDF report"),
    ]


def delimiter_for(language: str) -> str:
    return ";" if language == "fr" else ","


def csv_lines(dealerships: QuerySet[Dealership], *, language: str) -> Iterator[str]:
    """The CSV text, one line at a time, BOM first."""
    delimiter = delimiter_for(language)
    decimal = "," if language == "fr" else "."
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yes, no = pgettext("portfolio cell", "yes"), pgettext("portfolio cell", "no")
    yield BOM + writer.writerow(header())
    for row in presenters.rows(dealerships.iterator(chunk_size=CHUNK), language=language):
        d = row.dealership
        yield writer.writerow(
            [
                safe_cell(d.name),
                safe_cell(d.city),
                d.get_region_display(),
                safe_cell(d.group.name if d.group else ""),
                safe_cell(", ".join(row.brands)),
                row.rung or "",
                row.rung_title,
                _number(row.score, decimal=decimal),
                presenters.change_word(row.change),
                # A signed number, not a formula: keep the minus sign out of safe_cell.
                _number(row.change_points, decimal=decimal),
                _date(row.submitted_at),
                (yes if row.reviewed else no) if row.submitted_at else "",
                yes if row.has_draft else no,
                row.report_label,
            ]
        )
