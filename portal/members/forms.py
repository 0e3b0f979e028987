from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from portal.access import Role
from portal.forms import REQUIRED, options
from portal.geography import country_choices, region_choices
from portal.members.models import MembershipState, RequestStatus
from portal.members.validators import codice_fiscale_azienda, partita_iva

EMAIL = Email(message=_l("Indirizzo e-mail non valido."))


def strip(value):
    """Spaces pasted around an address are not part of it."""
    return value.strip() if isinstance(value, str) else value


STRIP = [strip]

CHANNELS = [
    ("phone", _l("Telefono")),
    ("email", _l("E-mail")),
    ("chat", _l("Chat")),
    ("web", _l("Web / self-service")),
    ("social", _l("Social network")),
    ("messaging", _l("Messaggistica (WhatsApp, SMS)")),
]

ROLE_LABELS = {
    Role.APPLICANT: _l("Utente azienda"),
    Role.COMPANY_ADMIN: _l("Amministratore azienda"),
    Role.AUDITOR: _l("Valutatore"),
    Role.STAFF: _l("Staff dell'associazione"),
    Role.ADMIN: _l("Amministratore del portale"),
    Role.CONSULTEE: _l("Partecipante alle consultazioni"),
}


MEMBERSHIP_LABELS = {
    MembershipState.REQUESTED: _l("Richiesta"),
    MembershipState.ACTIVE: _l("Attiva"),
    MembershipState.SUSPENDED: _l("Sospesa"),
    MembershipState.CEASED: _l("Cessata"),
    MembershipState.REFUSED: _l("Rifiutata"),
}

REQUEST_LABELS = {
    RequestStatus.PENDING: _l("Da esaminare"),
    RequestStatus.APPROVED: _l("Approvata"),
    RequestStatus.REFUSED: _l("Rifiutata"),
}


def password_field(label):
    return PasswordField(
        label,
        validators=[REQUIRED, Length(min=10, max=128, message=_l("La password deve avere almeno 10 caratteri."))],
    )


class CompanyForm(FlaskForm):
    ragione_sociale = StringField(_l("Ragione sociale"), validators=[REQUIRED, Length(max=200)])
    partita_iva = StringField(_l("Partita IVA"), validators=[REQUIRED, partita_iva])
    codice_fiscale = StringField(_l("Codice fiscale"), validators=[REQUIRED, codice_fiscale_azienda])
    pec = EmailField(_l("PEC"), validators=[REQUIRED, EMAIL, Length(max=254)], filters=STRIP)
    indirizzo = StringField(_l("Indirizzo della sede legale"), validators=[REQUIRED, Length(max=200)])
    cap = StringField(_l("CAP"), validators=[REQUIRED, Regexp(r"^\d{5}$", message=_l("Il CAP ha 5 cifre."))])
    comune = StringField(_l("Comune"), validators=[REQUIRED, Length(max=100)])
    provincia = StringField(
        _l("Provincia (sigla)"),
        validators=[REQUIRED, Regexp(r"^[A-Za-z]{2}$", message=_l("Indica la sigla di due lettere, ad esempio RM."))],
        filters=[lambda v: v.upper() if v else v],
    )
    regione = SelectField(_l("Regione"), choices=region_choices, validators=[REQUIRED])


class MembershipRequestForm(CompanyForm):
    contact_name = StringField(_l("Nome e cognome del referente"), validators=[REQUIRED, Length(max=120)])
    contact_email = EmailField(
        _l("E-mail del referente"),
        description=_l("Riceverà l'invito ad accedere al portale come amministratore dell'azienda."),
        validators=[REQUIRED, EMAIL, Length(max=254)],
        filters=STRIP,
    )
    contact_phone = StringField(_l("Telefono"), validators=[Optional(), Length(max=30)])
    message = TextAreaField(_l("Messaggio per l'associazione"), validators=[Optional(), Length(max=2000)])
    privacy = BooleanField(
        _l("Ho letto l'informativa sul trattamento dei dati personali"),
        validators=[InputRequired(message=_l("Serve il consenso per inviare la richiesta."))],
    )


class RefuseForm(FlaskForm):
    reason = TextAreaField(_l("Motivo del rifiuto"), validators=[REQUIRED, Length(min=5, max=2000)])


class MembershipStateForm(FlaskForm):
    state = SelectField(
        _l("Nuovo stato"),
        choices=options([("active", _l("Attiva")), ("suspended", _l("Sospesa")), ("ceased", _l("Cessata"))]),
        validators=[REQUIRED],
    )
    reason = TextAreaField(_l("Motivo"), validators=[REQUIRED, Length(min=5, max=2000)])


class WholeNumberField(IntegerField):
    """An integer whose only message is its range's: "abc" gets the same clear Italian sentence
    as -1 (WTForms would add its own "not a valid integer" in broken Italian before it)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


def headcount_field(label):
    return WholeNumberField(
        label,
        validators=[REQUIRED, NumberRange(min=0, max=100000, message=_l("Indica un numero intero tra 0 e 100.000."))],
    )


class ChannelsField(SelectMultipleField):
    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Scegli i canali dall'elenco."))


class SiteForm(FlaskForm):
    name = StringField(_l("Nome della sede"), validators=[REQUIRED, Length(max=120)])
    indirizzo = StringField(_l("Indirizzo"), validators=[REQUIRED, Length(max=200)])
    comune = StringField(_l("Comune o città"), validators=[REQUIRED, Length(max=100)])
    country = SelectField(_l("Paese"), choices=country_choices, default="IT", validators=[REQUIRED])
    regione = SelectField(
        _l("Regione (solo sedi in Italia)"),
        choices=lambda: options([("", "—")]) + region_choices(),
    )  # no Optional(): it would stop the chain before validate_regione asks for an Italian site's region
    seats = headcount_field(_l("Postazioni"))
    operators = headcount_field(_l("Operatori impiegati"))
    channels = ChannelsField(_l("Canali serviti"), choices=options(CHANNELS), validators=[Optional()])

    def validate_regione(self, field) -> None:
        if self.country.data == "IT" and not field.data:
            raise ValidationError(_l("Per una sede in Italia indica la regione."))
        if self.country.data != "IT" and field.data:
            raise ValidationError(_l("Una sede all'estero non ha una regione italiana."))


class InviteForm(FlaskForm):
    name = StringField(_l("Nome e cognome"), validators=[REQUIRED, Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL, Length(max=254)], filters=STRIP)


class StaffInviteForm(InviteForm):
    role = SelectField(
        _l("Ruolo"),
        choices=options((r.value, ROLE_LABELS[r]) for r in (Role.AUDITOR, Role.STAFF, Role.ADMIN)),
        validators=[REQUIRED],
    )


class UserAdminForm(FlaskForm):
    role = SelectField(_l("Ruolo"), choices=options((r.value, label) for r, label in ROLE_LABELS.items()), validators=[REQUIRED])
    active = BooleanField(_l("Account attivo"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL], filters=STRIP)
    password = PasswordField(_l("Password"), validators=[REQUIRED])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[REQUIRED, EMAIL], filters=STRIP)


class SetPasswordForm(FlaskForm):
    password = password_field(_l("Nuova password"))
    confirm = PasswordField(
        _l("Ripeti la password"), validators=[REQUIRED, EqualTo("password", message=_l("Le due password non coincidono."))]
    )


class AcceptInvitationForm(SetPasswordForm):
    name = StringField(_l("Nome e cognome"), validators=[REQUIRED, Length(max=120)])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Password attuale"), validators=[REQUIRED])


class ProfileForm(FlaskForm):
    name = StringField(_l("Nome e cognome"), validators=[REQUIRED, Length(max=120)])
    locale = SelectField(_l("Lingua"), choices=options([("it", "Italiano"), ("en", "English")]), validators=[REQUIRED])
