from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maturity.demo.assessments import seed_assessments
from maturity.demo.consultant_day import seed_consultant_day
from maturity.demo.history import seed_history
from maturity.demo.measured import seed_measured
from maturity.demo.measurements import seed_measurements
from maturity.demo.network import seed_network
from maturity.demo.people import DEMO_PASSWORD, seed_people


class Command(BaseCommand):
    help = "Create demo staff, consultants and about 30 dealerships (safe to run twice)."
    # ``make run`` migrates first, which runs the system checks: running them again here
    # doubled the command's time on a small machine.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (the demo accounts share a known password).",
        )

    def handle(self, *args: object, allow_production: bool, **options: object) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to create demo accounts with DEBUG off.")
        logins = seed_people(progress=self._progress("Dealerships"))
        seed_assessments(progress=self._progress("Assessments"))
        seed_history(progress=self._progress("History"))
        network_lines, network_logins = seed_network()
        logins += network_logins
        for line in seed_consultant_day() + seed_measurements() + seed_measured() + network_lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.email:45} {login.role}")

    def _progress(self, label: str):
        def show(done: int, total: int) -> None:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "." * (width - filled)
            end = "\n" if done == total else ""
            self.stdout.write(f"\r{label:12} [{bar}] {done}/{total}", ending=end)
            self.stdout.flush()

        return show
