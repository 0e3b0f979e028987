"""Staff and auditor pages: scheme editor, comparison, status changes, surveillance, dashboard."""

from datetime import date, timedelta

from portal.audit import AuditEntry
from portal.certification import services
from portal.certification.models import (
    Assignment,
    AssignmentStatus,
    Certificate,
    CertStatus,
    Edition,
    EditionStatus,
    Outcome,
    ReviewStatus,
    SurveillanceReview,
)
from portal.extensions import db as _db
from tests.certification.test_permissions import as_user
from tests.conftest import wait_for


def test_scheme_editor_copy_edit_publish(client, world):
    as_user(client, world.staff)
    page = client.get(f"/bollino/schema/{world.edition.id}").get_data(as_text=True)
    assert "non modificabile" in page and "Modifica il" not in page
    area = world.edition.areas[0]
    response = client.get(f"/bollino/schema/aree/{area.id}/parametri/nuovo", follow_redirects=True)
    assert "è pubblicata e non si può più modificare" in response.get_data(as_text=True)
    client.post(f"/bollino/schema/{world.edition.id}/copia")
    draft = Edition.query.filter_by(status=EditionStatus.DRAFT).one()
    f_area = draft.areas[5]
    bad = client.post(f"/bollino/schema/aree/{f_area.id}/parametri/nuovo", data={
        "code": "F3", "question": "Quante sedi al Sud?", "kind": "number", "weight": "1", "unit": "sedi", "target": "", "direction": ""})
    assert bad.status_code == 422 and "obiettivo e di una direzione" in bad.get_data(as_text=True)
    assert "Quante sedi al Sud?</textarea>" in bad.get_data(as_text=True)  # what was typed stays
    ok = client.post(f"/bollino/schema/aree/{f_area.id}/parametri/nuovo", data={
        "code": "F3", "question": "Quante sedi al Sud?", "kind": "number", "weight": "1", "unit": "sedi", "target": "2", "direction": "higher"})
    assert ok.status_code == 302
    client.post(f"/bollino/schema/{draft.id}", data={
        "code": "2027", "title": "Bollino Blu 2027", "notes": "", "illustrative": "y", "scale_max": "4",
        "grant_threshold": "70", "distinction_threshold": "85", "mandatory_min_score": "3"})
    refused = client.post(f"/bollino/schema/{draft.id}/pubblica", follow_redirects=True).get_data(as_text=True)
    assert "non è stata sottoposta a consultazione" in refused
    client.post(f"/bollino/schema/{draft.id}/pubblica", data={"waiver": "Correzione urgente."})
    published = Edition.query.filter_by(code="2027").one()
    assert published.status == EditionStatus.PUBLISHED and published.parameters[-1].code == "F3"


def test_comparison_highlights_disagreement(client, world):
    application = world.under_review(("auditor1", "auditor2"))
    a1, a2 = application.assignments
    world.score_all(a1, 4)
    world.score_all(a2, 4, {"C1": 1, "A3": 2})
    as_user(client, world.staff2)
    html = client.get(f"/bollino/domande/{application.id}/confronto").get_data(as_text=True)
    assert html.count("table-warning") == 2 and html.count("Disaccordo") == 2
    assert "Valeria Uno" in html and "Vittorio Due" in html


def test_changes_request_mail_carries_the_questions(world, smtp):
    application = world.under_review()
    c2 = next(p for p in application.edition.parameters if p.code == "C2")
    services.request_changes(application.assignments[0], world.auditor1, {c2.id: "Allegate i report mensili."})
    assert wait_for(lambda: any("C2: Allegate i report mensili." in m.get_content() for m in smtp.to("utente@qualita.it")))


def _certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    return Certificate.query.one()


def test_staff_suspend_after_preview_and_the_public_page_shows_the_statement_not_the_reason(client, world):
    certificate = _certificate(world)
    as_user(client, world.staff)
    form = {"status": "suspended", "cause": "requirements", "reason": "", "statement_kind": "standard"}
    assert client.post(f"/bollino/certificati/{certificate.id}/stato", data=form).status_code == 422
    form["reason"] = "Tre reclami del committente Alfa non gestiti"
    preview = client.post(f"/bollino/certificati/{certificate.id}/stato", data=form)
    assert "Anteprima" in preview.get_data(as_text=True) and Certificate.query.one().status == CertStatus.ACTIVE
    client.post(f"/bollino/certificati/{certificate.id}/stato", data=form | {"step": "confirm"})
    assert Certificate.query.one().status == CertStatus.SUSPENDED
    as_user(client, None)
    html = client.get(f"/bollino/registro/{certificate.number}").get_data(as_text=True)
    assert "Certificato SOSPESO." in html and "verifiche sul rispetto dei requisiti" in html
    assert "Alfa" not in html


def test_surveillance_scored_by_auditor_page(client, world):
    certificate = _certificate(world)
    as_user(client, world.staff)
    client.post(f"/bollino/certificati/{certificate.id}/sorveglianza",
                data={"auditor": str(world.auditor3.id), "due_on": (date.today() + timedelta(days=20)).isoformat()})
    review = SurveillanceReview.query.one()
    as_user(client, world.auditor2)
    assert client.get(f"/bollino/sorveglianze/{review.id}").status_code == 404
    as_user(client, world.auditor3)
    data = {"version": str(review.version), "action": "close", "summary": "Indicatori peggiorati"}
    data.update({f"score_{code}": "1" for code in review.items})
    assert client.post(f"/bollino/sorveglianze/{review.id}", data=data).status_code == 302
    assert SurveillanceReview.query.one().status == ReviewStatus.FAILED
    assert Certificate.query.one().status == CertStatus.SUSPENDED


def test_dashboard_shows_ageing_workload_and_expiring(client, world, db):
    certificate = _certificate(world)
    certificate.expires_on = date.today() + timedelta(days=30)
    db.session.commit()
    world.under_review()  # a new application on the same sites (the granted one is closed), with auditor1
    as_user(client, world.staff)
    html = client.get("/bollino/cruscotto").get_data(as_text=True)
    assert certificate.number in html and "1 domanda in corso" in html and "Valeria Uno" in html


def test_staff_remove_an_auditor_from_the_application_page(client, world, smtp):
    application = world.under_review()
    assignment = application.assignments[0]
    removal = f"/bollino/domande/{application.id}/valutatori/{assignment.id}/revoca"
    field = f"remove-{assignment.id}-reason"
    as_user(client, world.staff)
    assert f'action="{removal}"' in client.get(f"/bollino/domande/{application.id}").get_data(as_text=True)

    blank = client.post(removal, data={field: "   "})
    assert blank.status_code == 422
    assert f'id="{field}-error"' in blank.get_data(as_text=True) and "Indica il motivo" in blank.get_data(as_text=True)

    done = client.post(removal, data={field: "Malattia del valutatore"})
    assert done.status_code == 302
    assert db_assignment(assignment.id).status == AssignmentStatus.DECLINED
    entry = AuditEntry.query.filter_by(action="bollino.assignment.remove", object_id=assignment.id).one()
    assert entry.actor_id == world.staff.id and entry.changes["reason"] == "Malattia del valutatore"
    assert wait_for(lambda: any("Malattia del valutatore" in m.get_content() for m in smtp.to("val1@assocontact.it")))
    page = client.get(f"/bollino/domande/{application.id}").get_data(as_text=True)
    assert "Incarico tolto dallo staff" in page and "Malattia del valutatore" in page
    assert f'action="{removal}"' not in page and "Vittorio Due</option>" in page  # another auditor can be assigned

    as_user(client, world.auditor1)
    assert client.get(f"/bollino/incarichi/{assignment.id}/valutazione").status_code == 403
    assert client.get(f"/bollino/domande/{application.id}").status_code == 404


def test_refused_removal_shows_the_reason_beside_the_field_and_keeps_it(client, world):
    application = world.awaiting_decision(4)
    assignment = application.assignments[0]
    as_user(client, world.staff)
    response = client.post(f"/bollino/domande/{application.id}/valutatori/{assignment.id}/revoca",
                           data={f"remove-{assignment.id}-reason": "In ritardo di un mese"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "già inviato la raccomandazione" in html
    assert "In ritardo di un mese</textarea>" in html
    assert db_assignment(assignment.id).status == AssignmentStatus.DECLARED


def test_only_staff_remove_and_only_assignments_of_that_application(client, world):
    application = world.under_review()
    assignment = application.assignments[0]
    removal = f"/bollino/domande/{application.id}/valutatori/{assignment.id}/revoca"
    data = {f"remove-{assignment.id}-reason": "Motivo qualsiasi"}
    for user in (world.auditor1, world.applicant):
        as_user(client, user)
        assert client.post(removal, data=data).status_code == 403
    other = world.open(world.other_company, world.other_applicant)
    as_user(client, world.staff)
    assert client.post(f"/bollino/domande/{other.id}/valutatori/{assignment.id}/revoca", data=data).status_code == 404
    assert db_assignment(assignment.id).status == AssignmentStatus.DECLARED


def db_assignment(assignment_id: int) -> Assignment:
    """The assignment as stored, not as the test's session remembers it."""
    _db.session.expire_all()
    return _db.session.get(Assignment, assignment_id)
