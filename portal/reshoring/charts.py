"""Charts of the brief as SVG rendered on the server (pygal), embedded as data URIs.

The same SVG goes into the HTML preview (`<img>`, allowed by the CSP's `img-src data:`) and
into the PDF, where WeasyPrint draws it as vectors. Every bar prints its value, formatted by
`portal.formatting.number` with the digits its table uses, so a chart never says 226 where the
table says 225,5; labels and legends are never truncated (pygal cuts them by default).
"""

import base64

import pygal
from pygal.style import Style

from portal.formatting import number

STYLE = Style(
    background="white", plot_background="white", foreground="#1a1a1a", foreground_strong="#1a1a1a",
    foreground_subtle="#d9d9d9", font_family="DejaVu Sans, Liberation Sans, sans-serif",
    colors=("#b71c1c", "#e07b00", "#00804a", "#0066cc", "#5c6f82"),
    title_font_size=15, label_font_size=12, major_label_font_size=12, legend_font_size=12, value_font_size=11,
)
BAR_STYLE = Style(**{**STYLE.__dict__, "colors": ("#0066cc",)})
# Every bar prints its value, so the value axis and its guides would only repeat it (and crowd the labels).
OPTIONS = {"style": STYLE, "js": [], "disable_xml_declaration": True, "legend_at_bottom": True, "show_y_guides": False,
           "show_x_guides": False, "truncate_label": -1, "truncate_legend": -1}
HORIZONTAL = OPTIONS | {"show_x_labels": False}  # pygal swaps the axes of horizontal charts: this hides the value axis
VERTICAL = OPTIONS | {"show_y_labels": False}


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def shares_chart(title: str, rows: list[tuple[str, dict]], series: list[tuple[str, str]]) -> str:
    """A stacked bar per row: `(label, {series key: percent})`; the label says how much the bar stands for
    (lists, companies), so a level resting on 4 rates never looks like one resting on 39,514."""
    chart = pygal.HorizontalStackedBar(width=760, height=110 + 40 * max(len(rows), 1), range=(0, 100), print_values=True,
                                       print_zeroes=False, **HORIZONTAL)
    chart.title = title
    rows = rows[::-1]  # pygal draws the first row at the bottom: the chart reads top-down like its table
    chart.x_labels = [label for label, _shares in rows]
    chart.value_formatter = lambda v: number(v, 1) + " %" if v >= 8 else ""  # a narrow slice has no room for its label
    for key, label in series:
        chart.add(label, [float(shares[key] or 0) for _label, shares in rows])
    return data_uri(chart.render(is_unicode=True))


def bar_chart(title: str, labels: list[str], values: list, digits: int = 0) -> str:
    """One horizontal bar per label with its value printed, rounded as the table beside it rounds it."""
    chart = pygal.HorizontalBar(width=760, height=90 + 32 * max(len(labels), 1), show_legend=False, print_values=True,
                                **HORIZONTAL | {"style": BAR_STYLE})
    chart.title = title
    chart.x_labels = labels[::-1]  # top-down, like the table beside it
    chart.value_formatter = lambda v: number(v, digits)
    chart.add(title, [float(v) if v is not None else None for v in values][::-1])
    return data_uri(chart.render(is_unicode=True))


def column_chart(title: str, labels: list[str], values: list, digits: int = 0) -> str:
    """Vertical bars over time (quarters), each with its value; a None value leaves its slot empty."""
    chart = pygal.Bar(width=760, height=300, show_legend=False, print_values=True, x_label_rotation=0,
                      **VERTICAL | {"style": BAR_STYLE})
    chart.title = title
    chart.x_labels = labels
    chart.value_formatter = lambda v: number(v, digits)
    chart.add(title, [float(v) if v is not None else None for v in values])
    return data_uri(chart.render(is_unicode=True))
