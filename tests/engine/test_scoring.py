"""Scoring unit tests on the small synthetic questionnaire."""

from __future__ import annotations

import json

import pytest

from maturity.engine.answers import AnswerError
from maturity.engine.definition import DONT_KNOW
from maturity.engine.scoring import (
    ENGINE_VERSION,
    IncompleteAnswers,
    Result,
    display,
    score,
    visible_questions,
)
from tests.engine.helpers import tiny

# website max 10+10+6 = 26, social max 5+8+5+3 = 21, reviews max 6
LOW = {
    "website_own": "locator_only",
    "social_networks": ["none"],
    "social_ads": "no",
    "reviews_reply": "never",
}
TOP = {
    "website_own": "own_site",
    "website_stock": "full",
    "website_updates": 3,
    "social_networks": ["facebook", "instagram", "tiktok"],
    "social_replies": "hours",
    "social_posts": 12,
    "social_ads": "yes",
    "reviews_reply": "all",
}


def test_it_scores_the_lowest_answers_at_zero_on_rung_one():
    result = score(tiny(), LOW)
    assert result.rung == 1
    assert result.overall_score == 0
    assert [a.score for a in result.areas] == [0, 0, 0]
    assert [a.level for a in result.areas] == ["initial"] * 3
    assert result.website_ok is False
    assert result.engine_version == ENGINE_VERSION
    assert result.content_hash == tiny().content_hash


def test_it_scores_the_best_answers_at_100_on_rung_five():
    result = score(tiny(), TOP)
    assert result.rung == 5
    assert result.overall_score == pytest.approx(100)
    assert [a.level for a in result.areas] == ["advanced"] * 3
    assert all(r.reached for r in result.rungs)


def test_it_counts_each_kind_of_answer():
    answers = TOP | {
        "website_stock": "partial",  # 5
        "website_updates": 2,  # 3
        "social_networks": ["facebook", "tiktok"],  # 3
        "social_replies": DONT_KNOW,  # 0
        "social_posts": 9,  # band at_least 1 -> 2
        "social_ads": "yes",  # 3
        "reviews_reply": "some",  # 3
    }
    result = score(tiny(), answers)
    points = result.points()
    assert points == {
        "website_own": 10,
        "website_stock": 5,
        "website_updates": 3,
        "social_networks": 3,
        "social_replies": 0,
        "social_posts": 2,
        "social_ads": 3,
        "reviews_reply": 3,
    }
    website = result.area("website")
    assert website.earned == 18 and website.maximum == 26
    assert website.score == pytest.approx(100 * 18 / 26)
    assert result.area("social").score == pytest.approx(100 * 8 / 21)
    assert result.area("reviews").score == pytest.approx(50)
    expected = (2 * 100 * 18 / 26 + 100 * 8 / 21 + 50) / 4
    assert result.overall_score == pytest.approx(expected)
    assert website.level == "progressing"  # 69.2: below 70
    assert display(website.score) == 69.2
    assert website.display_score == 69.2


def test_it_reports_each_question_contribution():
    answers = TOP | {"website_stock": "no"}
    contribution = score(tiny(), answers).contribution("website_stock")
    assert contribution.answer == "no"
    assert contribution.points == 0 and contribution.max_points == 10
    assert contribution.missed == 10
    assert contribution.visible is True


def test_it_ignores_hidden_questions_but_counts_their_maximum():
    answers = LOW | {"website_stock": "full", "website_updates": 3, "social_replies": "hours"}
    result = score(tiny(), answers)
    assert result.area("website").score == 0
    assert result.area("website").maximum == 26
    hidden = result.contribution("website_stock")
    assert hidden.visible is False and hidden.answer is None and hidden.points == 0
    assert result == score(tiny(), LOW)


def test_it_refuses_missing_required_answers_with_their_keys():
    answers = dict(TOP)
    del answers["website_stock"]
    del answers["social_posts"]
    answers["reviews_reply"] = None
    with pytest.raises(IncompleteAnswers) as error:
        score(tiny(), answers)
    assert error.value.keys == ("website_stock", "social_posts", "reviews_reply")
    assert "website_stock, social_posts, reviews_reply" in str(error.value)


def test_it_does_not_require_hidden_or_optional_questions():
    result = score(tiny(), LOW)  # website_stock, social_replies... hidden; url, text optional
    assert result.rung == 1


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("website_own", "castle", "unknown_option"),
        ("website_own", ["own_site"], "unknown_option"),
        ("social_networks", ["facebook", "none"], "exclusive"),
        ("social_networks", ["facebook", "facebook"], "duplicate"),
        ("social_networks", "facebook", "wrong_type"),
        ("website_updates", 7, "out_of_range"),
        ("website_updates", "2", "wrong_type"),
        ("social_posts", -1, "out_of_range"),
        ("social_posts", 2.5, "not_integer"),
        ("social_posts", "many", "not_a_number"),
        ("reviews_reply", DONT_KNOW, "unknown_option"),
    ],
)
def test_it_refuses_invalid_answers_when_scoring(key, value, code):
    with pytest.raises(AnswerError) as error:
        score(tiny(), TOP | {key: value})
    assert error.value.code == code
    assert error.value.question == key


def test_it_ignores_answers_to_unknown_questions():
    assert score(tiny(), TOP | {"nonsense": 1}) == score(tiny(), TOP)


def test_it_caps_at_isolated_presence_without_the_website():
    answers = TOP | {"website_own": "locator_only"}
    result = score(tiny(), answers)
    assert result.rung == 2
    assert result.website_ok is False
    assert [c.held for c in result.website_prerequisite] == [False, False]
    dialogue = result.rungs[2]
    assert all(c.held for c in dialogue.conditions)
    assert dialogue.held is False and dialogue.reached is False
    assert {c.target for c in result.blockers()} == {"website_own", "website"}


def test_it_needs_every_rung_below():
    answers = TOP | {"reviews_reply": "some"}  # rung 3 holds, rung 5 fails on reviews
    result = score(tiny(), answers)
    assert result.rung == 4
    answers = TOP | {"social_replies": "never"}  # rung 3 fails, 4 and 5 hold
    result = score(tiny(), answers)
    assert result.rung == 2
    assert result.rungs[3].held is True and result.rungs[3].reached is False
    assert [c.label.en for c in result.blockers()] == ["Réponses"]
    assert result.next_rung is not None and result.next_rung.number == 3
    assert result.rung_check.key == "isolated_presence"


def test_it_serialises_a_snapshot():
    result = score(tiny(), TOP | {"website_stock": "partial", "social_networks": ["tiktok"]})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["rung"] == result.rung
    assert data["areas"][0]["contributions"][0] == {
        "question": "website_own",
        "answer": "own_site",
        "points": 10.0,
        "max_points": 10.0,
        "visible": True,
    }
    assert Result.from_dict(data) == result
    assert Result.from_dict(data).to_dict() == result.to_dict()


def test_it_tells_which_questions_are_visible():
    assert visible_questions(tiny(), {}) == [
        "website_own",
        "website_url",
        "social_networks",
        "social_ads",
        "reviews_reply",
        "reviews_comment",
    ]
    shown = visible_questions(tiny(), {"website_own": "own_site", "social_networks": ["tiktok"]})
    assert "website_stock" in shown and "social_posts" in shown


def test_it_compares_thresholds_with_a_float_tolerance():
    from maturity.engine.loader import parse_questionnaire
    from tests.engine.helpers import tiny_data

    data = tiny_data()
    data["areas"][2]["questions"][0]["options"] = [
        {"key": "never", "label": {"fr": "a", "en": "a"}, "points": 0},
        {"key": "some", "label": {"fr": "b", "en": "b"}, "points": 0.1 + 0.2},
        {"key": "all", "label": {"fr": "c", "en": "c"}, "points": 6},
    ]
    data["ladder"]["rungs"][2]["conditions"][1]["min"] = 0.3
    questionnaire = parse_questionnaire(data, source="t", require_all_areas=False)
    result = score(questionnaire, TOP | {"reviews_reply": "some"})
    assert result.rungs[2].held is True


def test_it_scores_the_real_questionnaire_fast_enough_to_use_a_cached_plan():
    from maturity.engine.scoring import plan_for

    questionnaire = tiny()
    assert plan_for(questionnaire) is plan_for(questionnaire)
