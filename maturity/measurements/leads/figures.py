"""A dealership's lead-response figures from its tests (pure: plain data in and out).

- **share answered**: answered tests out of the closed ones (answered, or unanswered once
  the grid's delay has passed); a test still within the delay counts in neither;
- **time to the first human reply**: median and worst per channel, over the answered
  tests; a channel with an unanswered test has "no reply" as its worst;
- **quality**: the mean grid score of the answered tests (an unanswered test already
  counts against the share answered);
- **history**: the same figures per quarter (or month) of sending, oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Literal

from maturity.measurements.leads.grid import LeadGrid


@dataclass(frozen=True, slots=True)
class EnquiryFacts:
    channel: str
    sent_at: datetime
    replied_at: datetime | None
    grid_items: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    channel: str
    tests: int
    answered: int
    unanswered: int
    waiting: int
    median_reply: timedelta | None
    worst_reply: timedelta | None  # the slowest reply (None: no reply yet)
    worst_is_no_reply: bool  # an unanswered test: the worst is no reply at all


@dataclass(frozen=True, slots=True)
class LeadFigures:
    tests: int
    answered: int
    unanswered: int
    waiting: int
    quality: float | None  # 0..100
    median_reply: timedelta | None
    channels: tuple[ChannelFigures, ...]

    @property
    def closed(self) -> int:
        return self.answered + self.unanswered

    @property
    def answered_share(self) -> float | None:
        """Answered out of the closed tests, 0..1 (None: none closed yet)."""
        return self.answered / self.closed if self.closed else None


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    period: str  # "2026-Q1" or "2026-03"
    figures: LeadFigures


def _median(values: list[timedelta]) -> timedelta | None:
    return median(values) if values else None


def lead_figures(tests: Iterable[EnquiryFacts], *, grid: LeadGrid, now: datetime) -> LeadFigures:
    tests = list(tests)
    by_channel: dict[str, list[EnquiryFacts]] = {}
    for test in tests:
        by_channel.setdefault(test.channel, []).append(test)
    channels = []
    delays: list[timedelta] = []
    scores: list[int] = []
    totals = {"answered": 0, "unanswered": 0, "waiting": 0}
    for channel, group in by_channel.items():
        counts = {"answered": 0, "unanswered": 0, "waiting": 0}
        replies: list[timedelta] = []
        for test in group:
            state = grid.state(sent_at=test.sent_at, replied_at=test.replied_at, now=now)
            counts[state] += 1
            if test.replied_at is not None:
                replies.append(test.replied_at - test.sent_at)
                scores.append(grid.score(test.grid_items))
        delays.extend(replies)
        for state, n in counts.items():
            totals[state] += n
        channels.append(
            ChannelFigures(
                channel=channel,
                tests=len(group),
                median_reply=_median(replies),
                worst_reply=max(replies) if replies else None,
                worst_is_no_reply=counts["unanswered"] > 0,
                **counts,
            )
        )
    channels.sort(key=lambda c: (-c.tests, c.channel))
    return LeadFigures(
        tests=len(tests),
        quality=sum(scores) / len(scores) if scores else None,
        median_reply=_median(delays),
        channels=tuple(channels),
        **totals,
    )


def period_of(moment: datetime, kind: Literal["quarter", "month"] = "quarter") -> str:
    if kind == "month":
        return f"{moment.year}-{moment.month:02}"
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def lead_history(
    tests: Iterable[EnquiryFacts],
    *,
    grid: LeadGrid,
    now: datetime,
    kind: Literal["quarter", "month"] = "quarter",
) -> list[PeriodFigures]:
    """The figures per period of sending, oldest first (periods without tests are left out)."""
    periods: dict[str, list[EnquiryFacts]] = {}
    for test in tests:
        periods.setdefault(period_of(test.sent_at, kind), []).append(test)
    return [
        PeriodFigures(period=period, figures=lead_figures(group, grid=grid, now=now))
        for period, group in sorted(periods.items())
    ]


@dataclass(frozen=True, slots=True)
class ResponseTime:
    """The median time to the first human reply, in hours, over ``count`` closed tests."""

    hours: float
    count: int
    closed_on: datetime  # when the newest of those tests closed (replied, or delay passed)


def response_time(
    tests: Iterable[EnquiryFacts], *, grid: LeadGrid, now: datetime
) -> ResponseTime | None:
    """What the questionnaire's ``leads.response_time`` measures (``None``: no closed test).

    An unanswered test counts as a reply at the grid's no-reply delay: all that is known of
    it is that nobody had replied by then, which is already slower than any answer a
    questionnaire band rewards.
    """
    hours: list[float] = []
    closed: list[datetime] = []
    for test in tests:
        state = grid.state(sent_at=test.sent_at, replied_at=test.replied_at, now=now)
        if state == "waiting":
            continue
        if test.replied_at is not None:
            delay, closed_at = test.replied_at - test.sent_at, test.replied_at
        else:
            delay, closed_at = grid.no_reply_after, test.sent_at + grid.no_reply_after
        hours.append(delay.total_seconds() / 3600)
        closed.append(closed_at)
    if not hours:
        return None
    return ResponseTime(hours=round(median(hours), 2), count=len(hours), closed_on=max(closed))
