"""Server-side SVG charts: pure Python, no Django, no third-party library.

Each function returns a complete, accessible ``<svg>`` element as a ``str`` (``role="img"``,
``<title>``, ``<desc>``, ``viewBox`` and ``width="100%"``), safe to inline in an HTML page
under a strict Content-Security-Policy and in a WeasyPrint PDF. All text is escaped; the
same input always gives the same string. In a Django template, mark the result safe.
"""

from maturity.charts.bars import bars_svg, radar_readable
from maturity.charts.distribution import distribution_svg
from maturity.charts.heatmap import heat_colour, heatmap_svg
from maturity.charts.ladder import ladder_svg
from maturity.charts.radar import Series, radar_svg
from maturity.charts.trend import trend_svg

__all__ = [
    "Series",
    "bars_svg",
    "distribution_svg",
    "heat_colour",
    "heatmap_svg",
    "ladder_svg",
    "radar_readable",
    "radar_svg",
    "trend_svg",
]
