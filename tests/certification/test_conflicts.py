"""Conflicts of interest on every assignment: an auditor who declared one with a company is not
assigned to it again, for an application or a surveillance, unless staff override with a reason."""

import pytest

from portal.audit import AuditEntry
from portal.certification import services, surveillance
from portal.certification.models import Assignment, AssignmentStatus, Certificate, Conflict, Outcome
from portal.rules import RuleError
from tests.sessions import sign_in


@pytest.fixture
def certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    return Certificate.query.one()


@pytest.fixture
def conflicted_review(world, certificate):
    """auditor2 refused company A's first surveillance, declaring a conflict of interest."""
    review = certificate.reviews[0]
    surveillance.open_now(review, world.staff)
    surveillance.assign(review, world.auditor2, world.staff)
    surveillance.decline(review, world.auditor2, "Ho lavorato per l'azienda fino al 2025", conflict=True)
    return review


def test_declining_for_a_conflict_is_remembered_and_for_another_reason_is_not(world, certificate):
    application = world.submitted()
    first = services.assign_auditor(application, world.auditor2, world.staff)
    services.decline_assignment(first, world.auditor2, "In ferie ad agosto", conflict=False)
    second = services.assign_auditor(application, world.auditor3, world.staff)
    services.decline_assignment(second, world.auditor3, "Mio cognato è socio dell'azienda", conflict=True)
    assert [(c.auditor_id, c.company_id, c.source) for c in Conflict.query.all()] == [
        (world.auditor3.id, world.company.id, f"domanda n. {application.id}")]


def test_a_surveillance_assignment_needs_the_override_and_records_who_and_why(world, conflicted_review):
    with pytest.raises(RuleError, match="ha dichiarato un conflitto di interessi .* scrivi il motivo della deroga"):
        surveillance.assign(conflicted_review, world.auditor2, world.staff)

    surveillance.assign(conflicted_review, world.auditor2, world.staff, "Unico valutatore esperto di canali social; "
                                                                        "rapporto cessato da oltre un anno")

    assert conflicted_review.auditor_id == world.auditor2.id and conflicted_review.assignment_status == AssignmentStatus.PENDING
    assert conflicted_review.conflict_override.startswith("Unico valutatore")
    entry = AuditEntry.query.filter_by(action="bollino.conflict.override").one()
    assert entry.actor_id == world.staff.id and entry.changes["auditor"] == world.auditor2.email
    assert "social" in entry.changes["reason"]


def test_an_application_assignment_is_refused_then_made_with_the_reason_through_the_page(client, world, conflicted_review):
    application = world.submitted()
    sign_in(client, world.staff)

    refused = client.post(f"/bollino/domande/{application.id}/valutatori", data={"auditor": str(world.auditor2.id)},
                          follow_redirects=True)
    assert "ha dichiarato un conflitto di interessi" in refused.get_data(as_text=True)
    assert Assignment.query.filter_by(application_id=application.id).count() == 0
    page = client.get(f"/bollino/domande/{application.id}").get_data(as_text=True)
    assert "Conflitti dichiarati con questa azienda" in page and "Ho lavorato per l&#39;azienda fino al 2025" in page

    client.post(f"/bollino/domande/{application.id}/valutatori",
                data={"auditor": str(world.auditor2.id), "override_reason": "Conflitto cessato: verificato dal presidente"})
    assignment = Assignment.query.filter_by(application_id=application.id).one()
    assert assignment.auditor_id == world.auditor2.id and assignment.conflict_override.startswith("Conflitto cessato")
    assert "Incaricato in deroga" in client.get(f"/bollino/domande/{application.id}").get_data(as_text=True)


def test_another_company_needs_no_override(world, conflicted_review):
    other = world.open(world.other_company, world.other_applicant)
    world.fill(other, world.other_applicant)
    services.submit(other, world.other_applicant)
    assignment = services.assign_auditor(other, world.auditor2, world.staff)
    assert assignment.conflict_override == ""


def test_the_auditor_declines_a_surveillance_for_a_conflict_on_the_page(client, world, certificate):
    review = certificate.reviews[0]
    surveillance.open_now(review, world.staff)
    surveillance.assign(review, world.auditor3, world.staff)
    sign_in(client, world.auditor3)
    assert client.get(f"/bollino/sorveglianze/{review.id}").status_code == 302  # first the declaration
    response = client.post(f"/bollino/sorveglianze/{review.id}/dichiarazione",
                           data={"r-kind": "conflict", "r-reason": "Consulente dell'azienda nel 2026"})
    assert response.status_code == 302
    assert review.assignment_status == AssignmentStatus.DECLINED
    assert Conflict.query.one().auditor_id == world.auditor3.id
