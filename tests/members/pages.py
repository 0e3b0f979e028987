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


def selected_value(response, field: str) -> str | None:
    """The option a select shows as chosen."""
    select = re.search(rf'<select[^>]*\bid="{re.escape(field)}".*?</select>', response.get_data(as_text=True), re.S)
    option = re.search(r'<option[^>]*\bselected\b[^>]*\bvalue="([^"]*)"|<option[^>]*\bvalue="([^"]*)"[^>]*\bselected\b',
                       select.group(0)) if select else None
    return html.unescape(option.group(1) or option.group(2)) if option else None


def link_in(message) -> str:
    """The path of the portal link in an e-mail (its host is PUBLIC_BASE_URL)."""
    return re.search(r"http://localhost(/\S+)", message.get_content()).group(1)
