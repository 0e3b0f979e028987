"""Italian regions and countries, shared by members, certification and reshoring."""

from babel import Locale
from flask_babel import get_locale
from wtforms import SelectChoice

from portal.forms import options

REGIONS = (
    "Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli-Venezia Giulia",
    "Lazio", "Liguria", "Lombardia", "Marche", "Molise", "Piemonte", "Puglia", "Sardegna",
    "Sicilia", "Toscana", "Trentino-Alto Adige", "Umbria", "Valle d'Aosta", "Veneto",
)

# The Mezzogiorno, as used by the Bollino Blu's parameter on sites in the South.
SOUTH = frozenset({"Abruzzo", "Basilicata", "Calabria", "Campania", "Molise", "Puglia", "Sardegna", "Sicilia"})


def country_name(code: str) -> str:
    """The country's name in the user's language (`AL` -> `Albania`)."""
    return Locale.parse(str(get_locale())).territories.get(code, code)


def country_choices() -> list[SelectChoice]:
    """ISO 3166 alpha-2 countries, Italy first, then by name in the user's language."""
    territories = Locale.parse(str(get_locale())).territories
    codes = [c for c in territories if len(c) == 2 and c.isalpha() and c not in {"ZZ", "EU", "UN", "EZ", "QO", "XA", "XB", "XK"}]
    others = sorted((c for c in codes if c != "IT"), key=lambda c: territories[c])
    return options([("IT", territories["IT"])] + [(c, territories[c]) for c in others])


def region_choices() -> list[SelectChoice]:
    return options((r, r) for r in REGIONS)
