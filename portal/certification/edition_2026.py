"""The starting scheme, edition 2026 (illustrative), from docs `bollino-blu.md` and `kpi.md`.

Weights and targets are plausible, not official: the edition is flagged `illustrative` and
the portal says so wherever it is shown. Staff change it by publishing a new edition.
"""

from decimal import Decimal

from sqlalchemy import select

from portal.certification.models import Area, Direction, Edition, EditionStatus, Parameter, ParameterKind
from portal.database import utcnow
from portal.extensions import db

YES, NUM, CHOICE, TEXT = ParameterKind.YES_NO, ParameterKind.NUMBER, ParameterKind.CHOICE, ParameterKind.TEXT
HI, LO = Direction.HIGHER, Direction.LOWER

# (code, question, help, kind, unit, target, direction, choices, evidence, weight, mandatory, key, link)
AREAS = [
    ("A", "Conformità giuslavoristica e legale", 30, [
        ("A1", "Il CCNL delle Telecomunicazioni è applicato a tutti gli operatori delle sedi candidate?",
         "Allegare un estratto del Libro Unico del Lavoro o una dichiarazione del consulente del lavoro.",
         YES, "", None, None, [], True, 3, True, True, ""),
        ("A2", "Le tariffe praticate ai committenti non sono inferiori al costo del lavoro delle tabelle ministeriali?",
         "Il valutatore vede accanto l'esito delle verifiche tariffarie salvate nel portale.",
         YES, "", None, None, [], True, 3, True, True, "tariffs"),
        ("A3", "Il DURC dell'azienda è regolare e in corso di validità?",
         "Allegare il DURC e indicarne la data di scadenza: un DURC scaduto non vale.",
         YES, "", None, None, [], True, 2, True, True, ""),
        ("A4", "Le comunicazioni previste dall'art. 24-bis per le attività svolte all'estero sono state inviate?",
         "Rispondere sì anche se l'azienda non lavora all'estero. Il valutatore vede accanto la situazione registrata nel modulo reshoring.",
         YES, "", None, None, [], False, 2, True, True, "reshoring"),
        ("A5", "L'azienda è iscritta al Registro degli Operatori di Comunicazione (ROC), se richiesto?",
         "", CHOICE, "", None, None, ["Sì, iscritta", "Non richiesto per la nostra attività", "No"], False, 1, False, False, ""),
        ("A6", "Quota di operatori con contratto a tempo indeterminato", "Sul totale degli operatori delle sedi candidate, media dell'ultimo anno.",
         NUM, "%", Decimal("70"), HI, [], False, 2, False, True, ""),
        ("A7", "Nei cambi di appalto è stata applicata la clausola sociale?",
         "Descrivere i cambi di appalto degli ultimi tre anni e come è stato garantito il personale.",
         TEXT, "", None, None, [], False, 1, False, False, ""),
    ]),
    ("B", "Persone e formazione", 20, [
        ("B1", "Ore di formazione per operatore nell'anno", "Formazione erogata, esclusa quella di inserimento.",
         NUM, "ore", Decimal("40"), HI, [], True, 2, False, True, ""),
        ("B2", "Ore di formazione iniziale (onboarding) per nuovo operatore", "", NUM, "ore", Decimal("60"), HI, [], False, 1, False, False, ""),
        ("B3", "Turnover annuo degli operatori", "Cessazioni dell'anno sul numero medio di operatori.",
         NUM, "%", Decimal("15"), LO, [], False, 2, False, True, ""),
        ("B4", "Tasso di assenteismo", "Ore di assenza non programmate sulle ore lavorabili.", NUM, "%", Decimal("8"), LO, [], False, 1, False, False, ""),
        ("B5", "Sono rispettate le norme di sicurezza e le pause per il lavoro al videoterminale?",
         "Allegare il documento di valutazione dei rischi (DVR) aggiornato.", YES, "", None, None, [], True, 2, False, False, ""),
    ]),
    ("C", "Qualità del servizio", 25, [
        ("C1", "Livello di servizio: chiamate risposte entro 20 secondi",
         "Obiettivo 80%: è il livello ARERA; i contratti Consip chiedono il 90%.", NUM, "%", Decimal("80"), HI, [], True, 2, False, True, ""),
        ("C2", "Tempo medio di risposta (ASA)", "AGCOM 255/24/CONS chiede al massimo 150 secondi.", NUM, "s", Decimal("150"), LO, [], False, 2, False, True, ""),
        ("C3", "Tasso di abbandono", "Contatti abbandonati prima della risposta sul totale offerto.", NUM, "%", Decimal("5"), LO, [], False, 1, False, False, ""),
        ("C4", "Risoluzione al primo contatto (FCR)", "Contatti risolti senza ulteriore contatto né passaggio al back office.",
         NUM, "%", Decimal("75"), HI, [], False, 2, False, True, ""),
        ("C5", "Soddisfazione dei clienti (CSAT)", "Quota di clienti soddisfatti nelle indagini dell'ultimo anno.", NUM, "%", Decimal("85"), HI, [], False, 1, False, False, ""),
        ("C6", "Reclami chiusi entro 30 giorni", "AGCOM chiede la chiusura dei reclami entro 30 giorni.", NUM, "%", Decimal("95"), HI, [], True, 2, False, True, ""),
    ]),
    ("D", "Innovazione e canali", 10, [
        ("D1", "Quanti canali di contatto sono serviti?", "Telefono, e-mail, chat, web, social, messaggistica.",
         CHOICE, "", None, None, ["Uno", "Due o tre", "Quattro o più"], False, 1, False, False, ""),
        ("D2", "Quota di contatti gestiti su canali digitali", "", NUM, "%", Decimal("30"), HI, [], False, 1, False, False, ""),
        ("D3", "Sono in uso monitoraggio della qualità e analisi del parlato o dei testi?", "Descrivere strumenti e frequenza dei controlli.",
         TEXT, "", None, None, [], False, 1, False, False, ""),
        ("D4", "I servizi sono accessibili alle persone con disabilità?", "Ad esempio canali testuali per persone sorde, siti conformi alle WCAG.",
         YES, "", None, None, [], False, 1, False, False, ""),
    ]),
    ("E", "Protezione dei dati e continuità", 10, [
        ("E1", "Ruoli privacy definiti (titolare, responsabile) e valutazioni d'impatto (DPIA) svolte?", "Allegare nomina a responsabile del trattamento e DPIA.",
         YES, "", None, None, [], True, 2, False, False, ""),
        ("E2", "Certificazione ISO/IEC 27001 o equivalente", "", CHOICE, "",
         None, None, ["Certificazione ISO/IEC 27001 valida", "Sistema equivalente non certificato", "Nessuna"], True, 1, False, False, ""),
        ("E3", "Piano di continuità operativa con ripristino provato nell'ultimo anno?", "Allegare il verbale dell'ultima prova.",
         YES, "", None, None, [], True, 1, False, False, ""),
    ]),
    ("F", "Lavoro in Italia", 5, [
        ("F1", "Quota dei volumi di contatto gestiti in Italia", "", NUM, "%", Decimal("90"), HI, [], False, 2, False, True, ""),
        ("F2", "Sedi operative nel Mezzogiorno", "Numero di sedi in Abruzzo, Molise, Campania, Puglia, Basilicata, Calabria, Sicilia, Sardegna.",
         NUM, "sedi", Decimal("1"), HI, [], False, 1, False, False, ""),
    ]),
]

CODE = "2026"


def build_edition() -> Edition:
    edition = Edition(
        code=CODE, title="Bollino Blu, edizione 2026", status=EditionStatus.PUBLISHED, illustrative=True,
        notes="Schema di partenza dimostrativo: pesi e obiettivi sono illustrativi, non ufficiali.",
        consultation_waiver="Schema di partenza, costruito sulle norme del settore (UNI EN 15838, ISO 18295-1, COPC) e sugli "
                            "obiettivi di AGCOM, ARERA e Consip; le edizioni successive passano dalla consultazione delle parti.",
        published_at=utcnow(),
    )
    for a_pos, (a_code, a_title, a_weight, params) in enumerate(AREAS):
        area = Area(code=a_code, title=a_title, weight=a_weight, position=a_pos)
        for p_pos, (code, question, help_, kind, unit, target, direction, choices, evidence, weight, mandatory, key, link) in enumerate(params):
            area.parameters.append(Parameter(
                code=code, question=question, help=help_, kind=kind, unit=unit, target=target, direction=direction,
                choices=choices, evidence_required=evidence, weight=weight, mandatory=mandatory, key_figure=key,
                linked_check=link, position=p_pos,
            ))
        edition.areas.append(area)
    return edition


def ensure_starting_edition() -> Edition:
    """The 2026 edition, created once."""
    edition = db.session.scalar(select(Edition).where(Edition.code == CODE))
    if edition is None:
        edition = build_edition()
        db.session.add(edition)
        db.session.flush()
    return edition
