"""Lead-response tests and imported reviews beside what was declared: the figures inform
the lead handling and reviews questions (``measured_by: leads.* / reviews.*``), are scored
under the rule of ``maturity/engine/measured.py`` and shown dated on the results page, the
review page, the wizard and the PDF."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from common.i18n import day_month
from maturity.measured.selectors import measured_input
from maturity.measured.services import measurement_confirm
from maturity.measurements.leads.services import lead_test_record
from maturity.measurements.reviews.services import reviews_import
from maturity.reports.render import html_to_pdf, render_report_html
from tests.factories import persona_answers, persona_profile, submitted_assessment
from tests.maturity.reports_helpers import pdf_text

REVIEWS = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


def _flat(text: str) -> str:
    """French no-break spaces (U+00A0, U+202F) read as spaces, as a reader sees them."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _status(assessment, key: str) -> dict:
    assessment.result.refresh_from_db()
    comparisons = assessment.result.snapshot["measured"]["comparisons"]
    return next(c for c in comparisons if c["key"] == key)


@pytest.fixture
def horizon(dealership, owner):
    """Groupe Horizon's declaration: answers within the hour, every review answered, 4.6."""
    dealership.profile = persona_profile("d")
    dealership.save()
    return submitted_assessment(dealership=dealership, answers=persona_answers("d"), user=owner)


def _lead(dealership, consultant, *, hours_ago: float, reply_after: float | None, **extra):
    sent = timezone.now() - timedelta(hours=hours_ago)
    return lead_test_record(
        dealership=dealership,
        user=consultant,
        channel=extra.get("channel", "website_form"),
        question="La 308 est-elle disponible ?",
        sent_at=sent,
        replied_at=sent + timedelta(hours=reply_after) if reply_after is not None else None,
        grid_items=["question_answered"] if reply_after is not None else [],
    )


def test_the_scoring_input_holds_the_lead_and_review_figures(dealership, assigned_consultant):
    _lead(dealership, assigned_consultant, hours_ago=100, reply_after=26)
    _lead(dealership, assigned_consultant, hours_ago=90, reply_after=None)  # closed: 72 h
    _lead(dealership, assigned_consultant, hours_ago=80, reply_after=2)
    _lead(dealership, assigned_consultant, hours_ago=5, reply_after=None)  # still waiting
    _lead(dealership, assigned_consultant, hours_ago=24 * 70, reply_after=0.5)  # too old
    reviews_import(
        dealership=dealership,
        user=assigned_consultant,
        data=(REVIEWS / "avis_fr.csv").read_bytes(),
        filename="avis.csv",
    )

    facts = measured_input(dealership, as_of=timezone.localdate())["facts"]

    lead = facts["leads.response_time"]
    assert (lead["value"], lead["count"]) == (26.0, 3)
    assert facts["reviews.rating"]["count"] == 5
    assert facts["reviews.rating"]["value"] == pytest.approx(3.4)
    assert facts["reviews.answered_share"]["value"] == pytest.approx(0.6)
    assert facts["reviews.answered_share"]["measured_on"] == timezone.localdate().isoformat()
    assert not any(name.startswith("website.") for name in facts)


def test_nothing_measured_gives_no_scoring_input(dealership):
    assert measured_input(dealership, as_of=timezone.localdate()) is None


def test_a_slow_lead_test_disproves_a_declared_reply_within_the_hour(
    horizon, dealership, assigned_consultant
):
    before = horizon.result.overall_score
    _lead(dealership, assigned_consultant, hours_ago=40, reply_after=26)

    row = _status(horizon, "crm_response_time")
    assert (row["status"], row["declared"], row["scored"]) == (
        "disproved",
        "within_hour",
        "within_2days",
    )
    assert horizon.result.overall_score < before


def test_a_consultant_confirms_the_declared_reply_time_and_it_is_scored_again(
    horizon, dealership, assigned_consultant
):
    before = horizon.result.overall_score
    _lead(dealership, assigned_consultant, hours_ago=40, reply_after=26)
    measurement_confirm(
        dealership=dealership,
        key="crm_response_time",
        comment="Le test est tombé un jour de fermeture.",
        author=assigned_consultant,
    )
    assert _status(horizon, "crm_response_time")["status"] == "confirmed"
    assert horizon.result.overall_score == before


def test_an_imported_reviews_file_disproves_every_review_answered_and_the_rating(
    horizon, dealership, owner
):
    reviews_import(
        dealership=dealership,
        user=owner,
        data=(REVIEWS / "avis_fr.csv").read_bytes(),
        filename="avis.csv",
    )
    rating = _status(horizon, "reviews_rating")
    assert (rating["status"], rating["declared"], rating["scored"]) == ("disproved", 4.6, 3.4)
    reply = _status(horizon, "reviews_reply")
    assert (reply["status"], reply["scored"]) == ("disproved", "most")


def test_the_pages_and_the_pdf_show_the_figures_declared_beside_measured_with_the_date(
    client, horizon, dealership, owner, assigned_consultant
):
    test = _lead(dealership, assigned_consultant, hours_ago=40, reply_after=26)
    reviews_import(
        dealership=dealership,
        user=owner,
        data=(REVIEWS / "avis_fr.csv").read_bytes(),
        filename="avis.csv",
    )
    # Measured when the test closed: the day of its reply.
    when = _flat(day_month(timezone.localdate(test.replied_at), "fr"))

    client.force_login(owner)
    results = _flat(client.get(reverse("assessment_results", args=[horizon.pk])).content.decode())
    assert f"mesuré le {when} : première réponse médiane 1 j 2 h sur 1 test" in results
    assert "(soit : Sous 48 heures)" in results
    assert "note 3,4/5 sur 5 avis" in results

    client.force_login(assigned_consultant)
    review = _flat(
        client.get(
            reverse("assessment_feedback", args=[dealership.pk, horizon.pk])
        ).content.decode()
    )
    assert "réponse à 60 % de 5 avis" in review
    assert "Confirmer la réponse déclarée" in review

    text = pdf_text(html_to_pdf(render_report_html(assessment=horizon, language="fr")))
    flat = _flat(text)
    assert f"mesuré le {when} : première réponse médiane" in flat
    assert "note 3,4/5 sur 5 avis" in flat
    assert "Déclaré, non confirmé" in flat

    english = pdf_text(html_to_pdf(render_report_html(assessment=horizon, language="en")))
    assert "median first reply 1 d 2 h over 1 test" in _flat(english)
    assert "rating 3.4/5 over 5 reviews" in _flat(english)


def test_the_wizard_shows_the_measured_figures_beside_the_questions(
    client, dealership, owner, assigned_consultant
):
    from maturity.assessments.services import answers_save, assessment_start

    test = _lead(dealership, assigned_consultant, hours_ago=40, reply_after=0.5)
    reviews_import(
        dealership=dealership,
        user=owner,
        data=(REVIEWS / "avis_fr.csv").read_bytes(),
        filename="avis.csv",
    )
    draft, _ = assessment_start(dealership=dealership, user=owner)
    answers_save(assessment=draft, answers={"reviews_platforms": (["google"], 0)}, user=owner)
    client.force_login(owner)
    when = _flat(day_month(timezone.localdate(test.replied_at), "fr"))

    crm = _flat(
        client.get(reverse("assessment_step", args=[dealership.pk, draft.pk, "crm"]))
        .content.decode()
        .replace("&#x27;", "'")
    )
    assert f"mesuré le {when} : première réponse médiane 30 min sur 1 test" in crm
    assert "(soit : Dans l'heure)" in crm
    reviews = client.get(reverse("assessment_step", args=[dealership.pk, draft.pk, "reviews"]))
    assert "note 3,4/5 sur 5 avis" in _flat(reviews.content.decode())
