"""The questionnaire loader: a valid file loads; each malformed case is refused precisely."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from maturity.engine.answers import AnswerError, validate_answer
from maturity.engine.definition import DONT_KNOW, Text, question_max_points
from maturity.engine.loader import (
    AREA_KEYS,
    QuestionnaireError,
    load_questionnaire,
    parse_questionnaire,
)
from tests.engine.helpers import QUESTIONNAIRE_PATH, opt, t, tiny, tiny_data


def parse(data: dict[str, Any]):
    return parse_questionnaire(data, source="tiny", require_all_areas=False)


def q(data: dict[str, Any], area: int, question: int) -> dict[str, Any]:
    return data["areas"][area]["questions"][question]


# --- a valid questionnaire ---------------------------------------------------------------


def test_it_loads_a_valid_questionnaire():
    questionnaire = tiny()
    assert questionnaire.version == "test.1"
    assert [a.key for a in questionnaire.areas] == ["website", "social", "reviews"]
    stock = questionnaire.question("website_stock")
    assert stock.area == "website"
    assert stock.required is True
    assert stock.show_if is not None and stock.show_if.any_of == ("own_site",)
    assert questionnaire.question("website_url").required is False
    assert questionnaire.question("website_url").max_length == 300
    ads = questionnaire.question("social_ads")
    assert [(o.key, o.label, o.points) for o in ads.options] == [
        ("yes", Text("Oui", "Yes"), 3),
        ("no", Text("Non", "No"), 0),
    ]
    assert questionnaire.rungs[2].requires_website is True
    assert questionnaire.rungs[1].requires_website is False
    assert question_max_points(questionnaire.question("social_networks")) == 5
    assert question_max_points(questionnaire.question("social_posts")) == 5


def test_it_asks_each_dealer_profile_its_own_questions():
    data = tiny_data()
    data["areas"][0]["questions"][1]["profiles"] = ["brand_dealer", "independent"]
    data["areas"][1]["questions"][0]["options"][2]["profiles"] = ["repairer"]
    data["confidence"] = {"provisional_above": 0.4}
    questionnaire = parse(data)
    assert questionnaire.profile == "brand_dealer"
    assert questionnaire.provisional_above == 0.4
    assert questionnaire.has_question("website_stock")
    repairer = questionnaire.for_profile("repairer")
    assert repairer.profile == "repairer"
    assert not repairer.has_question("website_stock")
    assert repairer.any_question("website_stock") is not None
    assert repairer.content_hash == questionnaire.content_hash
    assert [o.key for o in repairer.question("social_networks").options] == [
        "facebook",
        "instagram",
        "tiktok",
        "none",
    ]
    assert "tiktok" not in [o.key for o in questionnaire.question("social_networks").options]
    assert repairer.for_profile("brand_dealer") is questionnaire
    assert questionnaire.for_profile(None) is questionnaire
    assert questionnaire.for_profile("repairer") is repairer
    with pytest.raises(ValueError, match="unknown dealer profile"):
        questionnaire.for_profile("castle")


def test_it_hashes_the_content_canonically():
    data = tiny_data()
    first = parse(data)
    reordered = dict(reversed(list(data.items())))
    assert parse(reordered).content_hash == first.content_hash
    assert len(first.content_hash) == 64
    data["areas"][0]["weight"] = 3
    assert parse(data).content_hash != first.content_hash


def test_it_requires_all_seven_areas_by_default():
    with pytest.raises(QuestionnaireError) as error:
        parse_questionnaire(tiny_data(), source="tiny")
    assert "areas: missing area(s): monitoring, crm, contact_center, strategy" in str(error.value)


def test_it_loads_the_real_questionnaire():
    questionnaire = load_questionnaire(QUESTIONNAIRE_PATH)
    assert tuple(a.key for a in questionnaire.areas) == AREA_KEYS
    assert len(questionnaire.rungs) == 5
    assert all(a.questions for a in questionnaire.areas)


def test_it_reads_yaml_strictly(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("version: '1'\nversion: '2'\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="duplicate key 'version'"):
        load_questionnaire(path)
    path.write_text("version: [\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="invalid YAML"):
        load_questionnaire(path)
    with pytest.raises(QuestionnaireError, match="cannot read the file"):
        load_questionnaire(tmp_path / "missing.yaml")


def test_it_keeps_yes_and_no_as_text_in_yaml(tmp_path):
    import yaml

    data = tiny_data()
    text = yaml.safe_dump(data, allow_unicode=True).replace("'yes'", "yes").replace("'no'", "no")
    assert "yes: 3" in text
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    questionnaire = load_questionnaire(path, require_all_areas=False)
    assert questionnaire.question("social_ads").option("yes").points == 3


def test_it_reports_every_problem_at_once():
    data = tiny_data()
    q(data, 0, 0)["kind"] = "dropdown"
    q(data, 2, 0)["options"][0]["points"] = -1
    with pytest.raises(QuestionnaireError) as error:
        parse(data)
    assert len(error.value.problems) == 2
    assert "tiny: 2 problems" in str(error.value)


# --- malformed content -------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node = data
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return mutate


def _do(fn: Callable[[dict[str, Any]], Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        fn(data)

    return mutate


A0, A1, A2 = ["areas", 0, "questions"], ["areas", 1, "questions"], ["areas", 2, "questions"]
RUNGS = ["ladder", "rungs"]

MALFORMED: list[tuple[str, Mutation, str]] = [
    (
        "missing en",
        _delete([*A0, 0, "text", "en"]),
        "areas[0].questions[0].text (website_own): missing 'en' text",
    ),
    (
        "empty fr",
        _set([*A0, 0, "help", "fr"], "  "),
        "areas[0].questions[0].help.fr (website_own): empty text",
    ),
    (
        "unknown language",
        _set([*A0, 0, "text", "de"], "x"),
        "areas[0].questions[0].text (website_own): unknown language 'de'",
    ),
    ("unknown top field", _set(["author"], "me"), "(top level): unknown field 'author'"),
    ("missing top field", _delete(["ladder"]), "(top level): missing field 'ladder'"),
    (
        "version not text",
        _set(["version"], 2026.1),
        "version: expected a non-empty text, got the number 2026.1",
    ),
    (
        "duplicate question key",
        _set([*A1, 3, "key"], "social_networks"),
        "areas[1].questions[3] (social_networks): duplicate question key 'social_networks' (first "
        "at areas[1].questions[0])",
    ),
    (
        "duplicate option key",
        _set([*A2, 0, "options", 1, "key"], "never"),
        "areas[2].questions[0].options[1] (reviews_reply): duplicate option key 'never'",
    ),
    (
        "reserved option key",
        _set([*A2, 0, "options", 1, "key"], DONT_KNOW),
        "option key 'dont_know' is reserved",
    ),
    (
        "unknown kind",
        _set([*A0, 0, "kind"], "dropdown"),
        "areas[0].questions[0] (website_own): unknown kind 'dropdown'",
    ),
    (
        "negative points",
        _set([*A2, 0, "options", 0, "points"], -1),
        "areas[2].questions[0].options[0].points (reviews_reply): must be at least 0, got -1",
    ),
    (
        "bool points",
        _set([*A2, 0, "options", 0, "points"], True),
        "expected a number, got the boolean true",
    ),
    (
        "scale count",
        _set([*A0, 2, "scale", "points"], [0, 3]),
        "areas[0].questions[2].scale.points (website_updates): expected 3 entries (one per value "
        "1..3), got 2",
    ),
    (
        "scale decreasing",
        _set([*A0, 2, "scale", "points"], [0, 6, 3]),
        "areas[0].questions[2].scale.points[2] (website_updates): points must not decrease: 3 "
        "comes after 6",
    ),
    ("scale min >= max", _set([*A0, 2, "scale", "max"], 1), "scale min (1) must be below max (1)"),
    (
        "bands unsorted",
        _set(
            [*A1, 2, "number", "bands"],
            [{"at_least": 10, "points": 5}, {"at_least": 1, "points": 6}],
        ),
        "areas[1].questions[2].number.bands[1] (social_posts): bands must be sorted by at_least, "
        "strictly ascending: 1 comes after 10",
    ),
    (
        "bands points decrease",
        _set(
            [*A1, 2, "number", "bands"],
            [{"at_least": 1, "points": 5}, {"at_least": 10, "points": 2}],
        ),
        "band points must not decrease: 2 comes after 5",
    ),
    (
        "band outside range",
        _set([*A1, 2, "number", "bands", 1, "at_least"], 1000),
        "at_least 1000 is outside 0..100",
    ),
    (
        "show_if unknown question",
        _set([*A2, 0, "show_if"], {"question": "x", "any_of": ["a"]}),
        "areas[2].questions[0] (reviews_reply): show_if refers to unknown question 'x'",
    ),
    (
        "show_if later question",
        _set([*A0, 0, "show_if"], {"question": "reviews_reply", "any_of": ["all"]}),
        "show_if refers to question 'reviews_reply', which comes later",
    ),
    (
        "show_if itself",
        _set([*A0, 0, "show_if"], {"question": "website_own", "any_of": ["own_site"]}),
        "show_if refers to the question itself",
    ),
    (
        "show_if unknown option",
        _set([*A0, 1, "show_if", "any_of"], ["own"]),
        "areas[0].questions[1].show_if.any_of (website_stock): show_if refers to option 'own', "
        "which question 'website_own' does not have",
    ),
    (
        "show_if not upward closed",
        _set([*A1, 1, "show_if", "any_of"], ["tiktok"]),
        "show_if is not upward closed: 'facebook' (2 points), 'instagram' (2 points) score(s) at "
        "least as much as the revealing option 'tiktok'",
    ),
    (
        "show_if on a scale",
        _set([*A1, 3, "show_if"], {"question": "website_updates", "any_of": ["1"]}),
        "show_if refers to question 'website_updates' of kind 'scale'",
    ),
    (
        "show_if empty",
        _set([*A0, 1, "show_if", "any_of"], []),
        "show_if.any_of (website_stock): expected a non-empty list of option keys",
    ),
    (
        "yesno with options",
        _set([*A1, 3, "options"], [opt("yes", 3), opt("no", 0)]),
        "areas[1].questions[3] (social_ads): a yes/no question has no 'options'",
    ),
    (
        "yesno missing no",
        _delete([*A1, 3, "points", "no"]),
        "areas[1].questions[3].points (social_ads): missing field 'no'",
    ),
    (
        "yesno extra key",
        _set([*A1, 3, "points", "maybe"], 1),
        "unknown field 'maybe' for yes/no points",
    ),
    (
        "options on a scale",
        _set([*A0, 2, "options"], []),
        "areas[0].questions[2] (website_updates): field 'options' is not allowed for kind 'scale'",
    ),
    (
        "unknown question field",
        _set([*A0, 0, "weight"], 2),
        "areas[0].questions[0] (website_own): unknown field 'weight'",
    ),
    (
        "unknown option field",
        _set([*A0, 0, "options", 0, "colour"], "red"),
        "areas[0].questions[0].options[0] (website_own): unknown field 'colour'",
    ),
    (
        "exclusive in single",
        _set([*A0, 0, "options", 0, "exclusive"], True),
        "'exclusive' is only for multi-choice questions",
    ),
    (
        "exclusive scoring more",
        _set([*A1, 0, "options", 3, "points"], 4),
        "exclusive option 'none' (4 points) must not score more than any other option (1)",
    ),
    (
        "single option",
        _set([*A2, 0, "options"], [opt("all", 6)]),
        "a choice needs at least two options",
    ),
    (
        "missing options",
        _delete([*A2, 0, "options"]),
        "areas[2].questions[0] (reviews_reply): missing field 'options' (needed for kind 'single')",
    ),
    ("missing help", _delete([*A2, 0, "help"]), "missing field 'help'"),
    (
        "dont know on text",
        _set([*A2, 1, "allow_dont_know"], True),
        "allow_dont_know is only for scored kinds, not 'text'",
    ),
    (
        "key not snake case",
        _set([*A2, 0, "key"], "Reviews-Reply"),
        "question key 'Reviews-Reply' is not snake_case",
    ),
    (
        "key without area prefix",
        _set([*A2, 0, "key"], "reply"),
        "areas[2].questions[0] (reply): question key must start with 'reviews_'",
    ),
    ("unknown area", _set(["areas", 2, "key"], "press"), "areas[2] (press): unknown area 'press'"),
    ("areas out of order", _set(["areas"], None), ""),  # replaced below
    (
        "weight zero",
        _set(["areas", 0, "weight"], 0),
        "areas[0].weight (website): must be greater than 0, got 0",
    ),
    (
        "area cannot score",
        _set([*A2, 0, "options"], [opt("never", 0), opt("all", 0)]),
        "areas[2] (reviews): no question of the area can earn points",
    ),
    (
        "levels unsorted",
        _set(["levels", 2, "min_score"], 30),
        "levels[2] (advanced): levels must be sorted by min_score, strictly ascending: 30 comes "
        "after 40",
    ),
    (
        "levels not from 0",
        _set(["levels", 0, "min_score"], 10),
        "levels[0] (initial): the first level must start at 0",
    ),
    (
        "four rungs",
        _do(lambda d: d["ladder"]["rungs"].pop()),
        "ladder.rungs: expected exactly 5 rungs, got 4",
    ),
    (
        "rungs misnumbered",
        _set([*RUNGS, 1, "number"], 3),
        "ladder.rungs[1] (isolated_presence): rungs are numbered 1..5 in order: expected 2, got 3",
    ),
    (
        "rung 1 with condition",
        _set(
            [*RUNGS, 0, "conditions"],
            [{"kind": "area_min", "area": "website", "min": 1, "label": t("x")}],
        ),
        "ladder.rungs[0] (web10): rung 1 has no condition",
    ),
    (
        "rung 3 without website",
        _set([*RUNGS, 2, "requires_website"], False),
        "ladder.rungs[2] (dialogue): the website is a prerequisite for rungs 3..5 and only for "
        "them: requires_website must be true",
    ),
    (
        "condition unknown area",
        _set([*RUNGS, 3, "conditions", 1, "area"], "press"),
        "ladder.rungs[3].conditions[1] (connected): condition refers to unknown area 'press'",
    ),
    (
        "condition unknown question",
        _set([*RUNGS, 1, "conditions", 0, "question"], "social_x"),
        "ladder.rungs[1].conditions[0] (isolated_presence): condition refers to unknown question "
        "'social_x'",
    ),
    (
        "condition on text",
        _set([*RUNGS, 1, "conditions", 0, "question"], "reviews_comment"),
        "condition refers to question 'reviews_comment' of kind 'text', which is not scored",
    ),
    (
        "condition unreachable",
        _set([*RUNGS, 1, "conditions", 0, "min"], 6),
        "ladder.rungs[1].conditions[0].min (isolated_presence): min 6 can never be reached: "
        "question 'social_networks' gives at most 5",
    ),
    (
        "condition unknown kind",
        _set([*RUNGS, 1, "conditions", 0, "kind"], "rung_min"),
        "unknown condition kind 'rung_min'",
    ),
    (
        "condition extra field",
        _set([*RUNGS, 1, "conditions", 0, "area"], "social"),
        "unknown field 'area' for question_min",
    ),
    (
        "prerequisite empty",
        _set(["ladder", "website_prerequisite"], []),
        "ladder.website_prerequisite: must not be empty",
    ),
    (
        "max_length not positive",
        _set([*A2, 1, "max_length"], 0),
        "areas[2].questions[1].max_length (reviews_comment): must be greater than 0",
    ),
]


def _reviews_for_repairers(data: dict[str, Any]) -> None:
    for question in data["areas"][2]["questions"]:
        question["profiles"] = ["repairer"]


def _facebook_for_brand_dealers(data: dict[str, Any]) -> None:
    data["areas"][1]["questions"][0]["options"][0]["profiles"] = ["brand_dealer"]
    data["ladder"]["rungs"][1]["conditions"][0]["min"] = 5


MALFORMED += [
    (
        "unknown profile",
        _set([*A0, 1, "profiles"], ["dealer"]),
        "areas[0].questions[1].profiles (website_stock): unknown dealer profile 'dealer'",
    ),
    (
        "empty profiles",
        _set([*A0, 1, "profiles"], []),
        "expected a non-empty list of dealer profiles",
    ),
    (
        "profile twice",
        _set([*A0, 1, "profiles"], ["repairer", "repairer"]),
        "profile 'repairer' is listed twice",
    ),
    (
        "profiles on a single-choice option",
        _set([*A0, 1, "options", 1, "profiles"], ["repairer"]),
        "'profiles' on an option is only for non-exclusive multi-choice options",
    ),
    (
        "condition on a question some profiles are not asked",
        _set([*A1, 1, "profiles"], ["repairer"]),
        "condition refers to question 'social_replies', which is asked of some profiles only",
    ),
    (
        "follow-up asked of more profiles than its trigger",
        _set([*A0, 0, "profiles"], ["repairer"]),
        "show_if refers to question 'website_own', which is not asked of brand_dealer",
    ),
    (
        "area without points for a profile",
        _reviews_for_repairers,
        "areas[2] (reviews): no question of the area can earn points for the profile "
        "'brand_dealer'",
    ),
    (
        "condition out of reach for a profile",
        _facebook_for_brand_dealers,
        "min 5 on 'social_networks' can never be reached by the profile 'brand_agent'",
    ),
    (
        "provisional share above 1",
        _set(["confidence"], {"provisional_above": 2}),
        "confidence.provisional_above: must be at most 1",
    ),
    (
        "unknown confidence field",
        _set(["confidence"], {"share": 0.2}),
        "confidence: unknown field 'share'",
    ),
]

MALFORMED = [case for case in MALFORMED if case[0] != "areas out of order"]


def _swap_areas(data: dict[str, Any]) -> None:
    data["areas"][0], data["areas"][1] = data["areas"][1], data["areas"][0]


MALFORMED.append(
    ("areas out of order", _swap_areas, "areas[1] (website): areas must come in the order")
)


@pytest.mark.parametrize(
    ("mutate", "expected"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_it_refuses_malformed_content_with_a_precise_message(mutate, expected):
    data = tiny_data()
    mutate(data)
    with pytest.raises(QuestionnaireError) as error:
        parse(data)
    assert expected in str(error.value), str(error.value)
    assert str(error.value).startswith("tiny: ")


# --- answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("website_own", "own_site", "own_site"),
        ("social_ads", True, "yes"),
        ("social_ads", "no", "no"),
        ("social_networks", ["instagram", "facebook", "instagram"], ["facebook", "instagram"]),
        ("social_networks", ["none"], ["none"]),
        ("social_replies", DONT_KNOW, DONT_KNOW),
        ("website_updates", 2, 2),
        ("website_updates", "3", 3),
        ("website_updates", 2.0, 2),
        ("social_posts", "12", 12),
        ("social_posts", 0, 0),
        ("website_url", " https://garage.example/stock ", "https://garage.example/stock"),
        ("website_url", "", None),
        ("reviews_comment", "  bien  ", "bien"),
    ],
)
def test_it_normalizes_valid_answers(key, value, expected):
    assert validate_answer(tiny().question(key), value) == expected


@pytest.mark.parametrize(
    ("key", "value", "code", "message"),
    [
        (
            "website_own",
            "castle",
            "unknown_option",
            "website_own: 'castle' is not an option of the question (none, locator_only, own_site)",
        ),
        ("website_own", DONT_KNOW, "unknown_option", "'dont_know' is not an option"),
        ("website_own", None, "missing", "website_own: an answer is required"),
        ("website_own", ["own_site"], "wrong_type", "expected an option key"),
        (
            "social_networks",
            ["facebook", "none"],
            "exclusive",
            "'none' cannot be combined with other options",
        ),
        ("social_networks", ["myspace"], "unknown_option", "'myspace' not among the options"),
        ("social_networks", "facebook", "wrong_type", "expected a list of option keys"),
        ("social_networks", [], "missing", "an answer is required"),
        ("website_updates", 4, "out_of_range", "website_updates: 4 is outside 1..3"),
        ("website_updates", 1.5, "not_integer", "1.5 is not a whole number"),
        ("social_posts", "a lot", "not_a_number", "'a lot' is not a number"),
        ("social_posts", 101, "out_of_range", "101 is outside 0..100"),
        ("social_posts", float("nan"), "not_a_number", "is not a number"),
        ("social_posts", True, "not_a_number", "True is not a number"),
        ("reviews_comment", "x" * 51, "too_long", "51 characters, more than the 50 allowed"),
        (
            "website_url",
            "ftp://garage.example",
            "bad_url",
            "'ftp://garage.example' is not an http(s) address",
        ),
        ("website_url", "garage.example", "bad_url", "is not an http(s) address"),
        ("website_url", "https://", "bad_url", "is not an http(s) address"),
    ],
)
def test_it_refuses_invalid_answers_with_a_clear_message(key, value, code, message):
    with pytest.raises(AnswerError) as error:
        validate_answer(tiny().question(key), value)
    assert error.value.code == code
    assert error.value.question == key
    assert message in str(error.value)
