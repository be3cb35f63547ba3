"""The portfolio as CSV and XLSX: what the table shows, with the filters and sort applied,
all pages.

Both files have the same columns and the same cells (:func:`cells`); only the writing
differs. The CSV format (BOM, the language's separator and decimal mark, ISO dates) is
``common.spreadsheets.csv_lines``, shared by every CSV export.

The XLSX file holds numbers as numbers and dates as dates, so there is nothing to
choose there. In both, a text that a spreadsheet could take for a formula gets a leading
apostrophe (``common.spreadsheets.safe_cell``), so a dealership name cannot smuggle a
formula in ("CSV injection").

Rows are read in chunks of ``CHUNK`` dealerships: memory stays flat for thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.timezone import localtime
from django.utils.translation import pgettext

from common.spreadsheets import csv_lines as write_csv_lines
from common.xlsx import Sheet, write_xlsx
from dealers.models import Dealership
from maturity.engine.scoring import display
from maturity.portfolio import presenters

CHUNK = 500


def _date(value: datetime | None) -> date | None:
    return localtime(value).date() if value else None


def _score(value: float | None) -> float | None:
    return None if value is None else display(value)


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
# Widths of the XLSX columns, in characters.
XLSX_WIDTHS = (32, 18, 24, 22, 22, 6, 24, 10, 10, 10, 14, 10, 12, 14)


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


def cells(dealerships: QuerySet[Dealership], *, language: str) -> Iterator[list[object]]:
    """The rows of both files, one list of cells per dealership in ``COLUMN_KEYS`` order:
    texts, whole numbers, one-decimal scores, dates, or ``None`` for an empty cell."""
    yes, no = pgettext("portfolio cell", "yes"), pgettext("portfolio cell", "no")
    for row in presenters.rows(dealerships.iterator(chunk_size=CHUNK), language=language):
        d = row.dealership
        yield [
            d.name,
            d.city,
            d.get_region_display(),
            d.group.name if d.group else None,
            ", ".join(row.brands),
            row.rung,
            row.rung_title,
            _score(row.score),
            presenters.change_word(row.change),
            _score(row.change_points),
            _date(row.submitted_at),
            (yes if row.reviewed else no) if row.submitted_at else None,
            yes if row.has_draft else no,
            row.report_label,
        ]


def csv_lines(dealerships: QuerySet[Dealership], *, language: str) -> Iterator[str]:
    """The CSV text, one line at a time, BOM first."""
    return write_csv_lines(header(), cells(dealerships, language=language), language=language)


def xlsx_write(dealerships: QuerySet[Dealership], *, language: str, target: BinaryIO) -> None:
    """The same table as one XLSX worksheet, written into ``target``."""
    sheet = Sheet(
        title=pgettext("portfolio sheet", "Portfolio"),
        header=header(),
        rows=cells(dealerships, language=language),
        widths=XLSX_WIDTHS,
    )
    write_xlsx([sheet], target)
