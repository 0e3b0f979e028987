"""Certificates after the grant: status changes, expiry (job and display), surveillance, renewal, coverage."""

from datetime import date, timedelta

import pytest

from portal.certification import certificates as lifecycle
from portal.certification import services
from portal.certification.models import Certificate, CertStatus, Outcome
from portal.certification.stats import bollino_coverage
from portal.rules import RuleError


@pytest.fixture
def certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.DISTINCTION, "ok", application.version)
    return Certificate.query.one()


def test_expiry_date_handles_leap_day():
    assert lifecycle.expiry_for(date(2024, 2, 29)) == date(2027, 2, 27)
    assert lifecycle.expiry_for(date(2026, 1, 1)) == date(2028, 12, 31)


def test_numbers_follow_the_year(world, certificate, db):
    year = date.today().year
    assert lifecycle.next_number(year) == f"BB-{year}-0002"
    assert lifecycle.next_number(year + 1) == f"BB-{year + 1}-0001"


def test_suspend_reinstate_withdraw_with_reason_and_history(world, certificate):
    with pytest.raises(RuleError, match="motivo"):
        lifecycle.change_status(certificate, CertStatus.SUSPENDED, "requirements", " ", world.staff)
    with pytest.raises(RuleError, match="non consentito"):
        lifecycle.change_status(certificate, CertStatus.ACTIVE, "resolved", "già attivo", world.staff)
    with pytest.raises(RuleError, match="causa"):
        lifecycle.change_status(certificate, CertStatus.SUSPENDED, "resolved", "Reclami non gestiti", world.staff)
    lifecycle.change_status(certificate, CertStatus.SUSPENDED, "requirements", "Reclami non gestiti", world.staff)
    lifecycle.change_status(certificate, CertStatus.ACTIVE, "resolved", "Piano di rientro rispettato", world.staff)
    lifecycle.change_status(certificate, CertStatus.WITHDRAWN, "requirements", "Uso improprio del marchio", world.staff)
    with pytest.raises(RuleError):
        lifecycle.change_status(certificate, CertStatus.ACTIVE, "resolved", "ripensamento", world.staff)
    assert [e.to_status for e in certificate.events] == ["active", "suspended", "active", "withdrawn"]
    assert certificate.status_reason == "Uso improprio del marchio"


def test_expired_shows_before_the_job_and_the_job_records_it(world, certificate, db, runner):
    certificate.issued_on = date.today() - timedelta(days=3 * 366)
    certificate.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert certificate.status == CertStatus.ACTIVE and certificate.current_status == CertStatus.EXPIRED
    result = runner.invoke(args=["certificates", "expire"])
    assert result.exit_code == 0 and certificate.number in result.output
    db.session.refresh(certificate)
    assert certificate.status == CertStatus.EXPIRED and certificate.events[-1].to_status == "expired"
    assert "0 certificati" in runner.invoke(args=["certificates", "expire"]).output  # safe to run daily


def test_last_valid_day_is_not_expired(world, certificate):
    assert certificate.status_on(certificate.expires_on) == CertStatus.ACTIVE
    assert certificate.status_on(certificate.expires_on + timedelta(days=1)) == CertStatus.EXPIRED


def test_bollino_coverage_counts_only_certificates_in_force(world, certificate, db):
    coverage = bollino_coverage()
    assert coverage["certificates"] == 1 and coverage["companies"] == 1 and coverage["distinction"] == 1
    assert coverage["sites"] == 2 and coverage["operators"] == 240 and coverage["edition"] == "2026"
    assert coverage["by_region"] == [{"region": "Lazio", "companies": 1, "company_ids": [world.company.id], "sites": 2,
                                      "operators": 240}]  # the ids let a brief apply the three-company rule
    lifecycle.change_status(certificate, CertStatus.SUSPENDED, "requirements", "verifica", world.staff)
    assert bollino_coverage()["certificates"] == 0
    assert bollino_coverage(certificate.expires_on + timedelta(days=1))["certificates"] == 0


def test_starting_edition_command_is_idempotent(runner, db):
    first = runner.invoke(args=["certificates", "starting-edition"])
    second = runner.invoke(args=["certificates", "starting-edition"])
    assert "Edizione 2026: 27 parametri in 6 aree" in first.output and first.output == second.output
