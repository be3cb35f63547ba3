"""Writes for the consultant portfolio."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dealers.models import User


def user_cadence_update(*, user: User, months: int) -> User:
    """Set how often ``user`` expects their dealerships to re-assess (drives the alert)."""
    field = User._meta.get_field("reassessment_cadence_months")
    # The model validators (1..36) are the rule; a form is not the only caller.
    field.run_validators(months)
    if not isinstance(months, int):
        raise ValidationError("months must be a whole number")
    user.reassessment_cadence_months = months
    user.save(update_fields=["reassessment_cadence_months"])
    return user
