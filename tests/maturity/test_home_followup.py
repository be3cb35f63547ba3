"""Roadmap follow-up: the dealer marks actions planned / in progress / done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maturity.followup import roadmap as followup
from maturity.followup import services
from maturity.models import RoadmapActionStatus
from tests.factories import DealerGroupFactory, DealershipFactory, MembershipFactory
from tests.factories import submitted_assessment as make_submitted

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the product's English msgids, whatever the French catalogue says."""
    client.cookies.load({"django_language": "en"})


@pytest.fixture
def submitted(dealership, owner):
    return make_submitted(dealership=dealership, persona="b", user=owner)


def _url(dealership, key="website_mobile"):
    return reverse("roadmap_status", args=[dealership.pk, key])


def test_the_owner_marks_an_action_done(client, dealership, owner, submitted):
    client.force_login(owner)
    next_url = reverse("dealership_detail", args=[dealership.pk])
    response = client.post(_url(dealership), {"status": "done", "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == next_url + "#action-website_mobile"
    row = RoadmapActionStatus.objects.get(dealership=dealership, action_key="website_mobile")
    assert row.status == "done"
    assert row.done_at is not None
    assert row.updated_by == owner


def test_a_member_may_too_and_reopening_clears_the_done_date(client, dealership, member, submitted):
    client.force_login(member)
    client.post(_url(dealership), {"status": "done"})
    client.post(_url(dealership), {"status": "in_progress"})
    row = RoadmapActionStatus.objects.get(dealership=dealership, action_key="website_mobile")
    assert row.status == "in_progress"
    assert row.done_at is None


def test_setting_the_same_status_again_keeps_its_date(dealership, owner, submitted):
    first = services.roadmap_status_set(
        dealership=dealership,
        action_key="website_mobile",
        status="done",
        user=owner,
        catalogue_of=submitted,
    )
    again = services.roadmap_status_set(
        dealership=dealership,
        action_key="website_mobile",
        status="done",
        user=owner,
        catalogue_of=submitted,
    )
    assert again.done_at == first.done_at
    assert again.updated_at == first.updated_at


def test_htmx_gets_the_status_control_back(client, dealership, owner, submitted):
    client.force_login(owner)
    response = client.post(_url(dealership), {"status": "planned"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="status-website_mobile"')
    assert 'aria-pressed="true"' in html and "Planned" in html
    assert "Saved" in html


@pytest.mark.parametrize("role", ["assigned_consultant", "staff"])
def test_consultants_and_staff_read_but_do_not_mark(client, request, dealership, submitted, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(_url(dealership), {"status": "done"}).status_code == 403
    assert not RoadmapActionStatus.objects.exists()


def test_outsiders_get_a_404(client, dealership, outsider, submitted):
    client.force_login(outsider)
    assert client.post(_url(dealership), {"status": "done"}).status_code == 404


def test_get_is_refused(client, dealership, owner, submitted):
    client.force_login(owner)
    assert client.get(_url(dealership)).status_code == 405


def test_csrf_is_enforced(dealership, owner, submitted):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(_url(dealership), {"status": "done"}).status_code == 403


def test_unknown_action_or_status(client, dealership, owner, submitted):
    client.force_login(owner)
    assert client.post(_url(dealership, "no_such_action"), {"status": "done"}).status_code == 404
    assert client.post(_url(dealership), {"status": "finished"}).status_code == 400


def test_no_roadmap_before_the_first_submission(client, dealership, owner):
    client.force_login(owner)
    assert client.post(_url(dealership), {"status": "done"}).status_code == 404


def test_an_unsafe_next_is_ignored(client, dealership, owner, submitted):
    client.force_login(owner)
    response = client.post(_url(dealership), {"status": "done", "next": "https://evil.example/"})
    assert response.headers["Location"].startswith(
        reverse("roadmap_followup", args=[dealership.pk])
    )


def test_one_status_per_dealership_and_action(dealership):
    RoadmapActionStatus.objects.create(dealership=dealership, action_key="x", status="planned")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoadmapActionStatus.objects.create(dealership=dealership, action_key="x", status="done")


def test_done_needs_a_date(dealership):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoadmapActionStatus.objects.create(dealership=dealership, action_key="x", status="done")


def test_done_between_uses_the_submission_dates(dealership, owner):
    now = timezone.now()
    rows = {
        key: RoadmapActionStatus(
            dealership=dealership, action_key=key, status="done", done_at=now - timedelta(days=d)
        )
        for key, d in (("old", 100), ("between", 50), ("since", 5))
    }
    rows["open"] = RoadmapActionStatus(dealership=dealership, action_key="open", status="planned")
    between = followup.done_between(rows, now - timedelta(days=90), now - timedelta(days=10))
    assert [r.action_key for r in between] == ["between"]
    since = followup.done_between(rows, now - timedelta(days=10), None)
    assert [r.action_key for r in since] == ["since"]


def test_the_roadmap_page_lists_every_action_with_its_status(client, dealership, owner, submitted):
    services.roadmap_status_set(
        dealership=dealership,
        action_key="website_mobile",
        status="in_progress",
        user=owner,
        catalogue_of=submitted,
    )
    client.force_login(owner)
    response = client.get(reverse("roadmap_followup", args=[dealership.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "First 3 months" in html
    assert html.count('class="list-group-item py-3 roadmap-item') == response.context["total"]
    assert response.context["total"] > 10
    assert response.context["in_progress"] == 1
    assert 'id="action-website_mobile"' in html


def test_the_roadmap_page_before_any_assessment(client, dealership, owner):
    client.force_login(owner)
    html = client.get(reverse("roadmap_followup", args=[dealership.pk])).content.decode()
    assert "Your roadmap appears once your first assessment is submitted." in html


def test_the_roadmap_page_is_read_only_for_a_consultant(
    client, dealership, assigned_consultant, submitted
):
    client.force_login(assigned_consultant)
    html = client.get(reverse("roadmap_followup", args=[dealership.pk])).content.decode()
    assert 'name="status"' not in html
    assert "own people update these statuses." in html


# --- the group view ---------------------------------------------------------------------


def test_a_group_owner_sees_the_group_side_by_side(client, dealership, owner):
    group = DealerGroupFactory(name="Groupe Horizon")
    dealership.group = group
    dealership.save()
    sisters = [DealershipFactory(group=group, name=f"Horizon {i}") for i in range(3)]
    for sister in sisters:
        MembershipFactory(dealership=sister, user=owner, role="owner")
    make_submitted(dealership=sisters[0], persona="d")
    make_submitted(dealership=dealership, persona="b")
    DealershipFactory(group=group, name="Horizon hidden")  # not the owner's: not shown
    client.force_login(owner)
    response = client.get(reverse("dealership_group", args=[dealership.pk]))
    assert response.status_code == 200
    overview = response.context["overview"]
    names = [row.dealership.name for row in overview.rows]
    assert names == sorted([dealership.name] + [s.name for s in sisters])
    assert overview.assessed == 2
    html = response.content.decode()
    assert "Horizon hidden" not in html
    assert "score-cell score-danger" in html  # weak areas stand out
    assert "No assessment submitted yet" in html


def test_a_dealership_without_group_has_no_group_page(client, dealership, owner):
    client.force_login(owner)
    assert client.get(reverse("dealership_group", args=[dealership.pk])).status_code == 404
