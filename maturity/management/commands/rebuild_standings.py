"""``manage.py rebuild_standings``: recompute every dealership's standing (its latest and
previous results, what the portfolio sorts on) from its assessments.

Saves and deletes keep the standings up to date by themselves; run this after writes
that bypass them (a bulk import, SQL by hand). ``--check`` only reports the stale ones.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from maturity.standing.services import standings_rebuild, standings_stale


class Command(BaseCommand):
    help = "Recompute every dealership's standing (latest and previous results)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="report stale standings, change nothing"
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        started = time.perf_counter()
        if check:
            stale = standings_stale()
            if stale:
                raise CommandError(f"{len(stale)} stale standings, e.g. dealerships {stale[:10]}")
            self.stdout.write("every standing is up to date")
            return
        count = standings_rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{count} standings rebuilt in {elapsed:.2f} s")
