"""Membership request to approval to first login, in a real browser, in Italian and English."""

import re

from portal.access import Role
from tests.browser.conftest import axe_violations, login, screenshot
from tests.conftest import wait_for

from portal.members.models import Company


def test_membership_request_to_first_login(page, smtp, make_user, app):
    staff = make_user(Role.STAFF, email="staff@example.it", name="Stefania Staff")

    page.goto("/")
    assert (v := axe_violations(page)) == [], v
    page.get_by_role("link", name="Aderisci ad Assocontact").click()
    assert (v := axe_violations(page)) == [], v
    page.get_by_label("Ragione sociale").fill("Call Center Prova S.r.l.")
    page.get_by_label("Partita IVA").fill("12345678903")  # wrong check digit
    page.get_by_label("Codice fiscale").fill("01234560587")
    page.get_by_label("PEC").fill("prova@pec.example.it")
    page.get_by_label("Indirizzo della sede legale").fill("Via Roma 10")
    page.get_by_label("CAP").fill("80100")
    page.get_by_label("Comune").fill("Napoli")
    page.get_by_label("Provincia (sigla)").fill("na")
    page.get_by_label("Regione").select_option("Campania")
    page.get_by_label("Nome e cognome del referente").fill("Rita Referente")
    page.get_by_label("E-mail del referente").fill("rita@prova.example.it")
    page.locator("label[for=privacy]").click()  # Bootstrap Italia draws the box on the label
    page.get_by_role("button", name="Invia la richiesta").click()

    # The error stands beside the field and nothing typed is lost.
    assert page.locator("#partita_iva-error").inner_text().startswith("Partita IVA non valida")
    assert page.get_by_label("Ragione sociale").input_value() == "Call Center Prova S.r.l."
    screenshot(page, "members-join-error")
    page.get_by_label("Partita IVA").fill("01234560587")
    page.get_by_role("button", name="Invia la richiesta").click()
    page.get_by_text("la richiesta di adesione è stata registrata").wait_for()

    login(page, staff.email)
    page.get_by_role("link", name="Richieste di adesione").first.click()
    page.get_by_role("link", name="Call Center Prova S.r.l.").click()
    assert (v := axe_violations(page)) == [], v
    screenshot(page, "members-request-detail")
    page.get_by_role("button", name="Approva l'adesione").click()
    page.get_by_text("il referente ha ricevuto l'invito").wait_for()
    page.get_by_role("button", name="Esci").click()

    assert wait_for(lambda: smtp.to("rita@prova.example.it"))
    link = re.search(r"https?://\S+/invito/\S+", smtp.body(smtp.last_to("rita@prova.example.it"))).group(0)
    page.goto(link)
    page.get_by_label("Nuova password").fill("una-password-lunga")
    page.get_by_label("Ripeti la password").fill("una-password-lunga")
    page.get_by_role("button", name="Attiva l'account").click()
    page.wait_for_url("**/home")
    assert "Registra le sedi operative" in page.content()
    assert (v := axe_violations(page)) == [], v
    screenshot(page, "members-company-admin-home")

    page.get_by_role("link", name="La mia azienda").first.click()
    page.get_by_role("heading", name="Call Center Prova S.r.l.").wait_for()
    screenshot(page, "members-company")

    page.get_by_role("button", name="ENG").click()
    page.get_by_role("heading", name="Call Center Prova S.r.l.").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "members-company-en")

    company = app.extensions["sqlalchemy"].session.query(Company).filter_by(partita_iva="01234560587").one()
    assert company.membership_state == "active"
