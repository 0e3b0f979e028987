"""Staff pages for the ministerial tables: decrees, charts, comparison, import, uplift."""

from collections import defaultdict
from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from portal.access import staff_only
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.navigation import Task, add_nav, task_provider
from portal.tariffs import services
from portal.tariffs.blueprint import bp
from portal.tariffs.charts import step_chart
from portal.tariffs.forms import CompareForm, ImportForm, UpliftForm
from portal.tariffs.lookup import UPLIFT_COMPONENTS
from portal.tariffs.models import UPLIFT_LABELS, Decree, DecreeRow, PendingImport, UpliftComponent
from portal.tariffs.rates import LEVEL_LABELS, LEVELS
from portal.views import form_status, rule_errors

add_nav(_l("Tabelle ministeriali"), "tariffs.decrees", order=42)


# Official decrees first, the latest at the top; illustrative tables never sort as "the latest decree".
LATEST_FIRST = (Decree.official.desc(), Decree.issued_on.desc().nulls_last(), Decree.id.desc())


def _level_order(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


@bp.get("/tabelle")
@staff_only
def decrees():
    page = db.paginate(select(Decree).order_by(*LATEST_FIRST), per_page=20)
    query = (  # the row counts and effective dates of this page's decrees only, not of every decree
        select(DecreeRow.decree_id, func.count(DecreeRow.id), func.min(DecreeRow.effective_from), func.max(DecreeRow.effective_from))
        .where(DecreeRow.decree_id.in_([d.id for d in page.items])).group_by(DecreeRow.decree_id)
    )
    summary = {decree_id: (n, first, last) for decree_id, n, first, last in db.session.execute(query)}
    pending = db.session.scalars(select(PendingImport).where(PendingImport.status == "pending").order_by(PendingImport.id.desc())).all()
    return render_template("tariffs/decrees.html", page=page, summary=summary, pending=pending)


def pivot(decree: Decree) -> tuple[list, list[str], dict]:
    """The decree's rows as a table: effective dates x levels."""
    dates = sorted({r.effective_from for r in decree.rows})
    levels = sorted({r.level for r in decree.rows}, key=_level_order)
    cells = {(r.level, r.effective_from): r.euro_minute for r in decree.rows}
    return dates, levels, cells


@bp.get("/tabelle/<int:decree_id>")
@staff_only
def decree_detail(decree_id: int):
    decree = db.get_or_404(Decree, decree_id)
    dates, levels, cells = pivot(decree)
    return render_template("tariffs/decree.html", decree=decree, dates=dates, levels=levels, cells=cells, level_labels=LEVEL_LABELS)


@bp.get("/tabelle/<int:decree_id>/grafico.svg")
@staff_only
def decree_chart(decree_id: int):
    decree = db.get_or_404(Decree, decree_id)
    series = defaultdict(list)
    for row in sorted(decree.rows, key=lambda r: _level_order(r.level)):
        series[_("Liv. %(level)s", level=row.level)].append((row.effective_from, row.euro_minute))
    title = _("%(decree)s: euro al minuto per livello e decorrenza", decree=str(decree))
    return Response(step_chart(title, dict(series)), mimetype="image/svg+xml")


@bp.get("/tabelle/confronto")
@staff_only
def compare():
    form = CompareForm(request.args)
    choices = options((d.id, str(d)) for d in db.session.scalars(select(Decree).order_by(*LATEST_FIRST)))
    form.a.choices = form.b.choices = choices
    if "a" not in request.args and len(choices) > 1:  # on opening: the latest decree against the one before it
        form.a.data, form.b.data = choices[1].value, choices[0].value
    comparison = None
    if "a" in request.args and form.validate():
        first, second = db.get_or_404(Decree, form.a.data), db.get_or_404(Decree, form.b.data)
        comparison = (first, second, compare_rows(first, second))
    return render_template("tariffs/compare.html", form=form, comparison=comparison, level_labels=LEVEL_LABELS)


def compare_rows(first: Decree, second: Decree) -> list[dict]:
    """Per level: the latest value of each decree, and how much the second differs from the first."""
    def latest(decree: Decree) -> dict:
        found = {}
        for row in sorted(decree.rows, key=lambda r: r.effective_from):
            found[row.level] = row
        return found

    a, b = latest(first), latest(second)
    result = []
    for level in sorted(set(a) | set(b), key=_level_order):
        row_a, row_b = a.get(level), b.get(level)
        change = (row_b.euro_minute - row_a.euro_minute) / row_a.euro_minute * 100 if row_a and row_b else None
        result.append({"level": level, "a": row_a, "b": row_b, "change": change})
    return result


@bp.route("/tabelle/importa", methods=["GET", "POST"])
@staff_only
def import_table():
    form = ImportForm()
    if form.validate_on_submit():
        info = services.DecreeInfo(form.number.data.strip(), form.issued_on.data, form.title.data or "",
                                   form.source.data or "", form.source_url.data or "", not form.dimostrativa.data)
        with rule_errors(form.file):
            pending = services.preview_upload(request.files.get("file"), info, current_user)
            return redirect(url_for("tariffs.import_preview", import_id=pending.id))
    return render_template("tariffs/import.html", form=form), form_status(form)


def _pending(import_id: int) -> PendingImport:
    return db.get_or_404(PendingImport, import_id)


@bp.get("/tabelle/importazioni/<int:import_id>")
@staff_only
def import_preview(import_id: int):
    pending = _pending(import_id)
    changes = services.row_changes(pending.decree_number, services.pending_rows(pending)) if pending.is_pending else []
    counts = defaultdict(int)
    for _row, state, _old in changes:
        counts[state] += 1
    return render_template("tariffs/import_preview.html", pending=pending, changes=changes, counts=counts)


@bp.post("/tabelle/importazioni/<int:import_id>/conferma")
@staff_only
def import_confirm(import_id: int):
    pending = _pending(import_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            decree = services.confirm_import(pending, current_user)
            flash(_("Tabella importata in %(decree)s.", decree=str(decree)), "success")
            return redirect(url_for("tariffs.decree_detail", decree_id=decree.id))
    return redirect(url_for("tariffs.import_preview", import_id=pending.id))


@bp.post("/tabelle/importazioni/<int:import_id>/annulla")
@staff_only
def import_discard(import_id: int):
    pending = _pending(import_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.discard_import(pending, current_user)
            flash(_("Importazione annullata: nessuna riga è stata modificata."), "info")
            return redirect(url_for("tariffs.decrees"))
    return redirect(url_for("tariffs.import_preview", import_id=pending.id))


@bp.route("/maggiorazione", methods=["GET", "POST"])
@staff_only
def uplift():
    form = UpliftForm()
    if form.validate_on_submit():
        with rule_errors(form.percent):
            services.set_uplift(form.component.data, form.percent.data, form.effective_from.data, form.note.data or "", current_user,
                                form.dimostrativa.data)
            flash(_("Maggiorazione aggiornata. Le verifiche già salvate non cambiano."), "success")
            return redirect(url_for("tariffs.uplift"))
    values = db.paginate(select(UpliftComponent).order_by(UpliftComponent.effective_from.desc(), UpliftComponent.component), per_page=20)
    index = services.uplift_index()
    return render_template("tariffs/uplift.html", form=form, page=values, labels=UPLIFT_LABELS, today_parts=index.parts(date.today()),
                           today_illustrative=index.illustrative(date.today()), components=UPLIFT_COMPONENTS), form_status(form)


@task_provider
def pending_imports(user):
    if not user.is_authenticated or not user.is_staff:
        return []
    count = db.session.scalar(select(func.count()).select_from(PendingImport).where(PendingImport.status == "pending"))
    return [Task(_("Importazioni di tabelle ministeriali da confermare"), url_for("tariffs.decrees"), count)] if count else []
