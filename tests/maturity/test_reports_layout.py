"""The PDF's layout, as a reader meets it: reading order, length, page breaks, headings.

Read back with pypdf (text per page, in extraction order: what copy-paste and a screen
reader get) and pypdfium2 (where words sit on the page). The pages of the reference
dealers A (rung 1, the longest roadmap) and D (rung 5) are saved as PNG under
``test-artifacts/pdf/`` for a human to look at.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from pypdf import PdfReader

from maturity.demo.personas import load_persona
from maturity.engine.roadmap import build_roadmap
from maturity.engine.scoring import Result
from maturity.questionnaire.catalogues import catalogue_for
from maturity.reports.render import html_to_pdf, render_report_html
from tests.factories import (
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"
# A top-rung report has little to say: the cover, one page of advice and scores, the answers.
TOP_RUNG_MAX_PAGES = 3


def _page_texts(data: bytes) -> list[str]:
    """Each page's text, whitespace collapsed and words wrapped at a hyphen joined."""
    reader = PdfReader(io.BytesIO(data))
    texts = []
    for page in reader.pages:
        raw = page.extract_text() or ""
        texts.append(" ".join(re.sub(r"(?<=\w)-\n(?=\w)", "-", raw).split()))
    return texts


def _save_pngs(data: bytes, name: str) -> int:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-page-*.png"):
        old.unlink()
    document = pdfium.PdfDocument(data)
    for number, page in enumerate(document, start=1):
        page.render(scale=1.2).to_pil().save(ARTIFACTS / f"{name}-page-{number:02d}.png")
    return len(document)


def _reference(letter: str, *, submitted_at=None):
    """The reference dealer's dealership (its profile, region...) and its assessment."""
    persona = load_persona(letter)
    facts = persona.dealership
    dealership = DealershipFactory(
        name=facts["name"], city=facts.get("city", "Lyon"), profile=persona.profile
    )
    consultant = ConsultantFactory(full_name="Claire Conseil")
    AssignmentFactory(consultant=consultant, dealership=dealership)
    assessment = submitted_assessment(
        dealership=dealership, persona=letter.lower(), submitted_at=submitted_at
    )
    return persona, assessment


def _pdf(assessment, language: str = "fr") -> bytes:
    return html_to_pdf(render_report_html(assessment=assessment, language=language))


def _roadmap_titles(assessment, language: str) -> list[str]:
    definition = assessment.definition
    result = Result.from_dict(assessment.result.snapshot)
    roadmap = build_roadmap(definition, {}, result, catalogue_for(definition))
    return [item.action.title.get(language) for item in roadmap.items]


def test_the_cover_reads_title_first_and_running_text_stays_off_it():
    persona, assessment = _reference("D")
    data = _pdf(assessment)
    pages = _page_texts(data)
    running = f"Feuille de route digitale · {persona.dealership['name']}"

    # The cover: brand, then title, then the dealership; no running header or footer.
    cover = pages[0]
    assert cover.startswith("Maturité digitale des concessions")
    assert cover.index("Feuille de route digitale") < cover.index(persona.dealership["name"])
    assert running not in cover and "Claire Conseil" in cover  # the consultant, as a fact
    assert not re.search(r"\b1 / \d+\b", cover)  # no page number either
    # Other pages: their title is read before the running header, which every page has.
    for text in pages[1:]:
        assert running in text
        assert text.index(running) > 0, text[:80]
    assert pages[1].startswith("Synthèse")
    # A tagged PDF: its structure gives the reading order to assistive technologies.
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_a_top_rung_report_is_short_and_still_has_every_answer():
    persona, assessment = _reference("D")
    assert assessment.result.rung == persona.expected_rung == 5
    data = _pdf(assessment)
    pages = _save_pngs(data, "reference-d")
    text = " ".join(_page_texts(data))

    assert pages <= TOP_RUNG_MAX_PAGES
    # Areas with nothing to say are one line each, under one sentence; no second list of
    # the same areas, no radar that is a full polygon, no ladder the cover already states.
    assert re.search(r"Rien ne retient le score de ces \d domaines", text), text[:2000]
    assert "Domaine par domaine" not in text
    assert "Vous êtes ici" not in text and "Cette évaluation" not in text
    # The advice to stay at the top and the action to go further are all there.
    for phrase in ("Rester au sommet", "Refaire l'évaluation chaque année", "Pour aller plus loin"):
        assert phrase in text, phrase
    # The appendix keeps every answer.
    definition = assessment.definition
    assert "Annexe" in text
    # Wrapped lines and no-break spaces both extract as whitespace: compare collapsed.
    assert " ".join(definition.question("website_own").text.fr.split()) in " ".join(text.split())


def test_a_top_rung_report_is_as_short_in_english():
    _persona, assessment = _reference("D")
    data = _pdf(assessment, "en")
    text = " ".join(_page_texts(data))
    assert len(PdfReader(io.BytesIO(data)).pages) <= TOP_RUNG_MAX_PAGES
    assert "Staying at the top" in text and "Appendix" in text


def test_no_page_holds_a_single_roadmap_action():
    _persona, assessment = _reference("A")
    data = _pdf(assessment)
    _save_pngs(data, "reference-a")
    pages = _page_texts(data)
    titles = _roadmap_titles(assessment, "fr")
    assert len(titles) >= 10  # a long roadmap, over several pages

    start = next(i for i, text in enumerate(pages) if text.startswith("Votre feuille de route"))
    end = next(i for i, text in enumerate(pages) if text.startswith("Annexe"))
    per_page = [sum(title in pages[i] for title in titles) for i in range(start, end)]
    assert sum(per_page) >= len(titles) - 1  # (the backlog line may name one again)
    assert all(count != 1 for count in per_page), per_page


def _box(page: pdfium.PdfPage, word: str) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the first occurrence of ``word`` on the page."""
    text = page.get_textpage()
    found = text.search(word, match_case=False).get_next()
    assert found is not None, word
    index, count = found
    boxes = [text.get_charbox(i) for i in range(index, index + count)]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def test_the_before_after_column_headings_do_not_overlap():
    _persona, earlier = _reference("A", submitted_at=timezone.now() - timedelta(days=200))
    later = submitted_assessment(dealership=earlier.dealership, persona="b")
    document = pdfium.PdfDocument(_pdf(later))
    page = document[1]  # the before/after page follows the cover
    assert "Depuis l" in page.get_textpage().get_text_range()
    before, now, change = (_box(page, w) for w in ("Avant", "Aujourd'hui", "volution"))
    # Side by side on one line, each ending before the next begins.
    assert before[2] < now[0] and now[2] < change[0]
    assert abs(before[1] - change[1]) < 2


@pytest.mark.parametrize(("letter", "bars"), [("A", True), ("B", False)])
def test_a_low_scorer_reads_bars_where_the_radar_would_be_a_dot(letter, bars):
    _persona, assessment = _reference(letter)
    html = render_report_html(assessment=assessment, language="fr")
    scores = html.split('id="scores"', 1)[1].split("</section>", 1)[0]
    assert ("chart-bars-large" in scores) is bars
    assert ("chart-radar-large" in scores) is not bars
    if bars:
        assert "Plus la barre est longue" in scores
