"""Forms with fixed fields; the answer and score grids are read by `grids.py`."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.certification.labels import CHANNELS, DIRECTIONS, KINDS, OUTCOMES
from portal.certification.models import CertStatus, Outcome, StatusCause
from portal.certification.statements import CAUSES
from portal.forms import REQUIRED, options


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenApplicationForm(FlaskForm):
    sites = CheckboxList(_l("Sedi operative da certificare"), coerce=int,
                         validators=[InputRequired(message=_l("Scegli almeno una sede."))])
    renewal_of = HiddenField()


class TracedForm(FlaskForm):
    """A change to a consulted draft names the comments it answers (choices: the relevant sent
    comments, set by the view only while staff answer a closed consultation)."""

    comments = CheckboxList(_l("In risposta ai commenti della consultazione"), coerce=int, choices=[], validators=[Optional()])


class EditionRulesForm(TracedForm):
    code = StringField(_l("Codice dell'edizione"), validators=[REQUIRED, Length(max=20),
                       Regexp(r"^[A-Za-z0-9-]+$", message=_l("Solo lettere, cifre e trattini."))])
    title = StringField(_l("Titolo"), validators=[REQUIRED, Length(max=200)])
    notes = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    illustrative = BooleanField(_l("Pesi e obiettivi illustrativi (mostrato come dimostrativo)"))
    scale_max = IntegerField(_l("Punteggio massimo della scala"), validators=[REQUIRED, NumberRange(2, 10)])
    grant_threshold = IntegerField(_l("Soglia di concessione (su 100)"), validators=[REQUIRED, NumberRange(1, 100)])
    distinction_threshold = IntegerField(_l("Soglia per la distinzione (su 100)"), validators=[REQUIRED, NumberRange(1, 100)])
    mandatory_min_score = IntegerField(_l("Punteggio minimo dei parametri obbligatori"), validators=[REQUIRED, NumberRange(0, 10)])


class AreaForm(TracedForm):
    code = StringField(_l("Codice"), validators=[REQUIRED, Length(max=4)])
    title = StringField(_l("Titolo"), validators=[REQUIRED, Length(max=200)])
    weight = IntegerField(_l("Peso"), validators=[REQUIRED, NumberRange(1, 100)])


class ParameterForm(TracedForm):
    code = StringField(_l("Codice"), validators=[REQUIRED, Length(max=10)])
    question = TextAreaField(_l("Testo della domanda"), validators=[REQUIRED, Length(max=1000)])
    help = TextAreaField(_l("Aiuto per l'azienda"), validators=[Length(max=2000)])
    kind = SelectField(_l("Tipo di risposta"), choices=options(KINDS.items()), validators=[REQUIRED])
    unit = StringField(_l("Unità di misura (per i numeri)"), validators=[Length(max=20)])
    target = DecimalField(_l("Obiettivo (per i numeri)"), validators=[Optional()], places=None,
                          description=_l("Ad esempio 80 per un livello di servizio dell'80%."))
    direction = SelectField(_l("Direzione (per i numeri)"), choices=options([("", "—"), *DIRECTIONS.items()]), validators=[Optional()])
    choices = TextAreaField(_l("Opzioni (per la scelta singola, una per riga)"), validators=[Length(max=2000)])
    evidence_required = BooleanField(_l("Prova documentale obbligatoria"))
    weight = IntegerField(_l("Peso nell'area"), validators=[REQUIRED, NumberRange(1, 10)])
    mandatory = BooleanField(_l("Obbligatorio (se non superato il bollino non si concede)"))
    key_figure = BooleanField(_l("Indicatore chiave della sorveglianza annuale"))
    linked_check = SelectField(_l("Verifica collegata mostrata al valutatore"), choices=options([
        ("", "—"), ("tariffs", _l("Verifiche tariffarie")), ("reshoring", _l("Comunicazioni art. 24-bis"))]), validators=[Optional()])
    channel = SelectField(_l("Canale di contatto"), choices=options([("", _l("Tutti i canali")), *CHANNELS.items()]), validators=[Optional()],
                          description=_l("Un indicatore di un solo canale vale per le sedi che servono quel canale."))


class PublishForm(FlaskForm):
    waiver = TextAreaField(_l("Perché pubblichi senza consultazione"), validators=[Length(max=2000)],
                           description=_l("Solo per una bozza che non è passata da una consultazione: il motivo sarà pubblico."))


class AssignForm(FlaskForm):
    auditor = SelectField(_l("Valutatore"), coerce=int, validators=[REQUIRED])


class RemoveAssignmentForm(FlaskForm):
    """Staff take an auditor off an application; one per assignment on the page (prefix `remove-<id>`)."""

    reason = TextAreaField(_l("Motivo della revoca"), validators=[REQUIRED, Length(max=2000)],
                           description=_l("Sarà comunicato al valutatore e resterà nel registro attività."))

    @classmethod
    def for_assignment(cls, assignment_id: int, **kwargs) -> "RemoveAssignmentForm":
        return cls(prefix=f"remove-{assignment_id}", **kwargs)


class DeclarationForm(FlaskForm):
    statement = BooleanField(_l("Dichiaro di non avere conflitti di interesse con l'azienda: nessun rapporto di lavoro, "
                                "consulenza, parentela o interesse economico negli ultimi tre anni."),
                             validators=[InputRequired(message=_l("Per accettare l'incarico la dichiarazione è necessaria."))])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Motivo del rifiuto"), validators=[REQUIRED, Length(max=2000)])


class RecommendationForm(FlaskForm):
    recommendation = SelectField(_l("Raccomandazione"), choices=options((o.value, label) for o, label in OUTCOMES.items()), validators=[REQUIRED])
    summary = TextAreaField(_l("Sintesi della valutazione"), validators=[REQUIRED, Length(max=5000)])
    version = HiddenField()


class DecisionForm(FlaskForm):
    outcome = SelectField(_l("Decisione"), choices=options((o.value, label) for o, label in OUTCOMES.items()), validators=[REQUIRED])
    reason = TextAreaField(_l("Motivazione"), validators=[REQUIRED, Length(max=5000)])
    version = HiddenField()


class StatusForm(FlaskForm):
    """Suspend, reinstate or withdraw: the internal reason and the public statement, previewed before saving."""

    status = SelectField(_l("Nuovo stato"), choices=options([
        (CertStatus.SUSPENDED.value, _l("Sospendi")), (CertStatus.ACTIVE.value, _l("Riattiva")),
        (CertStatus.WITHDRAWN.value, _l("Revoca"))]), validators=[REQUIRED])
    cause = SelectField(_l("Causa"), choices=options((c.value, label) for c, label in CAUSES.items() if c != StatusCause.RENEWED),
                        validators=[REQUIRED], description=_l("La categoria compare nella dichiarazione pubblica standard."))
    reason = TextAreaField(_l("Motivo interno"), validators=[REQUIRED, Length(max=2000)],
                           description=_l("Solo per lo staff: non compare nel registro e non è inviato all'azienda."))
    statement_kind = RadioField(_l("Dichiarazione pubblica"), choices=options([
        ("standard", _l("Testo standard della causa scelta")), ("own", _l("Testo scritto da me"))]), default="standard",
        validators=[REQUIRED])
    statement = TextAreaField(_l("Testo della dichiarazione pubblica"), validators=[Length(max=1000)],
                              description=_l("Compare nel registro pubblico accanto allo stato del certificato."))


class IdentityRefuseForm(FlaskForm):
    note = TextAreaField(_l("Perché non approvi la modifica"), validators=[REQUIRED, Length(max=2000)],
                         description=_l("Sarà inviato all'azienda."))


class ReviewOpenForm(FlaskForm):
    auditor = SelectField(_l("Valutatore"), coerce=int, validators=[REQUIRED])
    due_on = DateField(_l("Da concludere entro"), validators=[REQUIRED])


OUTCOME_VALUES = {o.value: o for o in Outcome}
