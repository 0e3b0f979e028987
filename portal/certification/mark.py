"""The Bollino Blu mark, drawn here as SVG: a blue seal with its name around a check mark.

Each letter of the ring is placed and turned on its own (no `textPath`), so that WeasyPrint
draws it in the certificate PDF exactly as a browser draws it on the web pages.
"""

import math
from base64 import b64encode
from xml.sax.saxutils import escape

BLUE = "#0066cc"
NAVY = "#003366"
GOLD = "#b8860b"  # the outer ring of the mark "con distinzione"
CENTRE = 100


# Relative widths of the capitals that differ most from the average: the ring spaces letters by width.
WIDTHS = {"I": 0.45, "L": 0.8, " ": 0.6, "M": 1.25, "W": 1.3}


def _ring(text: str, radius: float, size: float, top: bool, spacing: float) -> str:
    """Letters of `text` along the upper arc (reading left to right, upright) or the lower one."""
    widths = [WIDTHS.get(char, 1.0) * spacing * size / radius for char in text]  # radians per letter
    angle = -sum(widths) / 2
    letters = []
    for char, width in zip(text, widths, strict=True):
        middle = angle + width / 2
        angle += width
        if char == " ":
            continue
        if top:
            x, y, turn = CENTRE + radius * math.sin(middle), CENTRE - radius * math.cos(middle), math.degrees(middle)
        else:
            x, y, turn = CENTRE + radius * math.sin(middle), CENTRE + radius * math.cos(middle), -math.degrees(middle)
        letters.append(f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({turn:.2f} {x:.2f} {y:.2f})" '
                       f'text-anchor="middle">{escape(char)}</text>')
    return "".join(letters)


def bollino_svg(distinction: bool = False, label: str = "") -> str:
    """The mark as a standalone SVG document; `label` (e.g. the edition) goes under the check mark."""
    ring = GOLD if distinction else NAVY
    bottom = "CON DISTINZIONE" if distinction else "ASSOCONTACT"
    caption = (f'<text x="100" y="139" text-anchor="middle" font-size="11" font-weight="700" fill="{NAVY}">'
               f"{escape(label)}</text>") if label else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200" role="img" '
        'aria-label="Bollino Blu">'
        f'<circle cx="100" cy="100" r="99" fill="{ring}"/>'
        f'<circle cx="100" cy="100" r="92" fill="{BLUE}"/>'
        '<circle cx="100" cy="100" r="89" fill="none" stroke="#ffffff" stroke-width="1.2"/>'
        '<circle cx="100" cy="100" r="58" fill="#ffffff"/>'
        f'<circle cx="100" cy="100" r="54" fill="none" stroke="{BLUE}" stroke-width="2"/>'
        '<g font-family="Titillium Web, Helvetica, Arial, sans-serif" font-weight="700" fill="#ffffff">'
        f'<g font-size="19">{_ring("BOLLINO BLU", 68, 19, True, 0.78)}</g>'
        f'<g font-size="12">{_ring(bottom, 82, 12, False, 0.82)}</g></g>'
        '<circle cx="27" cy="100" r="3" fill="#ffffff"/><circle cx="173" cy="100" r="3" fill="#ffffff"/>'
        f'<path d="M 72,98 L 91,117 L 129,77" fill="none" stroke="{BLUE}" stroke-width="12" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        f'<g font-family="Titillium Web, Helvetica, Arial, sans-serif">{caption}</g>'
        "</svg>"
    )


def bollino_data_uri(distinction: bool = False, label: str = "") -> str:
    """The mark for an `<img src>` (the pages' CSP allows data: images; WeasyPrint reads them too)."""
    return "data:image/svg+xml;base64," + b64encode(bollino_svg(distinction, label).encode()).decode()
