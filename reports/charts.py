"""Server-rendered SVG charts: they need no JavaScript, print, and render in the PDF.

Each chart carries <title> and <desc> (role="img", aria-labelledby) so screen readers
announce what it shows; the tables next to the charts hold the same numbers.
"""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1")
FONT = 'font-family="Noto Sans SC, sans-serif"'


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(int(value))) - 1)
    return ((int(value) + step - 1) // step) * step


def line_chart(*, title: str, labels: list[str], series: list[tuple[str, list[int]]], uid: str):
    """A trend line per series over the labels (months)."""
    width, height, left, right, top, bottom = 640, 260, 44, 16, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((v for _, values in series for v in values), default=0))
    count = max(len(labels), 1)
    step = plot_w / max(count - 1, 1)

    def x(i):
        return left + i * step

    def y(v):
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" class="report-chart">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">'
        + escape(
            "; ".join(
                f"{name}: "
                + ", ".join(f"{lab} {v}" for lab, v in zip(labels, values, strict=False))
                for name, values in series
            )
        )
        + "</desc>",
    ]
    for tick in range(0, 5):
        value = peak * tick / 4
        ty = y(value)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'{FONT} fill="#555">{int(value)}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10" {FONT} fill="#555">{escape(label[2:])}</text>'
        )
    for index, (name, values) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{points}"/>'
        )
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"/>')
        lx = left + index * 150
        parts.append(
            f'<rect x="{lx}" y="{height - 16}" width="12" height="4" fill="{color}"/>'
            f'<text x="{lx + 16}" y="{height - 11}" font-size="11" {FONT} fill="#222">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(*, title: str, rows: list[tuple[str, int]], uid: str, color: str = PALETTE[0]):
    """Horizontal bars, one per row (label, value), largest first as given."""
    rows = rows[:15]
    bar_h, gap, left, right, top = 18, 8, 130, 48, 8
    width = 640
    height = top * 2 + max(len(rows), 1) * (bar_h + gap)
    peak = max((v for _, v in rows), default=0) or 1
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" class="report-chart">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">' + escape("; ".join(f"{lab} {v}" for lab, v in rows)) + "</desc>",
    ]
    for i, (label, value) in enumerate(rows):
        by = top + i * (bar_h + gap)
        bw = plot_w * value / peak
        short = label if len(label) <= 9 else label[:8] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{by + 13}" text-anchor="end" font-size="12" {FONT} '
            f'fill="#222">{escape(short)}</text>'
            f'<rect x="{left}" y="{by}" width="{bw:.1f}" height="{bar_h}" fill="{color}" rx="2"/>'
            f'<text x="{left + bw + 6:.1f}" y="{by + 13}" font-size="12" {FONT} '
            f'fill="#222">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# From no issue to the most issues of the month: pale yellow to deep red (ColorBrewer YlOrRd).
HEAT = ("#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026")


# The narrowest stretch a heat map shows, in degrees (about 500 m east to west).
MIN_SPAN = 0.0045


def _heat(value: int, peak: int) -> str:
    if value <= 0 or peak <= 0:
        return "#d9dde2"
    return HEAT[min(len(HEAT) - 1, math.ceil(len(HEAT) * value / peak) - 1)]


def heat_map(*, title: str, places: list[tuple], uid: str, unit: str, nothing: str):
    """Issues per compound on a plan of the compounds: `places` are (label, latitude,
    longitude, issues). Each compound is a disc where it stands, its colour and size
    growing with its issues; the compounds with most issues are named. The projection is
    equirectangular around the places' middle (a street spans a few kilometres, where the
    earth is flat). Returns "" without places that have a position."""
    placed = [p for p in places if p[1] is not None and p[2] is not None]
    if not placed:
        return ""
    width, pad, legend_h = 640, 40, 34
    lats = [p[1] for p in placed]
    lngs = [p[2] for p in placed]
    mid = math.radians((min(lats) + max(lats)) / 2)
    xs = [lng * math.cos(mid) for lng in lngs]
    # At least half a kilometre across, centred on the places: one compound alone stands
    # in the middle of its neighbourhood, not in a corner.
    span_x = max(max(xs) - min(xs), MIN_SPAN)
    span_y = max(max(lats) - min(lats), MIN_SPAN / 2)
    west = (min(xs) + max(xs) - span_x) / 2
    north = (min(lats) + max(lats) + span_y) / 2
    # As tall as the places' spread needs, between a strip and a square-ish plan.
    plot_w = width - 2 * pad
    plot_h = min(max(plot_w * span_y / span_x, 120), 320)
    height = round(plot_h + 2 * pad + legend_h)
    scale = min(plot_w / span_x, plot_h / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - legend_h - span_y * scale) / 2

    def project(lat, lng):
        return (
            off_x + (lng * math.cos(mid) - west) * scale,
            off_y + (north - lat) * scale,
        )

    peak = max(p[3] for p in placed)
    named = {p[0] for p in sorted(placed, key=lambda p: -p[3])[:10] if p[3] > 0}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" class="report-chart '
        f'report-heat-map">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">'
        + escape("; ".join(f"{label} {n}" for label, _lat, _lng, n in placed))
        + "</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height - legend_h}" fill="#f4f6f8" rx="6"/>',
    ]
    # Quietest first, so the busiest compounds are drawn on top.
    for label, lat, lng, n in sorted(placed, key=lambda p: p[3]):
        x, y = project(lat, lng)
        radius = 6 + (16 * math.sqrt(n / peak) if peak and n else 0)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{_heat(n, peak)}" '
            f'fill-opacity="0.9" stroke="#5b6570" stroke-width="0.8"/>'
        )
        if n:
            parts.append(
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
                f'font-weight="700" {FONT} fill="{"#fff" if _heat(n, peak) in HEAT[3:] else "#222"}">{n}</text>'
            )
        if label in named:
            parts.append(
                f'<text x="{x:.1f}" y="{y + radius + 13:.1f}" text-anchor="middle" '
                f'font-size="11" {FONT} fill="#222">{escape(label)}</text>'
            )
    # The legend: the colour steps, from none to the month's most.
    ly = height - legend_h + 2
    parts.append(
        f'<circle cx="14" cy="{ly + 6}" r="6" fill="#d9dde2" stroke="#5b6570" stroke-width="0.8"/>'
        f'<text x="24" y="{ly + 10}" font-size="11" {FONT} fill="#222">{escape(nothing)}</text>'
    )
    step_w, x = 44, 150
    for index, colour in enumerate(HEAT):
        # The counts _heat gives this colour: above index/5 of the peak, up to (index+1)/5.
        low = math.floor(peak * index / len(HEAT)) + 1
        high = math.floor(peak * (index + 1) / len(HEAT))
        if low > high:
            continue
        parts.append(
            f'<rect x="{x}" y="{ly}" width="{step_w}" height="12" fill="{colour}" '
            f'stroke="#5b6570" stroke-width="0.5"/>'
            f'<text x="{x + step_w / 2}" y="{ly + 24}" text-anchor="middle" font-size="10" '
            f'{FONT} fill="#222">{low if low == high else f"{low}–{high}"}</text>'
        )
        x += step_w + 4
    parts.append(
        f'<text x="{x + 6}" y="{ly + 10}" font-size="11" {FONT} fill="#222">{escape(unit)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))
