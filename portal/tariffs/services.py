"""Every state change of the tariffs module: one function each, audited, committed once.

Imports are all or nothing (one transaction), saved checks copy the thresholds they used, and
a bulk batch is a job: created here, run by `run_batch` (in a background thread on the web).
"""

import io
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.datastructures import FileStorage

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.mail import queue_mail
from portal.rules import RuleError
from portal.tariffs.bulk import check_file, source_note, verdict_counts
from portal.tariffs.exports import results_xlsx_bytes
from portal.tariffs.lookup import UPLIFT_COMPONENTS, TableIndex, UpliftIndex
from portal.tariffs.models import Decree, DecreeRow, PendingImport, RateBatch, RateCheck, UpliftComponent
from portal.tariffs.rates import Outcome, RateError, TableRow, Unit, assess, per_minute
from portal.tariffs.reader import FileError
from portal.tariffs.table_file import ParsedTableRow, parse_table_file
from portal.uploads import discard_upload, store_upload
from portal.urls import absolute_url

BATCH_CHUNK = 5000


# --- reading the tables and the uplift --------------------------------------------------------

def table_index() -> TableIndex:
    """Every row of every decree, older decrees first (plain tuples: no ORM objects per row)."""
    rows = db.session.execute(
        select(DecreeRow.level, DecreeRow.effective_from, DecreeRow.euro_minute, Decree.number, Decree.official)
        .join(Decree)
        .order_by(Decree.issued_on, Decree.id)
    )
    return TableIndex(TableRow(*row) for row in rows)


def uplift_index() -> UpliftIndex:
    rows = db.session.execute(select(UpliftComponent.component, UpliftComponent.effective_from, UpliftComponent.percent))
    return UpliftIndex(tuple(row) for row in rows)


# --- importing a table ------------------------------------------------------------------------

@dataclass(frozen=True)
class DecreeInfo:
    number: str
    issued_on: date | None = None
    title: str = ""
    source: str = ""
    source_url: str = ""
    official: bool = True


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
        return preview_import(stored.path.read_bytes(), info, user, stored)
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

def set_uplift(component: str, percent: Decimal, effective_from: date, note: str, user) -> UpliftComponent:
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
    value.created_by_id = getattr(user, "id", None)
    record("tariffs.uplift", value, {"component": component, "percent": [old, percent], "effective_from": effective_from})
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


def evaluate(rate_input: RateInput, tables: TableIndex, uplift: UpliftIndex) -> tuple[Outcome, dict[str, Decimal]]:
    """The outcome and the uplift components in force; RuleError (Italian) if it cannot be checked."""
    try:
        rate_per_minute = per_minute(rate_input.rate, rate_input.unit, rate_input.aht_seconds, rate_input.productive_hours)
    except RateError as exc:
        raise RuleError(str(exc)) from exc
    row = tables.row_for(rate_input.level, rate_input.on)
    if row is None:
        reason = tables.missing_reason(rate_input.level, rate_input.on)
        raise RuleError(reason[:1].upper() + reason[1:] + ".")
    parts = uplift.parts(rate_input.on)
    return assess(rate_per_minute, row, sum(parts.values(), Decimal(0))), parts


def check_single(rate_input: RateInput) -> tuple[Outcome, dict[str, Decimal]]:
    return evaluate(rate_input, table_index(), uplift_index())


def new_check(rate_input: RateInput, outcome: Outcome, parts: dict, company_id: int | None, user_id: int | None,
              client_name: str = "", client_sector: str | None = None) -> RateCheck:
    """A saved single check holding its inputs and the thresholds it was judged against."""
    return RateCheck(
        company_id=company_id, user_id=user_id, client_name=client_name.strip(), client_sector=client_sector or None,
        level=rate_input.level, rate=rate_input.rate, unit=rate_input.unit.value, aht_seconds=rate_input.aht_seconds,
        productive_hours=rate_input.productive_hours, rate_date=rate_input.on,
        rate_per_minute=outcome.rate_per_minute, labour_cost=outcome.labour_cost, sustainable_min=outcome.sustainable_min,
        uplift_pct=outcome.uplift_pct, uplift_parts={k: str(v) for k, v in parts.items()},
        decree=outcome.row.decree, table_effective_from=outcome.row.effective_from, official=outcome.row.official,
        esito=outcome.verdict.value, message=source_note(outcome.row, outcome.uplift_pct),
    )


def save_check(rate_input: RateInput, client_name: str, client_sector: str | None, user) -> RateCheck:
    """Save a single check to the user's company history, with the thresholds of today."""
    if not getattr(user, "is_company_user", False) or user.company_id is None:
        raise RuleError(_("Solo gli utenti di un'azienda associata possono salvare le verifiche nello storico."))
    outcome, parts = check_single(rate_input)
    check = new_check(rate_input, outcome, parts, user.company_id, user.id, client_name, client_sector)
    db.session.add(check)
    record("tariffs.check_save", check, {"esito": check.esito, "level": check.level, "client": check.client_name})
    db.session.commit()
    return check


# --- bulk batches -----------------------------------------------------------------------------

def create_batch(upload, user, client_name: str, client_sector: str | None) -> RateBatch:
    """Store an uploaded price list as a queued bulk check (`launch_batch` runs it)."""
    stored_file = store_upload(upload, {"csv", "xlsx"}, user)
    batch = RateBatch(
        company_id=user.company_id if user.is_company_user else None, user_id=user.id, client_name=client_name.strip(),
        client_sector=client_sector or None, stored_file=stored_file,
    )
    db.session.add(batch)
    record("tariffs.batch_create", batch, {"file": stored_file.original_name, "client": batch.client_name})
    db.session.commit()
    return batch


def _row_values(batch: RateBatch, result, now) -> dict:
    values = {
        "created_at": now, "batch_id": batch.id, "line": result.line, "ref": result.ref[:100],
        "company_id": batch.company_id, "user_id": batch.user_id, "client_name": batch.client_name,
        "client_sector": batch.client_sector, "level": result.level, "rate": result.rate,
        "unit": result.unit.value if result.unit else None, "aht_seconds": result.aht_seconds,
        "productive_hours": None, "rate_date": result.on, "esito": result.esito, "message": result.message[:500],
        "rate_per_minute": None, "labour_cost": None, "sustainable_min": None, "uplift_pct": None,
        "uplift_parts": {}, "decree": "", "table_effective_from": None, "official": None,
    }
    if result.ok:
        row = result.threshold.row
        values.update(
            rate_per_minute=result.rate_per_minute, labour_cost=row.euro_minute, sustainable_min=result.sustainable_min,
            uplift_pct=result.threshold.uplift_pct, decree=row.decree, table_effective_from=row.effective_from,
            official=row.official,
        )
    return values


def run_batch(batch_id: int) -> RateBatch:
    """Check the batch's file and store every row, updating the progress as it goes."""
    batch = db.session.get(RateBatch, batch_id)
    batch.status = "running"
    db.session.commit()
    try:
        data = batch.stored_file.path.read_bytes()
        results = check_file(data, table_index(), uplift_index())
    except (FileError, OSError) as exc:
        batch.status = "failed"
        batch.failure = str(exc) if isinstance(exc, FileError) else _("Il file caricato non è più disponibile.")
        batch.finished_at = utcnow()
        record("tariffs.batch_failed", batch, {"reason": batch.failure})
        _notify_batch(batch)
        db.session.commit()
        return batch
    batch.total_rows = len(results)
    db.session.commit()
    now = utcnow()
    for start in range(0, len(results), BATCH_CHUNK):
        chunk = results[start:start + BATCH_CHUNK]
        db.session.execute(RateCheck.__table__.insert(), [_row_values(batch, r, now) for r in chunk])  # Core: no ORM per row
        batch.processed_rows = start + len(chunk)
        db.session.commit()
    batch.results_file = _results_workbook(batch, results)
    batch.counts = verdict_counts(results)
    batch.status = "done"
    batch.finished_at = utcnow()
    record("tariffs.batch_done", batch, {"counts": batch.counts})
    _notify_batch(batch)
    db.session.commit()
    return batch


def fail_interrupted_batches(idle: timedelta) -> int:
    """Batches still queued or running with no progress for `idle`: their thread died with the
    server (a restart, kill -9). Marked failed and their partial rows deleted, so that nobody
    waits for them and the uploader, told by e-mail, checks the list again."""
    stale = db.session.scalars(select(RateBatch).where(
        RateBatch.status.in_(("queued", "running")), RateBatch.updated_at <= utcnow() - idle)).all()
    for batch in stale:
        db.session.execute(delete(RateCheck).where(RateCheck.batch_id == batch.id))
        batch.status, batch.processed_rows, batch.finished_at = "failed", 0, utcnow()
        batch.failure = _("La verifica si è interrotta per un riavvio del server: carica di nuovo il listino.")
        record("tariffs.batch_failed", batch, {"reason": "interrupted"})
        _notify_batch(batch)
    db.session.commit()
    return len(stale)


def _results_workbook(batch: RateBatch, results: list):
    """The XLSX of the results, built once here: writing 100,000 rows takes longer than a request
    should. None when it exceeds the upload limit (the download then builds it on demand)."""
    workbook = FileStorage(stream=io.BytesIO(results_xlsx_bytes(results)), filename=f"verifica-{batch.id}-esiti.xlsx")
    try:
        return store_upload(workbook, {"xlsx"}, batch.user)
    except RuleError:
        return None


def _notify_batch(batch: RateBatch) -> None:
    """Tell the person who uploaded the list that its check is over (it may take a while)."""
    if batch.user is None or not batch.user.active:
        return
    subject = _("Verifica del listino conclusa") if batch.status == "done" else _("Verifica del listino non riuscita")
    queue_mail(batch.user.email, subject, "tariffs/batch_done.txt", batch=batch,
               url=absolute_url("tariffs.batch_detail", batch_id=batch.id))


def launch_batch(batch: RateBatch) -> None:
    """Run the batch in a background thread (inline when TARIFFS_BULK_INLINE, as in tests)."""
    app = current_app._get_current_object()
    if app.config.get("TARIFFS_BULK_INLINE", app.testing):
        run_batch(batch.id)
        return

    locale = str(get_locale())

    def work(batch_id: int) -> None:
        # a request context of its own: links in the e-mail and translations need one; the
        # reasons of bad rows and the e-mail speak the uploader's language
        with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]), force_locale(locale):
            try:
                run_batch(batch_id)
            except Exception:
                app.logger.exception("Bulk check %s failed", batch_id)
                db.session.rollback()
                failed = db.session.get(RateBatch, batch_id)
                failed.status, failed.failure = "failed", _("Errore imprevisto durante la verifica.")
                db.session.commit()

    threading.Thread(target=work, args=(batch.id,), daemon=True, name=f"tariffs-batch-{batch.id}").start()
