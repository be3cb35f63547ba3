"""The product's two languages: French first, English complete."""

from __future__ import annotations

from datetime import date

from django.utils import translation

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def normalise_language(language: str | None) -> str:
    """``"en"`` for any English variant (``en-gb``, ``EN``), else ``"fr"`` (the default)."""
    return "en" if (language or "").lower().startswith("en") else DEFAULT_LANGUAGE


def current_language() -> str:
    """The active language of this request or task, as one of :data:`LANGUAGES`."""
    return normalise_language(translation.get_language())


_MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def day_month(value: date, language: str, *, year: bool = False) -> str:
    """A date as people write it in prose: "1er mars", "3 mars 2026"; "3 March 2026"."""
    language = normalise_language(language)
    month = _MONTHS[language][value.month - 1]
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    text = f"{day}\u00a0{month}" if language == "fr" else f"{value.day} {month}"
    return f"{text} {value.year}" if year else text
