"""Work abroad: companies record it with its art. 24-bis notices; staff see every company's."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from portal.access import COMPANY_ROLES, Role, roles
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.members.models import Company
from portal.navigation import Task, add_nav, task_provider
from portal.reshoring import services
from portal.reshoring.blueprint import bp
from portal.reshoring.forms import WorkAbroadForm
from portal.reshoring.models import WorkAbroad
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Lavoro all'estero"), "reshoring.work_list", order=60)

WORK_ROLES = (*COMPANY_ROLES, Role.STAFF, Role.ADMIN)


@task_provider
def work_abroad_tasks(user):
    if user.is_company_user and user.company_id:
        records = db.session.scalars(select(WorkAbroad).where(WorkAbroad.company_id == user.company_id)).all()
        flagged = sum(1 for r in records if r.problems())
        if flagged:
            yield Task(_("Attività all'estero con comunicazioni art. 24-bis mancanti o in ritardo"),
                       url_for("reshoring.work_list"), flagged, urgent=True)


def _site_choices(company: Company):
    return options([("", "—")] + [(str(s.id), f"{s.name} ({s.comune})") for s in company.sites if s.is_abroad])


@bp.get("/estero")
@roles(*WORK_ROLES)
def work_list():
    query = (select(WorkAbroad).join(Company).options(contains_eager(WorkAbroad.company))
             .order_by(Company.ragione_sociale, WorkAbroad.start_date.desc()))
    if current_user.is_company_user:
        query = query.where(WorkAbroad.company_id == current_user.company_id)
    country = request.args.get("paese", "")
    if country:
        query = query.where(WorkAbroad.country == country)
    page = db.paginate(query, per_page=20)
    countries = db.session.scalars(select(WorkAbroad.country).distinct().order_by(WorkAbroad.country)).all() if current_user.is_staff else []
    return render_template("reshoring/work_list.html", page=page, country=country, countries=countries,
                           today=date.today(), delete_form=CsrfForm())


def _save(company: Company, work: WorkAbroad | None, form: WorkAbroadForm):
    if form.validate_on_submit():
        with rule_errors(form.country):
            saved = services.save_work_abroad(company, work, form.data, current_user)
            problems = saved.problems()
            if problems:
                flash(ngettext("Attività salvata. Attenzione: %(num)s comunicazione art. 24-bis da sistemare.",
                           "Attività salvata. Attenzione: %(num)s comunicazioni art. 24-bis da sistemare.", len(problems)), "warning")
            else:
                flash(_("Attività salvata: le comunicazioni art. 24-bis sono complete e in tempo."), "success")
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
        flash(_("Attività eliminata."), "success")
    return redirect(url_for("reshoring.work_list"))
