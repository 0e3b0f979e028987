"""Error pages in the user's language: never a stack trace."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, login_manager

# Marked with _l so that `make translations` extracts them for the English pages.
MESSAGES = {
    400: (_l("Richiesta non valida"), _l("La richiesta non è stata compresa. Torna indietro e riprova.")),
    403: (_l("Accesso negato"), _l("Non hai i permessi per vedere questa pagina.")),
    404: (_l("Pagina non trovata"), _l("La pagina che cerchi non esiste o è stata spostata.")),
    405: (_l("Operazione non consentita"), _l("Questa operazione non è consentita su questa pagina.")),
    413: (_l("File troppo grande"), _l("Il file supera la dimensione massima consentita.")),
    429: (_l("Troppi tentativi"), _l("Hai fatto troppi tentativi in poco tempo. Attendi un minuto e riprova.")),
    500: (_l("Errore del portale"), _l("Si è verificato un errore imprevisto. Il personale è stato avvisato.")),
    503: (_l("Servizio non disponibile"), _l("Il portale è momentaneamente non disponibile. Riprova tra qualche minuto.")),
}


def render_error(status: int, detail: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=title, text=detail or text), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(
            400, _("Il modulo è scaduto o non è valido. Ricarica la pagina e invia di nuovo.")
        )

    @app.errorhandler(OperationalError)
    def database_down(exc: OperationalError):
        app.logger.error("Database unavailable on %s: %s", request.path, exc)
        db.session.rollback()
        # The page is drawn for an anonymous visitor: loading the signed-in user needs the database.
        login_manager._update_request_context_with_user()
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        db.session.rollback()
        return render_error(500)
