"""Advice a dealer principal acts on, on every page: the way up as first-quarter actions,
a folded backlog, how firm the result is, and at the top rung advice on staying there,
never an empty widget or "0 actions"."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from maturity.demo.personas import load_persona
from maturity.engine.definition import DONT_KNOW
from maturity.reports.render import render_report_html
from tests.factories import DealershipFactory, MembershipFactory, submitted_assessment

pytestmark = pytest.mark.django_db
EMPTY = ("0 actions", "0 of 0", "0 action", "Nothing planned", "Nothing for this period")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies.load({"django_language": "en"})


def _text(response) -> str:
    assert response.status_code == 200
    return _words(response.content.decode())


def _words(page: str) -> str:
    """The visible text of an HTML page: no markup, no SVG, spaces collapsed."""
    page = re.sub(r"<svg.*?</svg>", " ", html.unescape(page), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _dealer(letter: str, **answers):
    persona = load_persona(letter)
    dealership = DealershipFactory(name=persona.dealership["name"], profile=persona.profile)
    owner = MembershipFactory(dealership=dealership, role="owner").user
    assessment = submitted_assessment(
        dealership=dealership, answers=persona.answers | answers, user=owner
    )
    return dealership, owner, assessment


def _pages(client, dealership, owner, assessment) -> dict[str, str]:
    client.force_login(owner)
    return {
        "results": _text(client.get(reverse("assessment_results", args=[assessment.pk]))),
        "home": _text(client.get(reverse("dealership_detail", args=[dealership.pk]))),
        "roadmap": _text(client.get(reverse("roadmap_followup", args=[dealership.pk]))),
        # The PDF's HTML, as WeasyPrint gets it (test_reports_pdf reads real PDFs back).
        "pdf": _words(render_report_html(assessment=assessment, language="en")),
    }


def test_an_independent_dealer_reads_lead_capture_first_and_no_manufacturer(client):
    dealership, owner, assessment = _dealer("E")
    pages = _pages(client, dealership, owner, assessment)
    results = pages["results"]
    assert "Dialogue" in results
    box = results[results.index("To reach the next rung") :]
    assert "these 5 actions take you to rung 4" in box
    assert box.index("Choose a simple CRM") < box.index("Your seven areas")
    assert "Do you use a CRM" in box and "No, we do not have one" in box
    assert "4 answers out of 38 unknown" in results
    roadmap = results[results.index("Your roadmap") :]
    # (the ladder's own words may name a manufacturer; no action sends it to one's programme)
    assert "programme" not in roadmap.lower() and "manufacturer's crm" not in roadmap.lower()
    assert "Later: 7 more actions, taken up as you finish those above" in roadmap
    assert "4 answers out of 38 unknown" in pages["home"]
    assert "7 more actions wait for later" in pages["roadmap"]
    pdf = pages["pdf"]
    assert "Later, once these are done: 7 more actions" in pdf and "starting with" in pdf
    assert "The way up, in the first three months: Choose a simple CRM" in pdf
    plan = pdf[pdf.index("Your roadmap") : pdf.index("Appendix: every answer")]
    assert "programme" not in plan.lower()
    for text in pages.values():
        assert not any(empty in text for empty in EMPTY), text


def test_a_top_rung_dealer_gets_advice_on_staying_there(client):
    dealership, owner, assessment = _dealer("D")
    pages = _pages(client, dealership, owner, assessment)
    for name, text in pages.items():
        assert "Staying at the top" in text, name
        assert "Keep the monthly indicator review" in text, name
        assert not any(empty in text for empty in EMPTY), (name, text)
    assert "Your figures are reviewed now: “Every month, against targets”." in pages["results"]
    assert "Your next assessment: by" in pages["results"]
    assert "To go further" in pages["results"]  # one action left: answering within the hour


def test_a_top_rung_dealer_with_nothing_left_sees_no_empty_roadmap(client):
    dealership, owner, assessment = _dealer("D", social_replies="within_hour")
    pages = _pages(client, dealership, owner, assessment)
    for name, text in pages.items():
        assert "Staying at the top" in text, name
        assert not any(empty in text for empty in EMPTY), (name, text)
    assert "Your roadmap" not in pages["results"] and "To go further" not in pages["results"]
    assert "Your next three actions" not in pages["home"]
    assert "See the whole roadmap" not in pages["home"]
    assert "actions done" not in pages["roadmap"]
    assert "Your weakest area is" in pages["home"]


def test_a_result_built_mostly_on_dont_know_is_provisional(client):
    persona = load_persona("B")
    dealership = DealershipFactory(profile="brand_dealer")
    owner = MembershipFactory(dealership=dealership, role="owner").user
    unsure = {
        "website_mobile": DONT_KNOW,
        "website_updates": DONT_KNOW,
        "website_analytics": DONT_KNOW,
        "social_paid": DONT_KNOW,
        "crm_response_time": DONT_KNOW,
        "crm_conversion": DONT_KNOW,
        "contact_center_consistency": DONT_KNOW,
        "contact_center_service_levels": DONT_KNOW,
        "strategy_budget": DONT_KNOW,
        "strategy_training": DONT_KNOW,
    }
    assessment = submitted_assessment(
        dealership=dealership, answers=persona.answers | unsure, user=owner
    )
    pages = _pages(client, dealership, owner, assessment)
    results = pages["results"]
    assert "Provisional" in results and "This rung is provisional." in results
    assert "10 answers out of 32 unknown" in results
    first = results[results.index("Find out first:") :][:400]
    assert (
        "How quickly does a customer who writes to you online usually get a first answer?" in first
    )
    assert "Provisional" in pages["home"] and "The rung is provisional" in pages["home"]
    assert "This rung is provisional." in pages["pdf"]
