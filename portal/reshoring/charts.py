"""Charts of the brief as SVG rendered on the server (pygal), embedded as data URIs.

The same SVG goes into the HTML preview (`<img>`, allowed by the CSP's `img-src data:`) and
into the PDF, where WeasyPrint draws it as vectors.
"""

import base64

import pygal
from pygal.style import Style

STYLE = Style(
    background="white", plot_background="white", foreground="#1a1a1a", foreground_strong="#1a1a1a",
    foreground_subtle="#d9d9d9", font_family="DejaVu Sans, Liberation Sans, sans-serif",
    colors=("#b71c1c", "#e07b00", "#00804a", "#0066cc", "#5c6f82"),
    title_font_size=16, label_font_size=12, major_label_font_size=12, legend_font_size=12, value_font_size=11,
)
BAR_STYLE = Style(**{**STYLE.__dict__, "colors": ("#0066cc",)})
OPTIONS = {"style": STYLE, "js": [], "disable_xml_declaration": True, "legend_at_bottom": True, "show_y_guides": False}


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def shares_chart(title: str, rows: list[dict], series: list[tuple[str, str]]) -> str:
    """A stacked bar per row (level or sector) of the shares of `series` keys: the `<key>_pct` of `brief.with_shares()`."""
    chart = pygal.HorizontalStackedBar(width=760, height=90 + 38 * max(len(rows), 1), range=(0, 100), **OPTIONS)
    chart.title = title
    chart.x_labels = [row.get("label") or row["key"] for row in rows]
    chart.value_formatter = lambda v: f"{v:.1f}%".replace(".", ",")
    for key, label in series:
        chart.add(label, [row[f"{key}_pct"] or 0.0 for row in rows])
    return data_uri(chart.render(is_unicode=True))


def bar_chart(title: str, labels: list[str], values: list[float], series_label: str) -> str:
    options = OPTIONS | {"style": BAR_STYLE}
    chart = pygal.HorizontalBar(width=760, height=90 + 32 * max(len(labels), 1), show_legend=False, print_values=True, **options)
    chart.title = title
    chart.x_labels = labels
    chart.value_formatter = lambda v: f"{v:,.0f}".replace(",", ".")
    chart.add(series_label, values)
    return data_uri(chart.render(is_unicode=True))
