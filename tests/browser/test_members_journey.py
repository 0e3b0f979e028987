"""Membership request to approval to first login, in a real browser, in Italian and English;
axe-core checks every page on the way."""

import re

from playwright.sync_api import expect

from portal.access import Role
from portal.members.models import Company
from tests.browser.conftest import check_axe, login, screenshot
from tests.conftest import wait_for


def test_membership_request_to_first_login(page, smtp, make_user, app):
    staff = make_user(Role.STAFF, email="staff@example.it", name="Stefania Staff")

    page.goto("/")
    check_axe(page)
    page.get_by_role("link", name="Aderisci ad Assocontact").click()
    check_axe(page)
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
    expect(page.locator("#partita_iva-error")).to_contain_text("Partita IVA non valida")
    assert page.get_by_label("Ragione sociale").input_value() == "Call Center Prova S.r.l."
    check_axe(page)
    screenshot(page, "members-join-error")
    page.get_by_label("Partita IVA").fill("01234560587")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_text("la richiesta di adesione è stata registrata")).to_be_visible()
    check_axe(page)

    login(page, staff.email)
    page.get_by_role("link", name="Richieste di adesione").first.click()
    check_axe(page)
    page.get_by_role("link", name="Call Center Prova S.r.l.").click()
    check_axe(page)
    screenshot(page, "members-request-detail")
    page.get_by_role("button", name="Approva l'adesione").click()
    expect(page.get_by_text("il referente ha ricevuto l'invito")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_text("Sei uscito dal portale.")).to_be_visible()

    assert wait_for(lambda: smtp.to("rita@prova.example.it"))
    link = re.search(r"https?://\S+/invito/\S+", smtp.body(smtp.last_to("rita@prova.example.it"))).group(0)
    page.goto(link)
    check_axe(page)
    page.get_by_label("Nuova password").fill("una-password-lunga")
    page.get_by_label("Ripeti la password").fill("una-password-lunga")
    page.get_by_role("button", name="Attiva l'account").click()
    page.wait_for_url("**/home")
    expect(page.get_by_text("Registra le sedi operative")).to_be_visible()
    check_axe(page)
    screenshot(page, "members-company-admin-home")

    page.get_by_role("link", name="La mia azienda").first.click()
    expect(page.get_by_role("heading", name="Call Center Prova S.r.l.")).to_be_visible()
    check_axe(page)
    screenshot(page, "members-company")

    page.get_by_role("button", name="ENG").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Call Center Prova S.r.l.")).to_be_visible()
    check_axe(page)
    screenshot(page, "members-company-en")

    company = app.extensions["sqlalchemy"].session.query(Company).filter_by(partita_iva="01234560587").one()
    assert company.membership_state == "active"
