"""Template filters loaded in every template (``TEMPLATES["OPTIONS"]["builtins"]``).

``date`` replaces Django's filter of the same name so every ``{{ value|date:"..." }}``
of every template (pages, e-mails, the PDF) writes "1er décembre" in French, through the
one rule of :func:`common.i18n.format_date`. Everything else is Django's behaviour: the
same format names and literal formats, an empty string for an empty value.
"""

from __future__ import annotations

from datetime import date as date_type
from typing import Any

from django import template

from common.i18n import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """``value`` in the format ``arg`` (a format name or a format string)."""
    if value in (None, "") or not isinstance(value, date_type):
        return ""
    try:
        return format_date(value, arg or "DATE_FORMAT")
    except (AttributeError, TypeError, ValueError):
        return ""
