"""The trend chart: the overall score over successive assessments.

A line with a light area under it, one dot per assessment (the latest one filled) and its
value written above. The x labels are the assessment dates, given as display strings, spaced
evenly (they are categories, not a time scale); when there are many they are slanted and,
if still too dense, thinned out (the latest is always shown). Zero points is the caller's
empty state: :func:`trend_svg` raises ``ValueError``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from maturity.charts.svg import (
    GRID,
    PRIMARY,
    TEXT,
    TEXT_MUTED,
    WHITE,
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
)

_PHRASES = {
    "fr": {
        "count": "{n} évaluation.",
        "count_plural": "{n} évaluations.",
        "scale": "Score global sur {max}",
        "latest": "Dernier score\u202f: {value}",
        "change": " ({sign}{delta} depuis la première évaluation)",
        "sep": "\u202f: ",
    },
    "en": {
        "count": "{n} assessment.",
        "count_plural": "{n} assessments.",
        "scale": "Overall score out of {max}",
        "latest": "Latest score: {value}",
        "change": " ({sign}{delta} since the first assessment)",
        "sep": ": ",
    },
}

WIDTH = 600
LEFT = 44
RIGHT = 16
TOP = 30
PLOT_HEIGHT = 190
INSET = 34  # horizontal room between the plot edges and the first / last point
X_LABEL_SIZE = 12
X_LABEL_MAX = 110
VALUE_SIZE = 13
SLANT = 40  # degrees


def trend_svg(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    max_value: float = 100,
    lang: Language = "fr",
) -> str:
    """Render the score trend as an accessible inline ``<svg>`` string.

    ``points`` are ``(date label, score)`` pairs in chronological order; scores are drawn
    clamped to ``0..max_value``. Raises ``ValueError`` when there is no point (show an empty
    state instead), for a non-finite score or a non-positive ``max_value``.
    """
    phrases = _PHRASES[lang]
    if not points:
        raise ValueError("a trend needs at least one point")
    if not (math.isfinite(max_value) and max_value > 0):
        raise ValueError(f"max_value must be a positive number, got {max_value!r}")
    labels = [clean(label) for label, _ in points]
    values = [float(value) for _, value in points]
    for value in values:
        if not math.isfinite(value):
            raise ValueError(f"non-finite score: {value!r}")
    count = len(values)

    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_bottom = TOP + PLOT_HEIGHT
    if count == 1:
        xs = [(plot_left + plot_right) / 2]
        spacing = plot_right - plot_left
    else:
        spacing = (plot_right - plot_left - 2 * INSET) / (count - 1)
        xs = [plot_left + INSET + i * spacing for i in range(count)]

    def y_of(value: float) -> float:
        return plot_bottom - PLOT_HEIGHT * min(max(value, 0.0), max_value) / max_value

    ys = [y_of(v) for v in values]

    # Grid and y axis labels.
    grid: list[Markup] = []
    for level in (0, 0.25, 0.5, 0.75, 1.0):
        y = plot_bottom - PLOT_HEIGHT * level
        grid.append(
            el(
                "line",
                {
                    "x1": plot_left,
                    "y1": y,
                    "x2": plot_right,
                    "y2": y,
                    "stroke": "#adb5bd" if level == 0 else GRID,
                    "stroke-width": 1,
                },
            )
        )
        grid.append(
            text(
                plot_left - 6,
                y + 4,
                fmt_value(max_value * level, lang),
                size=11,
                fill=TEXT_MUTED,
                anchor="end",
            )
        )

    # X labels: horizontal when they fit, slanted otherwise, thinned out when too dense.
    shown_labels = [truncate(label, X_LABEL_MAX, X_LABEL_SIZE) for label in labels]
    widest = max(text_width(label, X_LABEL_SIZE) for label in shown_labels)
    slanted = count > 1 and widest > spacing - 8
    # Slanted labels are spacing * sin(SLANT) apart, measured across their lines.
    across = spacing * math.sin(math.radians(SLANT))
    step = max(1, math.ceil((X_LABEL_SIZE + 2) / across)) if slanted else 1
    x_labels: list[Markup] = []
    baseline = plot_bottom + 8 + X_LABEL_SIZE
    for index, (x, label) in enumerate(zip(xs, shown_labels, strict=True)):
        if (count - 1 - index) % step:
            continue
        if slanted:
            x_labels.append(
                text(
                    x + 4,
                    baseline - 4,
                    label,
                    size=X_LABEL_SIZE,
                    fill=TEXT,
                    anchor="end",
                    transform=f"rotate(-{SLANT} {x + 4:.1f} {baseline - 4:.1f})",
                    full=labels[index],
                )
            )
        else:
            x_labels.append(
                text(
                    x,
                    baseline,
                    label,
                    size=X_LABEL_SIZE,
                    fill=TEXT,
                    anchor="middle",
                    full=labels[index],
                )
            )
    min_x = 0.0
    if slanted:
        drop = widest * math.sin(math.radians(SLANT)) + X_LABEL_SIZE
        bottom = baseline - 4 + drop + 6
        first = next(i for i in range(count) if (count - 1 - i) % step == 0)
        reach = text_width(shown_labels[first], X_LABEL_SIZE) * math.cos(math.radians(SLANT))
        min_x = min(0.0, xs[first] + 4 - reach - 4)
    else:
        bottom = baseline + 8

    # Line, area, dots.
    series: list[Markup] = []
    if count > 1:
        area = [(xs[0], plot_bottom), *zip(xs, ys, strict=True), (xs[-1], plot_bottom)]
        series.append(
            el(
                "polygon",
                {"points": points_attr(area), "fill": PRIMARY, "fill-opacity": 0.1},
            )
        )
        series.append(
            el(
                "polyline",
                {
                    "points": points_attr(list(zip(xs, ys, strict=True))),
                    "fill": "none",
                    "stroke": PRIMARY,
                    "stroke-width": 2.5,
                    "stroke-linejoin": "round",
                    "stroke-linecap": "round",
                    "class": "trend-line",
                },
            )
        )
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        latest = index == count - 1
        series.append(
            el(
                "circle",
                {
                    "cx": x,
                    "cy": y,
                    "r": 5 if latest else 4.5,
                    "fill": PRIMARY if latest else WHITE,
                    "stroke": PRIMARY,
                    "stroke-width": 2.5,
                    "class": "trend-point",
                },
            )
        )

    # Value labels above the dots (only first, last, min and max when too dense).
    shown_values = [fmt_value(v, lang) for v in values]
    widest_value = max(text_width(v, VALUE_SIZE, bold=True) for v in shown_values)
    if count > 1 and widest_value + 6 > spacing:
        keep = {0, count - 1, values.index(min(values)), values.index(max(values))}
    else:
        keep = set(range(count))
    value_labels: list[Markup] = []
    for index in sorted(keep):
        x, y = xs[index], ys[index]
        width = text_width(shown_values[index], VALUE_SIZE, bold=True) + 6
        value_labels.append(
            group(
                [
                    el(
                        "rect",
                        {
                            "x": x - width / 2,
                            "y": y - 26,
                            "width": width,
                            "height": 17,
                            "rx": 3,
                            "fill": WHITE,
                            "fill-opacity": 0.9,
                        },
                    ),
                    text(
                        x,
                        y - 13,
                        shown_values[index],
                        size=VALUE_SIZE,
                        fill=TEXT,
                        anchor="middle",
                        weight="bold",
                    ),
                ],
                {"class": "trend-value"},
            )
        )

    # Text summary.
    key = "count" if count == 1 else "count_plural"
    summary = [
        phrases[key].format(n=count),
        phrases["scale"].format(max=fmt_value(max_value, lang))
        + phrases["sep"]
        + " ; ".join(
            f"{label}{phrases['sep']}{value}"
            for label, value in zip(labels, shown_values, strict=True)
        )
        + ".",
    ]
    latest_text = phrases["latest"].format(value=shown_values[-1])
    if count > 1:
        delta = values[-1] - values[0]
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        latest_text += phrases["change"].format(sign=sign, delta=fmt_value(abs(delta), lang))
    summary.append(latest_text + ".")

    return svg_document(
        kind="trend",
        width=WIDTH - min_x,
        height=bottom,
        min_x=min_x,
        title=title,
        desc=" ".join(summary),
        body=[
            group(grid, {"class": "trend-grid"}),
            group(x_labels, {"class": "trend-x-labels"}),
            group(series, {"class": "trend-series"}),
            group(value_labels, {"class": "trend-values"}),
        ],
        lang=lang,
    )
