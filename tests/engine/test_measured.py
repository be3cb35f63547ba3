"""Declared versus measured (engine/measured.py): the rule, on the real questionnaire."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity.engine.definition import PROFILES
from maturity.engine.loader import QuestionnaireError, parse_questionnaire
from maturity.engine.measured import (
    AGREES,
    BEYOND,
    CONFIRMED,
    DISPROVED,
    Measured,
    apply_measured,
)
from maturity.engine.names import MEASURED_SOURCES
from maturity.engine.scoring import IncompleteAnswers, score
from tests.engine.helpers import QUESTIONNAIRE_PATH, answers_strategy, personas, real

TODAY = date(2026, 3, 3)
WEBSITE_CHECKS = [f"website.{check}" for check in MEASURED_SOURCES["website"]]
FIGURES = {
    "leads.response_time": st.floats(min_value=0, max_value=200),
    "reviews.rating": st.floats(min_value=1, max_value=5),
    "reviews.answered_share": st.floats(min_value=0, max_value=1),
    "reviews.answer_time": st.floats(min_value=0, max_value=400),
}


def _figure(name: str, value: float, *, count: int = 4, on: date = TODAY) -> dict[str, Measured]:
    return {name: Measured(ok=True, evidence="", measured_on=on, value=value, count=count)}


def _facts(ok: bool | None, *checks: str, on: date = TODAY) -> dict[str, Measured]:
    return {
        check: Measured(ok=ok, evidence=f"{check} evidence", measured_on=on) for check in checks
    }


def _persona(letter: str) -> dict:
    return next(p for p in personas() if p["persona"] == letter)


# A dealer who declares an own, mobile site with live stock (the rest as Méga Motors).
CLAIMS_OWN_SITE = {
    **_persona("C")["answers"],
    "website_own": "own_site",
    "website_url": "https://concessions.citroen.fr/garage-du-port-angers",
    "website_mobile": "yes",
    "website_stock": "live",
    "website_contact": ["contact_form", "click_to_call", "online_booking"],
    "website_updates": "weekly",
    "website_analytics": "monthly",
}
LOCATOR = {
    **_facts(False, "website.own_domain", "website.stock", "website.contact_form"),
    **_facts(None, "website.mobile", "website.analytics", "website.fresh"),
}


def test_it_caps_a_dealer_whose_declared_own_site_is_a_locator_page_at_rung_two():
    questionnaire = real().for_profile("independent")
    declared = score(questionnaire, CLAIMS_OWN_SITE)
    assert declared.rung == 4

    applied = apply_measured(questionnaire, CLAIMS_OWN_SITE, LOCATOR, as_of=TODAY)
    measured = score(questionnaire, applied.answers)

    assert applied.answers["website_own"] == "listings_only"
    assert measured.rung == 2
    assert not measured.website_ok
    own = next(c for c in applied.comparisons if c.key == "website_own")
    assert (own.status, own.declared, own.scored) == (DISPROVED, "own_site", "listings_only")
    assert own.measured_on == TODAY


def test_it_restores_the_declared_value_a_consultant_confirmed():
    questionnaire = real().for_profile("independent")
    applied = apply_measured(
        questionnaire, CLAIMS_OWN_SITE, LOCATOR, as_of=TODAY, confirmed={"website_own"}
    )
    own = next(c for c in applied.comparisons if c.key == "website_own")
    assert own.status == CONFIRMED
    assert applied.answers["website_own"] == "own_site"
    everything = {c.key for c in applied.comparisons}
    applied = apply_measured(
        questionnaire, CLAIMS_OWN_SITE, LOCATOR, as_of=TODAY, confirmed=everything
    )
    assert score(questionnaire, applied.answers).rung == 4


def test_it_keeps_mega_motors_capped_and_agreeing_with_its_locator_measurement():
    c = _persona("C")
    questionnaire = real().for_profile(c["dealership"]["profile"])
    applied = apply_measured(questionnaire, c["answers"], LOCATOR, as_of=TODAY)
    assert score(questionnaire, applied.answers).rung == 2
    own = next(x for x in applied.comparisons if x.key == "website_own")
    assert own.status == AGREES
    assert applied.answers == c["answers"]


def test_it_drops_a_disproved_option_of_a_multi_choice_and_keeps_the_others():
    questionnaire = real()
    answers = {**_persona("D")["answers"]}
    answers["website_contact"] = ["contact_form", "click_to_call"]
    applied = apply_measured(
        questionnaire, answers, _facts(False, "website.click_to_call"), as_of=TODAY
    )
    assert applied.answers["website_contact"] == ["contact_form"]
    only = _facts(False, "website.click_to_call", "website.contact_form")
    applied = apply_measured(
        questionnaire, {**answers, "website_contact": ["click_to_call"]}, only, as_of=TODAY
    )
    assert applied.answers["website_contact"] == ["none"]


def test_it_shows_but_does_not_score_what_the_check_found_beyond_the_declaration():
    questionnaire = real()
    answers = {**_persona("D")["answers"], "website_mobile": "no"}
    applied = apply_measured(questionnaire, answers, _facts(True, "website.mobile"), as_of=TODAY)
    mobile = next(c for c in applied.comparisons if c.key == "website_mobile")
    assert mobile.status == BEYOND and mobile.disagrees
    assert applied.answers["website_mobile"] == "no"


@pytest.mark.parametrize(
    "measured_on",
    [TODAY - timedelta(days=61), TODAY + timedelta(days=1)],
    ids=["older-than-the-content-limit", "after-the-submission"],
)
def test_it_ignores_a_measurement_that_is_not_fresh(measured_on):
    questionnaire = real().for_profile("independent")
    assert questionnaire.measurement_max_age_days == 60
    facts = _facts(False, "website.own_domain", on=measured_on)
    applied = apply_measured(questionnaire, CLAIMS_OWN_SITE, facts, as_of=TODAY)
    assert applied.answers == CLAIMS_OWN_SITE and applied.comparisons == ()


def test_it_ignores_a_check_that_could_not_tell():
    questionnaire = real()
    applied = apply_measured(
        questionnaire, CLAIMS_OWN_SITE, _facts(None, *WEBSITE_CHECKS), as_of=TODAY
    )
    assert applied.comparisons == ()


def _raw() -> dict:
    import yaml

    return yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))


def _website_question(data: dict, key: str) -> dict:
    return next(q for q in data["areas"][0]["questions"] if q["key"] == key)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q.update(measured_by="website.colour"), "unknown measured check"),
        (lambda q: q.pop("measured_answer"), "needs 'measured_answer'"),
        (lambda q: q.update(measured_answer="maybe"), "is not an option"),
    ],
    ids=["unknown-check", "no-stand-in", "stand-in-not-an-option"],
)
def test_it_refuses_malformed_measured_by_content(change, message):
    data = copy.deepcopy(_raw())
    change(_website_question(data, "website_mobile"))
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaire(data)


def test_it_refuses_a_measured_age_limit_that_is_not_a_positive_whole_number():
    data = copy.deepcopy(_raw())
    data["measurements"] = {"max_age_days": 0}
    with pytest.raises(QuestionnaireError, match=r"measurements\.max_age_days"):
        parse_questionnaire(data)


def _comparison(applied, key):
    return next(c for c in applied.comparisons if c.key == key)


@pytest.mark.parametrize(
    ("hours", "measured", "status", "scored"),
    [
        (0.5, "within_hour", AGREES, "within_hour"),
        (1.5, "within_2hours", DISPROVED, "within_2hours"),
        (20, "same_day", DISPROVED, "same_day"),
        (72, "more_2days", DISPROVED, "more_2days"),
    ],
)
def test_it_scores_the_measured_lead_response_time_in_place_of_a_faster_declared_one(
    hours, measured, status, scored
):
    questionnaire = real()
    answers = {**_persona("D")["answers"], "crm_response_time": "within_hour"}
    applied = apply_measured(
        questionnaire, answers, _figure("leads.response_time", hours), as_of=TODAY
    )
    row = _comparison(applied, "crm_response_time")
    assert (row.status, row.measured_answer, row.scored) == (status, measured, scored)
    assert row.measured_value == hours and row.measured_count == 4
    assert applied.answers["crm_response_time"] == scored
    if status == DISPROVED:
        assert score(questionnaire, applied.answers).overall_score < (
            score(questionnaire, answers).overall_score
        )


def test_it_flags_a_lead_response_faster_than_declared_without_scoring_it():
    questionnaire = real()
    answers = {**_persona("D")["answers"], "crm_response_time": "more_2days"}
    applied = apply_measured(
        questionnaire, answers, _figure("leads.response_time", 0.5), as_of=TODAY
    )
    row = _comparison(applied, "crm_response_time")
    assert row.status == BEYOND and applied.answers["crm_response_time"] == "more_2days"


def test_it_scores_the_imported_reviews_in_place_of_a_flattering_declaration():
    questionnaire = real()
    answers = {
        **_persona("D")["answers"],
        "reviews_platforms": ["google"],
        "reviews_rating": 4.7,
        "reviews_reply": "all",
        "reviews_reply_speed": "within_hour",
    }
    facts = {
        **_figure("reviews.rating", 3.94, count=30),
        **_figure("reviews.answered_share", 0.3, count=30),
        **_figure("reviews.answer_time", 30, count=9),
    }
    applied = apply_measured(questionnaire, answers, facts, as_of=TODAY)
    assert applied.answers["reviews_rating"] == 3.9
    assert applied.answers["reviews_reply"] == "negative_sometimes"
    assert applied.answers["reviews_reply_speed"] == "within_2days"
    assert {c.status for c in applied.comparisons if c.check.startswith("reviews.")} == {DISPROVED}
    confirmed = apply_measured(
        questionnaire, answers, facts, as_of=TODAY, confirmed={"reviews_rating"}
    )
    assert confirmed.answers["reviews_rating"] == 4.7
    assert _comparison(confirmed, "reviews_rating").status == CONFIRMED


def test_it_agrees_when_the_measured_rating_is_in_the_declared_band():
    questionnaire = real()
    answers = {**_persona("D")["answers"], "reviews_platforms": ["google"], "reviews_rating": 4.6}
    applied = apply_measured(questionnaire, answers, _figure("reviews.rating", 4.52), as_of=TODAY)
    row = _comparison(applied, "reviews_rating")
    assert (row.status, row.measured_answer) == (AGREES, 4.5)
    assert applied.answers["reviews_rating"] == 4.6


def test_it_ignores_stale_lead_tests_and_figures_without_a_value():
    questionnaire = real()
    answers = {**_persona("D")["answers"], "crm_response_time": "within_hour"}
    stale = _figure("leads.response_time", 70, on=TODAY - timedelta(days=61))
    nothing = {"leads.response_time": Measured(ok=None, evidence="", measured_on=TODAY)}
    for facts in (stale, nothing):
        assert apply_measured(questionnaire, answers, facts, as_of=TODAY).comparisons == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q.pop("measured_bands"), "needs 'measured_bands'"),
        (lambda q: q["measured_bands"].pop(), "the last band holds for any value"),
        (lambda q: q["measured_bands"][0].pop("at_most"), "only the last band"),
        (lambda q: q["measured_bands"][0].update(answer="soon"), "is not an option"),
        (lambda q: q["measured_bands"][0].update(at_least=3), "not both"),
        (lambda q: q.update(measured_answer="same_day"), "takes 'measured_bands'"),
    ],
    ids=["no-bands", "no-catch-all", "unbounded-first", "unknown-answer", "both", "answer"],
)
def test_it_refuses_malformed_measured_figure_content(change, message):
    data = copy.deepcopy(_raw())
    crm = next(a for a in data["areas"] if a["key"] == "crm")
    change(next(q for q in crm["questions"] if q["key"] == "crm_response_time"))
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaire(data)


def test_it_refuses_bands_on_a_website_check():
    data = copy.deepcopy(_raw())
    _website_question(data, "website_mobile")["measured_bands"] = [{"answer": "no"}]
    with pytest.raises(QuestionnaireError, match="are for a measured figure"):
        parse_questionnaire(data)


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_it_never_raises_a_score_and_confirming_everything_gives_the_declared_result(data):
    questionnaire = real().for_profile(data.draw(st.sampled_from(PROFILES)))
    answers = data.draw(answers_strategy(questionnaire))
    facts = {
        check: Measured(ok=ok, evidence="", measured_on=TODAY)
        for check in WEBSITE_CHECKS
        if (ok := data.draw(st.sampled_from([True, False, None, "absent"]))) != "absent"
    }
    for name, values in FIGURES.items():
        if data.draw(st.booleans()):
            facts[name] = Measured(
                ok=True, evidence="", measured_on=TODAY, value=data.draw(values), count=3
            )
    try:
        declared = score(questionnaire, answers)
    except IncompleteAnswers:
        return
    applied = apply_measured(questionnaire, answers, facts, as_of=TODAY)
    measured = score(questionnaire, applied.answers)
    assert measured.overall_score <= declared.overall_score + 1e-9
    assert measured.rung <= declared.rung
    for area in declared.areas:
        assert measured.area(area.key).score <= area.score + 1e-9
    everything = {c.key for c in applied.comparisons}
    restored = apply_measured(questionnaire, answers, facts, as_of=TODAY, confirmed=everything)
    assert score(questionnaire, restored.answers) == declared
