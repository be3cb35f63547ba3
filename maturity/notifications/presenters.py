"""What a notification says, in the reader's language (the list, the e-mails, the digest).

A notification stores its kind, the people and objects involved and a little data; the
sentence is written here when it is shown, so it is always in the reader's language
(catalogue and questionnaire titles are stored in both languages, ``{"fr": ..., "en": ...}``).
No query: the list selects the actor, the dealership and the campaign with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from common.i18n import format_date, normalise_language
from maturity.models import Notification

Kind = Notification.Kind


@dataclass(frozen=True, slots=True)
class NotificationLine:
    notification: Notification
    text: str
    link: str  # absolute, for e-mails
    unread: bool
    created_at: datetime


def _bilingual(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("fr") or "")
    return str(value or "")


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return value


def sentence(notification: Notification, language: str) -> str:
    """The notification in one sentence, in ``language``."""
    language = normalise_language(language)
    with translation.override(language):
        return _sentence(notification, language)


def _sentence(n: Notification, language: str) -> str:
    data = n.data or {}
    who = str(n.actor) if n.actor else _("Someone")
    name = n.dealership.name if n.dealership else ""
    if n.kind == Kind.SUBMITTED:
        return _("%(who)s submitted the assessment of %(name)s: it awaits your review.") % {
            "who": who,
            "name": name,
        }
    if n.kind == Kind.REVIEW_PUBLISHED:
        return _("%(who)s published their review of the assessment of %(name)s.") % {
            "who": who,
            "name": name,
        }
    if n.kind == Kind.REPORT_READY:
        return _("The PDF roadmap of %(name)s is ready.") % {"name": name}
    if n.kind == Kind.ACTION_DUE:
        values = {
            "action": _bilingual(data.get("title"), language),
            "name": name,
            "date": _date(data.get("due")),
        }
        if data.get("overdue"):
            return _("The action “%(action)s” of %(name)s was due on %(date)s.") % values
        return _("The action “%(action)s” of %(name)s is due on %(date)s.") % values
    if n.kind == Kind.AREA_DELEGATED:
        return _(
            "%(who)s asks you to answer the step “%(area)s” of the assessment of %(name)s."
        ) % {
            "who": who,
            "area": _bilingual(data.get("area"), language),
            "name": name,
        }
    if n.kind == Kind.CAMPAIGN_DUE:
        values = {
            "title": n.campaign.title if n.campaign else data.get("title", ""),
            "date": _date(data.get("due")),
            "name": name,
            "n": data.get("pending", 0),
        }
        if data.get("audience") == "dealer":
            return (
                _("The assessment of %(name)s is expected by %(date)s (campaign “%(title)s”).")
                % values
            )
        if data.get("state") == "overdue":
            return (
                _(
                    "The campaign “%(title)s” was due on %(date)s: %(n)s dealerships have not "
                    "submitted."
                )
                % values
            )
        return (
            _(
                "The campaign “%(title)s” is due on %(date)s: %(n)s dealerships have not "
                "submitted yet."
            )
            % values
        )
    return str(Notification.Kind(n.kind).label) if n.kind in Kind.values else n.kind


def absolute(url: str) -> str:
    """A link for an e-mail (``url`` is a path of this site)."""
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def line(notification: Notification, language: str) -> NotificationLine:
    return NotificationLine(
        notification=notification,
        text=sentence(notification, language),
        link=absolute(notification.url),
        unread=notification.read_at is None,
        created_at=notification.created_at,
    )
