"""Forms of the reshoring module, and the labels of its choices."""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    Field,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import TextInput

from portal.forms import REQUIRED, options
from portal.geography import country_choices, region_choices
from portal.reshoring.models import PARTY_KINDS
from portal.reshoring.notices import RECIPIENTS

ROME = ZoneInfo("Europe/Rome")
MARKDOWN_HELP = _l("Puoi usare Markdown: **grassetto**, *corsivo*, elenchi con «-», collegamenti [testo](https://...).")

SECTORS = [
    ("pa", _l("Pubblica amministrazione")),
    ("telecom", _l("Telecomunicazioni")),
    ("energia", _l("Energia e servizi")),
    ("finanza", _l("Banche, finanza e assicurazioni")),
    ("altro", _l("Altri settori")),
]
ADDRESSEES = [
    ("ministero_lavoro", _l("Ministero del Lavoro")),
    ("mimit", _l("MIMIT (ex MISE)")),
    ("committenti", _l("Committenti")),
    ("sindacati", _l("Sindacati")),
    ("regioni", _l("Regioni")),
    ("parlamento", _l("Parlamento")),
]
PARTY_LABELS = dict(zip(PARTY_KINDS, (
    _l("Committente"), _l("Outsourcer"), _l("Associazione"), _l("Sindacato"), _l("Ministero"),
), strict=True))
VOLUME_UNITS = [("contatti", _l("contatti l'anno")), ("ore", _l("ore l'anno"))]


def foreign_countries() -> list[SelectChoice]:
    return [c for c in country_choices() if c.value != "IT"]


def to_utc(local: datetime | None) -> datetime | None:
    """A date and time typed in Italy's time zone, as UTC."""
    return local.replace(tzinfo=ROME).astimezone(UTC) if local else None


def to_local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(ROME).replace(tzinfo=None) if moment else None


class ItalianDecimalField(Field):
    """A decimal number typed the Italian way (`1.234,5`) or the English way (`1234.5`)."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data, "f").replace(".", ",")

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        if not text:
            return
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Scrivi un numero, ad esempio 12,5.")) from None
        if not self.data.is_finite():
            raise ValueError(_l("Scrivi un numero, ad esempio 12,5."))


def not_negative(max_value: int):
    return NumberRange(min=0, max=max_value, message=_l("Indica un numero tra 0 e %(max)s.", max=f"{max_value:,}".replace(",", ".")))


def _notice_fields(cls):
    """One date field per recipient of the art. 24-bis notice."""
    for key, name, _to in RECIPIENTS:
        setattr(cls, f"notice_{key}", DateField(
            _l("Comunicazione a: %(name)s", name=name), validators=[Optional()],
            description=_l("Data di invio; lascia vuoto se non è ancora stata inviata.")))
    return cls


@_notice_fields
class WorkAbroadForm(FlaskForm):
    site_id = SelectField(_l("Sede estera"), coerce=lambda v: int(v) if v else None, validators=[Optional()],
                          description=_l("Se l'attività si svolge in una vostra sede estera registrata."))
    country = SelectField(_l("Paese"), choices=lambda: options([("", "—")]) + foreign_countries(), validators=[REQUIRED])
    place = StringField(_l("Città o sito"), validators=[REQUIRED, Length(max=120)])
    client_sector = SelectField(_l("Settore del committente"), choices=options(SECTORS), validators=[REQUIRED])
    activities = TextAreaField(_l("Attività svolte"), validators=[Optional(), Length(max=2000)],
                               description=_l("Ad esempio: assistenza clienti di primo livello per un operatore telefonico."))
    fte = ItalianDecimalField(_l("Addetti equivalenti a tempo pieno (FTE)"), validators=[REQUIRED, not_negative(100000)])
    yearly_contacts = IntegerField(_l("Contatti gestiti in un anno"), validators=[Optional(), not_negative(1_000_000_000)])
    yearly_hours = IntegerField(_l("Ore lavorate in un anno"), validators=[Optional(), not_negative(1_000_000_000)])
    start_date = DateField(_l("Data di avvio dell'attività all'estero"), validators=[REQUIRED])
    end_date = DateField(_l("Data di fine (se conclusa o riportata in Italia)"), validators=[Optional()])

    def validate_fte(self, field) -> None:
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("Indica un numero di FTE maggiore di zero."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        today = datetime.now(ROME).date()
        for key, _name, _to in RECIPIENTS:
            field = getattr(self, f"notice_{key}")
            if field.data and field.data > today:
                field.errors.append(_l("La data di invio non può essere nel futuro."))
                valid = False
        return valid


class ProposalForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Titolo"), validators=[REQUIRED, Length(min=5, max=200)])
    summary = TextAreaField(_l("Sintesi"), validators=[REQUIRED, Length(max=5000)], description=MARKDOWN_HELP, render_kw={"rows": 4})
    measure = TextAreaField(_l("Misura proposta"), validators=[REQUIRED, Length(max=20000)], description=MARKDOWN_HELP, render_kw={"rows": 8})
    addressees = SelectMultipleField(_l("Destinatari"), choices=options(ADDRESSEES), validators=[REQUIRED])
    fte_reshored = IntegerField(_l("FTE riportati in Italia (stima)"), validators=[Optional(), not_negative(1_000_000)])
    from_countries = SelectMultipleField(_l("Da quali Paesi"), choices=foreign_countries, validators=[Optional()])
    to_regions = SelectMultipleField(_l("Verso quali regioni"), choices=region_choices, validators=[Optional()])
    yearly_volume = IntegerField(_l("Volumi annui riportati"), validators=[Optional(), not_negative(1_000_000_000)])
    volume_unit = SelectField(_l("Unità dei volumi"), choices=options(VOLUME_UNITS), default="contatti")
    state_cost = ItalianDecimalField(_l("Costo per lo Stato (euro)"), validators=[Optional(), not_negative(10**12)])
    timeframe_months = IntegerField(_l("Tempi (mesi)"), validators=[Optional(), NumberRange(min=1, max=240, message=_l("Indica da 1 a 240 mesi."))])
    impact_notes = TextAreaField(_l("Note sull'impatto"), validators=[Optional(), Length(max=5000)], description=MARKDOWN_HELP)


class TransitionForm(FlaskForm):
    version = HiddenField()
    state_id = SelectField(_l("Nuovo stato"), coerce=int, validators=[REQUIRED])
    reason = TextAreaField(_l("Motivo"), validators=[Optional(), Length(max=5000)],
                           description=_l("Obbligatorio per «Respinta» e «Accolta in parte»."))


class AttachmentForm(FlaskForm):
    title = StringField(_l("Titolo del documento"), validators=[Optional(), Length(max=200)])
    file = FileField(_l("File (PDF, Word, Excel, CSV, immagine)"))


class SupportForm(FlaskForm):
    fte = IntegerField(_l("FTE che potreste riportare in Italia"), validators=[REQUIRED, not_negative(100000)])
    from_countries = SelectMultipleField(_l("Da quali Paesi"), choices=foreign_countries, validators=[Optional()])
    to_regions = SelectMultipleField(_l("Verso quali regioni"), choices=region_choices, validators=[Optional()])
    timeframe_months = IntegerField(_l("Entro quanti mesi"), validators=[Optional(), NumberRange(min=1, max=240, message=_l("Indica da 1 a 240 mesi."))])
    conditions = TextAreaField(_l("A quali condizioni"), validators=[Optional(), Length(max=5000)], description=MARKDOWN_HELP)


class StateForm(FlaskForm):
    code = StringField(_l("Codice"), validators=[REQUIRED, Length(max=30), Regexp(r"^[a-z][a-z0-9_]*$", message=_l("Solo lettere minuscole, cifre e «_».")) ])
    label = StringField(_l("Nome"), validators=[REQUIRED, Length(max=80)])
    position = IntegerField(_l("Ordine"), default=0, validators=[REQUIRED, NumberRange(min=0, max=1000)])
    requires_reason = BooleanField(_l("Richiede un motivo"))
    is_initial = BooleanField(_l("Stato iniziale delle nuove proposte"))
    is_closed = BooleanField(_l("Stato conclusivo (non si raccolgono più adesioni)"))
    targets = SelectMultipleField(_l("Da qui si può passare a"), coerce=int, validators=[Optional()])


class RoundtableForm(FlaskForm):
    title = StringField(_l("Titolo"), validators=[REQUIRED, Length(max=200)])
    starts_at = DateTimeLocalField(_l("Inizio"), format="%Y-%m-%dT%H:%M", validators=[REQUIRED])
    ends_at = DateTimeLocalField(_l("Fine"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField(_l("Luogo"), validators=[Optional(), Length(max=200)])
    link = URLField(_l("Collegamento alla riunione online"), validators=[Optional(), Length(max=500),
                    Regexp(r"^https://", message=_l("Il collegamento deve iniziare con https://"))])
    convening_body = StringField(_l("Convocato da"), validators=[REQUIRED, Length(max=200)],
                                 description=_l("Ad esempio: Ministero delle Imprese e del Made in Italy."))
    description = TextAreaField(_l("Descrizione"), validators=[Optional(), Length(max=5000)], description=MARKDOWN_HELP)

    def values(self) -> dict:
        return self.data | {"starts_at": to_utc(self.starts_at.data), "ends_at": to_utc(self.ends_at.data),
                            "place": self.place.data or "", "link": self.link.data or "", "description": self.description.data or ""}


class PartyForm(FlaskForm):
    kind = SelectField(_l("Tipo di parte"), choices=options(PARTY_LABELS.items()), validators=[REQUIRED])
    name = StringField(_l("Nome"), validators=[REQUIRED, Length(max=200)])


class AttendanceForm(FlaskForm):
    present = SelectMultipleField(_l("Presenti"), coerce=int, validators=[Optional()])


class AgendaItemForm(FlaskForm):
    proposal_id = SelectField(_l("Proposta"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    title = StringField(_l("Oppure un punto libero"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("Esito"), validators=[REQUIRED, Length(max=10000)], description=MARKDOWN_HELP, render_kw={"rows": 4})
    state_id = SelectField(_l("La proposta passa a"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    reason = TextAreaField(_l("Motivo"), validators=[Optional(), Length(max=5000)],
                           description=_l("Obbligatorio per «Respinta» e «Accolta in parte»."))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Verbale"), validators=[Optional(), Length(max=100000)], description=MARKDOWN_HELP, render_kw={"rows": 12})


class ActionForm(FlaskForm):
    description = StringField(_l("Azione da svolgere"), validators=[REQUIRED, Length(max=300)])
    owner = StringField(_l("Responsabile"), validators=[REQUIRED, Length(max=200)])
    due_date = DateField(_l("Scadenza"), validators=[REQUIRED])


class DocumentForm(AttachmentForm):
    pass


class FigureForm(FlaskForm):
    label = StringField(_l("Dato"), validators=[REQUIRED, Length(max=200)],
                        description=_l("Ad esempio: addetti dei contact center in Italia."))
    value = ItalianDecimalField(_l("Valore"), validators=[REQUIRED, NumberRange(
        min=-(10**13), max=10**13, message=_l("Il valore è fuori scala: usa un'unità più grande (ad esempio milioni)."))])
    unit = StringField(_l("Unità"), validators=[Optional(), Length(max=40)], description=_l("Ad esempio: addetti, euro, contatti al mese."))
    year = IntegerField(_l("Anno di riferimento"), validators=[REQUIRED, NumberRange(min=1990, max=2100, message=_l("Indica un anno tra 1990 e 2100."))])
    source = StringField(_l("Fonte"), validators=[REQUIRED, Length(max=300)])
    official = BooleanField(_l("Dato ufficiale"), description=_l("Lascia vuoto se il dato è solo dichiarato o riportato dalla stampa."))
    note = StringField(_l("Nota"), validators=[Optional(), Length(max=300)])


class BriefForm(FlaskForm):
    title = StringField(_l("Titolo del dossier"), validators=[REQUIRED, Length(max=200)])
    roundtable_id = SelectField(_l("Per il tavolo"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    date_from = DateField(_l("Oppure per il periodo dal"), validators=[Optional()])
    date_to = DateField(_l("al"), validators=[Optional()])
    position = TextAreaField(_l("La posizione dell'associazione"), validators=[Optional(), Length(max=50000)], description=MARKDOWN_HELP,
                             render_kw={"rows": 14})
