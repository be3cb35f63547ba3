"""The radar (spider) chart: one score per area, several series overlaid.

Axes start at the top and go clockwise. Grid rings mark 25, 50, 75 and 100 % of
``max_value``. Series styles: ``primary`` (the dealer's current scores) is filled
semi-transparent with dots on its vertices; ``secondary`` (e.g. the previous assessment) is
a dashed line; ``peer`` (e.g. the median of comparable dealers) is a dotted grey line. The
first primary series' values are written under the axis labels. ``None`` (no score) is
drawn at 0 and said so in the description.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from maturity.charts.svg import (
    GRID,
    LIGHT,
    PRIMARY,
    PURPLE,
    SECONDARY,
    TEXT,
    TEXT_MUTED,
    WHITE,
    AttrValue,
    Language,
    Markup,
    clean,
    el,
    fmt_value,
    group,
    points_attr,
    svg_document,
    text,
    text_width,
    truncate,
    wrap,
)

SeriesStyle = Literal["primary", "secondary", "peer"]


@dataclass(frozen=True)
class Series:
    """One polygon of the radar: a label (for the legend) and one value per axis."""

    label: str
    values: Sequence[float | None]
    style: SeriesStyle = "primary"


_PHRASES = {
    "fr": {
        "axes": "{n} axes notés de 0 à {max}",
        "missing": "non renseigné (affiché à 0)",
        "no_series": "Aucune série.",
    },
    "en": {
        "axes": "{n} axes scored from 0 to {max}",
        "missing": "no score (drawn at 0)",
        "no_series": "No series.",
    },
}

RADIUS = 125
LABEL_GAP = 14
LABEL_SIZE = 14
LABEL_WIDTH = 130
LINE_HEIGHT = 17
VALUE_SIZE = 15
RING_LEVELS = (0.25, 0.5, 0.75, 1.0)
PAD = 8
LEGEND_SIZE = 14
LEGEND_ROW = 22
LEGEND_SWATCH = 26

_STYLE_ATTRS: dict[str, dict[str, AttrValue]] = {
    "primary": {
        "fill": PRIMARY,
        "fill-opacity": 0.2,
        "stroke": PRIMARY,
        "stroke-width": 2.5,
    },
    "secondary": {
        "fill": "none",
        "stroke": PURPLE,
        "stroke-width": 2,
        "stroke-dasharray": "7 4",
    },
    "peer": {
        "fill": "none",
        "stroke": SECONDARY,
        "stroke-width": 2.5,
        "stroke-dasharray": "0.1 5",
        "stroke-linecap": "round",
    },
}
# Painting order: background references first, the dealer's own scores on top.
_DRAW_ORDER = {"peer": 0, "secondary": 1, "primary": 2}


def _point(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / count
    return radius * math.sin(angle), -radius * math.cos(angle)


def _ring(count: int, radius: float) -> list[tuple[float, float]]:
    return [_point(i, count, radius) for i in range(count)]


def _legend(
    series: Sequence[Series], left: float, right: float, top: float
) -> tuple[Markup, float]:
    """The legend rows (centred between ``left`` and ``right``); returns markup and bottom."""
    items: list[tuple[Series, str, float]] = []
    for item in series:
        label = truncate(item.label, right - left - LEGEND_SWATCH - 12, LEGEND_SIZE)
        items.append((item, label, LEGEND_SWATCH + 6 + text_width(label, LEGEND_SIZE) + 18))
    rows: list[list[tuple[Series, str, float]]] = [[]]
    for entry in items:
        used = sum(e[2] for e in rows[-1])
        if rows[-1] and used + entry[2] > right - left:
            rows.append([])
        rows[-1].append(entry)
    parts: list[Markup] = []
    y = top
    for row in rows:
        used = sum(e[2] for e in row) - 18
        x = (left + right) / 2 - used / 2
        for item, label, width in row:
            mid = y + LEGEND_ROW / 2
            swatch: dict[str, AttrValue] = {
                "x1": x,
                "y1": mid,
                "x2": x + LEGEND_SWATCH,
                "y2": mid,
                **{k: v for k, v in _STYLE_ATTRS[item.style].items() if k.startswith("stroke")},
            }
            entry = [el("line", swatch)]
            if item.style == "primary":
                entry.insert(
                    0,
                    el(
                        "rect",
                        {
                            "x": x,
                            "y": mid - 7,
                            "width": LEGEND_SWATCH,
                            "height": 14,
                            "fill": PRIMARY,
                            "fill-opacity": 0.2,
                        },
                    ),
                )
            entry.append(
                text(
                    x + LEGEND_SWATCH + 6,
                    mid + LEGEND_SIZE * 0.35,
                    label,
                    size=LEGEND_SIZE,
                    fill=TEXT,
                    full=item.label,
                )
            )
            parts.append(group(entry, {"class": f"radar-legend-item radar-legend-{item.style}"}))
            x += width
        y += LEGEND_ROW
    return group(parts, {"class": "radar-legend"}), y


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    max_value: float = 100,
    show_values: bool = True,
    lang: Language = "fr",
) -> str:
    """Render a radar chart as an accessible inline ``<svg>`` string.

    ``axes`` are the area names (at least 3, typically 7; long names wrap on up to 3 lines).
    Each series has one value per axis, between 0 and ``max_value`` (clamped), or ``None``.
    ``show_values`` writes the first primary series' values under the axis labels.
    Raises ``ValueError`` for fewer than 3 axes, a series of the wrong length, a non-finite
    value or a non-positive ``max_value``.
    """
    phrases = _PHRASES[lang]
    axes = [clean(a) for a in axes]
    count = len(axes)
    if count < 3:
        raise ValueError("a radar needs at least 3 axes")
    if not (math.isfinite(max_value) and max_value > 0):
        raise ValueError(f"max_value must be a positive number, got {max_value!r}")
    for item in series:
        if item.style not in _STYLE_ATTRS:
            raise ValueError(f"unknown series style: {item.style!r}")
        if len(item.values) != count:
            raise ValueError(
                f"series {item.label!r} has {len(item.values)} values for {count} axes"
            )
        for value in item.values:
            if value is not None and not math.isfinite(value):
                raise ValueError(f"series {item.label!r} has a non-finite value: {value!r}")

    def radius_of(value: float | None) -> float:
        if value is None:
            return 0.0
        return RADIUS * min(max(value, 0.0), max_value) / max_value

    # Grid: rings, spokes, ring values.
    grid: list[Markup] = [
        el(
            "polygon",
            {
                "points": points_attr(_ring(count, RADIUS)),
                "fill": LIGHT,
                "stroke": "none",
            },
        )
    ]
    for level in RING_LEVELS:
        grid.append(
            el(
                "polygon",
                {
                    "points": points_attr(_ring(count, RADIUS * level)),
                    "fill": "none",
                    "stroke": "#adb5bd" if level == 1.0 else GRID,
                    "stroke-width": 1,
                    "class": "radar-ring",
                    "data-level": round(level * 100),
                },
            )
        )
    for x, y in _ring(count, RADIUS):
        grid.append(
            el("line", {"x1": 0, "y1": 0, "x2": x, "y2": y, "stroke": GRID, "stroke-width": 1})
        )
    for level in RING_LEVELS:
        grid.append(
            text(
                4,
                -RADIUS * level + 11,
                fmt_value(max_value * level, lang),
                size=10,
                fill=TEXT_MUTED,
                cls="radar-ring-label",
            )
        )

    # Series polygons, references underneath.
    ordered = sorted(series, key=lambda s: _DRAW_ORDER[s.style])
    shapes: list[Markup] = []
    for item in ordered:
        vertices = [_point(i, count, radius_of(v)) for i, v in enumerate(item.values)]
        attrs: dict[str, AttrValue] = {
            "points": points_attr(vertices),
            **_STYLE_ATTRS[item.style],
            "stroke-linejoin": "round",
            "class": f"radar-series radar-series-{item.style}",
        }
        parts = [el("polygon", attrs)]
        if item.style == "primary":
            parts.extend(
                el(
                    "circle",
                    {
                        "cx": x,
                        "cy": y,
                        "r": 3.5,
                        "fill": PRIMARY if value is not None else WHITE,
                        "stroke": WHITE if value is not None else PRIMARY,
                        "stroke-width": 1.5,
                    },
                )
                for (x, y), value in zip(vertices, item.values, strict=True)
            )
        shapes.append(group(parts, {"class": "radar-series-group"}))

    # Axis labels (+ the first primary series' values), and their extents for the viewBox.
    primary = next((s for s in series if s.style == "primary"), None)
    labels: list[Markup] = []
    min_x, max_x, min_y, max_y = -RADIUS, RADIUS, -RADIUS, RADIUS
    for index, axis in enumerate(axes):
        sin, cos = math.sin(2 * math.pi * index / count), math.cos(2 * math.pi * index / count)
        ax, ay = _point(index, count, RADIUS + LABEL_GAP)
        if abs(sin) < 0.2:
            anchor: Literal["start", "middle", "end"] = "middle"
        else:
            anchor = "start" if sin > 0 else "end"
        # Three lines: the longest area names fit whole ("Accueil des contacts et…" was cut).
        lines = wrap(axis, LABEL_WIDTH, LABEL_SIZE, max_lines=3)
        rows: list[tuple[str, float, str, str | None, str | None]] = [
            (line, LABEL_SIZE, TEXT, None, axis if n == len(lines) - 1 else None)
            for n, line in enumerate(lines)
        ]
        if show_values and primary is not None:
            value = primary.values[index]
            shown = "–" if value is None else fmt_value(value, lang)
            rows.append((shown, VALUE_SIZE, PRIMARY, "bold", None))
        block = len(rows) * LINE_HEIGHT
        if cos > 0.5:  # top: the block sits above the point
            top = ay - block
        elif cos < -0.5:  # bottom: the block hangs below the point
            top = ay + 2
        else:
            top = ay - block / 2
        widest = max(text_width(r[0], r[1], bold=r[3] == "bold") for r in rows)
        if anchor == "middle":
            left, right = ax - widest / 2, ax + widest / 2
        elif anchor == "start":
            left, right = ax, ax + widest
        else:
            left, right = ax - widest, ax
        min_x, max_x = min(min_x, left), max(max_x, right)
        min_y, max_y = min(min_y, top), max(max_y, top + block)
        parts = [
            text(
                ax,
                top + n * LINE_HEIGHT + LINE_HEIGHT * 0.78,
                content,
                size=size,
                fill=fill,
                anchor=anchor,
                weight=weight,
                full=full,
            )
            for n, (content, size, fill, weight, full) in enumerate(rows)
        ]
        labels.append(group(parts, {"class": "radar-axis-label"}))

    half = max(-min_x, max_x) + PAD
    legend, bottom = _legend(series, -half + PAD, half - PAD, max_y + 10)
    if not series:
        bottom = max_y
    top = min_y - PAD

    # Text summary.
    summary = [phrases["axes"].format(n=count, max=fmt_value(max_value, lang)) + "."]
    separator = "\u202f: " if lang == "fr" else ": "
    for item in series:
        values = ", ".join(
            f"{axis} {phrases['missing'] if v is None else fmt_value(v, lang)}"
            for axis, v in zip(axes, item.values, strict=True)
        )
        summary.append(f"{clean(item.label)}{separator}{values}.")
    if not series:
        summary.append(phrases["no_series"])

    return svg_document(
        kind="radar",
        width=2 * half,
        height=bottom + PAD - top,
        min_x=-half,
        min_y=top,
        title=title,
        desc=" ".join(summary),
        body=[
            group(grid, {"class": "radar-grid"}),
            group(shapes, {"class": "radar-series-all"}),
            group(labels, {"class": "radar-axis-labels"}),
            legend,
        ],
        lang=lang,
    )
