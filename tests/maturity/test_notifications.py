"""Notifications: who hears about what, as they chose (at once, a daily digest, off), the
list with its unread count, e-mails that greet by name in the reader's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maturity.models import Notification, NotificationDigest, NotificationPreference
from maturity.notifications import delivery
from maturity.notifications.services import notify, preferences_set
from maturity.notifications.tasks import send_notification_digests, send_pending_notifications
from tests.factories import ConsultantFactory, UserFactory
from tests.maturity.conftest import fill, persona_answers
from tests.maturity.results_helpers import submit_persona

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def _submit(draft, owner, capture):
    from maturity.assessments.services import assessment_submit

    fill(draft, persona_answers("B"), owner)
    with capture(execute=True):
        assessment_submit(assessment=draft, user=owner)


def test_a_submission_tells_the_dealerships_consultants_at_once(
    draft,
    owner,
    assigned_consultant,
    unassigned_consultant,
    eager,
    django_capture_on_commit_callbacks,
):
    assigned_consultant.full_name = "Claire Martin"
    assigned_consultant.save()
    _submit(draft, owner, django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    assert notification.user == assigned_consultant and notification.kind == Kind.SUBMITTED
    assert notification.actor == owner and notification.emailed_at is not None
    assert not Notification.objects.filter(user=unassigned_consultant).exists()
    (message,) = mail.outbox
    assert message.to == [assigned_consultant.email]
    assert message.body.startswith("Bonjour Claire,")  # in French, by name
    assert message.subject.startswith(
        f"{owner.full_name} a soumis l’autodiagnostic de Auto Rivière"
    )
    assert reverse("assessment_feedback", args=[draft.dealership_id, draft.pk]) in message.body
    assert f"de la part de {owner.full_name}" in message.body  # who sent it


def test_an_english_reader_gets_it_in_english(
    draft, owner, assigned_consultant, eager, django_capture_on_commit_callbacks
):
    assigned_consultant.language = "en"
    assigned_consultant.full_name = "Claire Martin"
    assigned_consultant.save()
    _submit(draft, owner, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert body.startswith("Hello Claire,")
    assert "submitted the assessment of Auto Rivière" in body
    assert f"Sent on behalf of {owner.full_name}" in body


def test_nobody_is_told_about_what_they_did(owner, dealership):
    assert notify(kind=Kind.SUBMITTED, recipients=[owner], actor=owner, dealership=dealership) == []


def test_off_means_nothing_at_all(
    draft, owner, assigned_consultant, eager, django_capture_on_commit_callbacks
):
    preferences_set(user=assigned_consultant, choices={Kind.SUBMITTED: "off"})
    _submit(draft, owner, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_digest_reader_gets_one_e_mail_a_day(
    draft, owner, assigned_consultant, dealership, eager, django_capture_on_commit_callbacks
):
    assigned_consultant.full_name = "Claire Martin"
    assigned_consultant.save()
    preferences_set(user=assigned_consultant, choices={Kind.SUBMITTED: "digest"})
    _submit(draft, owner, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # nothing at once
    notification = Notification.objects.get(user=assigned_consultant)
    assert notification.delivery == "digest" and notification.emailed_at is None
    # Something else the same day goes in the same digest.
    notify(kind=Kind.REPORT_READY, recipients=[assigned_consultant], dealership=dealership)
    NotificationPreference.objects.create(
        user=assigned_consultant, kind=Kind.REPORT_READY, delivery="digest"
    )
    notify(kind=Kind.REPORT_READY, recipients=[assigned_consultant], dealership=dealership)
    assert send_notification_digests.apply().get() == 1
    (digest,) = [m for m in mail.outbox if m.to == [assigned_consultant.email]]
    assert digest.body.startswith("Bonjour Claire,")
    assert "2 nouveaux événements" in digest.subject
    assert digest.body.count("Auto Rivière") >= 2
    assert NotificationDigest.objects.filter(user=assigned_consultant).count() == 1
    # A second run the same day sends nothing, even with something new.
    notify(kind=Kind.REPORT_READY, recipients=[assigned_consultant], dealership=dealership)
    mail.outbox.clear()
    assert delivery.send_digests() == 0
    assert mail.outbox == []
    tomorrow = timezone.now() + timedelta(days=1)
    assert delivery.send_digests(now=tomorrow) == 1


def test_a_lost_message_is_sent_by_the_beat_task(dealership):
    consultant = ConsultantFactory()
    (created,) = notify(kind=Kind.SUBMITTED, recipients=[consultant], dealership=dealership)
    assert mail.outbox == []  # no task ran (no commit in a test transaction)
    assert send_pending_notifications.apply().get() == 0  # too recent: the task may be on its way
    Notification.objects.filter(pk=created.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert send_pending_notifications.apply().get() == 1
    assert send_pending_notifications.apply().get() == 0  # once
    assert len(mail.outbox) == 1


def test_a_failed_send_is_tried_again(dealership, monkeypatch):
    from smtplib import SMTPException

    consultant = ConsultantFactory()
    (created,) = notify(kind=Kind.SUBMITTED, recipients=[consultant], dealership=dealership)

    def fail(*args, **kwargs):
        raise SMTPException("down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", fail)
    assert delivery.send_notification_emails([created.pk]) == 0
    created.refresh_from_db()
    assert created.emailed_at is None
    monkeypatch.undo()
    assert delivery.send_notification_emails([created.pk]) == 1


def test_the_tasks_are_scheduled():
    assert settings.CELERY_BEAT_SCHEDULE["pending-notifications"]["task"] == (
        "maturity.send_pending_notifications"
    )
    assert settings.CELERY_BEAT_SCHEDULE["notification-digests"]["task"] == (
        "maturity.send_notification_digests"
    )
    assert "maturity.notifications.tasks" in settings.CELERY_IMPORTS


# --- the list -----------------------------------------------------------------------------


def _note(user, dealership, **extra):
    return Notification.objects.create(
        user=user,
        kind=Kind.REVIEW_PUBLISHED,
        dealership=dealership,
        url=reverse("dealership_detail", args=[dealership.pk]),
        delivery="immediate",
        created_at=timezone.now(),
        **extra,
    )


def test_the_navigation_bar_counts_the_unread(client, owner, dealership):
    client.force_login(owner)
    html = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()
    assert 'data-testid="nav-unread"' not in html
    _note(owner, dealership)
    _note(owner, dealership)
    _note(owner, dealership, read_at=timezone.now())
    html = client.get(reverse("dealership_detail", args=[dealership.pk])).content.decode()
    assert 'data-testid="nav-unread">2<' in html


def test_opening_one_marks_it_read_and_goes_there(client, owner, dealership):
    note = _note(owner, dealership)
    client.force_login(owner)
    page = client.get(reverse("notifications"))
    assert page.context["unread"] == 1
    assert "publié" in page.content.decode()  # the sentence, in French
    response = client.post(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dealership_detail", args=[dealership.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_all_as_read(client, owner, dealership):
    _note(owner, dealership)
    _note(owner, dealership)
    client.force_login(owner)
    assert client.post(reverse("notification_read_all")).status_code == 302
    assert not Notification.objects.filter(user=owner, read_at__isnull=True).exists()


def test_nobody_opens_someone_elses(client, owner, member, dealership):
    note = _note(owner, dealership)
    client.force_login(member)
    assert client.post(reverse("notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_an_empty_list_says_what_comes_there(client, owner):
    client.force_login(owner)
    client.cookies.load({"django_language": "en"})
    html = client.get(reverse("notifications")).content.decode()
    assert "No notification yet." in html


def test_the_settings_offer_the_kinds_of_the_role(client, owner, assigned_consultant):
    client.force_login(owner)
    form = client.get(reverse("notification_settings")).context["form"]
    assert Kind.REVIEW_PUBLISHED in form.fields and Kind.SUBMITTED not in form.fields
    response = client.post(
        reverse("notification_settings"),
        {kind: "immediate" for kind in form.fields} | {Kind.REVIEW_PUBLISHED: "digest"},
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=owner).delivery == "digest"
    # "Immediately" is the default: no row for it.
    assert NotificationPreference.objects.filter(user=owner).count() == 1
    client.force_login(assigned_consultant)
    form = client.get(reverse("notification_settings")).context["form"]
    assert Kind.SUBMITTED in form.fields


def test_a_bad_choice_is_refused(client, owner):
    client.force_login(owner)
    response = client.post(reverse("notification_settings"), {Kind.REVIEW_PUBLISHED: "loud"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_ready_pdf_notifies_who_asked(dealership, owner, settings, tmp_path, monkeypatch):
    from maturity.reports import jobs, tasks
    from maturity.reports.services import report_request
    from tests.factories import submitted_assessment

    settings.MEDIA_ROOT = tmp_path
    settings.REPORTS_EMAIL_WHEN_READY = True
    monkeypatch.setattr(jobs, "render_report_pdf", lambda report: b"%PDF-1.7\n%%EOF\n")
    monkeypatch.setattr(tasks, "report_send", lambda **kwargs: True)
    assessment = submitted_assessment(dealership=dealership, user=owner)
    preferences_set(user=owner, choices={Kind.REPORT_READY: "digest"})
    report = report_request(assessment=assessment, user=owner, language="fr")
    assert tasks.render_report.apply(args=[report.pk]).result == "ready"
    notification = Notification.objects.get(user=owner, kind=Kind.REPORT_READY)
    assert notification.delivery == "digest"
    assert mail.outbox == []  # the digest will say it, not an e-mail now


def test_submit_persona_helper_notifies_nobody_without_consultant(dealership, owner):
    submit_persona(dealership=dealership, user=owner, letter="a")
    assert not Notification.objects.exists()


def test_inactive_people_are_not_notified(dealership):
    gone = UserFactory(is_active=False)
    assert notify(kind=Kind.REVIEW_PUBLISHED, recipients=[gone], dealership=dealership) == []
