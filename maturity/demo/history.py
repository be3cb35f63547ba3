"""Two years of history for the generated demo dealerships (``manage.py seed_demo``).

A newcomer opening the demo portfolio should see a network that has been followed for a
while: rungs and trends, alerts, a heat map worth reading and peer benchmarks (which need
``PEER_MIN_OTHERS`` other comparable dealerships with a result). So every generated
dealership except those of ``people.NEVER_ASSESSED`` gets one to four submitted
assessments spread over the last two years, answered at a maturity that mostly rises (a
few fall back: the "score dropped" alert), each scored by the engine
(``results.services.result_snapshot``, the function submission uses). On top of them:
published consultant reviews of most of them (the recent ones wait for Claire), roadmap
actions planned, in progress or done (some roadmaps left untouched: "stalled"), two
re-assessment drafts and a first draft nearly done but left aside.

The reference dealers (A to E) are left as ``demo.assessments`` made them: tests and the
browser journeys rely on their single assessment.

A few owners asked for their PDF roadmap (queued, for the worker ``make run`` starts).
Fast and quiet: rows are written in bulk, without the per-submission peer refresh, the
e-mails or the webhooks of a real submission; one notification per dealership at most
(its latest submission, when recent). The peer statistics are rebuilt once at the end.
Deterministic: one random generator per dealership, seeded with its name. Idempotent: a
dealership that has any assessment already is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dealers.models import Assignment, Dealership, User
from maturity.assessments.progress import missing_required, visible_keys
from maturity.assessments.services import assessment_start
from maturity.demo.people import NEVER_ASSESSED, PERSONAS, demo_dealerships
from maturity.engine.answers import random_answer, ranked_answers, validate_answer
from maturity.engine.definition import DONT_KNOW, Question, Questionnaire
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import Result
from maturity.engine.suggestions import next_rung_changes
from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentResult,
    AssessmentReview,
    Notification,
    QuestionnaireVersion,
    RoadmapActionChange,
    RoadmapActionStatus,
)
from maturity.notifications.services import notify
from maturity.peers.services import peer_statistics_rebuild
from maturity.questionnaire.catalogues import catalogue_for
from maturity.questionnaire.services import questionnaire_current
from maturity.reports.services import report_request
from maturity.results.services import result_row, result_snapshot
from maturity.standing.services import standings_rebuild

HORIZON_DAYS = 720  # the oldest assessment is at most two years old
NOISE = 0.18  # spread of one answer around the dealership's level in its area
DONT_KNOW_RATE = 0.03
RECENT_DAYS = 45  # a submission this recent is not reviewed yet (Claire's to-do)
NOTIFIED_DAYS = 30  # ... and, this recent, its consultants were told
# Positions in ``people._TABLE``: dealerships whose re-assessment is under way, and the one
# whose first draft is nearly done but untouched for weeks.
REASSESSING = (14, 20)
FIRST_DRAFT = 17
FIRST_DRAFT_AREAS = 6
FIRST_DRAFT_IDLE_DAYS = 20
REPORT_EVERY = 6  # one history dealership in six has asked for its PDF

NOTES = {
    "fr": (
        "Des progrès nets depuis la dernière évaluation\u202f: gardez le rythme sur les "
        "actions du premier trimestre.",
        "Les bases sont là. Le prochain palier passe par le suivi de chaque demande web "
        "dans le CRM.",
        "Une présence sérieuse sur les réseaux sociaux\u202f; il reste à écouter ce qui se dit "
        "de la concession et à répondre aux avis.",
        "Nous ferons le point sur la feuille de route dans trois mois.",
    ),
    "en": (
        "Clear progress since the last assessment: keep the pace on the first quarter's actions.",
        "The foundations are there. The next rung means following up every web lead in the CRM.",
        "A serious presence on social networks; what remains is listening to what is said "
        "about the dealership and answering reviews.",
        "We will review the roadmap together in three months.",
    ),
}
COMMENTS = {
    "fr": "C'est le domaine le plus faible\u202f: commencez par la première action de la "
    "feuille de route.",
    "en": "This is the weakest area: start with the first action of the roadmap.",
}


@dataclass(frozen=True)
class _Planned:
    """One past submission: how many days ago, and how the answers moved since the
    previous one (rungs climbed, -1: fell back; the first one is answered at ``level``)."""

    days_ago: int
    move: int
    level: float = 0.0


def _plan(rng: random.Random) -> list[_Planned]:
    """One to four submissions, oldest first: mostly a rung up each time (the engine's
    next-rung suggestions), sometimes a plateau; one in five falls back at the latest."""
    count = rng.choices((1, 2, 3, 4), weights=(2, 4, 3, 2))[0]
    days = [rng.randint(12, 400)]
    while len(days) < count and days[-1] + 130 <= HORIZON_DAYS:
        days.append(min(HORIZON_DAYS, days[-1] + rng.randint(130, 230)))
    days.reverse()
    level = rng.uniform(0.7, 0.9) if rng.random() < 0.15 else rng.uniform(0.1, 0.55)
    plan = [_Planned(days[0], 0, level)]
    for index, ago in enumerate(days[1:], start=2):
        if index == len(days) and rng.random() < 0.2:
            move = -1
        else:
            move = rng.choices((0, 1), weights=(3, 7))[0]
        plan.append(_Planned(ago, move))
    return plan


def _answer(question: Question, target: float, rng: random.Random) -> Any:
    ranked = ranked_answers(question)
    if not ranked:  # text or address: only when it must be answered
        return random_answer(question, rng, dont_know_rate=0) if question.required else None
    if question.allow_dont_know and rng.random() < DONT_KNOW_RATE:
        return [DONT_KNOW] if question.kind == "multi" else DONT_KNOW
    position = min(1.0, max(0.0, target + rng.gauss(0, NOISE)))
    return validate_answer(question, ranked[round(position * (len(ranked) - 1))])


def answers_at(
    definition: Questionnaire,
    *,
    level: float,
    offsets: Mapping[str, float],
    rng: random.Random,
    areas: int | None = None,
) -> dict[str, Any]:
    """Complete answers of a dealership at ``level`` (0 to 1; ``offsets`` per area):
    every shown required question answered, nothing hidden. ``areas``: only the first
    ones (a draft)."""
    answers: dict[str, Any] = {}
    for area in definition.areas[:areas]:
        target = level + offsets.get(area.key, 0.0)
        for question in area.questions:
            value = _answer(question, target, rng)
            if value is not None:
                answers[question.key] = value
    return _complete(definition, answers, level=level, rng=rng, partial=areas is not None)


def _complete(
    definition: Questionnaire,
    answers: Mapping[str, Any],
    *,
    level: float,
    rng: random.Random,
    partial: bool = False,
) -> dict[str, Any]:
    """``answers`` without the hidden questions and, unless ``partial``, with every shown
    required question answered (those a changed answer revealed, at ``level``)."""
    # Visibility follows the answers of shown questions only, so keeping what is shown
    # keeps exactly what the wizard would show; a newly shown question may reveal others.
    found = dict(answers)
    while True:
        shown = visible_keys(definition, found)
        found = {key: value for key, value in found.items() if key in shown}
        missing = [] if partial else missing_required(definition, found)
        if not missing:
            return found
        for question in missing:
            found[question.key] = _answer(question, level, rng)


def _moved(question: Question, value: Any, steps: int) -> Any:
    """``value`` moved ``steps`` places among the question's ranked answers (kept when it
    is not one of them: "don't know", a text)."""
    ranked = ranked_answers(question)
    if value not in ranked:
        return value
    index = min(len(ranked) - 1, max(0, ranked.index(value) + steps))
    return validate_answer(question, ranked[index])


def _next(
    definition: Questionnaire, answers: Mapping[str, Any], move: int, rng: random.Random
) -> dict[str, Any]:
    """The answers of the next assessment: a few answers better (or, ``move`` -1, a third
    of them worse), then the engine's own next-rung suggestions applied ``move`` times."""
    found = dict(answers)
    for key, value in answers.items():
        question = definition.question(key)
        if move < 0 and rng.random() < 0.35:
            found[key] = _moved(question, value, -rng.randint(1, 2))
        elif move >= 0 and rng.random() < 0.2:
            found[key] = _moved(question, value, 1)
    found = _complete(definition, found, level=0.5, rng=rng)
    for _ in range(max(0, move)):
        for change in next_rung_changes(definition, found):
            found[change.question] = change.suggested
        found = _complete(definition, found, level=0.5, rng=rng)
    return found


def _moment(now: datetime, days_ago: float, rng: random.Random) -> datetime:
    moment = now - timedelta(days=days_ago)
    return moment.replace(hour=rng.randint(8, 18), minute=rng.randint(0, 59), second=0)


class _Writer:
    """Collects the rows of every dealership, then writes them in bulk."""

    def __init__(self, version: QuestionnaireVersion, now: datetime) -> None:
        self.version = version
        self.now = now
        self.answers: list[Answer] = []
        self.results: list[AssessmentResult] = []
        self.reviews: list[AssessmentReview] = []
        self.comments: list[AreaComment] = []
        self.statuses: list[RoadmapActionStatus] = []
        self.changes: list[RoadmapActionChange] = []
        self.moved: dict[int, datetime] = {}  # dealership id -> its roadmap's last move

    def history(
        self, dealership: Dealership, owner: User, consultant: User, rng: random.Random
    ) -> Assessment:
        definition = self.version.definition.for_profile(dealership.profile)
        offsets = {area.key: rng.uniform(-0.2, 0.2) for area in definition.areas}
        previous: Assessment | None = None
        latest: tuple[Assessment, dict, dict] | None = None
        answers: dict[str, Any] = {}
        for planned in _plan(rng):
            submitted_at = _moment(self.now, planned.days_ago, rng)
            if previous is None:
                answers = answers_at(definition, level=planned.level, offsets=offsets, rng=rng)
            else:
                answers = _next(definition, answers, planned.move, rng)
            snapshot = result_snapshot(definition, answers)
            assessment = Assessment.objects.create(
                dealership=dealership,
                version=self.version,
                status=Assessment.Status.SUBMITTED,
                previous=previous,
                created_by=owner,
                submitted_by=owner,
                submitted_at=submitted_at,
                profile=dealership.profile,
            )
            started = submitted_at - timedelta(days=rng.randint(2, 10))
            Assessment.objects.filter(pk=assessment.pk).update(
                created_at=started, updated_at=submitted_at
            )
            self.answers += [
                Answer(assessment=assessment, question_key=key, value=value, updated_by=owner)
                for key, value in answers.items()
            ]
            self.results.append(result_row(assessment=assessment, snapshot=snapshot))
            self._review(assessment, snapshot, consultant, planned, rng)
            previous = assessment
            latest = (assessment, answers, snapshot)
        assert latest is not None  # _plan gives at least one
        assessment, answers, snapshot = latest
        self._roadmap(
            dealership, assessment.submitted_at, definition, answers, snapshot, owner, rng
        )
        return assessment

    def _review(
        self,
        assessment: Assessment,
        snapshot: Mapping[str, Any],
        consultant: User,
        planned: _Planned,
        rng: random.Random,
    ) -> None:
        if planned.days_ago < RECENT_DAYS or rng.random() < 0.25:
            return  # not reviewed (yet)
        language = "en" if assessment.dealership.language == "en" else "fr"
        reviewed_at = assessment.submitted_at + timedelta(days=rng.randint(2, 12))
        self.reviews.append(
            AssessmentReview(
                assessment=assessment,
                overall_note=rng.choice(NOTES[language]),
                reviewed_by=consultant,
                reviewed_at=reviewed_at,
                updated_by=consultant,
            )
        )
        weakest = min(snapshot["areas"], key=lambda area: area["score"])
        self.comments.append(
            AreaComment(
                assessment=assessment,
                area_key=weakest["key"],
                body=COMMENTS[language],
                author=consultant,
            )
        )

    def _roadmap(
        self,
        dealership: Dealership,
        submitted_at: datetime,
        definition: Questionnaire,
        answers: Mapping[str, Any],
        snapshot: Mapping[str, Any],
        owner: User,
        rng: random.Random,
    ) -> None:
        if rng.random() < 0.3:
            return  # nobody touched this roadmap: the "stalled" alert, once old enough
        catalogue = catalogue_for(definition)
        if catalogue is None:
            return
        roadmap = build_roadmap(definition, answers, Result.from_dict(snapshot), catalogue)
        moved = min(self.now - timedelta(days=1), submitted_at + timedelta(days=rng.randint(3, 80)))
        kinds = (
            RoadmapActionStatus.Status.DONE,
            RoadmapActionStatus.Status.IN_PROGRESS,
            RoadmapActionStatus.Status.PLANNED,
        )
        for item, status in zip(roadmap.items[: rng.randint(1, 3)], kinds, strict=False):
            self.statuses.append(
                RoadmapActionStatus(
                    dealership=dealership,
                    action_key=item.key,
                    status=status,
                    done_at=moved if status == RoadmapActionStatus.Status.DONE else None,
                    owner=owner,
                    due_date=(moved + timedelta(days=rng.randint(30, 120))).date()
                    if status != RoadmapActionStatus.Status.DONE
                    else None,
                    updated_by=owner,
                )
            )
            self.changes.append(
                RoadmapActionChange(
                    dealership=dealership,
                    action_key=item.key,
                    field=RoadmapActionChange.Field.STATUS,
                    before=RoadmapActionStatus.Status.TODO,
                    after=status,
                    changed_by=owner,
                    changed_at=moved,
                )
            )
        self.moved[dealership.pk] = moved

    def write(self) -> None:
        Answer.objects.bulk_create(self.answers, batch_size=500)
        AssessmentResult.objects.bulk_create(self.results, batch_size=500)
        AssessmentReview.objects.bulk_create(self.reviews, batch_size=500)
        AreaComment.objects.bulk_create(self.comments, batch_size=500)
        RoadmapActionStatus.objects.bulk_create(self.statuses, batch_size=500)
        RoadmapActionChange.objects.bulk_create(self.changes, batch_size=500)
        # "Last moved" is ``updated_at`` (auto_now): put each roadmap's move at its date.
        for pk, moved in self.moved.items():
            RoadmapActionStatus.objects.filter(dealership_id=pk).update(updated_at=moved)
        for result in self.results:
            Answer.objects.filter(assessment=result.assessment).update(
                updated_at=result.assessment.submitted_at
            )


def _people(dealership: Dealership) -> tuple[User | None, User | None]:
    """The dealership's owner (or first member) and its consultant."""
    memberships = dealership.memberships.select_related("user").order_by("-role", "pk")
    owner = next((m.user for m in memberships if m.role == "owner"), None)
    owner = owner or next((m.user for m in memberships), None)
    assignment = Assignment.objects.filter(dealership=dealership).select_related("consultant")
    first = assignment.order_by("pk").first()
    return owner, first.consultant if first else None


def _first_draft(
    dealership: Dealership, owner: User, version: QuestionnaireVersion, now: datetime
) -> None:
    """A first assessment answered up to its last area, then left aside for weeks."""
    rng = random.Random(f"demo-draft:{dealership.name}:{dealership.city}")
    definition = version.definition.for_profile(dealership.profile)
    draft = Assessment.objects.create(dealership=dealership, version=version, created_by=owner)
    answers = answers_at(definition, level=0.45, offsets={}, rng=rng, areas=FIRST_DRAFT_AREAS)
    Answer.objects.bulk_create(
        Answer(assessment=draft, question_key=key, value=value, updated_by=owner)
        for key, value in answers.items()
    )
    idle = now - timedelta(days=FIRST_DRAFT_IDLE_DAYS)
    Answer.objects.filter(assessment=draft).update(updated_at=idle)
    Assessment.objects.filter(pk=draft.pk).update(
        created_at=idle - timedelta(days=3), updated_at=idle
    )


def _notify_recent(latest: list[tuple[Assessment, User]], now: datetime) -> None:
    """The consultants of a recent submission heard of it (one notification each)."""
    for assessment, owner in latest:
        if assessment.submitted_at < now - timedelta(days=NOTIFIED_DAYS):
            continue
        dealership = assessment.dealership
        created = notify(
            kind=Notification.Kind.SUBMITTED,
            recipients=User.objects.filter(assignments__dealership=dealership),
            actor=owner,
            dealership=dealership,
            url=reverse("assessment_feedback", args=[dealership.pk, assessment.pk]),
            email_now=False,  # no e-mail for the past
        )
        Notification.objects.filter(pk__in=[n.pk for n in created]).update(
            created_at=assessment.submitted_at
        )


def seed_history(*, progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Create the generated dealerships' past assessments, reviews and roadmap moves that
    do not exist yet, then rebuild the peer statistics once; return what was created."""
    now = timezone.now()
    version = questionnaire_current()
    entries = list(enumerate(demo_dealerships()[len(PERSONAS) :]))
    created: list[str] = []
    with transaction.atomic():
        writer = _Writer(version, now)
        latest: list[tuple[Assessment, User]] = []
        reassessing: list[tuple[Dealership, User]] = []
        for done, (position, entry) in enumerate(entries, start=1):
            dealership = Dealership.objects.filter(name=entry.name, city=entry.city).first()
            if dealership is None or dealership.assessments.exists():
                pass  # missing, or seeded already (by an earlier run or by hand)
            elif (people := _people(dealership))[0] is None or people[1] is None:
                pass
            elif position == FIRST_DRAFT:
                _first_draft(dealership, people[0], version, now)
                created.append(f"first draft, left aside: {dealership.name}")
            elif position not in NEVER_ASSESSED:
                owner, consultant = people
                rng = random.Random(f"demo-history:{dealership.name}:{dealership.city}")
                latest.append((writer.history(dealership, owner, consultant, rng), owner))
                if position in REASSESSING:
                    reassessing.append((dealership, owner))
                created.append(f"history: {dealership.name}")
            if progress:
                progress(done, len(entries))
        writer.write()
        # Re-assessments under way: a draft pre-filled from the latest, as a dealer gets.
        for dealership, owner in reassessing:
            assessment_start(dealership=dealership, user=owner)
        _notify_recent(latest, now)
        # A few PDF roadmaps asked for by their owners: queued now, rendered by the worker
        # that ``make run`` starts (the portfolio's PDF column, the dealers' downloads).
        for assessment, owner in latest[::REPORT_EVERY]:
            report_request(
                assessment=assessment, user=owner, language=assessment.dealership.language
            )
    if created:
        # Once, over every dealership: the bulk writes above send no signals.
        standings_rebuild()
        peer_statistics_rebuild()
    return created
