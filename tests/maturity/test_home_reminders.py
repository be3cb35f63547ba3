"""Reminders for untouched drafts: the periodic task, its log, never twice a day."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maturity.followup.reminders import send_draft_reminders
from maturity.followup.tasks import send_draft_reminders_task
from maturity.models import Answer, Assessment, ReminderLog
from tests.factories import AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fourteen_days(settings):
    settings.DRAFT_REMINDER_AFTER_DAYS = 14


def _age(draft: Assessment, days: int) -> None:
    moment = timezone.now() - timedelta(days=days)
    Assessment.objects.filter(pk=draft.pk).update(updated_at=moment)
    Answer.objects.filter(assessment=draft).update(updated_at=moment)


@pytest.fixture
def stale(dealership, owner, member):
    draft = AssessmentFactory(dealership=dealership)
    Answer.objects.create(assessment=draft, question_key="website_own", value="own_site")
    _age(draft, 20)
    return draft


def test_the_contacts_of_an_untouched_draft_are_reminded_once(stale, owner, member):
    assert send_draft_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, member.email])
    body = mail.outbox[0].body
    assert reverse("assessment_detail", args=[stale.dealership_id, stale.pk]) in body
    assert stale.dealership.name in mail.outbox[0].subject
    assert ReminderLog.objects.filter(assessment=stale).count() == 2
    # The task runs every hour: nobody gets a second e-mail.
    assert send_draft_reminders() == 0
    assert send_draft_reminders(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 2


def test_reminded_again_after_another_period(stale):
    send_draft_reminders()
    later = timezone.now() + timedelta(days=settings.DRAFT_REMINDER_AFTER_DAYS)
    assert send_draft_reminders(now=later) == 2


def test_a_recently_touched_draft_is_left_alone(dealership, owner):
    draft = AssessmentFactory(dealership=dealership)
    Answer.objects.create(assessment=draft, question_key="website_own", value="own_site")
    _age(draft, 20)
    Answer.objects.filter(assessment=draft).update(updated_at=timezone.now() - timedelta(days=2))
    assert send_draft_reminders() == 0


def test_submitted_assessments_and_inactive_people_are_not_reminded(stale, owner, member):
    member.is_active = False
    member.save()
    assert send_draft_reminders() == 1
    Assessment.objects.filter(pk=stale.pk).update(status="submitted")
    assert send_draft_reminders(now=timezone.now() + timedelta(days=30)) == 0


def test_the_mail_is_in_the_contact_language(stale, owner, member):
    owner.language, member.language = "en", "fr"
    owner.save()
    member.save()
    send_draft_reminders()
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "is waiting for you" in by_person[owner.email].subject


def test_a_failed_send_leaves_no_log_and_is_retried(stale):
    with mock.patch("common.mail.send_mail", side_effect=SMTPException("down")):
        assert send_draft_reminders() == 0
    assert not ReminderLog.objects.exists()
    assert send_draft_reminders() == 2


def test_never_twice_a_day_even_when_two_runs_race(stale, owner):
    today = timezone.localdate()
    ReminderLog.objects.create(
        assessment=stale, user=owner, email=owner.email, sent_on=today, sent_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(
            assessment=stale, user=owner, email=owner.email, sent_on=today, sent_at=timezone.now()
        )
    # A run that did not see the first log still cannot send twice: the constraint stops it.
    with mock.patch("maturity.followup.reminders.recipients", return_value=[owner]):
        assert send_draft_reminders() == 0
    assert len(mail.outbox) == 0


def test_the_task_is_scheduled_and_registered(stale):
    schedule = settings.CELERY_BEAT_SCHEDULE["draft-reminders"]
    assert schedule["task"] == send_draft_reminders_task.name == "maturity.send_draft_reminders"
    assert "maturity.followup.tasks" in settings.CELERY_IMPORTS
    assert send_draft_reminders_task.apply().get() == 2


def test_the_consultant_sees_the_last_reminder(client, stale, assigned_consultant):
    client.cookies.load({"django_language": "en"})
    send_draft_reminders()
    client.force_login(assigned_consultant)
    html = client.get(reverse("dealership_detail", args=[stale.dealership_id])).content.decode()
    assert "Last reminder e-mailed on" in html


def test_people_without_membership_are_not_reminded(stale):
    UserFactory(email="stranger@example.com")
    send_draft_reminders()
    assert "stranger@example.com" not in [m.to[0] for m in mail.outbox]
