"""The laws the portal cites, in one place: the ministry brief, the help pages and the verdicts
quote them from here, so a citation is written once and reads the same everywhere.

Each reference says how a text cites it, what it is about, what it says in plain words (as the
domain reference summarises it: the portal explains, it does not replace the official text),
the earlier provision it replaced where readers may still meet it, and the address of the
official text on Normattiva when there is one. Templates render them with
`templates/macros/legal.html`.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

NORMATTIVA = "https://www.normattiva.it/uri-res/N2Ls?"


@dataclass(frozen=True)
class LegalReference:
    key: str
    citation: str  # how a text cites it: "Art. 24-bis DL 83/2012 ..."
    title: str  # what it is about
    summary: str  # what it says, in plain words
    url: str = ""  # the official text, when it is published online
    replaces: str = ""  # the earlier provision, as older contracts and tenders cite it

    def __str__(self) -> str:
        return str(self.citation)


ART_24_BIS = LegalReference(
    key="art24bis",
    citation=_l("Art. 24-bis DL 83/2012 (convertito dalla L. 134/2012), come riscritto dall'art. 1 c. 243 della L. 232/2016"),
    title=_l("Delocalizzazione delle attività di call center"),
    summary=_l(
        "Per i call center con almeno 20 dipendenti: chi sposta attività fuori dall'Italia lo comunica almeno 30 giorni prima "
        "al Ministero del Lavoro, all'Ispettorato Nazionale del Lavoro, al MIMIT (ex MISE) e al Garante per la protezione dei "
        "dati personali, indicando le attività e i lavoratori interessati (sanzione di circa 150.000 euro per ogni comunicazione "
        "mancata); chi chiama deve sapere in quale Paese si trova l'operatore e può chiedere un operatore in Italia o nell'Unione "
        "europea (sanzione fino a circa 50.000 euro al giorno); le aziende devono essere iscritte al Registro degli operatori di "
        "comunicazione (ROC) (sanzione di circa 50.000 euro); committente e fornitore rispondono in solido."),
    url=NORMATTIVA + "urn:nir:stato:decreto.legge:2012-06-22;83~art24bis",
)

PROTOCOL_2017 = LegalReference(
    key="protocollo2017",
    citation=_l("Protocollo del 4 maggio 2017 tra Ministero del Lavoro, imprese e sindacati sul settore dei call center"),
    title=_l("Volumi di lavoro da mantenere in Italia"),
    summary=_l(
        "Impegna i contact center in-house a mantenere in Italia gran parte dei propri volumi e i committenti a far gestire "
        "in Italia la maggior parte dei volumi affidati in outsourcing; le quote, come riportate dalle fonti, sono tra i "
        "dati di settore, ciascuno con la sua provenienza."),
)

PROCUREMENT_LABOUR_COST = LegalReference(
    key="dlgs36art41",
    citation=_l("D.Lgs 36/2023 (Codice dei contratti pubblici), art. 41 c. 13-14"),
    title=_l("Costo del lavoro negli appalti pubblici"),
    summary=_l(
        "Nei documenti di gara la stazione appaltante indica il costo del lavoro sulla base delle tabelle del Ministero del "
        "Lavoro (c. 13); i costi della manodopera e della sicurezza sono tenuti distinti dall'importo soggetto a ribasso, "
        "fermo restando che l'offerente può dimostrare che il ribasso deriva da una più efficiente organizzazione (c. 14)."),
    url=NORMATTIVA + "urn:nir:stato:decreto.legislativo:2023-03-31;36~art41",
    replaces=_l("D.Lgs 50/2016 art. 23 c. 16"),
)

ABNORMALLY_LOW_TENDERS = LegalReference(
    key="dlgs36art110",
    citation=_l("D.Lgs 36/2023 (Codice dei contratti pubblici), art. 110"),
    title=_l("Offerte anormalmente basse"),
    summary=_l(
        "Uno scostamento dalle tabelle ministeriali non è di per sé un'anomalia: va verificato e può essere giustificato. "
        "Non si può mai giustificare un costo del personale inferiore ai minimi salariali stabiliti dalla legge o dal "
        "contratto collettivo."),
    url=NORMATTIVA + "urn:nir:stato:decreto.legislativo:2023-03-31;36~art110",
    replaces=_l("D.Lgs 50/2016 art. 97"),
)

SOCIAL_CLAUSE = LegalReference(
    key="l11_2016",
    citation=_l("L. 11/2016, art. 1 c. 10"),
    title=_l("Clausola sociale negli appalti di call center"),
    summary=_l("Al cambio di fornitore di un servizio di call center il personale prosegue con il nuovo fornitore."),
    url=NORMATTIVA + "urn:nir:stato:legge:2016-01-28;11~art1-com10",
)

REFERENCES = {ref.key: ref for ref in (ART_24_BIS, PROTOCOL_2017, PROCUREMENT_LABOUR_COST, ABNORMALLY_LOW_TENDERS, SOCIAL_CLAUSE)}

# What the ministry brief's section of legal references lists, in this order.
BRIEF_REFERENCES = (ART_24_BIS, PROTOCOL_2017, PROCUREMENT_LABOUR_COST, ABNORMALLY_LOW_TENDERS)


def reference(key: str) -> LegalReference:
    return REFERENCES[key]
