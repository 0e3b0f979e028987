"""The applicant's and the auditor's way through: withdraw and edit a draft, confirm before an
irreversible step, the changes round that is not "100 %", the feedback report without internal
notes, recommendations checked against the auditor's own scores, to-dos that say which
application, a granted application linking its certificate."""

import pytest

from portal.audit import AuditEntry
from portal.certification import answers, scheme, services
from portal.certification.models import Application, AppState, Certificate, Outcome
from portal.extensions import db
from portal.rules import RuleError
from tests.sessions import sign_in


def test_a_draft_is_withdrawn_after_confirmation_and_its_sites_are_free_again(client, world):
    application = world.open()
    sign_in(client, world.applicant)
    asked = client.post(f"/bollino/domande/{application.id}/ritira")
    assert "Ritirare la domanda n." in asked.get_data(as_text=True) and application.state == AppState.DRAFT
    client.post(f"/bollino/domande/{application.id}/ritira", data={"step": "confirm"})
    db.session.expire_all()
    assert application.state == AppState.WITHDRAWN and application.events[-1].note == "Domanda ritirata dall'azienda"
    again = world.open()  # the same sites
    assert again.state == AppState.DRAFT
    world.fill(again)
    services.submit(again, world.applicant)
    with pytest.raises(RuleError, match="ancora in compilazione"):
        services.withdraw_draft(again, world.applicant)


def test_the_sites_of_a_draft_can_be_changed_but_not_to_a_busy_one(client, world):
    first_site, second_site = world.company.sites
    draft = services.open_application(world.company, [first_site.id], world.applicant)
    other = services.open_application(world.company, [second_site.id], world.applicant)
    sign_in(client, world.applicant)
    refused = client.post(f"/bollino/domande/{draft.id}/sedi", data={"sites": [str(first_site.id), str(second_site.id)]})
    assert refused.status_code == 422 and "già in una domanda aperta" in refused.get_data(as_text=True)
    services.withdraw_draft(other, world.applicant)
    assert client.post(f"/bollino/domande/{draft.id}/sedi", data={"sites": [str(second_site.id)]}).status_code == 302
    assert [s.id for s in db.session.get(Application, draft.id).sites] == [second_site.id]


def test_sending_asks_for_confirmation_first(client, world):
    application = world.open()
    world.fill(application)
    sign_in(client, world.applicant)
    asked = client.post(f"/bollino/domande/{application.id}/invia")
    assert "Inviare la domanda n." in asked.get_data(as_text=True) and application.state == AppState.DRAFT
    client.post(f"/bollino/domande/{application.id}/invia", data={"step": "confirm"})
    db.session.expire_all()
    assert application.state == AppState.SUBMITTED


def test_during_a_changes_round_an_area_with_a_pending_question_is_not_complete(client, world):
    application = world.under_review()
    c2 = next(p for p in application.edition.parameters if p.code == "C2")
    world.score_all(application.assignments[0], 3)
    services.request_changes(application.assignments[0], world.auditor1, {c2.id: "Allegate i report mensili."})
    progress = {p.area.code: p for p in answers.progress(application)}
    assert progress["C"].percent < 100 and not progress["C"].complete and progress["B"].complete
    sign_in(client, world.applicant)
    page = client.get(f"/bollino/domande/{application.id}").get_data(as_text=True)
    assert f'href="/bollino/domande/{application.id}/aree/C#p-C2">C2: rispondi alla domanda del valutatore</a>' in page


@pytest.fixture
def decided(world):
    application = world.under_review(("auditor1", "auditor2"))
    a1, a2 = application.assignments
    c1 = next(p for p in application.edition.parameters if p.code == "C1")
    for assignment, comment in ((a1, "Report mensili completi"), (a2, "Dato verificato sul centralino")):
        world.score_all(assignment, 4)
        score = assignment.scores_for_round(application.round)[c1.id]
        services.save_scores(assignment, assignment.auditor, {c1.id: {"score": "3", "comment": comment,
                                                                      "internal": f"Nota riservata di {assignment.auditor.name}",
                                                                      "version": str(score.version)}})
        services.recommend(assignment, assignment.auditor, Outcome.GRANT, "ok", assignment.version)
    services.decide(application, world.staff2, Outcome.GRANT, "Requisiti superati", application.version)
    return application


def test_the_company_reads_a_feedback_report_per_parameter_without_internal_notes(client, world, decided):
    sign_in(client, world.applicant)
    report = client.get(f"/bollino/domande/{decided.id}/riscontro").get_data(as_text=True)
    assert "Report mensili completi" in report and "Dato verificato sul centralino" in report
    assert "Nota riservata" not in report and "Requisiti superati" in report
    sign_in(client, world.other_applicant)
    assert client.get(f"/bollino/domande/{decided.id}/riscontro").status_code == 404
    sign_in(client, world.staff)
    comparison = client.get(f"/bollino/domande/{decided.id}/confronto").get_data(as_text=True)
    assert "Nota riservata di Valeria Uno" in comparison  # staff see the internal notes


def test_the_feedback_report_waits_for_the_decision(client, world):
    application = world.under_review()
    sign_in(client, world.applicant)
    assert client.get(f"/bollino/domande/{application.id}/riscontro").status_code == 404


def test_a_granted_application_links_to_its_certificate(client, world, decided):
    certificate = Certificate.query.one()
    sign_in(client, world.applicant)
    page = client.get(f"/bollino/domande/{decided.id}").get_data(as_text=True)
    assert f'href="/bollino/certificati/{certificate.id}">certificato {certificate.number}</a>' in page


def test_a_recommendation_against_the_auditors_own_scores_is_flagged_before_it_is_saved(client, world):
    application = world.under_review()
    assignment = application.assignments[0]
    world.score_all(assignment, 1)  # a refusal by the scores
    sign_in(client, world.auditor1)
    form = {"recommendation": "grant", "summary": "Buona impressione generale", "version": str(assignment.version)}
    flagged = client.post(f"/bollino/incarichi/{assignment.id}/raccomandazione", data=form)
    html = flagged.get_data(as_text=True)
    assert flagged.status_code == 422 and "non è coerente con il vostro punteggio" in html and "confirm_mismatch" in html
    assert assignment.recommendation is None
    client.post(f"/bollino/incarichi/{assignment.id}/raccomandazione", data=form | {"confirm_mismatch": "y"})
    db.session.expire_all()
    assert assignment.recommendation == Outcome.GRANT
    assert AuditEntry.query.filter_by(action="bollino.recommend.mismatch").count() == 1


def test_differing_recommendations_are_flagged_on_the_comparison_and_decision_pages(client, world):
    application = world.under_review(("auditor1", "auditor2"))
    a1, a2 = application.assignments
    world.score_all(a1, 4)
    world.score_all(a2, 3)
    services.recommend(a1, world.auditor1, Outcome.DISTINCTION, "eccellente", a1.version)
    services.recommend(a2, world.auditor2, Outcome.GRANT, "buona", a2.version)
    sign_in(client, world.staff2)
    for url in (f"/bollino/domande/{application.id}/confronto", f"/bollino/domande/{application.id}/decisione"):
        html = client.get(url).get_data(as_text=True)
        assert "I valutatori raccomandano esiti diversi" in html, url


def test_auditors_to_dos_name_the_application_number_and_the_sites(client, world):
    application = world.submitted()
    services.assign_auditor(application, world.auditor1, world.staff)
    sign_in(client, world.auditor1)
    home = client.get("/home").get_data(as_text=True)
    assert f"domanda n. {application.id} di Qualità Voce S.r.l. (sedi: Roma, Roma)" in home


def test_deleting_a_parameter_of_a_draft_edition_asks_first(client, world):
    draft = scheme.copy_edition(world.edition, world.staff)
    parameter = draft.parameters[0]
    sign_in(client, world.staff)
    asked = client.post(f"/bollino/schema/parametri/{parameter.id}/elimina")
    assert "Eliminare il parametro A1?" in asked.get_data(as_text=True)
    assert len(draft.parameters) == len(world.edition.parameters)
    client.post(f"/bollino/schema/parametri/{parameter.id}/elimina", data={"step": "confirm"})
    db.session.expire_all()
    assert len(draft.parameters) == len(world.edition.parameters) - 1
