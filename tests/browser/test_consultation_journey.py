"""A consultation in a real browser, from opening to report: staff draft edition 2027 and open
its consultation; a member company's user writes a comment and the company's administrator sends
it; a client comments through a personal link from its e-mail; after closing, staff answer every
comment, change the draft naming the comment that caused it, publish the report and the edition;
anybody reads the report and sees the edition went through consultation. axe checks every page."""

import io
import re
from datetime import date, timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from portal.certification.consultation.models import Consultation
from portal.extensions import db
from tests.browser.conftest import check_axe, login, logout, screenshot
from tests.certification.conftest import (
    request_context,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)

CLIENT_EMAIL = "carla@energia.example.it"


def test_consultation_journey(page, world, smtp, live_server):  # noqa: F811
    # Staff draft 2027 from 2026 and prepare its consultation.
    login(page, world.staff.email)
    page.goto("/bollino/schema")
    check_axe(page)
    page.get_by_role("button", name="Crea una bozza dall'edizione 2026").click()
    page.get_by_label("Codice dell'edizione").fill("2027")
    page.get_by_label("Titolo").fill("Bollino Blu, edizione 2027")
    page.get_by_role("button", name="Salva le regole").click()
    expect(page.get_by_text("Regole dell'edizione salvate.")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Prepara la consultazione").click()
    check_axe(page)
    page.get_by_label("Presentazione per i partecipanti").fill("Chiediamo il vostro parere sugli obiettivi di servizio.")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Consultazione preparata")).to_be_visible()
    check_axe(page)

    # The parties: the member company and a client with a personal link; then the launch.
    page.get_by_text(world.company.ragione_sociale).click()
    page.get_by_role("button", name="Invita le aziende scelte").click()
    expect(page.get_by_text("1 azienda invitata.")).to_be_visible()
    page.get_by_label("Organizzazione").fill("Energia S.p.A.")
    page.get_by_label("Tipo di parte").select_option(label="Committente")
    page.get_by_label("Nome e cognome del referente").fill("Carla Committente")
    page.get_by_label("E-mail del referente").fill(CLIENT_EMAIL)
    page.get_by_label("Come partecipa").select_option(label="Link personale")
    page.get_by_role("button", name="Invita", exact=True).click()
    expect(page.get_by_text("Energia S.p.A. invitata.")).to_be_visible()
    page.get_by_role("button", name="Avvia la consultazione e invita le parti").click()
    expect(page.get_by_text("Consultazione avviata")).to_be_visible()
    check_axe(page)
    screenshot(page, "consultation-staff")
    consultation = Consultation.query.one()
    logout(page)

    # A user of the member company writes a comment on C1 from the task on their home page.
    login(page, world.applicant.email)
    page.get_by_role("link", name=re.compile("Commenta la bozza 2027 del Bollino Blu")).click()
    check_axe(page)
    page.get_by_role("link", name="Commenta C1").click()
    check_axe(page)
    page.get_by_label("Tipo di commento").select_option("te")
    page.get_by_label("Posizione").select_option("propose")
    page.get_by_label("Commento", exact=True).fill("L'80% entro 20 secondi è difficile per le sedi piccole.")
    page.get_by_label("Modifica proposta").fill("Obiettivo al 75% nel primo anno.")
    page.get_by_label("Obiettivo proposto").fill("75")
    page.get_by_role("button", name="Salva tra le bozze").click()
    expect(page.get_by_text("Commento salvato tra le bozze")).to_be_visible()
    expect(page.get_by_text("I commenti dell'azienda li invia il suo amministratore")).to_be_visible()
    check_axe(page)
    screenshot(page, "consultation-participant")
    logout(page)

    # The company's administrator sends what the company wrote.
    login(page, world.company_admin.email)
    page.goto(f"/bollino/consultazioni/{consultation.id}")
    page.get_by_role("button", name="Invia il commento all'associazione").click()
    expect(page.get_by_text("Commenti inviati all'associazione")).to_be_visible()
    check_axe(page)
    logout(page)

    # The client opens its personal link and comments on the edition as a whole.
    link = re.search(r"http://127\.0\.0\.1:\d+(/bollino/consultazioni/accesso/\S+)", smtp.last_to(CLIENT_EMAIL).get_content()).group(1)
    page.goto(link)
    expect(page.get_by_text("Partecipate per Energia S.p.A. (Committente).")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Commenta l'edizione nel suo insieme").click()
    page.get_by_label("Tipo di commento").select_option("ge")
    page.get_by_label("Commento", exact=True).fill("Chiediamo indicatori anche per la chat.")
    page.get_by_role("button", name="Salva tra le bozze").click()
    page.get_by_role("button", name="Invia il commento all'associazione").click()
    expect(page.get_by_text("Commenti inviati all'associazione")).to_be_visible()
    check_axe(page)
    page.context.clear_cookies()

    # The period ends.
    consultation.opens_on, consultation.closes_on = date.today() - timedelta(days=30), date.today() - timedelta(days=1)
    db.session.commit()

    # Staff answer each comment, change C1 naming the comment, and publish the report.
    login(page, world.staff.email)
    page.get_by_role("link", name="Rispondi ai commenti della consultazione sulla bozza 2027").click()
    check_axe(page)
    for number, disposition, answer in ((1, "Accolto in parte", "Obiettivo portato al 75%, ma solo per questa edizione."),
                                         (2, "Preso in nota per un'edizione successiva", "Gli indicatori per canale arriveranno nel 2028.")):
        item = page.locator(f"#commento-{number}")
        item.get_by_label("Esito").select_option(label=disposition)
        item.get_by_label("Motivazione").fill(answer)
        item.get_by_role("button", name=re.compile("Salva la risposta")).click()
        expect(page.get_by_text(f"Risposta al commento n. {number} salvata.")).to_be_visible()
    screenshot(page, "consultation-answers")
    page.get_by_role("link", name="Modifica la bozza").click()
    check_axe(page)
    page.get_by_role("link", name="Modifica C1").click()
    check_axe(page)
    page.get_by_label("Obiettivo (per i numeri)").fill("75")
    page.locator("label", has_text="n. 1 (C1)").click()  # Bootstrap Italia draws the box on the label
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Parametro salvato.")).to_be_visible()
    page.goto(f"/bollino/consultazioni/{consultation.id}/rapporto")
    expect(page.get_by_text("Anteprima per lo staff")).to_be_visible()
    check_axe(page)
    page.get_by_label("Conclusioni dello staff").fill("Due commenti; un obiettivo cambiato.")
    page.get_by_role("button", name="Pubblica il rapporto").click()
    expect(page.get_by_text("Rapporto pubblicato: le parti sono state avvisate")).to_be_visible()
    assert "pubblicato il rapporto" in smtp.last_to(world.applicant.email)["Subject"].lower()

    # Staff publish the edition: no reason to give, it was consulted.
    page.goto(f"/bollino/schema/{consultation.edition_id}")
    check_axe(page)
    page.get_by_role("button", name="Pubblica l'edizione").click()
    expect(page.get_by_text("Edizione pubblicata")).to_be_visible()
    logout(page)

    # Anybody: the edition says it was consulted and links the report, whose change to C1 names comment 1.
    page.goto("/bollino/parametri/2027")
    expect(page.get_by_text("Edizione sottoposta a consultazione delle parti")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Leggi il rapporto della consultazione").click()
    check_axe(page)
    changes = page.locator("table.diff-table tr", has_text="C1")
    expect(changes).to_contain_text("obiettivo cambiato")
    expect(changes.get_by_role("link", name="n. 1")).to_be_visible()
    expect(page.locator("#commento-2")).to_contain_text("Preso in nota per un'edizione successiva")
    screenshot(page, "consultation-report")
    pdf = page.request.get(f"/bollino/consultazioni/{consultation.id}/rapporto/pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Due commenti; un obiettivo cambiato." in text and "Obiettivo portato al 75%" in text
    page.goto("/bollino/parametri/2027/modifiche")
    expect(page.get_by_text("Dall'edizione 2026 all'edizione 2027:")).to_be_visible()
    check_axe(page)
