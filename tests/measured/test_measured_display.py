"""Declared beside measured where people read it: results, review, PDF; the button."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from common.i18n import day_month
from maturity.measured.services import measurement_run_website
from maturity.models import Measurement
from maturity.reports.render import html_to_pdf, render_report_html
from tests.factories import submitted_assessment
from tests.maturity.reports_helpers import pdf_text
from tests.measured.test_website_measurement import C_LOCATOR, CLAIMS_OWN_SITE


@pytest.fixture
def claimed(dealership, owner, fixture_web):
    """An assessment declaring an own mobile site with stock, whose URL is a locator page,
    after the website check."""
    dealership.website_url = C_LOCATOR
    dealership.profile = "independent"
    dealership.save()
    assessment = submitted_assessment(dealership=dealership, answers=CLAIMS_OWN_SITE, user=owner)
    measurement_run_website(dealership_id=dealership.pk)
    assessment.result.refresh_from_db()
    return assessment


def test_the_pdf_says_the_own_site_is_declared_not_confirmed_with_the_date(claimed):
    today = timezone.localdate()
    text = pdf_text(html_to_pdf(render_report_html(assessment=claimed, language="fr")))
    assert "Déclaré et mesuré" in text
    assert "Déclaré, non confirmé" in text
    # "mesuré le 3 mars : pas de site à votre nom" (no-break spaces read as spaces).
    when = day_month(today, "fr").replace("\u00a0", " ")
    flat = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert f"mesuré le {when} : pas de site à votre nom" in flat
    assert "Présence isolée" in text  # capped at rung 2


def test_the_english_pdf_says_it_too(claimed):
    text = pdf_text(html_to_pdf(render_report_html(assessment=claimed, language="en")))
    assert "Declared, not confirmed" in text
    assert f"measured on {day_month(timezone.localdate(), 'en')}: no website of its own" in text


def test_the_results_page_shows_declared_beside_measured_and_flags_it(client, owner, claimed):
    client.force_login(owner)
    page = client.get(reverse("assessment_results", args=[claimed.pk])).content.decode()
    assert "Déclaré et mesuré" in page
    assert "Déclaré, non confirmé" in page
    assert "table-warning" in page
    # The dealer cannot confirm: that is the consultant's.
    assert reverse("measured_confirm", args=[claimed.dealership_id, claimed.pk]) not in page


def test_a_consultant_confirms_on_the_review_page_and_the_comment_is_shown(
    client, assigned_consultant, owner, claimed
):
    client.force_login(assigned_consultant)
    url = reverse("assessment_feedback", args=[claimed.dealership_id, claimed.pk])
    page = client.get(url).content.decode()
    confirm = reverse("measured_confirm", args=[claimed.dealership_id, claimed.pk])
    assert confirm in page
    empty = client.post(confirm, {"key": "website_own", "comment": "  "})
    assert empty.status_code == 302
    assert claimed.result.rung == 2
    response = client.post(confirm, {"key": "website_own", "comment": "Site en refonte, vu."})
    assert response.status_code == 302
    assert client.post(confirm, {"key": "nope", "comment": "x"}).status_code == 400
    client.force_login(owner)
    page = client.get(reverse("assessment_results", args=[claimed.pk])).content.decode()
    assert "Site en refonte, vu." in page
    assert "Déclaré, confirmé par le consultant" in page


def test_the_owner_asks_for_a_check_and_the_status_polls_until_it_is_done(
    client, owner, dealership, django_capture_on_commit_callbacks
):
    dealership.website_url = "https://www.garage-du-centre.test/"
    dealership.save()
    client.force_login(owner)
    with (
        mock.patch("maturity.measured.tasks.publish", return_value=True) as sent,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("website_check_request", args=[dealership.pk]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    sent.assert_called_once()
    fragment = response.content.decode()
    status_url = reverse("website_check_status", args=[dealership.pk])
    assert f'hx-get="{status_url}"' in fragment and 'hx-trigger="every 2s"' in fragment
    measurement = Measurement.objects.get()
    measurement.status = Measurement.Status.FAILED
    measurement.reason = "connection refused"
    measurement.finished_at = timezone.now()
    measurement.save()
    done = client.get(status_url).content.decode()
    assert "hx-trigger" not in done and "connection refused" in done


def test_a_member_who_is_not_the_owner_cannot_ask_for_a_check(client, member, dealership):
    dealership.website_url = "https://www.garage-du-centre.test/"
    dealership.save()
    client.force_login(member)
    assert client.post(reverse("website_check_request", args=[dealership.pk])).status_code == 403


def test_the_wizard_shows_the_measurement_beside_the_question(
    client, owner, dealership, fixture_web
):
    from maturity.assessments.services import answers_save, assessment_start
    from tests.measurements.sites import url

    dealership.website_url = url("brochure")
    dealership.save()
    measurement_run_website(dealership_id=dealership.pk)
    draft, _ = assessment_start(dealership=dealership, user=owner)
    answers_save(assessment=draft, answers={"website_own": ("own_site", 0)}, user=owner)
    client.force_login(owner)
    page = client.get(
        reverse("assessment_step", args=[dealership.pk, draft.pk, "website"])
    ).content.decode()
    when = day_month(timezone.localdate(), "fr")
    assert f"mesuré le {when}\u202f: pas de version mobile" in page
    assert "Mesuré" in page


def test_asking_to_check_a_dealership_without_website_says_what_to_do(
    client, owner, assigned_consultant, dealership
):
    dealership.website_url = ""
    dealership.save()
    url = reverse("website_check_request", args=[dealership.pk])
    client.force_login(owner)
    assert client.post(url)["Location"] == reverse("dealership_profile", args=[dealership.pk])
    client.force_login(assigned_consultant)
    assert client.post(url)["Location"] == reverse("dealership_detail", args=[dealership.pk])
    assert not Measurement.objects.exists()
