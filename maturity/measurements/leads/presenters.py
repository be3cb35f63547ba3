"""What the lead-test page shows, in the active language (no query, no request)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maturity.measurements.leads.alerts import MEASURED_KINDS, MeasuredAlert
from maturity.measurements.leads.figures import LeadFigures
from maturity.measurements.leads.grid import LeadGrid
from maturity.measurements.leads.selectors import LeadOverview
from maturity.models import LeadTest


def duration_text(value: timedelta | None) -> str:
    """``"45 min"``, ``"3 h 05"``, ``"2 d 4 h"`` (French: ``"2 j 4 h"``); ``"–"`` for none."""
    if value is None:
        return "–"
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days and not hours:
        return _("%(days)s d") % {"days": days}
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


def percent_text(share: float | None) -> str:
    return "–" if share is None else f"{number_format(round(100 * share))}\N{NO-BREAK SPACE}%"


def score_text(score: float | None) -> str:
    return "–" if score is None else f"{number_format(round(score))}/100"


STATE_CLASSES = {
    "answered": "text-bg-success",
    "waiting": "text-bg-light border",
    "unanswered": "text-bg-danger",
}


def state_label(state: str) -> tuple[str, str]:
    labels = {
        "answered": _("Answered"),
        "waiting": _("Waiting for a reply"),
        "unanswered": _("No reply"),
    }
    return labels[state], STATE_CLASSES[state]


@dataclass(frozen=True, slots=True)
class TestRow:
    test: LeadTest
    channel: str
    state: str
    state_label: str
    state_class: str
    delay: str
    score: str
    items: list[tuple[str, bool]]  # (label, met)


def test_rows(overview: LeadOverview, *, language: str, now: datetime) -> list[TestRow]:
    grid = overview.grid
    rows = []
    for test in overview.tests:
        state = grid.state(sent_at=test.sent_at, replied_at=test.replied_at, now=now)
        label, css = state_label(state)
        met = set(test.grid_items or ())
        rows.append(
            TestRow(
                test=test,
                channel=test.get_channel_display(),
                state=state,
                state_label=label,
                state_class=css,
                delay=duration_text(test.replied_at - test.sent_at) if test.replied_at else "",
                score=score_text(grid.score(met)) if test.replied_at else "",
                items=[(item.label[language], item.key in met) for item in grid.items],
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class ChannelRow:
    channel: str
    tests: int
    answered: str
    median: str
    worst: str


def channel_rows(figures: LeadFigures) -> list[ChannelRow]:
    labels = dict(LeadTest.Channel.choices)
    rows = []
    for channel in figures.channels:
        closed = channel.answered + channel.unanswered
        worst = _("no reply") if channel.worst_is_no_reply else duration_text(channel.worst_reply)
        rows.append(
            ChannelRow(
                channel=str(labels.get(channel.channel, channel.channel)),
                tests=channel.tests,
                answered=percent_text(channel.answered / closed if closed else None),
                median=duration_text(channel.median_reply),
                worst=worst,
            )
        )
    return rows


def period_label(period: str) -> str:
    """``"2026-Q1"`` -> ``"T1 2026"`` in French, ``"Q1 2026"`` in English."""
    year, _sep, part = period.partition("-")
    if part.startswith("Q"):
        return _("Q%(quarter)s %(year)s") % {"quarter": part[1:], "year": year}
    return f"{part}/{year}"


def grid_lines(grid: LeadGrid, *, language: str) -> list[tuple[str, int]]:
    return [(item.label[language], item.points) for item in grid.items]


@dataclass(frozen=True, slots=True)
class MeasuredGroup:
    kind: str
    title: str
    help: str
    items: list[tuple[MeasuredAlert, str]]
    count: int
    more: int


def measured_alert_text(alert: MeasuredAlert) -> str:
    detail = alert.detail
    if alert.kind == "lead_unanswered":
        count = int(detail["count"])  # type: ignore[call-overload]
        return ngettext("%(n)s test without reply", "%(n)s tests without reply", count) % {
            "n": count
        }
    if alert.kind == "review_answers":
        return _("%(share)s of the reviews answered") % {
            "share": percent_text(float(detail["share"]))  # type: ignore[arg-type]
        }
    return _("rating %(before)s → %(after)s") % {
        "before": number_format(round(float(detail["before"]), 1), 1),  # type: ignore[arg-type]
        "after": number_format(round(float(detail["after"]), 1), 1),  # type: ignore[arg-type]
    }


def measured_alert_groups(alerts: list[MeasuredAlert], *, shown: int = 5) -> list[MeasuredGroup]:
    """The portfolio's measured alerts by kind, the kinds that have some only."""
    meta = {
        "lead_unanswered": (
            _("Lead test without reply"),
            _("A test enquiry of the last 90 days got no human reply in time."),
        ),
        "review_answers": (
            _("Reviews rarely answered"),
            _("Under half of the imported reviews have an answer."),
        ),
        "rating_down": (
            _("Rating down"),
            _("The rating fell by 0.3 or more since the previous reviews import."),
        ),
    }
    groups = []
    for kind in MEASURED_KINDS:
        found = [a for a in alerts if a.kind == kind]
        if not found:
            continue
        title, help_text = meta[kind]
        groups.append(
            MeasuredGroup(
                kind=kind,
                title=title,
                help=help_text,
                items=[(a, measured_alert_text(a)) for a in found[:shown]],
                count=len(found),
                more=max(len(found) - shown, 0),
            )
        )
    return groups
