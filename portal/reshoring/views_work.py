"""Work abroad: companies record it with its art. 24-bis notices; staff see every company's."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from portal.access import COMPANY_ROLES, Role, roles
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.geography import country_name
from portal.members.models import Company
from portal.navigation import Task, add_nav, task_provider
from portal.reshoring import services
from portal.reshoring.blueprint import bp
from portal.reshoring.forms import CompanyProfileForm, WorkAbroadForm
from portal.reshoring.models import CompanyProfile, WorkAbroad
from portal.reshoring.obligations import company_findings
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Lavoro all'estero"), "reshoring.work_list", order=60)

WORK_ROLES = (*COMPANY_ROLES, Role.STAFF, Role.ADMIN)


def company_profile(company_id: int) -> CompanyProfile | None:
    return db.session.scalar(select(CompanyProfile).where(CompanyProfile.company_id == company_id))


@task_provider
def work_abroad_tasks(user):
    if user.is_company_user and user.company_id:
        records = db.session.scalars(select(WorkAbroad).options(selectinload(WorkAbroad.profile))
                                     .where(WorkAbroad.company_id == user.company_id)).all()
        flagged = sum(1 for r in records if r.assessment().pending)
        if flagged:
            yield Task(_("Attività all'estero con obblighi art. 24-bis da sistemare"), url_for("reshoring.work_list"), flagged, urgent=True)
        if records and company_findings(company_profile(user.company_id)):
            yield Task(_("Dati dell'azienda per l'art. 24-bis da completare"), url_for("reshoring.edit_profile"), 1, urgent=True)


def _site_choices(company: Company):
    return options([("", "—")] + [(str(s.id), f"{s.name} ({s.comune})") for s in company.sites if s.is_abroad])


@bp.get("/estero")
@roles(*WORK_ROLES)
def work_list():
    query = (select(WorkAbroad).join(Company).options(contains_eager(WorkAbroad.company), selectinload(WorkAbroad.profile))
             .order_by(Company.ragione_sociale, WorkAbroad.start_date.desc()))
    if current_user.is_company_user:
        query = query.where(WorkAbroad.company_id == current_user.company_id)
    country = request.args.get("paese", "")
    if country:
        query = query.where(WorkAbroad.country == country)
    page = db.paginate(query, per_page=20)
    countries = db.session.scalars(select(WorkAbroad.country).distinct().order_by(WorkAbroad.country)).all() if current_user.is_staff else []
    profile = company_profile(current_user.company_id) if current_user.is_company_user else None
    return render_template("reshoring/work_list.html", page=page, country=country, countries=countries, today=date.today(),
                           profile=profile, company_findings=company_findings(profile) if current_user.is_company_user else [])


@bp.route("/estero/azienda", methods=["GET", "POST"])
@roles(*COMPANY_ROLES)
def edit_profile():
    if current_user.company is None:
        abort(404)
    profile = company_profile(current_user.company_id)
    form = CompanyProfileForm(obj=profile)
    if form.validate_on_submit():
        saved = services.save_company_profile(current_user.company, form.data, current_user)
        findings = company_findings(saved)
        flash(_("Dati dell'azienda salvati.") + (" " + _("Restano da sistemare: %(items)s", items=" ".join(f.message for f in findings))
                                                  if findings else ""), "warning" if findings else "success")
        return redirect(url_for("reshoring.work_list"))
    return render_template("reshoring/profile_form.html", form=form, company=current_user.company), form_status(form)


def _save(company: Company, work: WorkAbroad | None, form: WorkAbroadForm):
    if form.validate_on_submit():
        with rule_errors(form.country):
            saved = services.save_work_abroad(company, work, form.data, current_user)
            assessment = saved.assessment()
            if assessment.pending:
                flash(ngettext("Attività salvata. Attenzione: %(num)s obbligo art. 24-bis da sistemare.",
                               "Attività salvata. Attenzione: %(num)s obblighi art. 24-bis da sistemare.", len(assessment.findings)), "warning")
            elif assessment.ended:
                flash(_("Attività salvata: è conclusa, non restano obblighi da sistemare."), "success")
            else:
                flash(_("Attività salvata: gli obblighi art. 24-bis risultano rispettati."), "success")
            return redirect(url_for("reshoring.work_list"))
    return render_template("reshoring/work_form.html", form=form, work=work, company=company), form_status(form)


@bp.route("/estero/nuova", methods=["GET", "POST"])
@roles(*COMPANY_ROLES)
def new_work():
    if current_user.company is None:
        abort(404)
    form = WorkAbroadForm()
    form.site_id.choices = _site_choices(current_user.company)
    return _save(current_user.company, None, form)


@bp.route("/estero/<int:work_id>", methods=["GET", "POST"])
@roles(*WORK_ROLES)
def edit_work(work_id: int):
    work = load_or_404(WorkAbroad, work_id, right="edit")
    form = WorkAbroadForm(obj=work)
    form.site_id.choices = _site_choices(work.company)
    return _save(work.company, work, form)


@bp.post("/estero/<int:work_id>/elimina")
@roles(*WORK_ROLES)
def delete_work(work_id: int):
    work = load_or_404(WorkAbroad, work_id, right="edit")
    if CsrfForm().validate_on_submit():
        services.delete_work_abroad(work)
        flash(_("Attività in %(country)s eliminata.", country=country_name(work.country)), "success")
    return redirect(url_for("reshoring.work_list"))
