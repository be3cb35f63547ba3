"""A dealership's own data: everything exported as one JSON document, or deleted.

The owner of a dealership may take all its data away (portability) and erase it. The
export gathers what the product stores about the dealership; the deletion removes the
dealership with everything that hangs on it, stored PDF files included (the database
cascade does not touch files).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership, Invitation, User
from maturity.models import Assessment, Report, RoadmapActionStatus
from maturity.results.export import assessment_document

logger = logging.getLogger(__name__)

FORMAT = "dealer-maturity/dealership-v1"


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
                "done_at": s.done_at.isoformat() if s.done_at else None,
                "updated_at": s.updated_at.isoformat(),
            }
            for s in RoadmapActionStatus.objects.filter(dealership=dealership).order_by(
                "action_key"
            )
        ],
        "assessments": [assessment_document(a) for a in assessments],
    }


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
