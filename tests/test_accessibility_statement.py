"""The accessibility statement (AgID's model) and its feedback form, as a visitor and the staff use them."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.access import Role
from portal.audit import AuditEntry
from portal.core import accessibility
from portal.core.accessibility import AccessibilityReport
from portal.database import utcnow
from tests.sessions import sign_in

REPORT = {"name": "Lucia Bianchi", "email": "Lucia.Bianchi@example.it ", "page": "/bollino/registro",
          "description": "Con il lettore di schermo la tabella del registro non annuncia lo stato."}


def test_the_statement_follows_agid_model_and_every_page_links_to_it(client):
    page = client.get("/accessibilita").get_data(as_text=True)
    for section in ("Stato di conformità", "parzialmente conforme", "Contenuti non accessibili",
                    "Redazione della dichiarazione di accessibilità", "Meccanismo di feedback",
                    "Procedura di attuazione", "legge 9 gennaio 2004, n. 4", "WCAG"):
        assert section in page, section
    assert accessibility.REVIEWED_ON.strftime("%d/%m/%Y") in page
    for item in accessibility.NON_CONFORMITIES:
        assert str(item.what) in page
    assert 'href="/accessibilita/segnalazione"' in page
    footer = client.get("/").get_data(as_text=True)
    assert 'href="/accessibilita"' in footer and 'href="/accessibilita/segnalazione?pagina=/"' in footer


def test_a_report_reaches_every_active_staff_member_and_the_reporter_gets_a_receipt(client, smtp, make_user):
    staff = [make_user(Role.STAFF), make_user(Role.ADMIN)]
    away = make_user(Role.STAFF, active=False)
    response = client.post("/accessibilita/segnalazione", data=REPORT)
    assert response.status_code == 200
    report = AccessibilityReport.query.one()
    assert (report.email, report.page, report.name) == ("lucia.bianchi@example.it", "/bollino/registro", "Lucia Bianchi")
    assert f"n. {report.id}" in response.get_data(as_text=True)
    for person in staff:
        body = smtp.body(smtp.last_to(person.email))
        assert REPORT["description"] in body and "/accessibilita/segnalazioni" in body
    assert smtp.to(away.email) == []
    receipt = smtp.body(smtp.last_to("lucia.bianchi@example.it"))
    assert f"n. {report.id}" in receipt and report.due_on.strftime("%d/%m/%Y") in receipt
    assert AuditEntry.query.filter_by(action="accessibility.report").count() == 1


def test_a_report_without_address_or_text_is_sent_back_with_the_errors_and_saves_nothing(client):
    response = client.post("/accessibilita/segnalazione", data={"name": "Lucia", "email": "non-un-indirizzo", "description": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"<title>Errore: ", page)
    assert 'href="#email"' in page and 'href="#description"' in page and 'value="Lucia"' in page
    assert AccessibilityReport.query.count() == 0


def test_the_form_names_the_page_the_visitor_came_from(client):
    page = client.get("/accessibilita/segnalazione?pagina=/tariffe/verifica").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="page"[^>]*value="/tariffe/verifica"', page)


def test_staff_see_open_reports_due_in_30_days_and_mark_them_handled(client, make_user):
    client.post("/accessibilita/segnalazione", data=REPORT)
    report = AccessibilityReport.query.one()
    staff = make_user(Role.STAFF, name="Stefano Staff")
    sign_in(client, staff)
    page = client.get("/accessibilita/segnalazioni").get_data(as_text=True)
    assert REPORT["description"] in page and report.due_on.strftime("%d/%m/%Y") in page
    home = client.get("/home").get_data(as_text=True)
    assert "Segnalazioni di accessibilità a cui rispondere" in home
    assert client.post(f"/accessibilita/segnalazioni/{report.id}/gestita").status_code == 302
    assert report.handled_by == staff and report.handled_at is not None
    assert REPORT["description"] not in client.get("/accessibilita/segnalazioni").get_data(as_text=True)
    assert REPORT["description"] in client.get("/accessibilita/segnalazioni?stato=gestite").get_data(as_text=True)
    assert "Segnalazioni di accessibilità a cui rispondere" not in client.get("/home").get_data(as_text=True)


def test_a_report_older_than_30_days_is_an_urgent_task(client, db, make_user):
    client.post("/accessibilita/segnalazione", data=REPORT)
    report = AccessibilityReport.query.one()
    report.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    sign_in(client, make_user(Role.STAFF))
    home = client.get("/home").get_data(as_text=True)
    task = re.search(r"<li[^>]*>(?:(?!</li>).)*Segnalazioni di accessibilità a cui rispondere.*?</li>", home, re.S).group(0)
    assert "bg-danger" in task
    assert db.session.scalar(select(func.count()).select_from(AccessibilityReport)) == 1
