"""Forms of the reshoring module, and the labels of its choices."""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Email, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from portal.forms import REQUIRED, options
from portal.geography import REGIONS, country_choices, region_choices
from portal.inputs import DateField, DateTimeLocalField
from portal.provenance import LABELS as KIND_LABELS
from portal.reshoring.models import ACTION_STATUSES, BRIEF_SECTIONS, FIGURE_KINDS, PARTY_KINDS
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
SECTION_TITLES = {
    "sintesi": _l("Sintesi per il Ministero"),
    "posizione": _l("La posizione dell'associazione"),
    "proposte": _l("Le proposte all'ordine del giorno"),
    "tariffe": _l("Il quadro delle tariffe"),
    "bollino": _l("Il Bollino Blu"),
    "estero": _l("Il lavoro all'estero"),
    "conformita": _l("Le comunicazioni art. 24-bis delle aziende associate"),
    "settore": _l("I dati del settore"),
    "normativa": _l("Riferimenti normativi"),
}
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


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, every choice visible
    (`templates/macros/choices.html`: `choice_list(field, searchable=True)` adds a filter box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class YesNoField(RadioField):
    """A yes/no question that may stay unanswered: True, False or None (not declared)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators or [Optional()], choices=options([("si", _l("Sì")), ("no", _l("No"))]),
                         coerce=lambda v: {"si": True, "no": False, True: True, False: False}.get(v),
                         validate_choice=False, **kwargs)


class RegionNumbersField(Field):
    """A number for each Italian region (e.g. the FTE a company would bring there); empty or 0 for none.

    Posted as `<name>-<index>` (region names hold spaces and apostrophes); the data is a dict
    region -> int with only the regions given."""

    def __init__(self, label=None, validators=None, max_value: int = 100_000, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_value = max_value
        self.raw: dict[str, str] = {}

    def input_name(self, index: int) -> str:
        return f"{self.name}-{index}"

    def process(self, formdata, data=None, extra_filters=None) -> None:
        self.process_errors = []
        self.raw = {}
        if formdata is not None and any(self.input_name(i) in formdata for i in range(len(REGIONS))):
            self.raw = {region: (formdata.get(self.input_name(i)) or "").strip() for i, region in enumerate(REGIONS)}
            self.data = {}
            for region, text in self.raw.items():
                if not text:
                    continue
                if not text.isdigit() or int(text) > self.max_value:
                    self.process_errors.append(_l("%(region)s: indica un numero intero da 0 a %(max)s.", region=region,
                                                  max=f"{self.max_value:,}".replace(",", ".")))
                elif int(text):
                    self.data[region] = int(text)
        else:
            self.data = dict(data or {}) if isinstance(data, dict) else {}

    def value_of(self, region: str) -> str:
        if self.raw:
            return self.raw.get(region, "")
        return str(self.data.get(region, "")) if self.data else ""


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
    client_name = StringField(_l("Committente"), validators=[Optional(), Length(max=200)],
                              description=_l("Per chi svolgete il lavoro: committente e fornitore rispondono in solido degli obblighi."))
    informs_callers = YesNoField(_l("Chi chiama viene informato del Paese in cui si trova l'operatore?"))
    offers_italy_eu = YesNoField(_l("Chi chiama può chiedere un operatore in Italia o nell'Unione europea?"),
                                 description=_l("Obbligatorio quando l'operatore è fuori dall'Unione europea."))

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


class CompanyProfileForm(FlaskForm):
    employees = IntegerField(_l("Dipendenti dell'azienda"), validators=[Optional(), not_negative(1_000_000)],
                             description=_l("Gli obblighi dell'art. 24-bis valgono per i call center con almeno 20 dipendenti."))
    roc_number = StringField(_l("Numero di iscrizione al ROC"), validators=[Optional(), Length(max=40), Regexp(
        r"^[0-9A-Za-z/ .-]*$", message=_l("Usa solo cifre, lettere, «/», «.» e «-»."))],
        description=_l("Registro degli operatori di comunicazione tenuto dall'AGCOM; lascia vuoto se l'azienda non è iscritta."))


class ProposalForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Titolo"), validators=[REQUIRED, Length(min=5, max=200)])
    summary = TextAreaField(_l("Sintesi"), validators=[REQUIRED, Length(max=5000)], description=MARKDOWN_HELP, render_kw={"rows": 4})
    measure = TextAreaField(_l("Misura proposta"), validators=[REQUIRED, Length(max=20000)], description=MARKDOWN_HELP, render_kw={"rows": 8})
    addressees = CheckboxListField(_l("Destinatari"), choices=options(ADDRESSEES), validators=[REQUIRED])
    fte_reshored = IntegerField(_l("FTE riportati in Italia (stima)"), validators=[Optional(), not_negative(1_000_000)])
    from_countries = CheckboxListField(_l("Da quali Paesi"), choices=foreign_countries, validators=[Optional()])
    to_regions = CheckboxListField(_l("Verso quali regioni"), choices=region_choices, validators=[Optional()])
    yearly_volume = IntegerField(_l("Volumi annui riportati"), validators=[Optional(), not_negative(1_000_000_000)])
    volume_unit = SelectField(_l("Unità dei volumi"), choices=options(VOLUME_UNITS), default="contatti")
    state_cost = ItalianDecimalField(_l("Costo per lo Stato (euro)"), validators=[Optional(), not_negative(10**12)])
    timeframe_months = IntegerField(_l("Tempi (mesi)"), validators=[Optional(), NumberRange(min=1, max=240, message=_l("Indica da 1 a 240 mesi."))])
    impact_notes = TextAreaField(_l("Note sull'impatto"), validators=[Optional(), Length(max=5000)], description=MARKDOWN_HELP)


def reason_help(states) -> str:
    """The reason field's help, from the workflow as staff configured it."""
    needing = [f"«{s.label}»" for s in states if s.requires_reason]
    if not needing:
        return str(_l("Facoltativo: nessuno di questi stati richiede un motivo."))
    return str(_l("Obbligatorio per %(states)s.", states=", ".join(needing)))


class TransitionForm(FlaskForm):
    version = HiddenField()
    state_id = SelectField(_l("Nuovo stato"), coerce=int, validators=[REQUIRED])
    reason = TextAreaField(_l("Motivo"), validators=[Optional(), Length(max=5000)])


class AttachmentForm(FlaskForm):
    title = StringField(_l("Titolo del documento"), validators=[Optional(), Length(max=200)])
    file = FileField(_l("File (PDF, Word, Excel, CSV, immagine)"))


class SupportForm(FlaskForm):
    fte = IntegerField(_l("FTE che potreste riportare in Italia (in tutto)"), validators=[Optional(), not_negative(100000)],
                       description=_l("Lascia vuoto se la tua azienda sostiene la proposta senza riportare lavoro."))
    region_fte = RegionNumbersField(_l("In quali regioni, e quanti FTE in ciascuna"),
                                    description=_l("Facoltativo. Se lo indichi, il totale è la somma delle regioni."))
    from_countries = CheckboxListField(_l("Da quali Paesi"), choices=foreign_countries, validators=[Optional()])
    timeframe_months = IntegerField(_l("Entro quanti mesi"), validators=[Optional(), NumberRange(min=1, max=240, message=_l("Indica da 1 a 240 mesi."))])
    conditions = TextAreaField(_l("A quali condizioni"), validators=[Optional(), Length(max=5000)], description=MARKDOWN_HELP)
    named = BooleanField(_l("La mia azienda acconsente a essere nominata con questi dati"), description=_l(
        "Se acconsenti, il nome dell'azienda e i dati di questa adesione possono comparire nei dossier per i ministeri, nel loro "
        "allegato e nelle pagine della proposta. Se non acconsenti, restano visibili solo allo staff dell'associazione e alla tua "
        "azienda: fuori compaiono solo somme su almeno tre aziende. Puoi cambiare idea in ogni momento."))

    def validate_fte(self, field) -> None:
        regions_total = sum((self.region_fte.data or {}).values())
        if regions_total and field.data is not None and field.data != regions_total:
            raise ValidationError(_l("Il totale (%(total)s) non è la somma delle regioni (%(sum)s): correggi uno dei due o lascia vuoto il totale.",
                                     total=field.data, sum=regions_total))


class StateForm(FlaskForm):
    code = StringField(_l("Codice"), validators=[REQUIRED, Length(max=30), Regexp(r"^[a-z][a-z0-9_]*$", message=_l("Solo lettere minuscole, cifre e «_».")) ])
    label = StringField(_l("Nome"), validators=[REQUIRED, Length(max=80)])
    position = IntegerField(_l("Ordine"), default=0, validators=[REQUIRED, NumberRange(min=0, max=1000)])
    requires_reason = BooleanField(_l("Richiede un motivo"))
    is_initial = BooleanField(_l("Stato iniziale delle nuove proposte"))
    is_closed = BooleanField(_l("Stato conclusivo (non si raccolgono più adesioni)"))
    targets = CheckboxListField(_l("Da qui si può passare a"), coerce=int, validators=[Optional()])


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


class OrganisationForm(FlaskForm):
    kind = SelectField(_l("Tipo"), choices=options(PARTY_LABELS.items()), validators=[REQUIRED])
    name = StringField(_l("Nome"), validators=[REQUIRED, Length(max=200)])
    company_id = SelectField(_l("Azienda associata"), coerce=lambda v: int(v) if v else None, validators=[Optional()],
                             description=_l("Se è un'azienda associata: i suoi utenti vedranno nel portale i tavoli a cui partecipa."))


class ContactForm(FlaskForm):
    name = StringField(_l("Nome e cognome"), validators=[REQUIRED, Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[REQUIRED, Length(max=254), Email(message=_l("Indirizzo e-mail non valido."))])
    role = StringField(_l("Ruolo"), validators=[Optional(), Length(max=120)], description=_l("Ad esempio: segretario nazionale."))


class PartyForm(FlaskForm):
    organisation_ids = CheckboxListField(_l("Organizzazioni da invitare"), coerce=int, validators=[REQUIRED])


class AttendanceForm(FlaskForm):
    present = SelectMultipleField(_l("Presenti"), coerce=int, validators=[Optional()])


class AgendaItemForm(FlaskForm):
    proposal_id = SelectField(_l("Proposta"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    title = StringField(_l("Oppure un punto libero"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("Esito"), validators=[REQUIRED, Length(max=10000)], description=MARKDOWN_HELP, render_kw={"rows": 4})
    state_id = SelectField(_l("La proposta passa a"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    reason = TextAreaField(_l("Motivo"), validators=[Optional(), Length(max=5000)])


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Verbale"), validators=[Optional(), Length(max=100000)], description=MARKDOWN_HELP, render_kw={"rows": 12})


class CirculateForm(FlaskForm):
    comments_until = DateField(_l("Osservazioni entro il"), validators=[REQUIRED])


class CommentForm(FlaskForm):
    text = TextAreaField(_l("La tua osservazione sulla bozza del verbale"), validators=[REQUIRED, Length(max=5000)], render_kw={"rows": 4})


INVITATION_LABELS = {"invitato": _l("in attesa di risposta"), "partecipa": _l("partecipa"), "non_partecipa": _l("non partecipa"),
                     "delegato": _l("ha delegato")}


class AnswerForm(FlaskForm):
    """An invited person's answer, through the personal link of the e-mail."""

    answer = RadioField(_l("La vostra risposta"), validators=[REQUIRED], choices=options([
        ("partecipa", _l("Partecipo")), ("non_partecipa", _l("Non partecipo")), ("delegato", _l("Delego un'altra persona"))]))
    note = TextAreaField(_l("Nota per lo staff (facoltativa)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    delegate_name = StringField(_l("Nome e cognome della persona delegata"), validators=[Optional(), Length(max=120)],
                                description=_l("Solo se delegate: riceverà l'invito al vostro posto."))
    delegate_email = EmailField(_l("E-mail della persona delegata"),
                                validators=[Optional(), Length(max=254), Email(message=_l("Indirizzo e-mail non valido."))])


ACTION_STATUS_LABELS = dict(zip(ACTION_STATUSES, (_l("Da fare"), _l("In corso"), _l("Fatta"), _l("Bloccata")), strict=True))


MINUTES_LABELS = {"bozza": _l("bozza"), "in_revisione": _l("bozza aperta alle osservazioni"), "approvato": _l("approvato")}
TIMELINE_LABELS = {"stato": _l("stato"), "adesione": _l("adesione"), "seduta": _l("tavolo"), "decisione": _l("decisione"),
                   "azione": _l("azione"), "dossier": _l("dossier")}


class ActionForm(FlaskForm):
    description = StringField(_l("Azione da svolgere"), validators=[REQUIRED, Length(max=300)])
    owner_id = SelectField(_l("Responsabile (una delle parti)"), coerce=lambda v: int(v) if v else None, validators=[REQUIRED])
    due_date = DateField(_l("Scadenza"), validators=[REQUIRED])


class ActionUpdateForm(FlaskForm):
    status = SelectField(_l("Stato"), choices=options(ACTION_STATUS_LABELS.items()), validators=[REQUIRED])
    progress = IntegerField(_l("Avanzamento (%)"), validators=[REQUIRED, NumberRange(min=0, max=100, message=_l("Indica da 0 a 100."))])
    note = TextAreaField(_l("Nota"), validators=[Optional(), Length(max=2000)],
                         description=_l("Che cosa è stato fatto, o perché l'azione è bloccata."))


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
    kind = SelectField(_l("Natura del dato"), choices=options((k.value, KIND_LABELS[k]) for k in FIGURE_KINDS), validators=[REQUIRED],
                       description=_l("Ufficiale solo se letto nella fonte ufficiale (decreto, statistica pubblica); riportato se viene dalla stampa."))
    key = SelectField(_l("Uso nel portale"), choices=options([("", _l("Nessuno: compare solo tra i dati del settore")),
                                                               ("addetti_settore", _l("Addetti del settore: la base della quota coperta dal Bollino Blu"))]),
                      coerce=lambda v: v or None, validators=[Optional()])
    note = StringField(_l("Nota"), validators=[Optional(), Length(max=300)])


class BriefForm(FlaskForm):
    title = StringField(_l("Titolo del dossier"), validators=[REQUIRED, Length(max=200)])
    roundtable_id = SelectField(_l("Per il tavolo"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    date_from = DateField(_l("Oppure per il periodo dal"), validators=[Optional()])
    date_to = DateField(_l("al"), validators=[Optional()])
    addressees = TextAreaField(_l("Destinatari (uno per riga)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3},
                               description=_l("Compaiono in copertina: ad esempio «Ministero delle Imprese e del Made in Italy — Gabinetto del Ministro»."))
    sections = CheckboxListField(_l("Sezioni da includere"), choices=options((key, SECTION_TITLES[key]) for key in BRIEF_SECTIONS),
                                 validators=[REQUIRED], description=_l(
        "La sezione sulle comunicazioni art. 24-bis riporta quante attività all'estero delle aziende associate hanno obblighi da "
        "sistemare: sono dati che le aziende danno all'associazione, non ai ministeri che sanzionano. Includila solo di proposito."))
    position = TextAreaField(_l("La posizione dell'associazione"), validators=[Optional(), Length(max=50000)], description=MARKDOWN_HELP,
                             render_kw={"rows": 14})
    contact_name = StringField(_l("Referente"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(_l("E-mail del referente"), validators=[Optional(), Length(max=254), Email(message=_l("Indirizzo e-mail non valido."))])
    contact_phone = StringField(_l("Telefono del referente"), validators=[Optional(), Length(max=40)])
