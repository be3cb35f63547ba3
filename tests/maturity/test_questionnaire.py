"""The questionnaire file, its publication as immutable versions, and the persona fixtures."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from maturity.assessments.progress import missing_required
from maturity.assessments.services import assessment_start
from maturity.demo.personas import load_persona, load_personas
from maturity.engine.answers import validate_answer
from maturity.engine.loader import AREA_KEYS, load_questionnaire
from maturity.engine.scoring import visible_questions
from maturity.models import Answer, QuestionnaireVersion
from maturity.questionnaire.files import QUESTIONNAIRE_FILE
from maturity.questionnaire.services import (
    QuestionnaireError,
    questionnaire_current,
    questionnaire_publish,
)
from tests.maturity.conftest import fill

KINDS = {"single", "multi", "yesno", "scale", "number", "text", "url"}


def _texts(question):
    yield question.text
    yield question.help
    for option in question.options:
        yield option.label
    if question.scale:
        yield question.scale.min_label
        yield question.scale.max_label
    if question.number and question.number.unit:
        yield question.number.unit


def test_it_loads_the_questionnaire_over_seven_areas_in_french_and_english():
    questionnaire = load_questionnaire(QUESTIONNAIRE_FILE)

    assert tuple(area.key for area in questionnaire.areas) == AREA_KEYS
    for area in questionnaire.areas:
        assert 5 <= len(area.questions) <= 9, area.key
        for text in (area.title, area.intro):
            assert text.fr.strip() and text.en.strip()
        for question in area.questions:
            for text in _texts(question):
                assert text.fr.strip() and text.en.strip(), question.key
                assert text.fr != text.en or len(text.fr) < 12, question.key  # translated
    kinds = {q.kind for q in questionnaire.questions}
    assert kinds == KINDS, "every kind of question is used"
    assert any(q.allow_dont_know for q in questionnaire.questions)
    assert any(q.show_if for q in questionnaire.questions)


@pytest.fixture
def broken_file(tmp_path) -> Path:
    data = yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))
    question = data["areas"][2]["questions"][5]
    question["show_if"] = {"question": "reviews_nowhere", "any_of": ["all"]}
    del data["areas"][0]["questions"][0]["text"]["en"]
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_it_refuses_a_malformed_file_naming_the_key_and_the_problem(db, broken_file):
    with pytest.raises(QuestionnaireError) as refused:
        questionnaire_publish(path=broken_file)

    message = str(refused.value)
    assert "areas[0].questions[0].text (website_own): missing 'en' text" in message
    assert "(reviews_reply_speed): show_if refers to unknown question 'reviews_nowhere'" in message
    assert not QuestionnaireVersion.objects.exists()


def test_it_refuses_a_file_that_is_not_yaml(db, tmp_path):
    path = tmp_path / "questionnaire.yaml"
    path.write_text("version: [unclosed\n", encoding="utf-8")

    with pytest.raises(QuestionnaireError, match="invalid YAML"):
        questionnaire_publish(path=path)


def test_the_command_reports_a_malformed_file_and_publishes_nothing(db, broken_file):
    with pytest.raises(CommandError, match="website_own"):
        call_command("publish_questionnaire", "--path", str(broken_file), stdout=StringIO())
    assert not QuestionnaireVersion.objects.exists()


def test_it_publishes_a_content_once_and_says_so(db):
    out = StringIO()
    call_command("publish_questionnaire", stdout=out)
    call_command("publish_questionnaire", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Created: questionnaire version")
    assert lines[1].startswith("Unchanged: questionnaire version")
    version = QuestionnaireVersion.objects.get()
    assert version.definition.content_hash == version.content_hash
    assert questionnaire_current() == version


def test_a_new_version_never_changes_an_existing_assessment(dealership, owner, tmp_path):
    first = questionnaire_current()
    pinned, _ = assessment_start(dealership=dealership, user=owner)
    fill(pinned, {"website_own": "own_site"}, owner)

    data = yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))
    data["version"] = "2099.1"
    data["areas"][0]["questions"][0]["text"]["fr"] = "Avez-vous un site à vous ?"
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second, created = questionnaire_publish(path=path)

    assert created and second != first
    pinned.refresh_from_db()
    assert pinned.version == first
    assert pinned.version.definition.question("website_own").text.fr != (
        "Avez-vous un site à vous ?"
    )
    assert second.definition.question("website_own").text.fr == "Avez-vous un site à vous ?"
    assert Answer.objects.get(assessment=pinned).value == "own_site"
    # The stored version itself is untouched by publishing again.
    assert QuestionnaireVersion.objects.get(pk=first.pk).content_hash == first.content_hash


@pytest.mark.parametrize("letter", ["A", "B", "C", "D", "E"])
def test_each_reference_dealer_answers_every_visible_required_question(letter):
    persona = load_persona(letter)
    questionnaire = load_questionnaire(QUESTIONNAIRE_FILE).for_profile(persona.profile)

    for key, value in persona.answers.items():
        assert questionnaire.has_question(key), key
        assert validate_answer(questionnaire.question(key), value) is not None, key
    assert missing_required(questionnaire, persona.answers) == []
    hidden = set(persona.answers) - set(visible_questions(questionnaire, persona.answers))
    assert not hidden, f"persona {letter} answers hidden questions: {sorted(hidden)}"


def test_the_personas_are_the_five_reference_dealers():
    personas = {p.key: p for p in load_personas()}

    assert sorted(personas) == ["A", "B", "C", "D", "E"]
    assert personas["E"].dealership["name"] == "Auto Sélection 44"
    assert personas["E"].profile == "independent"
    assert personas["A"].dealership["name"] == "Garage du Centre"
    assert personas["D"].expected_rung == 5
    assert load_persona("b_auto_riviere").key == "B"
