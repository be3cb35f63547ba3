"""The dealer home: where the dealership stands, how it got there, and what to do next.

Shown as the main content of the dealership page (``followup.views.dealer_home``), to the
dealership's people and to its consultants. :func:`dealer_home` reads everything in a
fixed number of queries, whatever the number of past assessments (a test holds it to
that): the list query defers the large JSON columns, and only the latest result's
snapshot is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.i18n import current_language, format_date
from dealers.models import Dealership, User
from dealers.permissions import DealershipPermissions, permissions_for
from dealers.scoping import scoped
from maturity.assessments.delegations import delegations_of
from maturity.assessments.progress import progress
from maturity.charts import radar_readable, trend_svg
from maturity.engine.scoring import Result, whole_change
from maturity.followup import roadmap as followup
from maturity.followup.roadmap import DoneAction
from maturity.models import (
    Answer,
    AreaComment,
    Assessment,
    AssessmentResult,
    AssessmentReview,
    Campaign,
    CampaignDealership,
    DealershipTarget,
    ReminderLog,
    Report,
)
from maturity.results.benchmarks import (
    GROUP_BY_CHOICES,
    Benchmark,
    GroupBy,
    group_by_or_default,
    peer_benchmark,
)
from maturity.results.presenters import (
    Comparison,
    ConfidenceInfo,
    MaintenanceLine,
    RungInfo,
    bars_chart,
    confidence_info,
    ladder_chart,
    radar_chart,
    rung_info,
)
from maturity.review.selectors import Feedback, build_feedback
from maturity.selectors import assessment_answers


@dataclass(frozen=True)
class PastAssessment:
    assessment: Assessment
    overall_score: float
    rung: int
    rung_title: str
    change: float | None  # overall score change since the assessment before it
    reviewed: bool
    report: Report | None  # the latest ready PDF, if any

    @property
    def pdf_url(self) -> str:
        """Where the ready PDF opens (the report pages belong to the PDF feature)."""
        if self.report is None:
            return ""
        try:
            return reverse("report_download", args=[self.assessment.dealership_id, self.report.pk])
        except NoReverseMatch:  # pragma: no cover - the PDF feature is not installed
            return ""


@dataclass(frozen=True)
class AreaMove:
    key: str
    title: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return whole_change(self.before, self.after)

    @property
    def delta_abs(self) -> float | None:
        return None if self.delta is None else abs(self.delta)


@dataclass
class DealerHome:
    dealership: Dealership
    language: str
    can_answer: bool = False
    can_follow_up: bool = False
    can_review: bool = False
    # ``dealership_name`` of the results presenters: None when the reader is the dealer.
    reader_name: str | None = None
    # The latest submitted assessment and its pictures.
    latest: Assessment | None = None
    previous: Assessment | None = None
    overall_score: float | None = None
    rung: RungInfo | None = None
    next_rung: RungInfo | None = None
    rung_count: int = 5
    ladder_svg: SafeString | None = None
    radar_svg: SafeString | None = None
    # The same scores as bars: on a phone, and instead of a radar that is only a dot.
    bars_svg: SafeString | None = None
    radar_readable: bool = True
    trend_svg: SafeString | None = None
    peer: Benchmark | None = None
    peer_group: GroupBy = "region"
    peer_choices: list[tuple[str, str]] = field(default_factory=list)
    # The roadmap and the dealer's progress on it.
    roadmap_available: bool = False
    next_actions: list[followup.TrackedAction] = field(default_factory=list)
    roadmap_total: int = 0  # the actions planned in the three horizons
    roadmap_done: int = 0
    backlog_count: int = 0  # what waits for later
    maintenance: tuple[MaintenanceLine, ...] = ()  # at the top rung
    confidence: ConfidenceInfo | None = None
    # Since the previous assessment: actions done in between and how the areas moved.
    done_before_latest: list[DoneAction] = field(default_factory=list)
    moves: list[AreaMove] = field(default_factory=list)
    overall_change: float | None = None
    # Done since the latest assessment: a re-assessment will show what they moved.
    done_since_latest: list[DoneAction] = field(default_factory=list)
    # Roadmap actions past their due date and not done.
    overdue: list[followup.TrackedAction] = field(default_factory=list)
    # The draft in progress: who asked for it (an open campaign), who answers which step.
    draft: Assessment | None = None
    draft_percent: int = 0
    draft_touched_at: datetime | None = None
    draft_last_reminder: ReminderLog | None = None
    campaign: Campaign | None = None
    delegations: list[tuple[str, str]] = field(default_factory=list)  # (area title, person)
    target: DealershipTarget | None = None
    past: list[PastAssessment] = field(default_factory=list)
    feedback: Feedback | None = None
    group_dealership_count: int = 0
    # The social networks ticked in the latest assessment (or the draft), in its labels:
    # the online presence the dealer declared, beside the page addresses of the profile.
    social_networks: list[str] = field(default_factory=list)

    @property
    def submitted_count(self) -> int:
        return len(self.past)

    @property
    def roadmap_percent(self) -> int:
        return round(100 * self.roadmap_done / self.roadmap_total) if self.roadmap_total else 0

    @property
    def compare_ready(self) -> bool:
        return len(self.past) >= 2


def _label(moment: datetime | None, format_name: str = "DATE_FORMAT") -> str:
    return format_date(timezone.localtime(moment), format_name) if moment else ""


def _submitted(dealership: Dealership):
    """Submitted assessments, oldest first, without the large JSON columns."""
    return (
        Assessment.objects.filter(dealership=dealership)
        .submitted()
        .select_related("version", "result", "review__reviewed_by")
        .defer("version__content", "result__snapshot")
        .oldest_first()
    )


def dealer_home(
    *,
    user: User,
    dealership: Dealership,
    peer_group: str | None = None,
    permissions: DealershipPermissions | None = None,
) -> DealerHome:
    """Everything the dealer home shows (``permissions``: pass them when already known)."""
    language = current_language()
    permissions = permissions or permissions_for(user=user, dealership=dealership)
    home = DealerHome(
        dealership=dealership,
        language=language,
        can_answer=permissions.can_answer,
        can_follow_up=permissions.can_follow_up,
        can_review=permissions.can_review,
        reader_name=followup.reader_dealership_name(permissions=permissions, dealership=dealership),
    )
    # Selected with the dealership by the dealer home's view (no query then).
    home.target = getattr(dealership, "target", None)
    _add_draft(home, dealership)
    submitted = [a for a in _submitted(dealership) if _has_result(a)]
    if submitted:
        _add_results(home, submitted, peer_group)
    _add_social_networks(home, home.latest or home.draft)
    if dealership.group_id:
        home.group_dealership_count = scoped(
            Dealership.objects.filter(group_id=dealership.group_id), user
        ).count()
    return home


SOCIAL_NETWORKS_QUESTION = "social_networks"


def _add_social_networks(home: DealerHome, assessment: Assessment | None) -> None:
    if assessment is None:
        return
    definition = assessment.definition
    if not definition.has_question(SOCIAL_NETWORKS_QUESTION):
        return
    question = definition.question(SOCIAL_NETWORKS_QUESTION)
    value = (
        Answer.objects.filter(assessment=assessment, question_key=SOCIAL_NETWORKS_QUESTION)
        .values_list("value", flat=True)
        .first()
    )
    if not isinstance(value, list):
        return  # not answered, or "I don't know"
    home.social_networks = [
        option.label.get(home.language)
        for option in question.options
        if option.key in value and not option.exclusive
    ]


def _has_result(assessment: Assessment) -> bool:
    try:
        assessment.result  # noqa: B018 - select_related: no query
    except AssessmentResult.DoesNotExist:
        return False
    return True


def _add_draft(home: DealerHome, dealership: Dealership) -> None:
    draft = (
        Assessment.objects.filter(dealership=dealership)
        .drafts()
        .select_related("version", "created_by")
        .defer("version__content")
        .annotate(last_answer_at=Max("answers__updated_at"))
        .first()
    )
    if draft is None:
        return
    draft.dealership = dealership  # the same row: the draft follows its profile
    values = assessment_answers(draft)
    home.draft = draft
    home.draft_percent = progress(draft.definition, values).percent
    home.draft_touched_at = max(
        (m for m in (draft.updated_at, draft.last_answer_at) if m is not None), default=None
    )
    if home.can_review:
        home.draft_last_reminder = ReminderLog.objects.filter(assessment=draft).first()
    entry = (
        CampaignDealership.objects.filter(assessment=draft, campaign__closed_at__isnull=True)
        .select_related("campaign__created_by")
        .order_by("campaign__due_date", "pk")
        .first()
    )
    home.campaign = entry.campaign if entry else None
    delegated = delegations_of(draft)
    home.delegations = [
        (area.title.get(home.language), delegated[area.key].delegate.get_full_name())
        for area in draft.definition.areas
        if area.key in delegated
    ]


def _add_results(home: DealerHome, submitted: list[Assessment], peer_group: str | None) -> None:
    language = home.language
    latest = submitted[-1]
    previous = submitted[-2] if len(submitted) > 1 else None
    home.latest, home.previous = latest, previous
    latest.dealership = home.dealership  # the same row: no query for its profile
    definition = latest.definition
    snapshot = (
        AssessmentResult.objects.filter(pk=latest.result.pk)
        .values_list("snapshot", flat=True)
        .first()
    )
    home.overall_score = latest.result.overall_score
    home.rung_count = len(definition.rungs)
    home.rung = rung_info(definition, latest.result.rung, language)
    if latest.result.rung < len(definition.rungs):
        home.next_rung = rung_info(definition, latest.result.rung + 1, language)

    with translation.override(language):
        previous_cmp = None
        if previous is not None:
            previous_cmp = Comparison(
                label=_("Previous assessment (%(date)s)") % {"date": _label(previous.submitted_at)},
                area_scores=dict(previous.result.area_scores),
                rung=previous.result.rung,
            )
        # Only the groups with enough comparable dealerships are offered: a choice that
        # can only answer "too few to show a median" is not one.
        benchmarks = {
            key: peer_benchmark(dealership=home.dealership, group_by=key)
            for key, _label in GROUP_BY_CHOICES
        }
        home.peer_choices = [
            (key, str(label)) for key, label in GROUP_BY_CHOICES if benchmarks[key] is not None
        ]
        default = home.peer_choices[0][0] if home.peer_choices else "region"
        home.peer_group = group_by_or_default(peer_group, default)
        home.peer = benchmarks[home.peer_group]
        peer_cmp = None
        if home.peer is not None:
            keys = [a.key for a in definition.areas]
            peer_cmp = Comparison(
                label=_("Median of %(count)s comparable dealerships")
                % {"count": home.peer.peer_count},
                area_scores=dict(zip(keys, home.peer.medians(keys), strict=True)),
            )
        home.ladder_svg = ladder_chart(
            definition,
            latest.result.rung,
            language=language,
            previous_rung=previous.result.rung if previous else None,
            dealership_name=home.reader_name,
        )
        home.radar_svg = radar_chart(
            definition,
            dict(latest.result.area_scores),
            language=language,
            previous=previous_cmp,
            peer=peer_cmp,
            label=_("Latest assessment"),
        )
        scores = dict(latest.result.area_scores)
        home.bars_svg = bars_chart(definition, scores, language=language, peer=peer_cmp)
        home.radar_readable = radar_readable([scores.get(a.key) for a in definition.areas])
        points = [
            (_label(a.submitted_at, "SHORT_DATE_FORMAT"), a.result.overall_score) for a in submitted
        ]
        # The chart module escapes every text it writes.
        home.trend_svg = mark_safe(  # noqa: S308
            trend_svg(points, title=_("Overall score over time"), lang=language)  # type: ignore[arg-type]
        )

    # Past assessments with their PDFs (one query for all the ready reports).
    reports: dict[int, Report] = {}
    for report in Report.objects.filter(
        assessment__in=[a.pk for a in submitted], status=Report.Status.READY
    ).order_by("finished_at", "pk"):
        reports[report.assessment_id] = report  # the newest wins
    past = []
    for index, assessment in enumerate(submitted):
        result = assessment.result
        before = submitted[index - 1].result.overall_score if index else None
        review = _review(assessment)
        rung_title = assessment.version.definition.rung_title(result.rung, language)
        past.append(
            PastAssessment(
                assessment=assessment,
                overall_score=result.overall_score,
                rung=result.rung,
                rung_title=rung_title,
                change=None if before is None else whole_change(before, result.overall_score),
                reviewed=review is not None and review.reviewed_at is not None,
                report=reports.get(assessment.pk),
            )
        )
    home.past = list(reversed(past))

    # How firm the result is, and the roadmap with the dealer's statuses.
    if snapshot:
        home.confidence = confidence_info(definition, Result.from_dict(snapshot), language=language)
    statuses = followup.statuses_for(home.dealership)
    plan = followup.roadmap_plan_of(
        latest, snapshot, language=language, statuses=statuses, dealership_name=home.reader_name
    )
    if plan is not None:
        horizons = followup.track(plan.horizons, statuses)
        actions = followup.all_actions(horizons)
        home.roadmap_available = True
        home.roadmap_total = len(actions)
        home.roadmap_done = sum(1 for a in actions if a.is_done)
        home.next_actions = followup.next_actions(horizons)
        home.backlog_count = len(plan.backlog)
        home.maintenance = plan.maintenance
        home.overdue = followup.overdue_actions(horizons)

    # What moved between the previous and the latest assessment, and what was done.
    titles = followup.action_titles(latest, statuses.keys(), language=language)

    def done(rows) -> list[DoneAction]:
        return [DoneAction(r.action_key, titles[r.action_key], r.done_at) for r in rows]

    home.done_since_latest = done(followup.done_between(statuses, latest.submitted_at, None))
    if previous is not None:
        home.done_before_latest = done(
            followup.done_between(statuses, previous.submitted_at, latest.submitted_at)
        )
        home.overall_change = whole_change(
            previous.result.overall_score, latest.result.overall_score
        )
        before, after = previous.result.area_scores, latest.result.area_scores
        home.moves = [
            AreaMove(
                key=area.key,
                title=area.title.get(language),
                before=before.get(area.key),
                after=after.get(area.key),
            )
            for area in definition.areas
        ]

    # The consultant's comments on the latest assessment (the dealer reads them here).
    comments = list(AreaComment.objects.filter(assessment=latest).select_related("author"))
    home.feedback = build_feedback(
        latest, _review(latest), comments, language=language, reviewer=home.can_review
    )


def _review(assessment: Assessment) -> AssessmentReview | None:
    try:
        return assessment.review  # select_related: no query
    except AssessmentReview.DoesNotExist:
        return None
