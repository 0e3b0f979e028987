"""`flask --app portal backup dump|restore`: the database and the uploaded files in one archive.

The archive is database-neutral (JSON rows per table, plus the upload folder), so a dump taken
from SQLite restores into PostgreSQL and back. A restore goes into an empty database migrated to
the same revision, all in one transaction: it either restores everything or nothing.
"""

import io
import json
import tarfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Date, DateTime, Numeric, func, select, text

from portal.extensions import db

FORMAT_VERSION = 1


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(column, value):
    if value is None:
        return None
    column_type = column.type
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(impl, Date):
        return date.fromisoformat(value)
    if isinstance(impl, Numeric) and impl.asdecimal:
        return Decimal(value)
    return value


def _revision(conn) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database built without migrations has no such table
        return None


def dump(archive_path: Path) -> dict:
    """Write the archive; returns the row count per table."""
    counts = {}
    tables = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = [{k: _plain(v) for k, v in row._mapping.items()} for row in conn.execute(select(table))]
            tables[table.name] = rows
            counts[table.name] = len(rows)
        revision = _revision(conn)
    payload = json.dumps({"format": FORMAT_VERSION, "revision": revision, "tables": tables}).encode()
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    with tarfile.open(archive_path, "w:gz") as archive:
        info = tarfile.TarInfo("database.json")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        if uploads.is_dir():
            for path in sorted(p for p in uploads.iterdir() if p.is_file() and not p.name.endswith(".part")):
                archive.add(path, arcname=f"uploads/{path.name}")
    return counts


def restore(archive_path: Path) -> dict:
    """Load the archive into an empty database at the same revision; returns the row counts."""
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    with tarfile.open(archive_path, "r:gz") as archive:
        data = json.load(archive.extractfile("database.json"))
        if data.get("format") != FORMAT_VERSION:
            raise click.ClickException("Formato del backup non riconosciuto.")
        counts = {}
        with db.engine.begin() as conn:
            if data["revision"] != _revision(conn):
                raise click.ClickException(
                    f"Il backup è della revisione {data['revision']}, il database è alla {_revision(conn)}: "
                    "esegui prima `flask --app portal db upgrade` su un database vuoto."
                )
            for table in db.metadata.sorted_tables:
                if conn.execute(select(func.count()).select_from(table)).scalar():
                    raise click.ClickException(f"Il database non è vuoto (tabella {table.name}): ripristino annullato.")
            for table in db.metadata.sorted_tables:
                rows = [{k: _typed(table.c[k], v) for k, v in row.items()} for row in data["tables"].get(table.name, [])]
                if rows:
                    conn.execute(table.insert(), rows)
                counts[table.name] = len(rows)
                if conn.dialect.name == "postgresql" and rows and "id" in table.c:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), :n)"),
                                 {"n": max(r["id"] for r in rows)})
        uploads.mkdir(parents=True, exist_ok=True)
        for member in archive.getmembers():
            name = Path(member.name)
            if member.isfile() and name.parent == Path("uploads"):  # never a path outside the folder
                (uploads / name.name).write_bytes(archive.extractfile(member).read())
    return counts


backup_cli = AppGroup("backup", help="Copia di sicurezza e ripristino. Il database e i file caricati in un solo archivio.")


@backup_cli.command("dump")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
def dump_command(archive: Path) -> None:
    """Scrive database e file caricati nell'archivio ARCHIVE (.tar.gz)."""
    counts = dump(archive)
    click.echo(f"Backup scritto in {archive}: {sum(counts.values())} righe in {len(counts)} tabelle.")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(archive: Path) -> None:
    """Ripristina ARCHIVE in un database vuoto e aggiornato (dopo `db upgrade`)."""
    counts = restore(archive)
    click.echo(f"Ripristinate {sum(counts.values())} righe in {len(counts)} tabelle.")
