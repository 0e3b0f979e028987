"""Proposals: drafting, the workflow, attachments, supports of member companies, workflow states."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.access import COMPANY_ROLES, Role, ensure, public, roles, staff_only
from portal.concurrency import ConflictError
from portal.extensions import db
from portal.forms import CsrfForm, italian_options
from portal.geography import REGIONS
from portal.navigation import Task, add_nav, task_provider
from portal.reshoring import services
from portal.reshoring.blueprint import bp
from portal.reshoring.brief_figures import proposal_page_figures
from portal.reshoring.forms import AttachmentForm, ProposalForm, StateForm, SupportForm, TransitionForm, reason_help
from portal.reshoring.models import Proposal, ProposalAttachment, ProposalState, ProposalStateChange
from portal.reshoring.timeline import progress, proposal_timeline
from portal.uploads import send_stored
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Proposte di reshoring"), "reshoring.proposals", order=61)

PROPOSAL_ROLES = (*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
DRAFTING_ROLES = (Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)


@task_provider
def company_drafts_task(user):
    if user.is_staff:
        count = db.session.scalar(
            select(func.count()).select_from(Proposal).join(ProposalState)
            .where(Proposal.company_id.is_not(None), ProposalState.is_initial)
        )
        if count:
            yield Task(_("Bozze di proposte delle aziende da esaminare"), url_for("reshoring.proposals", stato="bozze"), count)


def visible_proposals_query(user):
    query = select(Proposal).join(ProposalState).order_by(Proposal.updated_at.desc())
    if user.is_staff:
        return query
    return query.where(or_(~ProposalState.is_initial, and_(Proposal.company_id == user.company_id, Proposal.company_id.is_not(None))))


@bp.get("/proposte")
@roles(*PROPOSAL_ROLES)
def proposals():
    query = visible_proposals_query(current_user).options(joinedload(Proposal.company), selectinload(Proposal.supports))
    state = request.args.get("stato", "")
    if state == "bozze":
        query = query.where(ProposalState.is_initial, Proposal.company_id.is_not(None))
    elif state:
        query = query.where(ProposalState.code == state)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(Proposal.title.ilike(f"%{q}%"))
    page = db.paginate(query, per_page=20)
    return render_template("reshoring/proposals.html", page=page, state=state, q=q, states=services.states())


def _proposal_form_page(form: ProposalForm, proposal: Proposal | None, conflict: bool = False):
    status = 409 if conflict else form_status(form)
    return render_template("reshoring/proposal_form.html", form=form, proposal=proposal, conflict=conflict), status


@bp.route("/proposte/nuova", methods=["GET", "POST"])
@roles(*DRAFTING_ROLES)
def new_proposal():
    if current_user.is_company_user and current_user.company is None:
        abort(404)
    form = ProposalForm()
    if form.validate_on_submit():
        proposal = services.create_proposal(form.data, current_user)
        flash(_("Bozza salvata."), "success")
        return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))
    return _proposal_form_page(form, None)


@bp.route("/proposte/<int:proposal_id>/modifica", methods=["GET", "POST"])
@roles(*DRAFTING_ROLES)
def edit_proposal(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id, right="edit")
    form = ProposalForm(obj=proposal)
    if form.validate_on_submit():
        try:
            services.update_proposal(proposal, form.data, form.version.data)
        except ConflictError as exc:  # 409 and both versions side by side, not just the message
            db.session.rollback()
            db.session.refresh(proposal)
            form.version.data = proposal.version  # a new save, once checked, replaces the other version
            flash(str(exc), "warning")
            return _proposal_form_page(form, proposal, conflict=True)
        flash(_("Proposta salvata."), "success")
        return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))
    return _proposal_form_page(form, proposal)


def _transition_form(proposal: Proposal) -> TransitionForm:
    form = TransitionForm()
    form.state_id.choices = italian_options((s.id, s.label) for s in proposal.state.targets)
    form.reason.description = reason_help(proposal.state.targets)
    if not form.is_submitted():
        form.version.data = proposal.version
    return form


def _detail_page(proposal: Proposal, **forms):
    forms.setdefault("transition_form", _transition_form(proposal))
    forms.setdefault("attachment_form", AttachmentForm())
    events = proposal_timeline(proposal, staff=current_user.is_staff)
    return render_template("reshoring/proposal.html", proposal=proposal, **proposal_page_figures(proposal, date.today()),
                           my_support=proposal.support_of(current_user.company_id) if current_user.is_company_user else None,
                           events=events, progress=progress(events), today=date.today(), action_form=CsrfForm(),
                           **forms), form_status(*forms.values())


@bp.get("/proposte/<int:proposal_id>")
@roles(*PROPOSAL_ROLES)
def proposal(proposal_id: int):
    return _detail_page(load_or_404(Proposal, proposal_id, options=[selectinload(Proposal.history).joinedload(ProposalStateChange.by)]))


@bp.post("/proposte/<int:proposal_id>/stato")
@staff_only
def change_state(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id)
    form = _transition_form(proposal)
    if form.validate_on_submit():
        target = db.get_or_404(ProposalState, form.state_id.data)
        with rule_errors(form.reason):
            services.change_proposal_state(proposal, target, form.reason.data, current_user, form.version.data)
            flash(_("La proposta ora è «%(state)s».", state=target.label), "success")
            return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))
    return _detail_page(proposal, transition_form=form)


@bp.post("/proposte/<int:proposal_id>/pubblica")
@staff_only
def set_public(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.set_public(proposal, request.form.get("public") == "1")
            flash(_("La proposta è pubblica.") if proposal.public else _("La proposta non è più pubblica."), "success")
    return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))


@bp.post("/proposte/<int:proposal_id>/allegati")
@roles(*DRAFTING_ROLES)
def add_attachment(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id, right="edit")
    form = AttachmentForm()
    if form.validate_on_submit():
        with rule_errors(form.file):
            services.add_attachment(proposal, form.file.data, form.title.data, current_user)
            flash(_("Allegato aggiunto."), "success")
            return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))
    return _detail_page(proposal, attachment_form=form)


@bp.get("/allegati/<int:attachment_id>")
@public
def attachment(attachment_id: int):
    attachment = db.get_or_404(ProposalAttachment, attachment_id)
    ensure(attachment.proposal.public or attachment.proposal.can_view(current_user), status=404)
    return send_stored(attachment.stored_file, as_attachment=True)


@bp.post("/allegati/<int:attachment_id>/elimina")
@roles(*DRAFTING_ROLES)
def remove_attachment(attachment_id: int):
    attachment = db.get_or_404(ProposalAttachment, attachment_id)
    proposal = load_or_404(Proposal, attachment.proposal_id, right="edit")
    if CsrfForm().validate_on_submit():
        services.remove_attachment(attachment)
        flash(_("Allegato eliminato."), "success")
    return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))


# --- supports ----------------------------------------------------------------------------------

@bp.route("/proposte/<int:proposal_id>/adesione", methods=["GET", "POST"])
@roles(Role.COMPANY_ADMIN)
def support(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id, right="support")
    existing = proposal.support_of(current_user.company_id)
    form = SupportForm(obj=existing)
    if form.validate_on_submit():
        with rule_errors(form.fte):
            services.save_support(proposal, current_user.company, form.data, current_user)
            flash(_("Grazie: l'adesione della tua azienda è registrata. Il nome dell'azienda potrà comparire con i suoi dati.")
                  if form.named.data else
                  _("Grazie: l'adesione della tua azienda è registrata. Fuori dall'associazione compariranno solo somme su almeno tre aziende."),
                  "success")
            return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))
    return render_template("reshoring/support_form.html", form=form, proposal=proposal, existing=existing,
                           regions=REGIONS), form_status(form)


@bp.post("/proposte/<int:proposal_id>/adesione/consenso")
@roles(Role.COMPANY_ADMIN)
def support_consent(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id)
    existing = proposal.support_of(current_user.company_id)
    if existing is None:
        abort(404)
    if CsrfForm().validate_on_submit():
        named = request.form.get("named") == "1"
        services.set_support_named(existing, named)
        flash(_("Consenso registrato: il nome della tua azienda può comparire con i dati di questa adesione.") if named else
              _("Consenso ritirato: fuori dall'associazione i dati di questa adesione compariranno solo in somme su almeno tre aziende."),
              "success")
    return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))


@bp.post("/proposte/<int:proposal_id>/adesione/ritira")
@roles(Role.COMPANY_ADMIN)
def withdraw_support(proposal_id: int):
    proposal = load_or_404(Proposal, proposal_id)
    existing = proposal.support_of(current_user.company_id)
    if existing is None:
        abort(404)
    if CsrfForm().validate_on_submit():
        services.withdraw_support(existing)
        flash(_("Adesione ritirata."), "success")
    return redirect(url_for("reshoring.proposal", proposal_id=proposal.id))


# --- the workflow's states (staff) --------------------------------------------------------------

@bp.get("/stati")
@staff_only
def states():
    return render_template("reshoring/states.html", states=services.states())


@bp.route("/stati/nuovo", methods=["GET", "POST"], defaults={"state_id": None})
@bp.route("/stati/<int:state_id>", methods=["GET", "POST"])
@staff_only
def edit_state(state_id: int | None):
    all_states = services.states()
    state = db.get_or_404(ProposalState, state_id) if state_id else None
    form = StateForm(obj=state)
    form.targets.choices = italian_options((s.id, s.label) for s in all_states if s is not state)
    if state is not None and not form.is_submitted():
        form.targets.data = [t.id for t in state.targets]
    if form.validate_on_submit():
        with rule_errors(form.code):
            services.save_state(state, form.data, form.targets.data or [])
            flash(_("Stato salvato."), "success")
            return redirect(url_for("reshoring.states"))
    return render_template("reshoring/state_form.html", form=form, state=state), form_status(form)
