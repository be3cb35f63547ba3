"""Declared beside measured, in one language: what the results page, the consultant's
review, the wizard and the PDF show. No queries, no request: the callers pass the result's
stored comparisons (``snapshot["measured"]``), the questionnaire and the confirmations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.i18n import day_month
from maturity.engine.definition import DONT_KNOW, Questionnaire
from maturity.engine.measured import (
    BEYOND,
    CONFIRMED,
    DISAGREEMENTS,
    DISPROVED,
    UNKNOWN,
    figure_answer,
)
from maturity.measurements.leads.presenters import duration_text, percent_text
from maturity.measurements.reviews.presenters import rating_text
from maturity.models import Measurement, MeasurementConfirmation

# What a check found, in words a dealer reads: (passed, failed).
CHECK_WORDS: dict[str, tuple[Any, Any]] = {
    "own_domain": (
        gettext_lazy("a website of its own"),
        gettext_lazy("no website of its own (a locator or listings page)"),
    ),
    "https": (gettext_lazy("secure (HTTPS)"), gettext_lazy("not secure (no HTTPS)")),
    "mobile": (gettext_lazy("a mobile version"), gettext_lazy("no mobile version")),
    "contact_form": (gettext_lazy("a contact form"), gettext_lazy("no contact form")),
    "booking": (
        gettext_lazy("online booking or quotes"),
        gettext_lazy("no online booking nor quotes"),
    ),
    "click_to_call": (gettext_lazy("click-to-call"), gettext_lazy("no click-to-call")),
    "stock": (gettext_lazy("vehicles online"), gettext_lazy("no vehicles online")),
    "social_links": (
        gettext_lazy("links to social pages"),
        gettext_lazy("no links to social pages"),
    ),
    "analytics": (gettext_lazy("an analytics tag"), gettext_lazy("no analytics tag")),
    "fresh": (gettext_lazy("recently updated"), gettext_lazy("not updated recently")),
}

STATUS_LABELS = {
    "agrees": gettext_lazy("Agrees"),
    DISPROVED: gettext_lazy("Declared, not confirmed: the measurement is scored"),
    CONFIRMED: gettext_lazy("Declared, confirmed by the consultant"),
    BEYOND: gettext_lazy("Measured more than declared"),
    UNKNOWN: gettext_lazy("For information"),
}
STATUS_TONES = {
    "agrees": "success",
    DISPROVED: "danger",
    CONFIRMED: "info",
    BEYOND: "warning",
    UNKNOWN: "secondary",
}


def figure_words(check: str, value: float, count: int | None) -> str:
    """ "median first reply 5 h 30 over 4 tests", "rating 3,9/5 over 30 reviews"..."""
    count = count or 0
    hours = timedelta(hours=value)
    if check == "leads.response_time":
        return ngettext(
            "median first reply %(time)s over %(count)s test",
            "median first reply %(time)s over %(count)s tests",
            count,
        ) % {"time": duration_text(hours), "count": count}
    if check == "reviews.rating":
        return ngettext(
            "rating %(rating)s over %(count)s review",
            "rating %(rating)s over %(count)s reviews",
            count,
        ) % {"rating": rating_text(value), "count": count}
    if check == "reviews.answered_share":
        return ngettext(
            "%(share)s of %(count)s review answered",
            "%(share)s of %(count)s reviews answered",
            count,
        ) % {"share": percent_text(value), "count": count}
    if check == "reviews.answer_time":
        return ngettext(
            "median answer %(time)s over %(count)s answered review",
            "median answer %(time)s over %(count)s answered reviews",
            count,
        ) % {"time": duration_text(hours), "count": count}
    return _("could not tell")


def measured_words(check: str, ok: bool | None) -> str:
    """ "no mobile version"; "could not tell" when the check could not."""
    name = check.split(".", 1)[-1]
    if ok is None or name not in CHECK_WORDS:
        return _("could not tell")
    return str(CHECK_WORDS[name][0 if ok else 1])


def measured_sentence(
    check: str,
    ok: bool | None,
    measured_on: date,
    language: str,
    *,
    value: float | None = None,
    count: int | None = None,
) -> str:
    """ "mesuré le 3 mars : pas de version mobile" (French typography, no-break spaces);
    for a measured figure, its value: "mesuré le 3 mars : note 3,9/5 sur 30 avis"."""
    with translation.override(language):
        found = figure_words(check, value, count) if value is not None else None
        return _("measured on %(date)s: %(found)s") % {
            "date": day_month(measured_on, language),
            "found": found or measured_words(check, ok),
        }


@dataclass(frozen=True)
class ConfirmationView:
    author: str
    on: str
    comment: str


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    question: str  # the question, and for an option of a multi-choice the option
    declared: str
    measured: str  # "measured on 3 March: no mobile version"
    evidence: str
    status: str
    status_label: str
    tone: str
    disagrees: bool
    confirmable: bool  # a consultant may confirm the declared value
    confirmation: ConfirmationView | None


@dataclass(frozen=True)
class MeasuredSection:
    rows: tuple[ComparisonRow, ...]
    measured_on: str  # "3 mars 2026"
    disagreements: int

    @property
    def any(self) -> bool:
        return bool(self.rows)


def _answer_text(definition: Questionnaire, key: str, value: Any, language: str) -> str:
    """An answer as the dealer chose it: the option's label, a number in local format."""
    question = definition.any_question(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        unit = question.number.unit if question is not None and question.number else None
        text = number_format(value, 0 if float(value).is_integer() else 1)
        return f"{text} {unit.get(language)}" if unit is not None else text
    option = question.option(value) if question is not None and isinstance(value, str) else None
    return option.label.get(language) if option is not None else str(value)


def _declared(definition: Questionnaire, comparison: Mapping[str, Any], language: str) -> str:
    value = comparison["declared"]
    if value in (DONT_KNOW, [DONT_KNOW]):
        return _("Don't know")
    if comparison["option"] is not None:
        return _("Yes") if value else _("No")
    return _answer_text(definition, comparison["question"], value, language)


def _measured(definition: Questionnaire, comparison: Mapping[str, Any], language: str) -> str:
    """ "measured on 3 March: no mobile version"; a figure with the answer it supports."""
    on = date.fromisoformat(comparison["measured_on"])
    value = comparison.get("measured_value")
    sentence = measured_sentence(
        comparison["check"],
        comparison["measured_ok"],
        on,
        language,
        value=value,
        count=comparison.get("measured_count"),
    )
    answer = comparison.get("measured_answer")
    if value is None or answer is None:
        return sentence
    return _("%(measured)s (that is: %(answer)s)") % {
        "measured": sentence,
        "answer": _answer_text(definition, comparison["question"], answer, language),
    }


def _question_text(definition: Questionnaire, comparison: Mapping[str, Any], language: str) -> str:
    question = definition.any_question(comparison["question"])
    if question is None:
        return comparison["key"]
    text = question.text.get(language)
    if comparison["option"] is not None:
        option = question.option(comparison["option"])
        if option is not None:
            text = f"{text} — {option.label.get(language)}"
    return text


def measured_section(
    definition: Questionnaire,
    measured: Mapping[str, Any] | None,
    *,
    language: str,
    confirmations: Mapping[str, MeasurementConfirmation] | None = None,
) -> MeasuredSection:
    """The rows of declared beside measured for a stored result's ``snapshot["measured"]``."""
    comparisons: Sequence[Mapping[str, Any]] = (measured or {}).get("comparisons", ())
    confirmations = confirmations or {}
    rows = []
    with translation.override(language):
        for c in comparisons:
            confirmation = confirmations.get(c["key"]) if c["status"] == CONFIRMED else None
            rows.append(
                ComparisonRow(
                    key=c["key"],
                    question=_question_text(definition, c, language),
                    declared=_declared(definition, c, language),
                    measured=_measured(definition, c, language),
                    evidence=c.get("evidence", ""),
                    status=c["status"],
                    status_label=str(STATUS_LABELS.get(c["status"], c["status"])),
                    tone=STATUS_TONES.get(c["status"], "secondary"),
                    disagrees=c["status"] in DISAGREEMENTS,
                    confirmable=c["status"] == DISPROVED,
                    confirmation=ConfirmationView(
                        author=confirmation.author.get_full_name() if confirmation.author else "",
                        on=day_month(
                            timezone.localdate(confirmation.created_at), language, year=True
                        ),
                        comment=confirmation.comment,
                    )
                    if confirmation is not None
                    else None,
                )
            )
        measured_on = ""
        if comparisons:
            newest = max(date.fromisoformat(c["measured_on"]) for c in comparisons)
            measured_on = day_month(newest, language, year=True)
    return MeasuredSection(
        rows=tuple(rows),
        measured_on=measured_on,
        disagreements=sum(1 for r in rows if r.disagrees),
    )


@dataclass(frozen=True)
class MeasurementStatus:
    """The latest website check of a dealership, for the button and its polling status."""

    measurement: Measurement | None
    in_progress: bool
    label: str
    detail: str


def measurement_status(measurement: Measurement | None, *, language: str) -> MeasurementStatus:
    with translation.override(language):
        if measurement is None:
            return MeasurementStatus(
                None,
                False,
                _("Never checked"),
                _("Check the website to compare it with the answers."),
            )
        if not measurement.done:
            return MeasurementStatus(
                measurement,
                True,
                _("Checking the website…"),
                _("This takes up to a minute; this status updates itself."),
            )
        on = day_month(timezone.localdate(measurement.finished_at), language, year=True)
        if measurement.status == Measurement.Status.FAILED:
            return MeasurementStatus(
                measurement,
                False,
                _("Checked on %(date)s: the website could not be read") % {"date": on},
                measurement.reason,
            )
        return MeasurementStatus(
            measurement, False, _("Checked on %(date)s") % {"date": on}, measurement.url
        )


def wizard_notes(
    definition: Questionnaire,
    facts: Mapping[str, Mapping[str, Any]],
    *,
    language: str,
    today: date,
) -> dict[str, str]:
    """Question key -> "measured on 3 March: no mobile version", from the fresh ``facts``
    (``measured.selectors``' plain data); a figure says the answer it supports."""
    notes: dict[str, list[str]] = {}
    for question in definition.questions:
        names = [question.measured_by] if question.measured_by else []
        names += [o.measured_by for o in question.options if o.measured_by]
        for name in names:
            fact = facts.get(name)
            if fact is None or fact.get("ok") is None:
                continue
            on = date.fromisoformat(fact["measured_on"])
            if not 0 <= (today - on).days <= definition.measurement_max_age_days:
                continue
            value = fact.get("value")
            answer = figure_answer(question, value) if value is not None else None
            comparison = {
                "check": name,
                "measured_ok": fact["ok"],
                "measured_on": fact["measured_on"],
                "measured_value": value,
                "measured_count": fact.get("count"),
                "measured_answer": answer,
                "question": question.key,
            }
            with translation.override(language):
                notes.setdefault(question.key, []).append(
                    _measured(definition, comparison, language)
                )
    return {key: " · ".join(dict.fromkeys(sentences)) for key, sentences in notes.items()}


def measured_alert_text(detail: Mapping[str, Any], since: Any, *, language: str) -> str:
    """A portfolio alert on a measured signal, in one line (``measured.alerts``)."""
    with translation.override(language):
        on = day_month(timezone.localtime(since).date(), language, year=True) if since else ""
        if detail.get("signal") == "stock_gone":
            before = detail.get("before")
            return _("Stock pages gone: %(count)s vehicles on %(before)s, none on %(date)s") % {
                "count": detail.get("count", 0),
                "before": day_month(timezone.localtime(before).date(), language, year=True)
                if before
                else "?",
                "date": on,
            }
        return _("Website unreachable on %(date)s: %(reason)s") % {
            "date": on,
            "reason": detail.get("reason") or _("no answer"),
        }
