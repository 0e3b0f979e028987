"""Bollino Blu end to end in a real browser: apply, upload, submit, assign, declare, score,
request changes, resubmit, recommend, decide, and verify the certificate through its QR link."""

import io
import re
from pathlib import Path

from pypdf import PdfReader

from portal.certification.demo import DEMO_PDF
from portal.certification.models import Application, Certificate
from tests.browser.conftest import axe_violations, login, screenshot
from tests.certification.conftest import (
    request_context,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)


def logout(page):
    page.get_by_role("button", name="Esci").click()


def test_bollino_blu_journey(page, world, tmp_path, live_server):  # noqa: F811
    evidence = tmp_path / "libro-unico.pdf"
    evidence.write_bytes(DEMO_PDF)

    # The company opens an application for one site and answers area A in the browser.
    login(page, world.applicant.email)
    page.get_by_role("button", name="Bollino Blu").click()
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Domande di Bollino Blu").click()
    page.get_by_role("link", name="Nuova domanda").click()
    page.get_by_text(world.company.sites[0].name + " — Roma").click()
    page.get_by_role("button", name="Apri la domanda").click()
    page.get_by_role("heading", name=re.compile("Domanda n. ")).wait_for()
    assert (v := axe_violations(page)) == [], v
    page.get_by_role("link", name="Compila Conformità giuslavoristica e legale").click()
    page.locator("label[for$='_yes']").first.click()
    page.locator("input[type=file]").first.set_input_files(str(evidence))
    page.get_by_label("Valore (%)").first.fill("ottanta")  # A6: a bad figure is kept beside its field
    page.get_by_role("button", name="Salva", exact=True).click()
    page.get_by_text("Scrivi un numero").wait_for()
    assert page.get_by_label("Valore (%)").first.input_value() == "ottanta"
    assert "libro-unico.pdf" in page.content()
    screenshot(page, "certification-area-error")
    assert (v := axe_violations(page)) == [], v
    page.get_by_label("Valore (%)").first.fill("86")
    page.get_by_role("button", name="Salva", exact=True).click()
    page.get_by_text("Risposte salvate.").wait_for()

    application = Application.query.one()
    world.fill(application)  # the other areas, through the same services
    page.goto(f"/bollino/domande/{application.id}")
    page.get_by_role("button", name="Invia la domanda").click()
    page.get_by_text("Domanda inviata").wait_for()
    logout(page)

    # Staff assign an auditor.
    login(page, world.staff.email)
    page.goto(f"/bollino/domande/{application.id}")
    page.get_by_label("Valutatore").select_option(label=world.auditor1.name)
    page.get_by_role("button", name="Incarica").click()
    page.get_by_text("Valutatore incaricato: riceverà").wait_for()
    logout(page)

    # The auditor declares, scores and asks a question on C2.
    login(page, world.auditor1.email)
    page.get_by_role("link", name=re.compile("Dichiara l'assenza di conflitti")).click()
    assert (v := axe_violations(page)) == [], v
    page.locator("label[for='d-statement']").click()
    page.get_by_role("button", name="Dichiaro e accetto").click()
    page.get_by_role("heading", name=re.compile("Valutazione:")).wait_for()
    for select in page.locator("select[name^='score_']").all():
        select.select_option("4")
    page.locator("textarea[name^='question_']").nth(13).fill("Allegate i report mensili del tempo di risposta.")
    screenshot(page, "certification-scoring")
    page.get_by_role("button", name="Salva e chiedi integrazioni all'azienda").click()
    page.get_by_text("Richiesta di integrazioni inviata").wait_for()
    logout(page)

    # The company answers and resubmits.
    login(page, world.applicant.email)
    page.goto(f"/bollino/domande/{application.id}")
    page.get_by_role("link", name="Compila Qualità del servizio").click()
    page.get_by_label("La vostra risposta").fill("Allegati i report da gennaio a giugno.")
    page.get_by_role("button", name="Salva", exact=True).click()
    page.get_by_text("Risposte salvate.").wait_for()
    page.goto(f"/bollino/domande/{application.id}")
    page.get_by_role("button", name="Invia le integrazioni").click()
    page.get_by_text("Domanda inviata").wait_for()
    logout(page)

    # The auditor recommends, round 2 starting from the round-1 scores.
    login(page, world.auditor1.email)
    page.get_by_role("link", name=re.compile("Valuta la domanda")).click()
    page.get_by_label("Raccomandazione").select_option("distinction")
    page.get_by_label("Sintesi della valutazione").fill("Prove complete, indicatori sopra gli obiettivi.")
    page.get_by_role("button", name="Invia la raccomandazione").click()
    page.get_by_text("Raccomandazione registrata").wait_for()
    logout(page)

    # Another staff member decides.
    login(page, world.staff2.email)
    page.goto(f"/bollino/domande/{application.id}/decisione")
    assert (v := axe_violations(page)) == [], v
    page.get_by_label("Decisione").select_option("distinction")
    page.get_by_label("Motivazione").fill("Tutti i requisiti superati con ampio margine.")
    page.get_by_role("button", name="Registra la decisione").click()
    page.get_by_text("Decisione registrata").wait_for()
    logout(page)

    # The company downloads the certificate; its QR link opens the public verification page.
    certificate = Certificate.query.one()
    login(page, world.applicant.email)
    response = page.request.get(f"/bollino/certificati/{certificate.id}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    url = re.search(r"(http://127\.0\.0\.1:\d+/bollino/\s*registro/\s*BB-\d{4}-\d{4})", text).group(1)
    url = re.sub(r"\s+", "", url)
    logout(page)
    page.goto(url)
    page.get_by_text("Certificato valido.").wait_for()
    assert certificate.number in page.content() and "con distinzione" in page.content()
    assert (v := axe_violations(page)) == [], v
    screenshot(page, "certification-verify")
    Path(tmp_path / "certificate.pdf").write_bytes(response.body())
