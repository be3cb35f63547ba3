"""The action catalogue loader: checked against the questionnaire."""

from __future__ import annotations

from typing import Any

import pytest

from maturity.engine.catalogue import CatalogueError, load_catalogue, parse_catalogue
from tests.engine.helpers import ACTIONS_PATH, real, tiny, tiny_actions_data, tiny_catalogue


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


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_it_refuses_a_malformed_catalogue_with_a_precise_message(mutate, expected):
    data = tiny_actions_data()
    mutate(data)
    with pytest.raises(CatalogueError) as error:
        parse(data)
    assert expected in str(error.value), str(error.value)
