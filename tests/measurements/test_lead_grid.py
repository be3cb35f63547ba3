"""The lead-response grid: the content file validates, scores, turns a silent test into
"unanswered" after the delay, and the figures (share answered, medians, worst, history)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from maturity.measurements.leads.figures import (
    EnquiryFacts,
    lead_figures,
    lead_history,
    response_time,
)
from maturity.measurements.leads.grid import GridError, grid_from_data, load_grid

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def grid_data(**changes):
    data = {
        "version": "t",
        "no_reply_after_hours": 48,
        "items": [
            {"key": "answered", "points": 60, "label": {"fr": "Répondu", "en": "Answered"}},
            {"key": "named", "points": 40, "label": {"fr": "Nommé", "en": "Named"}},
        ],
    }
    data.update(changes)
    return data


def test_it_loads_the_published_grid_with_both_languages():
    grid = load_grid()
    assert grid.keys == (
        "question_answered",
        "appointment_proposed",
        "named_contact",
        "follow_up_48h",
    )
    assert grid.total == 100
    assert grid.no_reply_after == timedelta(hours=72)
    assert all(item.label["fr"] and item.label["en"] for item in grid.items)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"no_reply_after_hours": 0}, "no_reply_after_hours"),
        ({"no_reply_after_hours": "72"}, "no_reply_after_hours"),
        ({"items": []}, "items"),
        ({"colour": "red"}, "colour: unknown key"),
        ({"version": ""}, "version"),
        (
            {"items": [{"key": "a", "points": 10, "label": {"fr": "A"}}]},
            "items[0].label.en: missing",
        ),
        (
            {"items": [{"key": "a", "points": 0, "label": {"fr": "A", "en": "A"}}]},
            "items[0].points",
        ),
        (
            {"items": [{"key": "A b", "points": 5, "label": {"fr": "A", "en": "A"}}]},
            "items[0].key",
        ),
        (
            {
                "items": [
                    {"key": "a", "points": 5, "label": {"fr": "A", "en": "A"}},
                    {"key": "a", "points": 5, "label": {"fr": "A", "en": "A"}},
                ]
            },
            "appears twice",
        ),
    ],
)
def test_it_refuses_a_malformed_grid_and_names_the_place(changes, message):
    with pytest.raises(GridError, match=message.replace("[", r"\[").replace("]", r"\]")):
        grid_from_data(grid_data(**changes))


def test_it_scores_the_items_met_out_of_the_total():
    grid = grid_from_data(grid_data())
    assert grid.score([]) == 0
    assert grid.score(["answered"]) == 60
    assert grid.score(["answered", "named", "from_an_old_grid"]) == 100


def test_a_test_without_reply_is_waiting_then_unanswered_after_the_delay():
    grid = grid_from_data(grid_data())
    sent = NOW - timedelta(hours=47, minutes=59)
    assert grid.state(sent_at=sent, replied_at=None, now=NOW) == "waiting"
    assert grid.state(sent_at=NOW - timedelta(hours=48), replied_at=None, now=NOW) == "unanswered"
    assert grid.state(sent_at=sent, replied_at=NOW, now=NOW) == "answered"


def facts(channel, hours_ago, reply_after_hours=None, items=()):
    sent = NOW - timedelta(hours=hours_ago)
    replied = sent + timedelta(hours=reply_after_hours) if reply_after_hours is not None else None
    return EnquiryFacts(channel, sent, replied, items)


def test_it_counts_share_answered_medians_worst_and_quality():
    grid = grid_from_data(grid_data())
    tests = [
        facts("email", 200, 1, ["answered"]),
        facts("email", 300, 3, ["answered", "named"]),
        facts("email", 400, 20),
        facts("email", 500),  # no reply after the delay: unanswered
        facts("phone", 100, 0.5, ["answered", "named"]),
        facts("phone", 10),  # within the delay: counted nowhere yet
    ]
    figures = lead_figures(tests, grid=grid, now=NOW)
    assert (figures.tests, figures.answered, figures.unanswered, figures.waiting) == (6, 4, 1, 1)
    assert figures.answered_share == pytest.approx(4 / 5)
    assert figures.quality == pytest.approx((60 + 100 + 0 + 100) / 4)
    assert figures.median_reply == timedelta(hours=2)  # 0.5, 1, 3, 20
    email = next(c for c in figures.channels if c.channel == "email")
    assert email.median_reply == timedelta(hours=3)
    assert email.worst_reply == timedelta(hours=20)
    assert email.worst_is_no_reply
    phone = next(c for c in figures.channels if c.channel == "phone")
    assert phone.worst_reply == timedelta(minutes=30)
    assert not phone.worst_is_no_reply


def test_the_response_time_counts_a_silent_test_as_a_reply_at_the_delay():
    grid = grid_from_data(grid_data())  # 48 h
    tests = [
        facts("email", 200, 1),
        facts("email", 300),  # unanswered: counts as 48 h
        facts("phone", 400),  # unanswered: counts as 48 h
        facts("phone", 10),  # still waiting: not counted
    ]
    found = response_time(tests, grid=grid, now=NOW)
    assert (found.hours, found.count) == (48.0, 3)
    # Dated by the newest closing: the reply to the first test, 199 hours ago.
    assert found.closed_on == NOW - timedelta(hours=199)
    answered = response_time(tests[:1], grid=grid, now=NOW)
    assert (answered.hours, answered.count) == (1.0, 1)
    assert response_time(tests[3:], grid=grid, now=NOW) is None


def test_no_test_means_no_figure_rather_than_zero():
    figures = lead_figures([], grid=grid_from_data(grid_data()), now=NOW)
    assert figures.answered_share is None
    assert figures.quality is None
    assert figures.median_reply is None


def test_it_gives_the_history_per_quarter_and_month_oldest_first():
    grid = grid_from_data(grid_data())
    tests = [
        EnquiryFacts("email", datetime(2025, 11, 3, tzinfo=UTC), None),
        EnquiryFacts(
            "email", datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 5, 2, tzinfo=UTC)
        ),
        EnquiryFacts(
            "email", datetime(2026, 2, 5, tzinfo=UTC), datetime(2026, 2, 5, 4, tzinfo=UTC)
        ),
    ]
    quarters = lead_history(tests, grid=grid, now=NOW)
    assert [p.period for p in quarters] == ["2025-Q4", "2026-Q1"]
    assert quarters[0].figures.answered_share == 0
    assert quarters[1].figures.median_reply == timedelta(hours=3)
    months = lead_history(tests, grid=grid, now=NOW, kind="month")
    assert [p.period for p in months] == ["2025-11", "2026-01", "2026-02"]
