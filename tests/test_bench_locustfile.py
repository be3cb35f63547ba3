"""The Locust file of ``bench/load.py`` imports, and every path it requests is a route."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

# Locust monkey-patches the standard library when imported: in a process of its own.
IMPORT = """
import json, bench.locustfile as f
kinds = (f.Dealer, f.Consultant, f.PdfCampaign, f.Floor)
users = [c.__name__ for c in kinds]
tasks = {c.__name__: [t.__name__ for t in c.tasks] for c in kinds}
print(json.dumps({"paths": f.PATHS, "users": users, "tasks": tasks}))
"""

SAMPLE = {"pk": 12, "assessment_pk": 34, "report_pk": 56, "area": "website", "question_key": "q1"}


@pytest.fixture(scope="module")
def locustfile() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BENCH_LOAD_CONFIG"}  # no run
    result = subprocess.run(
        [sys.executable, "-c", IMPORT],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_imports_with_a_task_for_each_kind_of_user(locustfile):
    assert locustfile["users"] == ["Dealer", "Consultant", "PdfCampaign", "Floor"]
    assert all(locustfile["tasks"][user] for user in locustfile["users"])


def test_every_path_it_requests_is_the_route_of_its_url_name(locustfile):
    for name, template in locustfile["paths"].items():
        needed = {key: value for key, value in SAMPLE.items() if "{" + key + "}" in template}
        assert reverse(name, kwargs=needed) == template.format(**needed), name
