"""Lay the report out: Django template + print CSS -> PDF bytes with WeasyPrint."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from maturity.reports.content import report_context
from maturity.reports.fetcher import REPORT_BASE_URL, StaticOnlyFetcher

if TYPE_CHECKING:
    from maturity.models import Assessment, Report
    from maturity.results.presenters import Comparison

__all__ = [
    "TEMPLATE",
    "ReportRenderError",
    "html_to_pdf",
    "render_report_html",
    "render_report_pdf",
]

TEMPLATE = "maturity/reports/roadmap.html"


class ReportRenderError(Exception):
    """WeasyPrint could not lay the report out (e.g. a refused resource)."""


def render_report_html(
    *, assessment: Assessment, language: str, peer: Comparison | bool | None = True
) -> str:
    """The report as an HTML document, in ``language`` (dealer text escaped by Django).

    ``peer``: see :func:`maturity.reports.content.report_source`.
    """
    with translation.override(language):
        context: dict[str, Any] = report_context(
            assessment=assessment, language=language, peer_median=peer
        )
        return render_to_string(TEMPLATE, context)


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process, created on first use (after the worker forks).

    WeasyPrint makes a new one per document by default, and the native font caches behind
    it are never given back: a worker's memory then grows with every report (bench/pdf.py
    measured +30 % over 100 reports, flat with a shared one). Sharing is safe because the
    print CSS declares no ``@font-face``: nothing is added to it per document.
    """
    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes for ``html``; resources only from the static files (see ``fetcher``)."""
    try:
        document = HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=StaticOnlyFetcher())
        # Tagged PDF: screen readers and text extraction follow the document's structure
        # and reading order; the margin boxes' running text is marked as an artifact.
        return document.write_pdf(font_config=_font_config(), pdf_tags=True)
    except FatalURLFetchingError as exc:
        # A BaseException in WeasyPrint: turn it into an ordinary error with the reason.
        raise ReportRenderError(str(exc.__cause__ or exc)) from exc


def render_report_pdf(report: Report) -> bytes:
    """The PDF of ``report`` (its assessment, in its language)."""
    html = render_report_html(assessment=report.assessment, language=report.language)
    return html_to_pdf(html)
