"""Template helpers that make the accessible markup the easy one (WCAG 2.1 AA, valid HTML).

`templates/macros/forms.html` uses them; templates may too:
- `{% set form = form|id_prefix("doc") %}`: every field of the form gets an id starting with
  "doc-" (labels, help, errors and the error summary follow), so that several forms on one page
  never share an id; the names sent to the server do not change.
- `select_field(field, **attrs)`: a `<select>` whose first option is an empty "Scegli…" when the
  field is required (a required select must start with an empty option).
- `field_kind(field)`: how the form macro lays a field out.
- `{{ value|italian }}` and `<div {{ lang_it() }}>`: text from the database that stays Italian is
  marked `lang="it"` when the page is in English, so screen readers pronounce it as Italian.
- `form_error_count()`: the errors of the forms the page was given (the page title says so).
"""

from flask_babel import get_locale
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup, escape
from wtforms import Field, Form
from wtforms.widgets import ListWidget, Select

ITALIAN = "it"


def id_prefix(form: Form, prefix: str) -> Form:
    """Prefix the ids of every field of `form` (once: a second call with the same prefix does nothing)."""
    if getattr(form, "_id_prefix", None) != prefix:
        for field in form:
            field.id = f"{prefix}-{field.id}"
            field.label.field_id = field.id
        form._id_prefix = prefix
    return form


class _PlaceholderSelect(Select):
    """WTForms' select with an empty first option "Scegli…" (selected when nothing else is)."""

    def __call__(self, field: Field, **kwargs) -> Markup:
        html = super().__call__(field, **kwargs)
        selected = "" if field.data not in (None, "", []) else " selected"
        opening, _tag_end, options = html.partition(">")
        return Markup(f'{opening}><option value=""{selected}>{escape(_("Scegli…"))}</option>{options}')


def select_field(field: Field, **attrs) -> Markup:
    choices = list(field.iter_choices())
    required = bool(field.flags.required) and not getattr(field.widget, "multiple", False)
    if required and choices and choices[0][0] not in ("", None):
        return _PlaceholderSelect()(field, **attrs)
    return field(**attrs)


def field_kind(field: Field) -> str:
    if isinstance(field.widget, ListWidget):
        return "choices"  # radio buttons or check boxes: a fieldset with a legend
    return {"BooleanField": "checkbox", "SelectField": "select", "SelectMultipleField": "select",
            "FileField": "file", "MultipleFileField": "file"}.get(field.type, "text")


def _english() -> bool:
    return str(get_locale() or ITALIAN).split("_")[0] != ITALIAN


def italian(value) -> Markup:
    """Database text that stays Italian, marked as such when the page is in another language."""
    if value is None or value == "" or not _english():
        return escape("" if value is None else value)
    return Markup('<span lang="it">%s</span>') % value


def lang_it() -> Markup:
    """`lang="it"` for an element holding Italian text from the database, on a page in another language."""
    return Markup('lang="it"') if _english() else Markup("")


@pass_context
def form_error_count(context) -> int:
    forms = [value for value in context.values() if isinstance(value, Form)]
    return sum(len(errors) for form in forms for errors in _error_lists(form))


def _error_lists(form: Form):
    for field in form:
        yield field.errors if isinstance(field.errors, list | tuple) else []
    yield getattr(form, "form_errors", [])


FILTERS = {"id_prefix": id_prefix, "italian": italian}
GLOBALS = {"select_field": select_field, "field_kind": field_kind, "lang_it": lang_it, "form_error_count": form_error_count}
