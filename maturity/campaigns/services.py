"""Writes of the campaigns: launch one, close one.

Launching opens a draft for each dealership, in one transaction: its current draft when it
has one, else a new one pre-filled from its last submitted assessment
(``assessments.services.assessment_start``). The e-mails (to the contacts, in their
language; invitations for dealerships without contact) are sent by the campaign's mailing
job once the launch commits (``campaigns.mailing``), so a launch for hundreds of
dealerships answers at once, and a broker that is down only delays them to the next
hourly run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealers.models import Dealership, User
from maturity.assessments.services import assessment_start
from maturity.campaigns import tasks
from maturity.models import Campaign, CampaignDealership, WebhookEndpoint
from maturity.webhooks.services import webhook_event_emit

REMINDER_EVERY_CHOICES = (0, 2, 3, 7, 14)
REMINDER_MAX_LIMIT = 10


class CampaignError(ValueError):
    """The campaign cannot be launched as asked; the message says why, for people."""


class CampaignClosed(Exception):
    """The campaign is already closed."""


def campaign_launch(
    *,
    user: User,
    dealerships: Sequence[Dealership],
    title: str,
    message: str,
    due_date: date,
    reminder_every_days: int,
    reminder_max: int,
    contacts: Mapping[int, tuple[str, str]] | None = None,
) -> Campaign:
    """Launch a campaign for ``dealerships`` (already scoped to ``user``).

    ``contacts``: for dealerships with nobody on the product yet, ``{dealership id:
    (e-mail, full name)}`` to invite. Raises :class:`CampaignError` (nothing is saved).
    """
    title = title.strip()
    unique = list({d.pk: d for d in dealerships}.values())
    if not title:
        raise CampaignError(_("Give the campaign a title."))
    if not unique:
        raise CampaignError(_("Choose at least one dealership."))
    if len(unique) > settings.CAMPAIGN_MAX_DEALERSHIPS:
        raise CampaignError(
            _("A campaign holds at most %(n)s dealerships: narrow the selection.")
            % {"n": settings.CAMPAIGN_MAX_DEALERSHIPS}
        )
    if due_date <= timezone.localdate():
        raise CampaignError(_("Choose a due date in the future."))
    if reminder_every_days not in REMINDER_EVERY_CHOICES:
        raise CampaignError(_("Choose how often reminders go out."))
    if not 0 <= reminder_max <= REMINDER_MAX_LIMIT:
        raise CampaignError(_("At most %(n)s reminders per person.") % {"n": REMINDER_MAX_LIMIT})
    contacts = contacts or {}
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title[:150],
            message=message.strip()[:2000],
            due_date=due_date,
            reminder_every_days=reminder_every_days,
            reminder_max=reminder_max,
            created_by=user,
            created_at=now,
        )
        entries = []
        for dealership in unique:
            draft, _created = assessment_start(dealership=dealership, user=user)
            email, name = contacts.get(dealership.pk, ("", ""))
            entries.append(
                CampaignDealership(
                    campaign=campaign,
                    dealership=dealership,
                    assessment=draft,
                    invite_email=email.strip().lower(),
                    invite_name=name.strip()[:150],
                    added_at=now,
                )
            )
        CampaignDealership.objects.bulk_create(entries)
        transaction.on_commit(lambda: tasks.send_later(campaign.pk))
        webhook_event_emit(event=WebhookEndpoint.Event.CAMPAIGN_LAUNCHED, campaign=campaign)
    return campaign


def campaign_close(*, campaign: Campaign, user: User) -> Campaign:
    """Close ``campaign``: no more e-mails. The drafts stay: dealers may still submit."""
    closed = Campaign.objects.filter(pk=campaign.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=user
    )
    if not closed:
        raise CampaignClosed
    campaign.refresh_from_db()
    webhook_event_emit(event=WebhookEndpoint.Event.CAMPAIGN_CLOSED, campaign=campaign)
    return campaign
