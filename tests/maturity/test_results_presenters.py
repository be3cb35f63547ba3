"""The presenter (shared by the results page and the PDF), without a database or request."""

from __future__ import annotations

import pytest

from common.i18n import normalise_language
from maturity.demo.personas import load_persona
from maturity.engine.loader import load_questionnaire
from maturity.engine.scoring import score
from maturity.questionnaire.files import QUESTIONNAIRE_FILE
from maturity.results.presenters import (
    Comparison,
    present_result,
    radar_chart,
    whole,
)
from maturity.results.services import result_snapshot


@pytest.fixture(scope="module")
def definition():
    return load_questionnaire(QUESTIONNAIRE_FILE)


def _present(definition, letter: str, language: str = "en", **kwargs):
    snapshot = result_snapshot(definition, load_persona(letter).answers)
    return present_result(snapshot, definition, language=language, **kwargs)


def test_it_charges_hidden_follow_ups_to_the_answer_that_hides_them(definition):
    shown = _present(definition, "a")
    social = next(card for card in shown.areas if card.key == "social")
    assert social.score == 0 and not social.raised
    (cause,) = social.lowered
    assert cause.question == "social_networks" and cause.answer == "None"
    assert cause.effect == 100 and cause.hidden >= 1


def test_it_lists_each_answer_once_biggest_effect_first(definition):
    for card in _present(definition, "c").areas:
        keys = [e.question for e in card.raised + card.lowered]
        assert len(keys) == len(set(keys))
        assert [e.effect for e in card.raised] == sorted(
            (e.effect for e in card.raised), reverse=True
        )


def test_it_says_when_the_website_alone_caps_the_rung(definition):
    assert _present(definition, "c").website_cap  # Méga Motors: everything but the website
    assert not _present(definition, "b").website_cap  # Auto Rivière: dialogue is missing too


def test_it_words_the_next_rung_changes(definition):
    shown = _present(definition, "b", language="en")
    assert shown.next_rung and shown.next_rung.number == 3
    stock = next(step for step in shown.next_steps if step.question == "website_stock")
    assert stock.current and stock.suggested
    assert (
        stock.sentence
        == f"Change “{stock.question_text}” from “{stock.current}” to “{stock.suggested}”"
    )
    assert shown.new_questions  # follow-ups the changes reveal


def test_it_groups_the_roadmap_by_horizon_numbered_in_order(definition):
    shown = _present(definition, "c", language="fr")
    assert [h.key for h in shown.roadmap] == ["0-3", "3-6", "6-12"]
    numbers = [a.number for h in shown.roadmap for a in h.actions]
    assert numbers == list(range(1, len(numbers) + 1))
    first = shown.roadmap[0].actions[0]
    assert first.key == "website_create" and first.website_foundation
    assert first.title == "Créer le site internet de la concession"


def test_it_leaves_the_roadmap_out_without_a_catalogue(definition):
    assert _present(definition, "b", catalogue=None).roadmap is None


def test_it_draws_previous_and_peer_series_on_the_radar(definition):
    result = score(definition, load_persona("b").answers)
    scores = {a.key: a.score for a in result.areas}
    svg = radar_chart(
        definition,
        scores,
        language="en",
        previous=Comparison("Previous assessment", dict.fromkeys(scores, 10.0), rung=1),
        peer=Comparison("Peer median", dict.fromkeys(scores, 40.0)),
    )
    assert "Previous assessment" in svg and "Peer median" in svg and "This assessment" in svg
    assert svg.count("<polygon") >= 3


def test_it_rounds_scores_the_same_way_everywhere():
    # Half up from the one-decimal value shown (30.45 shows as 30.4, hence 30).
    assert [whole(x) for x in (30.45, 30.5, 30.55, 0.04, 99.96)] == [30, 31, 31, 0, 100]


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "en"), ("en-gb", "en"), ("fr", "fr"), ("de", "fr"), (None, "fr")]
)
def test_it_falls_back_to_french(code, expected):
    assert normalise_language(code) == expected


def test_it_refuses_a_result_of_another_questionnaire_version(definition):
    snapshot = result_snapshot(definition, load_persona("b").answers)
    snapshot["content_hash"] = "0" * 64
    with pytest.raises(ValueError, match="another questionnaire version"):
        present_result(snapshot, definition, language="fr")
