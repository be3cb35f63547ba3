"""Suggestions: the answer changes that reach the next rung."""

from __future__ import annotations

from maturity.engine.scoring import score
from maturity.engine.suggestions import Change, apply_changes, next_rung_changes
from tests.engine.helpers import tiny
from tests.engine.test_scoring import LOW, TOP


def test_it_suggests_nothing_at_the_top():
    assert next_rung_changes(tiny(), TOP, score(tiny(), TOP)) == []


def test_it_suggests_a_social_account_and_the_questions_it_reveals():
    changes = next_rung_changes(tiny(), LOW)
    assert [c.question for c in changes] == [
        "social_networks",
        "social_replies",
        "social_posts",
    ]
    first = changes[0]
    assert first.current == ["none"]
    # One network is enough, and the best-ranked one is suggested (never the cheapest).
    assert first.suggested == ["facebook"]
    assert first.points_before == 0 and first.points_after == 2
    assert first.newly_shown is False and first.any_answer is False
    assert all(c.newly_shown and c.any_answer for c in changes[1:])
    assert changes[1].suggested == "never" and changes[2].suggested == 0
    assert score(tiny(), apply_changes(LOW, changes)).rung == 2


def test_it_builds_the_website_first_to_climb_past_isolated_presence():
    answers = TOP | {"website_own": "locator_only"}
    changes = next_rung_changes(tiny(), answers)
    assert changes[0].question == "website_own"
    assert changes[0].suggested == "own_site"
    # website_stock and website_updates are revealed and must be answered; one of them
    # must score too: the prerequisite needs 13 of the website's 26 points
    assert [c.question for c in changes] == ["website_own", "website_stock", "website_updates"]
    assert sum(c.any_answer for c in changes) == 1
    after = score(tiny(), apply_changes(answers, changes))
    assert after.rung == 3


def test_it_describes_a_change_in_plain_words():
    change = Change(
        question="reviews_reply",
        current="never",
        suggested="some",
        points_before=0,
        points_after=3,
    )
    questionnaire = tiny()
    assert change.describe(questionnaire, "en") == "“Reply to reviews?”: never → some"
    assert (
        change.describe(questionnaire, "fr")
        == "«\u00a0Réponse aux avis ?\u00a0»\u202f: never → some"
    )
    assert change.suggested_label(questionnaire, "en") == "some"
    shown = Change("social_posts", None, 0, 0, 0, newly_shown=True, any_answer=True)
    assert shown.describe(questionnaire, "en") == "Answer the new question “Posts per month”"
    ads = Change("social_ads", "no", "yes", 0, 3)
    assert ads.describe(questionnaire, "fr") == "«\u00a0Publicité ?\u00a0»\u202f: Non → Oui"


def test_it_keeps_existing_choices_when_adding_an_option():
    answers = LOW | {
        "website_own": "own_site",
        "website_stock": "full",
        "website_updates": 3,
        "social_networks": ["tiktok"],
        "social_replies": "days",
        "social_posts": 0,
        "reviews_reply": "some",
    }
    result = score(tiny(), answers)
    assert result.rung == 3
    changes = next_rung_changes(tiny(), answers, result)
    assert [(c.question, c.suggested) for c in changes] == [("social_posts", 10)]
