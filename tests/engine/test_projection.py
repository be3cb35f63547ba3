"""Projected scores: what the roadmap's actions would close, computed by the engine."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity.engine.answers import lowest_answer
from maturity.engine.projection import first_reaching, project, project_cumulative
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import EPSILON, score
from tests.engine.helpers import (
    QUESTIONNAIRE_PATH,
    answers_strategy,
    personas,
    real,
    real_catalogue,
    tiny,
    tiny_catalogue,
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CATALOGUES = [("tiny", tiny, tiny_catalogue)] + (
    [("real", real, real_catalogue)] if QUESTIONNAIRE_PATH.exists() else []
)
PARAMS = pytest.mark.parametrize(
    ("make", "make_catalogue"), [c[1:] for c in CATALOGUES], ids=[c[0] for c in CATALOGUES]
)


def _persona(letter: str) -> dict:
    return next(p for p in personas() if p["_file"].startswith(letter.lower()))


@PARAMS
@PROPERTY
@given(data=st.data())
def test_it_never_projects_lower_for_more_actions(make, make_catalogue, data):
    questionnaire, catalogue = make(), make_catalogue()
    result = score(questionnaire, data.draw(answers_strategy(questionnaire)))
    keys = [a.key for a in catalogue.actions]
    fewer = data.draw(st.sets(st.sampled_from(keys)))
    more = fewer | data.draw(st.sets(st.sampled_from(keys)))
    low = project(questionnaire, result, catalogue, sorted(fewer))
    high = project(questionnaire, result, catalogue, sorted(more))
    assert high.rung >= low.rung
    assert high.overall_score >= low.overall_score - EPSILON
    for area, value in low.area_scores.items():
        assert high.area_scores[area] >= value - EPSILON
        assert 0 <= high.area_scores[area] <= 100 + EPSILON


@PARAMS
@PROPERTY
@given(data=st.data())
def test_it_projects_the_result_itself_when_nothing_is_done(make, make_catalogue, data):
    questionnaire, catalogue = make(), make_catalogue()
    result = score(questionnaire, data.draw(answers_strategy(questionnaire)))
    same = project(questionnaire, result, catalogue, [])
    assert same.rung == result.rung
    assert same.overall_score == pytest.approx(result.overall_score)
    assert same.area_scores == pytest.approx({a.key: a.score for a in result.areas})


@PARAMS
@PROPERTY
@given(data=st.data())
def test_doing_the_whole_roadmap_closes_every_gap_it_lists(make, make_catalogue, data):
    questionnaire, catalogue = make(), make_catalogue()
    answers = data.draw(answers_strategy(questionnaire))
    result = score(questionnaire, answers)
    roadmap = build_roadmap(questionnaire, answers, result, catalogue)
    done = project(questionnaire, result, catalogue, roadmap.keys)
    for item in roadmap.items:
        for gap in item.gaps:
            if gap.area:
                assert done.area_scores[gap.area] >= gap.below - EPSILON
    # Horizon by horizon, in the roadmap's own order: each step is at least the one before.
    horizons = list(dict.fromkeys(item.horizon for item in roadmap.items))
    groups = [[i.key for i in roadmap.items if i.horizon == h] for h in horizons]
    steps = project_cumulative(questionnaire, result, catalogue, groups)
    rungs = [result.rung] + [s.rung for s in steps]
    assert rungs == sorted(rungs)
    if steps:
        assert steps[-1].rung == done.rung


def test_it_counts_only_the_gaps_an_action_closes():
    questionnaire, catalogue = tiny(), tiny_catalogue()
    result = score(questionnaire, _lowest_answers(questionnaire))
    action = catalogue.actions[0]
    projection = project(questionnaire, result, catalogue, [action.key, "not_an_action"])
    assert projection.actions == (action.key,)
    touched = {g.area or questionnaire.question(g.question).area for g in action.closes}
    for area in result.areas:
        if area.key not in touched:
            assert projection.area_scores[area.key] == pytest.approx(area.score)
        else:
            assert projection.area_scores[area.key] >= area.score


def _lowest_answers(questionnaire) -> dict:
    """The poorest real answer to every scored question (hidden ones are ignored)."""
    return {q.key: lowest_answer(q) for q in questionnaire.questions if q.scored}


@pytest.mark.skipif(not QUESTIONNAIRE_PATH.exists(), reason="the real content files")
def test_garage_du_centre_climbs_once_its_website_is_built():
    """Reference dealer A (Web 1.0): its roadmap starts with the website, and doing it
    takes it off the first rung; the whole roadmap takes it further still."""
    questionnaire, catalogue = real(), real_catalogue()
    answers = _persona("a")["answers"]
    result = score(questionnaire, answers)
    assert result.rung == 1
    roadmap = build_roadmap(questionnaire, answers, result, catalogue)
    first = [item.key for item in roadmap.items if item.horizon == roadmap.items[0].horizon]
    after_first, after_all = project_cumulative(
        questionnaire, result, catalogue, [first, [i.key for i in roadmap.items]]
    )
    assert after_first.rung > result.rung
    assert after_all.rung >= after_first.rung
    assert after_all.overall_score > after_first.overall_score > result.overall_score
    assert first_reaching([after_first, after_all], after_all.rung) in (0, 1)
    assert first_reaching([after_first, after_all], 6) is None


def test_it_refuses_a_result_of_another_questionnaire():
    questionnaire = tiny()
    result = score(questionnaire, _lowest_answers(questionnaire))
    other = result._replace(content_hash="x" * 64)
    with pytest.raises(ValueError):
        project(questionnaire, other, tiny_catalogue(), [])
