"""Every state change of a consultation: one function each, audited, e-mails after commit.

Its life: staff prepare it on a draft edition (period, parties), launch it (the draft is frozen
and every party invited), the parties comment while it is open and send their comments, staff
answer every comment once it closes and change the draft (each change naming the comments it
answers, see `tracing.py`), then publish the report; only then can the edition be published.
"""

from datetime import date, timedelta
from decimal import Decimal

from celery.schedules import crontab
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.access import Role
from portal.audit import diff, record
from portal.certification import edition_diff
from portal.certification.consultation import notices
from portal.certification.consultation.access import Participation
from portal.certification.consultation.models import (
    Access,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationState,
    Participant,
    PartyKind,
    Phase,
    Stance,
)
from portal.certification.models import Area, Edition, Parameter, ParameterKind
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import periodic
from portal.members.invitations import add_invitation, normalise_email, user_by_email
from portal.members.models import Company, User
from portal.rules import RuleError

MIN_DAYS_OPEN = 7  # a consultation shorter than a week is no consultation
SETTINGS = ["opens_on", "closes_on", "reminder_days", "comments_visible", "introduction"]
MAX_PARAMETER_WEIGHT, MAX_AREA_WEIGHT = 10, 100


def _ensure_phase(consultation: Consultation, *phases: Phase, message: str) -> None:
    if consultation.current_phase not in phases:
        raise RuleError(message)


# --- preparing ------------------------------------------------------------------------------

def _check_period(opens_on: date, closes_on: date) -> None:
    if (closes_on - opens_on).days + 1 < MIN_DAYS_OPEN:
        raise RuleError(_("Una consultazione resta aperta almeno %(n)s giorni.", n=MIN_DAYS_OPEN))


def create(edition: Edition, data: dict, user: User) -> Consultation:
    if edition.is_frozen:
        raise RuleError(_("Si consulta una bozza: l'edizione %(c)s è già pubblicata.", c=edition.code))
    if edition.consultation is not None:
        raise RuleError(_("La bozza %(c)s ha già la sua consultazione.", c=edition.code))
    _check_period(data["opens_on"], data["closes_on"])
    consultation = Consultation(edition=edition, created_by_id=user.id, **{f: data[f] for f in SETTINGS})
    db.session.add(consultation)
    record("bollino.consultation.create", consultation, {f: data[f] for f in SETTINGS}, actor=user)
    db.session.commit()
    return consultation


def update(consultation: Consultation, data: dict, user: User) -> None:
    """Before the launch everything may change; after it, only the period (extended, never cut
    short below today) and the presentation, and the parties are told of a new closing date."""
    phase = consultation.current_phase
    values = {f: data[f] for f in SETTINGS}
    if phase not in (Phase.PREPARING, Phase.ANNOUNCED, Phase.OPEN):
        raise RuleError(_("La consultazione è chiusa: il periodo non si cambia più."))
    _check_period(values["opens_on"], values["closes_on"])
    if phase != Phase.PREPARING:
        if values["comments_visible"] != consultation.comments_visible:
            raise RuleError(_("La visibilità dei commenti è stata annunciata alle parti: non si cambia a consultazione avviata."))
        if phase == Phase.OPEN and values["opens_on"] != consultation.opens_on:
            raise RuleError(_("La consultazione è già aperta: la data di apertura non si cambia."))
        if values["closes_on"] < max(date.today(), consultation.closes_on):
            raise RuleError(_("A consultazione avviata la chiusura si può solo rinviare, non anticipare."))
    if values["opens_on"] != consultation.opens_on and values["opens_on"] < date.today():
        raise RuleError(_("La data di apertura è passata: scegli oggi o un giorno successivo."))
    changes = diff(consultation, SETTINGS, values)
    extended = phase != Phase.PREPARING and values["closes_on"] != consultation.closes_on
    for field, value in values.items():
        setattr(consultation, field, value)
    if extended:
        consultation.reminder_sent_at = None  # a new reminder before the new closing date
        for participant in consultation.participants:
            notices.extended(participant)
    record("bollino.consultation.update", consultation, changes, actor=user)
    db.session.commit()


def delete(consultation: Consultation, user: User) -> None:
    _ensure_phase(consultation, Phase.PREPARING, message=_("Una consultazione avviata non si elimina: le parti sono state invitate."))
    record("bollino.consultation.delete", consultation.edition, {"consultation": consultation.id}, actor=user)
    db.session.delete(consultation)
    db.session.commit()


# --- parties --------------------------------------------------------------------------------

def _ensure_inviting(consultation: Consultation) -> None:
    _ensure_phase(consultation, Phase.PREPARING, Phase.ANNOUNCED, Phase.OPEN,
                  message=_("La consultazione è chiusa: non si invitano altre parti."))


def invite_companies(consultation: Consultation, company_ids: list[int], user: User) -> list[Participant]:
    """Member companies take part through all their users; the company admin sends the comments."""
    _ensure_inviting(consultation)
    invited = {p.company_id for p in consultation.participants}
    added = []
    for company in db.session.scalars(select(Company).where(Company.id.in_(company_ids)).order_by(Company.ragione_sociale)):
        if company.id in invited:
            continue
        if not company.is_member:
            raise RuleError(_("%(c)s non è un'azienda associata attiva.", c=company.ragione_sociale))
        participant = Participant(consultation=consultation, kind=PartyKind.MEMBER, organisation=company.ragione_sociale,
                                  access=Access.COMPANY, company=company, invited_by_id=user.id)
        db.session.add(participant)
        added.append(participant)
    db.session.flush()
    for participant in added:
        record("bollino.consultation.invite", participant, {"company": participant.organisation}, actor=user)
        if consultation.state == ConsultationState.LAUNCHED:
            notices.invitation(participant)
    db.session.commit()
    return added


def invite_outsider(consultation: Consultation, data: dict, user: User) -> Participant:
    """A client, union, association or public body, through one person: with a consultation
    account (created by invitation if they have none) or a personal link."""
    _ensure_inviting(consultation)
    email = normalise_email(data["email"])
    kind, access = PartyKind(data["kind"]), Access(data["access"])
    if kind == PartyKind.MEMBER or access == Access.COMPANY:
        raise RuleError(_("Le aziende associate si invitano dall'elenco delle aziende."))
    if any(p.email == email for p in consultation.participants):
        raise RuleError(_("%(e)s è già invitato a questa consultazione.", e=email))
    existing = user_by_email(email)
    if existing is not None and existing.role != Role.CONSULTEE:
        raise RuleError(_("%(e)s appartiene a un account del portale che non è di consultazione (un'azienda associata, "
                          "un valutatore o lo staff): invita l'azienda, oppure usa un altro indirizzo.", e=email))
    participant = Participant(consultation=consultation, kind=kind, organisation=data["organisation"], access=access,
                              contact_name=data["contact_name"], email=email, invited_by_id=user.id,
                              user_id=existing.id if existing is not None and access == Access.ACCOUNT else None)
    db.session.add(participant)
    db.session.flush()
    record("bollino.consultation.invite", participant, {"organisation": participant.organisation, "email": email,
                                                        "access": access}, actor=user)
    if consultation.state == ConsultationState.LAUNCHED:
        _welcome(participant, user)
    db.session.commit()
    return participant


def _welcome(participant: Participant, user: User) -> None:
    """The invitation to comment, and for an outside person without an account the invitation to create it."""
    if participant.access == Access.ACCOUNT and participant.user_id is None and user_by_email(participant.email) is None:
        add_invitation(participant.email, participant.contact_name, Role.CONSULTEE, None, user)
    notices.invitation(participant)


def remove_participant(participant: Participant, user: User) -> None:
    consultation = participant.consultation
    if any(c.participant_id == participant.id and c.is_sent for c in consultation.comments):
        raise RuleError(_("%(o)s ha già inviato commenti: resta tra i partecipanti.", o=participant.organisation))
    _ensure_inviting(consultation)
    record("bollino.consultation.uninvite", participant, {"organisation": participant.organisation}, actor=user)
    db.session.delete(participant)
    db.session.commit()


def resend_invitation(participant: Participant, user: User) -> None:
    """A new e-mail (for a link holder, a new link: the previous one stops working)."""
    if participant.consultation.state != ConsultationState.LAUNCHED:
        raise RuleError(_("Gli inviti partono all'avvio della consultazione."))
    _ensure_inviting(participant.consultation)
    _welcome(participant, user)
    record("bollino.consultation.reinvite", participant, {}, actor=user)
    db.session.commit()


# --- launch ---------------------------------------------------------------------------------

def launch_problems(consultation: Consultation) -> list[str]:
    problems = []
    if consultation.state != ConsultationState.PREPARING:
        problems.append(_("La consultazione è già stata avviata."))
    if consultation.edition.is_frozen:
        problems.append(_("L'edizione è già pubblicata."))
    if not consultation.participants:
        problems.append(_("Invita almeno una parte."))
    if consultation.opens_on < date.today():
        problems.append(_("La data di apertura è passata: spostala a oggi o dopo."))
    if not consultation.edition.areas:
        problems.append(_("La bozza non ha aree."))
    if consultation.edition.has_provisional_code:  # the parties would read "bozza 2027-bozza" in every e-mail
        problems.append(_("Dai alla bozza il codice della nuova edizione (ad esempio 2028) nell'editor."))
    return problems


def launch(consultation: Consultation, user: User) -> None:
    """Invite every party; from now on the draft stays the same for everybody."""
    problems = launch_problems(consultation)
    if problems:
        raise RuleError(_("La consultazione non si può avviare: %(p)s", p=" ".join(problems)))
    consultation.state = ConsultationState.LAUNCHED
    consultation.launched_at = utcnow()
    consultation.consulted_snapshot = edition_diff.snapshot(consultation.edition)
    if consultation.opens_on <= date.today():
        consultation.opening_sent_at = utcnow()  # the invitation says it is open
    for participant in consultation.participants:
        _welcome(participant, user)
    record("bollino.consultation.launch", consultation, {"participants": len(consultation.participants)}, actor=user)
    db.session.commit()


# --- comments -------------------------------------------------------------------------------

def _ensure_open(consultation: Consultation) -> None:
    phase = consultation.current_phase
    if phase == Phase.ANNOUNCED:
        raise RuleError(_("La consultazione apre il %(d)s: da quel giorno potrete commentare.", d=consultation.opens_on.strftime("%d/%m/%Y")))
    if phase != Phase.OPEN:
        raise RuleError(_("La consultazione è chiusa dal %(d)s: non si accettano più commenti.",
                          d=(consultation.closes_on + timedelta(days=1)).strftime("%d/%m/%Y")))


def target_choices(edition: Edition) -> list[tuple[str, str]]:
    """What a comment may refer to: the edition as a whole, an area, a parameter."""
    choices = [("edition", _("L'edizione nel suo insieme (impostazione, regole di punteggio, soglie)"))]
    for area in edition.areas:
        choices.append((f"area-{area.id}", _("Area %(c)s. %(t)s", c=area.code, t=area.title)))
        choices += [(f"parameter-{p.id}", f"{p.code} — {p.question[:90]}") for p in area.parameters]
    return choices


def _resolve_target(edition: Edition, target: str) -> tuple[Parameter | None, Area | None, str]:
    """(parameter, area, clause) of a comment's target: "edition", "area-<id>" or "parameter-<id>"."""
    kind, _sep, raw_id = target.partition("-")
    if kind == "edition" and not raw_id:
        return None, None, ""
    if kind == "area":
        area = next((a for a in edition.areas if str(a.id) == raw_id), None)
        if area is not None:
            return None, area, area.code
    if kind == "parameter":
        parameter = next((p for p in edition.parameters if str(p.id) == raw_id), None)
        if parameter is not None:
            return parameter, parameter.area, parameter.code
    raise RuleError(_("Scegli a che cosa si riferisce il commento tra le voci della bozza."))


def _proposal(stance: Stance, parameter: Parameter | None, area: Area | None, data: dict) -> tuple[int | None, Decimal | None]:
    """The proposed weight and target, when the comment proposes them and they fit its target."""
    if stance != Stance.PROPOSE:
        return None, None
    weight, target = data.get("proposed_weight"), data.get("proposed_target")
    if target is not None and (parameter is None or parameter.kind != ParameterKind.NUMBER):
        raise RuleError(_("Un obiettivo si propone per un indicatore numerico: scegli l'indicatore come riferimento."))
    if weight is not None:
        if parameter is None and area is None:
            raise RuleError(_("Un peso si propone per un'area o per un parametro: sceglilo come riferimento."))
        if parameter is not None and weight > MAX_PARAMETER_WEIGHT:
            raise RuleError(_("Il peso di un parametro nella sua area va da 1 a %(n)s.", n=MAX_PARAMETER_WEIGHT))
    return weight, target


def save_comment(consultation: Consultation, participation: Participation, comment: Comment | None, data: dict) -> Comment:
    """A new or changed draft comment of the participant's organisation."""
    _ensure_open(consultation)
    if comment is not None and (not participation.owns(comment) or comment.is_sent):
        raise RuleError(_("Questo commento è già stato inviato e non si modifica più."))
    parameter, area, clause = _resolve_target(consultation.edition, data["target"])
    stance = Stance(data["stance"])
    weight, target = _proposal(stance, parameter, area, data)
    if comment is None:
        comment = Comment(consultation_id=consultation.id, participant_id=participation.participant.id,
                          author_id=getattr(participation.user, "id", None), author_name=participation.name)
        db.session.add(comment)
    comment.parameter, comment.area, comment.clause = parameter, area, clause
    comment.comment_type, comment.stance = data["comment_type"], stance
    comment.text, comment.proposal = (data.get("text") or "").strip(), (data.get("proposal") or "").strip()
    comment.proposed_weight, comment.proposed_target = weight, target
    record("bollino.consultation.comment", comment, {"clause": clause, "stance": stance}, actor=participation.user)
    db.session.commit()
    return comment


def delete_comment(comment: Comment, participation: Participation) -> None:
    _ensure_open(comment.consultation)
    if not participation.owns(comment) or comment.is_sent:
        raise RuleError(_("Si eliminano solo i commenti non ancora inviati della propria organizzazione."))
    record("bollino.consultation.comment_delete", comment, {"clause": comment.clause}, actor=participation.user)
    db.session.delete(comment)
    db.session.commit()


def drafts_of(consultation: Consultation, participant: Participant) -> list[Comment]:
    return [c for c in consultation.comments if c.participant_id == participant.id and not c.is_sent]


def send_comments(consultation: Consultation, participation: Participation) -> int:
    """Send the organisation's drafts: numbered in order of sending, then fixed."""
    _ensure_open(consultation)
    if not participation.can_send:
        raise RuleError(_("I commenti dell'azienda li invia il suo amministratore, dopo averli raccolti."))
    drafts = drafts_of(consultation, participation.participant)
    if not drafts:
        raise RuleError(_("Non ci sono commenti da inviare."))
    # One sender numbers at a time (PostgreSQL row lock; SQLite writes one at a time anyway).
    db.session.execute(select(Consultation.id).where(Consultation.id == consultation.id).with_for_update())
    last = db.session.scalar(select(func.max(Comment.number)).where(Comment.consultation_id == consultation.id)) or 0
    now = utcnow()
    for offset, comment in enumerate(sorted(drafts, key=lambda c: c.id), start=1):
        comment.number, comment.status, comment.sent_at = last + offset, CommentStatus.SENT, now
        comment.sent_by_id = getattr(participation.user, "id", None)
    record("bollino.consultation.send", participation.participant, {"comments": [c.number for c in drafts]}, actor=participation.user)
    notices.receipt(participation, drafts)
    db.session.commit()
    return len(drafts)


# --- answers and report ---------------------------------------------------------------------

def answer(comment: Comment, data: dict, user: User) -> None:
    _ensure_phase(comment.consultation, Phase.CLOSED,
                  message=_("Si risponde ai commenti dopo la chiusura della consultazione e prima del rapporto."))
    if not comment.is_sent:
        raise RuleError(_("Questo commento non è stato inviato."))
    changes = diff(comment, ["disposition", "answer"], {"disposition": data["disposition"], "answer": data["answer"].strip()})
    comment.disposition, comment.answer = data["disposition"], data["answer"].strip()
    comment.answered_by_id, comment.answered_at = user.id, utcnow()
    record("bollino.consultation.answer", comment, changes, actor=user)
    db.session.commit()


def unanswered(consultation: Consultation) -> list[Comment]:
    return [c for c in consultation.sent_comments if c.disposition is None]


def publish_report(consultation: Consultation, conclusions: str, user: User) -> None:
    """Every comment answered: the report goes public with the draft as it now stands, which
    stays so until it is published as the new edition."""
    _ensure_phase(consultation, Phase.CLOSED, message=_("Il rapporto si pubblica quando la consultazione è chiusa."))
    missing = unanswered(consultation)
    if missing:
        raise RuleError(_("Mancano le risposte ai commenti %(n)s.", n=", ".join(str(c.number) for c in missing)))
    consultation.conclusions = conclusions.strip()
    consultation.final_snapshot = edition_diff.snapshot(consultation.edition)
    consultation.state = ConsultationState.REPORTED
    consultation.report_published_at = utcnow()
    for participant in consultation.participants:
        notices.report_out(participant)
    record("bollino.consultation.report", consultation, {"comments": len(consultation.sent_comments)}, actor=user)
    db.session.commit()


# --- scheduled ------------------------------------------------------------------------------

def send_due_notices(today: date | None = None) -> dict[str, int]:
    """The opening e-mail on the opening day and the reminder before closing, each once (so a
    second run the same day sends nothing). Celery beat runs it every morning (`notices_each_morning`);
    `flask --app portal certificates consultation-notices --on` runs it by hand."""
    today = today or date.today()
    sent = {"opening": 0, "reminder": 0}
    for consultation in db.session.scalars(select(Consultation).where(
            Consultation.state == ConsultationState.LAUNCHED, Consultation.closes_on >= today)):
        if consultation.phase(today) != Phase.OPEN:
            continue
        done = []
        if consultation.opening_sent_at is None:
            consultation.opening_sent_at = utcnow()
            for participant in consultation.participants:
                notices.opening(participant)
            done.append("opening")
        if consultation.reminder_sent_at is None and today >= consultation.closes_on - timedelta(days=consultation.reminder_days):
            consultation.reminder_sent_at = utcnow()
            for participant in consultation.participants:
                drafts = drafts_of(consultation, participant)
                has_sent = any(c.participant_id == participant.id and c.is_sent for c in consultation.comments)
                if drafts or not has_sent:
                    notices.reminder(participant, len(drafts))
            done.append("reminder")
        if done:
            for kind in done:
                sent[kind] += 1
            record("bollino.consultation.notices", consultation, {"sent": done, "on": today.isoformat()})
            db.session.commit()
    return sent


@periodic("consultations.notices", crontab(hour=6, minute=30))
def notices_each_morning() -> None:
    send_due_notices()
