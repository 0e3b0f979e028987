"""What every module's forms share."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired

REQUIRED = InputRequired(message=_l("Campo obbligatorio."))


class CsrfForm(FlaskForm):
    """Only the CSRF token: one-button actions, and grids whose fields the view reads itself."""
