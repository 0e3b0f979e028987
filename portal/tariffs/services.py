"""Every state change of the tariffs module: one function each, audited, committed once.

Imports are all or nothing (one transaction) and an official table needs its source; saved
checks copy the thresholds they used and the figures as shown; a bulk batch is a job: created
here (or held for the user to name its columns), run by `run_batch` on a Celery worker
(portal/jobs), its statistics kept per list when it ends.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice

from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.exceptions import NotFound

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import JobContext, enqueue, job
from portal.mail import queue_mail
from portal.rules import RuleError
from portal.tariffs.bulk import RateChecker, Tally, check_rows, read_rates, source_note
from portal.tariffs.lookup import UPLIFT_COMPONENTS, RenewalIndex, TableIndex, UpliftIndex
from portal.tariffs.models import (
    CcnlRenewal,
    ColumnMapping,
    Decree,
    DecreeRow,
    PendingImport,
    RateBatch,
    RateCheck,
    UpliftComponent,
)
from portal.tariffs.rates import Outcome, RateError, TableRow, Unit, assess, per_minute, plausibility_warning
from portal.tariffs.reader import FileError, HeaderNotFound, Layout
from portal.tariffs.stats import keep_batch_stats, keep_check_stats
from portal.tariffs.table_file import ParsedTableRow, parse_table_file
from portal.uploads import discard_upload, store_upload
from portal.urls import absolute_url

BATCH_CHUNK = 5000


# --- reading the tables and the uplift --------------------------------------------------------

def table_index() -> TableIndex:
    """Every row of every decree, older decrees first (plain tuples: no ORM objects per row)."""
    rows = db.session.execute(
        select(DecreeRow.level, DecreeRow.effective_from, DecreeRow.euro_minute, Decree.number, Decree.official, Decree.issued_on)
        .join(Decree)
        .order_by(Decree.issued_on.asc().nulls_first(), Decree.id)
    )
    return TableIndex(TableRow(*row) for row in rows)


def uplift_index() -> UpliftIndex:
    rows = db.session.execute(select(UpliftComponent.component, UpliftComponent.effective_from, UpliftComponent.percent,
                                     UpliftComponent.illustrative))
    return UpliftIndex(tuple(row) for row in rows)


def renewal_index() -> RenewalIndex:
    rows = db.session.execute(select(CcnlRenewal.signed_on, CcnlRenewal.wages_from, CcnlRenewal.title))
    return RenewalIndex(tuple(row) for row in rows)


# --- importing a table ------------------------------------------------------------------------

@dataclass(frozen=True)
class DecreeInfo:
    number: str
    issued_on: date | None = None
    title: str = ""
    source: str = ""
    source_url: str = ""
    official: bool = True


def provenance_problem(info: DecreeInfo) -> str | None:
    """An official table needs its decree's date and a reference to its source (G.U. or ministry URL)."""
    if not info.official and not (info.number or "").strip():
        return _("Indica un nome per la tabella.")
    if info.official and (info.issued_on is None or not (info.source.strip() or info.source_url.strip())):
        return _("Una tabella ufficiale richiede la data del decreto e la fonte (Gazzetta Ufficiale o pagina del Ministero); "
                 "altrimenti importala come dimostrativa.")
    return None


def decree_by_number(number: str) -> Decree | None:
    return db.session.scalar(select(Decree).where(Decree.number == number.strip()))


def row_changes(number: str, rows: list[ParsedTableRow]) -> list[tuple[ParsedTableRow, str, Decimal | None]]:
    """Each row with what confirming it would do: `nuova`, `modificata` (old value) or `invariata`."""
    decree = decree_by_number(number)
    current = {(r.level, r.effective_from): r.euro_minute for r in decree.rows} if decree else {}
    result = []
    for row in rows:
        old = current.get((row.level, row.effective_from))
        state = "nuova" if old is None else "invariata" if old == row.euro_minute else "modificata"
        result.append((row, state, old))
    return result


def preview_import(data: bytes, info: DecreeInfo, user, stored_file=None) -> PendingImport:
    """Read a table file and keep what it holds, server side, until staff confirm or discard it."""
    if problem := provenance_problem(info):
        raise RuleError(problem)
    try:
        rows, errors = parse_table_file(data)
    except FileError as exc:
        raise RuleError(str(exc)) from exc
    pending = PendingImport(
        decree_number=info.number.strip(), issued_on=info.issued_on, title=info.title, source=info.source,
        source_url=info.source_url, official=info.official, stored_file=stored_file,
        rows=[[r.line, r.level, r.effective_from.isoformat(), str(r.euro_minute)] for r in rows],
        errors=[[e.line, e.message] for e in errors], created_by_id=getattr(user, "id", None),
    )
    db.session.add(pending)
    record("tariffs.import_preview", pending, {"decree": pending.decree_number, "rows": len(rows), "errors": len(errors)})
    db.session.commit()
    return pending


def preview_upload(upload, info: DecreeInfo, user) -> PendingImport:
    """Store an uploaded table file and preview it; an unreadable table is refused whole: neither
    its row nor its file stays."""
    stored = store_upload(upload, {"csv", "xlsx"}, user)
    try:
        return preview_import(stored.read(), info, user, stored)
    except RuleError:
        discard_upload(stored)
        raise


def pending_rows(pending: PendingImport) -> list[ParsedTableRow]:
    return [ParsedTableRow(line, level, date.fromisoformat(day), Decimal(value)) for line, level, day, value in pending.rows]


def _apply_rows(info: DecreeInfo, rows: list[ParsedTableRow]) -> tuple[Decree, dict]:
    """Create or update the decree and upsert its rows (the caller commits, or rolls back)."""
    decree = decree_by_number(info.number)
    if decree is None:
        decree = Decree(number=info.number.strip(), issued_on=info.issued_on, title=info.title, source=info.source,
                        source_url=info.source_url, official=info.official)
        db.session.add(decree)
    else:
        for field in ("issued_on", "title", "source", "source_url"):
            if getattr(info, field):
                setattr(decree, field, getattr(info, field))
        decree.official = info.official
    existing = {(r.level, r.effective_from): r for r in decree.rows}
    counts = {"nuova": 0, "modificata": 0, "invariata": 0}
    for row in rows:
        current = existing.get((row.level, row.effective_from))
        if current is None:
            decree.rows.append(DecreeRow(level=row.level, effective_from=row.effective_from, euro_minute=row.euro_minute))
            counts["nuova"] += 1
        elif current.euro_minute != row.euro_minute:
            current.euro_minute = row.euro_minute
            counts["modificata"] += 1
        else:
            counts["invariata"] += 1
    return decree, counts


def confirm_import(pending: PendingImport, user) -> Decree:
    """Apply a previewed import whole; a file with any bad row is never applied in part."""
    if not pending.is_pending:
        raise RuleError(_("Questa importazione è già stata confermata o annullata."))
    if pending.errors:
        raise RuleError(_("Il file contiene righe errate: correggile e carica di nuovo il file. Nessuna riga è stata importata."))
    if not pending.rows:
        raise RuleError(_("Il file non contiene righe da importare."))
    info = DecreeInfo(pending.decree_number, pending.issued_on, pending.title, pending.source, pending.source_url, pending.official)
    try:
        decree, counts = _apply_rows(info, pending_rows(pending))
        pending.status = "applied"
        pending.decree = decree
        record("tariffs.import", decree, {"rows": counts, "official": decree.official, "pending_import": pending.id}, actor=user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return decree


def discard_import(pending: PendingImport, user) -> None:
    if not pending.is_pending:
        raise RuleError(_("Questa importazione è già stata confermata o annullata."))
    pending.status = "discarded"
    record("tariffs.import_discard", pending, {}, actor=user)
    db.session.commit()


def import_table_file(data: bytes, info: DecreeInfo) -> tuple[Decree, dict]:
    """The command line's import: the same rules in one step (FileError or RuleError on refusal)."""
    if problem := provenance_problem(info):
        raise RuleError(problem)
    rows, errors = parse_table_file(data)
    if errors:
        details = "; ".join(f"riga {e.line}: {e.message}" for e in errors[:5])
        more = f" (e altre {len(errors) - 5})" if len(errors) > 5 else ""
        raise RuleError(f"{len(errors)} righe errate, nessuna riga importata: {details}{more}")
    if not rows:
        raise RuleError("Il file non contiene righe da importare.")
    try:
        decree, counts = _apply_rows(info, rows)
        record("tariffs.import", decree, {"rows": counts, "official": decree.official, "via": "cli"})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return decree, counts


# --- the uplift -------------------------------------------------------------------------------

def set_uplift(component: str, percent: Decimal, effective_from: date, note: str, user, illustrative: bool = False) -> UpliftComponent:
    """A new value of one component from a date on (the value of that same date is replaced)."""
    if component not in UPLIFT_COMPONENTS:
        raise RuleError(_("Componente della maggiorazione sconosciuta."))
    if not Decimal(0) <= percent <= Decimal(100):
        raise RuleError(_("La percentuale deve essere tra 0 e 100."))
    value = db.session.scalar(
        select(UpliftComponent).where(UpliftComponent.component == component, UpliftComponent.effective_from == effective_from)
    )
    old = value.percent if value else None
    if value is None:
        value = UpliftComponent(component=component, effective_from=effective_from)
        db.session.add(value)
    value.percent = percent
    value.note = note
    value.illustrative = illustrative
    value.created_by_id = getattr(user, "id", None)
    record("tariffs.uplift", value, {"component": component, "percent": [old, percent], "effective_from": effective_from,
                                     "illustrative": illustrative})
    db.session.commit()
    return value


# --- single checks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class RateInput:
    level: str
    rate: Decimal
    unit: Unit
    on: date
    aht_seconds: Decimal | None = None
    productive_hours: Decimal | None = None


@dataclass(frozen=True)
class SingleCheck:
    """The outcome of one rate with what the page says beside it."""

    outcome: Outcome
    parts: dict[str, Decimal]  # the uplift's components in force
    uplift_illustrative: bool
    ccnl_renewal: str  # a CCNL renewal the table predates, or ""
    warning: str  # a plausibility warning, or ""

    @property
    def note(self) -> str:
        return source_note(self.outcome.row, self.outcome.uplift_pct, self.uplift_illustrative, self.ccnl_renewal)

    # the same names as a saved RateCheck, so that one template shows both
    esito = property(lambda self: self.outcome.verdict.value)
    decree = property(lambda self: self.outcome.row.decree)
    level = property(lambda self: self.outcome.row.level)
    table_effective_from = property(lambda self: self.outcome.row.effective_from)
    official = property(lambda self: self.outcome.row.official)
    uplift_pct = property(lambda self: self.outcome.uplift_pct)


def evaluate(rate_input: RateInput, tables: TableIndex, uplift: UpliftIndex, renewals: RenewalIndex | None = None) -> SingleCheck:
    """The outcome and what goes with it; RuleError (Italian) if the rate cannot be checked."""
    try:
        rate_per_minute = per_minute(rate_input.rate, rate_input.unit, rate_input.aht_seconds, rate_input.productive_hours)
    except RateError as exc:
        raise RuleError(str(exc)) from exc
    row = tables.row_for(rate_input.level, rate_input.on)
    if row is None:
        reason = tables.missing_reason(rate_input.level, rate_input.on)
        raise RuleError(reason[:1].upper() + reason[1:] + ".")
    parts = uplift.parts(rate_input.on)
    outcome = assess(rate_per_minute, row, sum(parts.values(), Decimal(0)))
    return SingleCheck(outcome, parts, uplift.illustrative(rate_input.on), (renewals or RenewalIndex(())).lag(row, rate_input.on),
                       plausibility_warning(rate_input.rate, rate_input.unit, rate_per_minute, rate_input.aht_seconds))


def check_single(rate_input: RateInput) -> SingleCheck:
    return evaluate(rate_input, table_index(), uplift_index(), renewal_index())


def new_check(rate_input: RateInput, result: SingleCheck, company_id: int | None, user_id: int | None,
              client_name: str = "", client_sector: str | None = None) -> RateCheck:
    """A saved single check holding its inputs, the thresholds it was judged against and its figures as shown."""
    outcome, figures = result.outcome, result.outcome.shown
    return RateCheck(
        company_id=company_id, user_id=user_id, client_name=client_name.strip(), client_sector=client_sector or None,
        level=rate_input.level, rate=rate_input.rate, unit=rate_input.unit.value, aht_seconds=rate_input.aht_seconds,
        productive_hours=rate_input.productive_hours, rate_date=rate_input.on,
        rate_per_minute=figures.rate_per_minute, labour_cost=outcome.labour_cost, sustainable_min=figures.sustainable_min,
        margin_labour=figures.margin_labour, margin_sustainable=figures.margin_sustainable,
        uplift_pct=outcome.uplift_pct, uplift_parts={k: str(v) for k, v in result.parts.items()},
        uplift_illustrative=result.uplift_illustrative, decree=outcome.row.decree, table_effective_from=outcome.row.effective_from,
        official=outcome.row.official, ccnl_renewal=result.ccnl_renewal, esito=outcome.verdict.value, warning=result.warning,
        message=result.note,
    )


def save_check(rate_input: RateInput, client_name: str, client_sector: str | None, user) -> RateCheck:
    """Save a single check to the user's company history, with the thresholds of today."""
    if not getattr(user, "is_company_user", False) or user.company_id is None:
        raise RuleError(_("Solo gli utenti di un'azienda associata possono salvare le verifiche nello storico."))
    check = new_check(rate_input, check_single(rate_input), user.company_id, user.id, client_name, client_sector)
    db.session.add(check)
    keep_check_stats(check)
    record("tariffs.check_save", check, {"esito": check.esito, "level": check.level, "client": check.client_name})
    db.session.commit()
    return check


# --- bulk batches -----------------------------------------------------------------------------

def remembered_columns(user) -> dict[str, str]:
    """The columns the user's company (or the staff member) named last time: field -> header."""
    owner = _mapping_owner(user)
    mapping = db.session.scalar(select(ColumnMapping).filter_by(**owner))
    return dict(mapping.headers) if mapping else {}


def _mapping_owner(user) -> dict:
    return {"company_id": user.company_id, "user_id": None} if user.is_company_user else {"company_id": None, "user_id": user.id}


def _take_layout(batch: RateBatch, layout: Layout) -> None:
    batch.sheet, batch.header_line, batch.columns = layout.sheet, layout.header_line, layout.names
    batch.extra_columns = [name for _position, name in layout.extra]


def create_batch(upload, user, client_name: str, client_sector: str | None) -> RateBatch:
    """A bulk check of an uploaded list, stored: queued when its header is recognised (with the
    columns its company named before as hints), else held at `mapping` for the user to name the
    columns (a queued one goes to a worker). An unreadable file is refused whole: neither its
    row nor its file stays."""
    stored_file = store_upload(upload, {"csv", "xlsx"}, user)
    batch = RateBatch(
        company_id=user.company_id if user.is_company_user else None, user_id=user.id, client_name=client_name.strip(),
        client_sector=client_sector or None, stored_file=stored_file,
    )
    try:
        layout, _rows = read_rates(stored_file.read(), remembered_columns(user), strict=False)
    except HeaderNotFound as exc:
        batch.status, batch.failure = "mapping", str(exc)
    except FileError as exc:
        discard_upload(stored_file)
        raise RuleError(str(exc)) from exc
    else:
        _take_layout(batch, layout)
    db.session.add(batch)
    record("tariffs.batch_create", batch, {"file": stored_file.original_name, "client": batch.client_name, "status": batch.status})
    if batch.status == "queued":
        enqueue(run_batch, batch.id, user=user)
    db.session.commit()
    return batch


def map_columns(batch: RateBatch, names: dict[str, str], user) -> RateBatch:
    """The user named the columns the portal could not recognise: the batch is queued and the
    names are remembered for the company's next upload. RuleError if the file still cannot be read."""
    if batch.status != "mapping":
        raise RuleError(_("Le colonne di questa verifica sono già state indicate."))
    names = {field: header for field, header in names.items() if header}
    try:
        layout, _rows = read_rates(batch.stored_file.read(), names)
    except FileError as exc:
        raise RuleError(str(exc)) from exc
    _take_layout(batch, layout)
    batch.status, batch.failure = "queued", ""
    owner = _mapping_owner(user)
    mapping = db.session.scalar(select(ColumnMapping).filter_by(**owner)) or ColumnMapping(**owner)
    mapping.headers = layout.names
    db.session.add(mapping)
    record("tariffs.batch_columns", batch, {"columns": layout.names})
    enqueue(run_batch, batch.id, user=user)
    db.session.commit()
    return batch


def _row_values(batch: RateBatch, result, now) -> dict:
    figures = result.shown
    values = {
        "created_at": now, "batch_id": batch.id, "line": result.line, "ref": result.ref[:100],
        "company_id": batch.company_id, "user_id": batch.user_id, "client_name": batch.client_name,
        "client_sector": batch.client_sector, "level": result.level, "rate": result.rate,
        "unit": result.unit.value if result.unit else None, "aht_seconds": result.aht_seconds,
        "productive_hours": None, "rate_date": result.on, "esito": result.esito, "message": result.message[:500],
        "warning": result.warning[:300], "inputs": result.inputs, "extra": result.extra,
        "rate_per_minute": None, "labour_cost": None, "sustainable_min": None, "margin_labour": None, "margin_sustainable": None,
        "uplift_pct": None, "uplift_parts": {}, "uplift_illustrative": None, "decree": "", "table_effective_from": None,
        "official": None, "ccnl_renewal": "",
    }
    if result.ok:
        row = result.threshold.row
        values.update(
            rate_per_minute=figures.rate_per_minute, labour_cost=row.euro_minute, sustainable_min=figures.sustainable_min,
            margin_labour=figures.margin_labour, margin_sustainable=figures.margin_sustainable,
            uplift_pct=result.threshold.uplift_pct, uplift_illustrative=result.threshold.uplift_illustrative,
            decree=row.decree, table_effective_from=row.effective_from, official=row.official,
            ccnl_renewal=result.ccnl_renewal,
        )
    return values


JSON_COLUMNS = ("inputs", "extra", "uplift_parts")


def _store_rows(rows: list[dict]) -> None:
    """Insert checked rows in the batch's transaction, without ORM objects. PostgreSQL takes them
    by COPY (a 100,000-row list is stored several times faster than by multi-row INSERTs, see
    bench/tariffs_bulk.py); other databases by one executemany."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(RateCheck.__table__.insert(), rows)
        return
    columns = list(rows[0])
    json_at = [columns.index(name) for name in JSON_COLUMNS]
    quoted = ", ".join(f'"{name}"' for name in columns)
    statement = f"COPY {RateCheck.__tablename__} ({quoted}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = list(row.values())
            for at in json_at:  # COPY's text format: the server parses the JSON text itself
                values[at] = json.dumps(values[at])
            copy.write_row(values)


def _fail(batch: RateBatch, reason: str) -> None:
    """Mark the batch failed, drop its partial rows and tell the uploader (the caller commits)."""
    db.session.execute(delete(RateCheck).where(RateCheck.batch_id == batch.id))
    batch.status, batch.failure, batch.processed_rows, batch.finished_at = "failed", reason, 0, utcnow()
    record("tariffs.batch_failed", batch, {"reason": reason})
    _notify_batch(batch)


def batch_failed(batch_id: int) -> None:
    """The job gave up (an unexpected error, or its worker died again and again)."""
    batch = db.session.get(RateBatch, batch_id)
    if batch is not None and batch.status not in ("done", "failed"):
        _fail(batch, _("Errore imprevisto durante la verifica: carica di nuovo il listino."))


@job("tariffs.check_batch", on_failure=batch_failed)
def run_batch(job: JobContext, batch_id: int) -> None:
    """Check the batch's file and store every row in chunks as it is checked (memory stays flat),
    updating the progress as it goes; then keep the list's statistics. Each `job.progress`
    commits; an attempt after an interrupted one starts again from no rows."""
    batch = db.session.get(RateBatch, batch_id)
    db.session.execute(delete(RateCheck).where(RateCheck.batch_id == batch_id))
    batch.status, batch.processed_rows = "running", 0
    job.progress(0)
    try:
        data = batch.stored_file.read()
        layout, rows = read_rates(data, batch.columns)
        checker = RateChecker(table_index(), uplift_index(), renewal_index())
        batch.total_rows = _estimated_rows(data, layout)
        job.progress(0, batch.total_rows or None)
        tally, now = Tally(), utcnow()
        results = check_rows(layout, rows, checker)
        while chunk := list(islice(results, BATCH_CHUNK)):
            _store_rows([_row_values(batch, r, now) for r in chunk])
            for result in chunk:
                tally.add(result)
            batch.processed_rows = tally.total
            job.progress(tally.total, batch.total_rows or None)
    except FileError as exc:
        db.session.rollback()
        return _fail(batch, str(exc))
    except NotFound:
        db.session.rollback()
        return _fail(batch, _("Il file caricato non è più disponibile."))
    batch.total_rows = tally.total
    batch.counts = tally.as_dict()
    keep_batch_stats(batch)
    batch.status = "done"
    batch.finished_at = utcnow()
    record("tariffs.batch_done", batch, {"counts": batch.counts})
    _notify_batch(batch)


def _estimated_rows(data: bytes, layout: Layout) -> int:
    """Rows after the header, for the progress bar: counted in the text, or the sheet's size."""
    if layout.sheet:
        return 0  # a workbook's size is known only once read; the page then counts rows, without a percentage
    return max(data.count(b"\n") + (not data.endswith(b"\n")) - layout.header_line, 0)


def _notify_batch(batch: RateBatch) -> None:
    """Tell the person who uploaded the list that its check is over (it may take a while)."""
    if batch.user is None or not batch.user.active:
        return
    subject = _("Verifica del listino conclusa") if batch.status == "done" else _("Verifica del listino non riuscita")
    queue_mail(batch.user.email, subject, "tariffs/batch_done.txt", batch=batch,
               url=absolute_url("tariffs.batch_detail", batch_id=batch.id))
