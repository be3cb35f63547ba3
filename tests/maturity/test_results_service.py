"""Results are scored at submission and frozen: later rule changes never rewrite them."""

from __future__ import annotations

import json

import pytest

from dealers.models import Membership
from maturity.demo.personas import load_persona, load_personas
from maturity.engine.loader import load_questionnaire
from maturity.engine.scoring import ENGINE_VERSION, IncompleteAnswers, score
from maturity.engine.suggestions import next_rung_changes
from maturity.models import Assessment, AssessmentResult
from maturity.questionnaire.files import QUESTIONNAIRE_FILE
from maturity.questionnaire.services import questionnaire_current
from maturity.results import services as results_service
from maturity.results.presenters import present_stored_result
from maturity.results.services import (
    NEXT_RUNG_KEY,
    changes_from_dicts,
    changes_to_dicts,
    result_create,
)
from tests.factories import DealershipFactory, UserFactory
from tests.maturity.results_helpers import submit_answers, submit_persona


def test_it_stores_the_snapshot_at_submit(dealership, owner):
    assessment = submit_persona(dealership=dealership, user=owner, letter="b")

    stored = AssessmentResult.objects.get(assessment=assessment)
    definition = assessment.version.definition
    answers = load_persona("b").answers
    expected = score(definition, answers)
    assert assessment.status == Assessment.Status.SUBMITTED
    assert stored.engine_version == ENGINE_VERSION
    assert stored.rung == expected.rung == 2
    assert stored.overall_score == expected.overall_score
    assert stored.area_scores == {a.key: a.score for a in expected.areas}
    snapshot = dict(stored.snapshot)
    changes = snapshot.pop(NEXT_RUNG_KEY)
    assert snapshot == json.loads(json.dumps(expected.to_dict()))
    assert type(expected).from_dict(stored.snapshot) == expected
    assert changes_from_dicts(changes) == next_rung_changes(definition, answers, expected)


def test_it_keeps_the_suggested_changes_round_trip():
    persona = load_persona("a")
    definition = load_questionnaire(QUESTIONNAIRE_FILE)
    changes = next_rung_changes(definition, persona.answers)
    assert changes
    assert changes_from_dicts(changes_to_dicts(changes)) == changes


def test_it_refuses_to_score_incomplete_answers_and_stores_nothing(dealership, owner):
    assessment = Assessment.objects.create(
        dealership=dealership, version=questionnaire_current(), status="submitted"
    )
    with pytest.raises(IncompleteAnswers):
        result_create(assessment=assessment)
    assert not AssessmentResult.objects.exists()


def test_it_rolls_the_submission_back_when_scoring_fails(dealership, owner, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(results_service, "score", broken)
    with pytest.raises(RuntimeError):
        submit_persona(dealership=dealership, user=owner, letter="b")
    assessment = Assessment.objects.get(dealership=dealership)
    assert assessment.status == Assessment.Status.DRAFT
    assert not AssessmentResult.objects.exists()


def _new_rules(real_score):
    """A pretend engine 9.9 whose rules put everyone one rung higher, +10 on the website."""

    def scoring(definition, answers):
        result = real_score(definition, answers)
        website = result.areas[0]._replace(score=min(100.0, result.areas[0].score + 10))
        return result._replace(
            engine_version="9.9",
            rung=min(5, result.rung + 1),
            areas=(website, *result.areas[1:]),
        )

    return scoring


def test_it_never_rewrites_a_past_result_when_the_rules_change(
    dealership, owner, monkeypatch, client
):
    assessment = submit_persona(dealership=dealership, user=owner, letter="b")
    before = AssessmentResult.objects.get(assessment=assessment)

    monkeypatch.setattr(results_service, "score", _new_rules(score))
    monkeypatch.setattr(results_service, "next_rung_changes", lambda *a, **k: [])

    # Creating again (a double submit, a retry) returns the stored result untouched...
    again = result_create(assessment=assessment)
    assert again.pk == before.pk
    after = AssessmentResult.objects.get(pk=before.pk)
    assert (after.rung, after.engine_version, after.snapshot, after.area_scores) == (
        before.rung,
        before.engine_version,
        before.snapshot,
        before.area_scores,
    )
    # ... and what is shown is still the stored rung.
    shown = present_stored_result(after, language="en")
    assert shown.rung.number == 2 and shown.engine_version == ENGINE_VERSION
    # A new assessment is scored with the new rules.
    newer = submit_persona(dealership=dealership, user=owner, letter="b")
    assert newer.result.engine_version == "9.9" and newer.result.rung == 3


@pytest.mark.parametrize("persona", load_personas(), ids=lambda p: p.key)
def test_it_puts_each_reference_dealer_on_its_expected_rung(db, persona):
    dealership = DealershipFactory(name=persona.dealership["name"])
    user = UserFactory()
    Membership.objects.create(user=user, dealership=dealership, role="owner")
    assessment = submit_answers(dealership=dealership, user=user, answers=persona.answers)
    assert assessment.result.rung == persona.expected_rung
    # The stored next-rung advice really reaches the next rung (none at the top).
    changes = changes_from_dicts(assessment.result.snapshot[NEXT_RUNG_KEY])
    assert bool(changes) == (persona.expected_rung < 5)
    if changes:
        updated = {**persona.answers, **{c.question: c.suggested for c in changes}}
        assert score(assessment.version.definition, updated).rung > persona.expected_rung
