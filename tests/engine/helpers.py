"""Shared test data for the engine tests: a small synthetic questionnaire and catalogue,
and the real content files."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from maturity.engine.catalogue import Catalogue, load_catalogue, parse_catalogue
from maturity.engine.definition import DONT_KNOW, Question, Questionnaire
from maturity.engine.loader import load_questionnaire, parse_questionnaire

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "maturity" / "content"
QUESTIONNAIRE_PATH = CONTENT / "questionnaire.yaml"
ACTIONS_PATH = CONTENT / "actions.yaml"
PERSONAS_DIR = CONTENT / "personas"


def t(fr: str, en: str | None = None) -> dict[str, str]:
    return {"fr": fr, "en": en or fr}


def opt(key: str, points: float, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": t(key.replace("_", " ")), "points": points, **extra}


NETWORKS = ["facebook", "instagram", "tiktok"]

TINY: dict[str, Any] = {
    "version": "test.1",
    "levels": [
        {"key": "initial", "min_score": 0, "label": t("Débutant", "Beginner")},
        {"key": "progressing", "min_score": 40, "label": t("En progrès", "Progressing")},
        {"key": "advanced", "min_score": 70, "label": t("Avancé", "Advanced")},
    ],
    "areas": [
        {
            "key": "website",
            "weight": 2,
            "title": t("Site", "Website"),
            "intro": t("Le site", "The website"),
            "questions": [
                {
                    "key": "website_own",
                    "kind": "single",
                    "text": t("Site propre ?", "Own site?"),
                    "help": t("Le site d'abord.", "Website first."),
                    "options": [
                        opt("none", 0),
                        opt("locator_only", 0),
                        opt("own_site", 10),
                    ],
                },
                {
                    "key": "website_stock",
                    "kind": "single",
                    "text": t("Stock en ligne ?", "Stock online?"),
                    "help": t("Le stock.", "The stock."),
                    "options": [opt("no", 0), opt("partial", 5), opt("full", 10)],
                    "show_if": {"question": "website_own", "any_of": ["own_site"]},
                },
                {
                    "key": "website_updates",
                    "kind": "scale",
                    "allow_dont_know": True,
                    "text": t("Mises à jour", "Updates"),
                    "help": t("Fraîcheur.", "Freshness."),
                    "scale": {
                        "min": 1,
                        "max": 3,
                        "points": [0, 3, 6],
                        "min_label": t("Jamais", "Never"),
                        "max_label": t("Chaque jour", "Daily"),
                    },
                    "show_if": {"question": "website_own", "any_of": ["own_site"]},
                },
                {"key": "website_url", "kind": "url", "text": t("Adresse", "Address")},
            ],
        },
        {
            "key": "social",
            "weight": 1,
            "title": t("Réseaux", "Social"),
            "intro": t("Les réseaux", "Social networks"),
            "questions": [
                {
                    "key": "social_networks",
                    "kind": "multi",
                    "text": t("Réseaux ?", "Networks?"),
                    "help": t("Présence.", "Presence."),
                    "options": [
                        opt("facebook", 2),
                        opt("instagram", 2),
                        opt("tiktok", 1),
                        opt("none", 0, exclusive=True),
                    ],
                },
                {
                    "key": "social_replies",
                    "kind": "single",
                    "allow_dont_know": True,
                    "text": t("Réponses ?", "Replies?"),
                    "help": t("Dialogue.", "Dialogue."),
                    "options": [opt("never", 0), opt("days", 4), opt("hours", 8)],
                    "show_if": {"question": "social_networks", "any_of": NETWORKS},
                },
                {
                    "key": "social_posts",
                    "kind": "number",
                    "text": t("Publications par mois", "Posts per month"),
                    "help": t("Régularité.", "Regularity."),
                    "number": {
                        "min": 0,
                        "max": 100,
                        "integer": True,
                        "unit": t("publications", "posts"),
                        "bands": [{"at_least": 1, "points": 2}, {"at_least": 10, "points": 5}],
                    },
                    "show_if": {"question": "social_networks", "any_of": NETWORKS},
                },
                {
                    "key": "social_ads",
                    "kind": "yesno",
                    "text": t("Publicité ?", "Ads?"),
                    "help": t("Campagnes.", "Campaigns."),
                    "points": {"yes": 3, "no": 0},
                },
            ],
        },
        {
            "key": "reviews",
            "weight": 1,
            "title": t("Avis", "Reviews"),
            "intro": t("Les avis", "Reviews"),
            "questions": [
                {
                    "key": "reviews_reply",
                    "kind": "single",
                    "text": t("Réponse aux avis ?", "Reply to reviews?"),
                    "help": t("Réputation.", "Reputation."),
                    "options": [opt("never", 0), opt("some", 3), opt("all", 6)],
                },
                {
                    "key": "reviews_comment",
                    "kind": "text",
                    "max_length": 50,
                    "text": t("Commentaire", "Comment"),
                },
            ],
        },
    ],
    "ladder": {
        "website_prerequisite": [
            {"kind": "question_min", "question": "website_own", "min": 10, "label": t("Site")},
            {"kind": "area_min", "area": "website", "min": 50, "label": t("Site solide")},
        ],
        "rungs": [
            {"number": 1, "key": "web10", "title": t("Web 1.0"), "description": t("Statique")},
            {
                "number": 2,
                "key": "isolated_presence",
                "title": t("Présence isolée"),
                "description": t("Des comptes"),
                "conditions": [
                    {
                        "kind": "question_min",
                        "question": "social_networks",
                        "min": 1,
                        "label": t("Un compte"),
                    }
                ],
            },
            {
                "number": 3,
                "key": "dialogue",
                "title": t("Dialogue"),
                "description": t("On répond"),
                "requires_website": True,
                "conditions": [
                    {
                        "kind": "question_min",
                        "question": "social_replies",
                        "min": 4,
                        "label": t("Réponses"),
                    },
                    {
                        "kind": "question_min",
                        "question": "reviews_reply",
                        "min": 3,
                        "label": t("Avis"),
                    },
                ],
            },
            {
                "number": 4,
                "key": "connected",
                "title": t("Connecté"),
                "description": t("Mesuré"),
                "requires_website": True,
                "conditions": [
                    {
                        "kind": "question_min",
                        "question": "social_posts",
                        "min": 5,
                        "label": t("Régulier"),
                    },
                    {"kind": "area_min", "area": "website", "min": 80, "label": t("Site fort")},
                ],
            },
            {
                "number": 5,
                "key": "integrated",
                "title": t("Intégré"),
                "description": t("Stratégie"),
                "requires_website": True,
                "conditions": [
                    {
                        "kind": "question_min",
                        "question": "reviews_reply",
                        "min": 6,
                        "label": t("Tous les avis"),
                    },
                    {
                        "kind": "question_min",
                        "question": "social_ads",
                        "min": 3,
                        "label": t("Publicité"),
                    },
                ],
            },
        ],
    },
}

TINY_ACTIONS: dict[str, Any] = {
    "version": "test.1",
    "actions": [
        {
            "key": "website_create",
            "area": "website",
            "title": t("Créer le site"),
            "why": t("Fondations"),
            "owner": "dealer_principal",
            "effort": "large",
            "impact": "high",
            "kpi": t("Site en ligne"),
            "requires": [],
            "closes": [{"question": "website_own", "below": 10}],
            "not_if": [{"question": "website_own", "answer_in": ["own_site"]}],
        },
        {
            "key": "website_stock",
            "area": "website",
            "title": t("Stock en ligne"),
            "why": t("Stock"),
            "owner": "sales",
            "effort": "medium",
            "impact": "high",
            "kpi": t("Stock"),
            "requires": ["website_create"],
            "closes": [
                {"question": "website_stock", "below": 10},
                {"area": "website", "below": 80},
            ],
        },
        {
            "key": "social_page",
            "area": "social",
            "title": t("Ouvrir une page"),
            "why": t("Présence"),
            "owner": "marketing",
            "effort": "small",
            "impact": "medium",
            "kpi": t("Abonnés"),
            "requires": ["website_create"],
            "closes": [{"question": "social_networks", "below": 1}],
            "not_if": [{"question": "social_networks", "answer_in": ["facebook"]}],
        },
        {
            "key": "social_replies",
            "area": "social",
            "title": t("Répondre"),
            "why": t("Dialogue"),
            "owner": "marketing",
            "effort": "small",
            "impact": "high",
            "kpi": t("Délai"),
            "requires": ["social_page"],
            "closes": [{"question": "social_replies", "below": 8}],
        },
        {
            "key": "reviews_reply",
            "area": "reviews",
            "title": t("Répondre aux avis"),
            "why": t("Réputation"),
            "owner": "after_sales",
            "effort": "small",
            "impact": "high",
            "kpi": t("Avis"),
            "closes": [{"question": "reviews_reply", "below": 6}],
        },
        {
            "key": "social_ads",
            "area": "social",
            "title": t("Campagnes"),
            "why": t("Audience"),
            "owner": "marketing",
            "effort": "medium",
            "impact": "medium",
            "kpi": t("Coût par contact"),
            "requires": ["website_stock", "social_replies"],
            "closes": [{"question": "social_ads", "below": 3}],
        },
    ],
}


def tiny_data() -> dict[str, Any]:
    return copy.deepcopy(TINY)


def tiny_actions_data() -> dict[str, Any]:
    return copy.deepcopy(TINY_ACTIONS)


@functools.cache
def tiny() -> Questionnaire:
    return parse_questionnaire(tiny_data(), source="tiny", require_all_areas=False)


@functools.cache
def tiny_catalogue() -> Catalogue:
    return parse_catalogue(tiny_actions_data(), source="tiny-actions", questionnaire=tiny())


@functools.cache
def real() -> Questionnaire:
    return load_questionnaire(QUESTIONNAIRE_PATH)


@functools.cache
def real_catalogue() -> Catalogue:
    return load_catalogue(ACTIONS_PATH, real())


def questionnaires() -> list[tuple[str, Any]]:
    """The questionnaires the property tests run on: the real one when present."""
    out: list[tuple[str, Any]] = [("tiny", tiny)]
    if QUESTIONNAIRE_PATH.exists():
        out.append(("real", real))
    return out


def personas() -> list[dict[str, Any]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8")) | {"_file": path.name}
        for path in sorted(PERSONAS_DIR.glob("*.yaml"))
    ]


# --- hypothesis strategies ---------------------------------------------------------------


def answer_strategy(question: Question) -> st.SearchStrategy[Any]:
    kind = question.kind
    if kind in ("single", "yesno"):
        base: st.SearchStrategy[Any] = st.sampled_from([o.key for o in question.options])
    elif kind == "multi":
        regular = [o.key for o in question.options if not o.exclusive]
        exclusive = [[o.key] for o in question.options if o.exclusive]
        order = [o.key for o in question.options]
        subsets = st.lists(st.sampled_from(regular), min_size=1, unique=True).map(
            lambda chosen: [k for k in order if k in chosen]
        )
        base = st.one_of(st.sampled_from(exclusive), subsets) if exclusive else subsets
    elif kind == "scale":
        assert question.scale is not None
        base = st.integers(question.scale.min, question.scale.max)
    elif kind == "number":
        assert question.number is not None
        spec = question.number
        anchors = sorted({spec.min, spec.max, *(b.at_least for b in spec.bands)})
        if spec.integer:
            anchors = [int(a) for a in anchors if a == int(a)]
            base = st.one_of(st.sampled_from(anchors), st.integers(int(spec.min), int(spec.max)))
        else:
            base = st.one_of(
                st.sampled_from(anchors),
                st.floats(spec.min, spec.max, allow_nan=False, allow_infinity=False),
            )
    elif kind == "url":
        return st.one_of(st.none(), st.just("https://example.com/page"))
    else:
        return st.one_of(st.none(), st.text(max_size=10))
    if question.allow_dont_know:
        dont_know = [DONT_KNOW] if kind == "multi" else DONT_KNOW
        base = st.one_of(base, st.just(dont_know))
    if not question.required:
        base = st.one_of(st.none(), base)
    return base


def answers_strategy(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    """Complete answer sets (hidden questions answered too: scoring must ignore them)."""
    return st.fixed_dictionaries({q.key: answer_strategy(q) for q in questionnaire.questions})
