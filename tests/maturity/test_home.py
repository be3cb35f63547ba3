"""The dealer home: the main content of the dealership page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maturity.followup.services import roadmap_status_set
from maturity.models import AreaComment, AssessmentReview, Report
from tests.factories import (
    AssessmentFactory,
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
    persona_answers,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the product's English msgids, whatever the French catalogue says."""
    client.cookies.load({"django_language": "en"})


def _page(client, user, dealership, **params):
    client.force_login(user)
    response = client.get(reverse("dealership_detail", args=[dealership.pk]), params)
    assert response.status_code == 200
    return response


def _history(dealership, count, *, user=None, start=None):
    """``count`` submitted assessments, a month apart, the newest last.

    Persona A (rung 1) then, for the latest, persona B (rung 2): both have a roadmap.
    """
    start = start or timezone.now() - timedelta(days=31 * count)
    out = []
    for index in range(count):
        persona = "b" if index == count - 1 else "a"
        out.append(
            submitted_assessment(
                dealership=dealership,
                persona=persona,
                user=user,
                submitted_at=start + timedelta(days=31 * index),
            )
        )
    return out


def test_a_dealer_without_assessment_is_asked_to_start_one(client, dealership, owner):
    html = _page(client, owner, dealership).content.decode()
    assert "Where does your dealership stand online?" in html
    assert reverse("assessment_start", args=[dealership.pk]) in html
    assert "Start the assessment" in html


def test_a_consultant_without_contacts_is_offered_the_invitation(
    client, dealership, assigned_consultant
):
    html = _page(client, assigned_consultant, dealership).content.decode()
    assert "No assessment has been submitted yet" in html
    assert reverse("invitation_create", args=[dealership.pk]) in html
    assert reverse("assessment_start", args=[dealership.pk]) not in html


def test_a_first_draft_is_resumed(client, dealership, owner):
    draft = AssessmentFactory(dealership=dealership)
    html = _page(client, owner, dealership).content.decode()
    assert "Continue the assessment" in html
    assert reverse("assessment_detail", args=[dealership.pk, draft.pk]) in html
    assert "0 % answered" in html


def test_the_home_shows_rung_charts_actions_and_history(client, dealership, owner):
    first, latest = _history(dealership, 2, user=owner)
    html = _page(client, owner, dealership).content.decode()
    result = latest.result
    assert f"Rung {result.rung} of 5" in html
    assert html.count("<svg") >= 3  # ladder, radar, trend
    assert "Your next three actions" in html
    assert html.count('class="home-action') == 3
    assert "Start a new assessment" in html  # no draft: a re-assessment
    # Past assessments, newest first, with links to their results and JSON export.
    assert reverse("assessment_results", args=[latest.pk]) in html
    assert reverse("assessment_export_json", args=[dealership.pk, first.pk]) in html
    assert html.index(f"/assessments/{latest.pk}/results/") < html.index(
        f"/assessments/{first.pk}/results/"
    )
    assert "What moved" in html
    assert reverse("assessment_compare", args=[dealership.pk]) in html


def test_a_draft_replaces_the_start_button(client, dealership, owner):
    _history(dealership, 1, user=owner)
    draft = AssessmentFactory(dealership=dealership)
    html = _page(client, owner, dealership).content.decode()
    assert "A new assessment is in progress" in html
    assert reverse("assessment_detail", args=[dealership.pk, draft.pk]) in html
    assert "Start a new assessment" not in html


def test_a_consultant_reads_but_cannot_mark_actions(client, dealership, assigned_consultant):
    _history(dealership, 1)
    html = _page(client, assigned_consultant, dealership).content.decode()
    assert "The next three actions" in html
    assert 'name="status"' not in html
    assert "status-badge" in html
    assert "Write the review" in html


def test_the_owner_marks_actions_from_the_home(client, dealership, owner):
    _history(dealership, 1)
    html = _page(client, owner, dealership).content.decode()
    assert html.count('name="status" value="done"') == 3
    assert 'hx-post="/dealerships/' in html


def test_done_actions_leave_the_top_three_and_count_as_done(client, dealership, owner):
    (latest,) = _history(dealership, 1)
    home = _page(client, owner, dealership).context["home"]
    first_key = home.next_actions[0].key
    roadmap_status_set(
        dealership=dealership, action_key=first_key, status="done", user=owner, catalogue_of=latest
    )
    home = _page(client, owner, dealership).context["home"]
    assert first_key not in [a.key for a in home.next_actions]
    assert home.roadmap_done == 1
    assert [d.key for d in home.done_since_latest] == [first_key]
    assert (
        "1 action done since your latest assessment"
        in _page(client, owner, dealership).content.decode()
    )


def test_actions_done_between_two_assessments_are_listed_with_what_moved(client, dealership, owner):
    first = submitted_assessment(
        dealership=dealership, persona="b", submitted_at=timezone.now() - timedelta(days=90)
    )
    row = roadmap_status_set(
        dealership=dealership,
        action_key="website_mobile",
        status="done",
        user=owner,
        catalogue_of=first,
    )
    row.done_at = timezone.now() - timedelta(days=30)
    row.save()
    submitted_assessment(dealership=dealership, persona="d")
    home = _page(client, owner, dealership).context["home"]
    assert [d.key for d in home.done_before_latest] == ["website_mobile"]
    assert home.done_since_latest == []
    assert home.overall_change is not None and home.overall_change > 0
    assert {m.key for m in home.moves} >= {"website", "social", "strategy"}
    assert any(m.delta and m.delta > 0 for m in home.moves)


def test_the_dealer_reads_the_consultant_comments(client, dealership, owner, assigned_consultant):
    (latest,) = _history(dealership, 1)
    AssessmentReview.objects.create(
        assessment=latest,
        overall_note="Start with the website, then answer reviews.",
        reviewed_by=assigned_consultant,
        reviewed_at=timezone.now(),
    )
    AreaComment.objects.create(
        assessment=latest, area_key="reviews", body="Answer every Google review within 48 h."
    )
    html = _page(client, owner, dealership).content.decode()
    assert "Your consultant&#x27;s comments" in html or "Your consultant's comments" in html
    assert "Start with the website, then answer reviews." in html
    assert "Answer every Google review within 48 h." in html
    assert "Reviewed" in html
    assert "Write the review" not in html and "Edit the review" not in html


def test_the_peer_median_needs_five_other_dealerships(client, dealership, owner):
    _history(dealership, 1)
    peers = [DealershipFactory(region=dealership.region) for _ in range(5)]
    for peer in peers[:4]:
        submitted_assessment(dealership=peer, persona="d")
    response = _page(client, owner, dealership)
    assert response.context["home"].peer is None
    # No group has 5 others yet: the control that could only say so is not offered.
    assert response.context["home"].peer_choices == []
    assert 'id="home-peers"' not in response.content.decode()
    submitted_assessment(dealership=peers[4], persona="d")
    response = _page(client, owner, dealership)
    assert response.context["home"].peer is not None
    assert "median of 5 comparable dealerships" in response.content.decode()


def test_a_ready_pdf_is_linked(client, dealership, owner):
    (latest,) = _history(dealership, 1)
    Report.objects.create(assessment=latest, status="ready", fingerprint="x" * 64)
    home = _page(client, owner, dealership).context["home"]
    assert home.past[0].report is not None
    url = reverse("report_download", args=[dealership.pk, home.past[0].report.pk])
    assert url in _page(client, owner, dealership).content.decode()


def test_a_group_owner_is_offered_the_group_view(client, owner, dealership):
    from tests.factories import DealerGroupFactory

    group = DealerGroupFactory(name="Groupe Horizon")
    sister = DealershipFactory(group=group)
    dealership.group = group
    dealership.save()
    MembershipFactory(dealership=sister, user=owner, role="owner")
    html = _page(client, owner, dealership).content.decode()
    assert reverse("dealership_group", args=[dealership.pk]) in html
    assert "See the 2 dealerships of Groupe Horizon side by side" in html


def _count_queries(client, user, dealership) -> int:
    client.force_login(user)
    url = reverse("dealership_detail", args=[dealership.pk])
    client.get(url)  # warm the per-process caches (questionnaire, catalogue)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_query_count_does_not_grow_with_the_history(client):
    small, big = DealershipFactory(), DealershipFactory(region="ara")
    small.region = "ara"
    small.save()
    owners = []
    for dealership in (small, big):
        owners.append(MembershipFactory(dealership=dealership, role="owner").user)
        consultant = ConsultantFactory()
        AssignmentFactory(consultant=consultant, dealership=dealership)
    _history(small, 1)
    _history(big, 20)
    for dealership, user in ((small, owners[0]), (big, owners[1])):
        latest = dealership.assessments.order_by("-submitted_at").first()
        roadmap_status_set(
            dealership=dealership,
            action_key="website_mobile",
            status="planned",
            user=user,
            catalogue_of=latest,
        )
        AssessmentFactory(dealership=dealership)  # a draft in progress too
    assert _count_queries(client, owners[0], small) == _count_queries(client, owners[1], big)


def test_twenty_assessments_draw_a_twenty_point_trend(client, dealership, owner):
    _history(dealership, 20)
    home = _page(client, owner, dealership).context["home"]
    assert len(home.past) == 20
    assert home.trend_svg.count("<circle") >= 20


def test_answers_of_personas_score_differently():
    # Guards the fixtures the home tests rely on: B is below D.
    assert persona_answers("b") != persona_answers("d")
