"""Saved checks and bulk batches: a company sees only its own, staff see all."""

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.access import Role, roles
from portal.exports import CSV_TYPE, download
from portal.extensions import db
from portal.navigation import Task, add_nav, task_provider
from portal.pdf import pdf_response, render_pdf
from portal.tariffs import services
from portal.tariffs.blueprint import bp
from portal.tariffs.bulk import RATE_COLUMNS, RATE_FIELDS
from portal.tariffs.exports import SAVED_COLUMNS, SavedResult, results_csv_stream, results_xlsx
from portal.tariffs.forms import UNIT_LABELS, BulkForm, MappingForm
from portal.tariffs.headers import FIELD_LABELS, match_header
from portal.tariffs.models import SECTORS, UPLIFT_LABELS, Decree, RateBatch, RateCheck
from portal.tariffs.reader import FileError, as_text, preview
from portal.views import form_status, load_or_404, rule_errors

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
        per_page=10, page=request.args.get("pagina_liste", 1, type=int),
    )
    return render_template("tariffs/history.html", page=checks, batches=batches, sectors=SECTORS, unit_labels=UNIT_LABELS)


@bp.get("/verifiche/<int:check_id>")
@roles(*CHECKERS)
def check_detail(check_id: int):
    check = load_or_404(RateCheck, check_id)
    if check.batch_id is not None:
        return redirect(url_for("tariffs.batch_detail", batch_id=check.batch_id))
    return render_template("tariffs/check.html", check=check, sectors=SECTORS, unit_labels=UNIT_LABELS, uplift_labels=UPLIFT_LABELS)


@bp.route("/verifiche/massiva", methods=["GET", "POST"])
@roles(*CHECKERS)
def bulk_upload():
    form = BulkForm()
    if form.validate_on_submit():
        with rule_errors(form.file):
            batch = services.create_batch(request.files.get("file"), current_user, form.cliente.data or "", form.settore.data or None)
            if batch.status == "mapping":
                return redirect(url_for("tariffs.batch_columns", batch_id=batch.id))
            return redirect(url_for("tariffs.batch_detail", batch_id=batch.id))
    return render_template("tariffs/bulk_upload.html", form=form), form_status(form)


def _rows(batch: RateBatch):
    return select(RateCheck).where(RateCheck.batch_id == batch.id)


def _worst(batch: RateBatch, limit: int) -> list[RateCheck]:
    """The rows furthest under (or least over) the labour cost."""
    return db.session.scalars(
        _rows(batch).where(RateCheck.esito != "errore").order_by(RateCheck.margin_labour, RateCheck.line).limit(limit)).all()


def _mapping_view(batch: RateBatch, form: MappingForm):
    """The file's first rows and a choice per needed field, from the header line the user picks."""
    try:
        sheets = preview(batch.stored_file.read())
    except FileError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("tariffs.batch_detail", batch_id=batch.id))
    names = [name for name, _rows in sheets]
    sheet_name = request.values.get("foglio", names[0] if names else "")
    rows = dict(sheets).get(sheet_name) or (sheets[0][1] if sheets else [])
    lines = [line for line, _cells in rows]
    line = request.values.get("riga", type=int)
    if line not in lines:
        line = next((n for n, cells in rows if sum(1 for c in cells if str(c).strip()) >= 3), lines[0] if lines else None)
    headers = [as_text(h) for h in next((cells for n, cells in rows if n == line), []) if as_text(h)]
    form.set_choices(headers)
    if request.method == "GET":  # start from what the portal recognised in that line
        for header in headers:
            if (found := match_header(header, RATE_FIELDS)) and not getattr(form, found.field).data:
                getattr(form, found.field).data = header
    width = max((len(cells) for _n, cells in rows), default=0)
    table = [(n, [as_text(c) for c in cells] + [""] * (width - len(cells))) for n, cells in rows]
    return render_template("tariffs/batch_columns.html", batch=batch, form=form, table=table, line=line, sheets=names,
                           sheet=sheet_name, labels=FIELD_LABELS, required=RATE_COLUMNS), form_status(form)


@bp.route("/verifiche/massiva/<int:batch_id>/colonne", methods=["GET", "POST"])
@roles(*CHECKERS)
def batch_columns(batch_id: int):
    """The mapping step: the portal could not recognise every needed column; the user names them."""
    batch = load_or_404(RateBatch, batch_id)
    if batch.status != "mapping":
        return redirect(url_for("tariffs.batch_detail", batch_id=batch.id))
    form = MappingForm()
    if request.method == "POST" and "abbina" in request.form:
        _mapping_view(batch, form)  # the choices of the header line the user saw
        if form.validate():
            with rule_errors(form.livello):
                services.map_columns(batch, {name: getattr(form, name).data for name in RATE_FIELDS}, current_user)
                return redirect(url_for("tariffs.batch_detail", batch_id=batch.id))
        return _mapping_view(batch, form)
    return _mapping_view(batch, form)


def _decrees_used(batch: RateBatch) -> list[Decree]:
    """The decrees the batch's verdicts rest on, with their sources (for the page and the PDF)."""
    names = select(RateCheck.decree).where(RateCheck.batch_id == batch.id, RateCheck.esito != "errore").distinct()
    return db.session.scalars(select(Decree).where(Decree.number.in_(names)).order_by(Decree.official.desc(), Decree.number)).all()


def _uplift_used(batch: RateBatch) -> dict:
    """The uplift the batch used (the first verdict row's; one list has one date range, usually one value)."""
    row = db.session.execute(
        select(RateCheck.uplift_pct, RateCheck.uplift_illustrative, RateCheck.rate_date)
        .where(RateCheck.batch_id == batch.id, RateCheck.esito != "errore").order_by(RateCheck.line).limit(1)).first()
    if row is None:
        return {}
    return {"pct": row.uplift_pct, "illustrative": row.uplift_illustrative, "parts": services.uplift_index().parts(row.rate_date)}


def _batch_context(batch: RateBatch) -> dict:
    lag = db.session.scalar(select(RateCheck.ccnl_renewal).where(RateCheck.batch_id == batch.id, RateCheck.ccnl_renewal != "").limit(1))
    return {"decrees": _decrees_used(batch), "uplift": _uplift_used(batch), "ccnl_lag": lag, "sectors": SECTORS,
            "esiti": ESITI, "uplift_labels": UPLIFT_LABELS, "field_labels": FIELD_LABELS}


@bp.get("/verifiche/massiva/<int:batch_id>")
@roles(*CHECKERS)
def batch_detail(batch_id: int):
    batch = load_or_404(RateBatch, batch_id)
    if batch.status != "done":
        return render_template("tariffs/batch.html", batch=batch, esiti=ESITI, sectors=SECTORS)
    esito = request.args.get("esito", "")
    rows = _rows(batch).order_by(RateCheck.line)
    if esito in ESITI:
        rows = rows.where(RateCheck.esito == esito)
    return render_template(
        "tariffs/batch.html", batch=batch, page=db.paginate(rows, per_page=50), esito=esito, worst=_worst(batch, WORST_ROWS),
        errors=db.paginate(_rows(batch).where(RateCheck.esito == "errore").order_by(RateCheck.line), per_page=20,
                           page=request.args.get("pagina_errori", 1, type=int)),
        unit_labels=UNIT_LABELS, **_batch_context(batch),
    )


@bp.get("/verifiche/massiva/<int:batch_id>/stato")
@roles(*CHECKERS)
def batch_status(batch_id: int):
    batch = load_or_404(RateBatch, batch_id)
    return jsonify(status=batch.status, processed=batch.processed_rows, total=batch.total_rows,
                   percent=batch.progress_pct, failure=batch.failure)


def _finished(batch_id: int) -> RateBatch:
    batch = load_or_404(RateBatch, batch_id)
    if batch.status != "done":
        flash(_("La verifica non è conclusa: i file sono disponibili solo per una verifica completata."), "warning")
        abort(redirect(url_for("tariffs.batch_detail", batch_id=batch.id)))
    return batch


def _all_rows(batch: RateBatch):
    """Every stored row of the batch, in file order, streamed from the database in chunks."""
    columns = [getattr(RateCheck, name) for name in SAVED_COLUMNS]
    rows = db.session.execute(select(*columns).where(RateCheck.batch_id == batch.id).order_by(RateCheck.line)).yield_per(5000)
    return (SavedResult(*row) for row in rows)


def _about(batch: RateBatch) -> list[tuple[str, str]]:
    """How the file was read and what it was checked against, for the XLSX's second sheet."""
    context = _batch_context(batch)
    read = [_("foglio «%(s)s»", s=batch.sheet)] if batch.sheet else []
    read.append(_("intestazione alla riga %(n)s", n=batch.header_line or "—"))
    about = [(_("File"), batch.stored_file.original_name if batch.stored_file else "—"), (_("Lettura"), ", ".join(read)),
             (_("Colonne"), "; ".join(f"{FIELD_LABELS[k]}: «{v}»" for k, v in batch.columns.items()))]
    for decree in context["decrees"]:
        kind = _("ufficiale") if decree.official else _("dimostrativa")
        about.append((str(decree.number), f"{kind}; {decree.source or ''} {decree.source_url or ''}".strip()))
    if context["uplift"]:
        kind = _("valore dimostrativo") if context["uplift"]["illustrative"] else _("valore dell'associazione")
        about.append((_("Maggiorazione"), f"{context['uplift']['pct'].normalize()}% ({kind})"))
    return about


@bp.get("/verifiche/massiva/<int:batch_id>/esiti.<fmt>")
@roles(*CHECKERS)
def batch_results(batch_id: int, fmt: str):
    """The results as files, built on demand from the stored rows: the CSV streamed as it is
    written, the XLSX written row by row (memory stays flat)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    batch = _finished(batch_id)
    name = f"verifica-{batch.id}-esiti.{fmt}"
    if fmt == "csv":
        stream = stream_with_context(results_csv_stream(_all_rows(batch), batch.extra_columns))
        return Response(stream, content_type=CSV_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return download(results_xlsx(_all_rows(batch), batch.extra_columns, _about(batch)), name)


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
                           **_batch_context(batch))
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

