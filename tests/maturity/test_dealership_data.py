import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dealers.models import Dealership, Membership, User
from maturity.models import Answer, Assessment, Report
from tests.maturity.results_helpers import submit_persona


@pytest.fixture
def scored(dealership, owner):
    return submit_persona(dealership=dealership, user=owner, letter="b")


@pytest.fixture
def stored_pdf(scored, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = Report.objects.create(assessment=scored, fingerprint="x" * 64, status="ready")
    report.file.save("reports/test.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return report


def test_it_deletes_the_data_and_the_stored_pdfs(
    client, owner, scored, stored_pdf, dealership, django_capture_on_commit_callbacks
):
    path = stored_pdf.file.path
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dealership_data_erase", args=[dealership.pk]), {"name": dealership.name}
        )
    assert response.status_code == 302
    assert not Dealership.objects.filter(pk=dealership.pk).exists()
    assert not Assessment.objects.exists() and not Answer.objects.exists()
    assert not Report.objects.exists()
    assert not Membership.objects.filter(dealership_id=dealership.pk).exists()
    assert User.objects.filter(pk=owner.pk).exists()  # people keep their accounts
    import os

    assert not os.path.exists(path)


def test_it_deletes_nothing_without_the_right_confirmation(
    client, owner, scored, stored_pdf, dealership
):
    client.force_login(owner)
    response = client.post(
        reverse("dealership_data_erase", args=[dealership.pk]), {"name": "Autre"}
    )
    assert response.status_code == 400
    assert (
        "does not match" in response.content.decode() or "correspond" in response.content.decode()
    )
    assert Dealership.objects.filter(pk=dealership.pk).exists()
    assert Assessment.objects.filter(pk=scored.pk).exists()
    stored_pdf.refresh_from_db()
    assert stored_pdf.file.storage.exists(stored_pdf.file.name)


def test_it_asks_for_confirmation_on_the_page(client, owner, dealership):
    client.force_login(owner)
    page = client.get(reverse("dealership_data", args=[dealership.pk])).content.decode()
    assert "data-confirm=" in page
    assert reverse("dealership_data_download", args=[dealership.pk]) in page


def test_it_refuses_a_member(client, member, dealership):
    client.force_login(member)
    response = client.post(
        reverse("dealership_data_erase", args=[dealership.pk]), {"name": dealership.name}
    )
    assert response.status_code == 403
    assert Dealership.objects.filter(pk=dealership.pk).exists()
