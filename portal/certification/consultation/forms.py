"""The consultation's forms: its settings, the parties invited, a comment, an answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.certification.consultation.labels import ACCESS, COMMENT_TYPES, DISPOSITIONS, PARTY_KINDS, STANCES
from portal.certification.consultation.models import Access, PartyKind, Stance
from portal.certification.forms import CheckboxList
from portal.forms import REQUIRED, options
from portal.inputs import DateField

MAX_TEXT = 5000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class SettingsForm(FlaskForm):
    opens_on = DateField(_l("Apertura ai commenti"), validators=[REQUIRED])
    closes_on = DateField(_l("Chiusura (ultimo giorno per commentare)"), validators=[REQUIRED])
    reminder_days = IntegerField(_l("Promemoria: giorni prima della chiusura"), default=5, validators=[REQUIRED, NumberRange(1, 30)],
                                 description=_l("Chi non ha ancora inviato commenti riceve un promemoria."))
    comments_visible = BooleanField(_l("I partecipanti vedono i commenti inviati dalle altre parti (indicate per tipo di parte)"))
    introduction = TextAreaField(_l("Presentazione per i partecipanti"), validators=[Length(max=MAX_TEXT)],
                                 description=_l("Che cosa cambia nella bozza e su che cosa l'associazione chiede il parere delle parti."))

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data <= self.opens_on.data:
            raise ValidationError(_l("La chiusura deve venire dopo l'apertura."))


class InviteCompaniesForm(FlaskForm):
    companies = CheckboxList(_l("Aziende associate"), coerce=int, validators=[InputRequired(message=_l("Scegli almeno un'azienda."))])


class InviteOutsiderForm(FlaskForm):
    organisation = StringField(_l("Organizzazione"), validators=[REQUIRED, Length(max=200)], filters=[strip])
    kind = SelectField(_l("Tipo di parte"), choices=options((k.value, label) for k, label in PARTY_KINDS.items() if k != PartyKind.MEMBER),
                       validators=[REQUIRED])
    contact_name = StringField(_l("Nome e cognome del referente"), validators=[REQUIRED, Length(max=120)], filters=[strip])
    email = EmailField(_l("E-mail del referente"), validators=[REQUIRED, Email(message=_l("Indirizzo e-mail non valido.")), Length(max=254)],
                       filters=[strip])
    access = SelectField(_l("Come partecipa"), choices=options((a.value, label) for a, label in ACCESS.items() if a != Access.COMPANY),
                         validators=[REQUIRED],
                         description=_l("Con un account accede con e-mail e password a tutte le consultazioni a cui è invitato; "
                                        "un link personale apre soltanto questa consultazione, senza password."))


class CommentForm(FlaskForm):
    target = SelectField(_l("Riferimento"), validators=[REQUIRED])
    comment_type = SelectField(_l("Tipo di commento"), choices=options(COMMENT_TYPES.items()), validators=[REQUIRED])
    stance = SelectField(_l("Posizione"), choices=options(STANCES.items()), validators=[REQUIRED])
    text = TextAreaField(_l("Commento"), validators=[Length(max=MAX_TEXT)],
                         description=_l("Che cosa non va, o perché siete d'accordo."))
    proposal = TextAreaField(_l("Modifica proposta"), validators=[Length(max=MAX_TEXT)],
                             description=_l("Il nuovo testo, o che cosa cambiare."))
    proposed_weight = IntegerField(_l("Peso proposto"), validators=[Optional(), NumberRange(1, 100)])
    proposed_target = DecimalField(_l("Obiettivo proposto"), places=None, validators=[Optional(), NumberRange(0, 1_000_000)])

    def validate_text(self, field) -> None:
        if self.stance.data != Stance.AGREE and not (field.data or "").strip():
            raise ValidationError(_l("Spiegate che cosa chiedete di cambiare e perché."))

    def validate_proposal(self, field) -> None:
        if self.stance.data == Stance.PROPOSE and not (field.data or "").strip() \
                and self.proposed_weight.data is None and self.proposed_target.data is None:
            raise ValidationError(_l("Scrivete la proposta: un nuovo testo, un peso o un obiettivo."))


class AnswerForm(FlaskForm):
    disposition = SelectField(_l("Esito"), choices=options(DISPOSITIONS.items()), validators=[REQUIRED])
    answer = TextAreaField(_l("Motivazione"), validators=[REQUIRED, Length(max=MAX_TEXT)])

    @classmethod
    def for_comment(cls, comment_id: int, **kwargs) -> "AnswerForm":
        return cls(prefix=f"answer-{comment_id}", **kwargs)


class ReportForm(FlaskForm):
    conclusions = TextAreaField(_l("Conclusioni dello staff"), validators=[REQUIRED, Length(max=MAX_TEXT)],
                                description=_l("In apertura del rapporto: come è andata la consultazione e che cosa cambia nella bozza."))
