"""A small world for the Bollino Blu tests: the 2026 edition, two companies, auditors, staff,
and helpers that drive an application through its states with the real services."""

from dataclasses import dataclass
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from portal.access import Role
from portal.certification import services
from portal.certification.demo import DEMO_PDF, STRONG, answer_value
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.models import Outcome
from portal.extensions import db as _db


def pdf_upload(name: str = "durc.pdf", data: bytes = DEMO_PDF) -> FileStorage:
    return FileStorage(BytesIO(data), filename=name)


@dataclass
class World:
    edition: object
    company: object
    other_company: object
    applicant: object
    company_admin: object
    other_applicant: object
    auditor1: object
    auditor2: object
    auditor3: object
    staff: object
    staff2: object

    def open(self, company=None, user=None):
        company = company or self.company
        user = user or self.applicant
        return services.open_application(company, [s.id for s in company.sites], user)

    def fill(self, application, user=None, scores_for=None):
        """Answer every parameter and attach a PDF where evidence is required."""
        user = user or self.applicant
        entries = {p.id: {"value": answer_value(p, STRONG), "note": "", "version": ""} for p in application.edition.parameters}
        result = services.save_answers(application, user, entries)
        assert not result.errors and not result.conflicts, (result.errors, result.conflicts)
        for p in application.edition.parameters:
            if p.evidence_required:
                services.add_evidence(application, p, pdf_upload(f"{p.code}.pdf"), p.code, None, user)

    def submitted(self):
        application = self.open()
        self.fill(application)
        services.submit(application, self.applicant)
        return application

    def under_review(self, auditors=("auditor1",)):
        application = self.submitted()
        for name in auditors:
            auditor = getattr(self, name)
            assignment = services.assign_auditor(application, auditor, self.staff)
            services.declare_no_conflict(assignment, auditor, "nessun conflitto")
        return application

    def score_all(self, assignment, value=3, overrides=None):
        entries = {}
        scores = assignment.scores_for_round(assignment.application.round)
        for pid, score in scores.items():
            v = (overrides or {}).get(score.parameter.code, value)
            entries[pid] = {"score": str(v), "comment": "ok", "version": str(score.version)}
        result = services.save_scores(assignment, assignment.auditor, entries)
        assert not result.errors and not result.conflicts
        return result

    def awaiting_decision(self, value=3, overrides=None, auditors=("auditor1",)):
        application = self.under_review(auditors)
        for assignment in application.assignments:
            self.score_all(assignment, value, overrides)
            services.recommend(assignment, assignment.auditor, Outcome.GRANT, "sintesi", assignment.version)
        return application


@pytest.fixture
def request_context(app):
    """Services build absolute links (url_for) for their e-mails, as they do inside a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def world(db, make_company, make_user, request_context) -> World:
    edition = ensure_starting_edition()
    _db.session.commit()
    company = make_company("Qualità Voce S.r.l.", sites=2)
    other = make_company("Concorrente S.p.A.")
    return World(
        edition=edition, company=company, other_company=other,
        applicant=make_user(Role.APPLICANT, company, email="utente@qualita.it"),
        company_admin=make_user(Role.COMPANY_ADMIN, company, email="admin@qualita.it"),
        other_applicant=make_user(Role.APPLICANT, other, email="utente@concorrente.it"),
        auditor1=make_user(Role.AUDITOR, email="val1@assocontact.it", name="Valeria Uno"),
        auditor2=make_user(Role.AUDITOR, email="val2@assocontact.it", name="Vittorio Due"),
        auditor3=make_user(Role.AUDITOR, email="val3@assocontact.it", name="Vanessa Tre"),
        staff=make_user(Role.STAFF, email="staff@assocontact.it", name="Stefano Staff"),
        staff2=make_user(Role.STAFF, email="staff2@assocontact.it", name="Silvia Staff"),
    )
