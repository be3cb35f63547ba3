"""Assessment campaigns: launch from the portfolio, drafts pre-filled, e-mails in each
contact's language, invitations, reminders (once a day at most, stop on submission, a
log), the campaign page, closing after a confirmation."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dealers.models import Invitation
from maturity.campaigns import mailing
from maturity.campaigns.services import CampaignError, campaign_close, campaign_launch
from maturity.campaigns.tasks import send_campaign_messages
from maturity.followup.reminders import send_draft_reminders
from maturity.models import (
    Answer,
    Assessment,
    Campaign,
    CampaignDealership,
    CampaignMessage,
    Notification,
)
from tests.factories import (
    AssignmentFactory,
    DealershipFactory,
    MembershipFactory,
    submitted_assessment,
)
from tests.maturity.conftest import fill, persona_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(dealership, owner, member, assigned_consultant):
    """The consultant's three dealerships: one assessed before (with an owner), one with an
    English-speaking member, one with nobody yet."""
    submitted_assessment(dealership=dealership, persona="b", user=owner)
    second = DealershipFactory(name="Garage du Lac", city="Annecy")
    english = MembershipFactory(dealership=second, role="owner", user__language="en").user
    third = DealershipFactory(name="Auto Neuve", city="Dijon")
    for d in (second, third):
        AssignmentFactory(consultant=assigned_consultant, dealership=d)
    return dealership, second, third, english


def _launch(consultant, dealerships, **extra):
    values = {
        "title": "Printemps 2026",
        "message": "Merci de répondre avant la réunion du réseau.",
        "due_date": timezone.localdate() + timedelta(days=30),
        "reminder_every_days": 7,
        "reminder_max": 2,
    }
    return campaign_launch(user=consultant, dealerships=dealerships, **(values | extra))


def test_a_launch_opens_a_pre_filled_draft_for_each_dealership(
    three, assigned_consultant, django_capture_on_commit_callbacks
):
    first, second, third, _english = three
    with django_capture_on_commit_callbacks() as callbacks:
        campaign = _launch(assigned_consultant, [first, second, third])
    assert len(callbacks) == 1  # the e-mails go once the launch commits
    entries = {e.dealership: e for e in CampaignDealership.objects.filter(campaign=campaign)}
    assert set(entries) == {first, second, third}
    assert all(e.assessment.is_draft for e in entries.values())
    # The one assessed before starts from its previous answers.
    draft = entries[first].assessment
    assert draft.previous is not None
    assert Answer.objects.filter(assessment=draft).count() > 10
    assert not Answer.objects.filter(assessment=entries[second].assessment).exists()


def test_a_dealerships_current_draft_is_reused(three, assigned_consultant, owner):
    first, *_rest = three
    from maturity.assessments.services import assessment_start

    draft, _created = assessment_start(dealership=first, user=owner)
    campaign = _launch(assigned_consultant, [first])
    assert campaign.participants.get().assessment == draft
    assert Assessment.objects.filter(dealership=first).drafts().count() == 1


def test_the_contacts_get_an_e_mail_in_their_language_with_their_link(
    three, assigned_consultant, owner, member, eager, django_capture_on_commit_callbacks
):
    first, second, _third, english = three
    assigned_consultant.full_name = "Claire Martin"
    assigned_consultant.save()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = _launch(assigned_consultant, [first, second])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {owner.email, member.email, english.email}
    french = by_address[owner.email]
    draft = campaign.participants.get(dealership=first).assessment
    assert reverse("assessment_detail", args=[first.pk, draft.pk]) in french.body
    assert "Claire Martin vous demande" in french.body
    assert "Merci de répondre avant la réunion du réseau." in french.body
    assert french.body.startswith(f"Bonjour {owner.get_short_name()},")
    assert "de la part de Claire Martin" in french.body
    assert by_address[english.email].body.startswith(f"Hello {english.get_short_name()},")
    log = CampaignMessage.objects.filter(campaign=campaign)
    assert {m.kind for m in log} == {"launch"} and log.count() == 3


def test_a_dealership_without_contact_gets_an_invitation(
    three, assigned_consultant, django_capture_on_commit_callbacks
):
    _first, _second, third, _english = three
    campaign = _launch(
        assigned_consultant, [third], contacts={third.pk: ("Direction@Auto-Neuve.example", "Ana")}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert mailing.send_campaign_messages() == 1
    invitation = Invitation.objects.get(dealership=third)
    assert invitation.email == "direction@auto-neuve.example" and invitation.role == "owner"
    (message,) = mail.outbox
    assert "Merci de répondre avant la réunion du réseau." in message.body  # the campaign's note
    assert message.body.startswith("Bonjour Ana,")
    assert campaign.participants.get().invitation == invitation
    assert CampaignMessage.objects.get(campaign=campaign).kind == "invitation"
    assert mailing.send_campaign_messages() == 0  # invited once


def test_never_more_than_one_e_mail_a_day_per_person(three, assigned_consultant, owner):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first], reminder_every_days=2)
    assert mailing.send_campaign_messages() == 2  # owner and member: the launch
    assert mailing.send_campaign_messages() == 0  # the hourly run, the same day
    tomorrow = timezone.now() + timedelta(days=1)
    assert mailing.send_campaign_messages(now=tomorrow) == 0  # every 2 days
    in_two_days = timezone.now() + timedelta(days=2)
    assert mailing.send_campaign_messages(now=in_two_days) == 2  # the reminders
    assert mailing.send_campaign_messages(now=in_two_days) == 0
    kinds = list(
        CampaignMessage.objects.filter(campaign=campaign, email=owner.email)
        .order_by("sent_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["launch", "reminder"]


def test_the_database_refuses_a_second_e_mail_the_same_day(three, assigned_consultant, owner):
    from django.db import IntegrityError, transaction

    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])
    mailing.send_campaign_messages()
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignMessage.objects.create(
            campaign=campaign,
            email=owner.email,
            kind="reminder",
            sent_on=timezone.localdate(),
            sent_at=timezone.now(),
        )


def test_reminders_stop_on_submission_and_at_the_maximum(three, assigned_consultant, owner, member):
    first, second, _third, english = three
    _launch(assigned_consultant, [first, second], reminder_every_days=2, reminder_max=1)
    mailing.send_campaign_messages()
    draft = CampaignDealership.objects.get(dealership=first).assessment
    fill(draft, persona_answers("B"), owner)
    from maturity.assessments.services import assessment_submit

    assessment_submit(assessment=draft, user=owner)
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=2)
    assert mailing.send_campaign_messages(now=later) == 1  # only the one still to submit
    assert [m.to for m in mail.outbox] == [[english.email]]
    assert mail.outbox[0].subject.startswith("Reminder:")  # in English, a reminder
    assert mailing.send_campaign_messages(now=timezone.now() + timedelta(days=4)) == 0  # max 1


def test_a_failed_send_leaves_no_log_and_is_tried_again(three, assigned_consultant, monkeypatch):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])

    def fail(*args, **kwargs):
        raise SMTPException("down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", fail)
    assert mailing.send_campaign_messages() == 0
    assert not CampaignMessage.objects.filter(campaign=campaign).exists()
    monkeypatch.undo()
    assert mailing.send_campaign_messages() == 2


def test_a_closed_campaign_sends_nothing_more(three, assigned_consultant):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])
    campaign_close(campaign=campaign, user=assigned_consultant)
    assert send_campaign_messages.apply().get() == 0
    assert mail.outbox == []


def test_its_drafts_are_left_to_the_campaigns_reminders(three, assigned_consultant):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])
    mailing.send_campaign_messages()
    draft = campaign.participants.get().assessment
    old = timezone.now() - timedelta(days=30)
    Assessment.objects.filter(pk=draft.pk).update(updated_at=old)
    Answer.objects.filter(assessment=draft).update(updated_at=old)
    assert send_draft_reminders() == 0  # the campaign's rhythm, not the generic one
    campaign_close(campaign=campaign, user=assigned_consultant)
    assert send_draft_reminders() == 2


def test_due_soon_and_overdue_are_notified_once(three, assigned_consultant, owner, member):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first], due_date=timezone.localdate() + timedelta(2))
    mailing.send_campaign_messages()
    mailing.send_campaign_messages()
    soon = Notification.objects.filter(kind=Notification.Kind.CAMPAIGN_DUE)
    assert {n.user for n in soon} == {assigned_consultant, owner, member}
    assert soon.get(user=assigned_consultant).data["state"] == "soon"
    after = timezone.now() + timedelta(days=3)
    mailing.send_campaign_messages(now=after)
    mailing.send_campaign_messages(now=after)
    overdue = Notification.objects.filter(user=assigned_consultant, data__state="overdue")
    assert overdue.count() == 1
    assert overdue.get().campaign == campaign


def test_a_launch_is_checked_whole(three, assigned_consultant):
    first, *_rest = three
    with pytest.raises(CampaignError):
        _launch(assigned_consultant, [first], due_date=timezone.localdate())
    with pytest.raises(CampaignError):
        _launch(assigned_consultant, [])
    with pytest.raises(CampaignError):
        _launch(assigned_consultant, [first], reminder_every_days=5)
    assert not Campaign.objects.exists()
    assert not Assessment.objects.filter(status="draft").exists()


# --- the pages ----------------------------------------------------------------------------


def test_launching_from_the_ticked_dealerships(client, three, assigned_consultant, outsider):
    first, _second, third, _english = three
    client.force_login(assigned_consultant)
    page = client.get(reverse("campaign_new"), {"d": [first.pk, third.pk, 999999]})
    assert [d.name for d in page.context["dealerships"]] == [third.name, first.name]  # by name
    assert [d.name for d in page.context["without_contact"]] == [third.name]
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(
        reverse("campaign_new"),
        {
            "d": [first.pk, third.pk],
            "title": "Automne",
            "due_date": due,
            "message": "",
            "reminder_every_days": "7",
            "reminder_max": "3",
            f"email-{third.pk}": "contact@auto-neuve.example",
            f"name-{third.pk}": "Ana Leroy",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign_detail", args=[campaign.pk])
    entry = campaign.participants.get(dealership=third)
    assert entry.invite_email == "contact@auto-neuve.example" and entry.invite_name == "Ana Leroy"


def test_a_dealership_outside_the_portfolio_is_never_in_a_campaign(
    client, three, assigned_consultant, other_dealership
):
    client.force_login(assigned_consultant)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(
        reverse("campaign_new"),
        {
            "d": [other_dealership.pk],
            "title": "X",
            "due_date": due,
            "reminder_every_days": "7",
            "reminder_max": "3",
        },
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_launching_for_the_portfolio_filter(client, three, assigned_consultant):
    _first, second, third, _english = three
    client.force_login(assigned_consultant)
    page = client.get(reverse("campaign_new"), {"scope": "filter", "status": "none"})
    assert {d.pk for d in page.context["dealerships"]} == {second.pk, third.pk}


def test_bad_input_keeps_the_form_and_saves_nothing(client, three, assigned_consultant):
    first, _second, third, _english = three
    client.force_login(assigned_consultant)
    response = client.post(
        reverse("campaign_new"),
        {
            "d": [first.pk, third.pk],
            "title": "",
            "due_date": "demain",
            "reminder_every_days": "9",
            "reminder_max": "99",
            f"email-{third.pk}": "pas une adresse",
        },
    )
    assert response.status_code == 400
    assert response.context["contact_errors"]
    assert not Campaign.objects.exists()


def test_the_campaign_page_shows_each_state_and_the_rate(client, three, assigned_consultant, owner):
    first, second, third, english = three
    campaign = _launch(assigned_consultant, [first, second, third])
    mailing.send_campaign_messages()
    draft = campaign.participants.get(dealership=second).assessment
    fill(draft, {"website_own": "own_site"}, english)
    first_draft = campaign.participants.get(dealership=first).assessment
    from maturity.assessments.services import assessment_submit

    assessment_submit(assessment=first_draft, user=owner)
    client.force_login(assigned_consultant)
    view = client.get(reverse("campaign_detail", args=[campaign.pk])).context["view"]
    states = {row.dealership: row.state for row in view.rows}
    assert states == {first: "submitted", second: "in_progress", third: "not_started"}
    row = next(r for r in view.rows if r.dealership == second)
    assert 0 < row.percent < 100
    assert view.rate == 33 and view.completed == 1
    assert next(r for r in view.rows if r.dealership == third).contacts == 0
    assert view.log_total == 3  # owner, member, the English owner


def test_the_campaign_page_costs_the_same_queries_for_3_or_30_dealerships(
    client, three, assigned_consultant
):
    first, second, third, _english = three
    small = _launch(assigned_consultant, [first, second, third])
    many = [DealershipFactory() for _ in range(27)]
    for d in many:
        AssignmentFactory(consultant=assigned_consultant, dealership=d)
        MembershipFactory(dealership=d)
    large = _launch(assigned_consultant, [first, second, third, *many], title="Grande")
    mailing.send_campaign_messages()
    client.force_login(assigned_consultant)

    def count(campaign) -> int:
        client.get(reverse("campaign_detail", args=[campaign.pk]))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("campaign_detail", args=[campaign.pk]))
        return len(queries)

    assert count(small) == count(large)


def test_closing_asks_first_then_closes(client, three, assigned_consultant):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])
    client.force_login(assigned_consultant)
    url = reverse("campaign_close", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Oui, clôturer la campagne" in page.content.decode()
    campaign.refresh_from_db()
    assert campaign.is_open  # a GET closes nothing
    assert client.post(url).status_code == 302
    campaign.refresh_from_db()
    assert not campaign.is_open and campaign.closed_by == assigned_consultant
    assert campaign.participants.get().assessment.is_draft  # the draft stays open


def test_another_consultants_campaign_is_a_404(
    client, three, assigned_consultant, unassigned_consultant
):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])
    client.force_login(unassigned_consultant)
    assert client.get(reverse("campaign_detail", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("campaign_close", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaigns")).context["campaigns"] == []


def test_the_list_says_how_far_each_campaign_is(client, three, assigned_consultant):
    first, second, *_rest = three
    _launch(assigned_consultant, [first, second])
    client.force_login(assigned_consultant)
    (item,) = client.get(reverse("campaigns")).context["campaigns"]
    assert (item.total, item.submitted, item.rate) == (2, 0, 0)


def test_the_dealer_home_says_who_asked_and_by_when(client, three, assigned_consultant, owner):
    first, *_rest = three
    _launch(assigned_consultant, [first])
    client.force_login(owner)
    html = client.get(reverse("dealership_detail", args=[first.pk])).content.decode()
    assert 'data-testid="home-campaign"' in html and "Printemps 2026" in html


def test_a_pre_filled_draft_is_not_started_until_someone_answers(
    client, three, assigned_consultant, owner
):
    first, *_rest = three
    campaign = _launch(assigned_consultant, [first])
    client.force_login(assigned_consultant)
    (row,) = client.get(reverse("campaign_detail", args=[campaign.pk])).context["view"].rows
    assert row.state == "not_started" and row.percent == 100  # last year's answers, untouched
    draft = campaign.participants.get().assessment
    Answer.objects.filter(assessment=draft, question_key="website_own").update(
        updated_at=timezone.now() + timedelta(minutes=5)
    )
    (row,) = client.get(reverse("campaign_detail", args=[campaign.pk])).context["view"].rows
    assert row.state == "in_progress"
