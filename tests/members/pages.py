"""Reading what the portal answered: page text, the error beside a field, links in e-mails."""

import html
import re


def text(response) -> str:
    """The page as the user reads it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str | None:
    """The message shown beside `field` (the element with id `<field>-error`), or None."""
    found = re.search(rf'id="{re.escape(field)}-error"[^>]*>([^<]*)<', response.get_data(as_text=True))
    return html.unescape(found.group(1)).strip() if found else None


def field_value(response, field: str) -> str | None:
    """The value an input shows again after a failed post."""
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field)}"[^>]*>', response.get_data(as_text=True))
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    return html.unescape(value.group(1)) if value else None


def link_in(message) -> str:
    """The path of the portal link in an e-mail (its host is PUBLIC_BASE_URL)."""
    return re.search(r"http://localhost(/\S+)", message.get_content()).group(1)
