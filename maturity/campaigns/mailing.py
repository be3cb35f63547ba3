"""The campaigns' e-mails and due dates: one job, run at launch and every hour (beat).

For each open campaign, and each dealership of it that has not submitted yet:

- a dealership without contact that the consultant gave an address for is **invited**
  (``dealers.services.invitation_create``, with the campaign's message);
- each contact gets the **launch** e-mail once, then a **reminder** every
  ``reminder_every_days`` days, at most ``reminder_max`` of them. A person who is a contact
  of several of the campaign's dealerships gets one e-mail listing those still to submit.

Never more than one e-mail a day per person in a campaign: each is logged
(``CampaignMessage``) in the same transaction as it is sent, and the log's unique
constraint (campaign, address, day) refuses a second one, even with two workers running the
job at once. A submitted dealership gets nothing more (its contacts neither, for it), nor
does a closed campaign. A failed send leaves no log: the next run tries again.

The campaign's creator is notified when it is due soon (``CAMPAIGN_DUE_SOON_DAYS``) and
once it is overdue; the contacts still to submit when it is due soon.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime
from smtplib import SMTPException

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from common.mail import render_email
from dealers.models import Membership, User
from dealers.services import invitation_create
from maturity.models import Campaign, CampaignDealership, CampaignMessage, Notification
from maturity.notifications.services import notify

logger = logging.getLogger(__name__)

Kind = CampaignMessage.Kind


def _pending(campaign: Campaign) -> list[CampaignDealership]:
    """The campaign's dealerships whose draft is still a draft."""
    return list(
        campaign.participants.filter(assessment__status="draft")
        .select_related("dealership", "assessment", "invitation")
        .order_by("dealership__name", "pk")
    )


def _link(entry: CampaignDealership) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "assessment_detail", args=[entry.dealership_id, entry.assessment_id]
    )


def _invite(campaign: Campaign, entries: list[CampaignDealership], now: datetime) -> int:
    """Invite the address given for each dealership that has nobody yet; returns how many."""
    if campaign.created_by is None:
        return 0
    with_people = set(
        Membership.objects.filter(dealership__in=[e.dealership_id for e in entries]).values_list(
            "dealership_id", flat=True
        )
    )
    invited = 0
    for entry in entries:
        if not entry.invite_email or entry.invitation_id or entry.dealership_id in with_people:
            continue
        try:
            with transaction.atomic():
                CampaignMessage.objects.create(
                    campaign=campaign,
                    email=entry.invite_email,
                    kind=Kind.INVITATION,
                    dealership_ids=[entry.dealership_id],
                    sent_on=timezone.localdate(now),
                    sent_at=now,
                )
                invitation = invitation_create(
                    invited_by=campaign.created_by,
                    dealership=entry.dealership,
                    email=entry.invite_email,
                    full_name=entry.invite_name,
                    role=Membership.Role.OWNER,
                    note=campaign.message,
                )
                entry.invitation = invitation
                entry.save(update_fields=["invitation"])
        except IntegrityError:
            continue  # this address had its campaign e-mail today: tomorrow
        invited += 1
    return invited


def _contacts(entries: list[CampaignDealership]) -> dict[User, list[CampaignDealership]]:
    """Each active contact of the pending dealerships, with the dealerships they answer for."""
    by_dealership: dict[int, list[CampaignDealership]] = defaultdict(list)
    for entry in entries:
        by_dealership[entry.dealership_id].append(entry)
    people: dict[User, list[CampaignDealership]] = {}
    memberships = (
        Membership.objects.filter(dealership__in=list(by_dealership), user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "dealership__name")
    )
    for membership in memberships:
        people.setdefault(membership.user, []).extend(by_dealership[membership.dealership_id])
    return people


def _due(campaign: Campaign, user: User, history: dict, today: date) -> str | None:
    """The e-mail ``user`` is due today (``launch``, ``reminder``) or ``None``."""
    sent = history.get(user.email.lower())
    if sent is None:
        return Kind.LAUNCH
    last_on, reminders = sent
    if campaign.reminder_every_days <= 0 or reminders >= campaign.reminder_max:
        return None
    if (today - last_on).days >= campaign.reminder_every_days:
        return Kind.REMINDER
    return None


def _message(campaign: Campaign, user: User, entries: list[CampaignDealership], kind: str):
    context = {
        "user": user,
        "campaign": campaign,
        "sender": campaign.created_by,
        "items": [(entry.dealership, _link(entry)) for entry in entries],
        "reminder": kind == Kind.REMINDER,
    }
    return render_email(name="campaign", context=context, language=user.language)


def _mail(campaign: Campaign, entries: list[CampaignDealership], now: datetime) -> int:
    today = timezone.localdate(now)
    history = {
        row["email"].lower(): (row["last"], row["reminders"])
        for row in CampaignMessage.objects.filter(campaign=campaign)
        .values("email")
        .annotate(last=Max("sent_on"), reminders=Count("pk", filter=Q(kind=Kind.REMINDER)))
    }
    sent = 0
    for user, own in _contacts(entries).items():
        kind = _due(campaign, user, history, today)
        if kind is None:
            continue
        message = _message(campaign, user, own, kind)
        try:
            with transaction.atomic():
                CampaignMessage.objects.create(
                    campaign=campaign,
                    user=user,
                    email=user.email,
                    kind=kind,
                    dealership_ids=[e.dealership_id for e in own],
                    sent_on=today,
                    sent_at=now,
                )
                message.send(user.email)
        except IntegrityError:
            continue  # already e-mailed today in this campaign
        except (SMTPException, OSError):
            logger.warning("Campaign %s: e-mail to user %s failed; next run", campaign.pk, user.pk)
            continue
        sent += 1
    return sent


def _due_dates(campaign: Campaign, entries: list[CampaignDealership], now: datetime) -> None:
    """The "due soon" and "overdue" notifications, each once per campaign."""
    today = timezone.localdate(now)
    days_left = (campaign.due_date - today).days
    data = {"due": campaign.due_date.isoformat(), "pending": len(entries)}
    url = reverse("campaign_detail", args=[campaign.pk])
    if not entries:
        return
    due_soon = 0 <= days_left <= settings.CAMPAIGN_DUE_SOON_DAYS
    # Claimed first (a conditional UPDATE): two runs at once notify only once.
    if (
        due_soon
        and campaign.due_soon_notified_at is None
        and Campaign.objects.filter(pk=campaign.pk, due_soon_notified_at__isnull=True).update(
            due_soon_notified_at=now
        )
    ):
        notify(
            kind=Notification.Kind.CAMPAIGN_DUE,
            recipients=[campaign.created_by] if campaign.created_by else [],
            campaign=campaign,
            url=url,
            data={**data, "state": "soon"},
        )
        for entry, people in _by_entry(entries).items():
            notify(
                kind=Notification.Kind.CAMPAIGN_DUE,
                recipients=people,
                actor=campaign.created_by,
                dealership=entry.dealership,
                campaign=campaign,
                url=reverse("assessment_detail", args=[entry.dealership_id, entry.assessment_id]),
                data={**data, "state": "soon", "audience": "dealer"},
            )
    if (
        days_left < 0
        and campaign.overdue_notified_at is None
        and Campaign.objects.filter(pk=campaign.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        )
    ):
        notify(
            kind=Notification.Kind.CAMPAIGN_DUE,
            recipients=[campaign.created_by] if campaign.created_by else [],
            campaign=campaign,
            url=url,
            data={**data, "state": "overdue"},
        )


def _by_entry(entries: list[CampaignDealership]) -> dict[CampaignDealership, list[User]]:
    out: dict[CampaignDealership, list[User]] = {entry: [] for entry in entries}
    for user, own in _contacts(entries).items():
        for entry in own:
            out[entry].append(user)
    return out


def send_campaign_messages(*, campaign_id: int | None = None, now: datetime | None = None) -> int:
    """Run the job for one campaign (at launch) or every open one (beat); returns how many
    e-mails went (invitations included)."""
    now = now or timezone.now()
    campaigns = Campaign.objects.filter(closed_at__isnull=True).select_related("created_by")
    if campaign_id is not None:
        campaigns = campaigns.filter(pk=campaign_id)
    sent = 0
    for campaign in campaigns.order_by("pk"):
        entries = _pending(campaign)
        sent += _invite(campaign, entries, now)
        sent += _mail(campaign, entries, now)
        _due_dates(campaign, entries, now)
    if sent:
        logger.info("Sent %s campaign e-mail(s)", sent)
    return sent
