"""Bollino Blu end to end in a real browser: apply, answer every area with its evidence, submit,
assign, declare, score, request changes, resubmit, recommend, decide, and verify the certificate
through its QR link. axe-core checks every page on the way."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from portal.certification.demo import DEMO_PDF, STRONG, answer_value
from portal.certification.models import Application, Certificate, ParameterKind
from tests.browser.conftest import check_axe, login, logout, screenshot
from tests.certification.conftest import (
    request_context,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)


def answer_area(page, area, evidence) -> None:
    """Answer every parameter of the area on screen as a strong company would, attaching the
    document wherever evidence is required."""
    for p in area.parameters:
        value = answer_value(p, STRONG)
        if p.kind == ParameterKind.YES_NO:
            page.locator(f"label[for='value_{p.id}_{value}']").click()  # Bootstrap Italia draws the radio on the label
        elif p.kind == ParameterKind.CHOICE:
            page.locator(f"#value_{p.id}").select_option(value)
        else:
            page.locator(f"#value_{p.id}").fill(value)
        if p.evidence_required:
            page.locator(f"#file_{p.id}").set_input_files(str(evidence))
            page.locator(f"#title_{p.id}").fill(f"{p.code} — documento")


def save_area(page, button: str, heading: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text("Risposte salvate.")).to_be_visible()
    check_axe(page)


def test_bollino_blu_journey(page, world, tmp_path, live_server):  # noqa: F811
    evidence = tmp_path / "libro-unico.pdf"
    evidence.write_bytes(DEMO_PDF)

    # The company opens an application for one site.
    login(page, world.applicant.email)
    page.get_by_role("button", name="Bollino Blu").click()
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Domande di Bollino Blu").click()
    check_axe(page)
    page.get_by_role("link", name="Nuova domanda").click()
    check_axe(page)
    page.get_by_text(world.company.sites[0].name + " — Roma").click()
    page.get_by_role("button", name="Apri la domanda").click()
    expect(page.get_by_role("heading", name=re.compile("Domanda n. "))).to_be_visible()
    check_axe(page)
    application = Application.query.one()
    areas = application.edition.areas

    # Area A: a bad figure is kept beside its field with the file already attached.
    page.get_by_role("link", name=f"Compila {areas[0].title}").click()
    answer_area(page, areas[0], evidence)
    page.get_by_label("Valore (%)").first.fill("ottanta")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Scrivi un numero")).to_be_visible()
    assert page.get_by_label("Valore (%)").first.input_value() == "ottanta"
    attached = next(p for p in areas[0].parameters if p.evidence_required)
    assert f"{attached.code} — documento" in page.content()  # the file was stored despite the error
    screenshot(page, "certification-area-error")
    check_axe(page)
    page.get_by_label("Valore (%)").first.fill(STRONG["A6"])

    # Every area in turn, each saved with "save and go to the next area".
    for following in areas[1:]:
        save_area(page, f"Salva e passa all'area {following.code}", f"{following.code}. {following.title}")
        answer_area(page, following, evidence)
    save_area(page, "Salva", f"{areas[-1].code}. {areas[-1].title}")
    page.get_by_role("link", name="Torna alla domanda").click()
    page.get_by_role("button", name="Invia la domanda").click()
    expect(page.get_by_text("Domanda inviata")).to_be_visible()
    check_axe(page)
    logout(page)

    # Staff assign an auditor, from the application the e-mail links to.
    login(page, world.staff.email)
    page.goto(f"/bollino/domande/{application.id}")
    check_axe(page)
    page.get_by_label("Valutatore").select_option(label=world.auditor1.name)
    page.get_by_role("button", name="Incarica").click()
    expect(page.get_by_text("Valutatore incaricato: riceverà")).to_be_visible()
    logout(page)

    # The auditor declares, scores and asks a question on C2.
    login(page, world.auditor1.email)
    page.get_by_role("link", name=re.compile("Dichiara l'assenza di conflitti")).click()
    check_axe(page)
    page.locator("label[for='d-statement']").click()
    page.get_by_role("button", name="Dichiaro e accetto").click()
    expect(page.get_by_role("heading", name=re.compile("Valutazione:"))).to_be_visible()
    check_axe(page)
    for select in page.locator("select[name^='score_']").all():
        select.select_option("4")
    page.locator("textarea[name^='question_']").nth(13).fill("Allegate i report mensili del tempo di risposta.")
    screenshot(page, "certification-scoring")
    page.get_by_role("button", name="Salva e chiedi integrazioni all'azienda").click()
    expect(page.get_by_text("Richiesta di integrazioni inviata")).to_be_visible()
    logout(page)

    # The company answers and resubmits.
    login(page, world.applicant.email)
    page.goto(f"/bollino/domande/{application.id}")
    page.get_by_role("link", name="Compila Qualità del servizio").click()
    page.get_by_label("La vostra risposta").fill("Allegati i report da gennaio a giugno.")
    save_area(page, "Salva", "C. Qualità del servizio")
    page.get_by_role("link", name="Torna alla domanda").click()
    page.get_by_role("button", name="Invia le integrazioni").click()
    expect(page.get_by_text("Domanda inviata")).to_be_visible()
    logout(page)

    # The auditor recommends, round 2 starting from the round-1 scores. The scoring page holds
    # every PDF of the application: the form is there before those frames are.
    login(page, world.auditor1.email)
    page.get_by_role("link", name=re.compile("Valuta la domanda")).click()
    page.get_by_label("Raccomandazione").select_option("distinction")
    page.get_by_label("Sintesi della valutazione").fill("Prove complete, indicatori sopra gli obiettivi.")
    page.get_by_role("button", name="Invia la raccomandazione").click()
    page.wait_for_url(f"**/bollino/domande/{application.id}")
    expect(page.get_by_text("Raccomandazione registrata")).to_be_visible()
    logout(page)

    # Another staff member decides, from the application the e-mail links to.
    login(page, world.staff2.email)
    page.goto(f"/bollino/domande/{application.id}")
    page.get_by_role("link", name="Decidi").click()
    check_axe(page)
    page.get_by_label("Decisione").select_option("distinction")
    page.get_by_label("Motivazione").fill("Tutti i requisiti superati con ampio margine.")
    page.get_by_role("button", name="Registra la decisione").click()
    expect(page.get_by_text("Decisione registrata")).to_be_visible()
    check_axe(page)
    logout(page)

    # The company downloads the certificate; its QR link opens the public verification page.
    certificate = Certificate.query.one()
    login(page, world.applicant.email)
    response = page.request.get(f"/bollino/certificati/{certificate.id}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    url = re.sub(r"\s+", "", re.search(r"(http://127\.0\.0\.1:\d+/bollino/\s*registro/\s*BB-\d{4}-\d{4})", text).group(1))
    logout(page)
    page.goto(url)
    expect(page.get_by_text("Certificato valido.")).to_be_visible()
    assert certificate.number in page.content() and "con distinzione" in page.content()
    check_axe(page)
    screenshot(page, "certification-verify")
