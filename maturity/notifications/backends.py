"""The login backend: Django's, with the person's unread notification count.

The navigation bar shows the unread count on every page. Counting in the query that loads
the logged-in person (a subquery on an indexed column) costs no query of its own, so no
page's query budget grows with it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from maturity.models import Notification


class UserBackend(ModelBackend):
    def get_user(self, user_id):  # type: ignore[no-untyped-def]
        unread = (
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n")
        )
        model = get_user_model()
        try:
            user = model._default_manager.annotate(
                unread_notifications=Coalesce(
                    Subquery(unread, output_field=IntegerField()), Value(0)
                )
            ).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
