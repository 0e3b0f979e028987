"""Non-conformities as a certification body records them: raised by the auditor with evidence and a
due date, answered by the company, verified; an open major one blocks the grant; in surveillance,
one left open past its due date puts a suspension proposal before staff."""

from datetime import date, timedelta

import pytest

from portal.certification import nonconformities, services
from portal.certification.models import Certificate, NCStatus, NonConformity, Outcome, StatusCause
from portal.certification.schedule import run_daily
from portal.rules import RuleError
from tests.certification.conftest import pdf_upload
from tests.sessions import sign_in


def parameter(application, code):
    return next(p for p in application.edition.parameters if p.code == code)


@pytest.fixture
def scored(world):
    """An application scored 4 everywhere by auditor1, recommended for a grant."""
    return world.awaiting_decision(4)


def test_an_open_major_finding_blocks_the_grant_until_corrected_and_closed(client, world, scored):
    due = date.today() + timedelta(days=20)
    nc = nonconformities.raise_on_application(scored, parameter(scored, "B5"), world.auditor1, "major",
                                             "DVR non aggiornato dopo il trasloco della sede", "DVR datato 2021", due)
    with pytest.raises(RuleError, match="non conformità maggiori ancora aperte \\(B5\\)"):
        services.decide(scored, world.staff2, Outcome.GRANT, "ok", scored.version)

    sign_in(client, world.applicant)
    page = client.get(f"/bollino/domande/{scored.id}").get_data(as_text=True)
    assert "DVR non aggiornato" in page and "Rilevata non conformità maggiore su B5" in page  # findings and timeline
    missing_file = client.post(f"/bollino/non-conformita/{nc.id}/correzione", data={"correction": "DVR rifatto"})
    assert missing_file.status_code == 422 and "Allega un documento" in missing_file.get_data(as_text=True)
    client.post(f"/bollino/non-conformita/{nc.id}/correzione",
                data={"correction": "DVR aggiornato il 10/11", "title": "DVR 2026", "file": pdf_upload("dvr.pdf")},
                content_type="multipart/form-data")
    assert nc.status == NCStatus.ANSWERED and nc.correction_evidence.title == "DVR 2026"

    sign_in(client, world.auditor1)
    client.post(f"/bollino/non-conformita/{nc.id}/verifica", data={"outcome": "close", "note": "DVR verificato"})
    assert nc.status == NCStatus.CLOSED and nc.closed_by_id == world.auditor1.id
    services.decide(scored, world.staff2, Outcome.GRANT, "ok", scored.version)
    notes = [e.note for e in scored.events]
    assert any("Correzione inviata" in n for n in notes) and any("Chiusa la non conformità maggiore su B5" in n for n in notes)


def test_a_correction_that_is_not_enough_reopens_the_finding(world, scored):
    nc = nonconformities.raise_on_application(scored, parameter(scored, "C6"), world.auditor1, "minor", "Reclami oltre 30 giorni",
                                             "", date.today() + timedelta(days=10))
    nonconformities.answer(nc, world.applicant, "Procedura rivista", pdf_upload("procedura.pdf"), "Procedura")
    with pytest.raises(RuleError, match="esito della verifica"):
        nonconformities.verify(nc, world.auditor1, False, "")
    nonconformities.verify(nc, world.auditor1, False, "Manca la registrazione dei tempi di chiusura")
    assert nc.status == NCStatus.OPEN and nonconformities.can_answer(nc, world.applicant)
    services.decide(scored, world.staff2, Outcome.GRANT, "ok", scored.version)  # a minor one does not block


def test_only_the_company_and_the_audit_see_a_finding(client, world, scored):
    nc = nonconformities.raise_on_application(scored, parameter(scored, "A1"), world.auditor1, "major", "CCNL non applicato",
                                             "", date.today() + timedelta(days=10))
    for user, status in ((world.other_applicant, 404), (world.auditor2, 404), (world.applicant, 200), (world.auditor1, 200),
                         (world.staff, 200)):
        sign_in(client, user)
        assert client.get(f"/bollino/non-conformita/{nc.id}").status_code == status, user.email
    sign_in(client, world.auditor2)
    with pytest.raises(RuleError):
        nonconformities.raise_on_application(scored, parameter(scored, "A1"), world.auditor2, "major", "x", "", date.today())


def test_a_finding_needs_a_future_due_date_and_a_description(world, scored):
    with pytest.raises(RuleError, match="data futura"):
        nonconformities.raise_on_application(scored, parameter(scored, "A1"), world.auditor1, "major", "x", "", date.today() - timedelta(days=1))
    with pytest.raises(RuleError, match="Descrivi"):
        nonconformities.raise_on_application(scored, parameter(scored, "A1"), world.auditor1, "major", " ", "", date.today())


def test_a_major_finding_left_open_in_surveillance_puts_a_suspension_before_staff(world, scored):
    services.decide(scored, world.staff2, Outcome.GRANT, "ok", scored.version)
    certificate = Certificate.query.one()
    review = world.surveillance_submitted(certificate, world.auditor3)
    key = [p for p in review.edition.parameters if p.key_figure]
    due = date.today() + timedelta(days=15)
    major = nonconformities.raise_on_review(review, key[0], world.auditor3, "major", "Livello di servizio misurato male", "", due)
    nonconformities.raise_on_review(review, key[1], world.auditor3, "minor", "Formazione registrata a mano", "", due)

    assert run_daily(due).nonconformities_overdue == []  # on its due date it is still in time
    assert run_daily(due + timedelta(days=1)).nonconformities_overdue == [major.id]
    assert run_daily(due + timedelta(days=2)).nonconformities_overdue == []
    proposal = certificate.proposals[0]
    assert proposal.cause == StatusCause.NONCONFORMITY_OVERDUE and proposal.nonconformity_id == major.id
    assert len(certificate.proposals) == 1  # the minor one proposes nothing
    assert NonConformity.query.count() == 2
