"""Column headers as people write them, matched to the fields the portal needs.

A header is first reduced to a key (`header_key`): lower case, accents and punctuation dropped,
"€" read as "euro", units in brackets dropped ("Tariffa (€)" -> "tariffa", "AHT (sec)" ->
"aht"). The key is then looked up in one table of synonyms, `SYNONYMS` below, which is the
documented list of what each field may be called in Italian procurement documents (tests in
tests/tariffs/test_headers.py). A header that starts with a synonym's words also matches
("Livello CCNL TLC" starts with "livello ccnl"); the longest synonym wins, an exact match wins
over a prefix, and two columns claiming one field are refused, never picked between.
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l

# field -> the keys it is written as (after header_key). Keep each list in the order people use.
SYNONYMS: dict[str, tuple[str, ...]] = {
    # the row's own identifier in the price list
    "riga_id": (
        "riga id", "id riga", "riga", "id", "n riga", "numero riga", "n", "numero", "nr", "num", "progressivo", "prog",
        "n progressivo", "codice", "cod", "codice riga", "codice voce", "voce", "n voce", "rif", "riferimento",
        "posizione", "pos", "item", "row id", "line",
    ),
    # CCNL TLC level of the staff who deliver the service
    "livello": (
        "livello", "livello ccnl", "livello ccnl tlc", "liv", "liv ccnl", "lvl", "livello inquadramento",
        "livello di inquadramento", "inquadramento", "inquadramento ccnl", "categoria ccnl", "level", "ccnl level",
    ),
    # the rate as offered (rates file)
    "tariffa": (
        "tariffa", "tariffa unitaria", "tariffa offerta", "tariffa proposta", "tariffa euro", "prezzo", "prezzo unitario",
        "prezzo offerto", "prezzo unitario offerto", "importo", "importo unitario", "importo offerto", "corrispettivo",
        "corrispettivo unitario", "canone", "rate", "price", "unit price",
    ),
    # the rate's unit
    "unita": (
        "unita", "unita di misura", "unita misura", "um", "u m", "misura", "unita tariffa", "tipo tariffa",
        "base tariffaria", "base di calcolo", "modalita tariffaria", "unit", "unit of measure",
    ),
    # the date the rate applies from
    "data": (
        "data", "data decorrenza", "decorrenza", "data applicazione", "data di applicazione", "data inizio",
        "data inizio validita", "data validita", "valida dal", "valido dal", "in vigore dal", "dal", "data offerta",
        "data contratto", "date", "effective date",
    ),
    # average handling time, for rates per contact
    "aht_secondi": (
        "aht secondi", "aht", "aht sec", "aht s", "aht in secondi", "tempo medio di gestione", "tempo medio gestione",
        "tmg", "durata media", "durata media contatto", "durata media chiamata", "tempo medio conversazione",
        "average handling time", "handling time",
    ),
    # ministerial table files: effective date and euro per minute
    "decorrenza": (
        "decorrenza", "data decorrenza", "dal", "data", "in vigore dal", "data di decorrenza", "valido dal", "periodo",
        "effective from",
    ),
    "euro_minuto": (
        "euro minuto", "euro al minuto", "costo minuto", "costo al minuto", "costo medio al minuto",
        "costo del lavoro al minuto", "costo medio orario al minuto", "euro min", "costo", "costo del lavoro", "valore",
        "importo",
    ),
}

FIELD_LABELS = {
    "riga_id": _l("identificativo della riga"),
    "livello": _l("livello CCNL"),
    "tariffa": _l("tariffa"),
    "unita": _l("unità della tariffa"),
    "data": _l("data di applicazione"),
    "aht_secondi": _l("AHT in secondi"),
    "decorrenza": _l("decorrenza"),
    "euro_minuto": _l("euro al minuto"),
}

_BRACKETS = re.compile(r"[(\[{][^)\]}]*[)\]}]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text) -> str:
    """Lower case, accents dropped, "€" read as "euro", punctuation as spaces, spaces collapsed."""
    text = str(text if text is not None else "").replace("€", " euro ").replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(_NOT_WORD.split(text)).strip()


def header_key(name) -> str:
    """`'Tariffa (€/min)'` -> `'tariffa'`, `' Unità di misura '` -> `'unita di misura'`, `'N. riga'` -> `'n riga'`."""
    text = str(name if name is not None else "")
    without_units = _BRACKETS.sub(" ", text)
    return fold(without_units if fold(without_units) else text)


@dataclass(frozen=True)
class Match:
    field: str
    exact: bool
    length: int  # words of the synonym matched: the longer, the surer


def match_header(name, fields: tuple[str, ...]) -> Match | None:
    """The field a header names, among `fields`, or None."""
    key = header_key(name)
    if not key:
        return None
    words = key.split()
    best: Match | None = None
    for field in fields:
        for synonym in SYNONYMS[field]:
            synonym_words = synonym.split()
            if words == synonym_words:
                candidate = Match(field, True, len(synonym_words))
            elif words[: len(synonym_words)] == synonym_words and len(synonym_words[0]) > 2:
                candidate = Match(field, False, len(synonym_words))
            else:
                continue
            if best is None or (candidate.exact, candidate.length) > (best.exact, best.length):
                best = candidate
    return best


def closest(name: str, headers: list[str], limit: int = 3) -> list[str]:
    """The headers of a file that look most like the field `name` (for a refusal's message)."""
    keys = SYNONYMS.get(name, (name,))
    scored = []
    for header in headers:
        key = header_key(header)
        if not key:
            continue
        score = max(SequenceMatcher(None, key, synonym).ratio() for synonym in keys)
        scored.append((score, header))
    scored.sort(key=lambda item: -item[0])
    return [header for score, header in scored[:limit] if score >= 0.6]
