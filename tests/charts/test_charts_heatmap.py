"""The heatmap."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from maturity.charts.heatmap import MISSING_FILL, heat_colour, heatmap_svg
from maturity.charts.svg import contrast_ratio, relative_luminance

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart (our own output, hence the safe stdlib parser)."""
    return ET.fromstring(markup)  # noqa: S314


ROWS = ["Garage Dupont & Fils", "Auto Lyon Sud"]
COLUMNS = ["Stratégie", "Contenus", "Avis clients"]
VALUES = [[0, 50, None], [100, 75.5, 12]]


def cells(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    found = []
    for row in root.iter(f"{SVG}g"):
        if row.get("class") != "heatmap-row":
            continue
        children = list(row)
        for index, child in enumerate(children):
            if child.tag == f"{SVG}rect":
                found.append((child, children[index + 1]))
    return found


def test_it_colours_low_and_high_values_differently() -> None:
    assert heat_colour(0) != heat_colour(100)
    assert heat_colour(0) != heat_colour(50) != heat_colour(100)
    assert heat_colour(-10) == heat_colour(0) and heat_colour(250) == heat_colour(100)
    assert heat_colour(2.5, max_value=5) == heat_colour(50)


def test_it_makes_low_values_the_darkest_part_of_the_scale() -> None:
    darkest = relative_luminance(heat_colour(0))
    assert all(relative_luminance(heat_colour(v)) > darkest for v in range(1, 101))
    assert relative_luminance(heat_colour(20)) < relative_luminance(heat_colour(80))


def test_it_writes_every_value_in_its_cell() -> None:
    root = parse(heatmap_svg(ROWS, COLUMNS, VALUES, title="Comparaison"))
    found = cells(root)
    assert len(found) == 6
    # Whole numbers, rounded half up as everywhere else (75.5 -> 76).
    assert [label.text for _, label in found] == ["0", "50", "–", "100", "76", "12"]
    fills = [rect.get("fill") for rect, _ in found]
    assert fills[0] == heat_colour(0) and fills[3] == heat_colour(100)
    assert fills[2] == MISSING_FILL
    assert fills[0] != fills[3]


def test_it_keeps_every_value_readable_and_low_values_bold() -> None:
    root = parse(heatmap_svg(ROWS, COLUMNS, VALUES, title="Comparaison"))
    for rect, label in cells(root):
        assert contrast_ratio(rect.get("fill"), label.get("fill")) >= 4.5
    weights = [label.get("font-weight") for _, label in cells(root)]
    assert weights == ["bold", None, None, None, None, "bold"]
    for value in range(0, 101):
        colour = heat_colour(value)
        markup = heatmap_svg(["r"], ["c"], [[value]], title="t")
        (cell,) = cells(parse(markup))
        assert contrast_ratio(colour, cell[1].get("fill")) >= 4.5


def test_it_shortens_long_names_but_keeps_them_whole_in_tooltip_and_description() -> None:
    name = "Concession Peugeot Renault Citroën de la Vallée du Rhône — site de Valence Nord"
    root = parse(heatmap_svg([name], COLUMNS, [[1, 2, 3]], title="t"))
    row_label = next(t for t in root.iter(f"{SVG}text") if (t.get("text-anchor") == "end"))
    assert (row_label.findtext(f"{SVG}title") or "") == name
    assert "".join(row_label.itertext()).endswith("…")
    assert name in (root[1].text or "")


def test_it_lists_the_lowest_values_first_in_the_description() -> None:
    desc = parse(heatmap_svg(ROWS, COLUMNS, VALUES, title="t"))[1].text or ""
    assert "Valeurs les plus faibles\u202f: Garage Dupont & Fils – Stratégie 0" in desc
    assert "1 valeur(s) non renseignée(s)." in desc
    assert "Auto Lyon Sud\u202f: Stratégie 100, Contenus 75,5, Avis clients 12." in desc


def test_it_slants_column_labels_that_do_not_fit() -> None:
    columns = [f"{c} et communication digitale multicanale" for c in COLUMNS]
    root = parse(heatmap_svg(ROWS, columns, VALUES, title="t"))
    heads = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "heatmap-columns")
    labels = list(heads.iter(f"{SVG}text"))
    assert len(labels) == 3
    assert all(t.get("transform", "").startswith("rotate(-45") for t in labels)


@pytest.mark.parametrize(
    ("rows", "columns", "values"),
    [
        ([], ["a"], []),
        (["r"], [], [[]]),
        (["r"], ["a", "b"], [[1]]),
        (["r", "s"], ["a"], [[1]]),
        (["r"], ["a"], [[float("nan")]]),
    ],
)
def test_it_rejects_inconsistent_input(
    rows: list[str], columns: list[str], values: list[list[float | None]]
) -> None:
    with pytest.raises(ValueError):
        heatmap_svg(rows, columns, values, title="t")


def test_it_never_cuts_the_area_headings() -> None:
    columns = [
        "Site internet",
        "Présence sur les réseaux sociaux",
        "Avis clients et réputation",
        "Écoute de ce qui se dit en ligne",
        "Suivi des demandes (CRM)",
        "Accueil des contacts et services en ligne",
        "Stratégie et organisation",
    ]
    values = [[10.0] * len(columns)]
    root = parse(heatmap_svg(["Garage"], columns, values, title="t"))
    heads = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "heatmap-columns")
    shown = " ".join(t.text or "" for t in heads.iter(f"{SVG}text"))
    assert "…" not in shown
    for column in columns:
        assert column in shown or all(word in shown for word in column.split())
