"""What the reviews page says, in the active language: figures and import errors."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maturity.measurements.leads.presenters import duration_text, percent_text
from maturity.measurements.reviews.figures import ReviewFigures
from maturity.measurements.reviews.parsing import ReviewFileError, RowError

ERRORS_SHOWN = 20


def file_error_text(error: ReviewFileError) -> str:
    params = error.params
    texts = {
        "empty": _("The file is empty."),
        "too_large": _("The file is too large: %(limit)s at most.")
        % {"limit": filesizeformat(params.get("limit", 0))},
        "binary": _("This is not a text file: export the reviews as CSV or Google's JSON."),
        "encoding": _("The file is not in UTF-8: save it again as “CSV UTF-8”."),
        "json": _("The file is not valid JSON."),
        "google_shape": _(
            "This JSON is not a reviews export: it should hold a “reviews” list "
            "(Google Business Profile, reviews.json)."
        ),
        "csv": _("Line %(line)s: the CSV is malformed (an unclosed quote?).")
        % {"line": params.get("line", "?")},
        "too_many_rows": _("Too many reviews in one file: %(limit)s at most.")
        % {"limit": params.get("limit", 0)},
        "no_rows": _("The file holds no review."),
        "columns": _(
            "Columns missing: %(missing)s. The first line should name the columns, e.g. "
            "“date;rating;text;reply date” or “date;note;texte;date de réponse” "
            "(found: %(found)s)."
        )
        % {
            "missing": ", ".join(_column(c) for c in params.get("missing", [])),
            "found": ", ".join(params.get("found", [])) or "–",
        },
    }
    return texts.get(error.code, _("The file cannot be read."))


def _column(column: str) -> str:
    return {"date": _("date"), "rating": _("rating"), "reply_date": _("reply date")}.get(
        column, column
    )


def row_error_text(error: RowError) -> str:
    value = error.value[:60]
    texts = {
        "date_missing": _("the date is missing"),
        "date": _("“%(value)s” is not a date (e.g. 2026-03-01 or 01/03/2026)"),
        "date_future": _("the date “%(value)s” is in the future"),
        "rating_missing": _("the rating is missing"),
        "rating": _("the rating “%(value)s” is not a whole number from 1 to 5"),
        "reply_date": _("the reply date “%(value)s” is not a date"),
        "reply_before": _("the reply date “%(value)s” is before the review"),
        "text_long": _("the text is longer than %(value)s characters"),
        "google_item": _("this entry is not a review"),
    }
    return texts.get(error.code, _("this row cannot be read")) % {"value": value}


def row_errors(errors: list[RowError]) -> tuple[list[str], int]:
    """The first ``ERRORS_SHOWN`` errors as sentences, and how many more there are."""
    lines = [
        _("Line %(line)s: %(reason)s.") % {"line": e.line, "reason": row_error_text(e)}
        for e in errors[:ERRORS_SHOWN]
    ]
    return lines, max(len(errors) - ERRORS_SHOWN, 0)


def rating_text(rating: float | None) -> str:
    return "–" if rating is None else f"{number_format(round(rating, 1), 1)}/5"


def figure_cards(figures: ReviewFigures) -> list[tuple[str, str, str]]:
    """``(label, value, note)`` of the five figures."""
    return [
        (
            _("Rating"),
            rating_text(figures.rating),
            ngettext("%(n)s review", "%(n)s reviews", figures.count) % {"n": figures.count},
        ),
        (_("Reviews in the last 90 days"), str(figures.recent), ""),
        (
            _("Answered"),
            percent_text(figures.answered_share),
            ngettext("%(n)s answered", "%(n)s answered", figures.answered)
            % {"n": figures.answered},
        ),
        (_("Median time to answer"), duration_text(figures.median_answer), ""),
        (
            _("Negative reviews answered"),
            percent_text(figures.negative_answered_share),
            _("%(answered)s of %(n)s with 1 or 2 stars")
            % {"answered": figures.negative_answered, "n": figures.negative},
        ),
    ]
