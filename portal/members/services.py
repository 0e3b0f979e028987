"""Every state change of the members module: one function each, audited, mail after commit."""

from datetime import date, timedelta

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal import tokens
from portal.access import Role
from portal.audit import diff, record
from portal.database import utcnow
from portal.extensions import db
from portal.mail import queue_mail
from portal.members import identity, lockout, sessions
from portal.members.models import (
    Company,
    Invitation,
    MembershipRequest,
    MembershipState,
    RequestStatus,
    Site,
    User,
)
from portal.members.recipients import active_staff
from portal.members.validators import normalise_partita_iva
from portal.rules import RuleError
from portal.urls import absolute_url

COMPANY_FIELDS = ["ragione_sociale", "partita_iva", "codice_fiscale", "pec", "indirizzo", "cap", "comune", "provincia", "regione"]
SITE_FIELDS = ["name", "indirizzo", "comune", "country", "regione", "seats", "operators", "channels"]
INVITATION_LINK, RESET_LINK = "invitation", "password_reset"  # purposes of their secure links


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# --- membership -------------------------------------------------------------------------

def request_membership(data: dict) -> MembershipRequest:
    """Record a public request; a company refused before may ask again."""
    piva = normalise_partita_iva(data["partita_iva"])
    company = db.session.scalar(select(Company).where(Company.partita_iva == piva))
    if company is not None and company.membership_state != MembershipState.REFUSED:
        raise RuleError(_("Esiste già un'azienda con questa Partita IVA: contatta l'associazione se pensi sia un errore."))
    values = {f: data[f] for f in COMPANY_FIELDS} | {"partita_iva": piva}
    if company is None:
        company = Company(**values)
        db.session.add(company)
    else:
        for field, value in values.items():
            setattr(company, field, value)
        company.membership_state = MembershipState.REQUESTED
        company.requested_on = date.today()
    membership_request = MembershipRequest(
        company=company,
        contact_name=data["contact_name"],
        contact_email=normalise_email(data["contact_email"]),
        contact_phone=data.get("contact_phone") or "",
        message=data.get("message") or "",
    )
    db.session.add(membership_request)
    record("membership.request", membership_request, {"partita_iva": piva})
    for staff in active_staff():
        queue_mail(
            staff.email,
            _("Nuova richiesta di adesione: %(name)s", name=company.ragione_sociale),
            "members/new_request.txt",
            request=membership_request,
            url=absolute_url("members.request_detail", request_id=membership_request.id),
        )
    db.session.commit()
    return membership_request


def _ensure_pending(membership_request: MembershipRequest) -> None:
    if membership_request.status != RequestStatus.PENDING:
        raise RuleError(_("Questa richiesta è già stata decisa."))


def approve_request(membership_request: MembershipRequest, staff: User) -> Invitation:
    """Admit the company and invite its contact person as the company's admin."""
    _ensure_pending(membership_request)
    if user_by_email(membership_request.contact_email):
        raise RuleError(_("L'e-mail del referente appartiene già a un account: non può ricevere l'invito."))
    company = membership_request.company
    membership_request.status = RequestStatus.APPROVED
    membership_request.decided_by = staff
    membership_request.decided_at = utcnow()
    company.membership_state = MembershipState.ACTIVE
    company.member_since = date.today()
    record("membership.approve", company, {"membership_state": [MembershipState.REQUESTED, MembershipState.ACTIVE]})
    invitation = _invite(membership_request.contact_email, membership_request.contact_name, Role.COMPANY_ADMIN, company, staff)
    db.session.commit()
    return invitation


def refuse_request(membership_request: MembershipRequest, staff: User, reason: str) -> None:
    _ensure_pending(membership_request)
    membership_request.status = RequestStatus.REFUSED
    membership_request.decided_by = staff
    membership_request.decided_at = utcnow()
    membership_request.reason = reason
    membership_request.company.membership_state = MembershipState.REFUSED
    record("membership.refuse", membership_request.company, {"reason": reason})
    queue_mail(
        membership_request.contact_email,
        _("La vostra richiesta di adesione ad Assocontact"),
        "members/request_refused.txt",
        request=membership_request,
    )
    db.session.commit()


MEMBERSHIP_DATES = {
    MembershipState.ACTIVE: "member_since",
    MembershipState.SUSPENDED: "suspended_on",
    MembershipState.CEASED: "ceased_on",
}


def change_membership_state(company: Company, state: MembershipState, reason: str) -> None:
    allowed = {
        MembershipState.ACTIVE: {MembershipState.SUSPENDED, MembershipState.CEASED},
        MembershipState.SUSPENDED: {MembershipState.ACTIVE, MembershipState.CEASED},
    }
    if state not in allowed.get(company.membership_state, set()):
        raise RuleError(_("Cambio di stato non consentito per un'azienda in questo stato."))
    old = company.membership_state
    company.membership_state = state
    if state == MembershipState.ACTIVE and company.member_since is not None:
        company.suspended_on = None  # reinstated: keeps its original membership date
    else:
        setattr(company, MEMBERSHIP_DATES[state], date.today())
    record("membership.state", company, {"membership_state": [old, state], "reason": reason})
    db.session.commit()


def update_company(company: Company, data: dict, by: User) -> dict:
    """Save the company's data; returns what a certified company's user changed of its certified
    identity, which waits for staff approval (portal.members.identity) instead."""
    values = {f: data[f] for f in COMPANY_FIELDS if f in data}
    values["partita_iva"] = normalise_partita_iva(values.get("partita_iva", company.partita_iva))
    clash = db.session.scalar(
        select(Company.id).where(Company.partita_iva == values["partita_iva"], Company.id != company.id)
    )
    if clash:
        raise RuleError(_("Esiste già un'azienda con questa Partita IVA."))
    held = identity.keeper().hold_company_changes(company, values, by)
    changes = diff(company, COMPANY_FIELDS, values)
    for field, value in values.items():
        setattr(company, field, value)
    record("company.update", company, changes)
    if by.is_staff:
        identity.keeper().certify_identity(company, by)
    db.session.commit()
    return held


def save_site(company: Company, site: Site | None, data: dict, by: User) -> dict:
    """Create or update a site; returns the name and address changes of a certified site held for staff."""
    values = {f: data[f] for f in SITE_FIELDS}
    values["regione"] = values["regione"] or None
    values["channels"] = list(values["channels"] or [])
    held = {}
    if site is None:
        site = Site(company=company, **values)
        db.session.add(site)
        record("site.create", site, values)
    else:
        held = identity.keeper().hold_site_changes(site, values, by)
        changes = diff(site, SITE_FIELDS, values)
        for field, value in values.items():
            setattr(site, field, value)
        record("site.update", site, changes)
    db.session.commit()
    return held


def delete_site(site: Site, by: User) -> bool:
    """Delete the site; False when it is in a certificate's scope and the deletion now waits for staff."""
    if identity.keeper().hold_site_removal(site, by):
        db.session.commit()
        return False
    if by.is_staff:
        identity.keeper().remove_site_from_scope(site, by)
    record("site.delete", site, {"name": site.name})
    db.session.delete(site)
    db.session.commit()
    return True


# --- invitations and accounts -------------------------------------------------------------

def invite(email: str, name: str, role: Role, company: Company | None, inviter: User) -> Invitation:
    """Invite a person to create an account; the link in the e-mail is signed and expires."""
    invitation = _invite(email, name, role, company, inviter)
    db.session.commit()
    return invitation


def _invite(email: str, name: str, role: Role, company: Company | None, inviter: User) -> Invitation:
    email = normalise_email(email)
    if user_by_email(email):
        raise RuleError(_("Esiste già un account con questa e-mail: una persona può appartenere a una sola azienda."))
    if (role in (Role.APPLICANT, Role.COMPANY_ADMIN)) != (company is not None):
        raise RuleError(_("Gli utenti delle aziende appartengono a un'azienda; valutatori e staff no."))
    if company is not None and not company.is_member:
        raise RuleError(_("Solo un'azienda associata può invitare utenti: l'adesione non è attiva."))
    for previous in db.session.scalars(select(Invitation).where(Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        previous.revoked_at = utcnow()  # only the newest link works
    invitation = Invitation(email=email, name=name, role=role, company=company, invited_by=inviter)
    db.session.add(invitation)
    record("user.invite", invitation, {"email": email, "role": role, "company": str(company) if company else None})
    queue_mail(
        email,
        _("Invito al portale Assocontact"),
        "members/invitation.txt",
        secrets={"url": absolute_url("members.accept_invitation", token=invitation_token(invitation))},
        invitation=invitation,
        days=current_app.config["INVITATION_MAX_AGE"] // 86400,
    )
    return invitation


def invitation_token(invitation: Invitation) -> str:
    """A new link for an invitation (the earlier one stops working); the caller mails it and commits."""
    valid_for = timedelta(seconds=current_app.config["INVITATION_MAX_AGE"])
    return tokens.issue(INVITATION_LINK, email=invitation.email, obj=invitation, valid_for=valid_for)


def invitation_link(raw: str) -> tuple[tokens.SecureToken, Invitation] | None:
    """The link's token and its open invitation, or None (unknown, expired, used, or the invitation closed)."""
    token = tokens.find(INVITATION_LINK, raw)
    invitation = db.session.get(Invitation, token.object_id) if token is not None else None
    if invitation is None or not token.is_for(invitation) or not invitation.is_open:
        return None
    return token, invitation


def accept_invitation(token: tokens.SecureToken, invitation: Invitation, name: str, password: str) -> User:
    """The invited person creates the account; the audit log records them acting from the link."""
    if user_by_email(invitation.email):
        raise RuleError(_("Esiste già un account con questa e-mail."))
    if not tokens.consume(token):
        raise RuleError(_("L'invito non è valido, è scaduto o è già stato usato. Chiedi un nuovo invito a chi ti ha invitato."))
    user = User(email=invitation.email, name=name, role=invitation.role, company=invitation.company)
    user.set_password(password)
    invitation.accepted_at = utcnow()
    db.session.add(user)
    record("user.accept_invitation", user, {"role": invitation.role} | tokens.audit_note(token), actor=user)
    db.session.commit()
    return user


def remove_colleague(user: User, by: User) -> None:
    """A company admin removes a colleague: the account is closed, its history kept."""
    if user.id == by.id:
        raise RuleError(_("Non puoi rimuovere il tuo stesso account."))
    if user.company_id != by.company_id or not user.is_company_user:
        raise RuleError(_("Puoi rimuovere solo i colleghi della tua azienda."))
    user.active = False
    user.company_id = None
    record("user.remove", user, {"company": str(by.company)})
    db.session.commit()
    sessions.end_others(user, sessions.DEACTIVATED)


def change_user(user: User, role: Role, active: bool, by: User) -> None:
    if user.id == by.id and (role != user.role or not active):
        raise RuleError(_("Non puoi cambiare il ruolo o disattivare il tuo stesso account."))
    if role in (Role.APPLICANT, Role.COMPANY_ADMIN) and user.company_id is None:
        raise RuleError(_("Un ruolo aziendale richiede che l'utente appartenga a un'azienda."))
    if role not in (Role.APPLICANT, Role.COMPANY_ADMIN) and user.company_id is not None:
        raise RuleError(_("Valutatori e staff non appartengono a un'azienda: rimuovi prima l'utente dall'azienda."))
    changes = diff(user, ["role", "active"], {"role": role, "active": active})
    user.role = role
    user.active = active
    record("user.change", user, changes)
    db.session.commit()
    if changes:  # a new role signs in again, under its own rules (a second factor for an admin)
        sessions.end_others(user, sessions.DEACTIVATED if not active else sessions.ROLE_CHANGED)


# --- login and passwords ------------------------------------------------------------------

_DUMMY_HASH = generate_password_hash("not-a-real-password")


def authenticate(email: str, password: str) -> User | None:
    """The user, or None. Wrong passwords slow this client (and strangers to the account) down
    (`lockout`); an unknown, inactive or slowed-down account costs the same hashing work."""
    user = user_by_email(email)
    if user is None or not user.active or lockout.is_blocked(user):
        check_password_hash(_DUMMY_HASH, password)  # same work as for a real account: no timing hint
        return None
    if not user.check_password(password):
        lockout.record_failure(user)
        return None
    lockout.clear(user)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def send_password_reset(email: str) -> None:
    """Mail a reset link if the account exists, locked or not; say nothing either way.

    The view runs this after its answer has left (`portal.deferred`), so an existing address
    and an unknown one answer alike and in the same time."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    queue_mail(
        user.email,
        _("Reimpostazione della password del portale Assocontact"),
        "members/password_reset.txt",
        secrets={"url": absolute_url("members.reset_password", token=reset_token(user))},
        user=user,
        hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
    )
    db.session.commit()


def reset_token(user: User) -> str:
    """A new reset link's token (the earlier one stops working); the caller mails it and commits."""
    valid_for = timedelta(seconds=current_app.config["PASSWORD_RESET_MAX_AGE"])
    return tokens.issue(RESET_LINK, user=user, valid_for=valid_for)


def reset_link(raw: str) -> tuple[tokens.SecureToken, User] | None:
    """The link's token and its active user, or None (unknown, expired, used or replaced by a newer one)."""
    token = tokens.find(RESET_LINK, raw)
    if token is None or not token.user.active:
        return None
    return token, token.user


def reset_password(token: tokens.SecureToken, user: User, password: str) -> None:
    """A new password from a reset link: the link is used up, the audit log names the owner acting from it."""
    if not tokens.consume(token):
        raise RuleError(_("Il link non è valido o è scaduto: chiedine uno nuovo."))
    _new_password(user, password)
    record("user.password_reset", user, tokens.audit_note(token), actor=user)
    tell_about_account_change(user, "password_reset")
    db.session.commit()
    sessions.end_others(user, sessions.PASSWORD)


def change_password(user: User, current: str, password: str) -> None:
    if not user.check_password(current):
        raise RuleError(_("La password attuale non è corretta."))
    _new_password(user, password)
    record("user.password_change", user, {}, actor=user)
    tell_about_account_change(user, "password_change")
    db.session.commit()
    sessions.end_others(user, sessions.PASSWORD)  # this browser's session stays


ACCOUNT_CHANGES = {
    "password_change": _l("La password del tuo account sul portale Assocontact è stata cambiata."),
    "password_reset": _l("La password del tuo account sul portale Assocontact è stata reimpostata con il link ricevuto per e-mail."),
    "second_factor_on": _l("Sul tuo account è stata attivata la verifica in due passaggi."),
    "second_factor_off": _l("Sul tuo account è stata disattivata (o azzerata) la verifica in due passaggi."),
    "recovery_codes": _l("Sono stati generati nuovi codici di recupero per il tuo account: i precedenti non valgono più."),
    "second_factor_replayed": _l("Per accedere al tuo account è stato presentato di nuovo un codice della verifica in due "
                                 "passaggi già usato: è stato rifiutato. Chi l'ha fatto conosceva la tua password."),
}


def tell_about_account_change(user: User, change: str) -> None:
    """An e-mail to the owner whenever how they sign in changes (ASVS 2.2.3, 2.5.5); the caller commits."""
    queue_mail(user.email, _("Il tuo account Assocontact è cambiato"), "members/account_changed.txt", user=user,
               change=ACCOUNT_CHANGES[change], when=utcnow(), address=request.remote_addr if has_request_context() else None)


def _new_password(user: User, password: str) -> None:
    """Set it, forget the wrong guesses, and stop every earlier reset link."""
    user.set_password(password)
    lockout.clear(user)
    tokens.revoke(RESET_LINK, user=user)


def set_locale(user: User, locale: str) -> None:
    """The language the user chose in the header: kept for their next sign-in."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()


def update_profile(user: User, name: str, locale: str) -> None:
    record("user.profile", user, diff(user, ["name", "locale"], {"name": name, "locale": locale}))
    user.name = name
    user.locale = locale
    db.session.commit()


def count_pending_requests() -> int:
    return db.session.scalar(
        select(func.count()).select_from(MembershipRequest).where(MembershipRequest.status == RequestStatus.PENDING)
    )
