"""Charts drawn on the server as SVG: bars, a line with last year's line, horizontal bars.

No JavaScript and nothing from a CDN: each chart is an `<svg role="img">` with a `<title>` and
an aria-label, and every bar or point carries its own `<title>` (a tooltip). The page shows the
same numbers in a table beside the chart, for screen readers, keyboards and print. Values are
integers (cents or counts); negative values are drawn as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: series colours with at least 3:1 contrast on white; the previous year is grey and dashed
PALETTE = ("#1f6f3f", "#2f5f98", "#a4560b", "#7a4b94", "#8a2f3f", "#3d6b6b")
PREVIOUS = "#6b6f73"
WIDTH = 520
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 80, 12, 16, 44
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#1d2327"'

Formatter = Callable[[int], str]


@dataclass(frozen=True)
class Series:
    """One named row of values, one value per label."""

    name: str
    values: Sequence[int]


def nice_maximum(largest: int) -> int:
    """Return the top of the axis: a round number at least `largest` (1, 2, 2.5, 3 … 8 × 10ⁿ)."""
    if largest <= 0:
        return 1
    power = 1
    while power * 10 < largest:
        power *= 10
    for tenths in (10, 20, 25, 30, 40, 50, 60, 80):
        candidate = tenths * power // 10
        if candidate * 10 == tenths * power and candidate >= largest:
            return candidate
    return 10 * power


def tick_count(maximum: int) -> int:
    """Return how many equal steps (5 to 1) divide the axis into the roundest whole numbers."""

    def zeros(number: int) -> int:
        return len(str(number)) - len(str(number).rstrip("0"))

    steps = [count for count in (5, 4, 3, 2, 1) if maximum % count == 0]
    return max(steps, key=lambda count: zeros(maximum // count))


def svg_open(title: str, width: int, height: int) -> str:
    """Start an accessible SVG: role img, aria-label and title say what it shows."""
    label = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{label}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{label}</title>'
    )


def y_axis(maximum: int, plot_height: int, fmt: Formatter, width: int = WIDTH) -> list[str]:
    """Draw the grid lines with their values, from zero to the top of the axis."""
    parts = ['<g class="grid">']
    steps = tick_count(maximum)
    for step in range(steps + 1):
        value = maximum * step // steps
        y = TOP + plot_height - plot_height * step / steps
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#c3c4c7" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>'
            f"{escape(fmt(value))}</text>"
        )
    parts.append("</g>")
    return parts


def x_labels(labels: Sequence[str], x_of: Callable[[int], float], plot_height: int) -> list[str]:
    """Write the category labels under the plot, thinned out to about ten."""
    every = max(1, -(-len(labels) // 10))
    parts = ['<g class="labels">']
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{TOP + plot_height + 16}" '
                f'text-anchor="middle" {FONT}>{escape(label)}</text>'
            )
    parts.append("</g>")
    return parts


def legend(names: Sequence[str], colours: Sequence[str], y: float, dashed: int = -1) -> list[str]:
    """Name the series under the chart with their colours (the dashed one as a dashed line)."""
    parts = ['<g class="legend">']
    x = LEFT
    for index, (name, colour) in enumerate(zip(names, colours, strict=True)):
        dash = ' stroke-dasharray="6 4"' if index == dashed else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{y - 4:.1f}" y2="{y - 4:.1f}" stroke="{colour}" '
            f'stroke-width="6"{dash}/><text x="{x + 24}" y="{y:.1f}" {FONT}>{escape(name)}</text>'
        )
        x += 40 + 7 * len(name)
    parts.append("</g>")
    return parts


def bar_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, fmt: Formatter
) -> Markup:
    """Draw vertical bars per label, the series stacked, with a legend when there are several."""
    plot_height = HEIGHT - TOP - BOTTOM
    totals = [sum(max(0, s.values[i]) for s in series) for i in range(len(labels))]
    maximum = nice_maximum(max(totals, default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    bar_width = max(2.0, slot * 0.7)

    def x_of(index: int) -> float:
        return LEFT + slot * index + slot / 2

    parts = [svg_open(title, WIDTH, HEIGHT + (20 if len(series) > 1 else 0))]
    parts += y_axis(maximum, plot_height, fmt)
    parts.append('<g class="bars">')
    for index, label in enumerate(labels):
        base = float(TOP + plot_height)
        for number, row in enumerate(series):
            value = max(0, row.values[index])
            height = plot_height * value / maximum
            if not value:
                continue
            base -= height
            named = f"{label}, {row.name}" if len(series) > 1 else label
            what = f"{named}: {fmt(row.values[index])}"
            parts.append(
                f'<rect x="{x_of(index) - bar_width / 2:.2f}" y="{base:.2f}" '
                f'width="{bar_width:.2f}" height="{height:.2f}" '
                f'fill="{PALETTE[number % len(PALETTE)]}"><title>{escape(what)}</title></rect>'
            )
    parts.append("</g>")
    parts += x_labels(labels, x_of, plot_height)
    if len(series) > 1:
        colours = [PALETTE[n % len(PALETTE)] for n in range(len(series))]
        parts += legend([s.name for s in series], colours, HEIGHT + 8)
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(
    labels: Sequence[str],
    current: Series,
    previous: Series | None = None,
    *,
    title: str,
    fmt: Formatter,
) -> Markup:
    """Draw a line per label, with the previous year's line dashed and grey behind it."""
    plot_height = HEIGHT - TOP - BOTTOM
    rows = [current] + ([previous] if previous is not None else [])
    maximum = nice_maximum(max((max(0, v) for row in rows for v in row.values), default=0))
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels) - 1)

    def x_of(index: int) -> float:
        return LEFT + step * index if len(labels) > 1 else (WIDTH + LEFT - RIGHT) / 2

    def y_of(value: int) -> float:
        return TOP + plot_height - plot_height * max(0, value) / maximum

    parts = [svg_open(title, WIDTH, HEIGHT + 20)]
    parts += y_axis(maximum, plot_height, fmt)
    for row, colour, dash in (
        (previous, PREVIOUS, ' stroke-dasharray="6 4"'),
        (current, PALETTE[0], ""),
    ):
        if row is None:
            continue
        points = " ".join(f"{x_of(i):.2f},{y_of(v):.2f}" for i, v in enumerate(row.values))
        parts.append(
            f'<g class="line"><polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        for index, value in enumerate(row.values):
            what = f"{labels[index]}, {row.name}: {fmt(value)}"
            parts.append(
                f'<circle cx="{x_of(index):.2f}" cy="{y_of(value):.2f}" r="4" fill="{colour}">'
                f"<title>{escape(what)}</title></circle>"
            )
        parts.append("</g>")
    parts += x_labels(labels, x_of, plot_height)
    names = [current.name] + ([previous.name] if previous is not None else [])
    parts += legend(names, [PALETTE[0], PREVIOUS][: len(names)], HEIGHT + 8, dashed=1)
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(
    labels: Sequence[str], values: Sequence[int], *, title: str, fmt: Formatter
) -> Markup:
    """Draw one horizontal bar per label, longest scale first as given, the value at its end."""
    row_height, label_width, value_room = 28, 180, 90
    height = TOP + row_height * max(1, len(labels)) + 8
    room = WIDTH - label_width - value_room
    maximum = max((max(0, value) for value in values), default=0) or 1
    parts = [svg_open(title, WIDTH, height), '<g class="bars">']
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + row_height * index
        width = room * max(0, value) / maximum
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" {FONT}>'
            f"{escape(shown)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{width:.2f}" height="{row_height - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(f"{label}: {fmt(value)}")}</title></rect>'
            f'<text x="{label_width + width + 6:.2f}" y="{y + 17}" {FONT}>'
            f"{escape(fmt(value))}</text>"
        )
    parts.append("</g></svg>")
    return Markup("".join(parts))
