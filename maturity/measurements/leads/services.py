"""Writes of lead-response tests: record, correct, delete (consultants and staff, checked
by the views through ``dealers.permissions``). The response time informs the lead
handling question (``leads.response_time``): each write rescores the latest result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dealers.models import Dealership, User
from maturity.measurements.leads.grid import current_grid
from maturity.models import LeadTest, WebhookEndpoint
from maturity.results.services import result_refresh_measured
from maturity.webhooks.services import webhook_event_emit


class LeadTestError(ValueError):
    """A test that cannot be stored as given (the form shows the same rules first)."""


def _checked(
    *, sent_at: datetime, replied_at: datetime | None, grid_items: Sequence[str]
) -> list[str]:
    if sent_at > timezone.now():
        raise LeadTestError("sent in the future")
    if replied_at is not None and replied_at < sent_at:
        raise LeadTestError("replied before it was sent")
    if replied_at is not None and replied_at > timezone.now():
        raise LeadTestError("replied in the future")
    keys = current_grid().keys
    unknown = [item for item in grid_items if item not in keys]
    if unknown:
        raise LeadTestError(f"unknown grid item {unknown[0]}")
    if replied_at is None and grid_items:
        raise LeadTestError("grid items without a reply")
    return [key for key in keys if key in grid_items]


@transaction.atomic
def lead_test_record(
    *,
    dealership: Dealership,
    user: User,
    channel: str,
    question: str,
    sent_at: datetime,
    replied_at: datetime | None = None,
    grid_items: Sequence[str] = (),
    notes: str = "",
) -> LeadTest:
    items = _checked(sent_at=sent_at, replied_at=replied_at, grid_items=grid_items)
    test = LeadTest.objects.create(
        dealership=dealership,
        channel=channel,
        question=question,
        sent_at=sent_at,
        replied_at=replied_at,
        grid_items=items,
        notes=notes,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    webhook_event_emit(event=WebhookEndpoint.Event.LEAD_TEST_RECORDED, measured=test)
    result_refresh_measured(dealership_id=dealership.pk)
    return test


@transaction.atomic
def lead_test_update(
    *,
    test: LeadTest,
    channel: str,
    question: str,
    sent_at: datetime,
    replied_at: datetime | None,
    grid_items: Sequence[str],
    notes: str,
) -> LeadTest:
    test.grid_items = _checked(sent_at=sent_at, replied_at=replied_at, grid_items=grid_items)
    test.channel, test.question, test.notes = channel, question, notes
    test.sent_at, test.replied_at = sent_at, replied_at
    test.save()
    result_refresh_measured(dealership_id=test.dealership_id)
    return test


@transaction.atomic
def lead_test_delete(*, test: LeadTest) -> None:
    dealership_id = test.dealership_id
    test.delete()
    result_refresh_measured(dealership_id=dealership_id)
