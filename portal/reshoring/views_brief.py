"""Sector figures and the ministry brief: editing, HTML preview, PDF and XLSX annex."""

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import ensure, staff_only
from portal.exports import download
from portal.extensions import db
from portal.forms import CsrfForm, italian_options, options
from portal.inputs import arg_int
from portal.reshoring import issues, services
from portal.reshoring.annex import brief_annex
from portal.reshoring.blueprint import bp
from portal.reshoring.brief import brief_filename, gather
from portal.reshoring.forms import BriefForm, FigureForm
from portal.reshoring.models import DEFAULT_SECTIONS, ISSUED, PREPARING, Brief, BriefIssue, Roundtable, SectorFigure
from portal.uploads import send_stored
from portal.views import form_status, rule_errors

# --- sector figures ----------------------------------------------------------------------------

@bp.get("/dati-settore")
@staff_only
def figures():
    page = db.paginate(select(SectorFigure).order_by(SectorFigure.label, SectorFigure.year.desc()), per_page=20)
    return render_template("reshoring/figures.html", page=page)


@bp.route("/dati-settore/nuovo", methods=["GET", "POST"], defaults={"figure_id": None})
@bp.route("/dati-settore/<int:figure_id>", methods=["GET", "POST"])
@staff_only
def edit_figure(figure_id: int | None):
    figure = db.get_or_404(SectorFigure, figure_id) if figure_id else None
    form = FigureForm(obj=figure)
    if form.validate_on_submit():
        with rule_errors(form.source):
            services.save_figure(figure, form.data)
            flash(_("Dato salvato."), "success")
            return redirect(url_for("reshoring.figures"))
    return render_template("reshoring/figure_form.html", form=form, figure=figure), form_status(form)


@bp.post("/dati-settore/<int:figure_id>/elimina")
@staff_only
def delete_figure(figure_id: int):
    figure = db.get_or_404(SectorFigure, figure_id)
    if CsrfForm().validate_on_submit():
        services.delete_figure(figure)
        flash(_("Dato «%(label)s» (%(year)s) eliminato.", label=figure.label, year=figure.year), "success")
    return redirect(url_for("reshoring.figures"))


# --- briefs ------------------------------------------------------------------------------------

@bp.get("/dossier")
@staff_only
def briefs():
    page = db.paginate(select(Brief).options(joinedload(Brief.roundtable)).order_by(Brief.updated_at.desc()), per_page=20)
    issued = db.session.scalars(select(BriefIssue).where(BriefIssue.status == ISSUED).order_by(BriefIssue.issued_at.desc()).limit(50)).all()
    return render_template("reshoring/briefs.html", page=page, issued=issued)


def _brief_form(brief: Brief | None) -> BriefForm:
    form = BriefForm(obj=brief)
    roundtables = db.session.scalars(select(Roundtable).order_by(Roundtable.starts_at.desc())).all()
    form.roundtable_id.choices = options([("", "—")]) + italian_options(
        (str(r.id), f"{r.title} ({r.starts_at.strftime('%d/%m/%Y')})") for r in roundtables)
    return form


@bp.route("/dossier/nuovo", methods=["GET", "POST"], defaults={"brief_id": None})
@bp.route("/dossier/<int:brief_id>/modifica", methods=["GET", "POST"])
@staff_only
def edit_brief(brief_id: int | None):
    brief = db.get_or_404(Brief, brief_id) if brief_id else None
    form = _brief_form(brief)
    if brief is None and not form.is_submitted():
        form.sections.data = list(DEFAULT_SECTIONS)
        form.contact_name.data, form.contact_email.data = current_user.name, current_user.email
        if roundtable_id := arg_int("tavolo"):
            roundtable = db.get_or_404(Roundtable, roundtable_id)
            form.roundtable_id.data = roundtable.id
            form.title.data = _("Dossier per il tavolo «%(title)s»", title=roundtable.title)
            form.addressees.data = roundtable.convening_body
    if form.validate_on_submit():
        with rule_errors(form.roundtable_id):
            saved = services.save_brief(brief, form.data, current_user)
            flash(_("Dossier salvato."), "success")
            return redirect(url_for("reshoring.brief_preview", brief_id=saved.id))
    return render_template("reshoring/brief_form.html", form=form, brief=brief), form_status(form)


@bp.get("/dossier/<int:brief_id>")
@staff_only
def brief_preview(brief_id: int):
    brief = db.get_or_404(Brief, brief_id)
    pdf_job, pdf_ready = services.brief_pdf_jobs(brief)
    preparing = next((i for i in brief.issues if i.status == PREPARING), None)
    return render_template("reshoring/brief_preview.html", pdf_job=pdf_job, pdf_ready=pdf_ready, pdf_form=CsrfForm(),
                           preparing=preparing, issue_job=issues.issue_job(preparing) if preparing else None, **gather(brief))


@bp.post("/dossier/<int:brief_id>/pdf")
@staff_only
def brief_pdf_request(brief_id: int):
    brief = db.get_or_404(Brief, brief_id)
    if CsrfForm().validate_on_submit():
        services.request_brief_pdf(brief, current_user)
    return redirect(url_for("reshoring.brief_preview", brief_id=brief.id))


@bp.get("/dossier/<int:brief_id>/pdf/stato")
@staff_only
def brief_pdf_status(brief_id: int):
    pdf_job, _ready = services.brief_pdf_jobs(db.get_or_404(Brief, brief_id))
    if pdf_job is None:
        abort(404)
    return jsonify(pdf_job.state())


@bp.get("/dossier/<int:brief_id>/dossier.pdf")
@staff_only
def brief_pdf_download(brief_id: int):
    brief = db.get_or_404(Brief, brief_id)
    _job, pdf_ready = services.brief_pdf_jobs(brief)
    if pdf_ready is None:
        flash(_("Il PDF non è ancora stato preparato: usa «Prepara il PDF»."), "warning")
        return redirect(url_for("reshoring.brief_preview", brief_id=brief.id))
    return send_stored(pdf_ready.result_file, as_attachment=True)


@bp.get("/dossier/<int:brief_id>/allegato.xlsx")
@staff_only
def brief_xlsx(brief_id: int):
    brief = db.get_or_404(Brief, brief_id)
    return download(brief_annex(gather(brief)), brief_filename(brief, "xlsx"))


# --- issued briefs: numbered, dated, frozen --------------------------------------------------------

@bp.post("/dossier/<int:brief_id>/emetti")
@staff_only
def issue_brief(brief_id: int):
    brief = db.get_or_404(Brief, brief_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            issue = issues.issue_brief(brief, current_user)
            flash(_("Dossier emesso con protocollo n. %(number)s (versione %(version)s): i file sono in preparazione.",
                    number=issue.protocol, version=issue.version), "success")
    return redirect(url_for("reshoring.brief_preview", brief_id=brief.id) + "#emissioni")


@bp.get("/dossier/emissioni/<int:issue_id>/stato")
@staff_only
def issue_status(issue_id: int):
    """What js/jobs/progress.js reads while the issue's files are made."""
    build = issues.issue_job(db.get_or_404(BriefIssue, issue_id))
    if build is None:
        abort(404)
    return jsonify(build.state())


@bp.get("/dossier/emissioni/<int:issue_id>/<any(pdf, xlsx):kind>")
@staff_only
def issued_file(issue_id: int, kind: str):
    """The file exactly as it was issued."""
    issue = db.get_or_404(BriefIssue, issue_id)
    ensure(issue.is_ready, status=404)
    return send_stored(issue.pdf_file if kind == "pdf" else issue.xlsx_file, as_attachment=True)
