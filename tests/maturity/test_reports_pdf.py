"""The PDF itself: what a reader finds in it (read back with pypdf), in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maturity.models import AreaComment, AssessmentReview, RoadmapActionStatus
from maturity.reports.render import html_to_pdf, render_report_html
from tests.factories import AssignmentFactory, ConsultantFactory, submitted_assessment
from tests.maturity.reports_helpers import (
    assert_in_order,
    first_horizon_title,
    first_phase_titles,
    pdf_pages,
    pdf_text,
    rung_title,
)


@pytest.fixture
def consultant(dealership):
    consultant = ConsultantFactory(email="claire@example.com", full_name="Claire Conseil")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    return consultant


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_shows_the_dealership_the_rung_and_the_first_phase_in_order(
    dealership, owner, consultant, language
):
    # Persona A: no website of its own; its roadmap must start with the website.
    owner.full_name = "Isabelle Roche"
    owner.save()
    assessment = submitted_assessment(dealership=dealership, persona="a", user=owner)
    html = render_report_html(assessment=assessment, language=language)
    text = pdf_text(html_to_pdf(html))

    assert "Auto Rivière" in text
    assert rung_title(assessment, language) in text
    assert "Isabelle Roche" in text  # who assessed, on the cover
    assert "Claire Conseil" in text  # the consultant
    titles = first_phase_titles(assessment, language)
    assert len(titles) >= 3
    # The website comes first (DOMAIN.md fact 2).
    website_first = {"fr": "Créer le site internet", "en": "Create the dealership's own website"}
    assert titles[0].startswith(website_first[language])
    # The executive summary lists the first three priorities, then the roadmap every
    # first-phase action, in order.
    assert_in_order(text, titles[:3])
    assert_in_order(text, titles, start=text.index(first_horizon_title(language)))
    other = "en" if language == "fr" else "fr"
    assert first_phase_titles(assessment, other)[0] not in text
    # The first horizon fits in a quarter; what waits is summarised in one line.
    assert len(titles) <= 5
    if language == "en":
        assert "Later, once these are done:" in text and "more actions, starting with" in text


def test_it_writes_every_answer_in_the_appendix_and_escapes_dealer_text(
    dealership, owner, consultant
):
    answers = {
        **_persona("b"),
        "website_comment": '<b>Bold</b> & <img src="file:///etc/passwd"> «guillemets»',
    }
    assessment = submitted_assessment(dealership=dealership, answers=answers, user=owner)
    AreaComment.objects.create(
        assessment=assessment,
        area_key="website",
        body="<script>alert('x')</script> Refaire le site",
        author=consultant,
    )
    AssessmentReview.objects.create(
        assessment=assessment,
        overall_note="<i>Note</i> du consultant",
        reviewed_by=consultant,
        reviewed_at=timezone.now(),
    )
    html = render_report_html(assessment=assessment, language="fr")

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "<b>Bold</b>" not in html
    # Rendering succeeds: the dealer's <img> is text, so the fetcher is never asked for it.
    text = pdf_text(html_to_pdf(html))
    assert "<script>alert('x')</script> Refaire le site" in text
    assert '<b>Bold</b> & <img src="file:///etc/passwd"> «guillemets»' in text
    assert "<i>Note</i> du consultant" in text
    # Appendix: the question and the answer in words.
    definition = assessment.version.definition
    question = definition.question("website_own")
    # pdf_text collapses whitespace, no-break spaces included: so do the expected texts.
    assert " ".join(question.text.fr.split()) in text
    assert " ".join(question.option(answers["website_own"]).label.fr.split()) in text


def test_it_opens_with_a_before_after_page_when_there_is_an_earlier_assessment(dealership, owner):
    earlier = submitted_assessment(
        dealership=dealership,
        persona="a",
        user=owner,
        submitted_at=timezone.now() - timedelta(days=180),
    )
    RoadmapActionStatus.objects.create(
        dealership=dealership,
        action_key="website_create",
        status="done",
        done_at=timezone.now() - timedelta(days=30),
    )
    assessment = submitted_assessment(dealership=dealership, persona="b", user=owner)
    html = render_report_html(assessment=assessment, language="en")
    pdf = html_to_pdf(html)
    text = pdf_text(pdf)

    assert 'id="before-after"' in html
    # Both radars on one chart: the earlier series is in the SVG's legend.
    before_after = html[html.index('id="before-after"') : html.index('id="summary"')]
    assert "Previous assessment" in before_after
    assert before_after.count("<svg") == 2  # the ladder (with the old rung) and the radar
    assert rung_title(earlier, "en") in text and rung_title(assessment, "en") in text
    assert "Create the dealership&#x27;s own website" in before_after  # done since
    assert pdf_pages(pdf) >= 6


def test_it_has_no_before_after_page_for_a_first_assessment(dealership, owner):
    assessment = submitted_assessment(dealership=dealership, persona="b", user=owner)
    html = render_report_html(assessment=assessment, language="fr")
    assert 'id="before-after"' not in html
    assert 'id="summary"' in html and 'id="appendix"' in html


def test_it_draws_the_peer_median_when_given(dealership, owner):
    from maturity.results.presenters import Comparison

    assessment = submitted_assessment(dealership=dealership, persona="b", user=owner)
    keys = [a.key for a in assessment.version.definition.areas]
    peer = Comparison(label="Pays de la Loire", area_scores=dict.fromkeys(keys, 42.0))
    html = render_report_html(assessment=assessment, language="en", peer=peer)
    assert "Median: Pays de la Loire" in html


def _persona(letter: str) -> dict:
    from tests.factories import persona_answers

    return persona_answers(letter)


def test_the_print_css_declares_no_font_face():
    """render.py shares one font configuration per process: no per-document fonts."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    assert "@font-face" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    # And table rows are never cut across pages.
    assert "tr { break-inside: avoid; }" in css


def test_it_renders_with_the_production_static_storage(dealership, owner, settings, tmp_path):
    """DEBUG off: {% static %} gives hashed names, which the fetcher finds in STATIC_ROOT."""
    from django.core.management import call_command

    from maturity.reports import fetcher

    settings.STATIC_ROOT = str(tmp_path / "staticfiles")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    fetcher._static_roots.cache_clear()
    try:
        assessment = submitted_assessment(dealership=dealership, persona="d", user=owner)
        html = render_report_html(assessment=assessment, language="fr")
        assert 'href="/static/css/print.css"' not in html  # a hashed name
        assert "Auto Rivière" in pdf_text(html_to_pdf(html))
    finally:
        fetcher._static_roots.cache_clear()
