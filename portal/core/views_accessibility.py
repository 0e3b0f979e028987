"""The accessibility statement, its feedback form, and the staff's list of the reports received."""

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.access import public, staff_only
from portal.core import accessibility
from portal.core.accessibility import AccessibilityReport
from portal.core.forms import AccessibilityReportForm
from portal.core.views import bp
from portal.extensions import db, limiter
from portal.navigation import Task, add_nav, task_provider
from portal.views import form_status

add_nav(_l("Segnalazioni di accessibilità"), "core.accessibility_reports", order=90, group="admin")


@task_provider
def accessibility_tasks(user):
    if user.is_staff:
        waiting, oldest = db.session.execute(select(func.count(), func.min(AccessibilityReport.created_at))
                                             .where(AccessibilityReport.handled_at.is_(None))).one()
        if waiting:
            yield Task(_("Segnalazioni di accessibilità a cui rispondere"), url_for("core.accessibility_reports"),
                       waiting, urgent=accessibility.answer_due(oldest) < date.today())


@bp.get("/accessibilita")
@public
def accessibility_statement():
    return render_template(
        "core/accessibility.html", portal_url=current_app.config["PUBLIC_BASE_URL"],
        non_conformities=accessibility.NON_CONFORMITIES, published_on=accessibility.PUBLISHED_ON,
        reviewed_on=accessibility.REVIEWED_ON, review_method=accessibility.REVIEW_METHOD,
        contact_email=current_app.config["ACCESSIBILITY_EMAIL"], answer_days=accessibility.ANSWER_DAYS)


@bp.route("/accessibilita/segnalazione", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def report_accessibility():
    form = AccessibilityReportForm()
    if request.method == "GET":
        form.page.data = request.args.get("pagina", "")[:500]
    if form.validate_on_submit():
        report = accessibility.report_problem(form.data)
        return render_template("core/accessibility_report_sent.html", report=report)
    return render_template("core/accessibility_report.html", form=form, answer_days=accessibility.ANSWER_DAYS), \
        form_status(form)


REPORT_FILTERS = {"": AccessibilityReport.handled_at.is_(None), "gestite": AccessibilityReport.handled_at.is_not(None)}


@bp.get("/accessibilita/segnalazioni")
@staff_only
def accessibility_reports():
    status = request.args.get("stato", "")
    query = select(AccessibilityReport).options(joinedload(AccessibilityReport.handled_by)) \
        .order_by(AccessibilityReport.created_at.desc())
    if status in REPORT_FILTERS:
        query = query.where(REPORT_FILTERS[status])
    page = db.paginate(query, per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template("core/accessibility_reports.html", page=page, status=status, today=date.today(),
                           answer_days=accessibility.ANSWER_DAYS)


@bp.post("/accessibilita/segnalazioni/<int:report_id>/gestita")
@staff_only
def handle_accessibility_report(report_id: int):
    report = db.get_or_404(AccessibilityReport, report_id)
    accessibility.mark_handled(report, current_user)
    flash(_("Segnalazione n. %(n)s segnata come gestita.", n=report.id), "success")
    return redirect(url_for("core.accessibility_reports"))
