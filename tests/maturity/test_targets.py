"""Targets and projection: where the roadmap leads, and whether the target is in reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.followup.services import target_set
from maturity.models import DealershipTarget
from maturity.reports.render import html_to_pdf, render_report_html
from maturity.results.projection import horizon_months
from tests.factories import submitted_assessment
from tests.maturity.reports_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def garage(dealership, owner):
    """Reference dealer A (Web 1.0): its roadmap starts with the website."""
    return submitted_assessment(dealership=dealership, persona="a", user=owner)


def _results(client, user, assessment):
    client.force_login(user)
    return client.get(reverse("assessment_results", args=[assessment.pk]))


def test_the_results_show_where_the_roadmap_leads(client, owner, garage):
    projection = _results(client, owner, garage).context["projection"]
    assert projection.rung == 1
    assert projection.first.rung > 1  # the website first: off the bottom rung
    assert projection.whole.rung >= projection.first.rung
    assert projection.whole.overall > projection.first.overall > projection.overall
    for area in projection.areas:
        assert area.whole >= area.first >= area.now
    assert projection.target is None


def test_a_target_in_reach_in_time(client, owner, garage, dealership):
    projection = _results(client, owner, garage).context["projection"]
    target_set(
        dealership=dealership,
        user=owner,
        rung=projection.first.rung,
        due_date=timezone.localdate() + timedelta(days=200),
    )
    response = _results(client, owner, garage)
    target = response.context["projection"].target
    assert target.state == "in_time" and target.reach_months == horizon_months(projection.first.key)
    assert "À portée dans les temps" in response.content.decode()


def test_a_target_too_soon_is_not_in_time(client, owner, garage, dealership):
    projection = _results(client, owner, garage).context["projection"]
    target_set(
        dealership=dealership,
        user=owner,
        rung=projection.whole.rung,
        due_date=timezone.localdate() + timedelta(days=10),
    )
    target = _results(client, owner, garage).context["projection"].target
    assert target.state == "late"


def test_a_rung_the_roadmap_does_not_reach(garage):
    """With a roadmap of one action (a catalogue cut down to it), rung 5 is out of reach."""
    from dataclasses import replace

    from maturity.engine.scoring import Result
    from maturity.questionnaire.catalogues import catalogue_for
    from maturity.results.projection import projection_view

    definition = garage.version.definition
    full = catalogue_for(definition)
    small = replace(full, actions=full.actions[:1], _by_key={})
    view = projection_view(
        definition,
        Result.from_dict(garage.result.snapshot),
        small,
        language="en",
        today=timezone.localdate(),
        target_rung=5,
        target_date=timezone.localdate() + timedelta(days=900),
    )
    assert view.whole.rung < 5
    assert view.target.state == "out_of_reach"
    assert "even with every action done" in view.target.sentence


def test_the_dealer_or_the_consultant_sets_it(client, dealership, garage, assigned_consultant):
    client.force_login(assigned_consultant)
    url = reverse("dealership_target", args=[dealership.pk])
    due = timezone.localdate() + timedelta(days=120)
    response = client.post(url, {"rung": 2, "due_date": due.isoformat()})
    assert response.status_code == 302
    assert response["Location"].endswith("#projection")
    target = DealershipTarget.objects.get(dealership=dealership)
    assert (target.rung, target.due_date, target.set_by) == (2, due, assigned_consultant)


def test_a_past_date_or_a_rung_below_is_refused(client, dealership, garage, owner):
    client.force_login(owner)
    url = reverse("dealership_target", args=[dealership.pk])
    past = timezone.localdate() - timedelta(days=1)
    assert client.post(url, {"rung": 3, "due_date": past.isoformat()}).status_code == 400
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert client.post(url, {"rung": 1, "due_date": future}).status_code == 400  # already there
    assert client.post(url, {"rung": "x", "due_date": future}).status_code == 400
    assert not DealershipTarget.objects.exists()


def test_it_is_removed_on_request(client, dealership, garage, owner):
    target_set(
        dealership=dealership, user=owner, rung=3, due_date=timezone.localdate() + timedelta(9)
    )
    client.force_login(owner)
    client.post(reverse("dealership_target", args=[dealership.pk]), {"clear": "1"})
    assert not DealershipTarget.objects.exists()


def test_the_pdf_shows_the_projection_and_the_target(dealership, owner, garage):
    target_set(
        dealership=dealership, user=owner, rung=3, due_date=timezone.localdate() + timedelta(400)
    )
    text = pdf_text(html_to_pdf(render_report_html(assessment=garage, language="fr")))
    assert "Où mène la feuille de route" in text
    assert "Objectif : marche 3" in text or "Objectif\u00a0: marche 3" in text
    assert "après toute la feuille de route" in text.lower()


def test_the_home_shows_the_target(client, dealership, garage, owner):
    client.force_login(owner)
    html = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()
    assert reverse("dealership_target", args=[dealership.pk]) in html
    target_set(
        dealership=dealership, user=owner, rung=3, due_date=timezone.localdate() + timedelta(90)
    )
    html = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()
    assert "Marche 3 d’ici le" in html


def test_horizon_months_reads_the_roadmaps_keys():
    assert horizon_months("0-3") == 3
    assert horizon_months("6-12") == 12
    assert horizon_months("later") is None
