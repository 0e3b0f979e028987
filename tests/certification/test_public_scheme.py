"""The scheme in the open: anybody, without signing in, reads every published edition (page and
PDF) and what changed between two; drafts stay with staff."""

import html
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from pypdf import PdfReader

from portal.certification import edition_diff, scheme
from portal.certification.consultation import services as consultation_services
from portal.certification.edition_2027 import parameter_data
from portal.extensions import db
from tests.certification.conftest import define_proposed_crosswalk
from tests.certification.consultations import RULES_2027, close, prepared
from tests.sessions import sign_in


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_anybody_reads_the_edition_in_force(world, client):
    response = client.get("/bollino/parametri", follow_redirects=True)
    assert response.status_code == 200 and response.request.path == "/bollino/parametri/2026"
    page = text_of(response)
    edition = world.edition
    for area in edition.areas:
        assert f"{area.code}. {area.title}" in page
    for p in edition.parameters:
        assert p.code in page and p.question in page
    assert "Concessione: totale di almeno 70 su 100" in page and "Con distinzione: totale di almeno 85 su 100" in page
    assert "A1, A2, A3, A4 devono avere almeno 3" in page
    assert "soddisfatto: il requisito è soddisfatto pienamente" in page  # the meaning of a 3
    assert "prova documentale richiesta" in page and "Allegare il DURC" in page  # evidence asked for
    assert "≥ 80 %" in page and "≤ 150 s" in page  # figures with their targets
    assert "30,0 %" in page  # area A's share of the total
    assert "dimostrativo" in page and "Edizione pubblicata senza consultazione" in page


def test_the_pdf_holds_the_same_scheme(world, client):
    response = client.get("/bollino/parametri/2026/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))
    assert "Bollino Blu, edizione 2026" in text and "totale di almeno 70 su 100" in text
    for p in world.edition.parameters:
        assert p.code in text
    assert "http://localhost/bollino/parametri/2026" in text.replace("/ ", "/")  # the address may wrap after a slash


def test_a_draft_is_not_public(world, client):
    draft = scheme.copy_edition(world.edition, world.staff)
    for url in (f"/bollino/parametri/{draft.code}", f"/bollino/parametri/{draft.code}/pdf", f"/bollino/parametri/{draft.code}/modifiche"):
        response = client.get(url)
        assert response.status_code == 404 and "Non c'è un'edizione pubblicata" in text_of(response)


def test_linked_from_the_home_page_the_register_and_the_application(world, client):
    def links(url):
        return dict(re.findall(r'<a[^>]* href="([^"]+)"[^>]*>\s*(?:<span class="text">)?([^<]+)<', client.get(url).get_data(as_text=True)))

    assert links("/")["/bollino/parametri"] == "Apri"  # the card "I parametri del Bollino Blu" on the home page
    assert "I parametri del Bollino Blu" in client.get("/").get_data(as_text=True)
    assert links("/bollino/registro")["/bollino/parametri"].startswith("I parametri su cui le aziende sono valutate")
    application = world.open()
    sign_in(client, world.applicant)
    assert links(f"/bollino/domande/{application.id}")["/bollino/parametri/2026"].startswith("Edizione 2026")
    assert links("/bollino/domande/nuova")["/bollino/parametri"] == "Leggi i parametri su cui sarete valutati"


def _edition_2027(world):
    """2026 with one parameter removed, one added, one reworded, one reweighted, a target and a threshold changed."""
    draft = scheme.copy_edition(world.edition, world.staff)
    scheme.update_rules(draft, RULES_2027 | {"grant_threshold": 72}, world.staff)
    by_code = {p.code: p for p in draft.parameters}

    def change(old_code, **values):
        p = by_code[old_code]
        scheme.save_parameter(p.area, p, parameter_data(p, **values), world.staff)

    change("B2", question="Ore di formazione iniziale per ogni nuovo operatore")
    change("B3", weight=3)
    change("C1", target=Decimal(85), code="C1-TEL", channel="phone")
    scheme.delete_parameter(by_code["D2"], world.staff)
    scheme.save_parameter(by_code["C1"].area, None, {
        "code": "C7", "question": "Chat: livello di servizio", "help": "", "kind": "number", "unit": "%", "target": Decimal(80),
        "direction": "higher", "choices": "", "evidence_required": False, "weight": 1, "mandatory": False, "key_figure": False,
        "linked_check": "", "channel": "chat"}, world.staff)
    define_proposed_crosswalk(draft, world.staff)
    scheme.publish(draft, world.staff, waiver="Prova")
    return draft


def test_what_changed_between_two_editions(world, client):
    new = _edition_2027(world)
    changes = edition_diff.compare_editions(world.edition, new)
    by_code = {c.code: c for c in changes.parameters}
    assert by_code["C7"].status == "added" and by_code["D2"].status == "removed"
    assert by_code["B2"].categories == ["reworded"] and by_code["B3"].categories == ["reweighted"]
    assert by_code["C1-TEL"].categories == ["renamed", "target", "channel"]  # matched through its lineage, not its code
    assert [(c.field, c.before, c.after) for c in changes.rules] == [("grant_threshold", 70, 72)]

    page = text_of(client.get("/bollino/parametri/2027/modifiche"))
    assert "Dall'edizione 2026 all'edizione 2027" in page
    for expected in ("1 parametro aggiunto", "1 parametro eliminato", "1 parametro riformulato", "1 peso cambiato",
                     "Soglia di concessione: 70 → 72", "C1-TEL", "85", "Canale: tutti i canali → Telefono"):
        assert expected in page
    raw = client.get("/bollino/parametri/2027/modifiche").get_data(as_text=True)
    assert '<del class="diff-old">(onboarding)</del> per <ins class="diff-new">ogni</ins>' in raw  # word by word
    assert "Cosa cambia rispetto all'edizione 2026" in text_of(client.get("/bollino/parametri/2027"))
    assert "questa edizione non è più quella in vigore" in text_of(client.get("/bollino/parametri/2026"))


def test_comparing_with_an_unknown_edition_says_so(world, client):
    _edition_2027(world)
    response = client.get("/bollino/parametri/2027/modifiche?rispetto=1999")
    assert response.status_code == 400 and "Scegli un'altra edizione pubblicata" in text_of(response)
    assert "è la prima" in text_of(client.get("/bollino/parametri/2026/modifiche"))
    back = text_of(client.get("/bollino/parametri/2026/modifiche?rispetto=2027"))
    assert "1 parametro eliminato" in back and "1 parametro aggiunto" in back  # either direction


def test_word_diff_marks_only_what_changed():
    assert edition_diff.word_diff("chiamate risposte entro 20 secondi", "chiamate risposte entro 30 secondi") == [
        ("equal", "chiamate risposte entro"), ("delete", "20"), ("insert", "30"), ("equal", "secondi")]


def test_the_edition_in_force_announces_the_consultation_on_the_next_one(world, client):
    """A visitor learns when the next draft is consulted, then finds its report; nothing while staff prepare it."""
    def box():
        page = text_of(client.get("/bollino/parametri/2026"))
        return page[page.index("Prossima edizione"):page.index("Scarica il PDF")] if "Prossima edizione" in page else ""

    opens_on = date.today() + timedelta(days=3)
    consultation = prepared(world, opens_on=opens_on)
    assert box() == ""
    consultation_services.invite_companies(consultation, [world.company.id], world.staff)
    consultation_services.launch(consultation, world.staff)
    closes_on = (opens_on + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"la bozza 2027 Sarà sottoposta a consultazione dal {opens_on.strftime('%d/%m/%Y')} al {closes_on}" in box()
    consultation.opens_on = date.today()
    db.session.commit()
    assert f"È in consultazione fino al {closes_on}" in box() and "Accedi alla pagina della consultazione" in box()
    close(consultation)
    assert "La consultazione si è chiusa il" in box() and "rapporto" in box()
    consultation_services.publish_report(consultation, "Nessun commento.", world.staff)
    assert "Leggi il rapporto della consultazione" in box()
    assert f'href="/bollino/consultazioni/{consultation.id}/rapporto"' in client.get("/bollino/parametri/2026").get_data(as_text=True)
    define_proposed_crosswalk(consultation.edition, world.staff)
    scheme.publish(consultation.edition, world.staff)
    assert "Prossima edizione" not in text_of(client.get("/bollino/parametri/2027"))  # no draft left


def test_a_target_reads_the_same_on_the_page_the_pdf_and_the_changes(world, client):
    """Targets are set with up to four decimals: 2,25 is never shown as 2,3 (nor 150 as 150,0000)."""
    draft = scheme.copy_edition(world.edition, world.staff)
    scheme.update_rules(draft, RULES_2027, world.staff)
    c2 = next(p for p in draft.parameters if p.code == "C2")
    scheme.save_parameter(c2.area, c2, parameter_data(c2, target=Decimal("2.25"), unit="min"), world.staff)
    define_proposed_crosswalk(draft, world.staff)
    scheme.publish(draft, world.staff, waiver="Prova")

    page = text_of(client.get("/bollino/parametri/2027"))
    assert "obiettivo ≤ 2,25 min" in page and "≤ 2,25 min" in page.split("Indicatori e obiettivi")[-1]
    assert "2,3" not in page and "150,0" not in text_of(client.get("/bollino/parametri/2026"))
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get("/bollino/parametri/2027/pdf").data)).pages))
    assert "2,25 min" in pdf and "2,3 min" not in pdf
    changes = text_of(client.get("/bollino/parametri/2027/modifiche"))
    assert "Obiettivo: 150 → 2,25" in changes
