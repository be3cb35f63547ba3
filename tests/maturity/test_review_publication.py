"""The review's rule: the dealer reads only what is published (pages and PDF).

A saved review is a draft, seen by consultants and staff only; publishing it shows it to
the dealer and tells the dealership's people; editing it afterwards keeps the published
text in front of the dealer until the next publication; withdrawing hides it again.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from maturity.models import AssessmentReview, Notification
from maturity.reports.content import report_fingerprint
from maturity.reports.render import html_to_pdf, render_report_html
from maturity.review.services import review_save
from tests.factories import submitted_assessment
from tests.maturity.reports_helpers import pdf_text

pytestmark = pytest.mark.django_db

NOTE = "Priorité : le suivi des demandes web."
COMMENT = "Répondez aux messages sous 24 heures."
LATER = "Deuxième version : le site avant tout."


@pytest.fixture
def assessment(dealership, owner, member):
    return submitted_assessment(dealership=dealership, persona="b", user=owner)


def _save(assessment, consultant, action="save", note=NOTE, comment=COMMENT):
    return review_save(
        assessment=assessment,
        user=consultant,
        overall_note=note,
        area_comments={"social": comment},
        action=action,
    )


def _pages(client, user, assessment) -> str:
    client.force_login(user)
    home = client.get(reverse("dealership_detail", args=[assessment.dealership_id]))
    results = client.get(reverse("assessment_results", args=[assessment.pk]))
    return home.content.decode() + results.content.decode()


def _pdf(assessment) -> str:
    return pdf_text(html_to_pdf(render_report_html(assessment=assessment, language="fr")))


def test_a_saved_review_is_a_draft_the_dealer_does_not_see(
    client, assessment, owner, assigned_consultant
):
    before = report_fingerprint(assessment=assessment, language="fr")
    _save(assessment, assigned_consultant)
    pages = _pages(client, owner, assessment)
    assert NOTE not in pages and COMMENT not in pages
    assert NOTE in _pages(client, assigned_consultant, assessment)
    text = _pdf(assessment)
    assert NOTE not in text and COMMENT not in text
    # Nothing the PDF shows changed: a ready PDF is still the right one.
    assert report_fingerprint(assessment=assessment, language="fr") == before
    assert not Notification.objects.exists()


def test_publishing_shows_it_everywhere_and_tells_the_dealers_people(
    client, assessment, owner, member, assigned_consultant
):
    before = report_fingerprint(assessment=assessment, language="fr")
    _save(assessment, assigned_consultant, action="publish")
    pages = _pages(client, owner, assessment)
    assert NOTE in pages and COMMENT in pages
    text = _pdf(assessment)
    assert NOTE in text and COMMENT in text
    assert report_fingerprint(assessment=assessment, language="fr") != before
    told = Notification.objects.filter(kind=Notification.Kind.REVIEW_PUBLISHED)
    assert {n.user for n in told} == {owner, member}
    assert all(n.actor == assigned_consultant for n in told)
    assert told[0].url == reverse("assessment_results", args=[assessment.pk])


def test_an_edit_after_publishing_waits_for_the_next_publication(
    client, assessment, owner, assigned_consultant
):
    _save(assessment, assigned_consultant, action="publish")
    published = report_fingerprint(assessment=assessment, language="fr")
    _save(assessment, assigned_consultant, note=LATER, comment="")
    pages = _pages(client, owner, assessment)
    assert NOTE in pages and COMMENT in pages and LATER not in pages
    assert NOTE in _pdf(assessment)
    assert report_fingerprint(assessment=assessment, language="fr") == published
    consultant_pages = _pages(client, assigned_consultant, assessment)
    assert LATER in consultant_pages
    # Republishing: the new note, and the emptied comment is gone.
    _save(assessment, assigned_consultant, action="publish", note=LATER, comment="")
    pages = _pages(client, owner, assessment)
    assert LATER in pages and COMMENT not in pages
    assert Notification.objects.filter(user=owner).count() == 2


def test_publishing_the_same_text_again_tells_nobody_twice(assessment, owner, assigned_consultant):
    _save(assessment, assigned_consultant, action="publish")
    _save(assessment, assigned_consultant, action="publish")
    assert Notification.objects.filter(user=owner).count() == 1


def test_withdrawing_hides_it_and_keeps_the_text_as_a_draft(
    client, assessment, owner, assigned_consultant
):
    _save(assessment, assigned_consultant, action="publish")
    _save(assessment, assigned_consultant, action="withdraw")
    review = AssessmentReview.objects.get(assessment=assessment)
    assert review.reviewed_at is None and review.draft_note == NOTE
    assert NOTE not in _pages(client, owner, assessment)
    assert NOTE not in _pdf(assessment)
    assert NOTE in _pages(client, assigned_consultant, assessment)


def test_the_review_page_publishes_with_its_button(client, assessment, assigned_consultant):
    client.force_login(assigned_consultant)
    url = reverse("assessment_feedback", args=[assessment.dealership_id, assessment.pk])
    client.post(url, {"overall_note": NOTE, "action": "save"})
    assert AssessmentReview.objects.get(assessment=assessment).reviewed_at is None
    page = client.get(url).content.decode()
    assert 'data-testid="review-state"' in page and "Brouillon" in page
    client.post(url, {"overall_note": NOTE, "action": "review"})
    review = AssessmentReview.objects.get(assessment=assessment)
    assert review.reviewed_at is not None and review.overall_note == NOTE
    assert "Publiée le" in client.get(url).content.decode()
    # Withdrawing asks first (the page's script), and works as a plain form too.
    assert "data-confirm=" in client.get(url).content.decode()


def test_a_draft_review_is_not_counted_as_reviewed_in_the_portfolio(
    client, assessment, assigned_consultant
):
    _save(assessment, assigned_consultant)
    client.force_login(assigned_consultant)
    todo = client.get(reverse("portfolio")).context["todo_groups"]
    assert todo[0].kind == "review"
    _save(assessment, assigned_consultant, action="publish")
    todo = client.get(reverse("portfolio")).context["todo_groups"]
    assert "review" not in [g.kind for g in todo]
