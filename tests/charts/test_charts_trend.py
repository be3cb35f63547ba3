"""The trend chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.charts.trend import trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart (our own output, hence the safe stdlib parser)."""
    return ET.fromstring(markup)  # noqa: S314


POINTS = [("12/03/2024", 32), ("15/09/2024", 41.5), ("02/02/2025", 58)]


def texts(root: ET.Element, cls: str) -> list[str]:
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]
    return [t.text or "" for g in groups for t in g.iter(f"{SVG}text")]


def test_it_refuses_an_empty_series() -> None:
    with pytest.raises(ValueError):
        trend_svg([], title="Évolution")


def test_it_draws_a_line_through_one_dot_per_assessment() -> None:
    root = parse(trend_svg(POINTS, title="Évolution"))
    (line,) = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "trend-line"]
    vertices = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "trend-point"]
    assert len(vertices) == len(dots) == 3
    assert [(float(c.get("cx")), float(c.get("cy"))) for c in dots] == vertices
    xs = [x for x, _ in vertices]
    ys = [y for _, y in vertices]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # higher score, higher on the page
    assert texts(root, "trend-values") == ["32", "41,5", "58"]
    assert texts(root, "trend-x-labels") == ["12/03/2024", "15/09/2024", "02/02/2025"]


def test_it_handles_a_single_assessment() -> None:
    root = parse(trend_svg([("12/03/2024", 32)], title="Évolution"))
    assert not list(root.iter(f"{SVG}polyline"))
    assert len([c for c in root.iter(f"{SVG}circle")]) == 1
    assert texts(root, "trend-values") == ["32"]
    assert "1 évaluation." in (root[1].text or "")


def test_it_maps_zero_and_max_to_the_bottom_and_top_grid_lines() -> None:
    root = parse(trend_svg([("a", 0), ("b", 100), ("c", 150)], title="t"))
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    grid = [float(line.get("y1")) for line in root.iter(f"{SVG}line")]
    assert ys[0] == max(grid) and ys[1] == min(grid) and ys[2] == min(grid)


def test_it_summarises_the_change_in_the_description() -> None:
    desc = parse(trend_svg(POINTS, title="Évolution"))[1].text or ""
    assert "3 évaluations." in desc
    assert "15/09/2024\u202f: 41,5" in desc
    assert "Dernier score\u202f: 58 (+26 depuis la première évaluation)." in desc
    en = parse(trend_svg(POINTS, title="Trend", lang="en"))[1].text or ""
    assert "Latest score: 58 (+26 since the first assessment)." in en


def test_it_slants_and_thins_crowded_date_labels_but_keeps_the_latest() -> None:
    points = [(f"{day:02d}/01/2025", day * 3.0) for day in range(1, 31)]
    root = parse(trend_svg(points, title="Évolution"))
    labels = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "trend-x-labels")
    shown = list(labels.iter(f"{SVG}text"))
    assert 5 < len(shown) < 30
    assert all((t.get("transform") or "").startswith("rotate(") for t in shown)
    assert shown[-1].text == "30/01/2025"
    min_x = float(root.get("viewBox").split()[0])
    assert min_x <= 0


def test_it_rejects_non_finite_scores() -> None:
    with pytest.raises(ValueError):
        trend_svg([("a", float("inf"))], title="t")


def test_it_shortens_long_date_labels_but_keeps_them_in_a_tooltip() -> None:
    label = "Évaluation complète du 30 janvier 2025 (après formation)"
    root = parse(trend_svg([("a", 1), (label, 2)], title="t"))
    last = list(next(g for g in root.iter(f"{SVG}g") if g.get("class") == "trend-x-labels"))[-1]
    assert last.findtext(f"{SVG}title") == label
    assert "".join(last.itertext()).endswith("…")
