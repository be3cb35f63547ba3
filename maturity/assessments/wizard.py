"""What the wizard templates show: steps, questions as fields, messages.

The views stay thin: they fetch, call a service, and hand these view objects to the
templates. Questionnaire texts come from the version in the request's language; the
product's own words go through gettext.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.i18n import current_language
from maturity.assessments.forms import revision_name, value_name
from maturity.assessments.progress import Progress, is_answered, visible_keys
from maturity.assessments.services import AnswerConflict
from maturity.engine.answers import AnswerError, answer_label
from maturity.engine.definition import DONT_KNOW, DONT_KNOW_LABEL, Area, Question, Questionnaire
from maturity.models import Answer


def localized_number(number: float) -> str:
    """A number as the reader writes it: "4,2" in French, "4.2" in English; "12", not "12.0".

    The wizard's number inputs are text inputs showing this, so a French dealer edits
    "4,2" and may type it back with a comma (``validate_answer`` reads both).
    """
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return formats.number_format(number)


def clock(moment: datetime) -> str:
    """A time of day as the dealer reads it (their time zone): "10 h 42", "10:42"."""
    return formats.time_format(timezone.localtime(moment), "TIME_FORMAT")


# --- steps ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # 1-based
    key: str
    title: str
    answered: int
    total: int
    current: bool = False

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


def steps(definition: Questionnaire, progress: Progress, current: str | None = None) -> list[Step]:
    language = current_language()
    return [
        Step(
            number=index,
            key=area.key,
            title=area.title.get(language),
            answered=progress.area(area.key).answered,
            total=progress.area(area.key).total,
            current=area.key == current,
        )
        for index, area in enumerate(definition.areas, start=1)
    ]


def neighbours(definition: Questionnaire, area_key: str) -> tuple[str | None, str | None]:
    keys = [area.key for area in definition.areas]
    index = keys.index(area_key)
    previous = keys[index - 1] if index > 0 else None
    following = keys[index + 1] if index + 1 < len(keys) else None
    return previous, following


# --- questions as fields -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    checked: bool
    exclusive: bool = False


@dataclass(slots=True)
class Field:
    """One question as the page shows it."""

    question: Question
    number: int  # position in its step, 1-based
    visible: bool
    value: Any  # stored, or as posted when the page comes back with an error
    revision: int
    error: str = ""
    conflict: str = ""
    saved_at: datetime | None = None
    language: str = "fr"
    choices: list[Choice] = field(default_factory=list)
    # "measured on 3 March: no mobile version": the website check beside the question.
    measured: str = ""

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def name(self) -> str:
        return value_name(self.question)

    @property
    def revision_name(self) -> str:
        return revision_name(self.question)

    @property
    def text(self) -> str:
        return self.question.text.get(self.language)

    @property
    def help(self) -> str:
        return self.question.help.get(self.language)

    @property
    def required(self) -> bool:
        return self.question.required

    @property
    def dont_know_allowed(self) -> bool:
        return self.question.allow_dont_know

    @property
    def dont_know_label(self) -> str:
        return DONT_KNOW_LABEL.get(self.language)

    @property
    def dont_know_checked(self) -> bool:
        return self.value == DONT_KNOW or (isinstance(self.value, list) and DONT_KNOW in self.value)

    @property
    def answered(self) -> bool:
        return is_answered(self.value)

    @property
    def input_value(self) -> str:
        """The text for a number, text or URL input."""
        if self.value is None or self.dont_know_checked or isinstance(self.value, list):
            return ""
        if self.kind == "number" and isinstance(self.value, int | float):
            return localized_number(self.value)
        return str(self.value)

    @property
    def unit(self) -> str:
        spec = self.question.number
        return spec.unit.get(self.language) if spec and spec.unit else ""

    @property
    def minimum(self) -> str:
        spec = self.question.number
        return localized_number(spec.min) if spec else ""

    @property
    def maximum(self) -> str:
        spec = self.question.number
        return localized_number(spec.max) if spec else ""

    @property
    def input_mode(self) -> str:
        """The phone keyboard to offer: digits only, or digits and the decimal comma."""
        spec = self.question.number
        return "numeric" if spec is None or spec.integer else "decimal"

    @property
    def min_label(self) -> str:
        scale = self.question.scale
        return scale.min_label.get(self.language) if scale else ""

    @property
    def max_label(self) -> str:
        scale = self.question.scale
        return scale.max_label.get(self.language) if scale else ""

    @property
    def max_length(self) -> int | None:
        return self.question.max_length

    @property
    def answer_text(self) -> str:
        """The answer in plain words, for the review page."""
        if not self.answered:
            return ""
        return answer_label(self.question, self.value, self.language)

    @property
    def is_link(self) -> bool:
        return self.kind == "url" and self.answered and not self.dont_know_checked


def _choices(question: Question, value: Any, language: str) -> list[Choice]:
    if question.kind == "scale" and question.scale is not None:
        values = [str(n) for n in range(question.scale.min, question.scale.max + 1)]
        return [Choice(v, v, str(value) == v) for v in values]
    if question.kind not in ("single", "yesno", "multi"):
        return []
    chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    return [
        Choice(o.key, o.label.get(language), o.key in chosen, exclusive=o.exclusive)
        for o in question.options
    ]


def fields_for(
    definition: Questionnaire,
    area: Area,
    rows: Mapping[str, Answer],
    *,
    posted: Mapping[str, Any] | None = None,
    errors: Mapping[str, Exception] | None = None,
    user: Any = None,
) -> list[Field]:
    """The step's questions, with stored values, or those posted when the page comes back
    refused (a refused page saved nothing, so every posted answer is shown as typed)."""
    language = current_language()
    posted = posted or {}
    errors = errors or {}
    values = {k: r.value for k, r in rows.items() if r.value is not None}
    # Visibility follows what the page shows: the answers as posted.
    shown_values = dict(values)
    for key, value in posted.items():
        if is_answered(value):
            shown_values[key] = value
        else:
            shown_values.pop(key, None)
    visible = visible_keys(definition, shown_values)
    fields = []
    # Numbered among the questions shown ("1." then "2.", never "1." then "8." when
    # follow-ups are hidden); wizard.js renumbers when a change shows or hides some.
    number = 0
    for question in area.questions:
        number += question.key in visible
        row = rows.get(question.key)
        error = errors.get(question.key)
        value = posted.get(question.key, row.value if row else None)
        revision = row.revision if row else 0
        item = Field(
            question=question,
            number=number,
            visible=question.key in visible,
            value=value,
            revision=revision,
            language=language,
            choices=_choices(question, value, language),
        )
        if isinstance(error, AnswerError):
            item.error = error_message(question, error, value)
        elif isinstance(error, AnswerConflict):
            item.conflict = conflict_message(question, error, user, language)
        fields.append(item)
    return fields


def field_for(
    definition: Questionnaire, question: Question, row: Answer | None, *, visible: bool
) -> Field:
    language = current_language()
    value = row.value if row else None
    return Field(
        question=question,
        number=definition.area(question.area).questions.index(question) + 1,
        visible=visible,
        value=value,
        revision=row.revision if row else 0,
        language=language,
        choices=_choices(question, value, language),
    )


# --- messages ------------------------------------------------------------------------------


def error_message(question: Question, error: AnswerError, value: Any = None) -> str:
    """The refusal of an answer in plain words (``AnswerError.code`` -> translated text)."""
    code = error.code
    if code == "missing":
        return _("Please answer this question.")
    if code in ("wrong_type", "unknown_option"):
        return _("This answer is not one of the choices offered: please pick one in the list.")
    if code == "exclusive":
        return _("This answer cannot be combined with the other boxes you ticked.")
    if code == "not_a_number":
        return _("Please enter a number, for example 12 or 4.5.")
    if code == "not_integer":
        return _("Please enter a whole number.")
    if code == "out_of_range":
        spec = question.number or question.scale
        low = localized_number(spec.min) if spec else ""
        high = localized_number(spec.max) if spec else ""
        return _("Please enter a number between %(min)s and %(max)s.") % {"min": low, "max": high}
    if code == "too_long":
        length = len(value.strip()) if isinstance(value, str) else 0
        return _("This text is too long: %(max)s characters at most, you wrote %(length)s.") % {
            "max": question.max_length,
            "length": length,
        }
    if code == "bad_url":
        return _("Please enter a full web address starting with https://.")
    if code == "bad_character":
        return _(
            "This text holds an invisible character that cannot be saved (a null "
            "character, often left by a copy and paste): please type it again."
        )
    return _("This answer could not be saved. Please check it.")


def conflict_message(
    question: Question, conflict: AnswerConflict, user: Any, language: str | None = None
) -> str:
    """Who changed the answer, when, and to what: the dealer decides what to keep."""
    language = language or current_language()
    current = conflict.current
    if current is None:
        return _("This answer was changed in the meantime. Please check it and save again.")
    shown = (
        answer_label(question, current.value, language)
        if is_answered(current.value)
        else _("no answer")
    )
    context = {"time": clock(current.updated_at), "value": shown}
    if user is not None and current.updated_by_id == getattr(user, "pk", None):
        return (
            _(
                "You changed this answer in another window at %(time)s: “%(value)s”. "
                "Please check it and save again."
            )
            % context
        )
    context["name"] = str(current.updated_by) if current.updated_by else _("a colleague")
    return (
        _(
            "Your colleague %(name)s changed this answer at %(time)s: “%(value)s”. "
            "Please check it and save again."
        )
        % context
    )
