"""E-mails are plain text in the recipient's language: nothing in them is HTML-escaped."""

from __future__ import annotations

from django.core import mail

from common.mail import render_email
from dealers.services import invitation_create
from tests.factories import DealershipFactory


def test_it_keeps_an_ampersand_in_the_subject_and_the_body(
    db, staff, django_capture_on_commit_callbacks
):
    dealership = DealershipFactory(name="Martin & Fils", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(invited_by=staff, dealership=dealership, email="paul@martin.example")
    (message,) = mail.outbox
    assert "Martin & Fils" in message.subject
    assert "&amp;" not in message.subject and "&amp;" not in message.body
    assert "Martin & Fils" in message.body


def test_it_writes_in_the_language_asked_whatever_the_active_one(db):
    dealership = DealershipFactory(name="Garage <Lumière> & Co")
    context = {"dealership": dealership, "link": "https://example.test/r/1"}
    french = render_email(name="report_ready", context=context, language="fr")
    english = render_email(name="report_ready", context=context, language="en-gb")
    assert french.subject == "La feuille de route PDF de Garage <Lumière> & Co est prête"
    assert english.subject == "The PDF roadmap of Garage <Lumière> & Co is ready"
    assert "\n" not in english.subject
