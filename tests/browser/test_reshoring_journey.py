"""Staff draft a proposal, bring it to discussion, prepare a roundtable, record its outcome and
download the brief for the ministry, in a real browser. axe-core checks every page on the way."""

import io
from datetime import date, timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from portal.access import Role
from tests.browser.conftest import check_axe, login, screenshot

TITLE = "Credito d'imposta per ogni FTE riportato"


def open_menu(page, menu: str, entry: str) -> None:
    page.get_by_role("button", name=menu).click()
    page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name=entry).click()
    check_axe(page)


def tick(page, label: str) -> None:
    """Tick a checkbox as a person does: by its label (Bootstrap Italia draws the box on the label)."""
    page.locator("label.form-check-label", has_text=label).click()
    expect(page.get_by_label(label)).to_be_checked()


def change_state(page, state: str) -> None:
    page.get_by_label("Nuovo stato").select_option(label=state)
    page.get_by_role("button", name="Cambia stato").click()
    expect(page.get_by_text(f"La proposta ora è «{state}».")).to_be_visible()


def test_staff_proposal_to_roundtable_outcome_and_brief(page, make_user):
    staff = make_user(Role.STAFF, email="staff@example.it", name="Sara Staff")
    login(page, staff.email)

    # The proposal, drafted and brought to discussion.
    open_menu(page, "Reshoring", "Proposte di reshoring")
    page.get_by_role("link", name="Nuova proposta").click()
    check_axe(page)
    page.get_by_label("Titolo").fill(TITLE)
    page.get_by_label("Sintesi").fill("Un credito d'imposta per ogni **FTE** riportato in Italia.")
    page.get_by_label("Misura proposta").fill("- credito di 3.000 euro l'anno per FTE\n- per tre anni")
    tick(page, "MIMIT (ex MISE)")
    page.get_by_label("FTE riportati in Italia (stima)").fill("1500")
    page.get_by_label("Cerca in «Da quali Paesi»").fill("alba")  # the long list of countries filters as one types
    expect(page.get_by_label("Romania")).to_be_hidden()
    tick(page, "Albania")
    tick(page, "Calabria")
    page.get_by_label("Tempi (mesi)").fill("0")  # out of range: kept and explained beside the field
    page.get_by_role("button", name="Salva", exact=True).click()
    summary = page.locator("[data-error-summary]")  # focus goes to the errors, each a link to its field
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Tempi (mesi): Indica da 1 a 240 mesi.").click()
    expect(page.get_by_label("Tempi (mesi)")).to_be_focused()
    assert page.get_by_label("Titolo").input_value() == TITLE
    check_axe(page)
    page.get_by_label("Tempi (mesi)").fill("24")
    page.get_by_role("button", name="Salva", exact=True).click()
    expect(page.get_by_text("Bozza salvata.")).to_be_visible()
    check_axe(page)
    change_state(page, "Presentata")
    change_state(page, "In discussione")

    # An outside party with the person to write to.
    open_menu(page, "Reshoring", "Tavoli")
    page.get_by_role("link", name="Organizzazioni", exact=True).click()
    check_axe(page)
    page.get_by_role("link", name="Nuova organizzazione").click()
    check_axe(page)
    page.get_by_label("Tipo").select_option("sindacato")
    page.get_by_label("Nome").fill("SLC-CGIL")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Organizzazione «SLC-CGIL» salvata.")).to_be_visible()
    page.get_by_label("Nome e cognome").fill("Sara Sindacati")
    page.get_by_label("E-mail").fill("nazionale@slc.example.it")
    page.get_by_role("button", name="Aggiungi").click()
    expect(page.get_by_text("Sara Sindacati aggiunto ai contatti di SLC-CGIL.")).to_be_visible()
    check_axe(page)

    # The roundtable: a form error first, then the parties and the proposal on the agenda.
    open_menu(page, "Reshoring", "Tavoli")
    page.get_by_role("link", name="Nuovo tavolo").click()
    check_axe(page)
    page.get_by_label("Titolo").fill("Tavolo tecnico sul reshoring")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.get_by_label("Inizio").fill(f"{yesterday}T10:00")
    page.get_by_label("Convocato da").fill("Ministero delle Imprese e del Made in Italy")
    page.get_by_role("button", name="Salva").click()
    # Neither place nor link: the message stands beside the place, the title is kept.
    expect(page.locator("#place-error")).to_contain_text("Indica il luogo oppure il collegamento")
    assert page.get_by_label("Titolo").input_value() == "Tavolo tecnico sul reshoring"
    check_axe(page)
    page.get_by_label("Luogo").fill("Roma, via Molise 2")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Tavolo salvato.")).to_be_visible()
    check_axe(page)

    tick(page, "SLC-CGIL (Sindacato)")
    page.get_by_role("button", name="Aggiungi al tavolo").click()
    expect(page.get_by_text("1 parte aggiunta al tavolo: SLC-CGIL.")).to_be_visible()
    page.get_by_label("Proposta", exact=True).select_option(label=f"{TITLE} (In discussione)")
    page.get_by_role("button", name="Aggiungi", exact=True).click()
    expect(page.get_by_label("Esito")).to_be_visible()

    # The outcome: "partly accepted" needs a reason.
    page.get_by_label("Esito").fill("Accolta per il solo Mezzogiorno")
    page.get_by_label("La proposta passa a").select_option(label="Accolta in parte")
    page.get_by_role("button", name="Salva l'esito").click()
    expect(page.locator("[id='item1-reason-error'], .invalid-feedback").first).to_contain_text("indica il motivo")
    assert page.get_by_label("Esito").input_value() == "Accolta per il solo Mezzogiorno"
    check_axe(page)
    page.get_by_label("La proposta passa a").select_option(label="Accolta in parte")
    page.get_by_label("Motivo").fill("Solo per le regioni del Mezzogiorno")
    page.get_by_role("button", name="Salva l'esito").click()
    expect(page.get_by_text("Esito registrato.")).to_be_visible()
    check_axe(page)
    screenshot(page, "reshoring-roundtable")

    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_text("Al tavolo «Tavolo tecnico sul reshoring»: «Accolta in parte»")).to_be_visible()
    expect(page.locator(".badge-state").first).to_contain_text("Accolta in parte")
    check_axe(page)

    # The brief for the ministry: written, previewed, built as a PDF and downloaded.
    page.go_back()
    page.get_by_role("link", name="Prepara il dossier").click()
    check_axe(page)
    page.get_by_role("textbox", name="La posizione dell'associazione").fill("Assocontact chiede **misure stabili**.")
    page.get_by_role("button", name="Salva e vedi l'anteprima").click()
    expect(page.get_by_role("heading", name="4. Il quadro delle tariffe")).to_be_visible()
    check_axe(page)
    screenshot(page, "reshoring-brief-preview")
    page.get_by_role("button", name="Prepara il PDF").click()  # a job builds it (right after the commit in tests)
    pdf = page.request.get(page.get_by_role("link", name="Scarica la bozza in PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    for expected in (TITLE, "Tavolo tecnico sul reshoring", "Accolta in parte", "Solo per le regioni del Mezzogiorno",
                     "Assocontact chiede misure stabili", "1.500"):
        assert expected in text, expected
