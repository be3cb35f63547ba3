"""Golden tests: the four reference dealers (shared/personas.md) land on their rung."""

from __future__ import annotations

import pytest

from maturity.engine.answers import validate_answer
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import score, visible_questions
from maturity.engine.suggestions import apply_changes, next_rung_changes
from tests.engine.helpers import PERSONAS_DIR, personas, real, real_catalogue

PERSONAS = {p["persona"]: p for p in personas()} if PERSONAS_DIR.exists() else {}
EXPECTED = {"A": 1, "B": 2, "C": 2, "D": 5}


def persona(letter: str) -> dict:
    if letter not in PERSONAS:
        pytest.fail(f"persona {letter} is missing from {PERSONAS_DIR}")
    return PERSONAS[letter]


def test_it_has_the_four_reference_dealers():
    assert sorted(PERSONAS) == ["A", "B", "C", "D"]


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_it_puts_each_persona_on_its_expected_rung(letter):
    data = persona(letter)
    assert data["expected_rung"] == EXPECTED[letter]
    result = score(real(), data["answers"])
    assert result.rung == data["expected_rung"]


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_it_accepts_every_persona_answer_as_valid(letter):
    questionnaire = real()
    answers = persona(letter)["answers"]
    for key, value in answers.items():
        assert questionnaire.has_question(key), f"unknown question {key}"
        assert validate_answer(questionnaire.question(key), value) == value, key
    for key in visible_questions(questionnaire, answers):
        if questionnaire.question(key).required:
            assert key in answers, f"persona {letter} does not answer {key}"


def test_it_caps_mega_motors_for_want_of_a_website():
    result = score(real(), persona("C")["answers"])
    assert result.website_ok is False
    assert result.rung == 2
    assert result.area("social").score > 80  # very active, yet capped


@pytest.mark.parametrize("letter", ["A", "C"])
def test_it_starts_the_roadmap_with_the_website_when_there_is_none(letter):
    questionnaire = real()
    answers = persona(letter)["answers"]
    result = score(questionnaire, answers)
    roadmap = build_roadmap(questionnaire, answers, result, real_catalogue())
    first = roadmap.horizon("0-3")
    assert first, "the first horizon is empty"
    assert first[0].action.area == "website"
    assert first[0].action.key == "website_create"
    assert first[0].website_foundation is True
    website_items = [item for item in roadmap.items if item.action.area == "website"]
    assert all(item.horizon == "0-3" for item in website_items)


@pytest.mark.parametrize("letter", ["A", "B", "C"])
def test_it_shows_each_persona_the_way_to_the_next_rung(letter):
    questionnaire = real()
    answers = persona(letter)["answers"]
    result = score(questionnaire, answers)
    changes = next_rung_changes(questionnaire, answers, result)
    assert changes
    assert score(questionnaire, apply_changes(answers, changes)).rung >= result.rung + 1


def test_it_leaves_nothing_to_climb_for_groupe_horizon():
    questionnaire = real()
    answers = persona("D")["answers"]
    result = score(questionnaire, answers)
    assert next_rung_changes(questionnaire, answers, result) == []
    roadmap = build_roadmap(questionnaire, answers, result, real_catalogue())
    assert all(item.target_rung is None for item in roadmap.items)
