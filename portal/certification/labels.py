"""Italian labels of the module's states and choices (translated at display time)."""

from flask_babel import lazy_gettext as _l

from portal.certification.models import (
    AppState,
    AssignmentStatus,
    CertStatus,
    Channel,
    Direction,
    EditionStatus,
    Outcome,
    ParameterKind,
    ReviewStatus,
)

APP_STATES = {
    AppState.DRAFT: _l("In compilazione"),
    AppState.SUBMITTED: _l("Inviata"),
    AppState.UNDER_REVIEW: _l("In valutazione"),
    AppState.CHANGES_REQUESTED: _l("Integrazioni richieste"),
    AppState.AWAITING_DECISION: _l("In attesa di decisione"),
    AppState.GRANTED: _l("Bollino concesso"),
    AppState.REFUSED: _l("Bollino negato"),
}

ASSIGNMENT_STATES = {
    AssignmentStatus.PENDING: _l("In attesa di dichiarazione"),
    AssignmentStatus.DECLARED: _l("Assenza di conflitti dichiarata"),
    AssignmentStatus.DECLINED: _l("Incarico rifiutato"),
}

OUTCOMES = {
    Outcome.GRANT: _l("Concedere il Bollino Blu"),
    Outcome.DISTINCTION: _l("Concedere il Bollino Blu con distinzione"),
    Outcome.REFUSE: _l("Negare il Bollino Blu"),
}

CERT_STATES = {
    CertStatus.ACTIVE: _l("Attivo"),
    CertStatus.SUSPENDED: _l("Sospeso"),
    CertStatus.WITHDRAWN: _l("Revocato"),
    CertStatus.EXPIRED: _l("Scaduto"),
}

EDITION_STATES = {EditionStatus.DRAFT: _l("Bozza"), EditionStatus.PUBLISHED: _l("Pubblicata")}

KINDS = {
    ParameterKind.YES_NO: _l("Sì / no"),
    ParameterKind.NUMBER: _l("Numero con obiettivo"),
    ParameterKind.CHOICE: _l("Scelta singola"),
    ParameterKind.TEXT: _l("Testo"),
}

CHANNELS = {
    Channel.PHONE: _l("Telefono"),
    Channel.EMAIL: _l("E-mail"),
    Channel.CHAT: _l("Chat"),
    Channel.SOCIAL: _l("Social network"),
    Channel.WEB: _l("Web self-service"),
}

DIRECTIONS = {Direction.HIGHER: _l("più alto è meglio"), Direction.LOWER: _l("più basso è meglio")}

REVIEW_STATES = {ReviewStatus.OPEN: _l("Aperta"), ReviewStatus.PASSED: _l("Superata"), ReviewStatus.FAILED: _l("Non superata")}

SCALE = {0: _l("0 assente"), 1: _l("1 insufficiente"), 2: _l("2 parziale"), 3: _l("3 soddisfatto"), 4: _l("4 superato")}

YES_NO = {"yes": _l("Sì"), "no": _l("No")}

BANDS = {"distinction": _l("con distinzione"), "grant": _l("concesso"), "refuse": _l("non concedibile")}

STATE_BADGES = {
    AppState.DRAFT: "bg-secondary", AppState.SUBMITTED: "bg-primary", AppState.UNDER_REVIEW: "bg-primary",
    AppState.CHANGES_REQUESTED: "bg-warning text-dark", AppState.AWAITING_DECISION: "bg-info text-dark",
    AppState.GRANTED: "bg-success", AppState.REFUSED: "bg-danger",
    CertStatus.ACTIVE: "bg-success", CertStatus.SUSPENDED: "bg-warning text-dark",
    CertStatus.WITHDRAWN: "bg-danger", CertStatus.EXPIRED: "bg-secondary",
}
