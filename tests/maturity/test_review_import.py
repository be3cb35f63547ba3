"""Importing customer reviews: good CSV and Google files give the figures; a file with one
bad row imports nothing and names the rows; the same file twice adds nothing; garbage
uploads get a clear error, never a 500; members may not import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maturity.measurements.reviews.parsing import MAX_BYTES
from maturity.measurements.reviews.services import ReviewImportRejected, reviews_import
from maturity.models import CustomerReview, ReviewImport

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


def upload(client, dealership, name: str, content: bytes | None = None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return client.post(
        reverse("review_import", args=[dealership.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_the_owner_imports_a_french_csv_and_sees_the_figures(english, dealership, owner):
    english.force_login(owner)
    response = upload(english, dealership, "avis_fr.csv")
    assert response.status_code == 302
    assert CustomerReview.objects.filter(dealership=dealership).count() == 5
    page = english.get(reverse("dealership_reviews", args=[dealership.pk]))
    figures = page.context["overview"].figures
    assert figures.rating == pytest.approx(17 / 5)
    assert figures.answered_share == pytest.approx(3 / 5)
    assert (figures.negative, figures.negative_answered) == (2, 1)
    assert "3.4/5" in page.content.decode()
    record = ReviewImport.objects.get()
    assert (record.file_format, record.rows, record.added) == ("csv", 5, 5)
    assert record.rating == pytest.approx(3.4) and record.answered_share == pytest.approx(0.6)


def test_the_consultant_imports_the_google_takeout_json(client, dealership, assigned_consultant):
    client.force_login(assigned_consultant)
    assert upload(client, dealership, "google_reviews.json").status_code == 302
    record = ReviewImport.objects.get()
    assert record.file_format == "google" and record.added == 3
    assert record.imported_by == assigned_consultant


@pytest.mark.parametrize("name", ["avis_mauvaises_lignes.csv", "google_reviews_bad.json"])
def test_a_file_with_a_bad_row_imports_nothing_and_names_each_row(english, dealership, owner, name):
    english.force_login(owner)
    upload(english, dealership, "reviews_en.csv")  # what was there before stays as it was
    response = upload(english, dealership, name)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "Line 3:" in body or "Line 2:" in body
    assert CustomerReview.objects.count() == 3
    assert ReviewImport.objects.count() == 1


def test_the_bad_rows_read_as_sentences_with_line_and_reason(english, dealership, owner):
    english.force_login(owner)
    errors = upload(english, dealership, "avis_mauvaises_lignes.csv").context["errors"]
    assert "Line 3: “31/02/2026” is not a date (e.g. 2026-03-01 or 01/03/2026)." in errors
    assert "Line 4: the rating “6” is not a whole number from 1 to 5." in errors
    assert "Line 5: the reply date “01/01/2026” is before the review." in errors
    assert "Line 6: the date is missing." in errors


def test_a_failure_while_storing_leaves_nothing_half_imported(dealership, owner, monkeypatch):
    from maturity.measurements.reviews import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "review_figures", broken)
    with pytest.raises(RuntimeError):
        reviews_import(
            dealership=dealership,
            user=owner,
            data=(FIXTURES / "avis_fr.csv").read_bytes(),
            filename="avis_fr.csv",
        )
    assert not CustomerReview.objects.exists()
    assert not ReviewImport.objects.exists()


def test_importing_the_same_file_twice_adds_nothing(dealership, owner):
    data = (FIXTURES / "google_reviews.json").read_bytes()
    reviews_import(dealership=dealership, user=owner, data=data, filename="reviews.json")
    again = reviews_import(dealership=dealership, user=owner, data=data, filename="reviews.json")
    assert CustomerReview.objects.count() == 3
    assert (again.rows, again.added, again.updated) == (3, 0, 0)


def test_a_later_export_brings_a_new_answer_without_duplicating(dealership, owner):
    before = b"date;note;texte;date de reponse\n05/01/2026;2;Bof;\n"
    after = b"date;note;texte;date de reponse\n05/01/2026;2;Bof;07/01/2026\n06/01/2026;5;Top;\n"
    reviews_import(dealership=dealership, user=owner, data=before, filename="a.csv")
    record = reviews_import(dealership=dealership, user=owner, data=after, filename="b.csv")
    assert (record.added, record.updated) == (1, 1)
    assert CustomerReview.objects.filter(replied_at__isnull=False).count() == 1


def test_the_same_reviews_of_another_dealership_are_its_own(dealership, other_dealership, owner):
    data = (FIXTURES / "reviews_en.csv").read_bytes()
    reviews_import(dealership=dealership, user=owner, data=data, filename="a.csv")
    reviews_import(dealership=other_dealership, user=None, data=data, filename="a.csv")
    assert CustomerReview.objects.filter(dealership=other_dealership).count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "file is empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "This is not a text file"),
        ("nul.csv", b"date;rating\n2026-01-01;5\x00\n", "This is not a text file"),
        ("latin1.csv", "date;note\n05/01/2026;5 étoiles\n".encode("latin-1"), "not in UTF-8"),
        ("huge.csv", b"date;rating\n" + b"2026-01-01;5\n" * (MAX_BYTES // 13 + 10), "too large"),
        ("reviews.json", b'{"reviews": ', "not valid JSON"),
        ("google_wrong_shape.json", None, "not a reviews export"),
        ("avis_sans_colonnes.csv", None, "Columns missing: date"),
        ("bad.csv", b'date,rating\n"2026-01-01,5\n', "malformed"),
    ],
)
def test_a_garbage_upload_gets_a_clear_error_not_a_500(
    english, dealership, owner, name, content, message
):
    english.force_login(owner)
    response = upload(english, dealership, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CustomerReview.objects.exists()


def test_a_post_without_a_file_is_a_form_error(client, dealership, owner):
    client.force_login(owner)
    response = client.post(reverse("review_import", args=[dealership.pk]), {})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_a_member_sees_the_figures_but_has_no_import_form(client, dealership, member, owner):
    reviews_import(
        dealership=dealership,
        user=owner,
        data=(FIXTURES / "reviews_en.csv").read_bytes(),
        filename="a.csv",
    )
    client.force_login(member)
    response = client.get(reverse("dealership_reviews", args=[dealership.pk]))
    assert response.context["overview"].figures.count == 3
    assert reverse("review_import", args=[dealership.pk]) not in response.content.decode()
    assert upload(client, dealership, "avis_fr.csv").status_code == 403


def test_rejected_rows_are_reported_by_the_service_too(dealership, owner):
    with pytest.raises(ReviewImportRejected) as rejected:
        reviews_import(
            dealership=dealership,
            user=owner,
            data=(FIXTURES / "avis_mauvaises_lignes.csv").read_bytes(),
            filename="x.csv",
        )
    assert len(rejected.value.errors) == 4
