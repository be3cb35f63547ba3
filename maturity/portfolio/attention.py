"""The portfolio as a to-do list: what needs the consultant now, most urgent first.

Above the table, in this order:

1. **to review**: the latest assessment is submitted and its review not published yet
   (oldest submission first);
2. **overdue actions**: roadmap actions past their due date and not done;
3. **stalled drafts**: a draft untouched for ``DRAFT_STALLED_DAYS`` (with a "remind" button);
4. **campaigns** due within ``CAMPAIGN_DUE_SOON_DAYS`` or overdue, with dealerships still to
   submit;
5. **never assessed**: no submission and no draft (with "invite" or "start a campaign");
6. the **alerts** of ``portfolio.selectors`` (score dropped, re-assessment overdue, roadmap
   stalled), and the measured ones of ``measurements.leads.alerts`` (a lead-response test
   without reply, reviews answered under half, the rating down).

Everything but the campaigns comes from two queries over the whole portfolio (one row of
facts per dealership, and the alerts' two latest results), cached under the portfolio's
data version like the alerts were; the campaigns are one more query, never cached. So the
page costs the same number of queries for 5 dealerships or 2,000.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from dealers.models import Dealership, Membership, User
from dealers.scoping import scoped
from maturity.measurements.leads.alerts import MeasuredAlert, measured_alerts
from maturity.models import (
    Answer,
    Assessment,
    Campaign,
    ReminderLog,
    RoadmapActionStatus,
)
from maturity.portfolio.selectors import (
    CACHE_SECONDS,
    PortfolioAlerts,
    portfolio_alerts,
    stalled_cutoff,
)

TODO_KINDS = ("review", "actions", "stalled", "campaigns", "never", "alerts")


class Fact(NamedTuple):
    """One dealership of the portfolio, as the to-do list needs it."""

    pk: int
    name: str
    city: str
    submitted_at: datetime | None  # the latest submission
    reviewed_at: datetime | None  # its review's publication
    assessment_id: int | None  # the latest submitted assessment
    draft_id: int | None
    draft_touched_at: datetime | None
    reminded_at: datetime | None  # the draft's last reminder
    overdue: int  # roadmap actions past due, not done
    oldest_due: date | None
    has_contact: bool
    stale_move: datetime | None  # the last roadmap move when older than ALERT_STALLED_DAYS
    has_moves: bool


class TodoItem(NamedTuple):
    kind: str
    dealership_id: int | None
    name: str
    city: str
    since: datetime | date | None
    count: int = 0  # overdue actions; dealerships still to submit (campaigns)
    object_id: int | None = None  # the assessment, draft or campaign it is about
    reminded_at: datetime | None = None
    has_contact: bool = True


@dataclass(frozen=True, slots=True)
class PortfolioTodo:
    review: list[TodoItem]
    actions: list[TodoItem]
    stalled: list[TodoItem]
    never: list[TodoItem]
    campaigns: list[TodoItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.review) + len(self.actions) + len(self.stalled) + len(self.never)

    @property
    def overdue_ids(self) -> set[int]:
        return {item.dealership_id for item in self.actions if item.dealership_id}


@dataclass(frozen=True, slots=True)
class Attention:
    alerts: PortfolioAlerts
    todo: PortfolioTodo
    measured: list[MeasuredAlert] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.todo.total + len(self.todo.campaigns) + self.alerts.total + len(self.measured)

    def ids(self) -> dict[str, set[int]]:
        """Dealership ids per table ``alert`` filter (the alerts and overdue actions)."""
        return {**self.alerts.ids(), "actions": self.todo.overdue_ids}


def _facts(user: User, now: datetime) -> list[Fact]:
    """One row per dealership in scope (one query)."""
    today = timezone.localdate(now)
    draft = Assessment.objects.filter(dealership=OuterRef("pk")).drafts()
    overdue = (
        RoadmapActionStatus.objects.filter(dealership=OuterRef("pk"), due_date__lt=today)
        .exclude(status=RoadmapActionStatus.Status.DONE)
        .order_by()
        .values("dealership")
    )
    moves = (
        RoadmapActionStatus.objects.filter(dealership=OuterRef("pk"))
        .order_by()
        .values("dealership")
    )
    stalled_before = stalled_cutoff(now)
    rows = (
        scoped(Dealership.objects.all(), user)
        .annotate(
            # The latest submission, from the standing (``maturity.standing``).
            submitted_at=F("standing__latest_submitted_at"),
            reviewed_at=F("standing__latest_reviewed_at"),
            assessment_id=F("standing__latest_assessment_id"),
            draft_id=Subquery(draft.values("pk")[:1]),
            draft_updated_at=Subquery(draft.values("updated_at")[:1]),
            draft_answered_at=Subquery(
                Answer.objects.filter(
                    assessment__dealership=OuterRef("pk"), assessment__status="draft"
                )
                .order_by("-updated_at")
                .values("updated_at")[:1]
            ),
            reminded_at=Subquery(
                ReminderLog.objects.filter(
                    assessment__dealership=OuterRef("pk"), assessment__status="draft"
                )
                .order_by("-sent_at")
                .values("sent_at")[:1]
            ),
            overdue=Subquery(
                overdue.annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            oldest_due=Subquery(overdue.annotate(first=Min("due_date")).values("first")),
            has_contact=Exists(
                Membership.objects.filter(dealership=OuterRef("pk"), user__is_active=True)
            ),
            last_move=Subquery(moves.annotate(last=Max("updated_at")).values("last")),
        )
        .order_by()
        .values_list(
            "pk",
            "name",
            "city",
            "submitted_at",
            "reviewed_at",
            "assessment_id",
            "draft_id",
            "draft_updated_at",
            "draft_answered_at",
            "reminded_at",
            "overdue",
            "oldest_due",
            "has_contact",
            "last_move",
        )
    )
    facts = []
    for (
        pk,
        name,
        city,
        submitted_at,
        reviewed_at,
        assessment_id,
        draft_id,
        draft_updated_at,
        draft_answered_at,
        reminded_at,
        overdue_count,
        oldest_due,
        has_contact,
        last_move,
    ) in rows:
        touched = max((m for m in (draft_updated_at, draft_answered_at) if m), default=None)
        facts.append(
            Fact(
                pk,
                name,
                city,
                submitted_at,
                reviewed_at,
                assessment_id,
                draft_id,
                touched,
                reminded_at,
                overdue_count or 0,
                oldest_due,
                bool(has_contact),
                last_move if last_move and last_move < stalled_before else None,
                last_move is not None,
            )
        )
    return facts


def _todo(facts: list[Fact], now: datetime) -> PortfolioTodo:
    stalled_before = now - timezone.timedelta(days=settings.DRAFT_STALLED_DAYS)
    review, actions, stalled, never = [], [], [], []
    for f in facts:
        if f.submitted_at is not None and f.reviewed_at is None:
            review.append(
                TodoItem("review", f.pk, f.name, f.city, f.submitted_at, 0, f.assessment_id)
            )
        if f.overdue:
            actions.append(TodoItem("actions", f.pk, f.name, f.city, f.oldest_due, f.overdue))
        if f.draft_id is not None and f.draft_touched_at and f.draft_touched_at < stalled_before:
            stalled.append(
                TodoItem(
                    "stalled",
                    f.pk,
                    f.name,
                    f.city,
                    f.draft_touched_at,
                    0,
                    f.draft_id,
                    f.reminded_at,
                    f.has_contact,
                )
            )
        if f.submitted_at is None and f.draft_id is None:
            never.append(TodoItem("never", f.pk, f.name, f.city, None, has_contact=f.has_contact))

    def oldest(item: TodoItem):
        return (item.since is None, item.since or now, item.name)

    review.sort(key=oldest)
    actions.sort(key=lambda i: (i.since, -i.count, i.name))
    stalled.sort(key=oldest)
    never.sort(key=lambda i: (i.has_contact, i.name))  # nobody to ask first: invite them
    return PortfolioTodo(review=review, actions=actions, stalled=stalled, never=never)


def portfolio_attention(*, user: User, now: datetime | None = None) -> Attention:
    """The to-do list and the alerts of ``user``'s whole portfolio (three queries; the
    campaigns are added by :func:`portfolio_attention_cached`)."""
    now = now or timezone.now()
    facts = _facts(user, now)
    stale = {f.pk: f.stale_move for f in facts if f.has_moves}
    alerts = portfolio_alerts(user=user, now=now, stale_moves=stale)
    measured = measured_alerts(dealerships=scoped(Dealership.objects.all(), user), now=now)
    return Attention(alerts=alerts, todo=_todo(facts, now), measured=measured)


def _campaigns(user: User, now: datetime) -> list[TodoItem]:
    """The user's open campaigns due soon or overdue with dealerships still to submit."""
    today = timezone.localdate(now)
    soon = today + timezone.timedelta(days=settings.CAMPAIGN_DUE_SOON_DAYS)
    rows = (
        Campaign.objects.filter(created_by=user, closed_at__isnull=True, due_date__lte=soon)
        .annotate(pending=Count("participants", filter=Q(participants__assessment__status="draft")))
        .filter(pending__gt=0)
        .order_by("due_date", "pk")
    )
    return [TodoItem("campaigns", None, c.title, "", c.due_date, c.pending, c.pk) for c in rows]


# The attention of a national network is large (20,000 dealerships): unpickling it from
# the shared cache cost more than the rest of the page. Each process also keeps the last
# few it read, served while the shared cache still holds the same key (checked without
# reading the value), so expiry and ``cache.clear()`` keep their meaning.
_READ: OrderedDict[str, Attention] = OrderedDict()
_READ_SIZE = 8
_READ_LOCK = threading.Lock()


def _read_cached(key: str) -> Attention | None:
    with _READ_LOCK:
        attention = _READ.get(key)
    if attention is not None and cache.has_key(key):
        return attention
    attention = cache.get(key)
    if attention is not None:
        _remember(key, attention)
    return attention


def _remember(key: str, attention: Attention) -> None:
    with _READ_LOCK:
        _READ[key] = attention
        _READ.move_to_end(key)
        while len(_READ) > _READ_SIZE:
            _READ.popitem(last=False)


def portfolio_attention_cached(*, user: User, version: str) -> Attention:
    """:func:`portfolio_attention` kept for ``CACHE_SECONDS`` under the data ``version``,
    with the campaigns (fresh: one query)."""
    key = f"portfolio:attention:{user.pk}:{user.reassessment_cadence_months}:{version}"
    attention = _read_cached(key)
    if attention is None:
        attention = portfolio_attention(user=user)
        cache.set(key, attention, CACHE_SECONDS)
        _remember(key, attention)
    todo = attention.todo
    now = timezone.now()
    campaigns = _campaigns(user, now)
    return Attention(
        alerts=attention.alerts,
        measured=attention.measured,
        todo=PortfolioTodo(
            review=todo.review,
            actions=todo.actions,
            stalled=todo.stalled,
            never=todo.never,
            campaigns=campaigns,
        ),
    )
