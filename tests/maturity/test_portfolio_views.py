"""The portfolio page, its CSV export and the cadence setting (scoping included).

These routes carry no id, so the authorisation matrix cannot cover them: the scoping
tests here check that a consultant only ever sees their assigned dealerships, in the page
and in the CSV alike.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.models import AssessmentReview
from maturity.portfolio import export
from tests.factories import (
    AssignmentFactory,
    BrandFactory,
    ConsultantFactory,
    DealerGroupFactory,
    DealershipFactory,
)
from tests.maturity.portfolio_helpers import areas, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return ConsultantFactory(email="portfolio@example.com")


def follow(consultant, **kwargs):
    dealership = DealershipFactory(**kwargs)
    AssignmentFactory(consultant=consultant, dealership=dealership)
    return dealership


@pytest.fixture(autouse=True)
def english(client, settings):
    """Assertions read English; the French formats have their own test below."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def read_csv(response, delimiter: str = ",") -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


# --- who gets in --------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["portfolio", "portfolio_export_csv", "portfolio_settings"])
def test_anonymous_visitors_go_to_the_login_page(client, route):
    response = client.get(reverse(route))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("route", ["portfolio", "portfolio_export_csv", "portfolio_settings"])
def test_dealers_are_refused(client, owner, route):
    client.force_login(owner)
    assert client.get(reverse(route)).status_code == 403


def test_a_consultant_only_sees_assigned_dealerships_in_the_page(
    client, assigned_consultant, dealership, other_dealership
):
    submit(other_dealership, rung=1, days_ago=900)  # would raise alerts if it leaked
    submit(other_dealership, rung=1, scores=areas(5), days_ago=1)
    client.force_login(assigned_consultant)
    page = client.get(reverse("portfolio")).content.decode()
    assert dealership.name in page
    assert other_dealership.name not in page


def test_a_consultant_only_sees_assigned_dealerships_in_the_csv(
    client, assigned_consultant, dealership, other_dealership
):
    client.force_login(assigned_consultant)
    rows = read_csv(client.get(reverse("portfolio_export_csv")))
    assert [r[0] for r in rows[1:]] == [dealership.name]
    # Even when asking for the other one by name.
    rows = read_csv(client.get(reverse("portfolio_export_csv"), {"q": other_dealership.name}))
    assert rows[1:] == []


def test_staff_see_every_dealership(client, staff, dealership, other_dealership):
    client.force_login(staff)
    page = client.get(reverse("portfolio")).content.decode()
    assert dealership.name in page and other_dealership.name in page
    rows = read_csv(client.get(reverse("portfolio_export_csv")))
    assert {r[0] for r in rows[1:]} == {dealership.name, other_dealership.name}


def test_the_portfolio_is_the_home_of_consultants_and_staff(client, assigned_consultant, staff):
    for user in (assigned_consultant, staff):
        client.force_login(user)
        assert client.get(reverse("home")).headers["Location"] == reverse("portfolio")


def test_the_old_list_redirects_to_the_portfolio_with_its_search(client, assigned_consultant):
    client.force_login(assigned_consultant)
    response = client.get(reverse("dealership_list"), {"q": "Auto"})
    assert response.headers["Location"] == reverse("portfolio") + "?q=Auto"


def test_the_navigation_links_to_the_portfolio(client, assigned_consultant):
    client.force_login(assigned_consultant)
    page = client.get(reverse("portfolio")).content.decode()
    assert f'href="{reverse("portfolio")}"' in page


# --- the page -----------------------------------------------------------------------------


def test_it_shows_the_table_rungs_heat_map_and_alerts(client, consultant):
    lac = follow(consultant, name="Garage du Lac", city="Annecy")
    submit(lac, rung=3, scores=areas(70), overall=70, days_ago=500)
    submit(lac, rung=2, scores=areas(55, crm=20), overall=48, days_ago=400)
    draft(lac)
    follow(consultant, name="Jamais Évalué")
    client.force_login(consultant)
    response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Garage du Lac" in page and "Jamais Évalué" in page
    assert '<svg role="img"' in page or "<svg" in page  # the heat map
    assert response.context["heatmap_rows"] == 1  # the never-assessed one is left out
    bars = {bar.value: bar.count for bar in response.context["bars"]}
    assert bars["2"] == 1 and bars["none"] == 1
    kinds = {g.kind: g.count for g in response.context["alert_groups"]}
    assert kinds == {"dropped": 1, "overdue": 1, "stalled": 1, "measured": 0}
    assert 'data-testid="alerts-dropped"' in page


def test_the_filters_survive_in_the_sorting_and_page_links(client, consultant):
    for n in range(55):
        follow(consultant, name=f"Garage {n:02}", region="bre")
    follow(consultant, name="Ailleurs", region="ara")
    client.force_login(consultant)
    response = client.get(reverse("portfolio"), {"region": "bre", "q": "garage", "sort": "-name"})
    page = response.content.decode()
    assert response.context["page"].paginator.count == 55
    assert response.context["table"][0].dealership.name == "Garage 54"
    # The header link of the current sort flips it and keeps the filters.
    assert "?region=bre&amp;q=garage&amp;sort=name" in page
    assert "?region=bre&amp;q=garage&amp;sort=-name&amp;page=2" in page
    # The CSV link carries the same filters.
    assert reverse("portfolio_export_csv") + "?region=bre&amp;q=garage&amp;sort=-name" in page


def test_an_unknown_filter_value_is_ignored_not_an_error(client, consultant):
    follow(consultant, name="Garage du Lac")
    client.force_login(consultant)
    response = client.get(reverse("portfolio"), {"rung": "9", "brand": "abc", "sort": "evil"})
    assert response.status_code == 200
    assert "Garage du Lac" in response.content.decode()


def test_the_empty_portfolio_says_what_to_do(client, consultant):
    client.force_login(consultant)
    page = client.get(reverse("portfolio")).content.decode()
    assert "empty-state" in page
    assert "assign dealerships to you" in page


def test_no_match_offers_to_clear_the_filters(client, consultant):
    follow(consultant, name="Garage du Lac")
    client.force_login(consultant)
    page = client.get(reverse("portfolio"), {"q": "zzz"}).content.decode()
    assert "No dealership matches these filters." in page
    assert "Clear the filters" in page


def test_the_heat_map_adds_the_median_of_all_dealerships_with_five_results(client, consultant):
    mine = follow(consultant, name="Garage du Lac")
    submit(mine, scores=areas(10))
    client.force_login(consultant)
    assert "Median" not in client.get(reverse("portfolio")).content.decode()
    for _ in range(4):
        submit(DealershipFactory(), scores=areas(80))
    page = client.get(reverse("portfolio")).content.decode()
    assert "Overall median" in page


# --- CSV ----------------------------------------------------------------------------------


def test_the_csv_has_what_the_table_shows_with_the_filters_and_all_pages(client, consultant):
    kia = BrandFactory(name="Kia")
    horizon = DealerGroupFactory(name="Groupe Horizon")
    for n in range(60):
        follow(consultant, name=f"Garage {n:02}", region="bre")
    lac = follow(consultant, name="Garage du Lac", city="Annecy", region="ara", group=horizon)
    lac.brands.add(kia)
    submit(lac, rung=3, overall=62.5, days_ago=40)
    result = submit(lac, rung=3, overall=58.25, days_ago=2)
    AssessmentReview.objects.create(assessment=result.assessment, reviewed_at=result.computed_at)
    client.force_login(consultant)

    response = client.get(reverse("portfolio_export_csv"), {"region": "bre", "sort": "-name"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="portefeuille-')
    rows = read_csv(response)
    assert len(rows) == 61  # header + every page, not only the first 50
    assert rows[1][0] == "Garage 59"  # the sort applies

    rows = read_csv(client.get(reverse("portfolio_export_csv"), {"q": "du lac"}))
    header, line = rows
    assert header[:3] == ["Dealership", "City", "Region"]
    record = dict(zip(export.COLUMN_KEYS, line, strict=True))
    assert record == {
        "dealership": "Garage du Lac",
        "city": "Annecy",
        "region": "Auvergne-Rhône-Alpes",
        "group": "Groupe Horizon",
        "brands": "Kia",
        "rung": "3",
        "rung_title": "Dialogue",
        "score": "58.2",
        "change": "down",
        "change_points": "-4.2",
        "submitted": timezone.localtime(result.assessment.submitted_at).date().isoformat(),
        "reviewed": "yes",
        "draft": "no",
        "report": "",
    }


def test_the_csv_is_made_for_french_excel(client, consultant, settings):
    lac = follow(consultant, name="Garage du Lac", city="Annecy")
    submit(lac, rung=3, overall=62.5)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(consultant)
    body = b"".join(client.get(reverse("portfolio_export_csv")).streaming_content).decode()
    lines = body.split("\r\n")
    assert lines[0].startswith("\ufeff") and lines[0].count(";") == len(export.COLUMN_KEYS) - 1
    record = dict(zip(export.COLUMN_KEYS, lines[1].split(";"), strict=True))
    assert record["score"] == "62,5"  # the French decimal mark


def test_the_csv_defuses_spreadsheet_formulas(client, consultant):
    follow(consultant, name='=HYPERLINK("http://evil")', city="+33")
    client.force_login(consultant)
    rows = read_csv(client.get(reverse("portfolio_export_csv")))
    assert rows[1][0].startswith("'=")  # read as text, not run as a formula
    assert rows[1][1] == "'+33"


def test_the_csv_uses_commas_in_english(client, consultant):
    follow(consultant, name="Garage du Lac")
    client.force_login(consultant)
    body = b"".join(client.get(reverse("portfolio_export_csv")).streaming_content).decode()
    assert body.splitlines()[0].startswith("\ufeffDealership,City,")


# --- cadence setting ----------------------------------------------------------------------


def test_a_consultant_sets_the_reassessment_cadence(client, consultant):
    client.force_login(consultant)
    assert client.get(reverse("portfolio_settings")).status_code == 200
    response = client.post(reverse("portfolio_settings"), {"reassessment_cadence_months": "6"})
    assert response.headers["Location"] == reverse("portfolio")
    consultant.refresh_from_db()
    assert consultant.reassessment_cadence_months == 6


@pytest.mark.parametrize("value", ["0", "37", "abc", ""])
def test_an_impossible_cadence_is_refused(client, consultant, value):
    client.force_login(consultant)
    response = client.post(reverse("portfolio_settings"), {"reassessment_cadence_months": value})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    consultant.refresh_from_db()
    assert consultant.reassessment_cadence_months == 12


def test_the_cadence_drives_the_overdue_alert(client, consultant):
    submit(follow(consultant, name="Garage du Lac"), days_ago=200)
    client.force_login(consultant)

    def overdue() -> int:
        groups = client.get(reverse("portfolio")).context["alert_groups"]
        return {g.kind: g.count for g in groups}["overdue"]

    assert overdue() == 0
    client.post(reverse("portfolio_settings"), {"reassessment_cadence_months": "6"})
    assert overdue() == 1


def test_the_median_row_follows_the_region_filter(client, consultant):
    mine = follow(consultant, name="Garage du Lac", region="bre")
    submit(mine, scores=areas(10))
    for _ in range(5):
        submit(DealershipFactory(region="bre"), scores=areas(80))
    submit(DealershipFactory(region="ara"), scores=areas(20))
    client.force_login(consultant)
    response = client.get(reverse("portfolio"), {"region": "bre"})
    assert "Median: Bretagne" in response.content.decode()
    # Aggregates only: no other dealership's name reaches the page.
    assert response.context["heatmap_rows"] == 1


# --- caching --------------------------------------------------------------------------------


def _alert_counts(client) -> dict[str, int]:
    return {g.kind: g.count for g in client.get(reverse("portfolio")).context["alert_groups"]}


def test_a_second_visit_reuses_the_alerts_and_aggregates(client, consultant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        submit(follow(consultant), scores=areas(60))
    client.force_login(consultant)
    with CaptureQueriesContext(connection) as first:
        cold = client.get(reverse("portfolio")).context
    with CaptureQueriesContext(connection) as second:
        warm = client.get(reverse("portfolio")).context
    assert warm["heatmap"] == cold["heatmap"] and "Overall median" in warm["heatmap"]
    assert warm["alert_groups"] == cold["alert_groups"]
    # Alerts (2 queries) and the reference median (1) come from the cache.
    assert len(second) <= len(first) - 3


def test_the_cached_alerts_follow_every_change_at_once(client, consultant):
    from maturity.models import RoadmapActionStatus

    lac = follow(consultant, name="Garage du Lac")
    submit(lac, rung=3, days_ago=100)
    client.force_login(consultant)
    assert _alert_counts(client) == {"dropped": 0, "overdue": 0, "stalled": 1, "measured": 0}

    submit(lac, rung=2, days_ago=1)  # a new submission: the drop shows, the stall goes
    assert _alert_counts(client) == {"dropped": 1, "overdue": 0, "stalled": 0, "measured": 0}

    other = follow(consultant, name="Garage du Port")
    submit(other, days_ago=90)
    assert _alert_counts(client)["stalled"] == 1
    RoadmapActionStatus.objects.create(
        dealership=other, action_key="a", status="done", done_at=timezone.now()
    )
    assert _alert_counts(client)["stalled"] == 0  # a roadmap move

    consultant.assignments.filter(dealership=lac).delete()  # withdrawn from the portfolio
    assert _alert_counts(client)["dropped"] == 0
