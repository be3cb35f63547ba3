"""A dealership's own data: everything exported as one JSON document, or deleted.

The owner of a dealership may take all its data away (portability) and erase it. The
export gathers what the product stores about the dealership: its people, assessments,
the roadmap with each action's owner, due date, notes and history, the steps delegated to
colleagues, its target, the campaigns it was asked in (with the e-mails its people got),
its people's notifications about it, its lead-response tests (once closed, as its people
see them) and its imported customer reviews. The deletion removes the dealership with
everything that hangs on it, stored PDF files included (the database cascade does not touch
files).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership, Invitation, User
from maturity.measurements.leads.selectors import visible_lead_tests
from maturity.models import (
    AreaDelegation,
    Assessment,
    CampaignDealership,
    CampaignMessage,
    CustomerReview,
    DealershipTarget,
    Notification,
    Report,
    ReviewImport,
    RoadmapActionChange,
    RoadmapActionStatus,
)
from maturity.results.export import assessment_document

logger = logging.getLogger(__name__)

FORMAT = "dealer-maturity/dealership-v2"


def dealership_data_export(*, dealership: Dealership) -> dict[str, Any]:
    """Every piece of data the product keeps about ``dealership``."""
    assessments = (
        Assessment.objects.filter(dealership=dealership)
        .select_related("version", "dealership", "submitted_by", "created_by")
        .order_by("created_at")
    )
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "dealership": {
            "name": dealership.name,
            "city": dealership.city,
            "region": dealership.get_region_display(),
            "brands": sorted(b.name for b in dealership.brands.all()),
            "group": dealership.group.name if dealership.group else None,
            "size_band": dealership.size_band,
            "website_url": dealership.website_url,
            "social_urls": dealership.social_urls,
            "language": dealership.language,
            "created_at": dealership.created_at.isoformat(),
        },
        "people": [
            {"name": m.user.full_name, "email": m.user.email, "role": m.role}
            for m in dealership.memberships.select_related("user").order_by("user__email")
        ],
        "consultants": [
            {"name": a.consultant.full_name, "email": a.consultant.email}
            for a in dealership.assignments.select_related("consultant").order_by("pk")
        ],
        "invitations": [
            {
                "email": i.email,
                "role": i.role,
                "created_at": i.created_at.isoformat(),
                "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in Invitation.objects.filter(dealership=dealership).order_by("created_at")
        ],
        "roadmap_statuses": [
            {
                "action": s.action_key,
                "status": s.status,
                "done_at": _iso(s.done_at),
                "updated_at": s.updated_at.isoformat(),
                "owner": _person(s.owner),
                "due_date": _iso(s.due_date),
                "notes": s.notes,
            }
            for s in RoadmapActionStatus.objects.filter(dealership=dealership)
            .select_related("owner")
            .order_by("action_key")
        ],
        "roadmap_history": [
            {
                "action": c.action_key,
                "field": c.field,
                "before": c.before,
                "after": c.after,
                "by": _person(c.changed_by),
                "at": c.changed_at.isoformat(),
            }
            for c in RoadmapActionChange.objects.filter(dealership=dealership)
            .select_related("changed_by")
            .order_by("changed_at", "pk")
        ],
        "delegations": [
            {
                "assessment": d.assessment_id,
                "area": d.area_key,
                "delegate": _person(d.delegate),
                "asked_by": _person(d.requested_by),
                "message": d.message,
                "created_at": d.created_at.isoformat(),
            }
            for d in AreaDelegation.objects.filter(assessment__dealership=dealership)
            .select_related("delegate", "requested_by")
            .order_by("created_at", "pk")
        ],
        "target": _target(dealership),
        "campaigns": _campaigns(dealership),
        "lead_tests": [
            {
                "channel": t.channel,
                "question": t.question,
                "sent_at": t.sent_at.isoformat(),
                "replied_at": _iso(t.replied_at),
                "grid_items": t.grid_items,
                "notes": t.notes,
                "recorded_by": _person(t.recorded_by),
            }
            for t in visible_lead_tests(dealership=dealership, dealer_view=True)
            .select_related("recorded_by")
            .order_by("sent_at", "pk")
        ],
        "review_imports": [
            {
                "filename": i.filename,
                "format": i.file_format,
                "rows": i.rows,
                "added": i.added,
                "imported_by": _person(i.imported_by),
                "imported_at": i.imported_at.isoformat(),
            }
            for i in ReviewImport.objects.filter(dealership=dealership)
            .select_related("imported_by")
            .order_by("imported_at", "pk")
        ],
        "customer_reviews": [
            {
                "date": created_at.isoformat(),
                "rating": rating,
                "text": text,
                "answered_at": _iso(replied_at),
            }
            for created_at, rating, text, replied_at in CustomerReview.objects.filter(
                dealership=dealership
            )
            .order_by("created_at", "pk")
            .values_list("created_at", "rating", "text", "replied_at")
        ],
        "notifications": [
            {
                "to": n.user.email,
                "kind": n.kind,
                "created_at": n.created_at.isoformat(),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
            }
            for n in Notification.objects.filter(
                dealership=dealership,
                user__in=dealership.memberships.values("user_id"),
            )
            .select_related("user")
            .order_by("created_at", "pk")
        ],
        "assessments": [assessment_document(a) for a in assessments],
    }


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def _person(user: User | None) -> dict[str, str] | None:
    return {"name": user.full_name, "email": user.email} if user else None


def _target(dealership: Dealership) -> dict[str, Any] | None:
    target = DealershipTarget.objects.filter(dealership=dealership).select_related("set_by").first()
    if target is None:
        return None
    return {
        "rung": target.rung,
        "due_date": target.due_date.isoformat(),
        "set_by": _person(target.set_by),
        "set_at": target.set_at.isoformat(),
    }


def _campaigns(dealership: Dealership) -> list[dict[str, Any]]:
    """The campaigns the dealership was asked in, and the e-mails they sent its people."""
    entries = list(
        CampaignDealership.objects.filter(dealership=dealership)
        .select_related("campaign__created_by")
        .order_by("added_at", "pk")
    )
    messages = CampaignMessage.objects.filter(
        campaign__in=[e.campaign_id for e in entries]
    ).order_by("sent_at", "pk")
    sent: dict[int, list[dict[str, Any]]] = {}
    for message in messages:
        # Only the e-mails about this dealership (one may list several of a group).
        if dealership.pk in (message.dealership_ids or ()):
            sent.setdefault(message.campaign_id, []).append(
                {"to": message.email, "kind": message.kind, "sent_at": message.sent_at.isoformat()}
            )
    return [
        {
            "title": e.campaign.title,
            "message": e.campaign.message,
            "launched_by": _person(e.campaign.created_by),
            "launched_at": e.campaign.created_at.isoformat(),
            "due_date": e.campaign.due_date.isoformat(),
            "closed_at": _iso(e.campaign.closed_at),
            "added_at": e.added_at.isoformat(),
            "assessment": e.assessment_id,
            "invited": e.invite_email or None,
            "emails": sent.get(e.campaign_id, []),
        }
        for e in entries
    ]


@transaction.atomic
def dealership_data_delete(*, dealership: Dealership, user: User) -> None:
    """Erase ``dealership`` and all its data; its stored PDFs go once the deletion commits.

    People keep their accounts (they may belong to other dealerships); their membership
    of this one goes.
    """
    files = [
        name
        for name in Report.objects.filter(assessment__dealership=dealership)
        .exclude(file="")
        .values_list("file", flat=True)
    ]
    storage = Report._meta.get_field("file").storage
    logger.info(
        "Dealership %s deleted by user %s (%d stored PDFs)", dealership.pk, user.pk, len(files)
    )
    dealership.delete()

    def remove_files() -> None:
        for name in files:
            storage.delete(name)

    # Only once the rows are gone for good: a rolled-back deletion keeps its files.
    transaction.on_commit(remove_files)
