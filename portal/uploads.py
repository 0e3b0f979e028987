"""Uploaded files (evidence, attachments): checked by content, stored under a generated name.

The declared name and content type are never trusted: the kind is read from the bytes, the
file is stored under a random name (never in the static folder; in the storage backend of
`portal/storage.py`: a local folder or S3), and its SHA-256 is kept so an auditor can prove
which file was judged. Office files are ZIP archives: their entries are checked so that a ZIP
bomb or any other archive renamed `.xlsx` is refused.
"""

import hashlib
import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from io import BytesIO

import filetype
from celery.schedules import crontab
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import periodic
from portal.rules import RuleError
from portal.storage import storage

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}
KIND_LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "xlsx": "Excel (XLSX)", "docx": "Word (DOCX)", "csv": "CSV"}
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg", "xlsx", "docx"})

# Clean-up: a file nothing refers to is kept this long (an upload's transaction may still be open).
GRACE = timedelta(days=1)

# An office file that unpacks to more than this, or compresses better than this, is refused.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100


class StoredFile(db.Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by = relationship("User")

    def __str__(self) -> str:
        return self.original_name

    def read(self) -> bytes:
        return storage().read(self.stored_name)


def _office_kind(data: bytes) -> str | None:
    """`xlsx` or `docx` for a genuine, reasonably sized Office Open XML archive, else None."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            unpacked = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                raise RuleError(_("Il file compresso è anomalo (si espande troppo) e non è stato accettato."))
            if "[Content_Types].xml" not in names:
                return None
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
    except zipfile.BadZipFile:
        return None
    return None


def _looks_like_csv(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    head = data[:65536].lstrip(b"\xef\xbb\xbf").lower()
    if head.lstrip().startswith((b"<", b"<?xml")):
        return False  # HTML, SVG or XML: never accepted as a table
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff_kind(data: bytes) -> str | None:
    """The file's real kind from its bytes (`pdf`, `png`, `jpeg`, `xlsx`, `docx`, `csv`) or None."""
    guess = filetype.guess(data[:8192])
    if guess is not None:
        if guess.extension == "pdf":
            return "pdf"
        if guess.extension == "png":
            return "png"
        if guess.extension in ("jpg", "jpeg"):
            return "jpeg"
        if guess.extension in ("zip", "xlsx", "docx"):
            return _office_kind(data)
        return None
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return "csv" if _looks_like_csv(data) else None


def read_checked(upload: FileStorage | None, kinds: frozenset[str] | set[str]) -> tuple[bytes, str]:
    """The upload's bytes and kind, or RuleError with a message for the user."""
    if upload is None or not upload.filename:
        raise RuleError(_("Scegli un file da caricare."))
    if _has_path(upload.filename):
        raise RuleError(_("Il nome del file non è valido: usa un nome senza cartelle, ad esempio verbale.pdf."))
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    data = upload.stream.read(limit + 1)
    if not data:
        raise RuleError(_("Il file è vuoto."))
    if len(data) > limit:
        raise RuleError(_("Il file supera il limite di %(mb)s MB.", mb=current_app.config["MAX_UPLOAD_MB"]))
    kind = sniff_kind(data)
    if kind not in kinds:
        allowed = ", ".join(KIND_LABELS[k] for k in sorted(kinds))
        raise RuleError(_("Tipo di file non ammesso: il contenuto non è uno di questi formati: %(allowed)s.", allowed=allowed))
    return data, kind


def _has_path(filename: str) -> bool:
    """Browsers send a bare name: folders, `..` or control characters mean a crafted request."""
    return any(c in filename for c in "/\\\0") or filename.startswith("..") or not filename.isprintable()


def display_name(filename: str) -> str:
    """A safe name to show and to offer on download; never used as a path."""
    name = secure_filename(filename) or "file"
    return name[:200]


def store_upload(upload: FileStorage | None, kinds: frozenset[str] | set[str], user) -> StoredFile:
    """Check and store an upload; the caller links the returned row and commits."""
    data, kind = read_checked(upload, kinds)
    stored_name = secrets.token_hex(16)
    storage().save(stored_name, data, CONTENT_TYPES[kind])  # before the row: a row never names a missing file
    stored = StoredFile(
        original_name=display_name(upload.filename),
        stored_name=stored_name,
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def discard_upload(stored: StoredFile | None) -> None:
    """Delete the file of an upload refused after it was stored (the caller rolls its row back)."""
    if stored is not None:
        storage().delete(stored.stored_name)


def send_stored(stored: StoredFile, as_attachment: bool = False):
    """Serve a stored file with its real type; the caller has already checked access."""
    return storage().download(stored.stored_name, stored.content_type, stored.original_name, as_attachment)


def referenced_file_ids() -> set[int]:
    """Every stored file some row points to, whatever the table (read from the foreign keys)."""
    referenced: set[int] = set()
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table is StoredFile.__table__:
                referenced.update(db.session.scalars(select(key.parent).where(key.parent.is_not(None)).distinct()))
    return referenced


@periodic("storage.cleanup", crontab(hour=3, minute=40))
def clean_up() -> dict:
    """Each night: delete stored files no row refers to any more (a batch's company deleted, an old
    job's result), and objects no row names (an upload whose transaction rolled back, a `.part`
    left by a crash), once they are a day old. If more than half of the objects would go, the
    storage and the database do not belong together (a worker pointed at another database):
    nothing is deleted and the error is logged."""
    cutoff = utcnow() - GRACE
    referenced = referenced_file_ids()
    unused = [row for row in db.session.execute(select(StoredFile.id, StoredFile.stored_name)
                                                .where(StoredFile.uploaded_at < cutoff)) if row.id not in referenced]
    for start in range(0, len(unused), 1000):
        db.session.execute(delete(StoredFile).where(StoredFile.id.in_([row.id for row in unused[start:start + 1000]])))
    db.session.commit()
    for row in unused:
        storage().delete(row.stored_name)
    known = set(db.session.scalars(select(StoredFile.stored_name)))
    objects = list(storage().listing())
    orphans = [name for name, written in objects if name not in known and written < cutoff]
    if orphans and len(orphans) * 2 > len(objects):
        log.error("Clean-up refused: %s of %s stored objects are unknown to this database", len(orphans), len(objects))
        return {"files": len(unused), "orphans": 0, "refused": len(orphans)}
    for name in orphans:
        storage().delete(name)
    log.info("Clean-up: %s unused files and %s orphaned objects deleted", len(unused), len(orphans))
    return {"files": len(unused), "orphans": len(orphans), "refused": 0}
