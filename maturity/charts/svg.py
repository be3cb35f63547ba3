"""Tiny helpers shared by the chart modules: escaping, number formatting, element building.

Every chart is a plain string of SVG markup built here, with no third-party library, so the
same string can be inlined in an HTML page (under a strict Content-Security-Policy: no
``<script>``, no event handler, no ``style`` attribute) and in a WeasyPrint PDF.

Safety rule: untrusted text never reaches the output unescaped. :func:`el` escapes every
attribute value and every child that is a plain ``str``; only :class:`Markup` (what
:func:`el` itself returns) is inserted as is.

Layout helpers (:func:`text_width`, :func:`wrap`, :func:`truncate`) *estimate* text widths
from rough per-character metrics of common sans-serif fonts, slightly on the wide side so
that labels do not overflow whichever font the reader's device picks.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

Language = Literal["fr", "en"]

# Palette, close to Bootstrap 5.
PRIMARY = "#0d6efd"
PRIMARY_LIGHT = "#cfe2ff"
PRIMARY_DARK = "#052c65"
SUCCESS = "#198754"
WARNING = "#ffc107"
SECONDARY = "#6c757d"
PURPLE = "#6f42c1"
GRID = "#dee2e6"
LIGHT = "#f8f9fa"
LIGHT_GREY = "#e9ecef"
TEXT = "#212529"
TEXT_MUTED = "#495057"
WHITE = "#ffffff"

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

AttrValue = str | int | float | None

# Characters that XML 1.0 forbids (C0 controls except tab/newline/CR, surrogates, U+FFFE/F).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9:_-]*$")


class Markup(str):
    """A string of SVG markup that is already safe to insert as is."""

    __slots__ = ()


def escape(text: str) -> str:
    """Escape ``text`` for XML text or attribute values; drop characters XML forbids."""
    text = _INVALID_XML.sub("", str(text))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


# Only ASCII whitespace: str.split() would also break on U+00A0 and U+202F, the no-break
# spaces French needs before ? ! : ; and %, and let a label wrap before its punctuation.
_ASCII_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")


def clean(text: str) -> str:
    """Collapse ASCII whitespace (newlines included) to single spaces and strip the ends."""
    return _ASCII_WHITESPACE.sub(" ", str(text)).strip(" ")


def num(value: float) -> str:
    """Format a coordinate or length: at most one decimal, no trailing ``.0``, never ``-0``."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def fmt_value(value: float, lang: Language = "fr") -> str:
    """Format a score for display: at most one decimal, decimal comma in French."""
    text = num(value)
    return text.replace(".", ",") if lang == "fr" else text


def el(tag: str, attrs: Mapping[str, AttrValue] | None = None, *children: str) -> Markup:
    """Build one element.

    Attribute values are escaped (numbers go through :func:`num`; ``None`` drops the
    attribute). Children that are :class:`Markup` are inserted as is, plain strings are
    escaped. An element without children is self-closed.
    """
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        if not _ATTR_NAME.match(name) or name.lower().startswith("on") or name == "style":
            raise ValueError(f"refused attribute name: {name!r}")
        shown = num(value) if isinstance(value, int | float) else str(value)
        parts.append(f'{name}="{escape(shown)}"')
    head = " ".join(parts)
    if not children:
        return Markup(f"<{head}/>")
    inner = "".join(c if isinstance(c, Markup) else escape(c) for c in children)
    return Markup(f"<{head}>{inner}</{tag}>")


def group(children: Iterable[str], attrs: Mapping[str, AttrValue] | None = None) -> Markup:
    """A ``<g>`` around ``children`` (an empty string when there are none)."""
    items = list(children)
    return el("g", attrs, *items) if items else Markup("")


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 13,
    fill: str = TEXT,
    anchor: Literal["start", "middle", "end"] = "start",
    weight: str | None = None,
    cls: str | None = None,
    transform: str | None = None,
    full: str | None = None,
) -> Markup:
    """A one-line ``<text>``; ``y`` is the baseline.

    ``full`` (the untruncated text) is added as a ``<title>`` child, i.e. a tooltip, when it
    differs from ``content``.
    """
    attrs: dict[str, AttrValue] = {
        "x": x,
        "y": y,
        "font-size": size,
        "fill": fill,
        "text-anchor": None if anchor == "start" else anchor,
        "font-weight": weight,
        "class": cls,
        "transform": transform,
    }
    children: list[str] = [content]
    if full is not None and clean(full) != content:
        children.insert(0, el("title", None, clean(full)))
    return el("text", attrs, *children)


def points_attr(points: Sequence[tuple[float, float]]) -> str:
    """The value of a ``points`` attribute: ``"x1,y1 x2,y2 ..."``."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in points)


# --- Text metrics (estimates) --------------------------------------------------------------

_NARROW = set("ijlI.,:;'|!`")
_SEMI = set('frt()[]{}/\\-" ')
_WIDE = set("mwMW@%")
_CAPS_MEDIUM = set("ABCDEFGHKNOPQRUVXYZ&")


def _char_em(char: str) -> float:
    base = unicodedata.normalize("NFD", char)[:1] or char
    if base in _NARROW:
        return 0.3
    if base in _SEMI:
        return 0.38
    if base in _WIDE:
        return 0.92
    if base in _CAPS_MEDIUM:
        return 0.72
    if base.isupper():
        return 0.64
    if base.isdigit():
        return 0.62
    if unicodedata.east_asian_width(base) in ("W", "F"):
        return 1.0
    return 0.6


def text_width(content: str, size: float, *, bold: bool = False) -> float:
    """Estimated rendered width of ``content`` at font size ``size`` (a little generous)."""
    width = sum(_char_em(c) for c in content) * size
    return width * (1.12 if bold else 1.0)


def truncate(content: str, max_width: float, size: float, *, bold: bool = False) -> str:
    """``content`` shortened with an ellipsis so that it fits in ``max_width``."""
    content = clean(content)
    if text_width(content, size, bold=bold) <= max_width:
        return content
    original = content
    while content and text_width(content + "…", size, bold=bold) > max_width:
        content = content[:-1]
    # Prefer cutting between words when that keeps most of what fits.
    if " " in content and original[len(content) : len(content) + 1] != " ":
        at_word = content.rsplit(" ", 1)[0]
        if len(at_word) >= 0.6 * len(content):
            content = at_word
    return content.rstrip(" ,;:-–&") + "…"


def wrap(
    content: str, max_width: float, size: float, *, max_lines: int = 2, bold: bool = False
) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines of at most ``max_width``.

    A word too long for a line is cut with an ellipsis; text that does not fit in
    ``max_lines`` lines ends the last line with an ellipsis. Always returns at least one line.
    """
    lines: list[str] = []
    current = ""
    for word in clean(content).split(" "):
        candidate = f"{current} {word}" if current else word
        if not current or text_width(candidate, size, bold=bold) <= max_width:
            current = candidate
            continue
        head, _, last = current.rpartition(" ")
        moved = f"{last} {word}"
        lone_symbol = head and len(last) == 1 and not last.isalnum()
        if lone_symbol and text_width(moved, size, bold=bold) <= max_width:
            # Never leave a lone symbol ("&", "-", ":") at the end of a line.
            lines.append(head)
            current = moved
            continue
        lines.append(current)
        current = word
    lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], rest]
    return [truncate(line, max_width, size, bold=bold) for line in lines]


# --- Colours -------------------------------------------------------------------------------


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``"#0d6efd"`` -> ``(13, 110, 253)``."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    """``(13, 110, 253)`` -> ``"#0d6efd"`` (channels rounded and clamped to 0..255)."""
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str, *, dark: str = TEXT) -> str:
    """``dark`` text or white, whichever contrasts more with ``background``.

    With ``dark="#000000"`` the result always reaches WCAG AA's 4.5:1 for normal text.
    """
    return WHITE if contrast_ratio(WHITE, background) > contrast_ratio(dark, background) else dark


# --- The root element ----------------------------------------------------------------------


def svg_document(
    *,
    kind: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: Iterable[str],
    lang: Language = "fr",
    min_x: float = 0,
    min_y: float = 0,
) -> str:
    """The complete, accessible ``<svg>`` element of a chart.

    ``role="img"`` with ``<title>`` and ``<desc>`` referenced by ``aria-labelledby`` and
    ``aria-describedby``. Their ids derive from a hash of the content, so they are stable for
    the same input and (almost surely) distinct between different charts on one page.
    """
    items = [c if isinstance(c, Markup) else Markup(escape(c)) for c in body]
    title = clean(title)
    desc = clean(desc)
    digest = hashlib.sha256(
        "\x1f".join([kind, title, desc, *items]).encode("utf-8", "surrogatepass")
    ).hexdigest()[:10]
    chart_id = f"chart-{kind}-{digest}"
    root = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"{num(min_x)} {num(min_y)} {num(width)} {num(height)}",
        "width": "100%",
        "preserveAspectRatio": "xMidYMid meet",
        "role": "img",
        "aria-labelledby": f"{chart_id}-title",
        "aria-describedby": f"{chart_id}-desc",
        "lang": lang,
        "class": f"maturity-chart maturity-chart-{kind}",
        "font-family": FONT_FAMILY,
        "fill": TEXT,
    }
    return str(
        el(
            "svg",
            root,
            el("title", {"id": f"{chart_id}-title"}, title),
            el("desc", {"id": f"{chart_id}-desc"}, desc),
            *items,
        )
    )
