"""Italian identifiers, validated with python-stdnum (never by hand)."""

from flask_babel import lazy_gettext as _l
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva
from wtforms.validators import ValidationError


def normalise_partita_iva(value: str) -> str:
    return iva.compact(value or "").removeprefix("IT")


def partita_iva(form, field) -> None:
    try:
        field.data = iva.validate(normalise_partita_iva(field.data))
    except StdnumError:
        raise ValidationError(_l("Partita IVA non valida: servono 11 cifre con la cifra di controllo corretta.")) from None


def codice_fiscale_azienda(form, field) -> None:
    """A company's codice fiscale: 11 digits (like a Partita IVA) or 16 characters (sole trader)."""
    value = (field.data or "").strip().upper().replace(" ", "")
    try:
        field.data = iva.validate(value) if value.isdigit() else codicefiscale.validate(value)
    except StdnumError:
        raise ValidationError(_l("Codice fiscale non valido.")) from None
