"""Who reads the results is who they speak to: the dealer's own people read "vous", its
consultants and staff read the dealership's name."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.maturity.results_helpers import submit_persona

# What only the dealer should read, on the results, roadmap and home pages.
DEALER_ONLY = (
    "votre concession",
    "vos réponses",
    "vous êtes ici",
    "votre score",
    "vos autres réponses",
    "vous sépare",
    "vous fait passer",
    "vous met en route",
    "votre domaine le plus faible",
    "vos chiffres",
    "votre prochaine évaluation",
    "que vous faites",
    "ce qui vous maintient",
    "suivez vos indicateurs",
    "vous terminez",
    "votre feuille de route",
)


def _main_text(client, user, url: str) -> str:
    """The visible text of the page's main content (the menu speaks to the reader, who is
    always "vous"), lower-cased, ASCII spaces collapsed."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    main = re.search(r"<main\b.*?</main>", page, re.S)
    assert main, "no <main> on the page"
    content = re.sub(
        r"<svg.*?</svg>", lambda m: re.sub(r"<[^>]+>", " ", m.group(0)), main.group(0), flags=re.S
    )
    content = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return re.sub(r"[ \t\r\n\f\v]+", " ", content).lower()


def _questionnaire_texts(assessment) -> list[str]:
    """The questions and their choices as asked of the dealer ("Votre concession a-t-elle
    son propre site ?"): quoted as they are, whoever reads them."""
    texts = []
    for question in assessment.definition.questions:
        texts.append(question.text.get("fr"))
        texts.extend(option.label.get("fr") for option in question.options)
    collapsed = (re.sub(r"[ \t\r\n\f\v]+", " ", t).lower() for t in texts)
    return sorted(collapsed, key=len, reverse=True)


def _said_to_the_dealer(text: str, assessment) -> list[str]:
    for quoted in _questionnaire_texts(assessment):
        text = text.replace(quoted, " ")
    return [phrase for phrase in DEALER_ONLY if phrase in text]


def _urls(assessment) -> list[str]:
    return [
        reverse("assessment_results", args=[assessment.pk]),
        reverse("roadmap_followup", args=[assessment.dealership_id]),
        reverse("dealership_detail", args=[assessment.dealership_id]),
    ]


@pytest.mark.parametrize("letter", ["b", "c", "d"])  # a way up, the website cap, the top rung
@pytest.mark.parametrize("reader", ["assigned_consultant", "staff"])
def test_consultants_and_staff_read_of_the_dealership_not_to_it(
    client, request, owner, dealership, letter, reader
):
    assessment = submit_persona(dealership=dealership, user=owner, letter=letter)
    user = request.getfixturevalue(reader)
    for url in _urls(assessment):
        text = _main_text(client, user, url)
        assert _said_to_the_dealer(text, assessment) == [], url
    results = _main_text(client, user, _urls(assessment)[0])
    assert "marche actuelle" in results
    name = dealership.name.lower()
    if letter == "d":
        assert f"chez {name}, le domaine le plus faible est" in results
        assert f"prochaine évaluation pour {name}\u202f: d'ici le" in results
    else:
        assert f"ce qui sépare {name} de" in results


@pytest.mark.parametrize("letter", ["b", "c", "d"])
def test_the_dealers_own_people_are_spoken_to(client, owner, member, dealership, letter):
    assessment = submit_persona(dealership=dealership, user=owner, letter=letter)
    results = _main_text(client, member, _urls(assessment)[0])
    assert "vous êtes ici" in results
    assert "vos réponses" in results
    assert dealership.name.lower() + " de" not in results
    if letter == "d":
        assert "votre domaine le plus faible est" in results
    else:
        assert "vous sépare de" in results
    assert "votre feuille de route" in _main_text(client, owner, _urls(assessment)[1])


def test_the_presenter_names_the_dealership_when_asked(owner, dealership):
    from maturity.results.presenters import present_stored_result

    assessment = submit_persona(dealership=dealership, user=owner, letter="d")
    for_dealer = present_stored_result(assessment.result, language="en")
    for_consultant = present_stored_result(
        assessment.result, language="en", dealership_name="Auto Rivière"
    )
    dealer_lines = " ".join(m.detail for m in for_dealer.plan.maintenance)
    consultant_lines = " ".join(m.detail for m in for_consultant.plan.maintenance)
    assert "Your weakest area is" in dealer_lines and "Your next assessment" in dealer_lines
    assert "The weakest area of Auto Rivière is" in consultant_lines
    assert "Next assessment of Auto Rivière: by" in consultant_lines
    assert "Your" not in consultant_lines
    assert "You are here" in for_dealer.ladder_svg
    assert "Current rung" in for_consultant.ladder_svg
    assert "You are here" not in for_consultant.ladder_svg
