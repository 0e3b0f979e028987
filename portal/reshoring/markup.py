"""Markdown typed by users, rendered to safe HTML.

Raw HTML in the source is not interpreted (it stays visible text), and the rendered HTML goes
through nh3's allow-list as a second line of defence (e.g. `javascript:` links).
"""

import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4", "h5", "hr", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


_local = threading.local()  # a Markdown instance is costly to build and not thread-safe: one per thread


def _converter() -> markdown.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["sane_lists", "tables"])
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        _local.converter = converter
    return converter.reset()


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = _converter().convert(text)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"}))
