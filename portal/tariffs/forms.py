from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.inputs import DateField
from portal.tariffs.lookup import UPLIFT_COMPONENTS
from portal.tariffs.models import SECTORS, UPLIFT_LABELS
from portal.tariffs.rates import LEVEL_LABELS, LEVELS, Unit
from portal.tariffs.reader import CellError, parse_amount

REQUIRED = InputRequired(message=_l("Campo obbligatorio."))
DATE_MESSAGE = _l("Indica una data valida.")

UNIT_LABELS = {
    Unit.MINUTO: _l("euro al minuto"),
    Unit.ORA: _l("euro all'ora"),
    Unit.CONTATTO: _l("euro per contatto gestito"),
    Unit.FTE_MESE: _l("euro per operatore a tempo pieno al mese (FTE)"),
}


class ItalianDecimalField(StringField):
    """A number typed the Italian way (`1.234,56` or `0,4282`); `.data` is a Decimal or None."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = parse_amount(self.raw)
            except CellError:
                self.data = None
                raise ValueError(_l("Scrivi un numero, con la virgola per i decimali (es. 0,4282).")) from None

    def _value(self):
        return getattr(self, "raw", None) or ("" if self.data is None else str(self.data).replace(".", ","))


def positive(form, field):
    if field.data is not None and field.data <= 0:
        raise ValidationError(_l("Il valore deve essere maggiore di zero."))


def at_most(limit: int, message):
    def check(form, field):
        if field.data is not None and field.data > limit:
            raise ValidationError(message)

    return check


class CalculatorForm(FlaskForm):
    """The public calculator (GET: nothing stored) and, for members, the check to save."""

    class Meta:
        csrf = False  # a GET form: it changes nothing; saving posts it with the page's token

    livello = SelectField(_l("Livello CCNL TLC del personale"), choices=[(lv, LEVEL_LABELS[lv]) for lv in LEVELS],
                          default="3", validators=[REQUIRED],
                          description=_l("Gli operatori di contact center sono di solito ai livelli 2 e 3, i team leader al 4."))
    tariffa = ItalianDecimalField(_l("Tariffa (euro)"), validators=[REQUIRED])
    unita = SelectField(_l("Unità della tariffa"), choices=[(u.value, label) for u, label in UNIT_LABELS.items()],
                        default=Unit.MINUTO.value, validators=[REQUIRED])
    aht = ItalianDecimalField(_l("Tempo medio di gestione (AHT) in secondi"),
                              validators=[Optional(), positive, at_most(86400, _l("Un contatto dura al massimo un giorno (86.400 secondi)."))],
                              description=_l("Solo per le tariffe a contatto: la durata media di un contatto."))
    ore_produttive = ItalianDecimalField(
        _l("Ore produttive annue per operatore"),
        validators=[Optional(), positive, at_most(8784, _l("Un anno ha al massimo 8.784 ore."))],
        description=_l("Solo per le tariffe FTE: se vuoto, 1.396 ore (D.D. 77/2018, livelli 2-5S)."),
    )
    data = DateField(_l("Data di applicazione della tariffa"), validators=[REQUIRED], default=date.today,
                     description=_l("La tariffa è confrontata con la tabella in vigore in questa data."))
    cliente = StringField(_l("Cliente (facoltativo)"), validators=[Optional(), Length(max=200)])
    settore = SelectField(_l("Settore del cliente (facoltativo)"), choices=[("", "—")] + list(SECTORS.items()),
                          validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.unita.data == Unit.CONTATTO.value and self.aht.data is None and not self.aht.errors:
            self.aht.errors = [_l("Per la tariffa a contatto indica l'AHT in secondi.")]  # Optional() skips inline checks
            return False
        return valid

    def validate_data(self, field):
        if field.data and not 1990 <= field.data.year <= 2100:
            raise ValidationError(DATE_MESSAGE)

    @property
    def productive_hours(self):
        return self.ore_produttive.data if self.unita.data == Unit.FTE_MESE.value else None


class ImportForm(FlaskForm):
    file = FileField(_l("File della tabella (CSV o Excel)"),
                     description=_l("Colonne: livello;decorrenza;euro_minuto, es. 3;01/04/2021;0,4282."))
    number = StringField(_l("Numero del decreto"), validators=[REQUIRED, Length(max=60)],
                         description=_l("Es. D.D. 53/2021. Se il decreto esiste già, le righe si aggiungono o aggiornano."))
    issued_on = DateField(_l("Data del decreto"), validators=[Optional()])
    title = StringField(_l("Titolo"), validators=[Optional(), Length(max=300)])
    source = TextAreaField(_l("Fonte"), validators=[Optional(), Length(max=2000)],
                           description=_l("Da dove vengono i valori: Gazzetta, sito del Ministero, nota sindacale..."))
    source_url = StringField(_l("Collegamento alla fonte"), validators=[Optional(), Length(max=500)])
    dimostrativa = BooleanField(_l("Tabella dimostrativa (non ufficiale)"))

    def validate_source_url(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Il collegamento deve iniziare con https://"))


class UpliftForm(FlaskForm):
    component = SelectField(_l("Componente"), choices=[(c, UPLIFT_LABELS[c]) for c in UPLIFT_COMPONENTS], validators=[REQUIRED])
    percent = ItalianDecimalField(_l("Percentuale"), validators=[REQUIRED], description=_l("Es. 5 o 4,5."))
    effective_from = DateField(_l("In vigore dal"), validators=[REQUIRED], default=date.today)
    note = TextAreaField(_l("Nota"), validators=[Optional(), Length(max=2000)])


class BulkForm(FlaskForm):
    file = FileField(_l("Listino di tariffe (CSV o Excel)"),
                     description=_l("Colonne: riga_id;livello;tariffa;unita;data;aht_secondi. Separatore ; e virgola per i decimali."))
    cliente = StringField(_l("Cliente"), validators=[Optional(), Length(max=200)])
    settore = SelectField(_l("Settore del cliente"), choices=[("", "—")] + list(SECTORS.items()), validators=[Optional()])


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    a = SelectField(_l("Primo decreto"), coerce=int, validators=[REQUIRED])
    b = SelectField(_l("Secondo decreto"), coerce=int, validators=[REQUIRED])


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    dal = DateField(_l("Tariffe dal"), validators=[Optional()])
    al = DateField(_l("al"), validators=[Optional()])
