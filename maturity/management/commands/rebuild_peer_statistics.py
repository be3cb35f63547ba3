"""``manage.py rebuild_peer_statistics``: recompute every peer group's quartiles now.

The hourly beat job does the same; run it after an import, a recompute of results, or a
change of dealerships' regions or brands.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from maturity.peers.services import peer_statistics_rebuild


class Command(BaseCommand):
    help = "Recompute the precomputed peer statistics of every group."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        groups = peer_statistics_rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{groups} peer groups rebuilt in {elapsed:.2f} s")
