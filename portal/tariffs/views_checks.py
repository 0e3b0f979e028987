"""Saved checks and bulk batches: a company sees only its own, staff see all."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.access import Role, ensure, roles
from portal.exports import download
from portal.extensions import db
from portal.inputs import arg_page
from portal.navigation import Task, add_nav, task_provider
from portal.pdf import pdf_response, render_pdf
from portal.rules import RuleError
from portal.tariffs import services
from portal.tariffs.blueprint import bp
from portal.tariffs.exports import SavedResult, results_csv_bytes, results_xlsx_bytes
from portal.tariffs.forms import UNIT_LABELS, BulkForm
from portal.tariffs.models import SECTORS, UPLIFT_LABELS, RateBatch, RateCheck
from portal.uploads import send_stored, store_upload

CHECKERS = (Role.APPLICANT, Role.COMPANY_ADMIN, Role.STAFF, Role.ADMIN)
ESITI = ("conforme", "sotto_minimo_sostenibile", "sotto_costo_lavoro", "errore")
WORST_ROWS = 10

add_nav(_l("Verifiche delle tariffe"), "tariffs.history", order=41)


def _visible(query, model, user=None):
    """Restrict a query to the user's company unless the user is staff."""
    user = user or current_user
    return query if user.is_staff else query.where(model.company_id == user.company_id)


@bp.get("/verifiche")
@roles(*CHECKERS)
def history():
    checks = db.paginate(
        _visible(select(RateCheck).where(RateCheck.batch_id.is_(None)), RateCheck)
        .options(selectinload(RateCheck.company)).order_by(RateCheck.created_at.desc(), RateCheck.id.desc()),
        per_page=20,
    )
    batches = db.paginate(
        _visible(select(RateBatch), RateBatch).options(selectinload(RateBatch.company)).order_by(RateBatch.id.desc()),
        per_page=10, page=arg_page("pagina_liste"),
    )
    return render_template("tariffs/history.html", page=checks, batches=batches, sectors=SECTORS, unit_labels=UNIT_LABELS)


@bp.get("/verifiche/<int:check_id>")
@roles(*CHECKERS)
def check_detail(check_id: int):
    check = db.get_or_404(RateCheck, check_id)
    ensure(check.can_view(current_user), status=404)
    if check.batch_id is not None:
        return redirect(url_for("tariffs.batch_detail", batch_id=check.batch_id))
    return render_template("tariffs/check.html", check=check, sectors=SECTORS, unit_labels=UNIT_LABELS, uplift_labels=UPLIFT_LABELS)


@bp.route("/verifiche/massiva", methods=["GET", "POST"])
@roles(*CHECKERS)
def bulk_upload():
    form = BulkForm()
    if form.validate_on_submit():
        try:
            stored = store_upload(request.files.get("file"), {"csv", "xlsx"}, current_user)
            batch = services.create_batch(stored, current_user, form.cliente.data or "", form.settore.data or None, None)
        except RuleError as exc:
            db.session.rollback()
            form.file.errors = [str(exc)]
        else:
            services.launch_batch(batch)
            return redirect(url_for("tariffs.batch_detail", batch_id=batch.id))
    return render_template("tariffs/bulk_upload.html", form=form), 422 if form.errors else 200


def _batch(batch_id: int) -> RateBatch:
    batch = db.get_or_404(RateBatch, batch_id)
    ensure(batch.can_view(current_user), status=404)
    return batch


def _rows(batch: RateBatch):
    return select(RateCheck).where(RateCheck.batch_id == batch.id)


def _worst(batch: RateBatch, limit: int) -> list[RateCheck]:
    """The rows furthest under (or least over) the labour cost."""
    margin = (RateCheck.rate_per_minute - RateCheck.labour_cost) / RateCheck.labour_cost
    return db.session.scalars(_rows(batch).where(RateCheck.esito != "errore").order_by(margin, RateCheck.line).limit(limit)).all()


@bp.get("/verifiche/massiva/<int:batch_id>")
@roles(*CHECKERS)
def batch_detail(batch_id: int):
    batch = _batch(batch_id)
    esito = request.args.get("esito", "")
    rows = _rows(batch).order_by(RateCheck.line)
    if esito in ESITI:
        rows = rows.where(RateCheck.esito == esito)
    worst = _worst(batch, WORST_ROWS)
    return render_template(
        "tariffs/batch.html", batch=batch, page=db.paginate(rows, per_page=50), esito=esito, esiti=ESITI, worst=worst,
        errors=db.paginate(_rows(batch).where(RateCheck.esito == "errore").order_by(RateCheck.line), per_page=20,
                           page=arg_page("pagina_errori")),
        sectors=SECTORS, unit_labels=UNIT_LABELS,
    )


@bp.get("/verifiche/massiva/<int:batch_id>/stato")
@roles(*CHECKERS)
def batch_status(batch_id: int):
    batch = _batch(batch_id)
    return jsonify(status=batch.status, processed=batch.processed_rows, total=batch.total_rows,
                   percent=batch.progress_pct, failure=batch.failure)


def _finished(batch_id: int) -> RateBatch:
    batch = _batch(batch_id)
    if batch.status != "done":
        flash(_("La verifica non è conclusa: i file sono disponibili solo per una verifica completata."), "warning")
        abort(redirect(url_for("tariffs.batch_detail", batch_id=batch.id)))
    return batch


def _all_rows(batch: RateBatch):
    columns = (RateCheck.ref, RateCheck.esito, RateCheck.rate_per_minute, RateCheck.labour_cost, RateCheck.sustainable_min,
               RateCheck.message)
    rows = db.session.execute(select(*columns).where(RateCheck.batch_id == batch.id).order_by(RateCheck.line)).yield_per(5000)
    return (SavedResult(*row) for row in rows)


RESULT_FILES = {"csv": results_csv_bytes, "xlsx": results_xlsx_bytes}


@bp.get("/verifiche/massiva/<int:batch_id>/esiti.<fmt>")
@roles(*CHECKERS)
def batch_results(batch_id: int, fmt: str):
    if fmt not in RESULT_FILES:
        abort(404)
    batch = _finished(batch_id)
    if fmt == "xlsx" and batch.results_file is not None:
        return send_stored(batch.results_file, as_attachment=True)
    return download(RESULT_FILES[fmt](_all_rows(batch)), f"verifica-{batch.id}-esiti.{fmt}")


@bp.get("/verifiche/massiva/<int:batch_id>/rapporto.pdf")
@roles(*CHECKERS)
def batch_pdf(batch_id: int):
    batch = _finished(batch_id)
    worst = _worst(batch, 25)
    errors = db.session.scalars(_rows(batch).where(RateCheck.esito == "errore").order_by(RateCheck.line).limit(50)).all()
    by_level = db.session.execute(
        _rows(batch).with_only_columns(RateCheck.level, RateCheck.esito, func.count())
        .where(RateCheck.esito != "errore").group_by(RateCheck.level, RateCheck.esito)
    ).all()
    html = render_template("tariffs/batch_report.html", batch=batch, worst=worst, errors=errors, by_level=by_level,
                           sectors=SECTORS, esiti=ESITI)
    return pdf_response(render_pdf(html), f"verifica-{batch.id}.pdf")


@task_provider
def running_batches(user):
    if not user.is_authenticated or not (user.is_staff or user.is_company_user):
        return []
    query = _visible(select(func.count()).select_from(RateBatch).where(RateBatch.status.in_(("queued", "running"))), RateBatch, user)
    running = db.session.scalar(query)
    if running:
        return [Task(_("Verifiche massive delle tariffe in corso"), url_for("tariffs.history"), running)]
    return []

