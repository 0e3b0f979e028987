"""The world of the authorisation matrix: two member companies, A and B, each owning one object of
every kind, built with the modules' own services, and the users who play the matrix's roles."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from sqlalchemy import event
from werkzeug.datastructures import FileStorage

from portal.access import Role
from portal.certification import identity, nonconformities, proposals, scheme, surveillance
from portal.certification import services as certification
from portal.certification.consultation import access as consultation_access
from portal.certification.consultation import links as consultation_links
from portal.certification.consultation import services as consultation
from portal.certification.consultation.access import Participation
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.models import Certificate, EvidenceLink, IdentityChange, Outcome, ReviewEvidence, StatusCause
from portal.core import accessibility
from portal.extensions import db as _db
from portal.members import services as members
from portal.members import sessions as members_sessions
from portal.reshoring import issues
from portal.reshoring import services as reshoring
from portal.reshoring import services_invitations as invitations
from portal.reshoring import services_parties as parties
from portal.reshoring import services_roundtables as roundtables
from portal.tariffs import services as tariffs
from portal.tariffs.rates import Unit
from tests.certification.conftest import World as CertificationWorld
from tests.certification.conftest import pdf_upload
from tests.members.data import join_data, partita_iva
from tests.security import matrix
from tests.tariffs.files import csv_bytes


@dataclass
class MatrixWorld:
    users: dict[str, object]  # role name -> the user playing it (None: anonymous)
    values: dict[str, dict[str, object]]  # matrix.OWN / FOREIGN / SHARED -> world key -> value
    sessions: dict[str, dict[str, object]] = field(default_factory=dict)  # role name -> what its session holds besides the user

    def url_values(self, ownership: str) -> dict[str, object]:
        """What fills URL arguments: the company's objects over the shared ones (A's for routes
        whose answer does not depend on the company)."""
        return self.values[matrix.SHARED] | self.values[matrix.OWN if ownership == matrix.SHARED else ownership]


@dataclass
class Auditors:
    assigned: object  # X: declared no conflict on A's application
    conflict: object  # Y: declared a conflict of interest on A's application
    other: object  # W: audits company B and the earlier, granted applications
    staff: object
    decider: object  # a second staff member: who assigns does not decide


def _certification_objects(edition, company, applicant, admin, auditors: Auditors, is_a: bool) -> dict:
    """A granted certificate under surveillance, and a newer application under review."""
    flow = CertificationWorld(edition=edition, company=company, other_company=None, applicant=applicant,
                              company_admin=admin, other_applicant=None, auditor1=auditors.other, auditor2=None,
                              auditor3=None, staff=auditors.staff, staff2=auditors.decider)
    granted = flow.awaiting_decision(4)
    certification.decide(granted, auditors.decider, Outcome.GRANT, "ok", granted.version)
    certificate = Certificate.query.filter_by(company_id=company.id).one()
    held = identity.hold_company_changes(company, {"ragione_sociale": f"Nuovo nome di {company.ragione_sociale}"}, admin)
    change_id = IdentityChange.query.filter_by(company_id=company.id).one().id if held else None
    review = flow.surveillance_submitted(certificate, auditors.assigned if is_a else auditors.other)
    review_evidence = ReviewEvidence.query.filter_by(review_id=review.id).first()
    finding = nonconformities.raise_on_review(review, surveillance.key_parameters(review)[0], review.auditor, "major",
                                              "Registro reclami incompleto", "", date.today() + timedelta(days=30))
    nonconformities.answer(finding, applicant, "Registro completato", pdf_upload("registro.pdf"), "Registro")
    proposal = proposals.propose(certificate, StatusCause.REQUIREMENTS, "Segnalazione di un committente")
    _db.session.commit()

    application = flow.submitted()
    if is_a:
        assignment = certification.assign_auditor(application, auditors.assigned, auditors.staff)
        certification.declare_no_conflict(assignment, auditors.assigned, "nessun conflitto")
        declined = certification.assign_auditor(application, auditors.conflict, auditors.staff)
        certification.decline_assignment(declined, auditors.conflict, "conflitto di interessi: ex dipendente")
    else:
        assignment = certification.assign_auditor(application, auditors.other, auditors.staff)
        certification.declare_no_conflict(assignment, auditors.other, "nessun conflitto")
    link = EvidenceLink.query.filter_by(application_id=application.id).order_by(EvidenceLink.id).first()
    return {"application_id": application.id, "evidence_id": link.evidence_id, "link_id": link.id, "code": "A",
            "assignment_id": assignment.id, "certificate_id": certificate.id, "number": certificate.number,
            "review_id": review.id, "change_id": change_id, "review_evidence_id": review_evidence.evidence_id,
            "nc_id": finding.id, "suspension_proposal_id": proposal.id}


def _tariffs_objects(user) -> dict:
    check = tariffs.save_check(tariffs.RateInput("3", Decimal("0.5"), Unit.MINUTO, date(2019, 1, 1)), "INPS", None, user)
    upload = FileStorage(BytesIO(csv_bytes("riga_id;livello;tariffa;unita;data;aht_secondi", "A1;3;0,50;minuto;01/01/2019;")),
                         filename="listino.csv")
    batch = tariffs.create_batch(upload, user, "INPS", None)  # checked by the job right after the commit
    return {"check_id": check.id, "batch_id": batch.id}


def _reshoring_objects(company, admin) -> dict:
    proposal = reshoring.create_proposal({"title": f"Proposta di {company.ragione_sociale}", "summary": "Sintesi",
                                          "measure": "Misura", "addressees": ["mimit"], "fte_reshored": 100,
                                          "from_countries": ["AL"], "to_regions": ["Calabria"]}, admin)
    attachment = reshoring.add_attachment(proposal, pdf_upload("studio.pdf"), "Studio", admin)
    work = reshoring.save_work_abroad(company, None, {"country": "AL", "place": "Tirana", "client_sector": "telecom",
                                                      "fte": 50, "start_date": date(2025, 1, 10)}, admin)
    return {"proposal_id": proposal.id, "attachment_id": attachment.id, "work_id": work.id}


def _company_objects(edition, company, applicant, admin, colleague, auditors: Auditors, is_a: bool) -> dict:
    return {"company_id": company.id, "site_id": company.sites[0].id, "user_id": colleague.id} \
        | _certification_objects(edition, company, applicant, admin, auditors, is_a) \
        | _tariffs_objects(applicant) | _reshoring_objects(company, admin)


def _shared_objects(edition, staff, company_a, admin_a, smtp) -> dict:
    """The association's own objects, which no company owns."""
    area = edition.areas[0]
    decree, _ = tariffs.import_table_file(csv_bytes("livello;decorrenza;euro_minuto", "3;01/01/2018;0,4282"),
                                          tariffs.DecreeInfo("D.D. 123/2017", date(2017, 12, 29), source="Nota sindacale"))
    pending = tariffs.preview_import(csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,35"),
                                     tariffs.DecreeInfo("D.D. 1/2026", official=False), staff)
    request = members.request_membership(join_data(partita_iva=partita_iva(91), codice_fiscale=partita_iva(91)))
    invitation = members.invite("nuovo.collega@example.it", "Nuovo Collega", Role.APPLICANT, company_a, admin_a)
    reshoring.ensure_workflow()
    roundtable = roundtables.save_roundtable(None, {
        "title": "Tavolo MIMIT", "starts_at": datetime(2026, 3, 2, 10, 0), "ends_at": None, "place": "Roma",
        "link": "", "convening_body": "MIMIT", "description": ""}, staff)
    ministry = parties.save_organisation(None, {"kind": "ministero", "name": "MIMIT", "company_id": None})
    contact = parties.save_contact(ministry, None, {"name": "Marta Ministeri", "email": "tavoli@mimit.example.it", "role": ""})
    member = parties.save_organisation(None, {"kind": "outsourcer", "name": company_a.ragione_sociale, "company_id": company_a.id})
    party, _member_party = roundtables.add_parties(roundtable, [ministry, member])  # company A sits at the table, B does not
    item = roundtables.add_agenda_item(roundtable, None, "Credito d'imposta", "")
    action = roundtables.add_action(item, {"description": "Inviare i dati", "owner_id": ministry.id, "due_date": date(2026, 4, 1)})
    document = roundtables.add_document(roundtable, pdf_upload("convocazione.pdf"), "Convocazione", staff)
    figure = reshoring.save_figure(None, {"label": "Addetti", "value": Decimal(80000), "unit": "addetti", "year": 2024,
                                          "source": "Stime di settore", "kind": "riportato", "key": None, "note": ""})
    brief = reshoring.save_brief(None, {"title": "Dossier", "roundtable_id": roundtable.id, "position": "",
                                        "sections": ["sintesi", "normativa"], "addressees": "MIMIT"}, staff)
    reshoring.request_brief_pdf(brief, staff)  # built by its job right after the commit: the download has a file
    issue = issues.issue_brief(brief, staff)  # its files too
    invited = _invited_session(staff, ministry, smtp)
    report = accessibility.report_problem({"email": "lettore@example.it", "description": "Il menu non si apre da tastiera."})
    return {"edition_id": edition.id, "area_id": area.id, "parameter_id": area.parameters[0].id,
            "request_id": request.id, "invitation_token": members.invitation_token(invitation),
            "reset_token": members.reset_token(admin_a),
            "session_id": members_sessions.create(staff, "10.0.0.1", "browser dello staff", False)[0].id,
            "decree_id": decree.id, "import_id": pending.id, "dimension": "livello", "fmt": "csv",
            "roundtable_id": roundtable.id, "party_id": party.id, "item_id": item.id, "action_id": action.id,
            "organisation_id": ministry.id, "contact_id": contact.id,
            "document_id": document.id, "figure_id": figure.id, "brief_id": brief.id, "issue_id": issue.id, "issue_kind": "pdf",
            "state_id": reshoring.states()[0].id, "filename": "css/site.css", "report_id": report.id} | invited


def _consultation_objects(edition, staff, companies: dict, consultee) -> tuple[dict, dict]:
    """An open consultation on a draft: A and B, a consultation account and a link holder invited;
    a draft comment of A's and one of B's. Returns the URL values and the link holder's session."""
    draft = scheme.copy_edition(edition, staff)
    scheme.update_rules(draft, {f: getattr(draft, f) for f in scheme.RULE_FIELDS} | {"code": "2027"}, staff)
    opened = consultation.create(draft, {"opens_on": date.today(), "closes_on": date.today() + timedelta(days=30), "reminder_days": 5,
                                         "comments_visible": False, "introduction": ""}, staff)
    consultation.invite_companies(opened, [c.id for c, *_ in companies.values()], staff)
    consultation.invite_outsider(opened, {"organisation": "Sindacato", "kind": "union", "contact_name": "Ugo", "email": consultee.email,
                                          "access": "account"}, staff)
    holder = consultation.invite_outsider(opened, {"organisation": "Committente", "kind": "client", "contact_name": "Carla",
                                                   "email": "carla@committente.example.it", "access": "link"}, staff)
    consultation.launch(opened, staff)
    replaced = consultation_links.issue(holder)
    consultation_links.issue(holder)
    values = {matrix.SHARED: {"consultation_id": opened.id, "participant_id": holder.id, "replaced_consultation_token": replaced}}
    for key, (_company, applicant, admin, _colleague) in companies.items():
        participant = next(p for p in opened.participants if p.includes(admin))
        draft_comment = consultation.save_comment(opened, Participation(participant, applicant, applicant.name), None, {
            "target": "edition", "comment_type": "ge", "stance": "change", "text": "Da rivedere."})
        values[key] = {"comment_id": draft_comment.id}
    return values, {consultation_access.SESSION_KEY: [holder.id]}


def _invited_session(staff, ministry, smtp) -> dict:
    """An upcoming session the ministry's contact is invited to: the personal links of the e-mail, and a document."""
    upcoming = roundtables.save_roundtable(None, {
        "title": "Tavolo in programma", "starts_at": datetime.now() + timedelta(days=30), "ends_at": None, "place": "Roma",
        "link": "", "convening_body": "MIMIT", "description": ""}, staff)
    roundtables.add_parties(upcoming, [ministry])
    document = roundtables.add_document(upcoming, pdf_upload("ordine.pdf"), "Ordine del giorno", staff)
    invitations.send_invitations(upcoming, staff)
    # the links are sealed in the outbox and erased once sent: read them as the invitee does, from the e-mail
    message = next(m for m in smtp.messages if "Tavolo in programma" in m["Subject"])
    body = message.get_body(("plain",)).get_content()
    answer, access = (re.search(rf"/reshoring/{path}/(\S+)", body)[1] for path in ("invito", "seduta"))
    return {"answer_token": answer, "access_token": access, "guest_document_id": document.id}


@pytest.fixture
def matrix_world(app, make_company, make_user, smtp) -> MatrixWorld:
    """Companies A and B, each with an admin, an applicant and a colleague, and their objects."""
    with app.test_request_context():  # services build absolute links for their e-mails
        edition = ensure_starting_edition()
        _db.session.commit()
        staff = make_user(Role.STAFF, name="Stefano Staff")
        auditors = Auditors(assigned=make_user(Role.AUDITOR, name="Xenia Assegnata"),
                            conflict=make_user(Role.AUDITOR, name="Ylenia Conflitto"),
                            other=make_user(Role.AUDITOR, name="Walter Altro"),
                            staff=staff, decider=make_user(Role.STAFF, name="Silvia Decide"))
        people = {}
        for key, name in ((matrix.OWN, "Azienda A S.r.l."), (matrix.FOREIGN, "Azienda B S.p.A.")):
            company = make_company(name)
            people[key] = (company, make_user(Role.APPLICANT, company), make_user(Role.COMPANY_ADMIN, company),
                           make_user(Role.APPLICANT, company))
        company_a, _, admin_a, _ = people[matrix.OWN]
        values = {matrix.SHARED: _shared_objects(edition, staff, company_a, admin_a, smtp)}  # first: checks need the tables
        values |= {key: _company_objects(edition, *people[key], auditors, key == matrix.OWN) for key in people}
        consultee = make_user(Role.CONSULTEE, name="Ugo Sindacato")
        consulted, link_session = _consultation_objects(edition, staff, people, consultee)
        for key, found in consulted.items():
            values[key] |= found
        values[matrix.SHARED]["edition_code"] = edition.code
    users = {
        matrix.ANONYMOUS: None, matrix.APPLICANT: people[matrix.OWN][1], matrix.FOREIGN_ADMIN: people[matrix.FOREIGN][2],
        matrix.AUDITOR_UNASSIGNED: make_user(Role.AUDITOR, name="Zeno Libero"), matrix.AUDITOR_CONFLICT: auditors.conflict,
        matrix.AUDITOR_ASSIGNED: auditors.assigned, matrix.STAFF: staff, matrix.ADMIN: make_user(Role.ADMIN),
        matrix.CONSULTEE: consultee, matrix.LINK_HOLDER: None,
    }
    return MatrixWorld(users=users, values=values, sessions={matrix.LINK_HOLDER: link_session})


@pytest.fixture
def statements(app):
    """The SQL statements sent while the test runs, as text (in order)."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", listen)
    yield seen
    event.remove(_db.engine, "before_cursor_execute", listen)
