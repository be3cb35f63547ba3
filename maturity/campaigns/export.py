"""A campaign's status as CSV and XLSX: each dealership's state, percent answered,
contacts and e-mails, as the campaign page shows them (``selectors.campaign_view``).

Both files have the same columns and cells (:func:`cells`); the CSV is written by
``common.spreadsheets.csv_lines`` and the XLSX by ``common.xlsx``, like the portfolio's,
so a dealership named ``=HYPERLINK(...)`` is a text in both (formula injection).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import pgettext

from common.spreadsheets import csv_lines as write_csv_lines
from common.xlsx import Sheet, write_xlsx
from maturity.campaigns.selectors import CampaignView

# The columns, in order (readers can rely on the order, not on the wording).
COLUMN_KEYS = (
    "dealership",
    "city",
    "state",
    "percent",
    "submitted",
    "contacts",
    "invited",
    "messages",
    "last_message",
)
XLSX_WIDTHS = (32, 18, 16, 12, 14, 10, 28, 10, 14)


def header() -> list[str]:
    return [
        pgettext("campaign column", "Dealership"),
        pgettext("campaign column", "City"),
        pgettext("campaign column", "State"),
        pgettext("campaign column", "Answered (%)"),
        pgettext("campaign column", "Submitted on"),
        pgettext("campaign column", "Contacts"),
        pgettext("campaign column", "Invited address"),
        pgettext("campaign column", "E-mails sent"),
        pgettext("campaign column", "Last e-mail"),
    ]


def state_label(state: str) -> str:
    return {
        "not_started": pgettext("campaign state", "Not started"),
        "in_progress": pgettext("campaign state", "In progress"),
        "submitted": pgettext("campaign state", "Submitted"),
        "reviewed": pgettext("campaign state", "Reviewed"),
    }[state]


def _date(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def cells(view: CampaignView) -> Iterator[list[object]]:
    """One list of cells per dealership, in ``COLUMN_KEYS`` order: texts, whole numbers,
    dates, or ``None`` for an empty cell."""
    for row in view.rows:
        assessment = row.entry.assessment
        yield [
            row.dealership.name,
            row.dealership.city,
            state_label(row.state),
            row.percent,
            _date(assessment.submitted_at) if assessment else None,
            row.contacts,
            row.invited or None,
            row.messages,
            _date(row.last_message_at),
        ]


def csv_lines(view: CampaignView, *, language: str) -> Iterator[str]:
    """The CSV text, one line at a time, BOM first."""
    return write_csv_lines(header(), cells(view), language=language)


def xlsx_write(view: CampaignView, *, target: BinaryIO) -> None:
    """The same table as one XLSX worksheet, written into ``target``."""
    sheet = Sheet(
        # Not the campaign's title: a sheet's title has rules of its own (31 characters).
        title=pgettext("campaign sheet", "Campaign"),
        header=header(),
        rows=cells(view),
        widths=XLSX_WIDTHS,
    )
    write_xlsx([sheet], target)


def filename(view: CampaignView, extension: str) -> str:
    return f"campagne-{view.campaign.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"
