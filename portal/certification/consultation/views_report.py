"""The consultation report: public once published (page, PDF, disposition table); before that,
staff read it as a preview and publish it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import exports
from portal.access import public, staff_only
from portal.certification.blueprint import bp
from portal.certification.consultation import report, services
from portal.certification.consultation.forms import ReportForm
from portal.certification.consultation.models import Consultation, ConsultationState, Phase
from portal.extensions import db
from portal.pdf import pdf_response
from portal.views import form_status, rule_errors

TABLE_FORMATS = {"xlsx": report.table_xlsx, "csv": report.table_csv}


def _readable(consultation_id: int) -> Consultation:
    """Published reports are public; staff also read the preview of a closed consultation."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if consultation.state == ConsultationState.REPORTED:
        return consultation
    staff = current_user.is_authenticated and current_user.is_staff
    if staff and consultation.current_phase == Phase.CLOSED:
        return consultation
    abort(404)


@bp.get("/consultazioni/<int:consultation_id>/rapporto")
@public
def consultation_report(consultation_id: int):
    consultation = _readable(consultation_id)
    return render_template("certification/consultation/report.html", report=report.build(consultation),
                           form=ReportForm(obj=consultation), unanswered=len(services.unanswered(consultation)))


@bp.post("/consultazioni/<int:consultation_id>/rapporto/pubblica")
@staff_only
def publish_report(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ReportForm()
    if form.validate_on_submit():
        with rule_errors(form.conclusions):
            services.publish_report(consultation, form.conclusions.data, current_user)
            flash(_("Rapporto pubblicato: le parti sono state avvisate. Ora puoi pubblicare l'edizione."), "success")
            return redirect(url_for("certification.consultation_report", consultation_id=consultation.id))
    if consultation.current_phase != Phase.CLOSED:
        abort(404)
    return render_template("certification/consultation/report.html", report=report.build(consultation), form=form,
                           unanswered=len(services.unanswered(consultation))), form_status(form)


@bp.get("/consultazioni/<int:consultation_id>/rapporto/pdf")
@public
def consultation_report_pdf(consultation_id: int):
    consultation = _readable(consultation_id)
    return pdf_response(report.report_pdf(report.build(consultation)), f"consultazione-bollino-blu-{consultation.edition.code}.pdf")


@bp.get("/consultazioni/<int:consultation_id>/rapporto/commenti.<fmt>")
@public
def consultation_table(consultation_id: int, fmt: str):
    if fmt not in TABLE_FORMATS:
        abort(404)
    consultation = _readable(consultation_id)
    return exports.download(TABLE_FORMATS[fmt](report.build(consultation)),
                            f"consultazione-{consultation.edition.code}-commenti-e-risposte.{fmt}")
