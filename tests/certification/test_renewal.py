"""Renewal: asked from six months before expiry, it starts from the certificate's answers "da
confermare" (never 100 % complete until confirmed) and its valid evidence; under a newer edition
the crosswalk staff defined carries over what still applies and flags what must be answered anew."""

from datetime import date, timedelta

import pytest

from portal.certification import certificates as lifecycle
from portal.certification import crosswalk, scheme, services, surveillance
from portal.certification.models import AppState, Certificate, CertStatus, Outcome
from portal.extensions import db
from portal.rules import RuleError
from tests.certification.conftest import define_proposed_crosswalk, pdf_upload
from tests.certification.test_scheme import PARAM
from tests.sessions import sign_in


@pytest.fixture
def certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.DISTINCTION, "ok", application.version)
    return Certificate.query.one()


def expiring_in(certificate, days: int) -> Certificate:
    certificate.expires_on = date.today() + timedelta(days=days)
    certificate.issued_on = certificate.expires_on - timedelta(days=3 * 365)
    db.session.commit()
    return certificate


def renew(world, certificate):
    return services.open_application(world.company, [s.id for s in certificate.sites], world.applicant, renewal_of=certificate)


def test_renewal_is_offered_from_six_months_before_expiry_to_six_months_after(client, world, certificate):
    expiring_in(certificate, 200)
    with pytest.raises(RuleError, match="Il rinnovo si chiede dal"):
        renew(world, certificate)
    sign_in(client, world.applicant)
    assert "Chiedi il rinnovo" not in client.get("/bollino/domande").get_data(as_text=True)
    page = client.get(f"/bollino/certificati/{certificate.id}").get_data(as_text=True)
    assert "Il rinnovo si chiede dal" in page and "Chiedi il rinnovo" not in page

    expiring_in(certificate, -181)
    with pytest.raises(RuleError, match="più di sei mesi dalla scadenza"):
        renew(world, certificate)

    expiring_in(certificate, 170)
    assert "Chiedi il rinnovo" in client.get("/bollino/domande").get_data(as_text=True)
    renewal = renew(world, certificate)
    assert renewal.renewal_of_id == certificate.id
    assert lifecycle.renewal_refusal(certificate) == "C'è già una domanda di rinnovo aperta per questo certificato."
    assert "Chiedi il rinnovo" not in client.get("/bollino/domande").get_data(as_text=True)


def test_a_withdrawn_certificate_is_not_renewed(world, certificate):
    expiring_in(certificate, 30)
    lifecycle.change_status(certificate, CertStatus.WITHDRAWN, "requirements", "revoca", world.staff)
    with pytest.raises(RuleError, match="revocato non si rinnova"):
        renew(world, certificate)


def test_carried_answers_are_to_confirm_and_the_renewal_is_not_complete_until_confirmed(client, world, certificate):
    expired = next(e for e in services.reusable_evidence(world.company.id) if e.title == "A3")
    expired.expires_on = date.today() - timedelta(days=2)
    expiring_in(certificate, 60)
    renewal = renew(world, certificate)

    assert len(renewal.answers) == len(certificate.application.answers) and all(a.carried_over for a in renewal.answers)
    missing = [m.text for m in services.submission_missing(renewal)]
    assert "A3: manca la prova documentale" in missing  # every other document carried over
    assert "C1: risposta riportata dal certificato precedente, da confermare" in missing
    assert not any(p.complete for p in services.answer_rules.progress(renewal))  # no area is "100 %" yet

    sign_in(client, world.applicant)
    area = client.get(f"/bollino/domande/{renewal.id}/aree/C").get_data(as_text=True)
    assert "da confermare" in area and "Confermo: vale ancora" in area
    c_params = [p for p in renewal.edition.areas[2].parameters]
    answers = {a.parameter_id: a for a in renewal.answers}
    form = {f"version_{p.id}": str(answers[p.id].version) for p in c_params if p.id in answers}
    form |= {f"value_{p.id}": answers[p.id].value for p in c_params if p.id in answers}
    form |= {f"confirm_{p.id}": "1" for p in c_params if p.code != "C2"}
    form[f"value_{c_params[2].id}"] = "4.1"  # C3 changed: confirmed by the change itself
    assert client.post(f"/bollino/domande/{renewal.id}/aree/C", data=form).status_code == 302
    db.session.expire_all()
    still = {a.parameter.code for a in renewal.answers if a.carried_over}
    assert "C2" in still and not still & {"C1", "C3", "C4", "C5", "C6"}
    assert next(a for a in renewal.answers if a.parameter.code == "C3").value == "4.1"


def test_the_renewal_grant_replaces_the_old_certificate(world, certificate):
    expiring_in(certificate, 60)
    renewal = renew(world, certificate)
    carried = {a.parameter_id for a in renewal.answers}
    for area in renewal.edition.areas:
        assert services.save_area(renewal, area, world.applicant, {}, {}, {}, confirmed=carried).complete
    for p in renewal.edition.parameters:
        if p.code == "A3":
            services.add_evidence(renewal, p, world_pdf(), "DURC", None, world.applicant)
    services.submit(renewal, world.applicant)
    assignment = services.assign_auditor(renewal, world.auditor2, world.staff)
    services.declare_no_conflict(assignment, world.auditor2, "ok")
    world.score_all(assignment, 4)
    services.recommend(assignment, world.auditor2, Outcome.GRANT, "ok", assignment.version)
    services.decide(renewal, world.staff, Outcome.GRANT, "rinnovo", renewal.version)
    assert renewal.state == AppState.GRANTED
    assert certificate.status == CertStatus.EXPIRED and "Sostituito" in certificate.status_reason
    new = Certificate.query.filter(Certificate.id != certificate.id).one()
    assert new.number in lifecycle.statements.public_statement(certificate)


def world_pdf():
    return pdf_upload("durc.pdf")


@pytest.fixture
def edition_2027(world):
    """A newer edition: C1 asked as a count of calls instead of a percentage (not carried), G1 new."""
    draft = scheme.copy_edition(world.edition, world.staff)
    c1 = next(p for p in draft.parameters if p.code == "C1")
    scheme.save_parameter(c1.area, c1, {**PARAM, "code": "C1", "question": "Chiamate risposte entro 20 secondi (numero)",
                                        "unit": "chiamate", "target": 1000}, world.staff)
    scheme.save_parameter(draft.areas[5], None, PARAM, world.staff)
    scheme.update_rules(draft, {"code": "2027", "title": "Bollino Blu 2027", "notes": "", "illustrative": True, "scale_max": 4,
                                "grant_threshold": 70, "distinction_threshold": 85, "mandatory_min_score": 3}, world.staff)
    define_proposed_crosswalk(draft, world.staff)
    scheme.publish(draft, world.staff, waiver="Prova")
    return draft


def test_the_proposed_crosswalk_carries_what_kept_its_meaning(world, certificate, edition_2027):
    rows = {r.parameter.code: r for r in crosswalk.rows(edition_2027)}
    assert rows["A1"].source.code == "A1" and rows["A1"].carry
    assert rows["C1"].source.code == "C1" and not rows["C1"].carry  # its unit changed
    assert rows["G1"].source is None and not rows["G1"].carry


def test_a_renewal_on_a_newer_edition_carries_what_applies_and_flags_the_rest(client, world, certificate, edition_2027):
    expiring_in(certificate, 60)
    renewal = renew(world, certificate)
    assert renewal.edition_id == edition_2027.id
    carried = {a.parameter.code for a in renewal.answers}
    assert "A1" in carried and "C2" in carried and "C1" not in carried and "G1" not in carried
    missing = [m.text for m in services.submission_missing(renewal)]
    assert "C1: manca la risposta" in missing and "G1: manca la risposta" in missing
    sign_in(client, world.applicant)
    area = client.get(f"/bollino/domande/{renewal.id}/aree/C").get_data(as_text=True)
    assert "parametro nuovo o cambiato in questa edizione: rispondi di nuovo" in area


def test_a_surveillance_on_a_newer_edition_shows_the_certified_figures_through_the_crosswalk(world, certificate, edition_2027):
    review = certificate.reviews[0]
    surveillance.open_now(review, world.staff)
    assert review.edition_id == edition_2027.id and certificate.edition.code == "2026"
    certified = surveillance.certified_answers(review)
    assert certified["C2"] == next(a.value for a in certificate.application.answers if a.parameter.code == "C2")
    assert "C1" not in certified  # asked anew in 2027
