"""Small server-rendered SVG charts, served as <img>: presentation attributes only, no style
attribute and no script, so they obey the portal's Content-Security-Policy."""

from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

PALETTE = ("#0066cc", "#d1344c", "#008055", "#cc7a00", "#5c2f91", "#00838f", "#6b6b6b", "#a0522d")
WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 36, 96


def _svg(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="Titillium Web, Arial, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold" fill="#1a1a1a">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _axis(low: float, high: float, label) -> tuple[list[str], callable]:
    """Horizontal grid lines with their values; returns the y() scale."""
    span = (high - low) or 1.0
    plot_h = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h - (value - low) / span * plot_h

    body = []
    for step in range(5):
        value = low + span * step / 4
        body.append(f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" stroke="#d9dadb"/>')
        body.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#404040">{escape(label(value))}</text>')
    return body, y


def _legend(names: list[str]) -> list[str]:
    """One row of coloured keys along the bottom edge."""
    body, x = [], LEFT
    for n, name in enumerate(names):
        y = HEIGHT - 10
        body.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"/>')
        body.append(f'<text x="{x + 17}" y="{y}" fill="#1a1a1a">{escape(name)}</text>')
        x += 30 + int(len(name) * 6.5)
    return body


def step_chart(title: str, series: dict[str, list[tuple[date, Decimal]]]) -> str:
    """Euro per minute by effective date, one step line per level (a value holds until the next)."""
    points = [p for values in series.values() for p in values]
    if not points:
        return _svg(title, [f'<text x="{LEFT}" y="{HEIGHT / 2}" fill="#404040">Nessun dato</text>'])
    first = min(d for d, _ in points).toordinal()
    last = max(max(d for d, _ in points).toordinal(), first + 365)
    values = [float(v) for _, v in points]
    low, high = min(values) * 0.95, max(values) * 1.05
    body, y = _axis(low, high, lambda v: f"{v:.3f}".replace(".", ","))

    def x(day: date | int) -> float:
        ordinal = day if isinstance(day, int) else day.toordinal()
        return LEFT + (ordinal - first) / (last - first) * (WIDTH - LEFT - RIGHT)

    for year in range(date.fromordinal(first).year + 1, date.fromordinal(last).year + 1):
        body.append(f'<text x="{x(date(year, 1, 1)):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="#404040">{year}</text>')
    for n, values_of in enumerate(series.values()):
        colour = PALETTE[n % len(PALETTE)]
        ordered = sorted(values_of)
        path = []
        for i, (day, value) in enumerate(ordered):
            end = ordered[i + 1][0].toordinal() if i + 1 < len(ordered) else last
            path.append(f"{'M' if i == 0 else 'L'}{x(day):.1f},{y(float(value)):.1f} L{x(end):.1f},{y(float(value)):.1f}")
            body.append(f'<circle cx="{x(day):.1f}" cy="{y(float(value)):.1f}" r="3" fill="{colour}"/>')
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
    return _svg(title, body + _legend(list(series)))


def _category_label(text: str, centre: float, count: int) -> str:
    """Short labels stand upright; long or many labels are slanted so they never overlap."""
    y = HEIGHT - BOTTOM + 16
    if count <= 8 and len(text) <= 12:
        return f'<text x="{centre:.1f}" y="{y}" text-anchor="middle" fill="#404040">{escape(text)}</text>'
    short = text if len(text) <= 18 else text[:17] + "…"
    return (f'<text x="{centre:.1f}" y="{y}" text-anchor="end" font-size="10" fill="#404040" '
            f'transform="rotate(-35 {centre:.1f} {y})">{escape(short)}</text>')


def bar_chart(title: str, categories: list[str], series: dict[str, list[float | None]]) -> str:
    """Grouped bars of percentages (0-100) per category."""
    body, y = _axis(0.0, 100.0, lambda v: f"{v:.0f} %")
    plot_w = WIDTH - LEFT - RIGHT
    group = plot_w / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    for c, category in enumerate(categories):
        centre = LEFT + group * (c + 0.5)
        body.append(_category_label(category, centre, len(categories)))
        for s, values in enumerate(series.values()):
            value = values[c]
            if value is None:
                continue
            left = LEFT + group * c + group * 0.1 + bar * s
            body.append(
                f'<rect x="{left:.1f}" y="{y(value):.1f}" width="{bar * 0.92:.1f}" height="{y(0) - y(value):.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(category)}: {value:.1f} %</title></rect>'
            )
    return _svg(title, body + _legend(list(series)))
