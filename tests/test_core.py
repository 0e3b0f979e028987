"""Core: Italian formats, error pages, a database that is down, security headers, the audit log
and outbox pages, the language switch."""

import socket
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import delete

from portal import create_app, errors
from portal.access import Role, public
from portal.audit import AuditEntry
from portal.mail import FAILED, SENT, OutboxMessage
from tests.conftest import make_test_config
from tests.members.pages import text


def render(source: str, **values) -> str:
    return render_template_string(source, **values)


# --- formats -------------------------------------------------------------------------------

FORMATS = [
    ("{{ v|euro }}", Decimal("1234.56"), "1.234,56\u00a0€", "€1,234.56"),
    ("{{ v|euro(4) }}", Decimal("0.1234"), "0,1234\u00a0€", "€0.1234"),
    ("{{ v|euro }}", Decimal("-1000000"), "-1.000.000,00\u00a0€", "-€1,000,000.00"),
    ("{{ v|number }}", 1234567, "1.234.567", "1,234,567"),
    ("{{ v|number(2) }}", Decimal("1234.5"), "1.234,50", "1,234.50"),
    ("{{ v|percent }}", Decimal("12.5"), "12,5\u00a0%", "12.5\u00a0%"),
    ("{{ v|short_date }}", date(2026, 11, 23), "23/11/2026", "23/11/2026"),
    ("{{ v|date_time }}", datetime(2026, 11, 23, 13, 5, tzinfo=UTC), "23/11/2026 14:05", "23/11/2026 14:05"),
    ("{{ v|date_time }}", datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "02/07/2026 00:30", "02/07/2026 00:30"),
    ("{{ v|euro }}{{ v|percent }}{{ v|short_date }}", None, "———", "———"),
]


@pytest.mark.parametrize(("source", "value", "italian", "english"), FORMATS)
def test_formats_in_both_languages(app, source, value, italian, english):
    with app.test_request_context():
        assert render(source, v=value) == italian
        with force_locale("en"):
            assert render(source, v=value) == english


# --- error pages ---------------------------------------------------------------------------

def test_404_page_is_italian(client):
    response = client.get("/non-esiste")

    assert response.status_code == 404
    assert "Pagina non trovata" in text(response) and '<html lang="it">' in text(response)


def test_403_page_is_italian(client, auth, make_user, make_company):
    auth.login(make_user(Role.APPLICANT, make_company()).email)

    response = client.get("/registro-attivita")

    assert response.status_code == 403 and "Accesso negato" in text(response)


def test_405_and_500_pages_are_italian_without_a_stack_trace(app, client):
    def broken():
        raise RuntimeError("segreto interno")

    app.add_url_rule("/guasto", "broken", public(broken))

    response = client.get("/guasto")
    assert response.status_code == 500
    assert "Errore del portale" in text(response)
    assert "segreto interno" not in text(response) and "Traceback" not in text(response)
    assert client.get("/lingua").status_code == 405


def test_error_messages_are_extracted_for_translation():
    """`make translations` must find the error pages' texts, or English users read them in Italian."""
    keywords = DEFAULT_KEYWORDS | {"_l": None}
    found = {message for _, message, _, _ in extract_from_file("python", errors.__file__, keywords=keywords)}

    for title, explanation in errors.MESSAGES.values():
        assert str(title) in found and str(explanation) in found


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_without_database(database_url, smtp_server, tmp_path):
    down = f"postgresql+psycopg://portal@127.0.0.1:{_closed_port()}/portal"
    app = create_app(make_test_config(database_url, smtp_server[1], tmp_path) | {"SQLALCHEMY_DATABASE_URI": down})
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def test_database_down_gives_the_italian_503_page(app_without_database):
    client = app_without_database.test_client()

    response = client.get("/bollino/registro")

    assert response.status_code == 503
    assert "Servizio non disponibile" in text(response) and "Traceback" not in text(response)


def test_database_down_with_a_signed_in_session_gives_503(app_without_database):
    client = app_without_database.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"

    response = client.get("/home")

    assert response.status_code == 503 and "Servizio non disponibile" in text(response)


# --- security headers ----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/accedi", "/non-esiste"])
def test_security_headers(client, path):
    headers = client.get(path).headers

    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    body = client.get("/aderisci").get_data(as_text=True)

    assert "style=" not in body and "<script>" not in body and "onclick" not in body


# --- audit log and outbox pages --------------------------------------------------------------

@pytest.fixture
def staff_client(client, auth, make_user):
    client.user = make_user(Role.STAFF, name="Stella Staff")
    auth.login(client.user.email)
    return client


def _entry(db, action, object_type, label, at, actor=None):
    db.session.add(AuditEntry(action=action, object_type=object_type, object_label=label, at=at,
                              actor_id=actor.id if actor else None, changes={"campo": ["prima", "dopo"]}))


@pytest.fixture
def audit_entries(db, make_user):
    other = make_user(Role.ADMIN, name="Aldo Admin")
    _entry(db, "membership.approve", "Company", "voce-approvazione", datetime(2026, 3, 10, 9, tzinfo=UTC), other)
    _entry(db, "membership.refuse", "Company", "voce-rifiuto", datetime(2026, 5, 20, 9, tzinfo=UTC))
    _entry(db, "site.update", "Site", "voce-sede", datetime(2026, 5, 21, 9, tzinfo=UTC), other)
    _entry(db, "user.invite", "Invitation", "voce-invito", datetime(2026, 9, 1, 9, tzinfo=UTC))
    _entry(db, "user.invite", "Invitation", "voce-mezzanotte", datetime(2026, 9, 1, 22, 30, tzinfo=UTC))  # 2 Sept in Rome
    db.session.commit()
    return other


@pytest.mark.parametrize(("query", "shown"), [
    ("", {"voce-approvazione", "voce-rifiuto", "voce-sede", "voce-invito", "voce-mezzanotte"}),
    ("azione=membership", {"voce-approvazione", "voce-rifiuto"}),
    ("azione=site.update", {"voce-sede"}),
    ("oggetto=Company", {"voce-approvazione", "voce-rifiuto"}),
    ("utente={other}", {"voce-approvazione", "voce-sede"}),
    ("dal=2026-05-20&al=2026-05-21", {"voce-rifiuto", "voce-sede"}),
    ("dal=2026-05-21", {"voce-sede", "voce-invito", "voce-mezzanotte"}),
    ("al=2026-09-01", {"voce-approvazione", "voce-rifiuto", "voce-sede", "voce-invito"}),  # days of the Rome calendar
    ("dal=2026-09-02", {"voce-mezzanotte"}),
    ("al=2026-03-10", {"voce-approvazione"}),
    ("dal=non-una-data", {"voce-approvazione", "voce-rifiuto", "voce-sede", "voce-invito", "voce-mezzanotte"}),
    ("azione=membership&utente={other}", {"voce-approvazione"}),
])
def test_audit_log_filters(staff_client, audit_entries, query, shown):
    response = staff_client.get("/registro-attivita?" + query.format(other=audit_entries.id))

    assert response.status_code == 200
    body = text(response)
    labels = {"voce-approvazione", "voce-rifiuto", "voce-sede", "voce-invito", "voce-mezzanotte"}
    assert {label for label in labels if label in body} == shown
    if shown:
        assert "prima" in body and "dopo" in body


def test_empty_audit_log_says_why_it_is_empty(db, staff_client, audit_entries):
    filtered = staff_client.get("/registro-attivita?azione=nessuna")
    assert filtered.status_code == 200 and "Nessuna voce corrisponde ai filtri." in text(filtered)

    db.session.execute(delete(AuditEntry))
    db.session.commit()
    empty = staff_client.get("/registro-attivita")
    assert empty.status_code == 200 and "Il registro è ancora vuoto" in text(empty)


def test_audit_log_is_paginated(db, staff_client):
    for n in range(55):
        _entry(db, "site.update", "Site", f"voce-{n:02d}", datetime(2026, 1, 1, tzinfo=UTC))
    db.session.commit()

    first, second = staff_client.get("/registro-attivita"), staff_client.get("/registro-attivita?page=2")

    assert text(first).count("voce-") == 50 and text(second).count("voce-") == 5


def _message(db, recipient, status, error=None):
    db.session.add(OutboxMessage(recipient=recipient, subject=f"Oggetto per {recipient}", body="Corpo",
                                 status=status, last_error=error))


def test_outbox_page_filters_by_status_and_shows_the_error(db, staff_client):
    _message(db, "inviata@example.it", SENT)
    _message(db, "fallita@example.it", FAILED, "Connection refused")
    db.session.commit()

    everything = text(staff_client.get("/posta"))
    failed = text(staff_client.get("/posta?stato=failed"))

    assert "inviata@example.it" in everything and "fallita@example.it" in everything
    assert "fallita@example.it" in failed and "Connection refused" in failed and "inviata@example.it" not in failed


def test_staff_resend_failed_mail_from_the_outbox(db, staff_client, smtp):
    _message(db, "fallita@example.it", FAILED, "Connection refused")
    db.session.commit()
    assert "E-mail non consegnate da reinviare" in text(staff_client.get("/home"))

    response = staff_client.post("/posta/reinvia", follow_redirects=True)

    assert "1 e-mail affidate all'invio" in text(response)
    assert smtp.last_to("fallita@example.it")["Subject"] == "Oggetto per fallita@example.it"
    db.session.expire_all()
    message = db.session.query(OutboxMessage).one()
    assert message.status == SENT and message.last_error is None


# --- language switch -------------------------------------------------------------------------

@pytest.mark.parametrize(("next_url", "target"), [
    ("/aderisci?x=1", "/aderisci?x=1"),
    ("https://evil.example/furto", "/"),
    ("//evil.example/furto", "/"),
    ("/\\evil.example/furto", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_language_switch_redirects_only_inside_the_portal(client, next_url, target):
    response = client.post("/lingua", data={"lang": "en", "next": next_url})

    assert response.status_code == 302 and response.location == target


def test_language_switch_changes_the_interface(client):
    client.post("/lingua", data={"lang": "en", "next": "/"})
    assert '<html lang="en">' in text(client.get("/aderisci"))

    client.post("/lingua", data={"lang": "fr", "next": "/"})  # unknown languages fall back to Italian
    assert '<html lang="it">' in text(client.get("/aderisci"))


def test_language_switch_is_remembered_on_the_profile(db, client, auth, make_user):
    user = make_user(Role.STAFF)
    auth.login(user.email)

    client.post("/lingua", data={"lang": "en", "next": "/home"})

    db.session.expire_all()
    assert user.locale == "en"


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
