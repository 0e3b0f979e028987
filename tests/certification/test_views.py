"""Pages as users meet them: forms keep what was typed, uploads are checked, PDF and JSON are right."""

import io
import zipfile
from datetime import date, timedelta

from pypdf import PdfReader

from portal.certification import services
from portal.certification.demo import DEMO_PDF
from portal.certification.models import Application, AppState, Certificate, EvidenceLink, Outcome
from portal.extensions import db
from tests.certification.test_permissions import as_user


def _param(application, code):
    return next(p for p in application.edition.parameters if p.code == code)


def test_company_opens_an_application_choosing_its_sites(client, world):
    as_user(client, world.applicant)
    page = client.get("/bollino/domande/nuova").get_data(as_text=True)
    assert f'value="{world.company.sites[0].id}"' in page and f'value="{world.other_company.sites[0].id}"' not in page
    response = client.post("/bollino/domande/nuova", data={"sites": [str(world.company.sites[1].id)]})
    assert response.status_code == 302
    application = Application.query.one()
    assert [s.id for s in application.sites] == [world.company.sites[1].id]
    assert client.post("/bollino/domande/nuova", data={}).status_code == 422


def test_bad_values_stay_in_the_form_beside_their_field(client, world):
    application = world.open()
    c1, c2 = _param(application, "C1"), _param(application, "C2")
    as_user(client, world.applicant)
    response = client.post(f"/bollino/domande/{application.id}/aree/C", data={
        f"value_{c1.id}": "ottantadue", f"version_{c1.id}": "", f"value_{c2.id}": "120", f"version_{c2.id}": "",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="ottantadue"' in html and "Scrivi un numero" in html
    assert {a.parameter.code: a.value for a in Application.query.one().answers} == {"C2": "120"}


def test_conflicting_save_keeps_the_second_writers_input(client, world):
    application = world.open()
    c1 = _param(application, "C1")
    services.save_answers(application, world.applicant, {c1.id: {"value": "80", "version": ""}})
    seen = str(application.answers[0].version)
    services.save_answers(application, world.company_admin, {c1.id: {"value": "82", "version": seen}})
    as_user(client, world.applicant)
    response = client.post(f"/bollino/domande/{application.id}/aree/C", data={f"value_{c1.id}": "85", f"version_{c1.id}": seen})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Un collega ha salvato" in html and "«82»" in html and 'value="85"' in html


def _upload(client, application, parameter, name, data, **extra):
    return client.post(f"/bollino/domande/{application.id}/aree/{parameter.area.code}",
                       data={f"file_{parameter.id}": (io.BytesIO(data), name), **extra}, content_type="multipart/form-data")


def test_upload_abuse_is_refused_with_a_message(client, world, app):
    application = world.open()
    a1 = _param(application, "A1")
    as_user(client, world.applicant)
    exe = b"MZ\x90\x00" + b"\x00" * 200
    html_page = b"<html><script>alert(1)</script></html>"
    zip_bytes = io.BytesIO()
    with zipfile.ZipFile(zip_bytes, "w") as archive:
        archive.writestr("hello.txt", "not an office file")
    cases = [("programma.pdf", exe, "Tipo di file non ammesso"), ("pagina.pdf", html_page, "Tipo di file non ammesso"),
             ("archivio.docx", zip_bytes.getvalue(), "Tipo di file non ammesso"), ("vuoto.pdf", b"", "vuoto")]
    for name, data, message in cases:
        response = _upload(client, application, a1, name, data)
        assert response.status_code == 422 and message in response.get_data(as_text=True), name
    app.config["MAX_UPLOAD_MB"] = 1
    response = _upload(client, application, a1, "grande.pdf", DEMO_PDF + b"0" * (1024 * 1024 + 10))
    assert response.status_code == 422 and "supera il limite di 1 MB" in response.get_data(as_text=True)
    assert EvidenceLink.query.count() == 0


def test_path_tricks_in_the_name_are_refused_and_nothing_is_stored(client, world, app):
    application = world.open()
    a1 = _param(application, "A1")
    as_user(client, world.applicant)
    response = _upload(client, application, a1, "../../etc/passwd.pdf", DEMO_PDF, **{f"title_{a1.id}": ""})
    assert response.status_code == 422 and "Il nome del file non è valido" in response.get_data(as_text=True)
    assert EvidenceLink.query.count() == 0


def test_expiry_date_in_the_past_is_refused(client, world):
    application = world.open()
    a3 = _param(application, "A3")
    as_user(client, world.applicant)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = _upload(client, application, a3, "durc.pdf", DEMO_PDF, **{f"expires_{a3.id}": yesterday})
    assert response.status_code == 422 and "già passata" in response.get_data(as_text=True)


def test_valid_evidence_is_reused_in_a_later_application(client, world):
    first = world.open()
    world.fill(first)
    services.submit(first, world.applicant)
    first.state = AppState.REFUSED  # closed: the sites are free again
    db.session.commit()
    second = world.open()
    a1 = _param(second, "A1")
    as_user(client, world.applicant)
    page = client.get(f"/bollino/domande/{second.id}/aree/A").get_data(as_text=True)
    assert "Oppure riusa una prova valida" in page
    evidence_id = EvidenceLink.query.filter_by(application_id=first.id, parameter_id=a1.id).one().evidence_id
    assert client.post(f"/bollino/domande/{second.id}/aree/A", data={f"reuse_{a1.id}": str(evidence_id)}).status_code == 302
    assert EvidenceLink.query.filter_by(application_id=second.id, evidence_id=evidence_id).count() == 1


def test_an_incomplete_submission_lists_what_is_missing_by_area_each_a_link_to_its_field(client, world):
    application = world.open()
    as_user(client, world.applicant)
    response = client.post(f"/bollino/domande/{application.id}/invia", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "La domanda non è completa" in html
    assert f'<a href="/bollino/domande/{application.id}/aree/A#p-A1">A1: manca la risposta</a>' in html
    assert f'<a href="/bollino/domande/{application.id}/aree/C#p-C1">C1: manca la risposta</a>' in html
    assert html.index("A. Conformità giuslavoristica e legale") < html.index("A1: manca la risposta") < html.index("B1: manca la risposta")
    area = client.get(f"/bollino/domande/{application.id}/aree/A").get_data(as_text=True)
    assert 'id="p-A1"' in area
    assert Application.query.one().state == AppState.DRAFT


def test_auditor_scoring_page_shows_figure_target_and_linked_checks(client, world):
    application = world.under_review()
    assignment = application.assignments[0]
    as_user(client, world.auditor1)
    html = client.get(f"/bollino/incarichi/{assignment.id}/valutazione").get_data(as_text=True)
    assert "84 %" in html and "obiettivo ≥ 80 %" in html and "obiettivo raggiunto" in html
    assert "Verifiche tariffarie dell'azienda:</strong>" in html and "0 verifiche" in html
    assert "nessuna attività all'estero registrata" in html


def test_auditor_requests_changes_from_the_scoring_page(client, world):
    application = world.under_review()
    assignment = application.assignments[0]
    c2 = _param(application, "C2")
    as_user(client, world.auditor1)
    response = client.post(f"/bollino/incarichi/{assignment.id}/valutazione",
                           data={"action": "request_changes", f"question_{c2.id}": "Allegate i report."})
    assert response.status_code == 302
    assert Application.query.one().state == AppState.CHANGES_REQUESTED
    as_user(client, world.applicant)
    page = client.get(f"/bollino/domande/{application.id}/aree/C").get_data(as_text=True)
    assert "Allegate i report." in page


def test_decision_page_and_certificate_pdf_text(client, world):
    application = world.awaiting_decision(4)
    as_user(client, world.staff2)
    assert client.post(f"/bollino/domande/{application.id}/decisione",
                       data={"outcome": "distinction", "reason": "", "version": str(application.version)}).status_code == 422
    data = {"outcome": "distinction", "reason": "Eccellente", "version": str(application.version)}
    asked = client.post(f"/bollino/domande/{application.id}/decisione", data=data)
    assert asked.status_code == 200 and "Registrare la decisione" in asked.get_data(as_text=True)
    assert Certificate.query.count() == 0  # nothing until confirmed
    response = client.post(f"/bollino/domande/{application.id}/decisione", data=data | {"step": "confirm"})
    assert response.status_code == 302
    certificate = Certificate.query.one()
    as_user(client, world.applicant)
    pdf = client.get(f"/bollino/certificati/{certificate.id}/pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in (certificate.number, "Qualità Voce S.r.l.", world.company.partita_iva, "con distinzione",
                     certificate.expires_on.strftime("%d/%m/%Y"), "http://localhost/bollino/registro/"):
        assert expected in text, expected


def test_register_search_and_json(client, world, db):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    certificate = Certificate.query.one()
    found = client.get("/bollino/registro.json?q=qualità").get_json()
    assert found["total"] == 1 and found["certificates"][0]["number"] == certificate.number
    assert client.get(f"/bollino/registro.json?q={world.company.partita_iva}").get_json()["total"] == 1
    assert client.get("/bollino/registro.json?regione=Sicilia").get_json()["total"] == 0
    assert client.get("/bollino/registro.json?stato=suspended").get_json()["total"] == 0
    record = client.get(f"/bollino/registro/{certificate.number}.json").get_json()
    assert record["status"] == "active" and record["valid"] and record["band"] == "granted"
    assert record["sites"][0]["region"] == "Lazio" and record["edition_illustrative"] is True
    # past its term before the job runs: expired, in the page and in the JSON
    certificate.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    record = client.get(f"/bollino/registro/{certificate.number}.json").get_json()
    assert record["status"] == "expired" and not record["valid"]
    assert "Certificato SCADUTO" in client.get(f"/bollino/registro/{certificate.number}").get_data(as_text=True)
    assert client.get("/bollino/registro.json?stato=expired").get_json()["total"] == 1
    assert client.get("/bollino/registro/BB-1999-0001").status_code == 404


def test_register_is_paginated(client, world, db):
    assert client.get("/bollino/registro?page=1").status_code == 200
    assert client.get("/bollino/registro.json?page=99").get_json()["certificates"] == []


def test_evidence_is_served_with_its_real_type_framed_only_by_the_portal(client, world):
    application = world.under_review()
    link = EvidenceLink.query.filter_by(application_id=application.id).first()
    as_user(client, world.auditor1)
    response = client.get(f"/bollino/domande/{application.id}/prove/{link.evidence_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    csp = response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN" and csp.startswith("sandbox;") and "frame-ancestors 'self'" in csp
    assert response.data == DEMO_PDF


def test_auditor_sees_what_changed_since_the_previous_round(client, world):
    application = world.under_review()
    assignment = application.assignments[0]
    c2 = _param(application, "C2")
    services.request_changes(assignment, world.auditor1, {c2.id: "Il dato è aggiornato?"})
    answer = next(a for a in application.answers if a.parameter_id == c2.id)
    services.save_answers(application, world.applicant, {c2.id: {"value": "120", "version": str(answer.version)}})
    request_ = services.current_change_requests(application)[0]
    services.answer_change_requests(application, world.applicant, {request_.id: "Dato di ottobre."})
    services.submit(application, world.applicant)
    as_user(client, world.auditor1)
    html = client.get(f"/bollino/incarichi/{assignment.id}/valutazione").get_data(as_text=True)
    assert "Nel giro precedente: «95»" in html and html.count(">modificata<") == 1
    assert "Dato di ottobre." in html


def test_saving_after_a_colleague_submitted_keeps_the_input(client, world):
    application = world.open()
    world.fill(application)
    c1 = _param(application, "C1")
    version = str(next(a for a in application.answers if a.parameter_id == c1.id).version)
    services.submit(application, world.company_admin)
    as_user(client, world.applicant)
    response = client.post(f"/bollino/domande/{application.id}/aree/C", data={f"value_{c1.id}": "91", f"version_{c1.id}": version})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Un collega ha inviato la domanda" in html and 'value="91"' in html
    assert next(a for a in Application.query.one().answers if a.parameter_id == c1.id).value == "84"
