"""Scores by area as bars: readable where a radar is a dot (low scores, a phone)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.charts import bars_svg, radar_readable
from maturity.charts.radar import Series, radar_svg

SVG = "{http://www.w3.org/2000/svg}"
AREAS = [
    "Site internet",
    "Présence sur les réseaux sociaux",
    "Avis clients et réputation",
    "Écoute de ce qui se dit en ligne",
    "Suivi des demandes (CRM)",
    "Accueil des contacts et services en ligne",
    "Stratégie et organisation",
]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def test_a_radar_of_low_scores_is_not_readable_but_one_with_a_shape_is():
    assert not radar_readable([5, 0, 12, 3, None, 8, 0])
    assert not radar_readable([None, None, None])
    assert radar_readable([5, 0, 30, 3, None, 8, 0])


def test_it_draws_one_bar_per_area_with_its_value_even_a_low_one():
    values = [5.0, 0.0, 12.0, 3.0, None, 8.0, 0.0]
    root = parse(bars_svg(AREAS, values, title="Scores"))
    rows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bars-row"]
    assert len(rows) == 7
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bars-value"]
    assert len(bars) == 6  # no bar for the missing score
    assert all(float(bar.get("width")) >= 3 for bar in bars)  # even 0 shows a sliver
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "5" in texts and "–" in texts
    # Whole names, never cut.
    assert not any("…" in t for t in texts)
    desc = "".join(next(root.iter(f"{SVG}desc")).itertext())
    assert "Suivi des demandes (CRM) non renseigné" in desc


def test_its_text_keeps_its_size_at_a_phones_width():
    root = parse(bars_svg(AREAS, [50.0] * 7, title="Scores"))
    width = float(root.get("viewBox").split()[2])
    assert width <= 360  # drawn about 1:1 in a 340-390 px column
    sizes = {float(t.get("font-size")) for t in root.iter(f"{SVG}text")}
    assert min(sizes) >= 14


def test_it_marks_the_reference_and_says_it():
    svg = bars_svg(
        AREAS, [40.0] * 7, title="Scores", reference=[55.0] * 7, reference_label="Médiane"
    )
    root = parse(svg)
    ticks = [t for t in root.iter(f"{SVG}line") if t.get("class") == "bars-reference"]
    assert len(ticks) == 7
    assert "Médiane\u202f: Site internet 55" in "".join(next(root.iter(f"{SVG}desc")).itertext())


@pytest.mark.parametrize(
    ("labels", "values", "reference"),
    [([], [], None), (["a"], [1, 2], None), (["a"], [float("inf")], None), (["a"], [1], [])],
)
def test_it_rejects_inconsistent_input(labels, values, reference):
    with pytest.raises(ValueError):
        bars_svg(labels, values, title="t", reference=reference)


def test_the_radar_writes_every_area_name_whole():
    root = parse(radar_svg(AREAS, [Series("Moi", [50.0] * 7)], title="Radar"))
    labels = [g for g in root.iter(f"{SVG}g") if g.get("class") == "radar-axis-label"]
    shown = [" ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text")) for g in labels]
    assert not any("…" in s for s in shown), shown
