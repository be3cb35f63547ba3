"""Portfolio alerts on measured website signals: unreachable, stock pages gone."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from maturity.measured.alerts import STOCK_GONE, WEBSITE_UNREACHABLE, website_signals
from maturity.models import Measurement, MeasurementCheck
from maturity.portfolio.selectors import portfolio_alerts
from tests.factories import AssignmentFactory, DealershipFactory


def measured(dealership, *, days_ago: int, status="ok", stock=None, count=0, reason=""):
    finished = timezone.now() - timedelta(days=days_ago)
    measurement = Measurement.objects.create(
        dealership=dealership,
        url="https://www.example.test/",
        status=status,
        reason=reason,
        started_at=finished,
        finished_at=finished,
    )
    if status == "ok":
        MeasurementCheck.objects.create(
            measurement=measurement, key="stock", ok=stock, details={"count": count}
        )
    return measurement


def test_it_raises_unreachable_and_stock_gone_from_the_latest_checks(db, assigned_consultant):
    down = assigned_consultant.assignments.first().dealership
    gone, fine, back = DealershipFactory.create_batch(3)
    for dealership in (gone, fine, back):
        AssignmentFactory(consultant=assigned_consultant, dealership=dealership)
    measured(down, days_ago=40, stock=True, count=5)
    measured(down, days_ago=2, status="failed", reason="connection refused")
    measured(gone, days_ago=35, stock=True, count=12)
    measured(gone, days_ago=3, stock=False)
    measured(fine, days_ago=3, stock=True, count=4)
    measured(back, days_ago=30, status="failed", reason="timeout")
    measured(back, days_ago=1, stock=True, count=3)
    outside = DealershipFactory()
    measured(outside, days_ago=1, status="failed", reason="nope")

    from dealers.models import Dealership
    from dealers.scoping import scoped

    signals = website_signals(dealerships=scoped(Dealership.objects.all(), assigned_consultant))
    found = {(s.dealership_id, s.signal) for s in signals}
    assert found == {(down.pk, WEBSITE_UNREACHABLE), (gone.pk, STOCK_GONE)}
    stock = next(s for s in signals if s.signal == STOCK_GONE)
    assert stock.detail["count"] == 12

    alerts = portfolio_alerts(user=assigned_consultant)
    assert {a.dealership_id for a in alerts.measured} == {down.pk, gone.pk}
    assert alerts.ids()["measured"] == {down.pk, gone.pk}


def test_the_portfolio_lists_them_with_the_reason(client, assigned_consultant):
    down = assigned_consultant.assignments.first().dealership
    measured(down, days_ago=2, status="failed", reason="connection refused")
    client.force_login(assigned_consultant)
    page = client.get(reverse("portfolio")).content.decode()
    assert 'data-testid="alerts-measured"' in page
    assert "connection refused" in page
    filtered = client.get(reverse("portfolio") + "?alert=measured")
    assert filtered.status_code == 200 and down.name in filtered.content.decode()


def test_the_owners_archive_holds_the_measurements(db, dealership, owner):
    import json
    import tempfile
    import zipfile

    from maturity.dealership_data.archive import dealership_archive_write

    measured(dealership, days_ago=1, stock=True, count=3)
    with tempfile.TemporaryFile() as target:
        dealership_archive_write(
            dealership=dealership, requested_by=owner, language="fr", target=target
        )
        target.seek(0)
        with zipfile.ZipFile(target) as archive:
            document = json.loads(archive.read("dealership.json"))
    assert document["measurements"][0]["checks"]["stock"]["ok"] is True
    assert document["confirmed_declarations"] == []
