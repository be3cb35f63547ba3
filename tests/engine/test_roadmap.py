"""The roadmap generator on the small questionnaire and catalogue."""

from __future__ import annotations

import json

import pytest

from maturity.engine.catalogue import parse_catalogue
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import score
from tests.engine.helpers import real, tiny, tiny_actions_data, tiny_catalogue
from tests.engine.test_scoring import LOW, TOP


def roadmap_for(answers):
    result = score(tiny(), answers)
    return build_roadmap(tiny(), answers, result, tiny_catalogue())


def test_it_orders_the_roadmap_website_first():
    roadmap = roadmap_for(LOW)
    assert roadmap.rung == 1
    # The way to rung 2 (a social page, which needs the website) comes first, then the
    # website foundation, then the rest; the first horizon is full (5), so the last
    # action is in the second one.
    assert [(i.key, i.horizon, i.tier) for i in roadmap.items] == [
        ("website_create", "0-3", 0),
        ("social_page", "0-3", 1),
        ("website_stock", "0-3", 0),
        ("social_replies", "0-3", 2),
        ("reviews_reply", "0-3", 2),
        ("social_ads", "3-6", 4),
    ]
    assert roadmap.suggestion == ("website_create", "social_page")
    first = roadmap.items[0]
    assert first.website_foundation is True
    # the prerequisite (own site, website 50) and rung 4's "website 80"
    assert [(c.target, c.min) for c in first.conditions] == [
        ("website_own", 10),
        ("website", 50),
        ("website", 80),
    ]
    assert first.required_by == ("social_page", "website_stock")
    assert roadmap.items[1].target_rung == 2
    assert [c.target for c in roadmap.items[1].conditions] == ["social_networks"]
    assert roadmap.horizons["6-12"] == ()
    assert roadmap.backlog == ()


def test_it_gives_the_reasons_in_plain_words():
    roadmap = roadmap_for(LOW)
    reasons = roadmap.items[0].reasons(tiny(), "fr")
    assert reasons == [
        "Site",
        "Site solide",
        "Site fort",
        "À faire avant\u202f: social_page, website_stock",
    ]
    replies = roadmap.items[3].reasons(tiny(), "en")
    assert replies == ["Réponses", "Needed first for: social_ads"]
    assert roadmap.reasons(roadmap.items[3], tiny(), "en")[1] == "Needed first for: Campagnes"
    ads = roadmap.items[5].reasons(tiny(), "en")
    assert ads == ["Publicité"]


def test_it_skips_what_exists_and_what_is_closed():
    answers = TOP | {"social_replies": "days", "social_ads": "no"}
    roadmap = roadmap_for(answers)
    # own site (website_create excluded, stock full), facebook page exists: only the rest
    assert roadmap.keys == ("social_replies", "social_ads")
    assert roadmap.items[1].required_by == ()
    assert roadmap_for(TOP).items == ()


def test_it_counts_a_satisfied_prerequisite_as_done():
    answers = TOP | {"social_networks": ["facebook"], "social_replies": "never"}
    roadmap = roadmap_for(answers)
    assert "social_page" not in roadmap.keys  # excluded: the page exists
    assert "social_replies" in roadmap.keys


def test_it_serialises_the_roadmap():
    roadmap = roadmap_for(LOW)
    data = json.loads(json.dumps(roadmap.to_dict()))
    assert [i["action"] for i in data["items"]][:2] == ["website_create", "social_page"]
    assert data["suggestion"] == ["website_create", "social_page"]
    assert data["backlog"] == [] and data["capacities"] == [5, 6, 8]
    assert data["items"][0]["gaps"] == [{"question": "website_own", "area": None, "below": 10}]


def test_it_is_deterministic():
    assert roadmap_for(LOW) == roadmap_for(dict(LOW))


def test_it_refuses_a_catalogue_of_another_version():
    catalogue = parse_catalogue(tiny_actions_data(), questionnaire=tiny())
    result = score(tiny(), LOW)
    with pytest.raises(ValueError, match="another questionnaire version"):
        build_roadmap(real(), LOW, result, catalogue)


def test_it_pulls_the_backlog_forward_as_actions_are_done():
    from tests.engine.helpers import personas, real_catalogue

    a = next(p for p in personas() if p["persona"] == "A")
    questionnaire = real().for_profile(a["dealership"]["profile"])
    result = score(questionnaire, a["answers"])
    before = build_roadmap(questionnaire, a["answers"], result, real_catalogue())
    assert len(before.horizon("0-3")) == 5 and before.backlog
    done = {item.key for item in before.horizon("0-3")[:2]}
    after = build_roadmap(questionnaire, a["answers"], result, real_catalogue(), done=done)
    first = after.horizon("0-3")
    assert len(first) == 7 and sum(1 for item in first if not item.done) == 5
    assert {item.key for item in first if item.done} == done
    assert len(after.backlog) == len(before.backlog) - 2
    assert set(after.backlog_keys) < set(before.backlog_keys)
