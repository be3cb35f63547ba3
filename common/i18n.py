"""The product's two languages: French first, English complete."""

from __future__ import annotations

from django.utils import translation

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def normalise_language(language: str | None) -> str:
    """``"en"`` for any English variant (``en-gb``, ``EN``), else ``"fr"`` (the default)."""
    return "en" if (language or "").lower().startswith("en") else DEFAULT_LANGUAGE


def current_language() -> str:
    """The active language of this request or task, as one of :data:`LANGUAGES`."""
    return normalise_language(translation.get_language())
