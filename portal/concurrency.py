"""Optimistic concurrency: a save based on an older version of a record is refused, not merged.

Records several people edit carry a `version` column that SQLAlchemy increments on each update
(`__mapper_args__ = {"version_id_col": version}`). The form sends back the version the user saw;
`check_version` refuses a different one, and `commit_versioned` turns the race it cannot see (a
colleague's UPDATE between our read and our write: `StaleDataError`) into the same refusal. The
user is told and keeps what they typed.
"""

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.rules import RuleError


class ConflictError(RuleError):
    """Someone saved the same record after this user loaded it."""


def conflict_message() -> str:
    return _("Nel frattempo un'altra persona ha salvato questi dati: i tuoi valori non sono stati registrati. "
             "Controlla la versione attuale e salva di nuovo.")


def check_version(obj, seen_version, message: str | None = None) -> None:
    """ConflictError unless `seen_version` (as posted: str, int or None) is the stored version."""
    if seen_version is None or str(obj.version) != str(seen_version).strip():
        raise ConflictError(message or conflict_message())


def commit_versioned(message: str | None = None) -> None:
    """Commit; a versioned row changed meanwhile rolls back and raises ConflictError."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(message or conflict_message()) from None
