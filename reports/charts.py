"""Server-rendered SVG charts: they need no JavaScript, print, and render in the PDF.

Each chart carries <title> and <desc> (role="img", aria-labelledby) so screen readers
announce what it shows; the tables next to the charts hold the same numbers.
"""

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
