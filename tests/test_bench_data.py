"""The bench scripts' shared guard (``bench/benchdata.py``): refuse others' data, delete ours."""

from __future__ import annotations

import pytest

from bench.benchdata import BenchData
from dealers.models import Brand, DealerGroup, Dealership, User
from maturity.models import Assessment
from tests.factories import (
    AssessmentFactory,
    BrandFactory,
    DealerGroupFactory,
    DealershipFactory,
    MembershipFactory,
    UserFactory,
)

# The marks of bench/dashboard.py and bench/load.py.
DASHBOARD = BenchData(prefix="Bench ", domain="@bench.invalid")
LOAD = BenchData(prefix="Load ", domain="@load.invalid")

FOREIGN_NAMES = ["Garage du Centre", "bench garage", "Benchmark Autos", "Loaders Auto"]
FOREIGN_EMAILS = ["jean@garage.example", "x@notbench.invalid", "bench.invalid@example.com"]


@pytest.fixture
def rows(db) -> None:
    """Each script's own rows, and other people's that look a little like them."""
    for mark, who in ((DASHBOARD, "owner"), (LOAD, "dealer000")):
        shop = DealershipFactory(name=f"{mark.prefix}0001")
        DealershipFactory(name=f"{mark.prefix}Concession 001")
        DealerGroupFactory(name=f"{mark.prefix}Groupe 01")
        user = UserFactory(email=f"{who}{mark.domain}")
        MembershipFactory(user=user, dealership=shop, role="owner")
        AssessmentFactory(dealership=shop, created_by=user)
        shop.brands.add(BrandFactory(name="Peugeot"))
    for name in FOREIGN_NAMES:
        AssessmentFactory(dealership=DealershipFactory(name=name))
    DealerGroupFactory(name="Groupe Horizon")
    for email in FOREIGN_EMAILS:
        UserFactory(email=email)
    BrandFactory(name="Kia")  # nobody's brand: not the bench's either


def names(model) -> set[str]:
    return set(model.objects.values_list("name", flat=True))


def test_it_reports_every_row_that_is_not_the_scripts_own(rows):
    # The other script's rows are foreign too: one script never deletes the other's.
    assert DASHBOARD.foreign_data() == [
        f"{len(FOREIGN_NAMES) + 2} dealership(s) not named 'Bench ...'",
        f"{len(FOREIGN_EMAILS) + 1} user(s) outside @bench.invalid",
    ]
    assert LOAD.foreign_data() == [
        f"{len(FOREIGN_NAMES) + 2} dealership(s) not named 'Load ...'",
        f"{len(FOREIGN_EMAILS) + 1} user(s) outside @load.invalid",
    ]


def test_it_reports_nothing_on_a_database_of_its_own(rows):
    Dealership.objects.exclude(name__in=["Bench 0001", "Bench Concession 001"]).delete()
    User.objects.exclude(email="owner@bench.invalid").delete()
    assert DASHBOARD.foreign_data() == []


def test_it_deletes_its_own_rows_only(rows):
    DASHBOARD.delete()
    assert names(Dealership) == {"Load 0001", "Load Concession 001", *FOREIGN_NAMES}
    assert names(DealerGroup) == {"Load Groupe 01", "Groupe Horizon"}
    assert set(User.objects.values_list("email", flat=True)) == {
        "dealer000@load.invalid",
        *FOREIGN_EMAILS,
    }
    # What hangs on the bench's dealerships goes with them; shared brands stay.
    assert sorted(Assessment.objects.values_list("dealership__name", flat=True)) == sorted(
        ["Load 0001", *FOREIGN_NAMES]
    )
    assert names(Brand) == {"Peugeot", "Kia"}

    LOAD.delete()
    assert names(Dealership) == set(FOREIGN_NAMES)
    assert names(DealerGroup) == {"Groupe Horizon"}
    assert set(User.objects.values_list("email", flat=True)) == set(FOREIGN_EMAILS)
    assert sorted(Assessment.objects.values_list("dealership__name", flat=True)) == sorted(
        FOREIGN_NAMES
    )


@pytest.mark.parametrize(
    ("prefix", "domain"),
    [
        ("", "@bench.invalid"),
        ("  ", "@bench.invalid"),
        ("Bench ", "@example.com"),
        ("Bench ", "bench.invalid"),
    ],
)
def test_it_refuses_a_mark_that_could_take_other_peoples_data(prefix, domain):
    with pytest.raises(ValueError):
        BenchData(prefix=prefix, domain=domain)
