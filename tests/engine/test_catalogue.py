"""The action catalogue loader: checked against the questionnaire."""

from __future__ import annotations

from typing import Any

import pytest

from maturity.engine.catalogue import CatalogueError, load_catalogue, parse_catalogue
from maturity.engine.definition import Text
from tests.engine.helpers import (
    ACTIONS_PATH,
    real,
    t,
    tiny,
    tiny_actions_data,
    tiny_catalogue,
)


def parse(data: dict[str, Any]):
    return parse_catalogue(data, source="actions", questionnaire=tiny())


def test_it_loads_a_valid_catalogue():
    catalogue = tiny_catalogue()
    assert [a.key for a in catalogue.actions][:2] == ["website_create", "website_stock"]
    stock = catalogue.action("website_stock")
    assert stock.requires == ("website_create",)
    assert [(g.question, g.area, g.below) for g in stock.closes] == [
        ("website_stock", None, 10),
        (None, "website", 80),
    ]
    assert catalogue.action("website_create").not_if[0].answer_in == ("own_site",)
    assert catalogue.action("reviews_reply").requires == ()
    assert catalogue.action("reviews_reply").quick_win is True
    assert catalogue.questionnaire_hash == tiny().content_hash


def test_it_loads_the_real_catalogue():
    catalogue = load_catalogue(ACTIONS_PATH, real())
    assert len(catalogue.actions) >= 20
    assert {a.area for a in catalogue.actions} == {a.key for a in real().areas}


def _action(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(a for a in data["actions"] if a["key"] == key)


CASES: list[tuple[str, Any, str]] = [
    (
        "unknown question",
        lambda d: _action(d, "website_stock")["closes"].append({"question": "x", "below": 1}),
        "actions[1].closes[2] (website_stock): gap refers to unknown question 'x'",
    ),
    (
        "unknown area",
        lambda d: _action(d, "website_stock").update(area="press"),
        "actions[1] (website_stock): unknown area 'press'",
    ),
    (
        "unknown gap area",
        lambda d: _action(d, "website_stock")["closes"].append({"area": "press", "below": 1}),
        "gap refers to unknown area 'press'",
    ),
    (
        "unknown option",
        lambda d: _action(d, "website_create")["not_if"][0].update(answer_in=["castle"]),
        "actions[0].not_if[0].answer_in (website_create): question 'website_own' has no option "
        "'castle'",
    ),
    (
        "not_if on a number",
        lambda d: _action(d, "website_create")["not_if"].append(
            {"question": "social_posts", "answer_in": ["1"]}
        ),
        "not_if refers to question 'social_posts' of kind 'number'",
    ),
    (
        "unknown requires",
        lambda d: _action(d, "social_ads")["requires"].append("press_release"),
        "actions[5].requires[2] (social_ads): requires unknown action 'press_release'",
    ),
    (
        "requires itself",
        lambda d: _action(d, "social_ads")["requires"].append("social_ads"),
        "an action cannot require itself",
    ),
    (
        "cycle",
        lambda d: _action(d, "website_create")["requires"].append("social_ads"),
        "requires form a cycle: website_create -> social_ads -> website_stock -> website_create",
    ),
    (
        "unknown field",
        lambda d: _action(d, "social_ads").update(budget=100),
        "actions[5] (social_ads): unknown field 'budget'",
    ),
    (
        "gap extra field",
        lambda d: _action(d, "social_ads")["closes"][0].update(above=1),
        "actions[5].closes[0] (social_ads): unknown field 'above'",
    ),
    (
        "gap never closes",
        lambda d: _action(d, "social_ads")["closes"][0].update(below=4),
        "below 4 can never close: question 'social_ads' gives at most 3",
    ),
    (
        "gap on text",
        lambda d: _action(d, "social_ads")["closes"].append(
            {"question": "reviews_comment", "below": 1}
        ),
        "gap refers to question 'reviews_comment' of kind 'text', which is not scored",
    ),
    (
        "no gap",
        lambda d: _action(d, "social_ads").update(closes=[]),
        "actions[5].closes (social_ads): must not be empty",
    ),
    (
        "unknown owner",
        lambda d: _action(d, "social_ads").update(owner="intern"),
        "unknown owner 'intern' (allowed: dealer_principal, marketing, sales, after_sales, "
        "contact_center)",
    ),
    (
        "unknown effort",
        lambda d: _action(d, "social_ads").update(effort="huge"),
        "unknown effort 'huge'",
    ),
    (
        "missing kpi",
        lambda d: _action(d, "social_ads").pop("kpi"),
        "actions[5] (social_ads): missing field 'kpi'",
    ),
    (
        "missing en",
        lambda d: _action(d, "social_ads")["why"].pop("en"),
        "actions[5].why (social_ads): missing 'en' text",
    ),
    (
        "duplicate key",
        lambda d: _action(d, "social_ads").update(key="reviews_reply"),
        "actions[5] (reviews_reply): duplicate action key 'reviews_reply' (first at actions[4])",
    ),
]


CASES += [
    (
        "unknown profile",
        lambda d: _action(d, "social_ads").update(profiles=["castle"]),
        "actions[5].profiles (social_ads): unknown dealer profile 'castle'",
    ),
    (
        "variant without text",
        lambda d: _action(d, "social_ads").update(variants=[{"profiles": ["repairer"]}]),
        "actions[5].variants[0] (social_ads): a variant needs a title, a why or a kpi",
    ),
    (
        "two variants for a profile",
        lambda d: _action(d, "social_ads").update(
            variants=[
                {"profiles": ["repairer"], "title": t("A")},
                {"profiles": ["repairer", "independent"], "title": t("B")},
            ]
        ),
        "actions[5].variants[1] (social_ads): profile 'repairer' has two variants",
    ),
    (
        "supersedes an unknown action",
        lambda d: _action(d, "social_ads").update(supersedes=["press_release"]),
        "actions[5].supersedes (social_ads): supersedes unknown action 'press_release'",
    ),
    (
        "supersedes what needs it",
        lambda d: _action(d, "website_create").update(supersedes=["website_stock"]),
        "form a cycle: website_create -> website_stock -> website_create",
    ),
    (
        "outcome on an unknown question",
        lambda d: _action(d, "social_ads").update(outcome={"social_budget": 3}),
        "actions[5].outcome (social_ads): outcome refers to unknown question 'social_budget'",
    ),
    (
        "outcome that is no answer",
        lambda d: _action(d, "social_ads").update(outcome={"social_ads": "maybe"}),
        "actions[5].outcome.social_ads (social_ads): not an answer of the question",
    ),
    (
        "horizons out of order",
        lambda d: d.update(
            horizons=[
                {"key": "3-6", "capacity": 5},
                {"key": "0-3", "capacity": 5},
                {"key": "6-12", "capacity": 5},
            ]
        ),
        "horizons[0]: expected the horizon '0-3', got '3-6'",
    ),
    (
        "horizon without room",
        lambda d: d.update(
            horizons=[
                {"key": "0-3", "capacity": 0},
                {"key": "3-6", "capacity": 5},
                {"key": "6-12", "capacity": 5},
            ]
        ),
        "horizons[0].capacity (0-3): must be greater than 0",
    ),
    (
        "two horizons",
        lambda d: d.update(horizons=[{"key": "0-3", "capacity": 3}, {"key": "3-6", "capacity": 5}]),
        "horizons: expected the 3 horizons 0-3, 3-6, 6-12",
    ),
    (
        "unknown maintenance advice",
        lambda d: d.update(
            maintenance=[{"key": "party", "title": t("Fête"), "why": t("Pourquoi")}]
        ),
        "maintenance[0]: unknown advice 'party'",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_it_refuses_a_malformed_catalogue_with_a_precise_message(mutate, expected):
    data = tiny_actions_data()
    mutate(data)
    with pytest.raises(CatalogueError) as error:
        parse(data)
    assert expected in str(error.value), str(error.value)


def test_it_reads_capacities_and_maintenance_advice_from_the_real_file():
    catalogue = load_catalogue(ACTIONS_PATH, real())
    assert [(h.key, h.capacity) for h in catalogue.horizons] == [
        ("0-3", 5),
        ("3-6", 6),
        ("6-12", 8),
    ]
    assert [a.key for a in catalogue.maintenance] == ["kpi_review", "reassess", "weakest_area"]
    tool = catalogue.action("monitoring_listening_tool")
    assert tool.supersedes == ("monitoring_set_alerts",)
    assert catalogue.action("social_create_page").outcome_answers() == {
        "social_networks": ["facebook"]
    }


def test_it_applies_the_catalogue_to_one_dealer_profile():
    data = tiny_actions_data()
    _action(data, "website_stock").update(
        profiles=["brand_dealer", "independent"],
        variants=[{"profiles": ["independent"], "why": t("Stock d'occasions", "Used stock")}],
    )
    _action(data, "social_page").update(outcome={"social_networks": ["facebook"]}, supersedes=[])
    questions = tiny_data_with_profiles()
    catalogue = parse_catalogue(data, source="actions", questionnaire=questions)
    dealer = catalogue.for_questionnaire(questions)
    assert dealer.profile == "brand_dealer"
    assert dealer.action("website_stock").why == Text("Stock", "Stock")  # its own text
    independent = catalogue.for_questionnaire(questions.for_profile("independent"))
    assert independent.action("website_stock").why == Text("Stock d'occasions", "Used stock")
    repairer = catalogue.for_questionnaire(questions.for_profile("repairer"))
    assert not repairer.has_action("website_stock")  # not for repairers
    # what requires it no longer waits for it
    assert "website_stock" not in repairer.action("social_ads").requires
    # the gap on a question the profile is not asked is dropped
    assert repairer.has_action("social_replies") is False
    assert catalogue.for_questionnaire(questions) is dealer  # cached
    with pytest.raises(ValueError, match="another questionnaire version"):
        catalogue.for_questionnaire(real())


def tiny_data_with_profiles():
    from maturity.engine.loader import parse_questionnaire
    from tests.engine.helpers import tiny_data

    data = tiny_data()
    replies = data["areas"][1]["questions"][1]
    replies["profiles"] = ["brand_dealer", "brand_agent", "independent"]
    # a rung condition may only hold a question every profile is asked: move it
    data["ladder"]["rungs"][2]["conditions"][0] = {
        "kind": "question_min",
        "question": "social_posts",
        "min": 2,
        "label": t("Publications"),
    }
    return parse_questionnaire(data, source="tiny", require_all_areas=False)
