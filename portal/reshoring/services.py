"""Every state change of work abroad, proposals, supports, the workflow, figures and briefs.

One public function each: it checks the rule, writes the audit entry, queues its e-mails and
commits. Private helpers (leading underscore) change the session and never commit; the
roundtables' services share them.
"""

import io

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from portal.access import Role
from portal.audit import diff, record
from portal.concurrency import check_version, commit_versioned
from portal.extensions import db
from portal.jobs import DONE, Job, JobContext, JobFailed, enqueue, job
from portal.mail import queue_mail
from portal.members.models import Company
from portal.members.recipients import active_staff, company_users
from portal.reshoring.brief import brief_filename, brief_pdf
from portal.reshoring.models import (
    BRIEF_SECTIONS,
    Brief,
    CompanyProfile,
    Proposal,
    ProposalAttachment,
    ProposalState,
    ProposalStateChange,
    SectorFigure,
    Support,
    WorkAbroad,
)
from portal.reshoring.notices import RECIPIENT_KEYS
from portal.reshoring.workflow import DEFAULT_STATES, DEFAULT_TRANSITIONS, check_transition
from portal.rules import RuleError
from portal.uploads import store_upload
from portal.urls import absolute_url

ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg", "csv"})

WORK_FIELDS = ["site_id", "country", "place", "client_sector", "activities", "fte", "yearly_contacts", "yearly_hours",
               "start_date", "end_date", "client_name", "informs_callers", "offers_italy_eu"] + [f"notice_{key}" for key in RECIPIENT_KEYS]
PROFILE_FIELDS = ["employees", "roc_number"]
PROPOSAL_FIELDS = ["title", "summary", "measure", "addressees", "fte_reshored", "from_countries", "to_regions",
                   "yearly_volume", "volume_unit", "state_cost", "timeframe_months", "impact_notes"]
SUPPORT_FIELDS = ["fte", "region_fte", "from_countries", "timeframe_months", "conditions", "named"]
STATE_FIELDS = ["code", "label", "position", "requires_reason", "is_initial", "is_closed"]
FIGURE_FIELDS = ["label", "value", "unit", "year", "source", "kind", "key", "note"]
BRIEF_FIELDS = ["title", "roundtable_id", "date_from", "date_to", "position", "addressees", "sections", "contact_name",
                "contact_email", "contact_phone"]


def pick(data: dict, fields: list[str]) -> dict:
    return {f: data[f] for f in fields if f in data}


def _create_or_update(obj, model, fields: list[str], values: dict, action: str, **extra):
    """A new `model` row from `values`, or `values` written onto `obj`; audited as `<action>.create|update`."""
    if obj is None:
        obj = model(**extra, **values)
        db.session.add(obj)
        record(f"{action}.create", obj, values)
    else:
        changes = diff(obj, fields, values)
        for field, value in values.items():
            setattr(obj, field, value)
        record(f"{action}.update", obj, changes)
    return obj


# --- work abroad ------------------------------------------------------------------------------

def _check_work_dates(values: dict) -> None:
    if values.get("end_date") and values["end_date"] < values["start_date"]:
        raise RuleError(_("La data di fine non può precedere la data di avvio."))
    if values["country"] == "IT":
        raise RuleError(_("Qui si registra solo il lavoro svolto fuori dall'Italia."))


def save_work_abroad(company: Company, work: WorkAbroad | None, data: dict, user) -> WorkAbroad:
    values = pick(data, WORK_FIELDS)
    _check_work_dates(values)
    if values.get("site_id") and values["site_id"] not in {s.id for s in company.sites if s.is_abroad}:
        raise RuleError(_("La sede scelta non è una sede estera della tua azienda."))
    work = _create_or_update(work, WorkAbroad, WORK_FIELDS, values, "work_abroad", company_id=company.id, created_by_id=user.id)
    db.session.commit()
    return work


def save_company_profile(company: Company, data: dict, user) -> CompanyProfile:
    """The company's size and ROC registration, which art. 24-bis asks about the company as a whole."""
    values = pick(data, PROFILE_FIELDS) | {"roc_number": (data.get("roc_number") or "").strip()}
    profile = db.session.scalar(select(CompanyProfile).where(CompanyProfile.company_id == company.id))
    profile = _create_or_update(profile, CompanyProfile, PROFILE_FIELDS, values, "company_profile", company_id=company.id)
    profile.updated_by_id = user.id
    db.session.commit()
    return profile


def delete_work_abroad(work: WorkAbroad) -> None:
    record("work_abroad.delete", work, {"country": work.country, "place": work.place})
    db.session.delete(work)
    db.session.commit()


# --- the workflow's states --------------------------------------------------------------------

def ensure_workflow() -> None:
    """Create the default states and moves the first time the workflow is needed."""
    if db.session.scalar(select(ProposalState.id).limit(1)) is not None:
        return
    states = {}
    for position, (code, label, requires_reason, initial, closed) in enumerate(DEFAULT_STATES):
        states[code] = ProposalState(code=code, label=label, position=position * 10, requires_reason=requires_reason,
                                     is_initial=initial, is_closed=closed)
        db.session.add(states[code])
    for source, target in DEFAULT_TRANSITIONS:
        states[source].targets.append(states[target])
    db.session.commit()


def initial_state() -> ProposalState:
    ensure_workflow()
    return db.session.scalar(select(ProposalState).where(ProposalState.is_initial).order_by(ProposalState.position))


def state_by_code(code: str) -> ProposalState | None:
    return db.session.scalar(select(ProposalState).where(ProposalState.code == code))


def save_state(state: ProposalState | None, data: dict, target_ids: list[int]) -> ProposalState:
    values = pick(data, STATE_FIELDS)
    clash = db.session.scalar(select(ProposalState.id).where(
        ProposalState.code == values["code"], ProposalState.id != (state.id if state else None)))
    if clash:
        raise RuleError(_("Esiste già uno stato con questo codice."))
    if state is not None and state.is_initial and not values["is_initial"]:
        raise RuleError(_("Serve sempre uno stato iniziale: indicane un altro come iniziale invece di togliere questo."))
    if values["is_initial"]:
        for other in db.session.scalars(select(ProposalState).where(ProposalState.is_initial)):
            other.is_initial = False
    if state is None:
        state = ProposalState(**values)
        db.session.add(state)
        db.session.flush()
        changes = values
        action = "proposal_state.create"
    else:
        changes = diff(state, STATE_FIELDS, values)
        for field, value in values.items():
            setattr(state, field, value)
        action = "proposal_state.update"
    targets = list(db.session.scalars(select(ProposalState).where(ProposalState.id.in_(target_ids), ProposalState.id != state.id)))
    old_targets = sorted(t.code for t in state.targets)
    state.targets = targets
    if old_targets != sorted(t.code for t in targets):
        changes["targets"] = [old_targets, sorted(t.code for t in targets)]
    record(action, state, changes)
    db.session.commit()
    return state


# --- proposals ---------------------------------------------------------------------------------

def create_proposal(data: dict, user) -> Proposal:
    values = pick(data, PROPOSAL_FIELDS)
    state = initial_state()
    proposal = Proposal(state=state, author_id=user.id, company_id=user.company_id if user.is_company_user else None, **values)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalStateChange(proposal=proposal, to_state_id=state.id, by_id=user.id, reason=_("Proposta creata")))
    record("proposal.create", proposal, values)
    if proposal.company_id is not None:
        for staff in active_staff():
            queue_mail(staff.email, _("Nuova proposta di reshoring da %(company)s", company=user.company),
                       "reshoring/proposal_drafted.txt", proposal=proposal, company=user.company,
                       url=absolute_url("reshoring.proposal", proposal_id=proposal.id))
    db.session.commit()
    return proposal


def _proposal_conflict() -> str:
    return _("Nel frattempo qualcun altro ha salvato questa proposta. I tuoi dati sono ancora nel modulo: "
             "confrontali con la versione salvata qui sotto e salva di nuovo se vuoi sostituirla.")


def _state_conflict() -> str:
    return _("Nel frattempo la proposta è cambiata: ricarica la pagina e ripeti il cambio di stato.")


def update_proposal(proposal: Proposal, data: dict, seen_version) -> None:
    """Save the proposal unless it changed since the user opened it (optimistic concurrency)."""
    check_version(proposal, seen_version, _proposal_conflict())
    values = pick(data, PROPOSAL_FIELDS)
    changes = diff(proposal, PROPOSAL_FIELDS, values)
    for field, value in values.items():
        setattr(proposal, field, value)
    record("proposal.update", proposal, changes)
    commit_versioned(_proposal_conflict())


def _notify_state_change(proposal: Proposal, change: ProposalStateChange) -> None:
    company_ids = {s.company_id for s in proposal.supports} | ({proposal.company_id} if proposal.company_id else set())
    recipients = {u.email for cid in company_ids for u in company_users(cid, [Role.COMPANY_ADMIN])}
    for email in sorted(recipients):
        queue_mail(email, _("Proposta «%(title)s»: ora è %(state)s", title=proposal.title, state=change.to_state.label),
                   "reshoring/proposal_state.txt", proposal=proposal, change=change,
                   url=absolute_url("reshoring.proposal", proposal_id=proposal.id))


def _move_proposal(proposal: Proposal, target: ProposalState, reason: str, user, agenda_item=None) -> ProposalStateChange:
    """Change the proposal's state within the caller's transaction."""
    reason = check_transition(proposal.state, target, reason)
    change = ProposalStateChange(proposal=proposal, from_state_id=proposal.state_id, to_state_id=target.id,
                                 by_id=user.id, reason=reason, agenda_item=agenda_item)
    db.session.add(change)
    old = proposal.state
    proposal.state = target
    if target.is_initial:
        proposal.public = False  # a proposal sent back to draft leaves the public page
    db.session.flush()
    record("proposal.state", proposal, {"state": [old.code, target.code], "reason": reason,
                                        "roundtable": str(agenda_item.roundtable) if agenda_item else None})
    _notify_state_change(proposal, change)
    return change


def change_proposal_state(proposal: Proposal, target: ProposalState, reason: str, user, seen_version) -> None:
    check_version(proposal, seen_version, _state_conflict())
    _move_proposal(proposal, target, reason, user)
    commit_versioned(_state_conflict())


def set_public(proposal: Proposal, public: bool) -> None:
    if public and proposal.is_draft:
        raise RuleError(_("Una bozza non può essere pubblicata: prima va presentata."))
    record("proposal.public", proposal, {"public": [proposal.public, public]})
    proposal.public = public
    commit_versioned(_("Nel frattempo la proposta è cambiata: ricarica la pagina e riprova."))


def _attach_file(link_model, upload, title: str, user, action: str, owner, **owner_key):
    """Store an upload and link it, titled, to its owner (a proposal, a roundtable); audited on the owner."""
    stored = store_upload(upload, ATTACHMENT_KINDS, user)
    link = link_model(stored_file_id=stored.id, title=title or stored.original_name, **owner_key)
    db.session.add(link)
    record(action, owner, {"file": stored.original_name, "sha256": stored.sha256})
    return link


def add_attachment(proposal: Proposal, upload, title: str, user) -> ProposalAttachment:
    attachment = _attach_file(ProposalAttachment, upload, title, user, "proposal.attach", proposal, proposal=proposal)
    db.session.commit()
    return attachment


def remove_attachment(attachment: ProposalAttachment) -> None:
    record("proposal.detach", attachment.proposal, {"file": attachment.stored_file.original_name})
    db.session.delete(attachment)
    db.session.commit()


# --- supports ----------------------------------------------------------------------------------

def save_support(proposal: Proposal, company: Company, data: dict, user) -> Support:
    if not proposal.can_support(user):
        raise RuleError(_("Questa proposta non può più ricevere adesioni."))
    values = pick(data, SUPPORT_FIELDS)
    values["region_fte"] = dict(values.get("region_fte") or {})
    if values["region_fte"] and values.get("fte") is None:
        values["fte"] = sum(values["region_fte"].values())
    support = _create_or_update(proposal.support_of(company.id), Support, SUPPORT_FIELDS, values, "support",
                                proposal=proposal, company_id=company.id, created_by_id=user.id)
    db.session.commit()
    return support


def set_support_named(support: Support, named: bool) -> None:
    """The company changes its mind about being named on this support."""
    record("support.named", support, {"named": [support.named, named]})
    support.named = named
    db.session.commit()


def withdraw_support(support: Support) -> None:
    record("support.withdraw", support, {"company": str(support.company)})
    db.session.delete(support)
    db.session.commit()


# --- sector figures and briefs ----------------------------------------------------------------

def save_figure(figure: SectorFigure | None, data: dict) -> SectorFigure:
    values = pick(data, FIGURE_FIELDS)
    if not values.get("source", "").strip():
        raise RuleError(_("Un dato senza fonte non può essere usato: indica la fonte."))
    if values.get("key"):
        holder = db.session.scalar(select(SectorFigure).where(SectorFigure.key == values["key"], SectorFigure.id != getattr(figure, "id", None)))
        if holder is not None:
            raise RuleError(_("Questo uso è già assegnato al dato «%(label)s» (%(year)s): toglilo da lì prima di assegnarlo qui.",
                              label=holder.label, year=holder.year))
    figure = _create_or_update(figure, SectorFigure, FIGURE_FIELDS, values, "sector_figure")
    db.session.commit()
    return figure


def delete_figure(figure: SectorFigure) -> None:
    record("sector_figure.delete", figure, {"label": figure.label, "value": figure.value})
    db.session.delete(figure)
    db.session.commit()


def _check_brief_scope(values: dict) -> None:
    if values.get("roundtable_id"):
        return
    if not values.get("date_from") or not values.get("date_to"):
        raise RuleError(_("Scegli un tavolo oppure indica il periodo (dal … al …)."))
    if values["date_to"] < values["date_from"]:
        raise RuleError(_("La fine del periodo non può precedere l'inizio."))


def _check_brief_content(values: dict) -> None:
    if not values.get("sections"):
        raise RuleError(_("Scegli almeno una sezione da includere nel dossier."))
    if "posizione" in values["sections"] and not values["position"].strip():
        raise RuleError(_("La sezione «La posizione dell'associazione» è inclusa ma il testo è vuoto: scrivilo o togli la sezione."))


def save_brief(brief: Brief | None, data: dict, user) -> Brief:
    values = pick(data, BRIEF_FIELDS)
    for text in ("position", "addressees", "contact_name", "contact_email", "contact_phone"):
        values[text] = (values.get(text) or "").strip()
    values["roundtable_id"] = values.get("roundtable_id") or None
    values["sections"] = [s for s in BRIEF_SECTIONS if s in (values.get("sections") or [])]
    _check_brief_scope(values)
    _check_brief_content(values)
    brief = _create_or_update(brief, Brief, BRIEF_FIELDS, values, "brief", created_by_id=user.id)
    db.session.commit()
    return brief


def request_brief_pdf(brief: Brief, user) -> Job:
    """Staff asked for the brief's PDF: a worker builds it (seconds of CPU that must not hold a web
    worker); asking again while it is being built returns the same job."""
    pdf_job = enqueue(build_brief_pdf, brief.id, user=user, key=_brief_key(brief))
    db.session.commit()
    return pdf_job


def brief_pdf_jobs(brief: Brief) -> tuple[Job | None, Job | None]:
    """The brief's latest PDF job (its progress, or why it failed) and the latest PDF built."""
    jobs = select(Job).where(Job.key == _brief_key(brief)).order_by(Job.id.desc()).limit(1)
    return db.session.scalar(jobs), db.session.scalar(jobs.where(Job.status == DONE, Job.result_file_id.is_not(None)))


def _brief_key(brief: Brief) -> str:
    return f"brief-pdf:{brief.id}"


@job("reshoring.brief_pdf")
def build_brief_pdf(pdf_job: JobContext, brief_id: int) -> dict:
    brief = db.session.get(Brief, brief_id)
    if brief is None:
        raise JobFailed(_("Il dossier non esiste più."))
    pdf_job.progress(0, note=_("Composizione del PDF in corso."))
    data = brief_pdf(brief)
    pdf_job.attach(store_upload(FileStorage(io.BytesIO(data), filename=brief_filename(brief, "pdf")), {"pdf"}, None))
    return {"bytes": len(data)}


def states() -> list[ProposalState]:
    ensure_workflow()
    return list(db.session.scalars(select(ProposalState).options(selectinload(ProposalState.targets))
                                   .order_by(ProposalState.position, ProposalState.id)))

