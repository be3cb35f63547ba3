"""The portfolio as a to-do list: what needs the consultant now, most urgent first, with a
"remind" button for stalled drafts, "invite" or "campaign" for the never assessed, and the
"needs attention first" and "weakest first" orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maturity.models import Answer, Assessment, ReminderLog
from tests.factories import (
    AssignmentFactory,
    ConsultantFactory,
    DealershipFactory,
    MembershipFactory,
)
from tests.maturity.portfolio_helpers import areas, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(db):
    """A consultant with an empty portfolio (each test adds its dealerships)."""
    return ConsultantFactory()


def follow(consultant, **kwargs):
    dealership = DealershipFactory(**kwargs)
    AssignmentFactory(consultant=consultant, dealership=dealership)
    return dealership


def _stalled(dealership, days=30):
    assessment = draft(dealership)
    Answer.objects.create(assessment=assessment, question_key="website_own", value="own_site")
    old = timezone.now() - timedelta(days=days)
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=old)
    Answer.objects.filter(assessment=assessment).update(updated_at=old)
    return assessment


def _groups(client, **params):
    return {g.kind: g for g in client.get(reverse("portfolio"), params).context["todo_groups"]}


def test_it_lists_what_needs_the_consultant_most_urgent_first(client, consultant):
    awaiting = follow(consultant, name="Attend Revue")
    submit(awaiting, days_ago=3)
    stalled = follow(consultant, name="Brouillon Figé")
    MembershipFactory(dealership=stalled)
    _stalled(stalled)
    never = follow(consultant, name="Jamais Vu")
    client.force_login(consultant)
    groups = _groups(client)
    assert list(groups) == ["review", "stalled", "never"]  # the order of urgency
    assert groups["review"].lines[0].item.dealership_id == awaiting.pk
    assert groups["stalled"].lines[0].item.dealership_id == stalled.pk
    assert groups["never"].lines[0].item.dealership_id == never.pk
    html = client.get(reverse("portfolio")).content.decode()
    assert reverse("draft_reminder_send", args=[stalled.pk]) in html
    assert reverse("invitation_create", args=[never.pk]) in html  # nobody there yet
    assert f"{reverse('campaign_new')}?scope=filter&amp;status=none" in html


def test_it_no_longer_says_nothing_to_report_while_dealerships_wait(client, consultant):
    for n in range(3):
        follow(consultant, name=f"Nouveau {n}")
    client.force_login(consultant)
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("portfolio")).content.decode()
    assert "Nothing waits for you" not in html
    assert "Never assessed" in html


def test_an_empty_to_do_says_so(client, consultant):
    done = follow(consultant)
    result = submit(done)
    from maturity.models import AssessmentReview

    AssessmentReview.objects.create(assessment=result.assessment, reviewed_at=timezone.now())
    client.force_login(consultant)
    client.cookies.load({"django_language": "en"})
    assert "Nothing waits for you" in client.get(reverse("portfolio")).content.decode()


def test_remind_sends_one_reminder_and_logs_it(client, consultant):
    stalled = follow(consultant, name="Brouillon Figé")
    contact = MembershipFactory(dealership=stalled, role="owner").user
    draft_row = _stalled(stalled)
    consultant.full_name = "Claire Martin"
    consultant.save()
    client.force_login(consultant)
    url = reverse("draft_reminder_send", args=[stalled.pk])
    response = client.post(url, {"next": reverse("portfolio")})
    assert response.status_code == 302 and response["Location"] == reverse("portfolio")
    (message,) = mail.outbox
    assert message.to == [contact.email]
    assert "de la part de Claire Martin" in message.body
    log = ReminderLog.objects.get(assessment=draft_row)
    assert log.user == contact
    # A second click the same day sends nothing more (once a day, whoever sends).
    client.post(url)
    assert len(mail.outbox) == 1
    groups = _groups(client)
    assert groups["stalled"].lines[0].item.reminded_at is not None


def test_remind_without_draft_or_contact_says_why(client, consultant):
    lonely = follow(consultant)
    _stalled(lonely)
    client.force_login(consultant)
    response = client.post(reverse("draft_reminder_send", args=[lonely.pk]), follow=True)
    assert mail.outbox == []
    assert list(response.context["messages"])


def test_needs_attention_first_and_weakest_first(client, consultant):
    calm = follow(consultant, name="A Calme")
    result = submit(calm, scores=areas(80), overall=80)
    from maturity.models import AssessmentReview

    AssessmentReview.objects.create(assessment=result.assessment, reviewed_at=timezone.now())
    weak = follow(consultant, name="B Faible")
    weak_result = submit(weak, scores=areas(20), overall=20)
    AssessmentReview.objects.create(assessment=weak_result.assessment, reviewed_at=timezone.now())
    awaiting = follow(consultant, name="C Attend")
    submit(awaiting, scores=areas(50), overall=50)
    never = follow(consultant, name="D Jamais")
    client.force_login(consultant)

    def names(sort):
        rows = client.get(reverse("portfolio"), {"sort": sort}).context["table"]
        return [row.dealership.name for row in rows]

    assert names("attention") == [awaiting.name, never.name, calm.name, weak.name]
    assert names("weakest") == [weak.name, awaiting.name, calm.name, never.name]
    orders = client.get(reverse("portfolio"), {"sort": "weakest"}).context["orders"]
    assert [o.sort for o in orders if o.active] == ["weakest"]


def test_the_table_picks_dealerships_for_a_campaign(client, consultant):
    one = follow(consultant)
    client.force_login(consultant)
    html = client.get(reverse("portfolio")).content.decode()
    assert f'name="d" value="{one.pk}" form="campaign-pick"' in html
    assert 'id="campaign-pick"' in html


def test_with_filters_the_list_waits_behind_a_link(client, consultant):
    follow(consultant, name="Jamais Vu")
    follow(consultant, name="Autre Garage")
    client.force_login(consultant)
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("portfolio"), {"q": "jamais"}).content.decode()
    assert "2 things need you across your portfolio." in html
    assert "Autre Garage" not in html
