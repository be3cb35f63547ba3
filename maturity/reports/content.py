"""What a PDF roadmap is made of: read once from the database, fingerprinted, presented.

:func:`report_source` gathers every input of the report: answers, frozen result, people,
the consultant's *published* review and comments (a draft review is never in a PDF, even
one a consultant asks for: the PDF is the dealer's document), previous assessment, roadmap
actions done since, each action's owner and due date, the target, peer medians.
:func:`report_fingerprint` hashes exactly those inputs plus the language and the template
version, so a ready PDF is reused only when nothing it shows has changed.
:func:`report_context` turns the same inputs into the template's context, through the
presenters shared with the results page (same ladder, radar, cards, roadmap, projection).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.i18n import format_date
from dealers.models import Dealership
from maturity.engine.answers import answer_label
from maturity.engine.definition import Questionnaire
from maturity.engine.scoring import Result, display, visible_questions, whole_change
from maturity.measured.presenters import measured_section
from maturity.measured.selectors import confirmations as measured_confirmations
from maturity.models import (
    AreaComment,
    Assessment,
    AssessmentResult,
    AssessmentReview,
    DealershipTarget,
    MeasurementConfirmation,
    RoadmapActionStatus,
)
from maturity.questionnaire.catalogues import catalogue_for
from maturity.results.benchmarks import peer_benchmark
from maturity.results.presenters import (
    AreaCard,
    Comparison,
    ResultPresentation,
    bars_chart,
    ladder_chart,
    present_stored_result,
    radar_chart,
)
from maturity.results.projection import projection_view
from maturity.selectors import assessment_answers, result_previous

__all__ = [
    "REPORT_LANGUAGES",
    "TEMPLATE_VERSION",
    "ReportSource",
    "ReportUnavailable",
    "report_context",
    "report_fingerprint",
    "report_source",
]

REPORT_LANGUAGES = ("fr", "en")
# Bump when the PDF changes in a way its template files do not show (presenters, charts):
# a ready PDF with an older version is rendered again instead of reused.
TEMPLATE_VERSION = "2026.2-2"
_TEMPLATE_FILES = ("maturity/reports/roadmap.html",)
_STATIC_FILES = ("css/print.css",)
PRIORITY_COUNT = 3

# Stored on the report row in English and translated when shown (``{% translate %}``).
ERROR_NO_ASSESSMENT = gettext_noop("This assessment no longer exists.")
ERROR_NOT_SUBMITTED = gettext_noop("Only a submitted assessment has a PDF roadmap.")
ERROR_NO_RESULT = gettext_noop("This assessment has no result yet.")


class ReportUnavailable(Exception):
    """The report cannot be made, and trying again will not change that."""

    def __init__(self, user_message: str):
        self.user_message = user_message
        super().__init__(user_message)


# --- inputs ------------------------------------------------------------------------------


@dataclass
class ReportSource:
    """Every input of one report, read from the database in one place."""

    assessment: Assessment
    dealership: Dealership
    stored: AssessmentResult
    definition: Questionnaire
    answers: dict[str, Any]
    assessed_by: str
    consultants: list[str]
    review: AssessmentReview | None
    comments: dict[str, AreaComment]
    previous: AssessmentResult | None
    done_since: list[RoadmapActionStatus]
    peer: Comparison | None
    catalogue_hash: str | None
    plans: dict[str, RoadmapActionStatus] = field(default_factory=dict)
    target: DealershipTarget | None = None
    today: date | None = None  # the day the report is made (overdue, target in reach)
    extra: dict[str, Any] = field(default_factory=dict)
    # Consultants' confirmations of declared answers a measurement contradicts, by key.
    confirmations: dict[str, MeasurementConfirmation] = field(default_factory=dict)

    def fingerprint_data(self) -> dict[str, Any]:
        """The inputs as plain data: what the fingerprint hashes."""
        dealership = self.dealership
        return {
            "assessment": self.assessment.pk,
            "submitted_at": _iso(self.assessment.submitted_at),
            "version": self.assessment.version.content_hash,
            "answers": self.answers,
            "result": self.stored.snapshot,
            "catalogue": self.catalogue_hash,
            "dealership": {
                "name": dealership.name,
                "city": dealership.city,
                "region": dealership.region,
                "group": dealership.group.name if dealership.group else None,
                "brands": sorted(b.name for b in dealership.brands.all()),
                "profile": self.assessment.profile_in_use,
            },
            "assessed_by": self.assessed_by,
            "consultants": self.consultants,
            "review": (
                {
                    "note": self.review.overall_note,
                    "by": str(self.review.reviewed_by or ""),
                    "at": _iso(self.review.reviewed_at),
                }
                if self.review
                else None
            ),
            "comments": {
                key: [c.body, str(c.author or "")] for key, c in sorted(self.comments.items())
            },
            "previous": (
                {
                    "assessment": self.previous.assessment_id,
                    "rung": self.previous.rung,
                    "areas": self.previous.area_scores,
                    "submitted_at": _iso(self.previous.assessment.submitted_at),
                }
                if self.previous
                else None
            ),
            "done_since": [[s.action_key, _iso(s.done_at)] for s in self.done_since],
            "peer": (
                {"label": self.peer.label, "areas": dict(self.peer.area_scores)}
                if self.peer
                else None
            ),
            "plans": {
                key: [
                    row.owner.get_full_name() if row.owner else "",
                    _iso(row.due_date),
                    row.status,
                    # Overdue depends on the day: only then is the day part of the PDF.
                    bool(row.due_date and self.today and row.is_overdue(self.today)),
                ]
                for key, row in sorted(self.plans.items())
            },
            "target": (
                {
                    "rung": self.target.rung,
                    "due": _iso(self.target.due_date),
                    # In reach in time is counted from the day the PDF is made.
                    "today": _iso(self.today),
                }
                if self.target
                else None
            ),
            "extra": self.extra,
            "confirmations": {
                key: [c.comment, str(c.author or ""), _iso(c.created_at)]
                for key, c in sorted(self.confirmations.items())
            },
        }


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def report_source(*, assessment: Assessment, peer: Comparison | bool | None = True) -> ReportSource:
    """Read what the report of ``assessment`` shows; ``ReportUnavailable`` if it has none.

    ``peer``: ``True`` looks up the peer median (``maturity.results.benchmarks``, shown only when
    the peer group is large enough), ``False``/``None`` leaves it out, or pass a
    ``Comparison`` to draw (e.g. a benchmark chosen on a dashboard).
    """
    assessment = (
        Assessment.objects.select_related("dealership__group", "version", "submitted_by", "result")
        .filter(pk=assessment.pk)
        .first()
    )
    if assessment is None:
        raise ReportUnavailable(ERROR_NO_ASSESSMENT)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ReportUnavailable(ERROR_NOT_SUBMITTED)
    try:
        stored = assessment.result
    except AssessmentResult.DoesNotExist:
        raise ReportUnavailable(ERROR_NO_RESULT) from None
    dealership = assessment.dealership
    definition = assessment.definition
    catalogue = catalogue_for(definition)
    answers = assessment_answers(assessment)
    previous = result_previous(assessment=assessment)
    done_since: list[RoadmapActionStatus] = []
    if previous is not None:
        done_since = list(
            RoadmapActionStatus.objects.filter(
                dealership=dealership,
                status=RoadmapActionStatus.Status.DONE,
                done_at__gt=previous.assessment.submitted_at,
            ).order_by("done_at", "action_key")
        )
    consultants = [
        a.consultant.get_full_name()
        for a in dealership.assignments.select_related("consultant").order_by(
            "consultant__full_name", "consultant__email"
        )
    ]
    # Only a published review reaches the PDF, and only its published text.
    review = (
        AssessmentReview.objects.filter(assessment=assessment, reviewed_at__isnull=False)
        .select_related("reviewed_by")
        .first()
    )
    comments = {}
    if review is not None:
        comments = {
            c.area_key: c
            for c in AreaComment.objects.filter(assessment=assessment)
            .exclude(body="")
            .select_related("author")
        }
    plans = {
        row.action_key: row
        for row in RoadmapActionStatus.objects.filter(dealership=dealership).select_related("owner")
        if row.owner_id or row.due_date
    }
    return ReportSource(
        assessment=assessment,
        dealership=dealership,
        stored=stored,
        definition=definition,
        answers=answers,
        assessed_by=assessment.submitted_by.get_full_name() if assessment.submitted_by else "",
        consultants=consultants,
        review=review,
        comments=comments,
        previous=previous,
        done_since=done_since,
        peer=_peer(dealership) if peer is True else (peer or None),
        catalogue_hash=catalogue.content_hash if catalogue else None,
        plans=plans,
        target=DealershipTarget.objects.filter(dealership=dealership).first(),
        today=timezone.localdate(),
        confirmations=measured_confirmations(dealership),
    )


def _peer(dealership: Dealership) -> Comparison | None:
    """The median of comparable dealerships (same region), when the group is big enough."""
    benchmark = peer_benchmark(dealership=dealership, group_by="region")
    if benchmark is None:
        return None
    # The label is translated at render time (it names the group, a region name).
    return Comparison(
        label=benchmark.label, area_scores={k: q.median for k, q in benchmark.areas.items()}
    )


# --- fingerprint -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _layout_files() -> tuple[Path, ...]:
    paths = [Path(get_template(name).origin.name) for name in _TEMPLATE_FILES]
    paths += [Path(found) for name in _STATIC_FILES if (found := finders.find(name))]
    return tuple(paths)


_digests: dict[tuple, str] = {}


def template_digest() -> str:
    """``TEMPLATE_VERSION`` plus a hash of the template and print CSS files.

    Cached by the files' modification times: editing the layout in development makes
    new PDFs at once, without hashing the files on every request.
    """
    files = _layout_files()
    key = tuple((str(path), path.stat().st_mtime_ns) for path in files)
    if key not in _digests:
        digest = hashlib.sha256(TEMPLATE_VERSION.encode())
        for path in files:
            digest.update(path.read_bytes())
        _digests.clear()
        _digests[key] = digest.hexdigest()
    return _digests[key]


def report_fingerprint(*, assessment: Assessment, language: str) -> str:
    """What the PDF of ``assessment`` in ``language`` is made of, as a sha256 hex digest."""
    source = report_source(assessment=assessment)
    return _fingerprint(source, language)


def _fingerprint(source: ReportSource, language: str) -> str:
    data = {"template": template_digest(), "language": language, **source.fingerprint_data()}
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


# --- presentation ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str
    free_text: bool  # dealer-entered text (shown as typed, escaped)
    blank: bool = False  # not answered

    @property
    def optional_blank(self) -> bool:
        """An optional comment left empty: nothing to read, a short report leaves it out."""
        return self.blank and self.free_text


# The presenters' Bootstrap tones, as colours for the score bars (SVG fill attributes).
TONE_COLOURS = {"danger": "#dc3545", "warning": "#e0a800", "info": "#0aa2c0", "success": "#198754"}


@dataclass(frozen=True)
class AreaSection:
    """One area of the report: the results page's card, the consultant's comment."""

    card: AreaCard
    comment: AreaComment | None
    peer_median: float | None
    colour: str

    @property
    def bar_width(self) -> str:
        # Not localised: an SVG attribute needs a dot, whatever the language.
        return f"{max(0.0, min(100.0, self.card.score)):.1f}"


@dataclass(frozen=True)
class Moved:
    title: str
    before: float
    after: float

    @property
    def delta(self) -> int:
        return whole_change(self.before, self.after)


def report_context(
    *, assessment: Assessment, language: str, peer_median: Comparison | bool | None = True
) -> dict[str, Any]:
    """The template context of the report, in ``language`` (call under ``override``)."""
    source = report_source(assessment=assessment, peer=peer_median)
    return context_from_source(source, language)


def context_from_source(source: ReportSource, language: str) -> dict[str, Any]:
    definition = source.definition
    with translation.override(language):
        peer = source.peer
        if peer is not None:
            peer = Comparison(
                # Short: the chart's legend truncates long labels.
                label=_("Median: %(group)s") % {"group": peer.label},
                area_scores=peer.area_scores,
            )
        p: ResultPresentation = present_stored_result(source.stored, language=language, peer=peer)
        actions = list(p.plan.actions) if p.plan is not None else []
        area_titles = {a.key: a.title.get(language) for a in definition.areas}
        peer_scores = peer.area_scores if peer is not None else {}
        sections = [
            AreaSection(
                card=card,
                comment=source.comments.get(card.key),
                peer_median=peer_scores.get(card.key),
                colour=TONE_COLOURS.get(card.tone, TONE_COLOURS["info"]),
            )
            for card in p.areas
        ]
        measured = measured_section(
            definition,
            source.stored.snapshot.get("measured"),
            language=language,
            confirmations=source.confirmations,
        )
        # An area with nothing holding its score back and no comment has nothing to say
        # beyond its score: one line in a short list, not a block (a top-rung report is
        # then short). At the top rung the report flows without forced page breaks.
        quiet = [s for s in sections if not s.card.lowered and not s.comment]
        return {
            "lang": language,
            "p": p,
            "compact": p.next_rung is None,
            "detailed_sections": [s for s in sections if s.card.lowered or s.comment],
            "quiet_sections": quiet,
            "assessment": source.assessment,
            "dealership": source.dealership,
            "brands": ", ".join(b.name for b in source.dealership.brands.all()),
            "date": format_date(source.assessment.submitted_at, "DATE_FORMAT")
            if source.assessment.submitted_at
            else "",
            "assessed_by": source.assessed_by,
            "consultants": source.consultants,
            "review": source.review,
            "sections": sections,
            "priorities": actions[:PRIORITY_COUNT],
            "action_count": len(actions),
            "roadmap_rows": _roadmap_rows(source, p),
            "overdue": [a for a in actions if a.key in source.plans and _overdue(source, a.key)],
            "projection": projection_view(
                definition,
                Result.from_dict(source.stored.snapshot),
                catalogue_for(definition),
                language=language,
                today=source.today or timezone.localdate(),
                target_rung=source.target.rung if source.target else None,
                target_date=source.target.due_date if source.target else None,
            ),
            "before_after": _before_after(source, p, language, area_titles),
            "appendix": _appendix(definition, source.answers, language),
            "measured": measured,
            "measured_agreeing": len(measured.rows) - measured.disagreements,
            # Scores too low for the radar to draw a shape (a dot): the same scores as bars.
            "bars_svg": None
            if p.radar_readable
            else bars_chart(
                definition,
                {card.key: card.score for card in p.areas},
                language=language,
                peer=peer,
            ),
        }


@dataclass(frozen=True)
class ActionPlan:
    """Who owns a roadmap action and by when, as the PDF prints it."""

    owner: str
    due_date: date | None
    overdue: bool


def _overdue(source: ReportSource, key: str) -> bool:
    row = source.plans.get(key)
    return bool(row and source.today and row.is_overdue(source.today))


def _roadmap_rows(source: ReportSource, p: ResultPresentation) -> list[tuple[Any, list]]:
    """``[(horizon, [(action, plan or None), ...]), ...]``: the roadmap with each action's
    owner and due date, when it has them."""
    rows = []
    for horizon in p.plan.planned if p.plan is not None else ():
        actions = []
        for action in horizon.actions:
            row = source.plans.get(action.key)
            plan = None
            if row is not None:
                plan = ActionPlan(
                    owner=row.owner.get_full_name() if row.owner else "",
                    due_date=row.due_date,
                    overdue=_overdue(source, action.key),
                )
            actions.append((action, plan))
        rows.append((horizon, actions))
    return rows


def _before_after(
    source: ReportSource, p: ResultPresentation, language: str, area_titles: Mapping[str, str]
) -> dict[str, Any] | None:
    previous = source.previous
    if previous is None:
        return None
    definition = source.definition
    when = format_date(previous.assessment.submitted_at, "DATE_FORMAT")
    comparison = Comparison(
        label=_("Previous assessment (%(date)s)") % {"date": when},
        area_scores=previous.area_scores,
        rung=previous.rung,
    )
    current = {a["key"]: a["score"] for a in source.stored.snapshot["areas"]}
    moved = [
        Moved(
            title=area_titles[key],
            before=display(previous.area_scores[key]),
            after=display(score),
        )
        for key, score in current.items()
        if key in previous.area_scores and key in area_titles
    ]
    moved = [m for m in moved if m.delta != 0]  # as shown: whole numbers
    moved.sort(key=lambda m: (-abs(m.delta), m.title))
    catalogue = catalogue_for(definition)
    done = []
    for status in source.done_since:
        has = catalogue is not None and catalogue.has_action(status.action_key)
        done.append(
            catalogue.action(status.action_key).title.get(language)  # type: ignore[union-attr]
            if has
            else status.action_key.replace("_", " ")
        )
    return {
        "date": when,
        "previous_rung": previous.rung,
        "previous_rung_title": definition.rung_title(previous.rung, language),
        "change": p.rung.number - previous.rung,
        "ladder_svg": ladder_chart(
            definition, p.rung.number, language=language, previous_rung=previous.rung
        ),
        "radar_svg": radar_chart(
            definition,
            current,
            language=language,
            previous=comparison,
            label=_("This assessment (%(date)s)")
            % {"date": format_date(source.assessment.submitted_at, "DATE_FORMAT")},
        ),
        "previous_score": display(previous.overall_score),
        "up": [m for m in moved if m.delta > 0],
        "down": [m for m in moved if m.delta < 0],
        "done": done,
    }


def _appendix(
    definition: Questionnaire, answers: Mapping[str, Any], language: str
) -> list[tuple[str, list[AnswerRow]]]:
    """Every question the dealer saw, with the answer in words, area by area."""
    shown = set(visible_questions(definition, answers))
    out = []
    for area in definition.areas:
        rows = []
        for question in area.questions:
            if question.key not in shown:
                continue
            value = answers.get(question.key)
            free = question.kind in ("text", "url")
            blank = value is None or value == "" or value == []
            if blank:
                words = "—"
            else:
                words = str(value) if free else answer_label(question, value, language)
            rows.append(
                AnswerRow(
                    question=question.text.get(language),
                    answer=words,
                    free_text=free,
                    blank=blank,
                )
            )
        out.append((area.title.get(language), rows))
    return out
