"""Error pages in the user's language: never a stack trace."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.extensions import db, login_manager

MESSAGES = {
    400: ("Richiesta non valida", "La richiesta non è stata compresa. Torna indietro e riprova."),
    403: ("Accesso negato", "Non hai i permessi per vedere questa pagina."),
    404: ("Pagina non trovata", "La pagina che cerchi non esiste o è stata spostata."),
    405: ("Operazione non consentita", "Questa operazione non è consentita su questa pagina."),
    413: ("File troppo grande", "Il file supera la dimensione massima consentita."),
    429: ("Troppi tentativi", "Hai fatto troppi tentativi in poco tempo. Attendi un minuto e riprova."),
    500: ("Errore del portale", "Si è verificato un errore imprevisto. Il personale è stato avvisato."),
    503: ("Servizio non disponibile", "Il portale è momentaneamente non disponibile. Riprova tra qualche minuto."),
}


def render_error(status: int, detail: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=_(title), text=detail or _(text)), status


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
