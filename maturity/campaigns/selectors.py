"""Reads of the campaigns: who sees which, the list, one campaign's dealerships and log.

A campaign is its creator's (and staff's): anybody else gets a 404, as for an id that does
not exist. Its dealerships are shown through ``dealers.scoping`` too, so a dealership
taken out of the consultant's portfolio since the launch drops out of their view. A
campaign page costs the same few queries whatever its size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dealers.models import Dealership, User
from dealers.scoping import scoped
from maturity.assessments.progress import progress
from maturity.models import Answer, Campaign, CampaignDealership, CampaignMessage

State = Literal["not_started", "in_progress", "submitted", "reviewed"]
STATES: tuple[State, ...] = ("not_started", "in_progress", "submitted", "reviewed")


def campaigns_visible(user: User) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_staff:
        return Campaign.objects.all()
    if user.is_consultant:
        return Campaign.objects.filter(created_by=user)
    return Campaign.objects.none()


def campaign_get(*, user: User, pk: int) -> Campaign:
    found = campaigns_visible(user).select_related("created_by", "closed_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    campaign: Campaign
    total: int
    submitted: int

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0

    @property
    def overdue(self) -> bool:
        return self.campaign.is_open and self.campaign.due_date < timezone.localdate()


def campaigns_with_completion(*, user: User) -> QuerySet[Campaign]:
    """The user's campaigns, open ones first, each with ``total`` (dealerships) and
    ``submitted`` (those that submitted) annotated."""
    return (
        campaigns_visible(user)
        .select_related("created_by", "closed_by")
        .annotate(
            total=Count("participants", distinct=True),
            submitted=Count(
                "participants",
                filter=Q(participants__assessment__status="submitted"),
                distinct=True,
            ),
        )
        .order_by(F("closed_at").desc(nulls_first=True), "due_date", "-pk")
    )


def campaign_list(*, user: User) -> list[CampaignSummary]:
    """The user's campaigns, open ones first, with their completion (one query)."""
    rows = campaigns_with_completion(user=user)
    return [CampaignSummary(c, c.total, c.submitted) for c in rows]


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    entry: CampaignDealership
    dealership: Dealership
    state: State
    percent: int  # answered, for a draft
    contacts: int
    invited: str  # the address invited, when the dealership had nobody
    messages: int
    last_message_at: datetime | None


@dataclass(frozen=True, slots=True)
class CampaignView:
    campaign: Campaign
    rows: tuple[ParticipantRow, ...]
    counts: dict[str, int]  # state -> dealerships
    log: tuple[CampaignMessage, ...]
    log_total: int
    today: date

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def completed(self) -> int:
        return self.counts.get("submitted", 0) + self.counts.get("reviewed", 0)

    @property
    def rate(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def overdue(self) -> bool:
        return self.campaign.is_open and self.campaign.due_date < self.today

    @property
    def days_left(self) -> int:
        return (self.campaign.due_date - self.today).days


LOG_SHOWN = 100
# Answers copied when the draft was opened are saved within this of its creation.
PREFILL_WINDOW = timedelta(minutes=1)


def campaign_view(*, user: User, campaign: Campaign) -> CampaignView:
    """One campaign: each dealership's state and progress, the rate, the e-mail log
    (five queries whatever the number of dealerships)."""
    entries = list(
        scoped(CampaignDealership.objects.filter(campaign=campaign), user)
        .select_related(
            "dealership",
            "assessment__version",
            "assessment__dealership",
            "assessment__review",
            "invitation",
        )
        .defer("assessment__version__content")
        .annotate(
            contacts=Count(
                "dealership__memberships",
                filter=Q(dealership__memberships__user__is_active=True),
                distinct=True,
            )
        )
        .order_by("dealership__name", "dealership__city", "pk")
    )
    drafts = {
        e.assessment_id: e.assessment for e in entries if e.assessment and e.assessment.is_draft
    }
    answers: dict[int, dict] = {pk: {} for pk in drafts}
    touched: set[int] = set()
    for assessment_id, key, value, updated_at in Answer.objects.filter(
        assessment_id__in=list(drafts)
    ).values_list("assessment_id", "question_key", "value", "updated_at"):
        if value is not None:
            answers[assessment_id][key] = value
        if updated_at > drafts[assessment_id].created_at + PREFILL_WINDOW:
            touched.add(assessment_id)
    messages = list(CampaignMessage.objects.filter(campaign=campaign).order_by("-sent_at", "-pk"))
    per_dealership: Counter[int] = Counter()
    last: dict[int, datetime] = {}
    for message in messages:
        for pk in message.dealership_ids or ():
            per_dealership[pk] += 1
            last.setdefault(pk, message.sent_at)

    rows = []
    for entry in entries:
        state, percent = _state(entry, answers, touched)
        rows.append(
            ParticipantRow(
                entry=entry,
                dealership=entry.dealership,
                state=state,
                percent=percent,
                contacts=entry.contacts,
                invited=entry.invite_email if not entry.contacts else "",
                messages=per_dealership[entry.dealership_id],
                last_message_at=last.get(entry.dealership_id),
            )
        )
    counts = Counter(row.state for row in rows)
    return CampaignView(
        campaign=campaign,
        rows=tuple(rows),
        counts={state: counts.get(state, 0) for state in STATES},
        log=tuple(messages[:LOG_SHOWN]),
        log_total=len(messages),
        today=timezone.localdate(),
    )


def _state(
    entry: CampaignDealership, answers: dict[int, dict], touched: set[int]
) -> tuple[State, int]:
    """Where the dealership is. A draft pre-filled from the previous assessment is "not
    started" until somebody saves an answer in it; its percent is what is answered."""
    assessment = entry.assessment
    if assessment is None:
        return "not_started", 0
    if not assessment.is_draft:
        # No review row: the reverse one-to-one raises an AttributeError (getattr's default).
        review = getattr(assessment, "review", None)
        published = review is not None and review.reviewed_at is not None
        return ("reviewed" if published else "submitted"), 100
    values = answers.get(assessment.pk, {})
    percent = progress(assessment.definition, values).percent if values else 0
    started = assessment.pk in touched or (values and assessment.previous_id is None)
    return ("in_progress" if started else "not_started"), percent


def launch_candidates(*, user: User, ids: list[int], limit: int) -> list[Dealership]:
    """The dealerships ``ids`` that ``user`` may see, with ``contacts`` (active people),
    at most ``limit`` + 1 (so the caller can tell the selection is too large)."""
    return list(
        scoped(Dealership.objects.filter(pk__in=ids), user)
        .annotate(
            contacts=Count(
                "memberships", filter=Q(memberships__user__is_active=True), distinct=True
            )
        )
        .order_by("name", "city")[: limit + 1]
    )
