from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

REQUIRED = InputRequired(message=_l("Campo obbligatorio."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


class AccessibilityReportForm(FlaskForm):
    name = StringField(_l("Nome (facoltativo)"), validators=[Optional(), Length(max=120)], filters=[strip])
    email = EmailField(_l("E-mail per la risposta"), validators=[REQUIRED, Email(message=_l("Indirizzo e-mail non valido.")),
                                                                  Length(max=254)], filters=[strip])
    page = StringField(_l("Pagina (indirizzo o titolo, facoltativo)"), validators=[Optional(), Length(max=500)], filters=[strip])
    description = TextAreaField(_l("Il problema"), validators=[REQUIRED, Length(max=5000)], filters=[strip],
                                description=_l("Che cosa stavi cercando di fare, che cosa è successo, quale "
                                               "tecnologia assistiva usi (se ne usi una)."))
