"""Property tests over generated answer sets, on the synthetic and the real questionnaire."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maturity.engine.answers import AnswerError, answer_points, ranked_answers, validate_answer
from maturity.engine.definition import DONT_KNOW, PROFILES, Question, Questionnaire
from maturity.engine.roadmap import BACKLOG, HORIZONS, actions_outcome, build_roadmap
from maturity.engine.scoring import IncompleteAnswers, Result, score, visible_questions
from maturity.engine.suggestions import apply_changes, next_rung_changes
from tests.engine.helpers import (
    answers_strategy,
    questionnaires,
    real,
    real_catalogue,
    tiny,
    tiny_catalogue,
)

QUESTIONNAIRES = questionnaires()
IDS = [name for name, _ in QUESTIONNAIRES]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _drawn(make: Any, data: st.DataObject) -> Questionnaire:
    """The questionnaire as asked of a drawn dealer profile (the small one has none)."""
    return make().for_profile(data.draw(st.sampled_from(PROFILES), label="profile"))


def _top_option(question: Question, value: Any) -> float:
    """The best single option chosen (what a multi-choice trigger's show_if looks at)."""
    if question.kind != "multi" or not isinstance(value, list):
        return answer_points(question, value)
    return max((o.points for o in question.options if o.key in value), default=0.0)


def _improves(question: Question, old: Any, new: Any) -> bool:
    if new is None or new == old:
        return False
    if old is None or old in (DONT_KNOW, [DONT_KNOW]):
        return new not in (DONT_KNOW, [DONT_KNOW])
    return answer_points(question, new) > answer_points(question, old) and _top_option(
        question, new
    ) >= _top_option(question, old)


def _better_values(question: Question, old: Any) -> list[Any]:
    """Answers that improve on ``old``: better options; for multi, one more option."""
    if question.kind == "multi" and isinstance(old, list) and old != [DONT_KNOW]:
        regular = [o.key for o in question.options if not o.exclusive]
        if all(k in regular for k in old):
            candidates = [[k for k in regular if k in old or k == extra] for extra in regular]
        else:
            candidates = [[k] for k in regular]
    else:
        candidates = ranked_answers(question)
    return [v for v in candidates if _improves(question, old, v)]


def _visible_keys(questionnaire: Questionnaire, answers: dict[str, Any]) -> set[str]:
    return set(visible_questions(questionnaire, answers))


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_scores_deterministically_within_0_and_100(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    assert score(questionnaire, dict(answers)) == result
    assert Result.from_dict(result.to_dict()) == result
    assert 0 <= result.overall_score <= 100 + 1e-9
    for area in result.areas:
        assert 0 <= area.score <= 100 + 1e-9
        assert 0 <= area.earned <= area.maximum + 1e-9
    assert 1 <= result.rung <= 5
    assert [r.reached for r in result.rungs] == [r.number <= result.rung for r in result.rungs]


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_never_lowers_a_score_or_the_rung_when_an_answer_improves(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    scored = [q for q in questionnaire.questions if q.scored]
    question = data.draw(st.sampled_from(scored))
    better = _better_values(question, answers.get(question.key))
    assume(better)
    new = data.draw(st.sampled_from(better))
    assert _improves(question, answers.get(question.key), new)
    before = score(questionnaire, answers)
    after = score(questionnaire, answers | {question.key: new})
    for old_area, new_area in zip(before.areas, after.areas, strict=True):
        assert new_area.score >= old_area.score - 1e-9, (question.key, old_area.key)
    assert after.overall_score >= before.overall_score - 1e-9
    assert after.rung >= before.rung


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_ignores_answers_to_hidden_questions(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    other = data.draw(answers_strategy(questionnaire))
    visible = _visible_keys(questionnaire, answers)
    hidden = [q.key for q in questionnaire.questions if q.key not in visible]
    assume(hidden)
    changed = dict(answers)
    for key in hidden:
        if data.draw(st.booleans()):
            changed.pop(key, None)
        else:
            changed[key] = other[key]
    assert score(questionnaire, changed) == score(questionnaire, answers)


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_never_climbs_past_isolated_presence_without_the_website(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    if not result.website_ok:
        assert result.rung <= 2
    if result.rung >= 3:
        assert all(c.held for c in result.website_prerequisite)


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_raises_when_a_visible_required_answer_is_missing(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    visible = visible_questions(questionnaire, answers)
    required = [k for k in visible if questionnaire.question(k).required]
    key = data.draw(st.sampled_from(required))
    incomplete = {k: v for k, v in answers.items() if k != key}
    with pytest.raises(IncompleteAnswers) as error:
        score(questionnaire, incomplete)
    assert key in error.value.keys


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_suggests_changes_that_reach_the_next_rung(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    changes = next_rung_changes(questionnaire, answers, result)
    if result.rung == 5:
        assert changes == []
        return
    assert changes
    assert len({c.question for c in changes}) == len(changes)
    for change in changes:
        question = questionnaire.question(change.question)
        assert validate_answer(question, change.suggested) == change.suggested
        assert change.suggested != change.current
        assert change.describe(questionnaire, "fr") and change.describe(questionnaire, "en")
    after = score(questionnaire, apply_changes(answers, changes))
    assert after.rung >= result.rung + 1
    assert next_rung_changes(questionnaire, answers, result) == changes


def _values(question: Question) -> list[Any]:
    """Every answer worth trying on the small questionnaire."""
    if question.kind == "multi":
        regular = [o.key for o in question.options if not o.exclusive]
        subsets = [
            [k for k in regular if k in chosen]
            for n in range(1, len(regular) + 1)
            for chosen in itertools.combinations(regular, n)
        ]
        return subsets + [[o.key] for o in question.options if o.exclusive]
    return ranked_answers(question)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_it_suggests_the_fewest_changes_on_the_small_questionnaire(data):
    questionnaire = tiny()
    drawn = data.draw(answers_strategy(questionnaire))
    visible = _visible_keys(questionnaire, drawn)
    answers = {k: v for k, v in drawn.items() if k in visible and v is not None}
    result = score(questionnaire, answers)
    changes = next_rung_changes(questionnaire, answers, result)
    assume(changes and len(changes) <= 4)
    target = result.rung + 1
    scored = [q for q in questionnaire.questions if q.scored]
    for size in range(1, len(changes)):
        for chosen in itertools.combinations(scored, size):
            options = [[v for v in _values(q) if v != answers.get(q.key)] for q in chosen]
            for values in itertools.product(*options):
                trial = dict(answers)
                trial.update({q.key: v for q, v in zip(chosen, values, strict=True)})
                try:
                    reached = score(questionnaire, trial).rung
                except IncompleteAnswers:
                    continue
                assert reached < target, (
                    f"{size} change(s) reach rung {target}: "
                    f"{dict(zip([q.key for q in chosen], values, strict=True))}, "
                    f"but {len(changes)} were suggested"
                )


CATALOGUES = [("tiny", tiny, tiny_catalogue)] + (
    [("real", QUESTIONNAIRES[1][1], real_catalogue)] if len(QUESTIONNAIRES) > 1 else []
)


@pytest.mark.parametrize(
    ("make", "make_catalogue"), [c[1:] for c in CATALOGUES], ids=[c[0] for c in CATALOGUES]
)
@PROPERTY
@given(data=st.data())
def test_it_builds_a_deterministic_roadmap_with_prerequisites_first(make, make_catalogue, data):
    questionnaire, catalogue = _drawn(make, data), make_catalogue()
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    roadmap = build_roadmap(questionnaire, answers, result, catalogue)
    assert build_roadmap(questionnaire, dict(answers), result, catalogue) == roadmap
    position = {item.key: i for i, item in enumerate(roadmap.items)}
    horizon = {item.key: HORIZONS.index(item.horizon) for item in roadmap.items}
    assert [horizon[k] for k in roadmap.keys] == sorted(horizon[k] for k in roadmap.keys)
    for item in roadmap.items:
        assert item.gaps
        for required in item.action.requires:
            if required in position:
                assert position[required] < position[item.key]
                assert horizon[required] <= horizon[item.key]
        for required_by in item.required_by:
            assert position[required_by] > position[item.key]
    if result.rung == 5:
        assert all(item.tier != 1 for item in roadmap.items)


@pytest.mark.parametrize("make", [m for _, m in QUESTIONNAIRES], ids=IDS)
@PROPERTY
@given(data=st.data())
def test_it_never_raises_a_score_or_the_rung_when_an_answer_becomes_dont_know(make, data):
    questionnaire = _drawn(make, data)
    answers = data.draw(answers_strategy(questionnaire))
    visible = _visible_keys(questionnaire, answers)
    unsure = [q for q in questionnaire.questions if q.allow_dont_know and q.key in visible]
    assume(unsure)
    question = data.draw(st.sampled_from(unsure))
    dont_know = [DONT_KNOW] if question.kind == "multi" else DONT_KNOW
    before = score(questionnaire, answers)
    after = score(questionnaire, answers | {question.key: dont_know})
    for old_area, new_area in zip(before.areas, after.areas, strict=True):
        assert new_area.score <= old_area.score + 1e-9, (question.key, old_area.key)
    assert after.overall_score <= before.overall_score + 1e-9
    assert after.rung <= before.rung


@pytest.mark.parametrize(
    ("make", "make_catalogue"), [c[1:] for c in CATALOGUES], ids=[c[0] for c in CATALOGUES]
)
@PROPERTY
@given(data=st.data())
def test_it_fits_every_roadmap_in_its_horizons(make, make_catalogue, data):
    questionnaire, catalogue = _drawn(make, data), make_catalogue()
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    candidates = [a.key for a in catalogue.for_questionnaire(questionnaire).actions]
    done = data.draw(st.sets(st.sampled_from(candidates)), label="done") if candidates else set()
    roadmap = build_roadmap(questionnaire, answers, result, catalogue, done=done)
    capacities = [catalogue.capacity(h) for h in HORIZONS]
    sizes = []
    for name, capacity in zip(HORIZONS, capacities, strict=True):
        items = roadmap.horizon(name)
        assert sum(1 for item in items if not item.done) <= capacity, name
        sizes.append(len(items))
    sizes.append(len(roadmap.backlog))
    for earlier, later in itertools.pairwise(sizes):
        assert earlier or not later, f"an empty horizon before a fuller one: {sizes}"
    assert all(item.horizon == BACKLOG for item in roadmap.backlog)
    # The suggestion is the part of the way up that sits in the first horizon.
    first = [item.key for item in roadmap.horizon("0-3")]
    assert set(roadmap.suggestion) <= set(first)
    assert set(roadmap.suggestion) <= set(roadmap.next_rung_keys)
    if result.rung == 5:
        assert roadmap.suggestion == () and roadmap.next_rung_keys == ()
    # An action never shares a horizon with one it supersedes, nor comes before it.
    where = {item.key: item.horizon for item in (*roadmap.items, *roadmap.backlog)}
    order = [item.key for item in (*roadmap.items, *roadmap.backlog)]
    for item in (*roadmap.items, *roadmap.backlog):
        for older in item.action.supersedes:
            if older in where:
                assert order.index(older) < order.index(item.key)
                assert where[older] != where[item.key] or where[older] == BACKLOG


@PROPERTY
@given(data=st.data())
def test_it_finds_a_way_to_the_next_rung_in_the_real_catalogue(data):
    questionnaire = _drawn(QUESTIONNAIRES[-1][1], data)
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    assume(result.rung < 5)
    roadmap = build_roadmap(questionnaire, answers, result, real_catalogue())
    reached, _changes = actions_outcome(
        questionnaire, result, real_catalogue(), roadmap.next_rung_keys
    )
    assert reached >= result.rung + 1
    assert roadmap.suggestion


# Anything a form or a JSON body can carry, numbers no float holds included.
ANY_INPUT = st.one_of(
    st.text(max_size=50),
    st.sampled_from(["9" * 400, "-" + "9" * 400, "1e400", "inf", "-inf", "nan", "-0", "1" * 5000]),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), value=ANY_INPUT)
def test_validation_refuses_any_input_with_an_answer_error_only(data, value):
    question = data.draw(st.sampled_from(real().questions))
    try:
        validate_answer(question, value)
    except AnswerError as error:
        assert error.code in {
            "missing",
            "wrong_type",
            "unknown_option",
            "exclusive",
            "not_a_number",
            "not_integer",
            "out_of_range",
            "too_long",
            "bad_url",
            "bad_character",
        }
