"""Membership requests, companies, sites and colleagues."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal import throttle
from portal.access import COMPANY_ROLES, Role, company_only, ensure, public, roles, staff_only
from portal.extensions import db
from portal.forms import CsrfForm
from portal.geography import REGIONS
from portal.members import identity, services
from portal.members.blueprint import bp
from portal.members.forms import (
    CompanyForm,
    InviteForm,
    MembershipRequestForm,
    MembershipStateForm,
    RefuseForm,
    SiteForm,
)
from portal.members.models import Company, Invitation, MembershipRequest, MembershipState, RequestStatus, Site, User
from portal.navigation import Task, add_nav, task_provider
from portal.views import form_status, load_or_404, rule_errors

HELD_MESSAGE = _l("Alcuni dati compaiono sui certificati Bollino Blu dell'azienda: la loro modifica attende "
                  "l'approvazione dello staff, e fino ad allora il registro pubblico mostra quelli certificati.")

add_nav(_l("Aziende associate"), "members.companies", order=10)
add_nav(_l("Richieste di adesione"), "members.requests", order=11)
add_nav(_l("La mia azienda"), "members.my_company", order=10)


@task_provider
def membership_tasks(user):
    if user.is_staff:
        pending = services.count_pending_requests()
        if pending:
            yield Task(_("Richieste di adesione da esaminare"), url_for("members.requests"), pending, urgent=True)
    if user.is_company_admin and user.company and not user.company.sites:
        yield Task(_("Registra le sedi operative della tua azienda"), url_for("members.new_site", company_id=user.company_id))


# --- public request and staff decision ----------------------------------------------------

@bp.route("/aderisci", methods=["GET", "POST"])
@public
def join():
    form = MembershipRequestForm()
    if form.validate_on_submit():
        # Each request creates a company and e-mails every staff member: a few an hour per client
        # (counted once the form is valid, so that typing mistakes do not use the allowance up).
        throttle.refuse_over(current_app.config["JOIN_RATE_LIMIT"], "join", request.remote_addr)
        with rule_errors(form.partita_iva):
            services.request_membership(form.data)
            return render_template("members/join_sent.html", email=form.contact_email.data)
    return render_template("members/join.html", form=form), form_status(form)


@bp.get("/soci/richieste")
@staff_only
def requests():
    status = request.args.get("stato", RequestStatus.PENDING.value)
    query = select(MembershipRequest).options(joinedload(MembershipRequest.company)).order_by(MembershipRequest.created_at.desc())
    if status in {s.value for s in RequestStatus}:
        query = query.where(MembershipRequest.status == status)
    page = db.paginate(query, per_page=20)
    return render_template("members/requests.html", page=page, status=status)


@bp.get("/soci/richieste/<int:request_id>")
@staff_only
def request_detail(request_id: int):
    membership_request = db.get_or_404(MembershipRequest, request_id)
    return render_template(
        "members/request_detail.html", req=membership_request, approve_form=CsrfForm(), refuse_form=RefuseForm()
    )


@bp.post("/soci/richieste/<int:request_id>/approva")
@staff_only
def approve_request(request_id: int):
    membership_request = db.get_or_404(MembershipRequest, request_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.approve_request(membership_request, current_user)
            flash(_("Adesione approvata: il referente ha ricevuto l'invito."), "success")
    return redirect(url_for("members.request_detail", request_id=request_id))


@bp.post("/soci/richieste/<int:request_id>/rifiuta")
@staff_only
def refuse_request(request_id: int):
    membership_request = db.get_or_404(MembershipRequest, request_id)
    form = RefuseForm()
    if form.validate_on_submit():
        with rule_errors(form):  # already decided: the page shows no reason field any more
            services.refuse_request(membership_request, current_user, form.reason.data)
            flash(_("Richiesta rifiutata; il referente è stato avvisato."), "success")
            return redirect(url_for("members.request_detail", request_id=request_id))
    return render_template(
        "members/request_detail.html", req=membership_request, approve_form=CsrfForm(), refuse_form=form
    ), form_status(form)


# --- companies ---------------------------------------------------------------------------

@bp.get("/soci/aziende")
@staff_only
def companies():
    query = select(Company).order_by(Company.ragione_sociale)
    q = request.args.get("q", "").strip()
    state = request.args.get("stato", "")
    region = request.args.get("regione", "")
    if q:
        like = f"%{q}%"
        query = query.where(or_(Company.ragione_sociale.ilike(like), Company.partita_iva.like(like)))
    if state in {s.value for s in MembershipState}:
        query = query.where(Company.membership_state == state)
    if region in REGIONS:
        query = query.where(Company.regione == region)
    page = db.paginate(query, per_page=20)
    return render_template("members/companies.html", page=page, q=q, state=state, region=region, regions=REGIONS)


@bp.get("/soci/la-mia-azienda")
@company_only
def my_company():
    if current_user.company_id is None:
        abort(404)
    return redirect(url_for("members.company", company_id=current_user.company_id))


@bp.get("/soci/aziende/<int:company_id>")
@roles(*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
def company(company_id: int):
    return _company_page(load_or_404(Company, company_id))


def _company_page(company: Company, state_form=None, invite_form=None):
    """The company page; a form that failed comes back with what was typed and its errors."""
    if state_form is None:  # offer a change, not the state the company is already in
        state_form = MembershipStateForm()
        state_form.state.choices = [c for c in state_form.state.choices if c.value != company.membership_state]
    return render_template(
        "members/company.html",
        company=company,
        state_form=state_form,
        invite_form=invite_form or InviteForm(),
        invitations=list(_open_invitations(company)),
        pending_identity=identity.keeper().pending_notice(company.id),
    ), form_status(*(form for form in (state_form, invite_form) if form is not None))


def _open_invitations(company: Company):
    return db.session.scalars(
        select(Invitation)
        .where(Invitation.company_id == company.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc())
    )


@bp.route("/soci/aziende/<int:company_id>/modifica", methods=["GET", "POST"])
@roles(Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)
def edit_company(company_id: int):
    company = load_or_404(Company, company_id, right="edit")
    form = CompanyForm(obj=company)
    if form.validate_on_submit():
        with rule_errors(form.partita_iva):
            held = services.update_company(company, form.data, current_user)
            flash(_("Dati dell'azienda salvati."), "success")
            if held:
                flash(str(HELD_MESSAGE), "warning")
            return redirect(url_for("members.company", company_id=company.id))
    return render_template("members/company_form.html", form=form, company=company), form_status(form)


@bp.post("/soci/aziende/<int:company_id>/stato")
@staff_only
def change_state(company_id: int):
    company = db.get_or_404(Company, company_id)
    form = MembershipStateForm()
    if form.validate_on_submit():
        with rule_errors(form.state):
            services.change_membership_state(company, MembershipState(form.state.data), form.reason.data)
            flash(_("Stato dell'adesione aggiornato."), "success")
            return redirect(url_for("members.company", company_id=company.id))
    return _company_page(company, state_form=form)


# --- sites -------------------------------------------------------------------------------

@bp.route("/soci/aziende/<int:company_id>/sedi/nuova", methods=["GET", "POST"])
@roles(Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)
def new_site(company_id: int):
    company = load_or_404(Company, company_id, right="edit")
    form = SiteForm()
    if form.validate_on_submit():
        services.save_site(company, None, form.data, current_user)
        flash(_("Sede aggiunta."), "success")
        return redirect(url_for("members.company", company_id=company.id))
    return render_template("members/site_form.html", form=form, company=company, site=None), form_status(form)


@bp.route("/soci/sedi/<int:site_id>/modifica", methods=["GET", "POST"])
@roles(Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)
def edit_site(site_id: int):
    site = load_or_404(Site, site_id, right="edit")
    form = SiteForm(obj=site)
    if form.validate_on_submit():
        held = services.save_site(site.company, site, form.data, current_user)
        flash(_("Sede aggiornata."), "success")
        if held:
            flash(str(HELD_MESSAGE), "warning")
        return redirect(url_for("members.company", company_id=site.company_id))
    return render_template("members/site_form.html", form=form, company=site.company, site=site), form_status(form)


@bp.post("/soci/sedi/<int:site_id>/elimina")
@roles(Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)
def delete_site(site_id: int):
    site = load_or_404(Site, site_id, right="edit")
    company_id = site.company_id
    if CsrfForm().validate_on_submit():
        with rule_errors():
            deleted = services.delete_site(site, current_user)
            flash(_("Sede eliminata.") if deleted else _("La sede è nel perimetro di un certificato Bollino Blu: la sua "
                                                         "eliminazione attende l'approvazione dello staff."),
                  "success" if deleted else "warning")
    return redirect(url_for("members.company", company_id=company_id))


# --- colleagues --------------------------------------------------------------------------

@bp.post("/soci/aziende/<int:company_id>/invita")
@roles(Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)
def invite_colleague(company_id: int):
    company = load_or_404(Company, company_id, right="edit")
    form = InviteForm()
    if form.validate_on_submit():
        with rule_errors(form.email):
            services.invite(form.email.data, form.name.data, Role.APPLICANT, company, current_user)
            flash(_("Invito inviato a %(email)s.", email=form.email.data), "success")
            return redirect(url_for("members.company", company_id=company.id))
    return _company_page(company, invite_form=form)


@bp.post("/soci/utenti/<int:user_id>/rimuovi")
@roles(Role.COMPANY_ADMIN)
def remove_colleague(user_id: int):
    user = db.get_or_404(User, user_id)
    ensure(user.company_id == current_user.company_id, status=404)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.remove_colleague(user, current_user)
            flash(_("%(name)s non fa più parte dell'azienda.", name=user.name), "success")
    return redirect(url_for("members.company", company_id=current_user.company_id))
