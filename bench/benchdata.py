"""The rows a bench script seeds, told apart from anybody else's: refuse, then clean up.

``bench/dashboard.py`` and ``bench/load.py`` seed a database of their own with
dealerships and groups named ``<prefix>...`` and people at ``...<domain>``. Before seeding,
they refuse a database holding anything else (unless forced): someone pointed the
script at a real database by mistake. ``--reseed`` deletes their own rows only. Both use
this module, so a mark that counts as a script's own when checking is exactly what its
deletion removes.

Functions import the models when called: the scripts load this module before
``django.setup()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass(frozen=True)
class BenchData:
    """The mark of one script's rows: a name ``prefix`` and an e-mail ``domain``.

    Names are matched on the exact, case-sensitive prefix on every database. SQLite's
    ``LIKE``, which Django's ``startswith`` uses there, ignores case, and "bench garage"
    is not the bench's. E-mail domains are matched without regard to case, as they are
    delivered.
    """

    prefix: str  # e.g. "Bench "
    domain: str  # e.g. "@bench.invalid"

    def __post_init__(self) -> None:
        # An empty mark would make the whole database "ours" and --reseed would empty it;
        # a domain outside the reserved .invalid could belong to real people.
        if not self.prefix.strip():
            raise ValueError("A bench prefix must not be blank.")
        if not (self.domain.startswith("@") and self.domain.lower().endswith(".invalid")):
            raise ValueError(f"A bench e-mail domain is '@<name>.invalid', not {self.domain!r}.")

    # --- which rows are ours -----------------------------------------------------------------

    def _named(self, queryset: QuerySet) -> QuerySet:
        from django.db.models.functions import Left

        return queryset.alias(_bench_head=Left("name", len(self.prefix))).filter(
            _bench_head=self.prefix
        )

    def dealerships(self) -> QuerySet:
        from dealers.models import Dealership

        return self._named(Dealership.objects.all())

    def groups(self) -> QuerySet:
        from dealers.models import DealerGroup

        return self._named(DealerGroup.objects.all())

    def networks(self) -> QuerySet:
        from dealers.models import Network

        return self._named(Network.objects.all())

    def users(self) -> QuerySet:
        from dealers.models import User

        return User.objects.filter(email__iendswith=self.domain)

    # --- what the scripts call ---------------------------------------------------------------

    def foreign_data(self) -> list[str]:
        """What in the database is not ours, in words (empty: the database is ours alone)."""
        from dealers.models import Dealership, User

        found = []
        others = Dealership.objects.exclude(pk__in=self.dealerships().values("pk")).count()
        if others:
            found.append(f"{others} dealership(s) not named '{self.prefix}...'")
        people = User.objects.exclude(pk__in=self.users().values("pk")).count()
        if people:
            found.append(f"{people} user(s) outside {self.domain}")
        return found

    def delete(self) -> None:
        """Delete our dealerships, groups, networks and people, with everything that hangs on
        them.

        Brands stay: they are shared by name (the scripts ``get_or_create`` them), so
        nothing says a brand is ours, and a forced run must not take others' brands.
        """
        from django.db import transaction

        with transaction.atomic():
            self.dealerships().delete()
            self.groups().delete()
            self.networks().delete()
            self.users().delete()
