"""Optimistic concurrency: a save based on an older version of a record is refused, not merged.

Answers, scores, recommendations, surveillance reviews and the application (at decision time)
carry a `version` column that SQLAlchemy increments on each update. The form sends back the
version the user saw; a different stored version means a colleague saved in between, so the
user is told and keeps what they typed. A race the check misses is still caught by the
database (`StaleDataError` on the versioned UPDATE).
"""

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.rules import RuleError


class ConflictError(RuleError):
    """Someone saved the same record after this user loaded it."""


def check_version(obj, seen_version) -> None:
    if seen_version is None or str(obj.version) != str(seen_version):
        raise ConflictError(_(
            "Nel frattempo un'altra persona ha salvato questi dati: i tuoi valori non sono stati registrati. "
            "Controlla la versione attuale e salva di nuovo."
        ))


def commit_or_conflict() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(_("Nel frattempo un'altra persona ha salvato questi dati: ricarica la pagina e riprova.")) from None
