"""Italian labels of the consultation's states and choices (translated at display time)."""

from flask_babel import lazy_gettext as _l

from portal.certification.consultation.models import Access, CommentType, Disposition, PartyKind, Phase, Stance

PHASES = {
    Phase.PREPARING: _l("In preparazione"),
    Phase.ANNOUNCED: _l("Annunciata"),
    Phase.OPEN: _l("Aperta ai commenti"),
    Phase.CLOSED: _l("Chiusa: risposte in corso"),
    Phase.REPORTED: _l("Conclusa: rapporto pubblicato"),
}

PHASE_BADGES = {
    Phase.PREPARING: "bg-secondary", Phase.ANNOUNCED: "bg-info text-dark", Phase.OPEN: "bg-success",
    Phase.CLOSED: "bg-warning text-dark", Phase.REPORTED: "bg-primary",
}

PARTY_KINDS = {
    PartyKind.MEMBER: _l("Azienda associata"),
    PartyKind.CLIENT: _l("Committente"),
    PartyKind.UNION: _l("Sindacato"),
    PartyKind.ASSOCIATION: _l("Associazione"),
    PartyKind.PUBLIC_BODY: _l("Ente pubblico"),
    PartyKind.OTHER: _l("Altro"),
}

ACCESS = {
    Access.COMPANY: _l("Utenti dell'azienda"),
    Access.ACCOUNT: _l("Account di consultazione"),
    Access.LINK: _l("Link personale"),
}

COMMENT_TYPES = {
    CommentType.GENERAL: _l("Generale (impostazione, ambito)"),
    CommentType.TECHNICAL: _l("Tecnico (requisito, peso, obiettivo, soglia, prove)"),
    CommentType.EDITORIAL: _l("Redazionale (forma, chiarezza, refusi)"),
}

COMMENT_TYPES_SHORT = {CommentType.GENERAL: _l("generale"), CommentType.TECHNICAL: _l("tecnico"), CommentType.EDITORIAL: _l("redazionale")}

STANCES = {
    Stance.AGREE: _l("D'accordo"),
    Stance.CHANGE: _l("Chiede una modifica"),
    Stance.PROPOSE: _l("Propone un nuovo testo, peso o obiettivo"),
}

STANCES_SHORT = {Stance.AGREE: _l("d'accordo"), Stance.CHANGE: _l("chiede una modifica"), Stance.PROPOSE: _l("proposta")}

DISPOSITIONS = {
    Disposition.ACCEPTED: _l("Accolto"),
    Disposition.PARTLY: _l("Accolto in parte"),
    Disposition.REJECTED: _l("Non accolto"),
    Disposition.NOTED: _l("Preso in nota per un'edizione successiva"),
}

DISPOSITION_BADGES = {
    Disposition.ACCEPTED: "bg-success", Disposition.PARTLY: "bg-info text-dark", Disposition.REJECTED: "bg-danger",
    Disposition.NOTED: "bg-secondary",
}
