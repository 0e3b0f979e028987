"""The application's state machine and its rules, through the real services."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from portal.audit import AuditEntry
from portal.certification import evaluation, services
from portal.certification.grids import EvidenceInput
from portal.certification.models import (
    Answer,
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Certificate,
    CertStatus,
    ChangeRequest,
    EvidenceLink,
    Outcome,
    Score,
    StateEvent,
    Submission,
)
from portal.concurrency import ConflictError
from portal.members.models import MembershipState, User
from portal.rules import RuleError
from tests.certification.conftest import pdf_upload
from tests.conftest import wait_for


def test_open_application_on_current_edition_for_own_sites(world, db):
    application = world.open()
    assert application.state == AppState.DRAFT
    assert application.edition.code == "2026"
    assert {s.id for s in application.sites} == {s.id for s in world.company.sites}


def test_cannot_open_for_sites_of_another_company_or_twice_for_the_same_site(world):
    with pytest.raises(RuleError, match="sede operativa"):
        services.open_application(world.company, [world.other_company.sites[0].id], world.applicant)
    world.open()
    with pytest.raises(RuleError, match="già in una domanda aperta"):
        world.open()


def test_non_member_company_cannot_apply(world, db):
    world.company.membership_state = MembershipState.SUSPENDED
    db.session.commit()
    with pytest.raises(RuleError, match="associate attive"):
        world.open()


def test_submit_lists_exactly_what_is_missing(world):
    application = world.open()
    params = {p.code: p for p in application.edition.parameters}
    services.save_answers(application, world.applicant, {params["A1"].id: {"value": "yes", "note": "", "version": ""}})
    with pytest.raises(RuleError) as exc:
        services.submit(application, world.applicant)
    message = str(exc.value)
    assert "A1: manca la prova documentale" in message
    assert "A1: manca la risposta" not in message
    assert "A3: manca la risposta" in message and "A7" not in message  # free text is optional unless mandatory
    assert application.state == AppState.DRAFT


def test_expired_evidence_does_not_count(world, db):
    application = world.open()
    world.fill(application)
    link_evidence = next(e for e in services.reusable_evidence(world.company.id) if e.title == "A3")
    link_evidence.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert "A3: la prova allegata è scaduta, caricane una valida" in services.submission_missing(application)


def test_invalid_values_are_reported_per_field_and_valid_ones_saved(world):
    application = world.open()
    p = {x.code: x for x in application.edition.parameters}
    result = services.save_answers(application, world.applicant, {
        p["C1"].id: {"value": "ottanta", "version": ""},
        p["C2"].id: {"value": "95,5", "version": ""},
        p["A6"].id: {"value": "120", "version": ""},
        p["A5"].id: {"value": "Forse", "version": ""},
    })
    assert set(result.errors) == {p["C1"].id, p["A6"].id, p["A5"].id}
    assert "numero" in result.errors[p["C1"].id] and "100" in result.errors[p["A6"].id]
    saved = {a.parameter.code: a.value for a in application.answers}
    assert saved == {"C2": "95.5"}


def test_submission_is_read_only_and_timeline_and_mail(world, smtp):
    application = world.submitted()
    assert application.state == AppState.SUBMITTED
    with pytest.raises(RuleError, match="non è più modificabile"):
        services.save_answers(application, world.applicant, {})
    assert [e.to_state for e in application.events] == ["draft", "submitted"]
    assert wait_for(lambda: smtp.to("staff@assocontact.it") and smtp.to("utente@qualita.it"))
    assert AuditEntry.query.filter_by(action="bollino.application.state").count() == 1


def test_assignment_limits_and_conflict_of_interest(world):
    application = world.submitted()
    first = services.assign_auditor(application, world.auditor1, world.staff)
    assert application.state == AppState.UNDER_REVIEW
    assert not application.can_view_answers(world.auditor1)  # not declared yet
    with pytest.raises(RuleError, match="già avuto un incarico"):
        services.assign_auditor(application, world.auditor1, world.staff)
    with pytest.raises(RuleError, match="Si può incaricare solo"):
        services.assign_auditor(application, world.applicant, world.staff)
    second = services.assign_auditor(application, world.auditor2, world.staff)
    with pytest.raises(RuleError, match="già due valutatori"):
        services.assign_auditor(application, world.auditor3, world.staff)
    services.decline_assignment(second, world.auditor2, "Ho lavorato per loro nel 2024")
    assert second.status == AssignmentStatus.DECLINED and not application.can_view_answers(world.auditor2)
    services.assign_auditor(application, world.auditor3, world.staff)  # a declined slot frees up
    services.declare_no_conflict(first, world.auditor1, "nessun conflitto")
    assert first.declared_at is not None and application.can_view_answers(world.auditor1)
    with pytest.raises(RuleError, match="già risposto"):
        services.decline_assignment(first, world.auditor1, "ripensamento")


def test_request_changes_and_resubmission_keep_both_rounds(world):
    application = world.under_review()
    assignment = application.assignments[0]
    world.score_all(assignment, 2)
    c2 = next(p for p in application.edition.parameters if p.code == "C2")
    with pytest.raises(RuleError, match="almeno una domanda"):
        services.request_changes(assignment, world.auditor1, {c2.id: "  "})
    services.request_changes(assignment, world.auditor1, {c2.id: "Allegate i report mensili."})
    assert application.state == AppState.CHANGES_REQUESTED and application.can_edit(world.applicant)
    assert not assignment.can_score(world.auditor1)
    with pytest.raises(RuleError, match="rispondi alla domanda del valutatore"):
        services.submit(application, world.applicant)
    request_ = ChangeRequest.query.one()
    services.answer_change_requests(application, world.applicant, {request_.id: "Allegati i report di gennaio-giugno."})
    services.submit(application, world.applicant)
    assert application.state == AppState.UNDER_REVIEW and application.round == 2
    assert Submission.query.filter_by(application_id=application.id).count() == 2
    # the auditor starts round 2 from their round-1 scores, and round 1 stays in the history
    assert {s.score for s in assignment.scores_for_round(2).values()} == {2}
    assert len(assignment.scores_for_round(1)) == len(application.edition.parameters)


def test_recommend_needs_every_score_and_two_auditors_finish_before_decision(world):
    application = world.under_review(("auditor1", "auditor2"))
    a1, a2 = application.assignments
    with pytest.raises(RuleError, match="Mancano"):
        services.recommend(a1, world.auditor1, Outcome.GRANT, "ok", a1.version)
    world.score_all(a1, 3)
    services.recommend(a1, world.auditor1, Outcome.GRANT, "ok", a1.version)
    assert application.state == AppState.UNDER_REVIEW
    world.score_all(a2, 4)
    services.recommend(a2, world.auditor2, Outcome.DISTINCTION, "ottimo", a2.version)
    assert application.state == AppState.AWAITING_DECISION


def test_decision_by_an_auditor_is_refused_even_for_staff(world):
    application = world.submitted()
    assignment = services.assign_auditor(application, world.staff, world.staff2)  # staff may audit
    services.declare_no_conflict(assignment, world.staff, "nessun conflitto")
    world.score_all(assignment, 4)
    services.recommend(assignment, world.staff, Outcome.GRANT, "ok", assignment.version)
    assert not application.can_decide(world.staff)
    with pytest.raises(RuleError, match="Chi ha avuto un incarico di valutazione"):
        services.decide(application, world.staff, Outcome.GRANT, "motivo", application.version)
    services.decide(application, world.staff2, Outcome.GRANT, "motivo", application.version)
    assert application.state == AppState.GRANTED


def test_failed_mandatory_parameter_forbids_granting(world):
    application = world.awaiting_decision(4, {"A3": 2})
    with pytest.raises(RuleError, match="A3"):
        services.decide(application, world.staff2, Outcome.GRANT, "motivo", application.version)
    services.decide(application, world.staff2, Outcome.REFUSE, "DURC non regolare", application.version)
    assert application.state == AppState.REFUSED and Certificate.query.count() == 0


def test_total_below_threshold_forbids_grant_and_distinction_needs_85(world):
    application = world.awaiting_decision(3)  # 75 out of 100
    with pytest.raises(RuleError, match="non consente"):
        services.decide(application, world.staff2, Outcome.DISTINCTION, "motivo", application.version)
    decision = services.decide(application, world.staff2, Outcome.GRANT, "motivo", application.version)
    assert decision.total == 75


def test_grant_issues_numbered_certificate_valid_three_years(world, smtp):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.DISTINCTION, "Eccellente", application.version)
    certificate = Certificate.query.one()
    year = date.today().year
    assert certificate.number == f"BB-{year}-0001" and certificate.distinction
    assert certificate.expires_on == certificate.issued_on.replace(year=year + 3) - timedelta(days=1)
    assert certificate.status == CertStatus.ACTIVE
    assert {s.id for s in certificate.sites} == {s.id for s in application.sites}
    assert wait_for(lambda: any("BB-" in m.get_content() for m in smtp.to("utente@qualita.it")))


def test_stale_decision_is_refused(world):
    application = world.awaiting_decision(4)
    seen = application.version
    services.decide(application, world.staff2, Outcome.GRANT, "prima", seen)
    with pytest.raises(RuleError):
        services.decide(application, world.staff, Outcome.REFUSE, "seconda", seen)
    assert application.decision.reason == "prima"


def test_concurrent_answer_edit_is_reported_not_overwritten(world):
    application = world.open()
    c1 = next(p for p in application.edition.parameters if p.code == "C1")
    services.save_answers(application, world.applicant, {c1.id: {"value": "80", "version": ""}})
    seen = str(application.answers[0].version)
    services.save_answers(application, world.company_admin, {c1.id: {"value": "82", "version": seen}})
    result = services.save_answers(application, world.applicant, {c1.id: {"value": "85", "version": seen}})
    assert result.conflicts == {c1.id: "82"} and result.saved == 0
    assert application.answers[0].value == "82"


def test_answer_saved_by_a_colleague_after_the_version_check_is_a_conflict_not_a_crash(world, db):
    """The race the version check misses (found by bench/load.py): the versioned UPDATE matches no row."""
    application = world.open()
    c1 = next(p.id for p in application.edition.parameters if p.code == "C1")
    services.save_answers(application, world.applicant, {c1: {"value": "80", "version": ""}})
    application_id, admin_id = application.id, world.company_admin.id
    db.session.expunge_all()  # a new request: nothing loaded yet
    application, admin = db.session.get(Application, application_id), db.session.get(User, admin_id)
    answer = application.answers[0]
    seen = str(answer.version)
    db.session.execute(update(Answer).where(Answer.id == answer.id).values(version=Answer.version + 1),
                       execution_options={"synchronize_session": False})  # a colleague's save after the check
    with pytest.raises(ConflictError):
        services.save_answers(application, admin, {c1: {"value": "85", "version": seen}})
    assert db.session.get(Answer, answer.id).value == "80"


def test_concurrent_score_edit_is_reported(world):
    application = world.under_review()
    assignment = application.assignments[0]
    pid, score = next(iter(assignment.scores_for_round(1).items()))
    seen = str(score.version)
    services.save_scores(assignment, world.auditor1, {pid: {"score": "3", "comment": "", "version": seen}})
    result = services.save_scores(assignment, world.auditor1, {pid: {"score": "1", "comment": "", "version": seen}})
    assert result.conflicts == {pid: "3"} and score.score == 3


def test_score_saved_meanwhile_after_the_version_check_is_a_conflict_not_a_crash(world, db):
    application = world.under_review()
    assignment_id, auditor_id = application.assignments[0].id, world.auditor1.id
    db.session.expunge_all()  # a new request: nothing loaded yet
    assignment, auditor = db.session.get(Assignment, assignment_id), db.session.get(User, auditor_id)
    pid, score = next(iter(assignment.scores_for_round(1).items()))
    seen = str(score.version)
    db.session.execute(update(Score).where(Score.id == score.id).values(version=Score.version + 1),
                       execution_options={"synchronize_session": False})  # the other save, after the check
    with pytest.raises(ConflictError):
        services.save_scores(assignment, auditor, {pid: {"score": "2", "comment": "", "version": seen}})
    assert db.session.get(Score, score.id).score is None


def test_stale_recommendation_raises_conflict(world):
    application = world.under_review()
    assignment = application.assignments[0]
    world.score_all(assignment, 3)
    with pytest.raises(ConflictError):
        services.recommend(assignment, world.auditor1, Outcome.GRANT, "ok", assignment.version - 1)


def test_every_step_is_on_the_timeline(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    states = [e.to_state for e in StateEvent.query.filter_by(application_id=application.id).order_by(StateEvent.id)]
    assert states == ["draft", "submitted", "under_review", "awaiting_decision", "granted"]


@pytest.mark.parametrize("taken_off", [
    lambda world, assignment: services.decline_assignment(assignment, world.staff, "Conflitto di interessi: ex consulente"),
    lambda world, assignment: services.remove_assignment(assignment, world.staff2, "Conflitto di interessi scoperto"),
], ids=["declined", "removed"])
def test_staff_taken_off_the_audit_cannot_decide_either(world, taken_off):
    application = world.submitted()
    taken_off(world, services.assign_auditor(application, world.staff, world.staff2))
    assignment = services.assign_auditor(application, world.auditor1, world.staff2)
    services.declare_no_conflict(assignment, world.auditor1, "ok")
    world.score_all(assignment, 4)
    services.recommend(assignment, world.auditor1, Outcome.GRANT, "ok", assignment.version)
    assert not application.can_decide(world.staff) and application.can_decide(world.staff2)
    with pytest.raises(RuleError, match="Chi ha avuto un incarico di valutazione"):
        services.decide(application, world.staff, Outcome.GRANT, "motivo", application.version)


def test_staff_remove_an_auditor_whose_scores_leave_the_result_and_assign_another(world, smtp):
    application = world.under_review(("auditor1", "auditor2"))
    kept, removed = application.assignments
    world.score_all(kept, 4)
    world.score_all(removed, 1)
    alone = evaluation.evaluate_values(application, evaluation.auditor_values(kept, application.round))
    assert evaluation.combined_result(application).total != alone.total  # the low scores count while assigned

    services.remove_assignment(removed, world.staff, "  Malattia prolungata  ")

    assert removed.status == AssignmentStatus.DECLINED and removed.decline_reason == "Malattia prolungata"
    assert Score.query.filter_by(assignment_id=removed.id).count() == len(application.edition.parameters)  # kept in the history
    assert evaluation.combined_result(application).total == alone.total  # ... but out of the result
    assert not application.can_view(world.auditor2) and not application.can_view_answers(world.auditor2)
    with pytest.raises(RuleError, match="non potete valutare"):
        world.score_all(removed, 4)
    entry = AuditEntry.query.filter_by(action="bollino.assignment.remove").one()
    assert (entry.object_id, entry.actor_id, entry.changes["reason"]) == (removed.id, world.staff.id, "Malattia prolungata")
    assert services.removals(application) == {removed.id: entry}
    assert wait_for(lambda: any("revocato" in m["Subject"] and "Malattia prolungata" in m.get_content()
                                for m in smtp.to("val2@assocontact.it")))
    replacement = services.assign_auditor(application, world.auditor3, world.staff)  # the place is free again
    assert application.active_assignments() == [kept, replacement]
    with pytest.raises(RuleError, match="già avuto un incarico"):
        services.assign_auditor(application, world.auditor2, world.staff)
    with pytest.raises(RuleError, match="non ha più l'incarico"):
        services.remove_assignment(removed, world.staff, "di nuovo")


def test_removal_needs_a_reason_and_staff(world):
    application = world.under_review()
    assignment = application.assignments[0]
    with pytest.raises(RuleError, match="Indica il motivo"):
        services.remove_assignment(assignment, world.staff, "   ")
    with pytest.raises(RuleError, match="Solo lo staff"):
        services.remove_assignment(assignment, world.applicant, "Non mi piace")
    assert assignment.status == AssignmentStatus.DECLARED
    assert AuditEntry.query.filter_by(action="bollino.assignment.remove").count() == 0


def test_a_pending_auditor_can_be_removed_before_declaring(world):
    application = world.submitted()
    assignment = services.assign_auditor(application, world.auditor1, world.staff)
    services.remove_assignment(assignment, world.staff, "Conflitto scoperto dallo staff: ex dipendente")
    with pytest.raises(RuleError, match="già risposto"):
        services.declare_no_conflict(assignment, world.auditor1, "nessun conflitto")
    assert application.state == AppState.UNDER_REVIEW and application.active_assignments() == []


def test_removal_refused_after_the_recommendation_and_the_decision(world):
    application = world.awaiting_decision(4)
    assignment = application.assignments[0]
    with pytest.raises(RuleError, match="già inviato la raccomandazione"):
        services.remove_assignment(assignment, world.staff, "In ritardo")
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    with pytest.raises(RuleError, match="già stata decisa"):
        services.remove_assignment(assignment, world.staff, "In ritardo")
    assert assignment.status == AssignmentStatus.DECLARED


def test_an_area_keeps_what_was_accepted_and_says_why_the_rest_was_refused(world, db):
    """The company saves area A with a good answer, a bad one, a good file and an expired one."""
    application = world.open()
    p = {x.code: x for x in application.edition.parameters}
    area = p["A1"].area
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    result = services.save_area(
        application, area, world.applicant,
        {p["A1"].id: {"value": "yes", "version": ""}, p["A6"].id: {"value": "120", "version": ""},
         p["C1"].id: {"value": "80", "version": ""}},  # another area's field: not this page's to save
        {}, {p["A3"].id: EvidenceInput(pdf_upload("durc.pdf"), "DURC"),
             p["A2"].id: EvidenceInput(pdf_upload("vecchio.pdf"), "Scaduto", yesterday)},
    )

    assert not result.complete
    assert set(result.errors) == {p["A6"].id} and "100" in result.errors[p["A6"].id]
    assert set(result.file_errors) == {p["A2"].id} and "già passata" in result.file_errors[p["A2"].id]
    db.session.expire_all()
    assert {a.parameter.code: a.value for a in application.answers} == {"A1": "yes"}
    assert [link.evidence.title for link in application_links(db, application, p["A3"])] == ["DURC"]
    assert application_links(db, application, p["A2"]) == []


def test_evidence_that_does_not_exist_is_refused_beside_its_parameter(world):
    application = world.open()
    parameter = next(p for p in application.edition.parameters if p.evidence_required)

    refusal = services.attach_evidence(application, parameter, EvidenceInput(reuse_id=999_999), world.applicant)

    assert refusal == "Prova non trovata."


def test_a_submitted_application_refuses_the_whole_area(world):
    application = world.submitted()
    area = application.edition.areas[0]
    parameter = area.parameters[0]

    result = services.save_area(application, area, world.applicant, {parameter.id: {"value": "yes", "version": "1"}}, {}, {})

    assert "non è più modificabile" in result.errors[parameter.id]


def application_links(db, application, parameter):
    return db.session.scalars(select(EvidenceLink).where(EvidenceLink.application_id == application.id,
                                                         EvidenceLink.parameter_id == parameter.id)).all()
