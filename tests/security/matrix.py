"""Who gets what from every route of the portal: the one declaration of the authorisation matrix.

Each endpoint of `app.url_map` has a `Route` here; `test_authorization_matrix.py` fails for an
endpoint that is missing (deny by default: a new route must be declared). A cell is the status a
role gets: 200/302 (allowed, and how the page answers), LOGIN (anonymous sent to the login page),
403/404 (refused; 404 when even the object's existence must not leak). ALLOWED marks a POST the
role may send: its outcome is the module's own tests' business, so the matrix does not send it.

Roles: company A's applicant, company B's company admin, three auditors (not assigned; assigned to
A's application and then declared a conflict of interest; assigned, declared none, and reviewing
A's certificate), staff and admin; an outside party's consultation account and a visitor holding a
personal consultation link (both invited to the open consultation on the draft, as are A and B). Routes that name a company's object are tried with A's object
(OWN) and with B's (FOREIGN): `owned()` says what each role gets in both cases.
"""

from dataclasses import dataclass, field

ANONYMOUS, APPLICANT, FOREIGN_ADMIN = "anonymous", "applicant_A", "company_admin_B"
AUDITOR_UNASSIGNED, AUDITOR_CONFLICT, AUDITOR_ASSIGNED = "auditor_unassigned", "auditor_conflict", "auditor_assigned"
STAFF, ADMIN = "staff", "admin"
CONSULTEE, LINK_HOLDER = "consultee", "link_holder"
ROLES = (ANONYMOUS, APPLICANT, FOREIGN_ADMIN, AUDITOR_UNASSIGNED, AUDITOR_CONFLICT, AUDITOR_ASSIGNED, STAFF, ADMIN, CONSULTEE, LINK_HOLDER)
AUDITORS = (AUDITOR_UNASSIGNED, AUDITOR_CONFLICT, AUDITOR_ASSIGNED)

OWN, FOREIGN, SHARED = "own", "foreign", "shared"  # company A's objects, company B's, nobody's

LOGIN = "login"
ALLOWED = "allowed"
REFUSED = (LOGIN, 403, 404)


def everyone(anonymous=LOGIN, company=403, auditor=403, staff=403, applicant=None, company_admin=None, admin=None,
             consultee=None, link_holder=None) -> dict:
    """The same answer whatever object the URL names; applicant/company_admin refine `company`. A
    consultation account gets what an unassigned auditor gets, a link holder what anonymous gets,
    unless `consultee` / `link_holder` say otherwise."""
    return {ANONYMOUS: anonymous, APPLICANT: company if applicant is None else applicant,
            FOREIGN_ADMIN: company if company_admin is None else company_admin,
            **dict.fromkeys(AUDITORS, auditor), STAFF: staff, ADMIN: staff if admin is None else admin,
            CONSULTEE: auditor if consultee is None else consultee, LINK_HOLDER: anonymous if link_holder is None else link_holder}


@dataclass(frozen=True)
class Owned:
    """Answers that depend on whose object the URL names: A's (OWN) or B's (FOREIGN)."""

    own: dict
    foreign: dict


def owned(applicant, company_admin=None, stranger=404, stranger_applicant=None, auditor=403, conflict=None,
          assigned=None, staff=200, admin=None, anonymous=LOGIN, consultee=None, link_holder=None) -> Owned:
    """`applicant`/`company_admin`: what each gets on its own company's object; `stranger`: what
    B's admin gets on A's object (`stranger_applicant`: A's applicant on B's); `conflict` and
    `assigned`: what those auditors get on A's object (on B's they are unassigned auditors)."""
    company_admin = applicant if company_admin is None else company_admin
    common = everyone(anonymous=anonymous, auditor=auditor, staff=staff, admin=admin, consultee=consultee, link_holder=link_holder)
    own = common | {APPLICANT: applicant, FOREIGN_ADMIN: stranger,
                    AUDITOR_CONFLICT: auditor if conflict is None else conflict,
                    AUDITOR_ASSIGNED: auditor if assigned is None else assigned}
    foreign = common | {APPLICANT: stranger if stranger_applicant is None else stranger_applicant,
                        FOREIGN_ADMIN: company_admin}
    return Owned(own, foreign)


@dataclass(frozen=True)
class Route:
    get: dict | Owned | None = None
    post: dict | Owned | None = None
    args: dict[str, str] = field(default_factory=dict)  # URL argument -> world key, where the names differ


PUBLIC = everyone(200, 200, 200, 200)
PUBLIC_POST = everyone(ALLOWED, ALLOWED, ALLOWED, ALLOWED)
SIGNED_IN = everyone(company=200, auditor=200, staff=200)
SIGNED_IN_POST = everyone(company=ALLOWED, auditor=ALLOWED, staff=ALLOWED)
ANONYMOUS_ONLY = everyone(200, 302, 302, 302)
STAFF_ONLY = everyone(staff=200)
STAFF_POST = everyone(staff=ALLOWED)
ADMIN_ONLY = everyone(admin=200)
ADMIN_POST = everyone(admin=ALLOWED)
COMPANY_ONLY = everyone(company=200)
COMPANY_POST = everyone(company=ALLOWED)
COMPANY_AND_STAFF = everyone(company=200, staff=200)
COMPANY_AND_STAFF_POST = everyone(company=ALLOWED, staff=ALLOWED)
# an object of one company: its users and staff; other companies never learn it exists
OWN_COMPANY = owned(200)
# a Bollino Blu application in review: its company, staff, and the auditor who declared no conflict
APPLICATION_READER = owned(200, auditor=404, conflict=404, assigned=200)
# an audit assignment of auditor X: only X, company users are refused by their role
ASSIGNMENT_PAGE = owned(403, stranger=403, auditor=404, assigned=200, staff=404, consultee=403)
ASSIGNMENT_POST = owned(403, stranger=403, auditor=404, assigned=ALLOWED, staff=404, consultee=403)
# what an applicant edits in its own application; auditors and staff only read
APPLICANT_EDIT_POST = owned(ALLOWED, stranger=404, staff=403)
# what a company admin manages for its company, as staff do: the applicant is refused by role,
# another company's admin never learns the company's objects exist
COMPANY_ADMIN_PAGE = owned(403, 200, stranger_applicant=403)
COMPANY_ADMIN_POST = owned(403, ALLOWED, stranger_applicant=403, staff=ALLOWED)
# the shared roundtable: company A is a party (its users read it), company B is not (404: it does not learn it exists)
PARTY_A_ONLY = everyone(company=404, applicant=200, staff=200)
# a proposal draft of a company: its admin drafts, other companies get 404
DRAFT_EDIT_POST = owned(403, ALLOWED, stranger=404, stranger_applicant=403, staff=ALLOWED)
# the open consultation: A, B, the consultation account and the link holder take part; staff organise it
CONSULTATION_PAGE = everyone(company=200, auditor=404, staff=200, consultee=200, link_holder=200)
# what only the parties do (staff organise, they do not comment)
PARTY_PAGE = everyone(company=200, auditor=404, staff=404, consultee=200, link_holder=200)
PARTY_POST = everyone(company=ALLOWED, auditor=404, staff=404, consultee=ALLOWED, link_holder=ALLOWED)
# a draft comment of A's (OWN) or B's (FOREIGN) organisation: only its organisation
OWN_COMMENT_PAGE = owned(200, stranger=404, auditor=404, staff=404, consultee=404, link_holder=404)
OWN_COMMENT_POST = owned(ALLOWED, stranger=404, auditor=404, staff=404, consultee=404, link_holder=404)
# the report of a consultation still open: nobody reads it yet
NOT_YET = everyone(404, 404, 404, 404)

ROUTES = {
    # --- core ---
    "static": Route(get=PUBLIC),
    "core.index": Route(get=ANONYMOUS_ONLY),
    "health.healthz": Route(get=PUBLIC),
    "health.readyz": Route(get=PUBLIC),
    "health.prometheus": Route(get=everyone(404, 404, 404, 404)),  # no METRICS_TOKEN in the tests: no /metrics
    "core.home": Route(get=SIGNED_IN),
    "core.audit_log": Route(get=STAFF_ONLY),
    "core.outbox": Route(get=STAFF_ONLY),
    "core.retry_outbox": Route(post=STAFF_POST),
    "core.accessibility_statement": Route(get=PUBLIC),
    "core.report_accessibility": Route(get=PUBLIC, post=PUBLIC_POST),
    "core.accessibility_reports": Route(get=STAFF_ONLY),
    "core.handle_accessibility_report": Route(post=STAFF_POST),
    # --- members: accounts ---
    "members.login": Route(get=ANONYMOUS_ONLY, post=PUBLIC_POST),
    "members.logout": Route(post=SIGNED_IN_POST),
    "members.join": Route(get=PUBLIC, post=PUBLIC_POST),
    "members.forgot_password": Route(get=PUBLIC, post=PUBLIC_POST),
    "members.reset_password": Route(get=PUBLIC, post=PUBLIC_POST, args={"token": "reset_token"}),
    "members.accept_invitation": Route(get=PUBLIC, post=PUBLIC_POST, args={"token": "invitation_token"}),
    "members.set_language": Route(post=PUBLIC_POST),
    "members.profile": Route(get=SIGNED_IN, post=SIGNED_IN_POST),
    "members.change_password": Route(get=SIGNED_IN, post=SIGNED_IN_POST),
    # the login's second step: without a password checked first, back to the login (signed in: home)
    "members.login_code": Route(get=everyone(company=302, auditor=302, staff=302), post=PUBLIC_POST),
    "members.login_enrol": Route(get=everyone(company=302, auditor=302, staff=302), post=PUBLIC_POST),
    "members.security": Route(get=STAFF_ONLY),
    "members.security_enrol": Route(post=STAFF_POST),
    "members.new_recovery_codes": Route(post=STAFF_POST),
    "members.security_off": Route(post=STAFF_POST),
    "members.reset_second_factor": Route(post=ADMIN_POST),
    # one's own sessions (another person's session id ends nothing: tests/security/test_sessions.py)
    "members.user_sessions": Route(get=SIGNED_IN),
    "members.end_session": Route(post=SIGNED_IN_POST),
    "members.end_other_sessions": Route(post=SIGNED_IN_POST),
    "members.users": Route(get=ADMIN_ONLY),
    "members.edit_user": Route(get=ADMIN_ONLY, post=ADMIN_POST),
    "members.invite_staff": Route(post=ADMIN_POST),
    # --- members: requests and companies ---
    "members.requests": Route(get=STAFF_ONLY),
    "members.request_detail": Route(get=STAFF_ONLY),
    "members.approve_request": Route(post=STAFF_POST),
    "members.refuse_request": Route(post=STAFF_POST),
    "members.companies": Route(get=STAFF_ONLY),
    "members.change_state": Route(post=STAFF_POST),
    "members.my_company": Route(get=everyone(company=302)),
    "members.company": Route(get=OWN_COMPANY),
    "members.edit_company": Route(get=COMPANY_ADMIN_PAGE, post=COMPANY_ADMIN_POST),
    "members.new_site": Route(get=COMPANY_ADMIN_PAGE, post=COMPANY_ADMIN_POST),
    "members.edit_site": Route(get=COMPANY_ADMIN_PAGE, post=COMPANY_ADMIN_POST),
    "members.delete_site": Route(post=COMPANY_ADMIN_POST),
    "members.invite_colleague": Route(post=COMPANY_ADMIN_POST),
    "members.remove_colleague": Route(post=owned(403, ALLOWED, stranger=404, stranger_applicant=403, staff=403)),
    # --- certification: scheme (staff) ---
    "certification.editions": Route(get=STAFF_ONLY),
    "certification.edition": Route(get=STAFF_ONLY, post=STAFF_POST),
    "certification.copy_edition": Route(post=STAFF_POST),
    "certification.publish_edition": Route(post=STAFF_POST),
    # the 2026 edition is published: its scheme pages send staff back to the edition
    "certification.area_form": Route(get=everyone(staff=302), post=STAFF_POST),
    "certification.edit_area_scheme": Route(get=everyone(staff=302), post=STAFF_POST),
    "certification.delete_area": Route(post=STAFF_POST),
    "certification.parameter_form": Route(get=everyone(staff=302), post=STAFF_POST),
    "certification.edit_parameter": Route(get=everyone(staff=302), post=STAFF_POST),
    "certification.delete_parameter": Route(post=STAFF_POST),
    "certification.crosswalk_page": Route(get=STAFF_ONLY, post=STAFF_POST),
    # --- certification: applications ---
    "certification.applications": Route(get=everyone(company=200, auditor=200, staff=200, consultee=403)),
    "certification.new_application": Route(get=COMPANY_ONLY, post=COMPANY_POST),
    "certification.application": Route(get=APPLICATION_READER),
    # submitted: not editable any more, the company is sent back to the application
    "certification.edit_area": Route(get=owned(302, staff=403), post=APPLICANT_EDIT_POST),
    "certification.evidence_file": Route(get=APPLICATION_READER),
    "certification.unlink_evidence": Route(post=APPLICANT_EDIT_POST),
    "certification.submit_application": Route(post=APPLICANT_EDIT_POST),
    "certification.withdraw_application": Route(post=APPLICANT_EDIT_POST),
    "certification.application_sites": Route(get=owned(302, staff=403), post=APPLICANT_EDIT_POST),
    # the feedback report waits for the decision (A's and B's applications are under review)
    "certification.feedback": Route(get=owned(404, auditor=404, assigned=403, staff=404)),
    "certification.assign": Route(post=STAFF_POST),
    "certification.remove_assignment": Route(post=STAFF_POST),
    "certification.comparison": Route(get=STAFF_ONLY),
    "certification.decision": Route(get=STAFF_ONLY, post=STAFF_POST),
    "certification.dashboard": Route(get=STAFF_ONLY),
    # --- certification: audit ---
    "certification.declaration": Route(get=ASSIGNMENT_PAGE, post=ASSIGNMENT_POST),
    "certification.scoring": Route(get=ASSIGNMENT_PAGE, post=ASSIGNMENT_POST),
    "certification.recommend": Route(post=ASSIGNMENT_POST),
    "certification.review": Route(get=owned(403, stranger=403, auditor=404, assigned=200, consultee=403),
                                  post=owned(403, stranger=403, auditor=404, assigned=ALLOWED, staff=403, consultee=403)),
    # --- certification: yearly surveillance (A's is sent by the company and assigned to the declared auditor) ---
    "certification.review_declaration": Route(get=owned(403, stranger=403, auditor=404, assigned=200, staff=404, consultee=403),
                                              post=owned(403, stranger=403, auditor=404, assigned=ALLOWED, staff=404, consultee=403)),
    "certification.review_submission": Route(get=owned(200, staff=403), post=owned(ALLOWED, staff=403)),
    "certification.review_evidence_file": Route(get=owned(200, auditor=404, assigned=200, consultee=403),
                                                args={"evidence_id": "review_evidence_id"}),
    "certification.open_review": Route(post=STAFF_POST),
    "certification.assign_review": Route(post=STAFF_POST),
    "certification.dismiss_proposal": Route(post=STAFF_POST, args={"proposal_id": "suspension_proposal_id"}),
    # --- certification: non-conformities (A's, raised on its surveillance by the assigned auditor, answered) ---
    "certification.raise_application_finding": Route(post=owned(403, stranger=403, auditor=404, assigned=ALLOWED, staff=404,
                                                                consultee=403)),
    "certification.raise_review_finding": Route(post=owned(403, stranger=403, auditor=404, assigned=ALLOWED, staff=404, consultee=403)),
    "certification.nonconformity": Route(get=owned(200, auditor=404, assigned=200)),
    "certification.nonconformity_evidence": Route(get=owned(200, auditor=404, assigned=200)),
    "certification.answer_nonconformity": Route(post=owned(ALLOWED, staff=403)),
    "certification.verify_nonconformity": Route(post=owned(403, stranger=403, auditor=404, assigned=ALLOWED, staff=ALLOWED, consultee=403)),
    # --- certification: certificates and the public register ---
    "certification.certificates": Route(get=COMPANY_AND_STAFF),
    "certification.certificate": Route(get=OWN_COMPANY),
    "certification.certificate_download": Route(get=OWN_COMPANY),
    "certification.change_status": Route(post=STAFF_POST),
    "certification.register": Route(get=PUBLIC),
    "certification.register_json": Route(get=PUBLIC),
    "certification.verify": Route(get=PUBLIC),
    "certification.verify_json": Route(get=PUBLIC),
    "certification.signing_certificate": Route(get=PUBLIC),
    # --- certification: certified identity held for staff ---
    "certification.identity_changes": Route(get=STAFF_ONLY),
    "certification.approve_identity_change": Route(post=STAFF_POST),
    "certification.refuse_identity_change": Route(post=STAFF_POST),
    # --- certification: the scheme in the open ---
    "certification.public_scheme_current": Route(get=everyone(302, 302, 302, 302)),
    "certification.public_scheme": Route(get=PUBLIC, args={"code": "edition_code"}),
    "certification.public_scheme_pdf": Route(get=PUBLIC, args={"code": "edition_code"}),
    "certification.scheme_changes": Route(get=PUBLIC, args={"code": "edition_code"}),
    # --- certification: the consultation on the draft ---
    "certification.consultations": Route(get=everyone(company=200, staff=200, consultee=200)),
    # a replaced link (a valid one would make the anonymous visitor a link holder for the cells after it)
    "certification.consultation_link": Route(get=everyone(404, 404, 404, 404, consultee=404, link_holder=404),
                                             args={"token": "replaced_consultation_token"}),
    "certification.consultation": Route(get=CONSULTATION_PAGE),
    "certification.consultation_changes": Route(get=CONSULTATION_PAGE),
    "certification.new_comment": Route(get=PARTY_PAGE, post=PARTY_POST),
    "certification.edit_comment": Route(get=OWN_COMMENT_PAGE, post=OWN_COMMENT_POST),
    "certification.delete_comment": Route(post=OWN_COMMENT_POST),
    "certification.send_comments": Route(post=PARTY_POST),
    "certification.new_consultation": Route(get=STAFF_ONLY, post=STAFF_POST),
    "certification.consultation_settings": Route(get=STAFF_ONLY, post=STAFF_POST),
    "certification.delete_consultation": Route(post=STAFF_POST),
    "certification.invite_companies": Route(post=STAFF_POST),
    "certification.invite_outsider": Route(post=STAFF_POST),
    "certification.remove_participant": Route(post=STAFF_POST),
    "certification.resend_invitation": Route(post=STAFF_POST),
    "certification.launch_consultation": Route(post=STAFF_POST),
    "certification.consultation_comments": Route(get=STAFF_ONLY),
    "certification.answer_comment": Route(post=STAFF_POST),
    "certification.consultation_report": Route(get=NOT_YET),
    "certification.publish_report": Route(post=STAFF_POST),
    "certification.consultation_report_pdf": Route(get=NOT_YET),
    "certification.consultation_table": Route(get=NOT_YET),
    # --- tariffs ---
    "tariffs.calculator": Route(get=PUBLIC),
    "tariffs.save_check": Route(post=COMPANY_POST),
    "tariffs.history": Route(get=COMPANY_AND_STAFF),
    "tariffs.check_detail": Route(get=OWN_COMPANY),
    "tariffs.bulk_upload": Route(get=COMPANY_AND_STAFF, post=COMPANY_AND_STAFF_POST),
    "tariffs.batch_detail": Route(get=OWN_COMPANY),
    "tariffs.batch_columns": Route(get=owned(302, staff=302), post=owned(ALLOWED, staff=ALLOWED)),  # a checked batch: back to its page
    "tariffs.batch_status": Route(get=OWN_COMPANY),
    "tariffs.batch_results": Route(get=OWN_COMPANY),
    "tariffs.batch_pdf": Route(get=OWN_COMPANY),
    "tariffs.decrees": Route(get=STAFF_ONLY),
    "tariffs.decree_detail": Route(get=STAFF_ONLY),
    "tariffs.decree_chart": Route(get=STAFF_ONLY),
    "tariffs.compare": Route(get=STAFF_ONLY),
    "tariffs.import_table": Route(get=STAFF_ONLY, post=STAFF_POST),
    "tariffs.import_preview": Route(get=STAFF_ONLY),
    "tariffs.import_confirm": Route(post=STAFF_POST),
    "tariffs.import_discard": Route(post=STAFF_POST),
    "tariffs.uplift": Route(get=STAFF_ONLY, post=STAFF_POST),
    "tariffs.stats": Route(get=STAFF_ONLY),
    "tariffs.stats_chart": Route(get=STAFF_ONLY),
    "tariffs.stats_export": Route(get=STAFF_ONLY),
    # --- reshoring: work abroad ---
    "reshoring.work_list": Route(get=COMPANY_AND_STAFF),
    "reshoring.new_work": Route(get=COMPANY_ONLY, post=COMPANY_POST),
    "reshoring.edit_work": Route(get=OWN_COMPANY, post=owned(ALLOWED, staff=ALLOWED)),
    "reshoring.delete_work": Route(post=owned(ALLOWED, staff=ALLOWED)),
    "reshoring.edit_profile": Route(get=COMPANY_ONLY, post=COMPANY_POST),
    # --- reshoring: proposals (A's and B's are drafts) ---
    "reshoring.proposals": Route(get=COMPANY_AND_STAFF),
    "reshoring.new_proposal": Route(get=everyone(company_admin=200, staff=200),
                                    post=everyone(company_admin=ALLOWED, staff=ALLOWED)),
    "reshoring.proposal": Route(get=OWN_COMPANY),
    "reshoring.edit_proposal": Route(get=owned(403, 200, stranger_applicant=403), post=DRAFT_EDIT_POST),
    "reshoring.attachment": Route(get=owned(200, auditor=404, anonymous=404)),
    "reshoring.add_attachment": Route(post=DRAFT_EDIT_POST),
    "reshoring.remove_attachment": Route(post=DRAFT_EDIT_POST),
    # a draft cannot be supported, not even by its own company
    "reshoring.support": Route(get=owned(403, stranger=404, stranger_applicant=403, staff=403),
                               post=owned(403, stranger=404, stranger_applicant=403, staff=403)),
    "reshoring.withdraw_support": Route(post=owned(403, 404, stranger=404, stranger_applicant=403, staff=403)),  # none to withdraw
    "reshoring.support_consent": Route(post=owned(403, 404, stranger=404, stranger_applicant=403, staff=403)),  # no support to consent on
    "reshoring.change_state": Route(post=STAFF_POST),
    "reshoring.set_public": Route(post=STAFF_POST),
    "reshoring.public_proposals": Route(get=PUBLIC),
    "reshoring.public_proposal": Route(get=owned(404, auditor=404, staff=404, anonymous=404)),
    # --- reshoring: roundtables, briefs, figures, workflow (staff) ---
    "reshoring.roundtables": Route(get=COMPANY_AND_STAFF),  # a company sees the sessions it is a party to
    "reshoring.roundtables_ics": Route(get=COMPANY_AND_STAFF),
    "reshoring.roundtable": Route(get=PARTY_A_ONLY),
    "reshoring.roundtable_ics": Route(get=PARTY_A_ONLY),
    "reshoring.comment_minutes": Route(post=everyone(company=404, applicant=ALLOWED, staff=403)),
    "reshoring.circulate_minutes": Route(post=STAFF_POST),
    "reshoring.approve_minutes": Route(post=STAFF_POST),
    "reshoring.reopen_minutes": Route(post=STAFF_POST),
    "reshoring.edit_roundtable": Route(get=STAFF_ONLY, post=STAFF_POST),
    "reshoring.send_invitations": Route(post=STAFF_POST),
    # --- reshoring: what an invited person opens from the e-mail, without an account (personal links) ---
    "reshoring.answer_invitation": Route(get=PUBLIC, post=PUBLIC_POST, args={"token": "answer_token"}),
    "reshoring.party_view": Route(get=PUBLIC, args={"token": "access_token"}),
    "reshoring.guest_ics": Route(get=PUBLIC, args={"token": "access_token"}),
    "reshoring.guest_document": Route(get=PUBLIC, args={"token": "access_token", "document_id": "guest_document_id"}),
    "reshoring.guest_comment": Route(post=PUBLIC_POST, args={"token": "access_token"}),
    "reshoring.add_party": Route(post=STAFF_POST),
    "reshoring.remove_party": Route(post=STAFF_POST),
    "reshoring.attendance": Route(post=STAFF_POST),
    "reshoring.add_agenda_item": Route(post=STAFF_POST),
    "reshoring.remove_agenda_item": Route(post=STAFF_POST),
    "reshoring.record_outcome": Route(post=STAFF_POST),
    "reshoring.save_minutes": Route(post=STAFF_POST),
    "reshoring.add_document": Route(post=STAFF_POST),
    "reshoring.document": Route(get=PARTY_A_ONLY),
    "reshoring.actions": Route(get=STAFF_ONLY),
    "reshoring.add_action": Route(post=STAFF_POST),
    "reshoring.action": Route(get=STAFF_ONLY, post=STAFF_POST),
    "reshoring.organisations": Route(get=STAFF_ONLY),
    "reshoring.organisation": Route(get=STAFF_ONLY),
    "reshoring.edit_organisation": Route(get=STAFF_ONLY, post=STAFF_POST),
    "reshoring.add_contact": Route(post=STAFF_POST),
    "reshoring.edit_contact": Route(get=STAFF_ONLY, post=STAFF_POST),
    "reshoring.deactivate_contact": Route(post=STAFF_POST),
    "reshoring.briefs": Route(get=STAFF_ONLY),
    "reshoring.edit_brief": Route(get=STAFF_ONLY, post=STAFF_POST),
    "reshoring.brief_preview": Route(get=STAFF_ONLY),
    "reshoring.brief_pdf_request": Route(post=STAFF_POST),
    "reshoring.brief_pdf_status": Route(get=STAFF_ONLY),
    "reshoring.brief_pdf_download": Route(get=STAFF_ONLY),
    "reshoring.brief_xlsx": Route(get=STAFF_ONLY),
    "reshoring.issue_brief": Route(post=STAFF_POST),
    "reshoring.issue_status": Route(get=STAFF_ONLY),
    "reshoring.issued_file": Route(get=STAFF_ONLY, args={"kind": "issue_kind"}),
    "reshoring.figures": Route(get=STAFF_ONLY),
    "reshoring.edit_figure": Route(get=STAFF_ONLY, post=STAFF_POST),
    "reshoring.delete_figure": Route(post=STAFF_POST),
    "reshoring.states": Route(get=STAFF_ONLY),
    "reshoring.edit_state": Route(get=STAFF_ONLY, post=STAFF_POST),
}
