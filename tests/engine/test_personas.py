"""Golden tests: the five reference dealers (shared/personas.md) land on their rung, and
their advice holds up (a roadmap that fits in a quarter, the way up in its first horizon)."""

from __future__ import annotations

import pytest

from maturity.engine.answers import validate_answer
from maturity.engine.roadmap import HORIZONS, build_roadmap
from maturity.engine.scoring import score, visible_questions
from maturity.engine.suggestions import apply_changes, next_rung_changes
from tests.engine.helpers import PERSONAS_DIR, personas, real, real_catalogue

PERSONAS = {p["persona"]: p for p in personas()} if PERSONAS_DIR.exists() else {}
EXPECTED = {"A": 1, "B": 2, "C": 2, "D": 5, "E": 3}
PROFILES = {
    "A": "brand_agent",
    "B": "brand_dealer",
    "C": "independent",
    "D": "brand_dealer",
    "E": "independent",
}


def persona(letter: str) -> dict:
    if letter not in PERSONAS:
        pytest.fail(f"persona {letter} is missing from {PERSONAS_DIR}")
    return PERSONAS[letter]


def questionnaire_of(letter: str):
    return real().for_profile(persona(letter)["dealership"]["profile"])


def roadmap_of(letter: str):
    questionnaire = questionnaire_of(letter)
    answers = persona(letter)["answers"]
    result = score(questionnaire, answers)
    return result, build_roadmap(questionnaire, answers, result, real_catalogue())


def test_it_has_the_five_reference_dealers():
    assert sorted(PERSONAS) == ["A", "B", "C", "D", "E"]


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_it_puts_each_persona_on_its_expected_rung(letter):
    data = persona(letter)
    assert data["expected_rung"] == EXPECTED[letter]
    assert data["dealership"]["profile"] == PROFILES[letter]
    result = score(questionnaire_of(letter), data["answers"])
    assert result.rung == data["expected_rung"]
    assert result.profile == PROFILES[letter]


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_it_accepts_every_persona_answer_as_valid(letter):
    questionnaire = questionnaire_of(letter)
    answers = persona(letter)["answers"]
    for key, value in answers.items():
        assert questionnaire.has_question(key), f"unknown question {key}"
        assert validate_answer(questionnaire.question(key), value) == value, key
    for key in visible_questions(questionnaire, answers):
        if questionnaire.question(key).required:
            assert key in answers, f"persona {letter} does not answer {key}"


def test_it_caps_mega_motors_for_want_of_a_website():
    result = score(questionnaire_of("C"), persona("C")["answers"])
    assert result.website_ok is False
    assert result.rung == 2
    assert result.area("social").score > 80  # very active, yet capped
    # everything else rung 4 asks holds: the website alone keeps it down
    assert all(c.held for rung in result.rungs[2:4] for c in rung.conditions)


@pytest.mark.parametrize("letter", ["A", "C"])
def test_it_starts_the_roadmap_with_the_website_when_there_is_none(letter):
    _result, roadmap = roadmap_of(letter)
    first = roadmap.horizon("0-3")
    assert first, "the first horizon is empty"
    assert first[0].action.key == "website_create"
    assert first[0].website_foundation is True
    website_items = [i for i in (*roadmap.items, *roadmap.backlog) if i.action.area == "website"]
    # The website is planned within the first two quarters, never left for later.
    assert all(item.horizon in ("0-3", "3-6") for item in website_items)
    assert sum(1 for item in first if item.action.area == "website") >= 3


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_it_fits_each_roadmap_in_a_quarter(letter):
    _result, roadmap = roadmap_of(letter)
    sizes = [len(roadmap.horizon(h)) for h in HORIZONS]
    assert sizes[0] <= 5 and sizes[1] <= 6 and sizes[2] <= 8
    for earlier, later in zip(sizes, [*sizes[1:], len(roadmap.backlog)], strict=True):
        assert earlier or not later, f"an empty horizon before a fuller one: {sizes}"
    first = set(item.key for item in roadmap.horizon("0-3"))
    assert set(roadmap.suggestion) <= first


@pytest.mark.parametrize("letter", ["A", "B", "C", "E"])
def test_it_expresses_the_way_to_the_next_rung_as_first_horizon_actions(letter):
    _result, roadmap = roadmap_of(letter)
    assert roadmap.suggestion, "no suggestion below the top rung"
    # each of them fits the first quarter: the suggestion is the whole way up
    assert roadmap.suggestion == roadmap.next_rung_keys
    first = [item.key for item in roadmap.horizon("0-3")]
    assert first[: len(roadmap.suggestion)] == list(roadmap.suggestion)


def test_it_points_a_dealer_with_no_social_account_at_facebook():
    questionnaire = questionnaire_of("A")
    answers = persona("A")["answers"]
    result = score(questionnaire, answers)
    changes = next_rung_changes(questionnaire, answers, result)
    social = next(c for c in changes if c.question == "social_networks")
    assert social.suggested == ["facebook"]
    _result, roadmap = roadmap_of("A")
    assert "social_create_page" in roadmap.suggestion


@pytest.mark.parametrize("letter", ["A", "B", "C", "E"])
def test_it_shows_each_persona_the_way_to_the_next_rung(letter):
    questionnaire = questionnaire_of(letter)
    answers = persona(letter)["answers"]
    result = score(questionnaire, answers)
    changes = next_rung_changes(questionnaire, answers, result)
    assert changes
    assert score(questionnaire, apply_changes(answers, changes)).rung >= result.rung + 1


def test_it_leaves_nothing_to_climb_for_groupe_horizon_and_advises_how_to_stay():
    questionnaire = questionnaire_of("D")
    answers = persona("D")["answers"]
    result, roadmap = roadmap_of("D")
    assert next_rung_changes(questionnaire, answers, result) == []
    assert roadmap.suggestion == ()
    assert all(item.target_rung is None for item in roadmap.items)
    keys = [advice.key for advice in roadmap.maintenance]
    assert keys == ["kpi_review", "reassess", "weakest_area"]
    weakest = roadmap.maintenance[-1]
    assert weakest.area == min(result.areas, key=lambda a: a.score).key
    assert weakest.action or weakest.question


def test_it_starts_auto_selection_with_capturing_and_following_up_leads():
    _result, roadmap = roadmap_of("E")
    first = roadmap.horizon("0-3")
    areas = [item.action.area for item in first]
    assert areas.count("crm") >= 3
    assert {"crm_record_web_leads", "crm_followup_routine"} <= {item.key for item in first}
    assert first[0].action.key == "crm_choose"  # there is no CRM of any kind yet


def test_it_never_tells_an_independent_to_start_from_a_manufacturer_programme():
    _result, roadmap = roadmap_of("E")
    items = (*roadmap.items, *roadmap.backlog)
    assert items
    for item in items:
        action = item.action
        for text in (action.title, action.why, action.kpi):
            assert "constructeur" not in text.fr.lower(), action.key
            assert "manufacturer" not in text.en.lower(), action.key
