"""Static SVG bar charts for the site's KPI page: a KPI's trend per week and its figure per warehouse.

Drawn at build time as plain SVG text (no JavaScript, no font or script from
the network), so the published site stays readable offline. A target, when
the blueprint sets one, is drawn as a dashed line; bars on the wrong side of
it are drawn in the warning colour.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 56
BAR, MISS, GRID, INK = "#3f6fb5", "#c0392b", "#d9d9d9", "#333333"


def _fmt(value: float) -> str:
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def bar_chart(title: str, rows: list[tuple[str, float | None]], *, unit: str = "", target: float | None = None,
              direction: str = "at_least", empty: str = "no data in the period") -> str:
    """An SVG document: one bar per (label, value); ``None`` values are left as gaps."""
    values = [v for _, v in rows if v is not None]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" font-family="sans-serif" font-size="11">',
             f"<title>{escape(title)}</title>",
             f'<text x="{LEFT}" y="16" font-size="13" fill="{INK}">{escape(title)}{escape(f" ({unit})") if unit else ""}</text>']
    if not values:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#777777">{escape(empty)}</text>')
        return "\n".join([*parts, "</svg>"]) + "\n"
    top = max([*values, target or 0, 0])
    bottom = min([*values, target or 0, 0])
    if top == bottom:  # all zero: draw them on the axis at the bottom, not at the top
        top = bottom + 1.0
    span = top - bottom
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT

    def y(value: float) -> float:
        return TOP + (top - value) / span * plot_h

    for tick in (bottom, (top + bottom) / 2, top):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{INK}">{_fmt(tick)}</text>')
    step = plot_w / len(rows)
    width = min(max(step * 0.7, 1.0), 48.0)  # a lone week is a bar, not a wall
    for i, (label, value) in enumerate(rows):
        x = LEFT + i * step + (step - width) / 2
        centre = x + width / 2
        if value is not None:
            missed = target is not None and (value < target if direction == "at_least" else value > target)
            y0, y1 = sorted((y(value), y(0)))
            parts.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{width:.1f}" height="{max(y1 - y0, 1):.1f}" '
                         f'fill="{MISS if missed else BAR}"><title>{escape(f"{label}: {_fmt(value)}")}</title></rect>')
            parts.append(f'<text x="{centre:.1f}" y="{y0 - 3:.1f}" text-anchor="middle" fill="{INK}">{_fmt(value)}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" fill="{INK}" '
                     f'transform="rotate(-35 {centre:.1f} {HEIGHT - BOTTOM + 14})">{escape(str(label))}</text>')
    if target is not None:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="{MISS}" '
                     f'stroke-dasharray="5,4"/><text x="{WIDTH - RIGHT}" y="{y(target) - 4:.1f}" text-anchor="end" '
                     f'fill="{MISS}">target {_fmt(target)}</text>')
    return "\n".join([*parts, "</svg>"]) + "\n"


def kpi_charts(kpi) -> dict[str, str]:
    """``{"week": svg, "warehouse": svg}`` for one :class:`~odookit.kpi.compute.KpiResult`."""
    overall = next((t for t in kpi.targets if not t.get("warehouse")), None)
    target = overall["target"] if overall else None
    direction = overall["direction"] if overall else kpi.direction
    empty = kpi.note or "no data in the period"
    charts = {}
    for dim, label in (("week", "per week"), ("warehouse", "per warehouse")):
        rows = [(r["key"], r["value"]) for r in kpi.breakdown.get(dim, [])]
        charts[dim] = bar_chart(f"{kpi.name} {label}", rows, unit=kpi.unit, target=target, direction=direction,
                                empty=empty if kpi.value is None else f"no {dim} breakdown for this KPI")
    return charts
