"""Reading reviews exports: CSV (French and English headers, ``;`` or ``,``, BOM) and the
Google Business Profile JSON; every bad row named with its line and reason; garbage files
refused with a reason, never an exception of another kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from maturity.measurements.reviews.figures import ReviewFacts, review_figures
from maturity.measurements.reviews.parsing import (
    MAX_BYTES,
    ReviewFileError,
    parse_date,
    parse_reviews,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def parse(name: str):
    return parse_reviews((FIXTURES / name).read_bytes(), filename=name, now=NOW)


def test_it_reads_a_french_csv_with_bom_semicolons_and_quoted_cells():
    parsed = parse("avis_fr.csv")
    assert parsed.ok and parsed.file_format == "csv"
    assert [r.rating for r in parsed.reviews] == [5, 4, 1, 2, 5]
    assert parsed.reviews[1].text == "Bon suivi; délai un peu long"
    assert parsed.reviews[0].created_at.date().isoformat() == "2026-01-05"
    assert parsed.reviews[0].replied_at.hour == 9
    assert parsed.reviews[1].replied_at is None


def test_it_reads_an_english_csv_with_commas_and_iso_dates():
    parsed = parse("reviews_en.csv")
    assert parsed.ok
    assert [r.rating for r in parsed.reviews] == [5, 3, 4]
    assert parsed.reviews[0].created_at == datetime(2026, 1, 5, 10, tzinfo=UTC)


def test_it_reads_the_google_takeout_reviews_json():
    parsed = parse("google_reviews.json")
    assert parsed.ok and parsed.file_format == "google"
    assert [r.rating for r in parsed.reviews] == [5, 2, 4]
    first = parsed.reviews[0]
    assert first.text.startswith("Très bon accueil")
    assert first.replied_at - first.created_at == timedelta(hours=8, minutes=27, seconds=17.876544)
    assert parsed.reviews[1].replied_at is None
    # The platform's id is the key: the same review keeps its key whatever its text becomes.
    assert len({r.key for r in parsed.reviews}) == 3


def test_it_names_every_bad_csv_row_with_its_line_and_reason():
    parsed = parse("avis_mauvaises_lignes.csv")
    assert not parsed.ok
    found = {(e.line, e.code) for e in parsed.errors}
    assert found == {(3, "date"), (4, "rating"), (5, "reply_before"), (6, "date_missing")}


def test_it_names_every_bad_google_entry_by_position():
    parsed = parse("google_reviews_bad.json")
    found = {(e.line, e.code) for e in parsed.errors}
    assert found == {(2, "rating"), (3, "date"), (4, "google_item")}


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "a.csv", "empty"),
        (b"   \n\n", "a.csv", "empty"),
        (bytes(range(256)) * 10, "a.csv", "binary"),
        (b"date;rating\n2026-01-01;5\x00\n", "a.csv", "binary"),
        (b"date;rating\n\xe9t\xe9;5\n", "a.csv", "encoding"),
        (b"x" * (MAX_BYTES + 1), "a.csv", "too_large"),
        (b"{not json", "reviews.json", "json"),
        (b"[" * 100_000, "reviews.json", "json"),
        (b'{"locations": []}', "reviews.json", "google_shape"),
        (b'{"reviews": []}', "reviews.json", "no_rows"),
        (b"date;rating\n", "a.csv", "no_rows"),
        (b'date,rating\n"2026-01-01,5\n', "a.csv", "csv"),
    ],
)
def test_it_refuses_an_unreadable_file_with_a_reason(data, filename, code):
    with pytest.raises(ReviewFileError) as caught:
        parse_reviews(data, filename=filename, now=NOW)
    assert caught.value.code == code


def test_it_says_which_columns_are_missing():
    with pytest.raises(ReviewFileError) as caught:
        parse("avis_sans_colonnes.csv")
    assert caught.value.code == "columns"
    assert caught.value.params["missing"] == ["date"]
    assert "Jour" in caught.value.params["found"]


def test_a_review_twice_in_one_file_is_kept_once():
    data = b"date;rating;text\n2026-01-01;5;Bien\n2026-01-01;5;Bien\n"
    assert len(parse_reviews(data, filename="a.csv", now=NOW).reviews) == 1


def test_a_date_in_the_future_is_a_bad_row():
    data = b"date;rating\n2027-01-01;5\n"
    assert parse_reviews(data, filename="a.csv", now=NOW).errors[0].code == "date_future"


@pytest.mark.parametrize("value", ["2026-02-30", "30/02/2026", "hier", "2026-13-01", "1/1/26"])
def test_it_refuses_impossible_dates(value):
    assert parse_date(value) is None


def test_the_figures_rating_recent_answered_median_and_negative_answered():
    day = timedelta(days=1)
    reviews = [
        ReviewFacts(NOW - 10 * day, 5, NOW - 9 * day),
        ReviewFacts(NOW - 20 * day, 1, NOW - 17 * day),
        ReviewFacts(NOW - 100 * day, 2, None),
        ReviewFacts(NOW - 200 * day, 4, None),
    ]
    figures = review_figures(reviews, now=NOW)
    assert figures.rating == 3.0
    assert figures.recent == 2
    assert figures.answered_share == 0.5
    assert figures.median_answer == 2 * day
    assert (figures.negative, figures.negative_answered) == (2, 1)
    assert figures.negative_answered_share == 0.5
    empty = review_figures([], now=NOW)
    assert empty.rating is None and empty.answered_share is None
