"""What every module's forms share."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.validators import InputRequired

REQUIRED = InputRequired(message=_l("Campo obbligatorio."))


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """`(value, label)` pairs as the choices of a SelectField (WTForms no longer takes plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


class CsrfForm(FlaskForm):
    """Only the CSRF token: one-button actions, and grids whose fields the view reads itself."""
