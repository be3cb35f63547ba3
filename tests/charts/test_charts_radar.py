"""The radar chart."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from maturity.charts.radar import Series, radar_svg
from maturity.charts.svg import PRIMARY, SECONDARY

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart (our own output, hence the safe stdlib parser)."""
    return ET.fromstring(markup)  # noqa: S314


AXES = [
    "Stratégie",
    "Contenus",
    "Réseaux sociaux",
    "Avis clients",
    "Publicité payante",
    "Mesure & analyse",
    "Organisation et ressources humaines",
]


def points(polygon: ET.Element) -> list[tuple[float, float]]:
    pairs = (p.split(",") for p in polygon.get("points", "").split())
    return [(float(x), float(y)) for x, y in pairs]


def series_polygons(root: ET.Element) -> list[ET.Element]:
    return [p for p in root.iter(f"{SVG}polygon") if "radar-series" in p.get("class", "").split()]


def ring(root: ET.Element, level: int) -> list[tuple[float, float]]:
    (found,) = [p for p in root.iter(f"{SVG}polygon") if p.get("data-level") == str(level)]
    return points(found)


def chart(**kwargs: object) -> ET.Element:
    series = [
        Series("Vous", [100, 50, 0, None, 25, 75, 100], "primary"),
        Series("Évaluation précédente", [80, 40, 10, 20, 20, 60, 90], "secondary"),
        Series("Médiane des concessions", [50, 50, 50, 50, 50, 50, 50], "peer"),
    ]
    return parse(radar_svg(AXES, series, title="Profil", **kwargs))  # type: ignore[arg-type]


def test_it_draws_one_polygon_per_series_with_one_point_per_axis() -> None:
    polygons = series_polygons(chart())
    assert len(polygons) == 3
    assert all(len(points(p)) == len(AXES) for p in polygons)
    styles = sorted(p.get("class", "").split()[-1] for p in polygons)
    assert styles == ["radar-series-peer", "radar-series-primary", "radar-series-secondary"]


def test_it_puts_the_maximum_on_the_outer_ring_and_zero_at_the_centre() -> None:
    root = chart()
    (primary,) = [p for p in series_polygons(root) if "radar-series-primary" in p.get("class")]
    vertices = points(primary)
    outer = ring(root, 100)
    assert vertices[0] == outer[0]  # 100 on the first axis, straight up
    assert vertices[0][0] == 0 and vertices[0][1] < 0
    assert vertices[6] == outer[6]
    assert vertices[1] == ring(root, 50)[1]
    assert vertices[5] == ring(root, 75)[5]
    assert vertices[2] == (0, 0)
    radius = math.dist((0, 0), outer[0])
    assert all(math.isclose(math.dist((0, 0), p), radius, abs_tol=0.15) for p in outer)


def test_it_scales_to_max_value_and_clamps() -> None:
    root = parse(radar_svg(["A", "B", "C"], [Series("x", [5, 7, -1])], title="t", max_value=5))
    (polygon,) = series_polygons(root)
    outer = ring(root, 100)
    assert points(polygon) == [outer[0], outer[1], (0, 0)]


def test_it_draws_missing_values_at_zero_and_says_so() -> None:
    root = chart()
    (primary,) = [p for p in series_polygons(root) if "radar-series-primary" in p.get("class")]
    assert points(primary)[3] == (0, 0)
    assert "Avis clients non renseigné (affiché à 0)" in (root[1].text or "")


def test_it_styles_the_series_distinctly() -> None:
    by_style = {p.get("class", "").split()[-1]: p for p in series_polygons(chart())}
    primary = by_style["radar-series-primary"]
    assert primary.get("fill") == PRIMARY and primary.get("fill-opacity") == "0.2"
    assert by_style["radar-series-secondary"].get("stroke-dasharray")
    assert by_style["radar-series-secondary"].get("fill") == "none"
    peer = by_style["radar-series-peer"]
    assert peer.get("stroke") == SECONDARY and peer.get("stroke-linecap") == "round"


def test_it_has_a_legend_and_wraps_long_axis_labels() -> None:
    root = chart()
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "radar-legend"]
    legend_texts = [t.text for t in legend[0].iter(f"{SVG}text")]
    assert legend_texts == ["Vous", "Évaluation précédente", "Médiane des concessions"]
    labels = [g for g in root.iter(f"{SVG}g") if g.get("class") == "radar-axis-label"]
    assert len(labels) == len(AXES)
    last = [t.text for t in labels[-1].iter(f"{SVG}text")]
    # The whole name on three lines (never cut with "…"), then the primary value; the
    # last line carries the full name as a tooltip (<title>) before its own text.
    shown = [(t.text or "") + "".join(c.tail or "" for c in t) for t in labels[-1]]
    assert " ".join(shown[:-1]) == "Organisation et ressources humaines"
    assert last[-1] == "100"
    assert [t.text for t in labels[0].iter(f"{SVG}text")] == ["Stratégie", "100"]
    assert [t.text for t in labels[3].iter(f"{SVG}text")] == ["Avis clients", "–"]


def test_it_lists_every_series_in_the_description() -> None:
    desc = chart()[1].text or ""
    assert "Vous\u202f: Stratégie 100, Contenus 50" in desc
    assert "Médiane des concessions\u202f: " in desc


@pytest.mark.parametrize(
    ("axes", "values"),
    [(["A", "B"], [1, 2]), (["A", "B", "C"], [1, 2]), (["A", "B", "C"], [1, 2, math.nan])],
)
def test_it_rejects_inconsistent_input(axes: list[str], values: list[float]) -> None:
    with pytest.raises(ValueError):
        radar_svg(axes, [Series("x", values)], title="t")
