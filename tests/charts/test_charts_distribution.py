"""The distribution chart (bars): one bar per category, its count and share written."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.charts.distribution import distribution_svg, share_of

SVG = "{http://www.w3.org/2000/svg}"
RUNGS = [("1. Web 1.0", 2), ("2. Présence isolée", 6), ("3. Présence sociale", 0)]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def test_it_refuses_no_bar_and_negative_counts() -> None:
    with pytest.raises(ValueError):
        distribution_svg([], title="t")
    with pytest.raises(ValueError):
        distribution_svg([("a", -1)], title="t")


def test_it_draws_bars_in_proportion_with_count_and_share() -> None:
    root = parse(distribution_svg(RUNGS, title="Concessions par niveau"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bars-bar"]
    widths = [float(b.get("width")) for b in bars]
    assert widths[1] == pytest.approx(3 * widths[0], abs=0.2)
    assert widths[2] <= 1  # an empty rung keeps a hairline, not a bar
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "bars-value"]
    assert values == ["2 (25\u00a0%)", "6 (75\u00a0%)", "0 (0\u00a0%)"]


def test_it_is_described_for_screen_readers_in_its_language() -> None:
    root = parse(distribution_svg(RUNGS, title="Rungs", lang="en"))
    assert root.get("role") == "img"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("8 in all.")
    assert "2. Présence isolée: 6 (75%)" in desc
    french = parse(distribution_svg([("Web 1.0", 20000)], title="t")).find(f"{SVG}desc").text
    assert french == "20\u00a0000 au total. Web 1.0\u202f: 20\u00a0000 (100\u00a0%)."


def test_shares_round_half_up() -> None:
    assert share_of(1, 8) == 13  # 12.5
    assert share_of(0, 0) == 0
