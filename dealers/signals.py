"""Signals of the dealers app, for features that react to a change without ``dealers``
importing them (dependencies point one way: ``maturity`` listens, ``dealers`` never
imports ``maturity``)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``dealers.services.dealership_profile_update`` when the website address changed
# (to a non-empty one), inside its transaction: ``sender=Dealership, dealership=...``.
website_url_changed = Signal()
