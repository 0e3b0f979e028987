"""The table values the portal ships: the official ones known (tabelle-ministeriali.md) and an
illustrative table, labelled "dimostrativa", that fills the other levels by interpolation."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.formatting import rounded
from portal.tariffs.rates import TableRow

ILLUSTRATIVE_NUMBER = "Tabella dimostrativa"


@dataclass(frozen=True)
class DecreeSpec:
    number: str
    issued_on: date | None  # None: not a decree (the illustrative table), so it never sorts as the latest one
    title: str
    source: str
    official: bool
    rows: tuple[tuple[str, date, Decimal], ...]
    source_url: str = ""


D = Decimal
DD_53_2021 = DecreeSpec(
    "D.D. 53/2021", date(2021, 8, 12),
    "Costo medio orario del lavoro del personale dei call center (CCNL Telecomunicazioni)",
    "Allegati del decreto come riportati dalla stampa specializzata del lavoro (agosto 2021)",
    True,
    tuple(
        (level, effective, D(value))
        for effective, level_1, level_5s in (
            (date(2021, 4, 1), "0.3503", "0.5292"),
            (date(2021, 12, 1), "0.3522", "0.5346"),
            (date(2022, 4, 1), "0.3551", "0.5427"),
            (date(2022, 10, 1), "0.3570", "0.5481"),
            (date(2022, 12, 1), "0.3573", "0.5485"),
        )
        for level, value in (("1", level_1), ("5S", level_5s))
    ),
)
DD_77_2018 = DecreeSpec(
    "D.D. 77/2018", date(2018, 10, 1),
    "Costo medio orario del lavoro del personale dei call center (CCNL Telecomunicazioni)",
    "Decreto direttoriale del Ministero del Lavoro, valori in vigore da gennaio 2019",
    True,
    (("1", date(2019, 1, 1), D("0.3411")), ("5S", date(2019, 1, 1), D("0.5075"))),
)
DD_123_2017 = DecreeSpec(
    "D.D. 123/2017", date(2017, 12, 29),
    "Costo medio orario del lavoro del personale dei call center (CCNL Telecomunicazioni)",
    "Nota unitaria dei sindacati sul decreto: livello 3 (operatore tipico), costo annuo 30.140 €",
    True,
    (("3", date(2018, 1, 1), D("0.4282")),),
)
OFFICIAL_DECREES = (DD_123_2017, DD_77_2018, DD_53_2021)

# CCNL TLC minimum monthly wages (Jan 2026): only the spacing of the levels is used, to place
# the unknown levels between (and beyond) the known levels 1 and 5S.
WAGES = {"1": D("853.81"), "2": D("1007.49"), "3": D("1144.10"), "4": D("1277.73"), "5": D("1417.32"),
         "5S": D("1483.33"), "6": D("1731.18"), "7": D("1946.69")}
# D.D. 123/2017 gives only a reported range for levels 1 and 5S ("about 0,33" and "about 0,50"),
# and the official level 3: where level 3 sits in that range calibrates the interpolation.
REPORTED_RANGE_2018 = (date(2018, 1, 1), D("0.33"), D("0.50"))
LEVEL_3_POSITION = (D("0.4282") - D("0.33")) / (D("0.50") - D("0.33"))


def _wage_position(level: str) -> Decimal:
    return (WAGES[level] - WAGES["1"]) / (WAGES["5S"] - WAGES["1"])


def position(level: str) -> Decimal:
    """0 for level 1, 1 for level 5S, the official level 3 at its 2018 place; piecewise linear in wages."""
    wage, wage_3 = _wage_position(level), _wage_position("3")
    if wage <= wage_3:
        return wage / wage_3 * LEVEL_3_POSITION
    return LEVEL_3_POSITION + (wage - wage_3) / (1 - wage_3) * (1 - LEVEL_3_POSITION)


def interpolate(level: str, level_1: Decimal, level_5s: Decimal) -> Decimal:
    return rounded(level_1 + (level_5s - level_1) * position(level), 4)


def _anchors() -> list[tuple[date, Decimal, Decimal]]:
    by_date: dict[date, dict[str, Decimal]] = {}
    for spec in (DD_77_2018, DD_53_2021):
        for level, effective, value in spec.rows:
            by_date.setdefault(effective, {})[level] = value
    return [REPORTED_RANGE_2018] + [(d, v["1"], v["5S"]) for d, v in sorted(by_date.items())]


def illustrative_rows() -> tuple[tuple[str, date, Decimal], ...]:
    """Every level at every known effective date that no official row covers."""
    official = {(level, effective) for spec in OFFICIAL_DECREES for level, effective, _ in spec.rows}
    return tuple(
        (level, effective, interpolate(level, level_1, level_5s))
        for effective, level_1, level_5s in _anchors()
        for level in WAGES
        if (level, effective) not in official
    )


ILLUSTRATIVE = DecreeSpec(
    ILLUSTRATIVE_NUMBER, None,
    "Tabella dimostrativa: livelli non noti interpolati dai valori ufficiali dei livelli 1 e 5S",
    "Interpolazione del portale secondo la distanza tra i minimi tabellari CCNL TLC: non è un valore ufficiale",
    False,
    illustrative_rows(),
)
DEMO_DECREES = OFFICIAL_DECREES + (ILLUSTRATIVE,)

# CCNL TLC renewal (tabelle-ministeriali.md): new minimum wages from January 2026, reported by
# labour-consultancy summaries; no ministerial table reflects them yet.
DEMO_RENEWALS = (
    {"signed_on": date(2025, 11, 11), "wages_from": date(2026, 1, 1),
     "title": "rinnovo del CCNL TLC dell'11/11/2025",
     "source": "Minimi tabellari 2026-2028 come pubblicati nelle sintesi delle società di consulenza del lavoro", "official": False},
)

DEMO_UPLIFT = (
    ("formazione", date(2018, 1, 1), D(5)),
    ("innovazione", date(2018, 1, 1), D(4)),
    ("organizzazione", date(2018, 1, 1), D(6)),
)


def demo_table_rows() -> list[TableRow]:
    return [
        TableRow(level, effective, value, spec.number, spec.official, spec.issued_on)
        for spec in DEMO_DECREES
        for level, effective, value in spec.rows
    ]
