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
