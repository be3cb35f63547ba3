"""Reactions to changes elsewhere: a new website address is checked at once."""

from __future__ import annotations

from typing import Any

from dealers.models import Dealership
from maturity.measured.tasks import request_website_check
from maturity.models import Measurement


def on_website_url_changed(sender: type, *, dealership: Dealership, **kwargs: Any) -> None:
    request_website_check(dealership=dealership, trigger=Measurement.Trigger.URL_CHANGED)
