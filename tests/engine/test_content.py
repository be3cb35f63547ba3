"""The questionnaire says what dealers really do: each fact can be answered truthfully and
moves the rung as the brief says; dealer profiles hide what does not apply to them."""

from __future__ import annotations

import pytest

from maturity.engine.answers import answer_points, best_answer, lowest_answer
from maturity.engine.definition import DONT_KNOW, PROFILES, question_max_points
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import confidence, score, visible_questions
from tests.engine.helpers import personas, real, real_catalogue

PERSONAS = {p["persona"]: p for p in personas()}


def answers_of(letter: str) -> dict:
    return dict(PERSONAS[letter]["answers"])


def rung(answers: dict, profile: str = "brand_dealer") -> int:
    return score(real().for_profile(profile), answers).rung


def options(key: str, profile: str = "brand_dealer") -> list[str]:
    return [o.key for o in real().for_profile(profile).question(key).options]


def points(key: str, value, profile: str = "brand_dealer") -> float:
    return answer_points(real().for_profile(profile).question(key), value)


# --- lead capture: web and social are two facts -----------------------------------------


def test_it_asks_web_and_social_lead_capture_separately():
    assert rung(answers_of("D")) == 5
    # Web leads in the CRM, social leads left in the inbox: not "Connected".
    assert rung(answers_of("D") | {"crm_social_leads": "none"}) == 3
    assert rung(answers_of("D") | {"crm_web_leads": "none"}) == 3
    assert rung(answers_of("D") | {"crm_social_leads": "most", "crm_web_leads": "most"}) == 5
    connected = next(r for r in real().rungs if r.key == "connected")
    assert {"crm_web_leads", "crm_social_leads"} <= {c.question for c in connected.conditions}


# --- listening: free platform notifications are not listening ---------------------------


def test_it_does_not_count_platform_notifications_as_listening_with_alerts():
    assert "platform_notifications" in options("monitoring_listening")
    assert rung(answers_of("D") | {"monitoring_listening": "platform_notifications"}) == 3
    assert rung(answers_of("D") | {"monitoring_listening": "own_alerts"}) == 5
    assert points("monitoring_listening", "platform_notifications") < points(
        "monitoring_listening", "own_alerts"
    )


# --- reviews: all reviews, down to the hour; sales and workshop apart ---------------------


def test_it_asks_how_fast_every_review_is_answered_down_to_the_hour():
    question = real().question("reviews_reply_speed")
    assert "positive" in question.text.en and "negative" in question.text.en
    assert options("reviews_reply_speed")[-2:] == ["same_day", "within_hour"]
    assert points("reviews_reply_speed", "within_hour") > points("reviews_reply_speed", "same_day")


def test_it_asks_for_reviews_after_sales_and_after_workshop_visits_as_two_choices():
    question = real().question("reviews_asking")
    assert question.kind == "multi"
    assert {"after_sale", "after_workshop"} <= set(options("reviews_asking"))
    both = points("reviews_asking", ["after_sale", "after_workshop"])
    assert points("reviews_asking", ["after_sale"]) < both
    assert both == question_max_points(question)
    # a body shop sells no vehicles: it is asked about its repairs only
    assert "after_sale" not in options("reviews_asking", "repairer")
    repairer = real().for_profile("repairer").question("reviews_asking")
    assert points("reviews_asking", ["after_workshop"], "repairer") == question_max_points(repairer)


# --- who runs the pages, how fast leads are answered ------------------------------------


def test_it_lets_the_owner_or_a_family_member_run_the_pages():
    assert {"owner_family", "volunteer", "dedicated", "agency"} <= set(options("social_run_by"))
    assert "spare time" in real().question("social_run_by").option("volunteer").label.en
    e = answers_of("E")
    assert e["social_run_by"] == "owner_family"
    result = score(real().for_profile("independent"), e)
    roadmap = build_roadmap(real().for_profile("independent"), e, result, real_catalogue())
    assert "social_assign_owner" not in (*roadmap.keys, *roadmap.backlog_keys)


def test_it_offers_one_hour_two_hours_and_the_same_day_as_lead_response_times():
    assert {"within_hour", "within_2hours", "same_day"} <= set(options("crm_response_time"))
    ranked = [points("crm_response_time", v) for v in ("same_day", "within_2hours", "within_hour")]
    assert ranked == sorted(ranked) and len(set(ranked)) == 3


def test_it_offers_the_hour_for_social_replies():
    assert points("social_replies", "within_hour") > points("social_replies", "same_day")
    assert PERSONAS["C"]["answers"]["social_replies"] == "within_hour"


# --- dealer profiles ---------------------------------------------------------------------


def test_it_asks_a_body_shop_about_bookings_and_quotes_instead_of_stock():
    repairer = real().for_profile("repairer")
    assert not repairer.has_question("website_stock")
    assert repairer.has_question("website_booking")
    dealer = real().for_profile("brand_dealer")
    assert dealer.has_question("website_stock") and not dealer.has_question("website_booking")
    assert "quote_request" not in options("website_contact", "repairer")
    shown = visible_questions(repairer, {"website_own": "own_site"})
    assert "website_booking" in shown and "website_stock" not in shown


@pytest.mark.parametrize("profile", PROFILES)
def test_it_lets_every_profile_reach_full_marks_and_the_top_rung(profile):
    questionnaire = real().for_profile(profile)
    best = {q.key: best_answer(q) for q in questionnaire.questions if q.scored}
    result = score(questionnaire, best)
    assert result.rung == 5
    assert all(area.score == pytest.approx(100) for area in result.areas)
    # what the profile is not asked is not in any maximum
    asked = {q.key for q in questionnaire.questions}
    counted = {c.question for a in result.areas for c in a.contributions}
    assert counted == {q.key for q in questionnaire.questions if q.scored}
    assert counted <= asked


def test_it_does_not_count_a_hidden_by_profile_question_in_the_maximum():
    dealer = score(real().for_profile("brand_dealer"), answers_of("E")).area("website")
    answers = {k: v for k, v in answers_of("E").items() if k != "website_stock"}
    answers |= {
        "website_booking": "live",
        "website_contact": ["contact_form", "click_to_call"],
        "reviews_asking": ["after_workshop"],
    }
    shop = score(real().for_profile("repairer"), answers).area("website")
    assert shop.maximum < dealer.maximum
    assert all(c.question != "website_stock" for c in shop.contributions)


def test_it_offers_the_manufacturer_review_programme_to_brand_dealers_only():
    assert "manufacturer" in options("reviews_platforms", "brand_dealer")
    assert "manufacturer" in options("reviews_platforms", "brand_agent")
    assert "manufacturer" not in options("reviews_platforms", "independent")


@pytest.mark.parametrize("profile", ["independent", "repairer"])
def test_it_words_every_action_without_a_manufacturer_for_profiles_without_one(profile):
    catalogue = real_catalogue().for_questionnaire(real().for_profile(profile))
    for action in catalogue.actions:
        for text in (action.title, action.why, action.kpi):
            assert "constructeur" not in text.fr.lower(), action.key
            assert "manufacturer" not in text.en.lower(), action.key


def test_it_proposes_an_action_only_where_it_applies():
    shop = real_catalogue().for_questionnaire(real().for_profile("repairer"))
    assert not shop.has_action("website_stock_online")
    assert shop.has_action("website_booking_online")
    dealer = real_catalogue().for_questionnaire(real().for_profile("brand_dealer"))
    assert dealer.has_action("website_stock_online")
    assert not dealer.has_action("website_booking_online")
    # a dealer without a CRM chooses one; one with an unused CRM gets it used
    e = real().for_profile("independent")
    roadmap = build_roadmap(e, answers_of("E"), score(e, answers_of("E")), real_catalogue())
    keys = (*roadmap.keys, *roadmap.backlog_keys)
    assert "crm_choose" in keys and "crm_adopt" not in keys
    a = real().for_profile("brand_agent")
    roadmap = build_roadmap(a, answers_of("A"), score(a, answers_of("A")), real_catalogue())
    keys = (*roadmap.keys, *roadmap.backlog_keys)
    assert "crm_adopt" in keys and "crm_choose" not in keys


def test_it_keeps_the_listening_tool_out_of_the_quarter_of_the_free_alerts():
    e = real().for_profile("independent")
    roadmap = build_roadmap(e, answers_of("E"), score(e, answers_of("E")), real_catalogue())
    where = {item.key: item.horizon for item in (*roadmap.items, *roadmap.backlog)}
    assert where["monitoring_set_alerts"] == "0-3"
    assert where["monitoring_listening_tool"] not in ("0-3",)


# --- confidence ---------------------------------------------------------------------------


def test_it_counts_the_answers_that_rest_on_dont_know():
    e = real().for_profile("independent")
    result = score(e, answers_of("E"))
    shown = confidence(e, result)
    assert shown.unknown == 4
    assert shown.total == sum(1 for a in result.areas for c in a.contributions if c.visible)
    assert shown.provisional is False
    assert set(shown.find_out_first) <= {
        "website_analytics",
        "social_paid",
        "reviews_rating",
        "crm_response_time",
    }
    assert shown.find_out_first[0] == "crm_response_time"  # the most points at stake


def test_it_calls_a_result_built_mostly_on_dont_know_provisional():
    questionnaire = real()
    answers = answers_of("D")
    unsure = [q for q in questionnaire.questions if q.allow_dont_know]
    doubtful = answers | {q.key: [DONT_KNOW] if q.kind == "multi" else DONT_KNOW for q in unsure}
    result = score(questionnaire, doubtful)
    shown = confidence(questionnaire, result)
    assert shown.unknown == len(
        [q for q in unsure if q.key in visible_questions(questionnaire, doubtful)]
    )
    assert shown.share > questionnaire.provisional_above
    assert shown.provisional is True
    assert len(shown.find_out_first) == 3
    firm = confidence(questionnaire, score(questionnaire, answers))
    assert firm.unknown == 0 and firm.provisional is False


def test_it_reads_the_provisional_threshold_from_the_content_file():
    assert real().provisional_above == 0.25
    lowest = {q.key: lowest_answer(q) for q in real().questions if q.scored}
    assert score(real(), lowest).rung == 1
