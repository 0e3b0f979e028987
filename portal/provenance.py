"""Where a figure comes from: every figure the portal shows outward carries a `Provenance`.

The kind is read from the data's own flags (an edition's or a decree's `illustrative` /
`official` column, a sector figure's kind, a company's declaration), never typed into a
template. Pages and PDFs render it with `templates/macros/provenance.html`.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Kind(StrEnum):
    OFFICIAL = "ufficiale"  # read in an official source (decree, statute, published register)
    ILLUSTRATIVE = "dimostrativo"  # plausible demo value, never to be taken as official
    DECLARED = "dichiarato"  # declared by member companies in the portal
    ESTIMATED = "stimato"  # an estimate made by the association (e.g. a proposal's expected impact)
    REPORTED = "riportato"  # reported by the press or third parties, not verified


LABELS = {
    Kind.OFFICIAL: _l("ufficiale"),
    Kind.ILLUSTRATIVE: _l("dimostrativo"),
    Kind.DECLARED: _l("dichiarato dalle aziende"),
    Kind.ESTIMATED: _l("stima dell'associazione"),
    Kind.REPORTED: _l("riportato dalla stampa"),
}

# When figures of several kinds are combined, the result is only as strong as its weakest part.
_STRENGTH = [Kind.ILLUSTRATIVE, Kind.REPORTED, Kind.ESTIMATED, Kind.DECLARED, Kind.OFFICIAL]


@dataclass(frozen=True)
class Provenance:
    kind: Kind
    source: str  # e.g. "D.D. 53 del 12/08/2021 (G.U. ...)" or "Dati dichiarati dalle aziende nel portale"
    as_of: date | None = None  # the date the figure refers to or was read

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def is_official(self) -> bool:
        return self.kind == Kind.OFFICIAL


def official_or_illustrative(official: bool) -> Kind:
    """The kind of a value whose record carries an `official` (or negated `illustrative`) flag."""
    return Kind.OFFICIAL if official else Kind.ILLUSTRATIVE


def weakest(*kinds: Kind) -> Kind:
    """The kind of a figure computed from values of the given kinds."""
    return min(kinds, key=_STRENGTH.index)
