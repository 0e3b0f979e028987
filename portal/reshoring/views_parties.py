"""Organisations that sit at the tables (member companies and outside bodies) and their contacts (staff)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.access import staff_only
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.members.models import Company
from portal.reshoring import services_parties
from portal.reshoring.blueprint import bp
from portal.reshoring.forms import ContactForm, OrganisationForm
from portal.reshoring.models import PARTY_KINDS, Contact, Organisation, RoundtableParty
from portal.views import form_status, rule_errors


@bp.get("/organizzazioni")
@staff_only
def organisations():
    query = select(Organisation).options(selectinload(Organisation.contacts)).order_by(Organisation.kind, Organisation.name)
    kind = request.args.get("tipo", "")
    if kind in PARTY_KINDS:
        query = query.where(Organisation.kind == kind)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(Organisation.name.ilike(f"%{q}%"))
    page = db.paginate(query, per_page=20)
    return render_template("reshoring/organisations.html", page=page, kind=kind, q=q)


def _organisation_form(organisation: Organisation | None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation)
    companies = db.session.scalars(select(Company).order_by(Company.ragione_sociale)).all()
    form.company_id.choices = options([("", _("— nessuna: è un'organizzazione esterna —"))] + [(str(c.id), c.ragione_sociale) for c in companies])
    return form


@bp.route("/organizzazioni/nuova", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organizzazioni/<int:organisation_id>/modifica", methods=["GET", "POST"])
@staff_only
def edit_organisation(organisation_id: int | None):
    organisation = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    form = _organisation_form(organisation)
    if form.validate_on_submit():
        with rule_errors(form.name):
            saved = services_parties.save_organisation(organisation, form.data)
            flash(_("Organizzazione «%(name)s» salvata.", name=saved.name), "success")
            return redirect(url_for("reshoring.organisation", organisation_id=saved.id))
    return render_template("reshoring/organisation_form.html", form=form, organisation=organisation), form_status(form)


def _organisation_page(organisation: Organisation, contact_form: ContactForm | None = None):
    contact_form = contact_form or ContactForm()
    sessions = db.session.scalar(select(func.count()).select_from(RoundtableParty).where(RoundtableParty.organisation_id == organisation.id))
    return render_template("reshoring/organisation.html", organisation=organisation, contact_form=contact_form,
                           sessions=sessions), form_status(contact_form)


@bp.get("/organizzazioni/<int:organisation_id>")
@staff_only
def organisation(organisation_id: int):
    return _organisation_page(db.get_or_404(Organisation, organisation_id))


@bp.post("/organizzazioni/<int:organisation_id>/contatti")
@staff_only
def add_contact(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = ContactForm()
    if form.validate_on_submit():
        with rule_errors(form.email):
            contact = services_parties.save_contact(organisation, None, form.data)
            flash(_("%(name)s aggiunto ai contatti di %(organisation)s.", name=contact.name, organisation=organisation.name), "success")
            return redirect(url_for("reshoring.organisation", organisation_id=organisation.id))
    return _organisation_page(organisation, form)


@bp.route("/contatti/<int:contact_id>", methods=["GET", "POST"])
@staff_only
def edit_contact(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        with rule_errors(form.email):
            services_parties.save_contact(contact.organisation, contact, form.data)
            flash(_("Contatto di %(name)s salvato.", name=contact.name), "success")
            return redirect(url_for("reshoring.organisation", organisation_id=contact.organisation_id))
    return render_template("reshoring/contact_form.html", form=form, contact=contact), form_status(form)


@bp.post("/contatti/<int:contact_id>/disattiva")
@staff_only
def deactivate_contact(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    if CsrfForm().validate_on_submit():
        services_parties.deactivate_contact(contact)
        flash(_("%(name)s non riceverà più inviti né verbali.", name=contact.name), "success")
    return redirect(url_for("reshoring.organisation", organisation_id=contact.organisation_id))
