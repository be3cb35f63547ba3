"""Roadmap actions people own: an owner, a due date and notes, their history, overdue
actions on the home, the portfolio and in the PDF, reminders to owners on due dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maturity.followup import services
from maturity.followup.due import notify_due_actions
from maturity.followup.tasks import notify_due_actions_task
from maturity.models import Notification, RoadmapActionChange, RoadmapActionStatus
from maturity.notifications.services import preferences_set
from maturity.reports.render import html_to_pdf, render_report_html
from tests.factories import UserFactory, submitted_assessment
from tests.maturity.reports_helpers import pdf_text

pytestmark = pytest.mark.django_db
ACTION = "website_mobile"


@pytest.fixture
def submitted(dealership, owner):
    return submitted_assessment(dealership=dealership, persona="b", user=owner)


def _first_action(assessment) -> str:
    from maturity.engine.roadmap import build_roadmap
    from maturity.engine.scoring import Result
    from maturity.questionnaire.catalogues import catalogue_for

    definition = assessment.version.definition
    roadmap = build_roadmap(
        definition, {}, Result.from_dict(assessment.result.snapshot), catalogue_for(definition)
    )
    return roadmap.items[0].key


def _plan_url(dealership, key=ACTION):
    return reverse("roadmap_plan", args=[dealership.pk, key])


def test_the_dealer_gives_an_action_an_owner_and_a_date(
    client, dealership, owner, member, submitted
):
    client.force_login(owner)
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        _plan_url(dealership),
        {"owner": member.pk, "due_date": due.isoformat(), "notes": "Devis de l'agence reçu."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#action-{ACTION}")
    row = RoadmapActionStatus.objects.get(dealership=dealership, action_key=ACTION)
    assert (row.owner, row.due_date, row.notes) == (member, due, "Devis de l'agence reçu.")
    assert row.status == "todo"  # planning is not moving the status
    changes = RoadmapActionChange.objects.filter(dealership=dealership, action_key=ACTION)
    assert {c.field for c in changes} == {"owner", "due_date", "notes"}
    assert all(c.changed_by == owner for c in changes)
    assert changes.get(field="owner").after == member.get_full_name()


def test_a_change_of_owner_or_date_is_recorded_with_who_and_when(
    dealership, owner, member, assigned_consultant, submitted
):
    due = timezone.localdate() + timedelta(days=10)
    kwargs = {"dealership": dealership, "action_key": ACTION, "catalogue_of": submitted}
    services.roadmap_plan_set(user=owner, owner=member, due_date=due, notes="", **kwargs)
    services.roadmap_plan_set(
        user=assigned_consultant, owner=assigned_consultant, due_date=due, notes="", **kwargs
    )
    # The same plan again records nothing.
    services.roadmap_plan_set(
        user=assigned_consultant, owner=assigned_consultant, due_date=due, notes="", **kwargs
    )
    history = list(RoadmapActionChange.objects.filter(field="owner").order_by("changed_at", "pk"))
    assert [(c.before, c.after, c.changed_by) for c in history] == [
        ("", member.get_full_name(), owner),
        (member.get_full_name(), assigned_consultant.get_full_name(), assigned_consultant),
    ]
    assert RoadmapActionChange.objects.filter(field="due_date").count() == 1


def test_the_roadmap_page_shows_the_plan_and_its_history(
    client, dealership, owner, member, submitted
):
    key = _first_action(submitted)
    services.roadmap_plan_set(
        dealership=dealership,
        action_key=key,
        user=owner,
        catalogue_of=submitted,
        owner=member,
        due_date=timezone.localdate() + timedelta(days=5),
        notes="",
    )
    client.force_login(owner)
    html = client.get(reverse("roadmap_followup", args=[dealership.pk])).content.decode()
    assert member.get_full_name() in html
    assert f'data-testid="plan-{key}"' in html
    assert "action-history" in html  # the changes, who and when


def test_only_the_dealerships_people_and_consultants_may_own_an_action(
    client, dealership, owner, outsider, submitted
):
    client.force_login(owner)
    response = client.post(_plan_url(dealership), {"owner": outsider.pk})
    assert response.status_code == 400
    assert not RoadmapActionStatus.objects.filter(owner=outsider).exists()
    with pytest.raises(services.PlanError):
        services.roadmap_plan_set(
            dealership=dealership,
            action_key=ACTION,
            user=owner,
            catalogue_of=submitted,
            owner=UserFactory(),
            due_date=None,
            notes="",
        )


def test_the_consultant_plans_too_but_moves_no_status(
    client, dealership, assigned_consultant, submitted
):
    client.force_login(assigned_consultant)
    response = client.post(_plan_url(dealership), {"owner": assigned_consultant.pk})
    assert response.status_code == 302
    assert RoadmapActionStatus.objects.get(action_key=ACTION).owner == assigned_consultant
    status = reverse("roadmap_status", args=[dealership.pk, ACTION])
    assert client.post(status, {"status": "done"}).status_code == 403


def test_a_bad_plan_is_refused_whole(client, dealership, owner, member, submitted):
    client.force_login(owner)
    response = client.post(
        _plan_url(dealership), {"owner": member.pk, "due_date": "le 3 mai", "notes": ""}
    )
    assert response.status_code == 400
    assert not RoadmapActionStatus.objects.exists()
    response = client.post(_plan_url(dealership, "not_an_action"), {"owner": member.pk})
    assert response.status_code == 404


def _overdue(dealership, submitted, owner, member, days=3):
    key = _first_action(submitted)
    services.roadmap_plan_set(
        dealership=dealership,
        action_key=key,
        user=owner,
        catalogue_of=submitted,
        owner=member,
        due_date=timezone.localdate() - timedelta(days=days),
        notes="",
    )
    return key


def test_overdue_actions_show_on_the_home_the_roadmap_and_the_portfolio(
    client, dealership, owner, member, assigned_consultant, submitted
):
    key = _overdue(dealership, submitted, owner, member)
    client.force_login(owner)
    home = client.get(reverse("dealership_detail", args=[dealership.pk]))
    assert [a.key for a in home.context["home"].overdue] == [key]
    assert 'data-testid="home-overdue"' in home.content.decode()
    roadmap = client.get(reverse("roadmap_followup", args=[dealership.pk])).content.decode()
    assert 'data-testid="overdue-actions"' in roadmap
    client.force_login(assigned_consultant)
    portfolio = client.get(reverse("portfolio"))
    groups = {g.kind: g for g in portfolio.context["todo_groups"]}
    assert groups["actions"].lines[0].item.dealership_id == dealership.pk
    filtered = client.get(reverse("portfolio"), {"alert": "actions"}).context["table"]
    assert [row.dealership for row in filtered] == [dealership]


def test_a_done_action_is_not_overdue(client, dealership, owner, member, submitted):
    key = _overdue(dealership, submitted, owner, member)
    services.roadmap_status_set(
        dealership=dealership, action_key=key, status="done", user=owner, catalogue_of=submitted
    )
    client.force_login(owner)
    home = client.get(reverse("dealership_detail", args=[dealership.pk]))
    assert home.context["home"].overdue == []


def test_the_pdf_names_owners_and_overdue_actions(dealership, owner, member, submitted):
    # A compound name wraps at its hyphen in the narrow owner column.
    member.full_name = "Sébastien Noël-Lacombe"
    member.save(update_fields=["full_name"])
    _overdue(dealership, submitted, owner, member)
    text = pdf_text(html_to_pdf(render_report_html(assessment=submitted, language="fr")))
    assert member.get_full_name() in text
    assert "en retard" in text


def test_owners_hear_once_when_the_date_comes(dealership, owner, member, submitted):
    key = _overdue(dealership, submitted, owner, member, days=0)  # due today
    assert notify_due_actions() == 1
    (note,) = Notification.objects.filter(kind=Notification.Kind.ACTION_DUE)
    assert note.user == member and note.dealership == dealership
    assert note.url.endswith(f"#action-{key}")
    assert notify_due_actions() == 0  # once per due date
    assert notify_due_actions_task.apply().get() == 0
    # A new date is announced again when it comes.
    row = RoadmapActionStatus.objects.get(action_key=key)
    services.roadmap_plan_set(
        dealership=dealership,
        action_key=key,
        user=owner,
        catalogue_of=submitted,
        owner=member,
        due_date=timezone.localdate() + timedelta(days=2),
        notes=row.notes,
    )
    assert notify_due_actions() == 0
    later = timezone.now() + timedelta(days=2)
    assert notify_due_actions(now=later) == 1


def test_the_owners_choice_applies(dealership, owner, member, submitted):
    preferences_set(user=member, choices={Notification.Kind.ACTION_DUE: "off"})
    _overdue(dealership, submitted, owner, member, days=0)
    notify_due_actions()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_nobody_hears_about_a_done_action_or_one_without_owner(
    dealership, owner, member, submitted
):
    key = _overdue(dealership, submitted, owner, member)
    services.roadmap_status_set(
        dealership=dealership, action_key=key, status="done", user=owner, catalogue_of=submitted
    )
    RoadmapActionStatus.objects.create(
        dealership=dealership, action_key="crm_use", due_date=timezone.localdate()
    )
    assert notify_due_actions() == 0


@pytest.mark.parametrize("next_url", ["en", "../roadmap", "https://evil.example/"])
def test_a_relative_or_foreign_next_address_goes_back_to_the_roadmap(
    client, dealership, owner, submitted, next_url
):
    client.force_login(owner)
    response = client.post(_plan_url(dealership), {"owner": "", "notes": "", "next": next_url})
    assert response.status_code == 302
    roadmap = reverse("roadmap_followup", args=[dealership.pk])
    assert response["Location"] == f"{roadmap}#action-{ACTION}"
