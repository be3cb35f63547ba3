"""Writes on assessments: start, answer (with optimistic concurrency), submit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, JSONField, Value
from django.urls import reverse
from django.utils import timezone

from dealers.models import Assignment, Dealership, User
from dealers.permissions import can_answer
from maturity.assessments.progress import is_answered, missing_required, visible_keys
from maturity.engine.answers import AnswerError, validate_answer
from maturity.engine.definition import Question
from maturity.models import Answer, AreaDelegation, Assessment, Notification, WebhookEndpoint
from maturity.notifications.services import notify
from maturity.questionnaire.services import questionnaire_current
from maturity.results.services import result_create
from maturity.selectors import answer_rows, answer_values, assessment_last_submitted
from maturity.webhooks.services import webhook_event_emit

__all__ = [
    "AnswerConflict",
    "AnswerError",
    "AnswersRefused",
    "AssessmentIncomplete",
    "AssessmentLocked",
    "NotAColleague",
    "UnknownQuestion",
    "answer_normalize",
    "answer_save",
    "answers_save",
    "answers_save_all",
    "area_delegate",
    "area_delegation_withdraw",
    "assessment_start",
    "assessment_submit",
]


class AssessmentLocked(Exception):
    """The assessment is submitted: its answers can no longer change."""


class UnknownQuestion(LookupError):
    """The question key is not part of the version the assessment is pinned to."""


class AnswerConflict(Exception):
    """The answer changed since the client read it (``revision`` is stale).

    ``current`` is the stored answer now (``None`` if there is none), so the client can
    show who changed it, when, and to what.
    """

    def __init__(self, question_key: str, current: Answer | None):
        self.question_key = question_key
        self.current = current
        super().__init__(f"{question_key}: changed by someone else")


class AnswersRefused(Exception):
    """Some answers of a set were refused, so none was saved; ``errors`` says why, by
    question key (``AnswerError`` or :class:`AnswerConflict`)."""

    def __init__(self, errors: Mapping[str, Exception]):
        self.errors = dict(errors)
        super().__init__("refused: " + ", ".join(self.errors))


class AssessmentIncomplete(Exception):
    """Visible required questions are unanswered; ``missing`` lists them in order."""

    def __init__(self, missing: list[Question]):
        self.missing = missing
        super().__init__("unanswered: " + ", ".join(q.key for q in missing))


# --- start ---------------------------------------------------------------------------------


def assessment_start(*, dealership: Dealership, user: User) -> tuple[Assessment, bool]:
    """Open the dealership's draft, creating it if there is none: ``(draft, created)``.

    A new draft is pinned to the current questionnaire version. When the dealership
    has a submitted assessment, the new one is a re-assessment: ``previous`` points to
    it and its answers are copied where they still fit the new version.
    """
    draft = Assessment.objects.filter(dealership=dealership).drafts()
    existing = draft.first()
    if existing is not None:
        return existing, False
    version = questionnaire_current()
    previous = assessment_last_submitted(dealership=dealership)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                dealership=dealership, version=version, previous=previous, created_by=user
            )
            if previous is not None:
                _prefill(assessment=assessment, previous=previous, user=user)
    except IntegrityError:
        # A colleague started one at the same moment (one draft per dealership): join it.
        return draft.get(), False
    return assessment, True


def _prefill(*, assessment: Assessment, previous: Assessment, user: User) -> None:
    """Carry the previous answers over where the question survives in the new version:
    the same key (as asked of the dealership's profile) and an answer that is still one
    of its options. A question whose meaning changed gets a new key, an option whose
    meaning changed a new option key (content README), so neither is carried over; the
    wizard marks what is left unanswered "To answer"."""
    definition = assessment.definition
    copies = []
    for key, value in answer_values(answer_rows(assessment=previous)).items():
        if not definition.has_question(key):
            continue  # the question was retired
        try:
            normalized = validate_answer(definition.question(key), value)
        except AnswerError:
            continue  # its options or range changed: ask again
        if is_answered(normalized):
            copies.append(
                Answer(assessment=assessment, question_key=key, value=normalized, updated_by=user)
            )
    Answer.objects.bulk_create(copies)


# --- answering -----------------------------------------------------------------------------


def answer_normalize(question: Question, value: Any) -> Any:
    """The value to store for ``value`` (``None`` clears), or ``AnswerError``.

    An empty value is allowed even for a required question: while drafting, a dealer may
    clear an answer; submitting is what requires it.
    """
    if isinstance(value, str):
        value = value.strip()
    if not is_answered(value):
        return None
    return validate_answer(question, value)


def _question(assessment: Assessment, key: str) -> Question:
    definition = assessment.definition
    if not definition.has_question(key):
        raise UnknownQuestion(key)
    return definition.question(key)


def _check_draft(assessment: Assessment) -> None:
    # Locks the assessment row (PostgreSQL) so that a save and a submit never interleave;
    # SQLite's IMMEDIATE transactions serialize writers anyway.
    status = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status != Assessment.Status.DRAFT:
        raise AssessmentLocked


def _stored(value: Any) -> Any:
    # A cleared answer keeps its row (and its revision, so stale writes are still
    # detected) with a JSON null as value.
    return Value(None, JSONField()) if value is None else value


def _draft_condition(assessment_pk: int) -> tuple[str, list[Any]]:
    """SQL that holds while the assessment is a draft, and the lock that makes it hold.

    On PostgreSQL the row is read ``FOR SHARE``: a save waits for a submit that holds the
    row (``select_for_update``), then sees it submitted and writes nothing; a submit waits
    for a save in flight, then reads its answer. SQLite serializes writers anyway.
    """
    quote = connection.ops.quote_name
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    sql = (
        # Identifiers from the models' metadata, every value a parameter.
        f"EXISTS (SELECT 1 FROM {quote(Assessment._meta.db_table)}"  # noqa: S608
        f" WHERE {quote('id')} = %s AND {quote('status')} = %s{lock})"
    )
    return sql, [assessment_pk, Assessment.Status.DRAFT.value]


def _write_if_draft(
    *, assessment: Assessment, question_key: str, value: Any, revision: int, user: User
) -> Answer | None:
    """One statement that writes the answer if the assessment is a draft and the stored
    revision is ``revision`` (0: no row yet), and returns it; ``None`` if nothing was
    written (submitted, stale or already there: the caller finds out which).

    The hot path of the autosave: no transaction, no read before the write. The
    statement is atomic on its own, and its conditions are re-checked by PostgreSQL on
    the row version it waited for, so of two saves from one revision only one writes.
    """
    quote = connection.ops.quote_name
    table = quote(Answer._meta.db_table)
    now = timezone.now()
    # A cleared answer is a JSON null (the column is never SQL NULL), as in ``_stored``.
    stored = connection.ops.adapt_json_value(value, Answer._meta.get_field("value").encoder)
    updated_at = Answer._meta.get_field("updated_at").get_db_prep_save(now, connection)
    draft, draft_params = _draft_condition(assessment.pk)
    columns = ("assessment_id", "question_key", "value", "revision", "updated_by_id")
    if revision == 0:
        sql = (
            f"INSERT INTO {table} ({', '.join(quote(c) for c in (*columns, 'updated_at'))})"
            f" SELECT %s, %s, %s, 1, %s, %s WHERE {draft}"
            f" ON CONFLICT DO NOTHING RETURNING {quote('id')}"
        )
        params = [assessment.pk, question_key, stored, user.pk, updated_at, *draft_params]
    else:
        sql = (
            f"UPDATE {table} SET {quote('value')} = %s,"  # noqa: S608 - as in _draft_condition
            f" {quote('revision')} = {quote('revision')} + 1,"
            f" {quote('updated_by_id')} = %s, {quote('updated_at')} = %s"
            f" WHERE {quote('assessment_id')} = %s AND {quote('question_key')} = %s"
            f" AND {quote('revision')} = %s AND {draft} RETURNING {quote('id')}"
        )
        params = [stored, user.pk, updated_at, assessment.pk, question_key, revision]
        params += draft_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    answer = Answer(
        pk=row[0],
        assessment=assessment,
        question_key=question_key,
        value=value,
        revision=revision + 1,
        updated_by=user,
    )
    answer.updated_at = now
    return answer


def answer_save(
    *,
    assessment: Assessment,
    question_key: str,
    value: Any,
    revision: int,
    user: User,
    known: Answer | None = None,
) -> Answer | None:
    """Save one answer if nobody changed it since the client read ``revision``.

    ``revision`` is the one the client saw (0: no answer yet). The write is a conditional
    INSERT or UPDATE on that revision, so of two concurrent saves from the same revision
    only one succeeds; the other gets :class:`AnswerConflict`, unless it stores the very
    value already there (nothing would change). Raises :class:`UnknownQuestion`,
    ``AnswerError`` (nothing saved) and :class:`AssessmentLocked` too. Returns the stored
    answer (``None`` when clearing an answer that never existed).

    ``known`` is the row as the caller has just read it (the wizard reads every row
    anyway): when it already holds the value, nothing is written.
    """
    question = _question(assessment, question_key)
    normalized = answer_normalize(question, value)
    unchanged = known is not None and known.value == normalized
    if not unchanged and not (normalized is None and revision == 0):
        written = _write_if_draft(
            assessment=assessment,
            question_key=question_key,
            value=normalized,
            revision=revision,
            user=user,
        )
        if written is not None:
            return written
    # Nothing written: find out why (locked, stale, already there) under the lock.
    with transaction.atomic():
        _check_draft(assessment)
        rows = Answer.objects.filter(assessment=assessment, question_key=question_key)
        current = rows.select_related("updated_by").first()
        if current is None:
            if normalized is None:
                return None
            if revision != 0:
                raise AnswerConflict(question_key, None)
            try:
                with transaction.atomic():
                    return Answer.objects.create(
                        assessment=assessment,
                        question_key=question_key,
                        value=normalized,
                        updated_by=user,
                    )
            except IntegrityError:
                # Created by a colleague between our read and our insert.
                current = rows.select_related("updated_by").get()
        if current.value == normalized:
            return current
        if current.revision != revision:
            raise AnswerConflict(question_key, current)
        now = timezone.now()
        updated = rows.filter(revision=revision).update(
            value=_stored(normalized), revision=F("revision") + 1, updated_by=user, updated_at=now
        )
        if not updated:
            raise AnswerConflict(question_key, rows.select_related("updated_by").get())
        current.value = normalized
        current.revision = revision + 1
        current.updated_by = user
        current.updated_at = now
        return current


def answers_save(
    *, assessment: Assessment, answers: Mapping[str, tuple[Any, int]], user: User
) -> dict[str, Exception]:
    """Save a page of answers (``{key: (value, revision)}``); return the refused ones.

    Each answer is saved on its own: a refused one (``AnswerError`` or
    :class:`AnswerConflict`, keyed by question) does not stop the others. Unchanged
    answers are not written, and answers to questions that the page's own answers hide
    are neither saved nor reported. Raises :class:`AssessmentLocked` and
    :class:`UnknownQuestion` for the whole page.
    """
    if not assessment.is_draft:
        raise AssessmentLocked
    questions = {key: _question(assessment, key) for key in answers}
    stored = answer_values(answer_rows(assessment=assessment))
    errors: dict[str, Exception] = {}
    valid: dict[str, Any] = {}
    for key, (value, _revision) in answers.items():
        try:
            valid[key] = answer_normalize(questions[key], value)
        except AnswerError as error:
            errors[key] = error
    merged = {**stored, **{k: v for k, v in valid.items() if v is not None}}
    for key in valid:
        if valid[key] is None:
            merged.pop(key, None)
    visible = visible_keys(assessment.definition, merged)
    for key, normalized in valid.items():
        if key not in visible or stored.get(key) == normalized:
            continue
        try:
            answer_save(
                assessment=assessment,
                question_key=key,
                value=normalized,
                revision=answers[key][1],
                user=user,
            )
        except AnswerConflict as conflict:
            errors[key] = conflict
    return {key: error for key, error in errors.items() if key in visible}


def answers_save_all(
    *, assessment: Assessment, answers: Mapping[str, tuple[Any, int]], user: User
) -> None:
    """Save a set of answers (``{key: (value, revision)}``) all together or not at all.

    The same rules as :func:`answers_save` (answers to questions that the set's own
    answers hide are left out), in one transaction: if one answer is refused, none is
    kept and :class:`AnswersRefused` says which and why. Raises :class:`AssessmentLocked`
    and :class:`UnknownQuestion` too. For a request that succeeds or fails as a whole:
    a page of the wizard, a call of the API.
    """
    with transaction.atomic():
        errors = answers_save(assessment=assessment, answers=answers, user=user)
        if errors:
            raise AnswersRefused(errors)


# --- submit --------------------------------------------------------------------------------


def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Lock the draft as submitted once every visible required question is answered (for
    the dealership's profile, which the assessment keeps from now on).

    Raises :class:`AssessmentIncomplete` (nothing changes) or :class:`AssessmentLocked`.
    The dealership's consultants are notified (it awaits their review).
    """
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update()
            .select_related("version", "dealership")
            .get(pk=assessment.pk)
        )
        if locked.status != Assessment.Status.DRAFT:
            raise AssessmentLocked
        values = answer_values(answer_rows(assessment=locked))
        missing = missing_required(locked.definition, values)
        if missing:
            raise AssessmentIncomplete(missing)
        locked.status = Assessment.Status.SUBMITTED
        locked.submitted_by = user
        locked.submitted_at = timezone.now()
        # The profile its questions were asked of is frozen with the answers.
        locked.profile = locked.profile_in_use
        locked.save(
            update_fields=["status", "submitted_by", "submitted_at", "profile", "updated_at"]
        )
        # The scoring snapshot is taken here, inside the same transaction, so a submitted
        # assessment never exists without its result.
        result_create(assessment=locked)
        consultants = User.objects.filter(
            pk__in=Assignment.objects.filter(dealership=locked.dealership_id).values(
                "consultant_id"
            )
        )
        notify(
            kind=Notification.Kind.SUBMITTED,
            recipients=consultants,
            actor=user,
            dealership=locked.dealership,
            url=reverse("assessment_feedback", args=[locked.dealership_id, locked.pk]),
        )
        webhook_event_emit(event=WebhookEndpoint.Event.ASSESSMENT_SUBMITTED, assessment=locked)
    return locked


# --- delegation ----------------------------------------------------------------------------


class NotAColleague(ValueError):
    """The person asked is not one of the dealership's people (only they answer)."""


@transaction.atomic
def area_delegate(
    *, assessment: Assessment, area_key: str, delegate: User, user: User, message: str = ""
) -> AreaDelegation:
    """Ask ``delegate`` (a colleague of the dealership) to answer one area of a draft.

    Replaces an earlier request for the same area. The colleague is notified with a link
    to the step. Raises :class:`AssessmentLocked` for a submitted assessment,
    :class:`UnknownQuestion` for an area the version does not have and
    :class:`NotAColleague` for someone outside the dealership (``dealers.permissions``:
    only the dealership's people answer).
    """
    if not assessment.is_draft:
        raise AssessmentLocked
    definition = assessment.definition
    try:
        area = definition.area(area_key)
    except KeyError:
        raise UnknownQuestion(area_key) from None
    if not can_answer(user=delegate, dealership=assessment.dealership) or not delegate.is_active:
        raise NotAColleague(delegate.pk)
    delegation, _created = AreaDelegation.objects.update_or_create(
        assessment=assessment,
        area_key=area_key,
        defaults={
            "delegate": delegate,
            "requested_by": user,
            "message": message.strip()[:500],
            "created_at": timezone.now(),
        },
    )
    notify(
        kind=Notification.Kind.AREA_DELEGATED,
        recipients=[delegate],
        actor=user,
        dealership=assessment.dealership,
        url=reverse("assessment_step", args=[assessment.dealership_id, assessment.pk, area_key]),
        data={"area": {"fr": area.title.fr, "en": area.title.en}, "message": delegation.message},
    )
    return delegation


def area_delegation_withdraw(*, assessment: Assessment, area_key: str) -> None:
    """Nobody in particular answers ``area_key`` any more."""
    AreaDelegation.objects.filter(assessment=assessment, area_key=area_key).delete()
