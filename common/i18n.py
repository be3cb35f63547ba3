"""The product's two languages: French first, English complete."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import formats, timezone, translation

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def normalise_language(language: str | None) -> str:
    """``"en"`` for any English variant (``en-gb``, ``EN``), else ``"fr"`` (the default)."""
    return "en" if (language or "").lower().startswith("en") else DEFAULT_LANGUAGE


def current_language() -> str:
    """The active language of this request or task, as one of :data:`LANGUAGES`."""
    return normalise_language(translation.get_language())


# A date's day written "1er" in French: "1er décembre", not "1 décembre". Django's format
# characters have no French ordinal, so the day character ``j`` is replaced by the escaped
# text "1er" on the first of a month, in the formats that name the month.
_DAY_CHARACTER = re.compile(r"(?<!\\)j")
_MONTH_CHARACTERS = re.compile(r"(?<!\\)[FENMb]")


def format_date(value: date | datetime, format_name: str = "DATE_FORMAT") -> str:
    """A date (or moment) in the active language's format: "1er décembre 2026", "1 December 2026".

    ``format_name`` is a format setting (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``,
    ``DATETIME_FORMAT``...: ``config/formats``) or a literal format string. Aware
    datetimes are shown in the local time zone.
    """
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = formats.get_format(format_name)
    if current_language() == "fr" and value.day == 1 and _MONTH_CHARACTERS.search(pattern):
        pattern = _DAY_CHARACTER.sub(r"\\1\\e\\r", pattern)
    return formats.date_format(value, pattern)


def day_month(value: date, language: str, *, year: bool = False) -> str:
    """A date as people write it in prose: "1er mars", "3 mars 2026"; "3 March 2026"."""
    with translation.override(normalise_language(language)):
        return format_date(value, "DATE_FORMAT" if year else "MONTH_DAY_FORMAT")
