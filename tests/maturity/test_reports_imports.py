"""Web processes send the PDF task but never render: they must not load WeasyPrint."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
import config.urls, maturity.reports.jobs, maturity.reports.services  # everything a request touches
print("weasyprint" in sys.modules)
"""


def test_it_sends_reports_without_loading_weasyprint():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
