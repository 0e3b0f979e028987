from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.forms import REQUIRED, options
from portal.inputs import DateField
from portal.tariffs.lookup import UPLIFT_COMPONENTS
from portal.tariffs.models import SECTORS, UPLIFT_LABELS
from portal.tariffs.rates import LEVEL_LABELS, LEVELS, Unit
from portal.tariffs.reader import CellError, parse_amount

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

    livello = SelectField(_l("Livello CCNL TLC del personale"), choices=options((lv, LEVEL_LABELS[lv]) for lv in LEVELS),
                          default="3", validators=[REQUIRED],
                          description=_l("Gli operatori di contact center sono di solito ai livelli 2 e 3, i team leader al 4."))
    tariffa = ItalianDecimalField(_l("Tariffa (euro)"), validators=[REQUIRED])
    unita = SelectField(_l("Unità della tariffa"), choices=options((u.value, label) for u, label in UNIT_LABELS.items()),
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
    settore = SelectField(_l("Settore del cliente (facoltativo)"), choices=options([("", "—"), *SECTORS.items()]),
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
                     description=_l("Colonne livello, decorrenza, euro al minuto (es. 3;01/04/2021;0,4282), oppure la tabella "
                                    "dell'allegato al decreto: livelli in colonna e decorrenze in riga, o viceversa."))
    number = StringField(_l("Numero del decreto"), validators=[REQUIRED, Length(max=60)],
                         description=_l("Es. D.D. 53/2021. Se il decreto esiste già, le righe si aggiungono o aggiornano."))
    issued_on = DateField(_l("Data del decreto"), validators=[Optional()],
                          description=_l("Obbligatoria per una tabella ufficiale."))
    title = StringField(_l("Titolo"), validators=[Optional(), Length(max=300)])
    source = TextAreaField(_l("Fonte"), validators=[Optional(), Length(max=2000)],
                           description=_l("Il riferimento del decreto: Gazzetta Ufficiale (numero e data) o la pagina del "
                                          "Ministero. Per una tabella ufficiale serve la fonte o il collegamento."))
    source_url = StringField(_l("Collegamento alla fonte"), validators=[Optional(), Length(max=500)])
    dimostrativa = BooleanField(_l("Tabella dimostrativa (non ufficiale)"))

    def validate_source_url(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Il collegamento deve iniziare con https://"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.dimostrativa.data:  # an official table: its decree's date and its source
            if self.issued_on.data is None and not self.issued_on.errors:
                self.issued_on.errors = [_l("Indica la data del decreto, oppure segna la tabella come dimostrativa.")]
                valid = False
            if not (self.source.data or "").strip() and not (self.source_url.data or "").strip() and not self.source.errors:
                self.source.errors = [_l("Indica la fonte (Gazzetta Ufficiale o pagina del Ministero), oppure segna la tabella "
                                         "come dimostrativa.")]
                valid = False
        return valid


class UpliftForm(FlaskForm):
    component = SelectField(_l("Componente"), choices=options((c, UPLIFT_LABELS[c]) for c in UPLIFT_COMPONENTS), validators=[REQUIRED])
    percent = ItalianDecimalField(_l("Percentuale"), validators=[REQUIRED], description=_l("Es. 5 o 4,5."))
    effective_from = DateField(_l("In vigore dal"), validators=[REQUIRED], default=date.today)
    note = TextAreaField(_l("Nota"), validators=[Optional(), Length(max=2000)])
    dimostrativa = BooleanField(_l("Valore dimostrativo (non ancora deciso dall'associazione)"),
                                description=_l("Un valore dimostrativo è indicato come tale in ogni verifica che lo usa."))


class BulkForm(FlaskForm):
    file = FileField(_l("Listino di tariffe (CSV o Excel)"),
                     description=_l("Servono le colonne livello, tariffa, unità e data (AHT per le tariffe a contatto); "
                                    "le altre colonne sono riportate negli esiti."))
    cliente = StringField(_l("Cliente"), validators=[Optional(), Length(max=200)])
    settore = SelectField(_l("Settore del cliente"), choices=options([("", "—"), *SECTORS.items()]), validators=[Optional()])


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


class MappingForm(FlaskForm):
    """The mapping step: which column of the file holds each field (choices: the chosen header line's cells)."""

    riga_id = SelectField(_l("Identificativo della riga"), validators=[Optional()])
    livello = SelectField(_l("Livello CCNL"), validators=[REQUIRED])
    tariffa = SelectField(_l("Tariffa"), validators=[REQUIRED])
    unita = SelectField(_l("Unità della tariffa"), validators=[REQUIRED])
    data = SelectField(_l("Data di applicazione"), validators=[REQUIRED])
    aht_secondi = SelectField(_l("AHT in secondi"), validators=[Optional()],
                              description=_l("Serve solo per le tariffe a contatto."))

    FIELDS = ("riga_id", "livello", "tariffa", "unita", "data", "aht_secondi")

    def set_choices(self, headers: list[str]) -> None:
        choices = options([("", "—")] + [(h, h) for h in headers])
        for name in self.FIELDS:
            getattr(self, name).choices = choices

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = [getattr(self, name).data for name in self.FIELDS if getattr(self, name).data]
        for name in self.FIELDS:
            field = getattr(self, name)
            if field.data and chosen.count(field.data) > 1:
                field.errors = [*field.errors, _l("La stessa colonna è indicata per più campi.")]
                valid = False
        return valid
