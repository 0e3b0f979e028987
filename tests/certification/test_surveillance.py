"""Yearly surveillance on a fixed clock: the calendar a certificate gets, the window that opens 60
days before, reminders at 60/30/7 days sent once each, the company's submission scored by the
auditor, the failed or missed surveillance put before staff with its real cause, and expiry
reminders. Every date is passed to the daily job (`run_daily(on=...)`), never read from the clock."""

from datetime import date, timedelta

import pytest

from portal.certification import certificates as lifecycle
from portal.certification import services, statements, surveillance
from portal.certification.demo import STRONG
from portal.certification.models import (
    Certificate,
    CertStatus,
    Outcome,
    ProposalStatus,
    ReviewStatus,
    StatusCause,
    SurveillanceReview,
)
from portal.certification.schedule import run_daily
from portal.extensions import db
from portal.jobs.engine import SCHEDULE, run_task
from tests.conftest import wait_for
from tests.sessions import sign_in

ISSUED = date(2026, 3, 16)
FIRST_DUE = date(2027, 3, 16)


@pytest.fixture
def certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    certificate = Certificate.query.one()
    # issued on a known day: the calendar below is exact
    certificate.issued_on, certificate.expires_on = ISSUED, lifecycle.expiry_for(ISSUED)
    for review, due in zip(certificate.reviews, (FIRST_DUE, date(2028, 3, 16)), strict=True):
        review.due_on = due
    db.session.commit()
    return certificate


def mails_to(smtp, address: str, words: str) -> list:
    return [m for m in smtp.to(address) if words in m["Subject"] or words in m.get_content()]


def test_a_new_certificate_gets_a_surveillance_on_each_anniversary_before_expiry(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    certificate = Certificate.query.one()
    issued = certificate.issued_on
    assert [(r.sequence, r.due_on, r.status) for r in certificate.reviews] == [
        (1, lifecycle.add_years(issued, 1), ReviewStatus.SCHEDULED), (2, lifecycle.add_years(issued, 2), ReviewStatus.SCHEDULED)]
    assert surveillance.plan(certificate) == []  # planned once


def test_the_window_opens_60_days_before_and_reminders_go_out_at_60_30_7_days_once(world, certificate, smtp):
    company_mail = world.applicant.email
    run_daily(FIRST_DUE - timedelta(days=61))
    assert certificate.reviews[0].status == ReviewStatus.SCHEDULED

    report = run_daily(FIRST_DUE - timedelta(days=60))
    assert report.opened == [certificate.number] and certificate.reviews[0].status == ReviewStatus.OPEN
    assert wait_for(lambda: mails_to(smtp, company_mail, "È aperta la sorveglianza annuale"))

    for day, expected in ((45, []), (30, [certificate.number]), (30, []), (20, []), (7, [certificate.number]), (3, [])):
        assert run_daily(FIRST_DUE - timedelta(days=day)).reminded == expected, day
    assert wait_for(lambda: len(mails_to(smtp, company_mail, "giorni alla scadenza")) == 2)
    subjects = [m["Subject"] for m in mails_to(smtp, company_mail, "giorni alla scadenza")]
    assert subjects == [f"Sorveglianza del certificato {certificate.number}: 30 giorni alla scadenza",
                        f"Sorveglianza del certificato {certificate.number}: 7 giorni alla scadenza"]


def test_after_missed_days_only_the_most_urgent_reminder_goes_out(world, certificate, smtp):
    run_daily(FIRST_DUE - timedelta(days=60))
    assert run_daily(FIRST_DUE - timedelta(days=5)).reminded == [certificate.number]
    assert run_daily(FIRST_DUE - timedelta(days=4)).reminded == []
    assert wait_for(lambda: [m["Subject"] for m in mails_to(smtp, world.applicant.email, "giorni alla scadenza")]
                    == [f"Sorveglianza del certificato {certificate.number}: 5 giorni alla scadenza"])


def test_the_company_sends_figures_and_evidence_and_the_auditor_scores_that_submission(world, certificate):
    review = world.surveillance_submitted(certificate, world.auditor3, on=FIRST_DUE - timedelta(days=30))
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_by_id == world.applicant.id
    assert review.submission["C1"]["value"] == STRONG["C1"]
    assert set(surveillance.evidence_by_code(review)) == {p.code for p in surveillance.key_parameters(review) if p.evidence_required}
    assert not review.can_score(world.auditor2) and review.can_score(world.auditor3)
    with pytest.raises(Exception, match="non si possono più modificare"):
        surveillance.save_submission(review, world.applicant, {"C1": {"value": "10"}}, {}, False, review.version)

    items = {code: {"score": "3", "comment": "in linea"} for code in review.items}
    surveillance.save_review(review, world.auditor3, items, "Tutto in ordine", review.version, close=True)
    assert review.status == ReviewStatus.PASSED and certificate.status == CertStatus.ACTIVE and not certificate.proposals


def test_a_submission_with_missing_figures_is_not_sent(world, certificate):
    review = certificate.reviews[0]
    surveillance.open_review(review, FIRST_DUE - timedelta(days=60), world.staff)
    db.session.commit()
    result = surveillance.save_submission(review, world.applicant, {"C1": {"value": "ottanta"}, "B1": {"value": "45"}}, {}, True,
                                          review.version)
    assert result.errors == {"C1": "Scrivi un numero, ad esempio 82,5."}
    assert review.status == ReviewStatus.OPEN and review.submission["B1"]["value"] == "45"  # the valid one is kept
    result = surveillance.save_submission(review, world.applicant, {}, {}, True, review.version)
    assert ("C1", "C1: manca il valore di quest'anno") in result.missing and review.status == ReviewStatus.OPEN


def test_a_failed_surveillance_names_its_real_cause_not_a_misleading_total(client, world, certificate):
    review = world.surveillance_submitted(certificate, world.auditor3, on=FIRST_DUE - timedelta(days=30))
    mandatory = next(code for code in review.items if next(p for p in surveillance.key_parameters(review) if p.code == code).mandatory)
    items = {code: {"score": "4", "comment": ""} for code in review.items} | {mandatory: {"score": "1", "comment": "non conforme"}}
    surveillance.save_review(review, world.auditor3, items, "Requisito obbligatorio mancato", review.version, close=True)
    passed, total, failed = surveillance.review_result(review)
    assert not passed and total > 70 and failed == [mandatory]  # the total alone would say "passed"

    proposal = certificate.proposals[0]
    assert proposal.cause == StatusCause.MANDATORY_FAILED and mandatory in proposal.detail
    assert certificate.status == CertStatus.ACTIVE  # nothing happens until staff decide
    lifecycle.change_status(certificate, CertStatus.SUSPENDED, proposal.cause, proposal.detail, world.staff, proposal=proposal)
    assert certificate.status == CertStatus.SUSPENDED and proposal.status == ProposalStatus.ACCEPTED
    record = client.get(f"/bollino/registro/{certificate.number}.json").get_json()
    assert record["public_statement"] == statements.standard(CertStatus.SUSPENDED, StatusCause.MANDATORY_FAILED)
    assert "requisito obbligatorio" in record["public_statement"] and "su 100" not in record["public_statement"]


def test_a_surveillance_the_company_never_sent_is_overdue_and_proposes_a_suspension(client, world, certificate, smtp):
    run_daily(FIRST_DUE - timedelta(days=60))
    report = run_daily(FIRST_DUE + timedelta(days=1))
    assert report.overdue == [certificate.number]
    assert run_daily(FIRST_DUE + timedelta(days=2)).overdue == []  # flagged once
    proposal = certificate.proposals[0]
    assert proposal.cause == StatusCause.SURVEILLANCE_MISSED and proposal.status == ProposalStatus.OPEN
    assert wait_for(lambda: mails_to(smtp, world.staff.email, "Proposta di sospensione"))

    sign_in(client, world.staff)
    dashboard = client.get("/bollino/cruscotto").get_data(as_text=True)
    assert certificate.number in dashboard and "Proposte di sospensione da decidere" in dashboard
    page = client.get(f"/bollino/certificati/{certificate.id}").get_data(as_text=True)
    assert "sorveglianza annuale non svolta entro il termine" in page
    response = client.post(f"/bollino/proposte/{proposal.id}/archivia", data={f"dismiss-{proposal.id}-note": "Dati arrivati per PEC"})
    assert response.status_code == 302 and proposal.status == ProposalStatus.DISMISSED


def test_staff_see_surveillance_due_and_overdue_on_the_dashboard(client, world, certificate):
    review = certificate.reviews[0]
    review.due_on = date.today() - timedelta(days=3)
    surveillance.open_review(review, date.today() - timedelta(days=50), world.staff)
    db.session.commit()
    sign_in(client, world.staff)
    html = client.get("/bollino/cruscotto").get_data(as_text=True)
    assert certificate.number in html and "scaduta da 3 giorni" in html and "da assegnare" in html


def test_a_withdrawn_certificate_stops_its_surveillance_calendar(client, world, certificate, smtp):
    """Withdrawn while its surveillance was open: no reminder, no overdue proposal, no dashboard row, no submission."""
    run_daily(FIRST_DUE - timedelta(days=60))
    review = certificate.reviews[0]
    assert review.status == ReviewStatus.OPEN
    lifecycle.change_status(certificate, CertStatus.WITHDRAWN, StatusCause.COMPANY_REQUEST, "chiesto dall'azienda", world.staff)
    report = run_daily(FIRST_DUE - timedelta(days=30))
    assert report.reminded == [] and report.opened == []
    assert run_daily(FIRST_DUE + timedelta(days=1)).overdue == [] and not certificate.proposals
    assert not surveillance.can_submit(review, world.applicant)
    sign_in(client, world.staff)
    review.due_on = date.today() - timedelta(days=3)  # it would be overdue today
    db.session.commit()
    assert certificate.number not in client.get("/bollino/cruscotto").get_data(as_text=True)


def test_expiry_reminders_at_180_90_30_days_unless_the_renewal_is_under_way(world, certificate, smtp):
    expires = certificate.expires_on
    for day, expected in ((181, []), (180, [certificate.number]), (120, []), (90, [certificate.number]), (90, [])):
        assert run_daily(expires - timedelta(days=day)).expiry_reminders == expected, day
    assert wait_for(lambda: len(mails_to(smtp, world.applicant.email, "scade il")) == 2)

    # the renewal window is open 180 days before: once a renewal is open, no more reminders
    certificate.issued_on = date.today() - timedelta(days=3 * 365 - 100)
    certificate.expires_on = lifecycle.expiry_for(certificate.issued_on)
    db.session.commit()
    services.open_application(world.company, [s.id for s in certificate.sites], world.applicant, renewal_of=certificate)
    assert run_daily(certificate.expires_on - timedelta(days=30)).expiry_reminders == []


def test_the_daily_command_runs_the_whole_job(runner, world, certificate):
    result = runner.invoke(args=["certificates", "daily", "--on", (FIRST_DUE - timedelta(days=60)).isoformat()])
    assert result.exit_code == 0 and f"sorveglianze aperte: {certificate.number}" in result.output
    assert SurveillanceReview.query.filter_by(status=ReviewStatus.OPEN).count() == 1


def test_celery_beat_runs_the_daily_job_every_night(app, world, certificate):
    """Nobody has to run the command: beat sends certificates.daily, which opens what is due today."""
    assert "certificates.daily" in SCHEDULE
    review = certificate.reviews[0]
    review.due_on = date.today() + timedelta(days=30)
    db.session.commit()
    run_task(app, "certificates.daily", [])
    db.session.expire_all()
    assert review.status == ReviewStatus.OPEN
