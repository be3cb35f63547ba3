"""The wizard's progress while a dealer answers, question after question.

Answering a gate question can reveal follow-ups; the bar must still only move forward:
the total counts the follow-ups an unanswered gate may reveal, from the start.
"""

from __future__ import annotations

import pytest

from maturity.assessments.progress import missing_required, progress
from maturity.engine.scoring import visible_questions
from maturity.questionnaire.services import questionnaire_current
from tests.factories import persona_answers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("letter", ["A", "B", "C", "D", "E"])
def test_it_never_moves_the_progress_back_while_answering(letter):
    definition = questionnaire_current().definition
    persona = persona_answers(letter)
    values: dict = {}
    seen = [progress(definition, values).percent]
    # A dealer answers what the page shows, in order, until nothing is left.
    while True:
        shown = visible_questions(definition, values)
        left = [key for key in shown if key in persona and key not in values]
        if not left:
            break
        values[left[0]] = persona[left[0]]
        seen.append(progress(definition, values).percent)
    assert seen == sorted(seen), seen
    assert seen[-1] == 100 or missing_required(definition, values)


def test_it_counts_follow_ups_a_gate_may_reveal_and_drops_them_when_it_does_not():
    definition = questionnaire_current().definition
    gates = [q for q in definition.questions if q.show_if is not None]
    follower = next(q for q in gates if definition.question(q.show_if.question).show_if is None)
    trigger = definition.question(follower.show_if.question)
    before = progress(definition, {})
    hiding = next((o.key for o in trigger.options if o.key not in follower.show_if.any_of), None)
    assert hiding is not None
    value = [hiding] if trigger.kind == "multi" else hiding
    after = progress(definition, {trigger.key: value})
    # The gate answered "no": its follow-ups leave the total, the bar moves forward.
    assert after.total < before.total
    assert after.answered == 1
    assert after.percent > before.percent
