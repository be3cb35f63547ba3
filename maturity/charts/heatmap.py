"""The heatmap: dealerships (rows) x areas (columns), one coloured cell per score.

The colour scale runs from a deep red (low) through light yellow to green (high). It is
built so that low scores stand out without relying on hue alone: the low end is the darkest
part of the scale and its values are written in bold white, while middle and high cells
are light with dark text. Every cell also shows its value; a missing score (``None``) is a
light grey cell with an en dash. Long dealership names are shortened with an ellipsis (the
full name stays in a tooltip and in the description).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from maturity.charts.svg import (
    LIGHT_GREY,
    SECONDARY,
    TEXT,
    TEXT_MUTED,
    Language,
    Markup,
    clean,
    el,
    fmt_value,
    group,
    hex_to_rgb,
    rgb_to_hex,
    svg_document,
    text,
    text_colour_on,
    text_width,
    truncate,
    wrap,
)
from maturity.engine.scoring import whole

# (fraction of max_value, colour): dark red -> red -> light yellow -> light green -> green.
SCALE: tuple[tuple[float, str], ...] = (
    (0.0, "#a51d2d"),
    (0.25, "#dc3545"),
    (0.5, "#ffda6a"),
    (0.75, "#a3cfbb"),
    (1.0, "#5fae87"),
)
LOW_FRACTION = 0.4  # values below this share of max_value are written in bold
MISSING_FILL = LIGHT_GREY
CELL_TEXT = "#000000"  # black (not #212529) keeps >= 4.5:1 on every colour of the scale

_PHRASES = {
    "fr": {
        "shape": "{rows} lignes × {cols} colonnes, valeurs de 0 à {max}.",
        "lowest": "Valeurs les plus faibles\u202f: {items}.",
        "missing": "non renseigné",
        "missing_count": "{n} valeur(s) non renseignée(s).",
        "legend_missing": "non renseigné",
        "sep": "\u202f: ",
    },
    "en": {
        "shape": "{rows} rows × {cols} columns, values from 0 to {max}.",
        "lowest": "Lowest values: {items}.",
        "missing": "no score",
        "missing_count": "{n} missing value(s).",
        "legend_missing": "no score",
        "sep": ": ",
    },
}

ROW_LABEL_SIZE = 13
ROW_LABEL_MAX = 170
COLUMN_LABEL_SIZE = 12
COLUMN_LINE = 15
CELL_MIN = 56
CELL_MAX = 92
CELL_HEIGHT = 34
GAP = 2
VALUE_SIZE = 13
PAD = 8
SLANT = 45
HEADER_LINES = 4
LEGEND_STEPS = 10


def heat_colour(value: float, max_value: float = 100) -> str:
    """The cell colour for ``value`` (clamped to ``0..max_value``), as ``#rrggbb``."""
    fraction = min(max(value / max_value, 0.0), 1.0)
    for (low, low_colour), (high, high_colour) in itertools.pairwise(SCALE):
        if fraction <= high:
            t = (fraction - low) / (high - low)
            a, b = hex_to_rgb(low_colour), hex_to_rgb(high_colour)
            return rgb_to_hex(tuple(x + (y - x) * t for x, y in zip(a, b, strict=True)))
    return SCALE[-1][1]


def _column_header(
    columns: Sequence[str],
) -> tuple[float, bool, list[list[str]], float]:
    """Choose the cell width and whether column labels wrap (horizontal) or slant.

    Returns ``(cell width, slanted, lines per column, header height)``.
    """
    longest_word = max(
        (text_width(word, COLUMN_LABEL_SIZE) for c in columns for word in c.split(" ")),
        default=0.0,
    )
    narrow = min(max(longest_word + 12, CELL_MIN), CELL_MAX)
    # The narrowest cell whose labels wrap, whole, on a few lines; the widest one next.
    for cell in dict.fromkeys((narrow, CELL_MAX)):
        lines = [wrap(c, cell - 8, COLUMN_LABEL_SIZE, max_lines=HEADER_LINES) for c in columns]
        if all(" ".join(ls) == c for ls, c in zip(lines, columns, strict=True)):
            return cell, False, lines, max(len(ls) for ls in lines) * COLUMN_LINE + 8
    # Slanted, and whole: a heading cut short ("Écoute de ce qui…") names no area.
    full = [[c] for c in columns]
    widest = max(text_width(ls[0], COLUMN_LABEL_SIZE) for ls in full)
    height = widest * math.sin(math.radians(SLANT)) + COLUMN_LABEL_SIZE + 10
    return CELL_MIN, True, full, height


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    max_value: float = 100,
    lang: Language = "fr",
) -> str:
    """Render the heatmap as an accessible inline ``<svg>`` string.

    ``values[r][c]`` is the score of ``rows[r]`` (e.g. a dealership) in ``columns[c]``
    (e.g. an area), between 0 and ``max_value``, or ``None`` when missing. Raises
    ``ValueError`` when there is no row or column, when ``values`` does not match their
    shape, for a non-finite value or a non-positive ``max_value``.
    """
    phrases = _PHRASES[lang]
    rows = [clean(r) for r in rows]
    columns = [clean(c) for c in columns]
    if not rows or not columns:
        raise ValueError("a heatmap needs at least one row and one column")
    if not (math.isfinite(max_value) and max_value > 0):
        raise ValueError(f"max_value must be a positive number, got {max_value!r}")
    if len(values) != len(rows) or any(len(line) != len(columns) for line in values):
        raise ValueError(f"values must be {len(rows)} rows of {len(columns)} values")
    for line in values:
        for value in line:
            if value is not None and not math.isfinite(value):
                raise ValueError(f"non-finite value: {value!r}")

    row_labels = [truncate(r, ROW_LABEL_MAX, ROW_LABEL_SIZE) for r in rows]
    label_column = max(text_width(r, ROW_LABEL_SIZE) for r in row_labels) + 12
    cell, slanted, header_lines, header = _column_header(columns)
    grid_left = PAD + label_column
    grid_top = PAD + header
    grid_width = len(columns) * cell
    right_edge = grid_left + grid_width

    # Column labels.
    heads: list[Markup] = []
    for index, (column, lines) in enumerate(zip(columns, header_lines, strict=True)):
        centre = grid_left + index * cell + cell / 2
        if slanted:
            x, y = centre - 2, grid_top - 8
            heads.append(
                text(
                    x,
                    y,
                    lines[0],
                    size=COLUMN_LABEL_SIZE,
                    fill=TEXT,
                    transform=f"rotate(-{SLANT} {x:.1f} {y:.1f})",
                    full=column,
                )
            )
            reach = text_width(lines[0], COLUMN_LABEL_SIZE) * math.cos(math.radians(SLANT))
            right_edge = max(right_edge, x + reach + 4)
        else:
            first = grid_top - 6 - (len(lines) - 1) * COLUMN_LINE
            heads.extend(
                text(
                    centre,
                    first + n * COLUMN_LINE,
                    line,
                    size=COLUMN_LABEL_SIZE,
                    fill=TEXT,
                    anchor="middle",
                )
                for n, line in enumerate(lines)
            )

    # Rows: label + cells.
    body: list[Markup] = []
    for r, (row, label, line) in enumerate(zip(rows, row_labels, values, strict=True)):
        y = grid_top + r * CELL_HEIGHT
        parts: list[Markup] = [
            text(
                grid_left - 10,
                y + CELL_HEIGHT / 2 + ROW_LABEL_SIZE * 0.35,
                label,
                size=ROW_LABEL_SIZE,
                fill=TEXT,
                anchor="end",
                full=row,
            )
        ]
        for c, value in enumerate(line):
            x = grid_left + c * cell
            if value is None:
                fill, shown, ink, weight = MISSING_FILL, "–", TEXT_MUTED, None
            else:
                fill = heat_colour(value, max_value)
                # Whole numbers, as every page shows scores ("31", never "30,6").
                shown = str(whole(value))
                ink = text_colour_on(fill, dark=CELL_TEXT)
                weight = "bold" if value < LOW_FRACTION * max_value else None
            parts.append(
                el(
                    "rect",
                    {
                        "x": x + GAP / 2,
                        "y": y + GAP / 2,
                        "width": cell - GAP,
                        "height": CELL_HEIGHT - GAP,
                        "rx": 3,
                        "fill": fill,
                        "class": "heatmap-cell" + (" heatmap-cell-missing" * (value is None)),
                    },
                )
            )
            parts.append(
                text(
                    x + cell / 2,
                    y + CELL_HEIGHT / 2 + VALUE_SIZE * 0.35,
                    shown,
                    size=VALUE_SIZE,
                    fill=ink,
                    anchor="middle",
                    weight=weight,
                )
            )
        body.append(group(parts, {"class": "heatmap-row"}))
    grid_bottom = grid_top + len(rows) * CELL_HEIGHT

    # Legend: the scale in steps, then the "missing" swatch.
    legend: list[Markup] = []
    ly = grid_bottom + 14
    lx = PAD
    zero = fmt_value(0, lang)
    legend.append(text(lx, ly + 11, zero, size=11, fill=TEXT_MUTED))
    lx += text_width(zero, 11) + 4
    for step in range(LEGEND_STEPS):
        colour = heat_colour((step + 0.5) / LEGEND_STEPS * max_value, max_value)
        legend.append(
            el("rect", {"x": lx + step * 16, "y": ly, "width": 16, "height": 14, "fill": colour})
        )
    lx += LEGEND_STEPS * 16 + 4
    top_label = fmt_value(max_value, lang)
    legend.append(text(lx, ly + 11, top_label, size=11, fill=TEXT_MUTED))
    lx += text_width(top_label, 11) + 18
    legend.append(
        el(
            "rect",
            {
                "x": lx,
                "y": ly,
                "width": 22,
                "height": 14,
                "rx": 2,
                "fill": MISSING_FILL,
                "stroke": SECONDARY,
                "stroke-width": 0.5,
            },
        )
    )
    legend.append(text(lx + 11, ly + 11, "–", size=11, fill=TEXT_MUTED, anchor="middle"))
    lx += 28
    legend.append(text(lx, ly + 11, phrases["legend_missing"], size=11, fill=TEXT_MUTED))
    lx += text_width(phrases["legend_missing"], 11)
    width = max(right_edge, lx) + PAD
    height = ly + 14 + PAD

    # Text summary.
    sep = phrases["sep"]
    present = [
        (value, r, c)
        for r, line in enumerate(values)
        for c, value in enumerate(line)
        if value is not None
    ]
    missing = len(rows) * len(columns) - len(present)
    summary = [
        phrases["shape"].format(rows=len(rows), cols=len(columns), max=fmt_value(max_value, lang))
    ]
    lowest = sorted(present)[:3]
    if lowest:
        items = " ; ".join(f"{rows[r]} – {columns[c]} {fmt_value(v, lang)}" for v, r, c in lowest)
        summary.append(phrases["lowest"].format(items=items))
    if missing:
        summary.append(phrases["missing_count"].format(n=missing))
    for row, line in zip(rows, values, strict=True):
        cells = ", ".join(
            f"{column} {phrases['missing'] if v is None else fmt_value(v, lang)}"
            for column, v in zip(columns, line, strict=True)
        )
        summary.append(f"{row}{sep}{cells}.")

    return svg_document(
        kind="heatmap",
        width=width,
        height=height,
        title=title,
        desc=" ".join(summary),
        body=[
            group(heads, {"class": "heatmap-columns"}),
            group(body, {"class": "heatmap-rows"}),
            group(legend, {"class": "heatmap-legend"}),
        ],
        lang=lang,
    )
