"""`flask --app portal backup dump|restore`: the database and the stored files in one archive.

The archive is database-neutral (JSON rows per table, plus every stored file the rows name,
read from the storage backend: the local folder or S3), so a dump taken from SQLite restores
into PostgreSQL and back, and from one backend into the other. A restore goes into an empty
database migrated to the same revision, all in one transaction: it either restores everything
or nothing; the files are written to the configured backend before that transaction commits.
"""

import io
import json
import re
import tarfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import Date, DateTime, Numeric, func, select, text
from werkzeug.exceptions import NotFound

from portal.extensions import db
from portal.storage import storage

FORMAT_VERSION = 1
STORED_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")  # names uploads.py generates; never a path


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


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def dump(archive_path: Path) -> tuple[dict, int]:
    """Write the archive; returns the row count per table and how many files a row names that the
    storage no longer holds (reported, not fatal: the rest of the backup is still worth having)."""
    counts = {}
    tables = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = [{k: _plain(v) for k, v in row._mapping.items()} for row in conn.execute(select(table))]
            tables[table.name] = rows
            counts[table.name] = len(rows)
        revision = _revision(conn)
    payload = json.dumps({"format": FORMAT_VERSION, "revision": revision, "tables": tables}).encode()
    missing = 0
    with tarfile.open(archive_path, "w:gz") as archive:
        _add(archive, "database.json", payload)
        for row in tables.get("stored_file", []):
            try:
                _add(archive, f"uploads/{row['stored_name']}", storage().read(row["stored_name"]))
            except NotFound:
                missing += 1
    return counts, missing


def restore(archive_path: Path) -> dict:
    """Load the archive into an empty database at the same revision; returns the row counts."""
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
            content_types = {r["stored_name"]: r["content_type"] for r in data["tables"].get("stored_file", [])}
            for member in archive.getmembers():
                name = Path(member.name)
                if member.isfile() and name.parent == Path("uploads") and STORED_NAME.fullmatch(name.name):
                    storage().save(name.name, archive.extractfile(member).read(),
                                   content_types.get(name.name, "application/octet-stream"))
    return counts


backup_cli = AppGroup("backup", help="Copia di sicurezza e ripristino. Il database e i file caricati in un solo archivio.")


@backup_cli.command("dump")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
def dump_command(archive: Path) -> None:
    """Scrive database e file caricati nell'archivio ARCHIVE (.tar.gz)."""
    counts, missing = dump(archive)
    click.echo(f"Backup scritto in {archive}: {sum(counts.values())} righe in {len(counts)} tabelle.")
    if missing:
        click.echo(f"Attenzione: {missing} file indicati dal database non sono nell'archivio dei file.", err=True)


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(archive: Path) -> None:
    """Ripristina ARCHIVE in un database vuoto e aggiornato (dopo `db upgrade`)."""
    counts = restore(archive)
    click.echo(f"Ripristinate {sum(counts.values())} righe in {len(counts)} tabelle.")
