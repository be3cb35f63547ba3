"""Reads for the consultant portfolio: the table, its facets and its alerts.

Everything starts from ``scoped(Dealership.objects.all(), user)``: a consultant only ever
sees their assigned dealerships, staff see all. The table is one annotated queryset: each
column that comes from an assessment is read from the dealership's standing
(``DealershipStanding``: its latest and previous results, one row per dealership kept up
to date by ``maturity.standing``), so a page costs the same number of queries, and sorts
on indexed columns, whether the portfolio holds 5 or 20,000 dealerships
(tests/maturity/test_portfolio_queries.py). A page is read in two steps (ids, then
columns for those ids: ``portfolio_page``); the alerts compare each dealership's two
latest results in one query (``portfolio_alerts``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from dealers.models import (
    Brand,
    DealerGroup,
    Dealership,
    Invitation,
    Membership,
    Region,
    User,
)
from dealers.scoping import scoped
from maturity.engine.scoring import display, whole_change
from maturity.measured.alerts import website_signals
from maturity.models import (
    Answer,
    Assessment,
    DealershipStanding,
    LeadTest,
    Measurement,
    ReminderLog,
    Report,
    ReviewImport,
    RoadmapActionStatus,
)
from maturity.questionnaire.files import current_area_keys
from maturity.results.benchmarks import (
    Benchmark,
    area_score_columns,
    benchmark_of,
    group_benchmark,
)

PAGE_SIZE = 50
# The thresholds of the "up / down" change and of the alerts are settings
# (``PORTFOLIO_CHANGE_POINTS``, ``ALERT_AREA_DROP_POINTS``, ``ALERT_STALLED_DAYS``).

Status = Literal["none", "draft", "submitted", "reviewed"]
AlertKind = Literal["stalled", "overdue", "dropped", "actions", "measured"]
ALERT_KINDS: tuple[AlertKind, ...] = ("dropped", "overdue", "stalled", "measured")

# Sort keys of the table's columns (the GET ``sort`` value, "-" in front for descending).
SORT_KEYS = (
    "name",
    "city",
    "brands",
    "rung",
    "score",
    "change",
    "submitted",
    "draft",
    "report",
)
# Sorts of their own (no column): what needs the consultant first, the weakest first.
ORDER_KEYS = ("attention", "weakest")


@dataclass(frozen=True, slots=True)
class PortfolioFilters:
    """What the GET form asked for; empty values mean "no filter"."""

    search: str = ""
    rung: str = ""  # "1".."5", or "none" for never assessed
    region: str = ""
    brand: int | None = None
    group: int | None = None
    status: Status | Literal[""] = ""
    alert: AlertKind | Literal[""] = ""
    sort: str = "name"

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")


# --- the annotated table -------------------------------------------------------------------


def _standing(field: str) -> F:
    return F(f"standing__{field}")


def _annotated(queryset: QuerySet[Dealership]) -> QuerySet[Dealership]:
    """The columns filters and sorting need, from each dealership's standing (its latest
    submission, kept by ``maturity.standing``): one join, and indexed sorts."""
    return queryset.annotate(
        latest_rung=_standing("latest_rung"),
        latest_score=_standing("latest_score"),
        latest_submitted_at=_standing("latest_submitted_at"),
        latest_reviewed_at=_standing("latest_reviewed_at"),
        # No standing row: nothing was ever started.
        has_draft=Coalesce(_standing("has_draft"), Value(False)),
    )


def _filtered(
    queryset: QuerySet[Dealership],
    filters: PortfolioFilters,
    *,
    alert_ids: Mapping[str, Collection[int]] | None,
    skip_rung: bool = False,
) -> QuerySet[Dealership]:
    if filters.search:
        queryset = queryset.filter(
            Q(name__icontains=filters.search) | Q(city__icontains=filters.search)
        )
    if filters.region:
        queryset = queryset.filter(region=filters.region)
    if filters.brand:
        # A subquery, not a join: a join on the M2M would repeat multi-brand dealerships.
        queryset = queryset.filter(
            pk__in=Dealership.brands.through.objects.filter(brand_id=filters.brand).values(
                "dealership_id"
            )
        )
    if filters.group:
        queryset = queryset.filter(group_id=filters.group)
    if filters.rung and not skip_rung:
        if filters.rung == "none":
            queryset = queryset.filter(latest_rung__isnull=True)
        else:
            queryset = queryset.filter(latest_rung=int(filters.rung))
    if filters.status == "none":
        queryset = queryset.exclude(Exists(Assessment.objects.filter(dealership=OuterRef("pk"))))
    elif filters.status == "draft":
        queryset = queryset.filter(has_draft=True)
    elif filters.status == "submitted":
        queryset = queryset.filter(
            latest_submitted_at__isnull=False, latest_reviewed_at__isnull=True
        )
    elif filters.status == "reviewed":
        queryset = queryset.filter(latest_reviewed_at__isnull=False)
    if filters.alert and alert_ids is not None:
        queryset = queryset.filter(pk__in=list(alert_ids.get(filters.alert, ())))
    return queryset


def _report_status() -> Subquery:
    """The newest PDF report's status for the latest submitted assessment (an index
    lookup on the standing's assessment id)."""
    return Subquery(
        Report.objects.filter(assessment_id=OuterRef("standing__latest_assessment_id"))
        .order_by("-created_at", "-pk")
        .values("status")[:1]
    )


def _attention(alert_ids: Mapping[str, Collection[int]] | None) -> Case:
    """How much a row needs the consultant now (higher first): awaiting review, overdue
    actions, a stalled draft, an alert, never assessed; then nothing."""
    today = timezone.localdate()
    stalled_before = timezone.now() - timezone.timedelta(days=settings.DRAFT_STALLED_DAYS)
    draft = Assessment.objects.filter(dealership=OuterRef("pk"), status=Assessment.Status.DRAFT)
    stalled = Exists(
        draft.filter(updated_at__lt=stalled_before).exclude(
            Exists(Answer.objects.filter(assessment=OuterRef("pk"), updated_at__gte=stalled_before))
        )
    )
    overdue = Exists(
        RoadmapActionStatus.objects.filter(dealership=OuterRef("pk"), due_date__lt=today).exclude(
            status=RoadmapActionStatus.Status.DONE
        )
    )
    alerted = set().union(*(alert_ids or {}).values()) if alert_ids else set()
    return Case(
        When(Q(latest_submitted_at__isnull=False, latest_reviewed_at__isnull=True), then=Value(5)),
        When(overdue, then=Value(4)),
        When(stalled, then=Value(3)),
        When(pk__in=sorted(alerted), then=Value(2)),
        When(Q(latest_submitted_at__isnull=True, has_draft=False), then=Value(1)),
        default=Value(0),
    )


def _sorted(
    queryset: QuerySet[Dealership],
    filters: PortfolioFilters,
    alert_ids: Mapping[str, Collection[int]] | None = None,
) -> QuerySet[Dealership]:
    key, desc = filters.sort_key, filters.descending
    if key == "attention":
        queryset = queryset.alias(sort_key=_attention(alert_ids))
        return queryset.order_by(
            F("sort_key").desc(), F("latest_submitted_at").asc(nulls_last=True), Lower("name")
        )
    if key == "weakest":
        return queryset.order_by(
            F("latest_score").asc(nulls_last=True), Lower("name").asc(), F("pk").asc()
        )
    if key not in SORT_KEYS:
        key, desc = "name", False
    previous_score = _standing("previous_score")
    previous_rung = _standing("previous_rung")
    expressions = {
        "name": Lower("name"),
        "city": Lower("city"),
        "brands": Subquery(
            Brand.objects.filter(dealership=OuterRef("pk")).order_by("name").values("name")[:1]
        ),
        "rung": F("latest_rung"),
        "score": F("latest_score"),
        # The rung change dominates; the score change breaks ties (x1000 keeps the order).
        # NULL (no previous submission) propagates: those rows sort last.
        "change": ExpressionWrapper(
            (F("latest_rung") - previous_rung) * 1000 + (F("latest_score") - previous_score),
            output_field=FloatField(),
        ),
        "submitted": F("latest_submitted_at"),
        "draft": F("has_draft"),
        "report": _report_status(),
    }
    # ``alias``: the sort key is computed for ORDER BY only, never selected.
    queryset = queryset.alias(sort_key=expressions[key])
    # Empty values (never assessed, no report) always go last, whatever the direction.
    ordered = F("sort_key").desc(nulls_last=True) if desc else F("sort_key").asc(nulls_last=True)
    return queryset.order_by(ordered, Lower("name").asc(), F("pk").asc())


def _with_columns(queryset: QuerySet[Dealership]) -> QuerySet[Dealership]:
    """Add what the table shows beyond the filter columns."""
    return (
        queryset.annotate(
            latest_assessment_id=_standing("latest_assessment_id"),
            latest_area_scores=_standing("latest_area_scores"),
            previous_rung=_standing("previous_rung"),
            previous_score=_standing("previous_score"),
            report_status=_report_status(),
        )
        .select_related("group")
        .prefetch_related("brands")
    )


def _ordered_ids(
    *,
    user: User,
    filters: PortfolioFilters,
    alert_ids: Mapping[str, Collection[int]] | None,
) -> QuerySet[Dealership]:
    queryset = _filtered(
        _annotated(scoped(Dealership.objects.all(), user)), filters, alert_ids=alert_ids
    )
    return _sorted(queryset, filters, alert_ids)


def portfolio_dealerships(
    *,
    user: User,
    filters: PortfolioFilters,
    alert_ids: Mapping[str, Collection[int]] | None = None,
) -> QuerySet[Dealership]:
    """The portfolio table, every row: every column, filtered and sorted (the CSV export).

    Each row carries ``latest_rung``, ``latest_score``, ``latest_area_scores``,
    ``latest_submitted_at``, ``latest_reviewed_at``, ``latest_assessment_id``,
    ``previous_rung``, ``previous_score``, ``has_draft``, ``report_status`` and the
    prefetched ``brands``; ``change`` (up/down/same/None) is computed by ``row_change``.
    ``alert_ids`` (from ``portfolio_alerts``) serves the ``alert`` filter.
    """
    return _with_columns(_ordered_ids(user=user, filters=filters, alert_ids=alert_ids))


def portfolio_page(
    *,
    user: User,
    filters: PortfolioFilters,
    number: str | int | None,
    alert_ids: Mapping[str, Collection[int]] | None = None,
    per_page: int = PAGE_SIZE,
) -> Page:
    """One page of ``portfolio_dealerships`` in four queries, whatever the portfolio size.

    Two steps: the ids of the page (filters and the sort key only), then every column for
    those ids. Computing the columns in the first query would make PostgreSQL evaluate
    them for every row an OFFSET skips: page 20 would cost twenty pages.
    """
    ids = _ordered_ids(user=user, filters=filters, alert_ids=alert_ids).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    rows = _with_columns(_annotated(scoped(Dealership.objects.filter(pk__in=wanted), user)))
    by_id = {row.pk: row for row in rows}
    page.object_list = [by_id[pk] for pk in wanted if pk in by_id]
    return page


def row_change(row: Dealership) -> tuple[Literal["up", "down", "same"] | None, float | None]:
    """``(direction, score points)`` since the previous submitted assessment of a table row."""
    if row.previous_score is None or row.latest_score is None:
        return None, None
    delta = display(row.latest_score - row.previous_score)
    if row.latest_rung != row.previous_rung:
        return ("up" if row.latest_rung > row.previous_rung else "down"), delta
    # The direction follows the whole numbers the page shows (never "▲ +0").
    shown = whole_change(row.previous_score, row.latest_score)
    if shown >= settings.PORTFOLIO_CHANGE_POINTS:
        return "up", delta
    if shown <= -settings.PORTFOLIO_CHANGE_POINTS:
        return "down", delta
    return "same", delta


def portfolio_rung_distribution(
    *,
    user: User,
    filters: PortfolioFilters,
    alert_ids: Mapping[str, Collection[int]] | None = None,
    version: str | None = None,
) -> dict[int | None, int]:
    """``{rung or None: dealerships}`` under every filter but the rung one (a facet).

    Ignoring the rung filter keeps the bars meaningful once a rung is chosen: clicking a
    bar narrows the table instead of collapsing the chart to one bar.

    With the data ``version`` (``portfolio_data_version``) the counts are kept for
    ``CACHE_SECONDS`` under it: they read the latest result of every dealership in scope,
    the page's most expensive query on a national network (about a second for 20,000).
    """
    key = None
    if version is not None:
        # Everything the counts depend on but the sort and the rung filter; the alert ids
        # follow from the version and the user's cadence.
        asked = replace(filters, sort="", rung="")
        digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:16]
        key = f"portfolio:rungs:{user.pk}:{user.reassessment_cadence_months}:{digest}:{version}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    queryset = _filtered(
        _annotated(scoped(Dealership.objects.all(), user)),
        filters,
        alert_ids=alert_ids,
        skip_rung=True,
    )
    rows = queryset.order_by().values("latest_rung").annotate(count=Count("pk"))
    counts = {row["latest_rung"]: row["count"] for row in rows}
    if key is not None:
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def portfolio_filter_choices(
    *, user: User, version: str | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Brands and groups present in the user's portfolio, for the filter form (one query:
    the two lists as one UNION). With the data ``version`` they are kept for
    ``CACHE_SECONDS`` under it (a dealership's new brand may show that much later)."""
    key = f"portfolio:choices:{user.pk}:{version}"
    if version is not None and (cached := cache.get(key)) is not None:
        return cached
    in_scope = scoped(Dealership.objects.all(), user).values("pk")
    brands = (
        Brand.objects.filter(dealership__in=in_scope)
        .order_by()
        .annotate(kind=Value("brand", output_field=CharField()))
        .values_list("kind", "pk", "name")
    )
    groups = (
        DealerGroup.objects.filter(dealerships__in=in_scope)
        .order_by()
        .annotate(kind=Value("group", output_field=CharField()))
        .values_list("kind", "pk", "name")
    )
    found: dict[str, list[tuple[str, str]]] = {"brand": [], "group": []}
    for kind, pk, name in sorted(brands.union(groups), key=lambda row: (row[2], row[1])):
        found[kind].append((str(pk), name))
    if version is not None:
        cache.set(key, found, CACHE_SECONDS)
    return found


# --- alerts ---------------------------------------------------------------------------------


class Alert(NamedTuple):
    # A named tuple rather than a dataclass: a large portfolio builds thousands of them.
    kind: AlertKind
    dealership_id: int
    dealership_name: str
    city: str
    since: datetime | None  # the submission, or the last roadmap move, the alert dates from
    # "dropped": rung_before/rung_after, or area/before/after (the largest fall) and areas
    # (how many areas fell).
    detail: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class PortfolioAlerts:
    dropped: list[Alert]
    overdue: list[Alert]
    stalled: list[Alert]
    cadence_months: int
    # Measured signals (website unreachable, stock pages gone...): ``detail["signal"]``.
    measured: list[Alert] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.dropped) + len(self.overdue) + len(self.stalled) + len(self.measured)

    def ids(self) -> dict[str, set[int]]:
        """Dealership ids per alert kind, for the table's ``alert`` filter."""
        return {kind: {a.dealership_id for a in getattr(self, kind)} for kind in ALERT_KINDS}


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months (31 March - 1 month = 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    days_in_month = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month[month - 1]))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _dropped(
    keys: Sequence[str],
    latest: tuple[int, Sequence[float | None]],
    previous: tuple[int, Sequence[float | None]],
) -> dict[str, object] | None:
    """What fell between two ``(rung, area scores in ``keys`` order)``, or ``None``."""
    (rung, after), (rung_before, before) = latest, previous
    if rung < rung_before:
        return {"rung_before": rung_before, "rung_after": rung}
    drop = settings.ALERT_AREA_DROP_POINTS
    worst, worst_index, count = 0.0, -1, 0
    for index, (now, then) in enumerate(zip(after, before, strict=True)):
        if now is not None and then is not None and then - now >= drop:
            count += 1
            if then - now > worst:
                worst, worst_index = then - now, index
    if not count:
        return None
    return {
        "area": keys[worst_index],
        "before": round(before[worst_index]),
        "after": round(after[worst_index]),
        "areas": count,
    }


def stalled_cutoff(now: datetime) -> datetime:
    return now - timezone.timedelta(days=settings.ALERT_STALLED_DAYS)


def stale_move(field: str, now: datetime) -> Case:
    """The last roadmap move (the annotation ``field``) when it is old, else NULL (it moved
    recently): a recent move's date is never needed, and making datetimes costs time."""
    return Case(When(**{f"{field}__lt": stalled_cutoff(now)}, then=F(field)), default=None)


def portfolio_alerts(
    *,
    user: User,
    now: datetime | None = None,
    stale_moves: Mapping[int, datetime | None] | None = None,
) -> PortfolioAlerts:
    """What needs the consultant's attention in their whole portfolio (2 queries; one when
    ``stale_moves`` is given: ``{dealership id: its last roadmap move when older than
    ALERT_STALLED_DAYS, else None}`` for the dealerships with roadmap statuses, as
    ``portfolio.attention`` reads it with the rest of its facts).

    - **dropped**: the latest submission fell a rung, or an area lost ``ALERT_AREA_DROP_POINTS``
      or more, against the previous submission;
    - **overdue**: the latest submission is older than the user's re-assessment cadence;
    - **stalled**: a roadmap was handed over (a submission) but no roadmap action moved for
      ``ALERT_STALLED_DAYS`` days since the later of the submission and the last move.
    """
    now = now or timezone.now()
    in_scope = scoped(Dealership.objects.all(), user)
    keys = current_area_keys()
    # The latest two results of every dealership, from its standing (one row each).
    after = area_score_columns(keys, field="standing__latest_area_scores", prefix="after_")
    before = area_score_columns(keys, field="standing__previous_area_scores", prefix="before_")
    rows = (
        in_scope.filter(standing__latest_rung__isnull=False)
        .order_by()
        .annotate(**after, **before)
        .values_list(
            "pk",
            "standing__latest_submitted_at",
            "standing__latest_rung",
            "standing__previous_rung",
            "name",
            "city",
            *after,
            *before,
        )
    )
    # pk -> (submitted_at, rung, name, city, scores); previous: pk -> (rung, scores).
    latest: dict[int, tuple] = {}
    previous: dict[int, tuple] = {}
    width = len(keys)
    for pk, submitted_at, rung, rung_before, name, city, *scores in rows:
        latest[pk] = (submitted_at, rung, name, city, scores[:width])
        if rung_before is not None:
            previous[pk] = (rung_before, scores[width:])

    cutoff = months_before(now, user.reassessment_cadence_months)
    dropped, overdue = [], []
    for pk, (submitted_at, rung, name, city, scores) in latest.items():
        if pk in previous and (detail := _dropped(keys, (rung, scores), previous[pk])):
            dropped.append(Alert("dropped", pk, name, city, submitted_at, detail))
        if submitted_at < cutoff:
            overdue.append(Alert("overdue", pk, name, city, submitted_at, {}))

    stalled_before = stalled_cutoff(now)
    last_moves = stale_moves
    if last_moves is None:
        last_moves = dict(
            RoadmapActionStatus.objects.filter(dealership__in=in_scope.values("pk"))
            .values("dealership_id")
            .annotate(last=Max("updated_at"))
            .annotate(stale=stale_move("last", now))
            .values_list("dealership_id", "stale")
        )
    stalled = []
    for pk, (submitted_at, _rung, name, city, _scores) in latest.items():
        if pk in last_moves and last_moves[pk] is None:
            continue  # an action moved within ALERT_STALLED_DAYS
        moved = last_moves.get(pk)
        since = max(submitted_at, moved) if moved else submitted_at
        if since < stalled_before:
            stalled.append(Alert("stalled", pk, name, city, since, {}))

    dropped.sort(key=lambda a: (a.since, a.dealership_id), reverse=True)
    overdue.sort(key=lambda a: (a.since, a.dealership_id))
    stalled.sort(key=lambda a: (a.since, a.dealership_id))
    # Measured signals: each measurement feature gives its own (one query each).
    measured = [
        Alert(
            "measured",
            s.dealership_id,
            s.dealership_name,
            s.city,
            s.since,
            {"signal": s.signal, **s.detail},
        )
        for s in website_signals(dealerships=in_scope, now=now)
    ]
    return PortfolioAlerts(
        dropped=dropped,
        overdue=overdue,
        stalled=stalled,
        cadence_months=user.reassessment_cadence_months,
        measured=measured,
    )


__all__ = [
    "ALERT_KINDS",
    "ORDER_KEYS",
    "PAGE_SIZE",
    "SORT_KEYS",
    "Alert",
    "PortfolioAlerts",
    "PortfolioFilters",
    "months_before",
    "portfolio_alerts",
    "portfolio_data_version",
    "portfolio_dealerships",
    "portfolio_filter_choices",
    "portfolio_page",
    "portfolio_reference_benchmark",
    "portfolio_rung_distribution",
    "row_change",
]


# --- cached reads -----------------------------------------------------------------------------

# How long a cached digest may lag behind changes the version does not see (a dealership
# renamed, results recomputed in place). Everything else changes the version at once.
CACHE_SECONDS = 300


def _scalar(queryset: QuerySet, aggregate) -> Subquery:
    """``(SELECT <aggregate> FROM <queryset>)`` as an expression."""
    return Subquery(
        queryset.order_by().annotate(_all=Value(1)).values("_all").annotate(v=aggregate).values("v")
    )


def portfolio_data_version(*, user: User) -> str:
    """A token that changes whenever the alerts or the peer aggregates could (1 query).

    New, deleted or recomputed results, any roadmap move or plan, a new, submitted or
    deleted draft, a published or withdrawn review, a reminder, an invitation, a new
    contact, and a change of the user's scope (a dealership assigned or withdrawn) all
    change it; so does the day (alerts age). An answer saved in a draft does not: a draft
    touched again leaves the "stalled" list of the to-do within ``CACHE_SECONDS``.
    """
    in_scope = scoped(Dealership.objects.all(), user)
    row = (
        User.objects.filter(pk=user.pk)
        .values(
            # Results, submissions, drafts started or deleted and reviews published or
            # withdrawn, including deletions: each refreshes a dealership's standing
            # (an index lookup, where counting the results scanned them all).
            standings=_scalar(DealershipStanding.objects.all(), Max("refreshed_at")),
            moves=_scalar(RoadmapActionStatus.objects.all(), Count("pk")),
            last_move=_scalar(RoadmapActionStatus.objects.all(), Max("updated_at")),
            # The to-do list: drafts touched, reminders, invitations, contacts.
            last_assessment=_scalar(Assessment.objects.all(), Max("updated_at")),
            reminders=_scalar(ReminderLog.objects.all(), Count("pk")),
            invitations=_scalar(Invitation.objects.all(), Max("pk")),
            people=_scalar(Membership.objects.all(), Count("pk")),
            # The measured alerts: lead-response tests and reviews imports.
            lead_tests=_scalar(LeadTest.objects.all(), Count("pk")),
            last_lead_test=_scalar(LeadTest.objects.all(), Max("updated_at")),
            review_imports=_scalar(ReviewImport.objects.all(), Max("pk")),
            scope=_scalar(in_scope, Count("pk")),
            scope_ids=_scalar(in_scope, Sum("pk")),
            # Measured signals: a finished website check.
            last_measurement=_scalar(Measurement.objects.all(), Max("finished_at")),
        )
        .get()
    )
    values = [timezone.localdate().isoformat()] + [str(row[key]) for key in sorted(row)]
    return hashlib.sha256(":".join(values).encode()).hexdigest()[:32]


_NOTHING = "none"  # a cached "not enough results": None cannot be told from a cache miss


def portfolio_reference_benchmark(
    *, filters: PortfolioFilters, brand_name: str, version: str
) -> Benchmark | None:
    """The heat map's reference row: all dealerships, or the filtered brand or region.

    Taken over every dealership (not the user's scope), aggregates only, and only with
    ``PEER_MIN_OTHERS`` results or more: the peer rule of ``maturity.results.benchmarks``.
    The label is the brand or region name, or "" for the whole network. Cached under the
    data version.
    """
    key = f"portfolio:reference:{filters.region}:{filters.brand}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return None if cached == _NOTHING else cached
    dealerships = Dealership.objects.all()
    group_by, group, label = "all", "", ""
    if filters.brand:
        dealerships = dealerships.filter(brands=filters.brand)
        group_by, group, label = "brand", str(filters.brand), brand_name
    elif filters.region:
        dealerships = dealerships.filter(region=filters.region)
        group_by, group = "region", filters.region
        label = dict(Region.choices).get(filters.region, "")
    # Precomputed (maturity.peers): a single brand is a brand group of its own.
    benchmark = group_benchmark(
        group_by=group_by,
        key=group,
        label=label,
        live=lambda: benchmark_of(dealerships=dealerships, group_by="all", label=label),
    )
    cache.set(key, benchmark if benchmark is not None else _NOTHING, CACHE_SECONDS)
    return benchmark
