"""``{{ value|score }}``: a score as every page shows it (``maturity.engine.scoring.whole``).

Templates never round scores themselves (``floatformat`` rounds the raw float, which can
disagree by one with the whole number shown beside it).
"""

from __future__ import annotations

from django import template

from maturity.engine.scoring import whole

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    """The whole number shown for a score; ``""`` for no score (use ``|default:"–"``).

    A string, so that a score of 0 still shows ("0") under ``|default``.
    """
    if value is None or value == "":
        return ""
    return str(whole(float(value)))
