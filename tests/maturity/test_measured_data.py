"""The owner's export holds the dealership's closed lead tests and imported reviews; erasing
the dealership erases them."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from maturity.measurements.reviews.services import reviews_import
from maturity.models import CustomerReview, LeadTest, ReviewImport
from tests.factories import LeadTestFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


def test_the_export_holds_closed_lead_tests_and_reviews_and_erasure_removes_them(
    client, dealership, owner
):
    LeadTestFactory(dealership=dealership, question="Fermé")
    LeadTestFactory(
        dealership=dealership,
        question="Ouvert",
        sent_at=timezone.now() - timedelta(hours=1),
        replied_at=None,
    )
    reviews_import(
        dealership=dealership,
        user=owner,
        data=(FIXTURES / "avis_fr.csv").read_bytes(),
        filename="avis_fr.csv",
    )
    client.force_login(owner)
    response = client.get(reverse("dealership_data_download", args=[dealership.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        document = json.loads(archive.read("dealership.json"))
    assert [t["question"] for t in document["lead_tests"]] == ["Fermé"]
    assert len(document["customer_reviews"]) == 5
    assert document["review_imports"][0]["filename"] == "avis_fr.csv"

    client.post(reverse("dealership_data_erase", args=[dealership.pk]), {"name": dealership.name})
    assert not LeadTest.objects.exists()
    assert not CustomerReview.objects.exists()
    assert not ReviewImport.objects.exists()
