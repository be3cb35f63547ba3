"""The storage backend switch: PDFs on the filesystem, or in an S3 bucket shared by hosts.

The S3 bucket is moto's server mode, started by the tests on loopback; the storage is
configured from the environment exactly as production is (``config/settings.py`` read in
a subprocess with ``STORAGE_BACKEND=s3``). A report is rendered, stored in the bucket,
then downloaded through the scoped view, streamed or through a signed URL; an outsider
still gets a 404 and no address of the file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from maturity.dealership_data.archive import dealership_archive_write
from maturity.dealership_data.services import dealership_data_delete
from maturity.models import Report
from maturity.reports import jobs, retention, services, tasks
from tests.factories import submitted_assessment
from tests.maturity.reports_helpers import Sent

ROOT = Path(__file__).resolve().parents[2]
FAKE_PDF = b"%PDF-1.7\n% a stub: the layout is tested in test_reports_pdf.py\n%%EOF\n"
KEYS = {"S3_ACCESS_KEY_ID": "test-key-id", "S3_SECRET_ACCESS_KEY": "test-secret-not-real"}


def settings_from_env(**variables: str) -> subprocess.CompletedProcess[str]:
    """Load ``config/settings.py`` in a fresh process with ``variables``; prints STORAGES
    and the signed-URL settings as JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_", "S3_"))}
    env.update(variables)
    code = (
        "import json; import config.settings as s; print(json.dumps({'storages': s.STORAGES, "
        "'signed': s.S3_SIGNED_URLS, 'seconds': s.S3_SIGNED_URL_SECONDS}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_storages(s3_endpoint) -> dict:
    """STORAGES as production builds them for a bucket at ``s3_endpoint`` (its name is
    replaced per test)."""
    loaded = settings_from_env(
        STORAGE_BACKEND="s3",
        S3_BUCKET="placeholder",
        S3_ENDPOINT_URL=s3_endpoint,
        S3_REGION="eu-west-3",
        **KEYS,
    )
    assert loaded.returncode == 0, loaded.stderr
    return json.loads(loaded.stdout)["storages"]


@pytest.fixture
def bucket(settings, s3_endpoint, s3_storages, tmp_path) -> str:
    """A fresh bucket, and the default storage pointing to it."""
    name = f"reports-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-3",
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    default = {**s3_storages["default"]}
    default["OPTIONS"] = {**default["OPTIONS"], "bucket_name": name}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    return name


def objects(bucket: str) -> dict[str, bytes]:
    storage = default_storage
    assert storage.bucket_name == bucket
    return {o.key: o.get()["Body"].read() for o in storage.bucket.objects.all()}


@pytest.fixture(autouse=True)
def _no_mail(settings):
    settings.REPORTS_EMAIL_WHEN_READY = False


@pytest.fixture
def sent(monkeypatch) -> Sent:
    recorder = Sent()
    monkeypatch.setattr(tasks, "report_send", recorder)
    return recorder


@pytest.fixture
def stub_layout(monkeypatch) -> None:
    monkeypatch.setattr(jobs, "render_report_pdf", lambda report: FAKE_PDF)


@pytest.fixture
def assessment(dealership, owner):
    return submitted_assessment(dealership=dealership, persona="b", user=owner)


def render(assessment, owner) -> Report:
    report = services.report_request(assessment=assessment, user=owner, language="fr")
    assert tasks.render_report.apply(args=[report.pk]).result == "ready"
    report.refresh_from_db()
    return report


def download_url(report: Report) -> str:
    return reverse("report_download", args=[report.assessment.dealership_id, report.pk])


# --- the switch ------------------------------------------------------------------------


def test_it_stores_on_the_filesystem_by_default():
    loaded = settings_from_env()
    assert loaded.returncode == 0, loaded.stderr
    values = json.loads(loaded.stdout)
    assert values["storages"]["default"] == {"BACKEND": "common.storage.DurableFileSystemStorage"}
    assert values["signed"] is False


def test_it_stores_in_a_bucket_configured_from_the_environment_only():
    loaded = settings_from_env(
        STORAGE_BACKEND="S3",
        S3_BUCKET="maturite-reports",
        S3_ENDPOINT_URL="https://s3.example.net",
        S3_REGION="fr-par",
        S3_SIGNED_URLS="1",
        S3_SIGNED_URL_SECONDS="120",
        **KEYS,
    )
    assert loaded.returncode == 0, loaded.stderr
    values = json.loads(loaded.stdout)
    default = values["storages"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "maturite-reports"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["region_name"] == "fr-par"
    assert (options["access_key"], options["secret_key"]) == tuple(KEYS.values())
    assert options["addressing_style"] == "path"  # an S3-compatible server
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert (values["signed"], values["seconds"], options["querystring_expire"]) == (True, 120, 120)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be one of filesystem, s3"),
        ({"STORAGE_BACKEND": "s3"}, "The environment variable S3_BUCKET is required"),
        ({"S3_SIGNED_URLS": "1"}, "S3_SIGNED_URLS=1 needs STORAGE_BACKEND=s3"),
        (
            {"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_SIGNED_URL_SECONDS": "86400"},
            "S3_SIGNED_URL_SECONDS must be between 5 and 3600",
        ),
    ],
)
def test_a_wrong_storage_configuration_stops_the_start_and_says_why(variables, message):
    loaded = settings_from_env(**variables)
    assert loaded.returncode != 0
    assert message in loaded.stderr


def test_on_the_filesystem_the_pdf_is_streamed_from_media_root(
    client, settings, tmp_path, assessment, owner, sent, stub_layout
):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = render(assessment, owner)
    stored = Path(settings.MEDIA_ROOT) / report.file.name
    assert stored.read_bytes() == FAKE_PDF
    assert stored.stat().st_mode & 0o777 == 0o640
    client.force_login(owner)
    response = client.get(download_url(report))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FAKE_PDF


# --- S3 through moto's server ------------------------------------------------------------


def test_a_rendered_report_is_stored_in_the_bucket_and_streamed_through_the_scoped_view(
    client, bucket, settings, assessment, owner, outsider, unassigned_consultant, sent
):
    report = render(assessment, owner)  # the real layout, WeasyPrint and all
    stored = objects(bucket)
    assert list(stored) == [report.file.name]
    assert stored[report.file.name].startswith(b"%PDF-")
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this host's disk

    client.force_login(owner)
    response = client.get(download_url(report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == stored[report.file.name]
    # The status page offers it, and asking again reuses it (it is in the bucket).
    assert services.report_file_exists(report)
    again = services.report_request(assessment=assessment, user=owner, language="fr")
    assert again.pk == report.pk

    for stranger in (outsider, unassigned_consultant):
        client.force_login(stranger)
        assert client.get(download_url(report)).status_code == 404


def test_with_signed_urls_the_download_redirects_to_the_bucket_after_the_scope_check(
    client, bucket, settings, assessment, owner, outsider, sent, stub_layout
):
    settings.S3_SIGNED_URLS = True
    settings.S3_SIGNED_URL_SECONDS = 60
    report = render(assessment, owner)

    client.force_login(outsider)
    refused = client.get(download_url(report))
    assert refused.status_code == 404
    assert "Location" not in refused

    client.force_login(owner)
    response = client.get(download_url(report))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"][0].startswith("attachment; filename=")

    with urllib.request.urlopen(location, timeout=10) as fetched:  # noqa: S310 - loopback
        assert fetched.read() == FAKE_PDF
        assert fetched.headers["Content-Disposition"].startswith("attachment; filename=")
        assert fetched.headers["Cache-Control"] == "private, no-store"
    unsigned = location.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310 - loopback
    assert denied.value.code == 403


def test_on_the_bucket_a_render_that_lost_its_claim_removes_only_its_own_object(
    bucket, assessment, owner, sent, monkeypatch
):
    """At least once on S3 (no rename there): the loser's object goes, the winner's stays."""
    report = services.report_request(assessment=assessment, user=owner, language="fr")
    outcomes: list[str] = []

    def slow_render(report: Report) -> bytes:
        if not outcomes:
            outcomes.append("taken over")
            stale = timezone.now() - jobs.running_stale_after() - timedelta(seconds=5)
            Report.objects.filter(pk=report.pk).update(started_at=stale)
            outcomes.append(tasks.render_report.apply(args=[report.pk]).result)
            return b"%PDF-1.7\n% the loser's copy\n%%EOF\n"
        return FAKE_PDF

    monkeypatch.setattr(jobs, "render_report_pdf", slow_render)
    assert tasks.render_report.apply(args=[report.pk]).result == "lost"
    assert outcomes == ["taken over", "ready"]
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert objects(bucket) == {report.file.name: FAKE_PDF}


def test_on_the_bucket_retention_lists_and_deletes_orphans_and_keeps_the_rest(
    bucket, assessment, owner, sent, stub_layout
):
    report = render(assessment, owner)
    default_storage.save("reports/2026/01/report-999-0123456789abcdef-1.pdf", _content())
    default_storage.save("reports/2026/01/notes.txt", _content())  # not ours to judge
    assert retention.reports_purge()["orphans"] == 0  # too recent: maybe a render
    later = timezone.now() + retention.ORPHAN_GRACE + timedelta(minutes=5)
    assert retention.reports_purge(now=later)["orphans"] == 1
    assert sorted(objects(bucket)) == sorted([report.file.name, "reports/2026/01/notes.txt"])


def test_on_the_bucket_the_owner_archive_holds_the_pdf_and_erasure_removes_it(
    bucket, dealership, assessment, owner, sent, stub_layout, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    report = render(assessment, owner)
    target = io.BytesIO()
    dealership_archive_write(
        dealership=dealership, requested_by=owner, language="fr", target=target
    )
    with zipfile.ZipFile(target) as archive:
        assert archive.read(f"reports/report-{report.pk}-fr.pdf") == FAKE_PDF

    with django_capture_on_commit_callbacks(execute=True):
        dealership_data_delete(dealership=dealership, user=owner)
    assert objects(bucket) == {}


def _content():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.7\n%%EOF\n")
