"""Erasing a dealership's data (its export is ``dealership_data.archive``).

The owner of a dealership may take all its data away (portability, the archive) and erase
it. The deletion removes the dealership with everything that hangs on it, stored PDF
files included (the database cascade does not touch files).
"""

from __future__ import annotations

import logging

from django.db import transaction

from dealers.models import Dealership, User
from maturity.models import Report

logger = logging.getLogger(__name__)


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
