"""Valid form posts for the members module; tests spoil one field at a time."""

from stdnum import luhn


def partita_iva(n: int) -> str:
    """A valid Partita IVA outside the ranges the fixtures and the demo use."""
    body = f"{3210000 + n:07d}058"
    return body + luhn.calc_check_digit(body)


def company_data(**changes) -> dict:
    data = {
        "ragione_sociale": "Contatti Lucani S.r.l.",
        "partita_iva": partita_iva(1),
        "codice_fiscale": partita_iva(1),
        "pec": "contatti.lucani@pec.example.it",
        "indirizzo": "Via Pretoria 5",
        "cap": "85100",
        "comune": "Potenza",
        "provincia": "PZ",
        "regione": "Basilicata",
    }
    return data | changes


def join_data(**changes) -> dict:
    data = company_data() | {
        "contact_name": "Lucia Lucana",
        "contact_email": "lucia@lucani.example.it",
        "contact_phone": "0971 123456",
        "message": "Vorremmo aderire.",
        "privacy": "y",
    }
    return data | changes


def site_data(**changes) -> dict:
    data = {
        "name": "Matera Sassi",
        "indirizzo": "Via Ridola 3",
        "comune": "Matera",
        "country": "IT",
        "regione": "Basilicata",
        "seats": "80",
        "operators": "95",
        "channels": ["phone", "chat"],
    }
    return data | changes
