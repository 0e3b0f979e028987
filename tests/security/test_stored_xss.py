"""Stored XSS: every text a user can save comes back escaped on every page that shows it.

Each case names a form class, who may post it, the page that holds the form and the pages that
show what it saved. The test reads the form from that page (so the other fields keep their
current values), puts a payload in one text field, posts it through the real view, then opens
the pages: the payload must never be live HTML (no inline script, no `on...=` handler, no
`javascript:` link) and its marker must be visible somewhere (so it was stored and shown).

`test_every_text_field_of_every_form_is_covered` walks the form classes of portal/*/forms.py:
a new text field without a case (or an exemption with its reason) fails the suite.

The demo data (`flask --app portal demo`) is loaded once for this file: the cases write into it.
"""

import importlib
import importlib.util
import inspect
import itertools
import pkgutil
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from io import BytesIO

import pytest
from flask import current_app, request_started
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import Length

import portal
from portal import create_app
from portal.access import Role
from portal.certification import nonconformities, proposals, scheme, surveillance
from portal.certification import services as certification_services
from portal.certification.consultation import services as consultation_services
from portal.certification.consultation.access import Participation
from portal.certification.consultation.models import Comment, Consultation, ConsultationState
from portal.certification.consultation.models import Phase as ConsultationPhase
from portal.certification.demo import DEMO_PDF
from portal.certification.models import (
    Application,
    AppState,
    Area,
    Assignment,
    AssignmentStatus,
    Certificate,
    CertStatus,
    ChangeRequest,
    ChangeStatus,
    Edition,
    EditionStatus,
    IdentityChange,
    NCStatus,
    NonConformity,
    Parameter,
    ParameterKind,
    ProposalStatus,
    ReviewStatus,
    StatusCause,
    SurveillanceReview,
    SuspensionProposal,
)
from portal.certification.scheme import copy_edition
from portal.core.forms import AccessibilityReportForm
from portal.database import utcnow
from portal.demo import seed_all
from portal.extensions import db
from portal.members.models import Company, MembershipRequest, MembershipState, RequestStatus, User
from portal.members.recipients import company_users
from portal.reshoring import services_invitations, services_parties
from portal.reshoring.models import (
    AgendaItem,
    Brief,
    FollowUpAction,
    Organisation,
    Proposal,
    ProposalState,
    Roundtable,
    SectorFigure,
    WorkAbroad,
)
from portal.rules import RuleError
from tests.certification.conftest import World, define_proposed_crosswalk
from tests.conftest import _forget_request_caches, empty_all_tables, make_test_config, valid_partita_iva
from tests.sessions import sign_in

# --- the payloads ------------------------------------------------------------------------------

# Longest first: a field gets the longest one its maximum length allows.
VECTORS = (
    '"><svg onload=alert(1)><script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))',
    "<script>alert(1)</script>[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg onload=1>",
)
_tokens = itertools.count(100)


def payload_for(form_class, name: str) -> str:
    """A unique marker and the longest attack that fits the field."""
    token = f"q{next(_tokens)}"
    validators = getattr(form_class, name).kwargs.get("validators") or ()
    limit = min((v.max for v in validators if isinstance(v, Length) and v.max > 0), default=100_000)
    fitting = [token + vector for vector in VECTORS if len(token + vector) <= limit]
    assert fitting, f"{name}: max {limit} characters cannot hold a payload; exempt it with a reason"
    return fitting[0]


# --- what "never live HTML" means -----------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class LiveScriptFinder(HTMLParser):
    """Collects anything in a page that would run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().replace("\t", "").startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and not dict(attrs).get("src"):
            self.found.append("<script> without src")
        if tag in ("object", "embed"):  # (iframes show the portal's own checked PDFs)
            self.found.append(f"<{tag}>")


def assert_no_live_payload(response, payload: str, where: str) -> None:
    body = response.get_data(as_text=True)
    assert payload not in body, f"{where}: the payload is in the page unescaped"
    if response.mimetype == "image/svg+xml":
        tree = ET.fromstring(body)  # well-formed: nothing broke out of a text node
        scripts = [e.tag for e in tree.iter() if e.tag.endswith("script") or any(a.startswith("on") for a in e.attrib)]
        assert not scripts, f"{where}: {scripts}"
        return
    if response.mimetype != "text/html":
        return
    finder = LiveScriptFinder()
    finder.feed(body)
    assert not finder.found, f"{where}: {finder.found}"


# --- reading a form from its page -----------------------------------------------------------------

class FormReader(HTMLParser):
    """The action and current values of the <form> holding a given field, as a browser would post it."""

    def __init__(self, field_name: str):
        super().__init__(convert_charrefs=True)
        self.field_name = field_name
        self.forms: list[tuple[str, list[tuple[str, str]], set[str]]] = []
        self._open: tuple[str, list, set] | None = None
        self._textarea: str | None = None
        self._select: tuple[str, list, bool, bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = (a.get("action") or "", [], set())
            return
        if self._open is None:
            return
        _, pairs, names = self._open
        name = a.get("name")
        if name:
            names.add(name)
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            pairs.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            pairs.append((name, ""))
        elif tag == "select" and name:
            self._select = (name, [], "multiple" in a, "required" in a)
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None and self._open is not None:
            pairs = self._open[1]
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea is not None and self._open is not None:  # the browser drops the first newline
                pairs = self._open[1]
                pairs[-1] = (pairs[-1][0], pairs[-1][1].removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._open is not None:
            name, options, multiple, required = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            real = [value for value, _ in options if value]
            if required and chosen == [""] and real:  # a required select starts empty: a person picks an option
                chosen = [real[0]]
            self._open[1].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "form" and self._open is not None:
            self.forms.append(self._open)
            self._open = None

    def form(self, expected: set[str]) -> tuple[str, MultiDict]:
        """The form holding the field that has most of the expected names (the last on a tie:
        a page's own GET form comes before its save form)."""
        holding = [(len(names & expected), n, action, pairs) for n, (action, pairs, names) in enumerate(self.forms)
                   if self.field_name in names]
        assert holding, f"no form with a field named {self.field_name}"
        _, _, action, pairs = max(holding)
        return action, MultiDict(pairs)


def messages(response) -> list[str]:
    """The error and flash messages of a page, to say why a post was refused."""
    return re.findall(r'class="(?:invalid-feedback[^"]*|alert[^"]*)"[^>]*>\s*([^<]+)', response.get_data(as_text=True))


def read_form(html: str, field_name: str, expected: set[str]) -> tuple[str, MultiDict]:
    reader = FormReader(field_name)
    reader.feed(html)
    return reader.form(expected)


# --- the world -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_app(_schema, database_url, smtp_server, tmp_path_factory):
    """One app with the demo data for the whole file (loading it takes seconds)."""
    # Every case posts from the same address: the membership request's rate limit has its own tests.
    app = create_app(make_test_config(database_url, smtp_server[1], tmp_path_factory.mktemp("xss"))
                     | {"JOIN_RATE_LIMIT": "1000 per hour"})
    _mailbox.append(smtp_server[0])
    request_started.connect(_forget_request_caches, app)
    with app.app_context():
        with app.test_request_context():
            seed_all()
        yield app
        db.session.rollback()
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


_mailbox = []  # the SMTP sink, for the links the e-mails carry


def first(statement):
    found = db.session.scalars(statement.limit(1)).first()
    assert found is not None, f"the demo data has nothing for {statement}"
    return found


def user_id(email: str) -> int:
    return first(select(User).where(User.email == email)).id


def client_for(app, email: str | None):
    client = app.test_client()
    sign_in(client, first(select(User).where(User.email == email)) if email else None)
    return client


def pdf_file():
    return (BytesIO(DEMO_PDF), "allegato.pdf")


def csv_table_file():
    return (BytesIO(b"livello;decorrenza;euro_minuto\n3;01/01/2030;0,5000\n"), "tabella.csv")


def csv_rates_file():
    return (BytesIO(b"id;livello;data;tariffa_minuto\nR1;3;01/01/2024;0,9000\n"), "listino.csv")


ADMIN, STAFF, AUDITOR = "admin@assocontact.demo", "staff@assocontact.demo", "valutatore1@assocontact.demo"
COMPANY_ADMIN, COMPANY_USER = "admin@voce.demo", "utente@voce.demo"


def voce() -> Company:
    return first(select(Company).join(User).where(User.email == COMPANY_ADMIN))


def draft_edition() -> Edition:
    """A draft edition staff can edit. A draft whose consultation is reported is frozen until published:
    the demo's (2027) is published; one the cases below left unpublishable (an empty area) is discarded."""
    staff = db.session.get(User, user_id(STAFF))
    draft = db.session.scalars(select(Edition).where(Edition.status == EditionStatus.DRAFT)).first()
    if draft is not None and draft.consultation and draft.consultation.current_phase == ConsultationPhase.REPORTED:
        try:
            define_proposed_crosswalk(draft, staff)
            scheme.publish(draft, staff)
        except RuleError:
            db.session.rollback()
            db.session.delete(draft.consultation)
            db.session.delete(draft)
            db.session.commit()
        draft = None
    if draft is None:
        draft = copy_edition(scheme.current_edition(), staff)
    return draft


def publishable_draft() -> Edition:
    """A draft with a final code, its crosswalk and no consultation, which staff may publish with a public reason."""
    draft = with_final_code(draft_edition())
    define_proposed_crosswalk(draft, db.session.get(User, user_id(STAFF)))
    return draft


def with_final_code(draft: Edition) -> Edition:
    """A copied draft gets its own code (needed to publish it, or to launch its consultation)."""
    if draft.has_provisional_code:
        rules = {f: getattr(draft, f) for f in scheme.RULE_FIELDS} | {"code": f"X{next(_tokens)}"}
        scheme.update_rules(draft, rules, db.session.get(User, user_id(STAFF)))
    return draft




# --- the cases -----------------------------------------------------------------------------------

@dataclass
class Case:
    form: type
    user: str | None                     # who may post it (None: anyone)
    page: Callable[[], str]              # the page holding the form
    shows: Callable[[], list[str]]       # the pages that show what was saved (plus where the post redirects)
    fields: tuple[str, ...]              # the text fields this case covers
    prefix: Callable[[], str] = str      # the form's prefix on its page
    defaults: Callable[[], dict] = dict  # values a new, empty form needs to be valid
    files: Callable[[], dict] = dict     # uploads the form needs
    wrap: Callable[[str], str] = str     # how the payload sits in the field (e.g. one line of several)
    then: Callable = lambda client, response: []  # a further step (e.g. confirm), returning more pages to open
    refused: dict[str, str] = field(default_factory=dict)  # fields whose validation refuses any payload: why
    viewer: str | None = None            # who opens the pages, when not the poster


def _id(obj) -> int:
    return obj.id


def membership_defaults() -> dict:
    piva = valid_partita_iva(next(_tokens) + 5000)
    return {"partita_iva": piva, "codice_fiscale": piva, "pec": "nuova@pec.example.it", "cap": "00100",
            "provincia": "RM", "regione": "Lazio", "contact_email": "referente@example.it", "privacy": "y",
            "ragione_sociale": "Nuova Voce S.r.l.", "indirizzo": "Via Roma 1", "comune": "Roma", "contact_name": "Rita Rossi"}


def latest_request() -> MembershipRequest:
    return first(select(MembershipRequest).order_by(MembershipRequest.id.desc()))


def pending_request() -> MembershipRequest:
    return first(select(MembershipRequest).where(MembershipRequest.status == RequestStatus.PENDING))


def proposal() -> Proposal:
    return first(select(Proposal).where(Proposal.public.is_(True)).order_by(Proposal.id))


def roundtable() -> Roundtable:
    return first(select(Roundtable).order_by(Roundtable.id))


def agenda_item() -> AgendaItem:
    return first(select(AgendaItem).where(AgendaItem.roundtable_id == roundtable().id))


def minutes_in_review() -> Roundtable:
    """A session whose draft minutes the parties may comment on (the demo has one, Voce Chiara among its parties)."""
    return first(select(Roundtable).where(Roundtable.minutes_status == "in_revisione"))


def organisation() -> Organisation:
    return first(select(Organisation).order_by(Organisation.id))


def follow_up_action() -> FollowUpAction:
    return first(select(FollowUpAction).order_by(FollowUpAction.id))


def undecided_item() -> AgendaItem:
    """A proposal on the agenda of a past session, with no outcome yet."""
    found = db.session.scalars(select(AgendaItem).join(Roundtable).where(
        Roundtable.starts_at < utcnow(), AgendaItem.proposal_id.is_not(None), AgendaItem.outcome_state_id.is_(None))).first()
    if found is None:
        past = first(select(Roundtable).where(Roundtable.starts_at < utcnow()))
        found = AgendaItem(roundtable_id=past.id, proposal_id=proposal().id, position=99)
        db.session.add(found)
        db.session.commit()
    return found


_emails: list[str] = []


def new_email() -> str:
    _emails.append(f"invitato{next(_tokens)}@example.it")
    return _emails[-1]


def invitation_page(client, response) -> list[tuple[str, None]]:
    """The page the invited person opens from the e-mail: it shows the name, to be confirmed."""
    body = _mailbox[-1].to(_emails[-1])[-1].get_content()
    return [(re.search(r"https?://[^/\s]+(/invito/\S+)", body).group(1), None)]


def confirm_import(client, response) -> list[str]:
    """Staff confirm the previewed table: the decree's own page shows its title and source."""
    confirmed = client.post(f"{response.location}/conferma")
    assert confirmed.status_code == 302, messages(confirmed)
    return [confirmed.location, "/tariffe/tabelle"]


def other_company() -> Company:
    return first(select(Company).where(Company.membership_state == MembershipState.ACTIVE, Company.id != voce().id))


def parameter_of_kind(kind: ParameterKind) -> Parameter:
    return first(select(Parameter).join(Area).where(Area.edition_id == draft_edition().id, Parameter.kind == kind))


def in_request(make):
    """Services build absolute links for their e-mails, as they do inside a request."""
    def run(*args):
        with current_app.test_request_context():
            return make(*args)

    return run


@in_request
def answer_page() -> str:
    """A fresh answer link (each works once): a new contact of a party of the upcoming demo session is invited."""
    upcoming = first(select(Roundtable).where(Roundtable.starts_at > utcnow()).order_by(Roundtable.starts_at))
    email = new_email()
    services_parties.save_contact(upcoming.parties[0].organisation, None, {"name": "Ospite Invitato", "email": email, "role": ""})
    services_invitations.send_invitations(upcoming, None)
    body = _mailbox[-1].to(email)[-1].get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/reshoring/invito/\S+)", body).group(1)


def upcoming_session() -> str:
    return f"/reshoring/tavoli/{first(select(Roundtable).where(Roundtable.starts_at > utcnow()).order_by(Roundtable.starts_at)).id}"


_remembered = []


def remember(obj):
    """Keep the object a form page was built for: after the post, the query that found it may find another."""
    _remembered.append(obj)
    return obj


def remembered():
    return _remembered[-1]


@in_request
def certification_world(company: Company) -> World:
    """The certification tests' helpers, driving the demo's people through the real services."""
    user = lambda email: db.session.get(User, user_id(email))  # noqa: E731
    company_user = first(select(User).where(User.company_id == company.id, User.role == Role.APPLICANT))
    return World(edition=first(select(Edition).where(Edition.status == EditionStatus.PUBLISHED)), company=company,
                 other_company=None, applicant=company_user, company_admin=None, other_applicant=None,
                 auditor1=user(AUDITOR), auditor2=None, auditor3=None, staff=user(STAFF), staff2=None)


def company_free_to_apply() -> Company:
    busy = select(Application.company_id).where(Application.state.not_in((AppState.GRANTED, AppState.REFUSED)))
    return first(select(Company).join(User).where(Company.membership_state == MembershipState.ACTIVE,
                                                  User.role == Role.APPLICANT, Company.id.not_in(busy)))


@in_request
def application_for_decision() -> Application:
    found = db.session.scalars(select(Application).where(Application.state == AppState.AWAITING_DECISION)).first()
    return found or certification_world(company_free_to_apply()).awaiting_decision()


@in_request
def auditor_assignment(status: AssignmentStatus) -> Assignment:
    """An assignment of valutatore1 on an application under review: pending or declared, with no recommendation."""
    found = db.session.scalars(select(Assignment).join(Application).where(
        Assignment.auditor_id == user_id(AUDITOR), Assignment.status == status, Assignment.recommendation.is_(None),
        Application.state.in_((AppState.SUBMITTED, AppState.UNDER_REVIEW)))).first()
    if found is None:
        world = certification_world(company_free_to_apply())
        application = world.submitted()
        found = certification_services.assign_auditor(application, world.auditor1, world.staff)
        if status == AssignmentStatus.DECLARED:
            certification_services.declare_no_conflict(found, world.auditor1, "nessun conflitto")
    return found


def certificate() -> Certificate:
    return first(select(Certificate).order_by(Certificate.id))


def prepared_consultation() -> Consultation:
    """The consultation on the editable draft (the settings case prepares it through its form)."""
    return draft_edition().consultation or consultation_services.create(
        draft_edition(), {"opens_on": date.today(), "closes_on": date.today() + timedelta(days=30), "reminder_days": 5,
                          "comments_visible": True, "introduction": ""}, db.session.get(User, user_id(STAFF)))


@in_request
def open_consultation() -> Consultation:
    """Launched, with Voce invited."""
    consultation = prepared_consultation()
    if consultation.state == ConsultationState.PREPARING:
        staff = db.session.get(User, user_id(STAFF))
        with_final_code(consultation.edition)
        consultation_services.invite_companies(consultation, [voce().id], staff)
        consultation_services.launch(consultation, staff)
    return consultation


@in_request
def closed_consultation() -> Consultation:
    """Voce's drafts sent, then the period over: staff answer."""
    consultation = open_consultation()
    if consultation.current_phase == ConsultationPhase.OPEN:
        admin = db.session.get(User, user_id(COMPANY_ADMIN))
        participant = next(p for p in consultation.participants if p.includes(admin))
        if not consultation_services.drafts_of(consultation, participant):
            consultation_services.save_comment(consultation, Participation(participant, admin, admin.name), None, {
                "target": "edition", "comment_type": "ge", "stance": "agree", "text": "D'accordo."})
        consultation_services.send_comments(consultation, Participation(participant, admin, admin.name))
        consultation.opens_on, consultation.closes_on = date.today() - timedelta(days=31), date.today() - timedelta(days=1)
        db.session.commit()
    return consultation


def sent_comment() -> Comment:
    return first(select(Comment).where(Comment.consultation_id == closed_consultation().id, Comment.number.is_not(None))
                 .order_by(Comment.number))


@in_request
def answered_consultation() -> Consultation:
    """Every sent comment answered: the report can go out."""
    consultation = closed_consultation()
    staff = db.session.get(User, user_id(STAFF))
    for c in consultation_services.unanswered(consultation):
        consultation_services.answer(c, {"disposition": "accepted", "answer": "Accolto."}, staff)
    return consultation


CASES = [
    # core
    Case(AccessibilityReportForm, None, lambda: "/accessibilita/segnalazione",
         lambda: ["/accessibilita/segnalazioni"], ("name", "page", "description"), viewer=ADMIN,
         defaults=lambda: {"email": "lettore@example.it", "description": "Il menu non si apre da tastiera."},
         refused={"email": "an e-mail address"}),
    # members
    Case(portal.members.forms.MembershipRequestForm, None, lambda: "/aderisci",
         lambda: ["/soci/richieste", f"/soci/richieste/{latest_request().id}"],
         ("ragione_sociale", "indirizzo", "comune", "contact_name", "contact_phone", "message"),
         defaults=membership_defaults, viewer=ADMIN,
         refused={"partita_iva": "checked digit by digit", "codice_fiscale": "checked digit by digit",
                  "pec": "an e-mail address", "contact_email": "an e-mail address", "cap": "five digits",
                  "provincia": "two letters"}),
    Case(portal.members.forms.CompanyForm, STAFF, lambda: f"/soci/aziende/{voce().id}/modifica",
         lambda: [f"/soci/aziende/{voce().id}", "/soci/aziende", "/bollino/registro"],
         ("ragione_sociale", "indirizzo", "comune"),
         refused={"partita_iva": "checked digit by digit", "codice_fiscale": "checked digit by digit",
                  "pec": "an e-mail address", "cap": "five digits", "provincia": "two letters"}),
    Case(portal.members.forms.RefuseForm, STAFF, lambda: f"/soci/richieste/{pending_request().id}",
         lambda: [f"/soci/richieste/{latest_request().id}"], ("reason",)),
    Case(portal.members.forms.MembershipStateForm, STAFF, lambda: f"/soci/aziende/{other_company().id}",
         lambda: [f"/soci/aziende/{other_company().id}", "/registro-attivita"], ("reason",),
         defaults=lambda: {"state": "suspended"}),
    Case(portal.members.forms.SiteForm, COMPANY_ADMIN, lambda: f"/soci/sedi/{voce().sites[0].id}/modifica",
         lambda: [f"/soci/aziende/{voce().id}", "/bollino/domande/nuova"],
         ("name", "indirizzo", "comune")),
    Case(portal.members.forms.InviteForm, COMPANY_ADMIN, lambda: f"/soci/aziende/{voce().id}",
         lambda: [f"/soci/aziende/{voce().id}"], ("name",),
         defaults=lambda: {"email": new_email()}, refused={"email": "an e-mail address"},
         then=invitation_page),
    Case(portal.members.forms.StaffInviteForm, ADMIN, lambda: "/admin/utenti", lambda: ["/admin/utenti?ruolo=auditor"], ("name",),
         defaults=lambda: {"email": new_email(), "role": "auditor"},
         refused={"email": "an e-mail address"}, then=invitation_page),
    Case(portal.members.forms.ProfileForm, COMPANY_USER, lambda: "/profilo",
         lambda: ["/profilo", "/home", f"/soci/aziende/{voce().id}"], ("name",)),
    # certification (publishing first: the drafts below are then copies of the new edition)
    Case(portal.certification.forms.PublishForm, STAFF, lambda: f"/bollino/schema/{remember(publishable_draft()).id}",
         lambda: [f"/bollino/parametri/{remembered().code}", f"/bollino/parametri/{remembered().code}/modifiche"], ("waiver",),
         defaults=lambda: {"step": "confirm"}),
    Case(portal.certification.forms.EditionRulesForm, STAFF, lambda: f"/bollino/schema/{draft_edition().id}",
         lambda: ["/bollino/schema", f"/bollino/schema/{draft_edition().id}"], ("title", "notes"),
         refused={"code": "letters, digits and dashes only"}),
    Case(portal.certification.forms.AreaForm, STAFF, lambda: f"/bollino/schema/{draft_edition().id}/aree/nuova",
         lambda: [f"/bollino/schema/{draft_edition().id}"], ("title",),
         defaults=lambda: {"code": f"Z{next(_tokens) % 100}", "weight": "5"},
         refused={"code": "at most 4 characters: no room for a tag and a handler"}),
    Case(portal.certification.forms.ParameterForm, STAFF,
         lambda: f"/bollino/schema/parametri/{parameter_of_kind(ParameterKind.NUMBER).id}",
         lambda: [f"/bollino/schema/{draft_edition().id}", f"/bollino/schema/parametri/{parameter_of_kind(ParameterKind.NUMBER).id}"],
         ("question", "help", "unit"), refused={"code": "at most 10 characters: no room for a tag and a handler"}),
    Case(portal.certification.forms.ParameterForm, STAFF,  # the options of a single choice
         lambda: f"/bollino/schema/parametri/{parameter_of_kind(ParameterKind.CHOICE).id}",
         lambda: [f"/bollino/schema/parametri/{parameter_of_kind(ParameterKind.CHOICE).id}"], ("choices",),
         wrap=lambda payload: f"Prima opzione\n{payload}"),
    Case(portal.certification.forms.DeclineForm, AUDITOR,
         lambda: f"/bollino/incarichi/{remember(auditor_assignment(AssignmentStatus.PENDING)).id}/dichiarazione",
         lambda: [f"/bollino/domande/{remembered().application_id}"], ("reason",), prefix=lambda: "r-", viewer=STAFF,
         defaults=lambda: {"kind": "other"}),
    Case(portal.certification.forms.RecommendationForm, AUDITOR,
         lambda: f"/bollino/incarichi/{remember(auditor_assignment(AssignmentStatus.DECLARED)).id}/valutazione",
         lambda: [f"/bollino/incarichi/{remembered().id}/valutazione",
                  (f"/bollino/domande/{remembered().application_id}/confronto", STAFF)], ("summary",)),
    # After the recommendation: removing takes valutatore1's declared assignment off, and the one the
    # recommendation needs is the demo's, fully scored.
    Case(portal.certification.forms.RemoveAssignmentForm, STAFF,
         lambda: f"/bollino/domande/{remember(auditor_assignment(AssignmentStatus.DECLARED)).application_id}",
         lambda: [f"/bollino/domande/{remembered().application_id}", "/registro-attivita"], ("reason",),
         prefix=lambda: f"remove-{remembered().id}-"),
    Case(portal.certification.forms.DecisionForm, STAFF,
         lambda: f"/bollino/domande/{application_for_decision().id}/decisione",
         lambda: [f"/bollino/domande/{application_for_decision().id}"], ("reason",), defaults=lambda: {"step": "confirm"}),
    # Confirmed at once (step=confirm, as the preview's button sends it); each case moves the certificate on.
    Case(portal.certification.forms.StatusForm, STAFF, lambda: f"/bollino/certificati/{certificate().id}",
         lambda: [f"/bollino/certificati/{certificate().id}", f"/bollino/registro/{certificate().number}"], ("reason", "statement"),
         defaults=lambda: {"statement_kind": "own", "statement": "Dichiarazione", "reason": "Motivo", "step": "confirm"}
         | ({"status": "suspended", "cause": "requirements"} if certificate().status == CertStatus.ACTIVE
            else {"status": "active", "cause": "resolved"})),
    Case(portal.certification.forms.IdentityRefuseForm, STAFF, lambda: "/bollino/identita", lambda: ["/bollino/identita"], ("note",),
         prefix=lambda: f"refuse-{first(select(IdentityChange).where(IdentityChange.status == ChangeStatus.PENDING)).id}-"),
    # surveillance and findings (the demo's Taranto surveillance is being scored by valutatore1)
    Case(portal.certification.forms.NonConformityForm, AUDITOR, lambda: review_page(), lambda: review_shows(), ("finding", "evidence"),
         prefix=lambda: "nc-", then=lambda client, response: [f"/bollino/non-conformita/{latest_finding().id}"],
         defaults=lambda: {"grade": "major", "finding": "Registro incompleto", "due_on": (date.today() + timedelta(days=30)).isoformat()}),
    Case(portal.certification.forms.CorrectionForm, "admin@contatto.demo",
         lambda: f"/bollino/non-conformita/{remember(open_finding()).id}",
         lambda: [f"/bollino/non-conformita/{remembered().id}", (f"/bollino/non-conformita/{remembered().id}", AUDITOR)],
         ("correction", "title"), files=lambda: {"file": pdf_file()}, defaults=lambda: {"correction": "Registro completato"}),
    Case(portal.certification.forms.VerifyCorrectionForm, AUDITOR, lambda: f"/bollino/non-conformita/{remember(answered_finding()).id}",
         lambda: [f"/bollino/non-conformita/{remembered().id}", (f"/bollino/non-conformita/{remembered().id}", "admin@contatto.demo")],
         ("note",), defaults=lambda: {"outcome": "reopen"}),
    Case(portal.certification.forms.DismissProposalForm, STAFF,
         lambda: f"/bollino/certificati/{remember(open_proposal()).certificate_id}",
         lambda: [f"/bollino/certificati/{remembered().certificate_id}"], ("note",), prefix=lambda: f"dismiss-{remembered().id}-"),
    Case(portal.certification.forms.AssignForm, STAFF, lambda: f"/bollino/certificati/{remember(unassigned_review()).certificate_id}",
         lambda: [f"/bollino/certificati/{remembered().certificate_id}"], ("override_reason",),
         prefix=lambda: f"review-{remembered().id}-", defaults=lambda: {"auditor": str(user_id("valutatore3@assocontact.demo"))}),
    # certification: the consultation on the draft (in this order: prepared, open, closed, reported)
    Case(portal.certification.consultation.forms.SettingsForm, STAFF, lambda: f"/bollino/schema/{draft_edition().id}/consultazione",
         lambda: [f"/bollino/schema/{draft_edition().id}"], ("introduction",)),
    Case(portal.certification.consultation.forms.InviteOutsiderForm, STAFF,
         lambda: f"/bollino/consultazioni/{remember(prepared_consultation()).id}",
         lambda: [f"/bollino/consultazioni/{remembered().id}"], ("organisation", "contact_name"),
         prefix=lambda: "outsider-", defaults=lambda: {"email": new_email(), "kind": "union", "access": "account",
                                                       "organisation": "Sindacato", "contact_name": "Ugo Unione"},
         refused={"email": "an e-mail address"}),
    Case(portal.certification.consultation.forms.CommentForm, COMPANY_USER,
         lambda: f"/bollino/consultazioni/{open_consultation().id}/commenti/nuovo",
         lambda: [f"/bollino/consultazioni/{open_consultation().id}", (f"/bollino/consultazioni/{open_consultation().id}", COMPANY_ADMIN)],
         ("text", "proposal"), defaults=lambda: {"stance": "propose", "text": "Da rivedere.", "proposal": "Nuovo testo."}),
    Case(portal.certification.consultation.forms.AnswerForm, STAFF,
         lambda: f"/bollino/consultazioni/{remember(sent_comment()).consultation_id}/commenti",
         lambda: [f"/bollino/consultazioni/{remembered().consultation_id}/commenti",
                  f"/bollino/consultazioni/{remembered().consultation_id}/rapporto"], ("answer",),
         prefix=lambda: f"answer-{remembered().id}-"),
    Case(portal.certification.consultation.forms.ReportForm, STAFF,
         lambda: f"/bollino/consultazioni/{remember(answered_consultation()).id}/rapporto",
         lambda: [(f"/bollino/consultazioni/{remembered().id}/rapporto", None)], ("conclusions",)),
    # reshoring
    Case(portal.reshoring.forms.WorkAbroadForm, COMPANY_ADMIN,
         lambda: f"/reshoring/estero/{first(select(WorkAbroad).where(WorkAbroad.company_id == voce().id)).id}",
         lambda: ["/reshoring/estero", f"/reshoring/estero/{first(select(WorkAbroad).where(WorkAbroad.company_id == voce().id)).id}"],
         ("place", "activities", "client_name")),
    Case(portal.reshoring.forms.CompanyProfileForm, COMPANY_ADMIN, lambda: "/reshoring/estero/azienda", lambda: ["/reshoring/estero"],
         (), refused={"roc_number": "digits, letters, / . - only"}),
    Case(portal.reshoring.forms.ProposalForm, STAFF, lambda: f"/reshoring/proposte/{proposal().id}/modifica",
         lambda: [f"/reshoring/proposte/{proposal().id}", "/reshoring/proposte", "/reshoring/proposte-pubbliche",
                  f"/reshoring/proposte-pubbliche/{proposal().id}"],
         ("title", "summary", "measure", "impact_notes")),
    Case(portal.reshoring.forms.AttachmentForm, STAFF, lambda: f"/reshoring/proposte/{proposal().id}",
         lambda: [f"/reshoring/proposte/{proposal().id}", f"/reshoring/proposte-pubbliche/{proposal().id}"], ("title",),
         files=lambda: {"file": pdf_file()}),
    Case(portal.reshoring.forms.TransitionForm, STAFF, lambda: f"/reshoring/proposte/{proposal().id}",
         lambda: [f"/reshoring/proposte/{proposal().id}"], ("reason",)),
    Case(portal.reshoring.forms.SupportForm, COMPANY_ADMIN, lambda: f"/reshoring/proposte/{proposal().id}/adesione",
         lambda: [f"/reshoring/proposte/{proposal().id}"], ("conditions",), defaults=lambda: {"named": "y"}),  # named: it reaches the annex
    Case(portal.reshoring.forms.StateForm, ADMIN,
         lambda: f"/reshoring/stati/{first(select(ProposalState).order_by(ProposalState.id)).id}",
         lambda: ["/reshoring/stati", "/reshoring/proposte", f"/reshoring/proposte/{proposal().id}"], ("label",),
         refused={"code": "lower-case letters, digits and _ only"}),
    Case(portal.reshoring.forms.RoundtableForm, STAFF, lambda: f"/reshoring/tavoli/{roundtable().id}/modifica",
         lambda: [f"/reshoring/tavoli/{roundtable().id}", "/reshoring/tavoli"],
         ("title", "place", "convening_body", "description"), refused={"link": "must start with https://"}),
    Case(portal.reshoring.forms.OrganisationForm, STAFF, lambda: f"/reshoring/organizzazioni/{organisation().id}/modifica",
         lambda: ["/reshoring/organizzazioni", f"/reshoring/organizzazioni/{organisation().id}", f"/reshoring/tavoli/{roundtable().id}"],
         ("name",)),
    Case(portal.reshoring.forms.ContactForm, STAFF, lambda: f"/reshoring/organizzazioni/{organisation().id}",
         lambda: ["/reshoring/organizzazioni", f"/reshoring/organizzazioni/{organisation().id}"], ("name", "role"),
         defaults=lambda: {"email": new_email(), "name": "Mario Contatti"}, refused={"email": "an e-mail address"}),
    Case(portal.reshoring.forms.AgendaItemForm, STAFF, lambda: f"/reshoring/tavoli/{roundtable().id}",
         lambda: [f"/reshoring/tavoli/{roundtable().id}"], ("title", "notes"), defaults=lambda: {"title": "Punto libero"}),
    Case(portal.reshoring.forms.OutcomeForm, STAFF, lambda: f"/reshoring/tavoli/{undecided_item().roundtable_id}",
         lambda: [f"/reshoring/tavoli/{undecided_item().roundtable_id}", f"/reshoring/proposte/{undecided_item().proposal_id}"],
         ("outcome", "reason"), prefix=lambda: f"item{undecided_item().id}-",
         defaults=lambda: {"outcome": "Discusso al tavolo", "state_id": str(undecided_item().proposal.state.targets[0].id)}),
    Case(portal.reshoring.forms.CommentForm, COMPANY_USER, lambda: f"/reshoring/tavoli/{minutes_in_review().id}",
         lambda: [f"/reshoring/tavoli/{minutes_in_review().id}"], ("text",), viewer=STAFF),
    Case(portal.reshoring.forms.AnswerForm, None, answer_page, lambda: [upcoming_session()], ("note", "delegate_name"), viewer=STAFF,
         defaults=lambda: {"answer": "delegato", "delegate_name": "Dario Delegato", "delegate_email": new_email()},
         refused={"delegate_email": "an e-mail address"}),
    Case(portal.reshoring.forms.MinutesForm, STAFF, lambda: f"/reshoring/tavoli/{minutes_in_review().id}",
         lambda: [f"/reshoring/tavoli/{minutes_in_review().id}"], ("minutes",)),  # approved minutes are no longer edited
    Case(portal.reshoring.forms.ActionForm, STAFF, lambda: f"/reshoring/tavoli/{roundtable().id}",
         lambda: [f"/reshoring/tavoli/{roundtable().id}", "/reshoring/azioni?stato=tutte"], ("description",),
         prefix=lambda: f"azione{agenda_item().id}-",
         defaults=lambda: {"description": "Inviare i dati", "owner_id": str(roundtable().parties[0].organisation_id),
                           "due_date": (utcnow() + timedelta(days=30)).date().isoformat()}),
    Case(portal.reshoring.forms.ActionUpdateForm, STAFF, lambda: f"/reshoring/azioni/{follow_up_action().id}",
         lambda: [f"/reshoring/azioni/{follow_up_action().id}"], ("note",), defaults=lambda: {"status": "in_corso", "progress": "40"}),
    Case(portal.reshoring.forms.DocumentForm, STAFF, lambda: f"/reshoring/tavoli/{roundtable().id}",
         lambda: [f"/reshoring/tavoli/{roundtable().id}"], ("title",), files=lambda: {"file": pdf_file()}),
    Case(portal.reshoring.forms.FigureForm, STAFF,
         lambda: f"/reshoring/dati-settore/{first(select(SectorFigure).order_by(SectorFigure.id)).id}",
         lambda: ["/reshoring/dati-settore", f"/reshoring/dossier/{first(select(Brief)).id}"],
         ("label", "unit", "source", "note")),
    Case(portal.reshoring.forms.BriefForm, STAFF, lambda: f"/reshoring/dossier/{first(select(Brief)).id}/modifica",
         lambda: ["/reshoring/dossier", f"/reshoring/dossier/{first(select(Brief)).id}"],
         ("title", "position", "addressees", "contact_name", "contact_phone"), refused={"contact_email": "an e-mail address"}),
    # tariffs
    Case(portal.tariffs.forms.CalculatorForm, COMPANY_USER, lambda: "/tariffe/verifica?livello=3&tariffa=0,90&unita=minuto&data=2024-06-01",
         lambda: ["/tariffe/verifiche"], ("cliente",),
         refused={"tariffa": "read as a number", "aht": "read as a number", "ore_produttive": "read as a number"}),
    Case(portal.tariffs.forms.ImportForm, STAFF, lambda: "/tariffe/tabelle/importa",
         lambda: ["/tariffe/tabelle"], ("number", "title", "source"),
         defaults=lambda: {"number": f"D.D. {next(_tokens)}/2030", "issued_on": "2030-01-15",
                           "source_url": "https://www.lavoro.gov.it/tabelle"},
         then=confirm_import,
         files=lambda: {"file": csv_table_file()},
         refused={"source_url": "must start with http:// or https://"}),
    Case(portal.tariffs.forms.UpliftForm, STAFF, lambda: "/tariffe/maggiorazione", lambda: ["/tariffe/maggiorazione"],
         ("note",), defaults=lambda: {"percent": "5", "effective_from": "2030-01-01"}, refused={"percent": "read as a number"}),
    Case(portal.tariffs.forms.BulkForm, COMPANY_USER, lambda: "/tariffe/verifiche/massiva",
         lambda: ["/tariffe/verifiche"], ("cliente",), files=lambda: {"file": csv_rates_file()}),
]

# Text fields no case posts, and why.
EXEMPT = {
    (portal.members.forms.LoginForm, "email"): "never stored; the login page does not echo it back",
    (portal.members.forms.ForgotPasswordForm, "email"): "never stored; the answer is the same for every address",
    (portal.members.forms.AcceptInvitationForm, "name"): "the same User.name as ProfileForm, whose case shows it",
    (portal.members.forms.CodeForm, "code"): "a one-time code: checked, never stored nor shown again",
    (portal.members.forms.EnrolForm, "code"): "a one-time code: checked, never stored nor shown again",
}


def text_fields(form_class) -> list[str]:
    """The names of the fields of a form class that take free text (passwords and hidden version numbers excepted)."""
    fields = []
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        if getattr(unbound, "field_class", None) is None:
            continue
        if issubclass(unbound.field_class, StringField | TextAreaField) and not issubclass(unbound.field_class, PasswordField | HiddenField):
            fields.append(name)
    return sorted(fields)


def every_form_class() -> list[type]:
    """The form classes of every `forms.py` of the portal, in packages and their sub-packages."""
    found = set()
    for module_info in pkgutil.walk_packages(portal.__path__, prefix="portal."):
        if not module_info.name.endswith(".forms"):
            continue
        forms = importlib.import_module(module_info.name)
        found |= {c for _, c in inspect.getmembers(forms, inspect.isclass)
                  if issubclass(c, FlaskForm) and c.__module__ == forms.__name__}
    return sorted(found, key=lambda c: c.__qualname__)


def test_every_text_field_of_every_form_is_covered():
    covered = {(case.form, name) for case in CASES for name in (*case.fields, *case.refused)}
    missing = [f"{form.__module__}.{form.__name__}.{name}" for form in every_form_class() for name in text_fields(form)
               if (form, name) not in covered and (form, name) not in EXEMPT]
    assert not missing, f"text fields without a stored-XSS case or a reasoned exemption: {missing}"


def _params(refused: bool):
    for case in CASES:
        names = case.refused if refused else case.fields
        for name in names:
            yield pytest.param(case, name, id=f"{case.form.__name__}.{name}")


def _post(demo_app, case: Case, name: str, payload: str):
    client = client_for(demo_app, case.user)
    page = client.get(case.page())
    assert page.status_code == 200, f"{case.page()} answered {page.status_code}"
    prefix = case.prefix()
    expected = {prefix + n for n in dir(case.form) if getattr(getattr(case.form, n), "field_class", None)}
    action, data = read_form(page.get_data(as_text=True), prefix + name, expected)
    for key, value in case.defaults().items():
        data.setlist(prefix + key, [value])
    data.setlist(prefix + name, [case.wrap(payload)])
    for key, upload in case.files().items():
        data.setlist(prefix + key, [upload])
    return client, client.post(action or case.page(), data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(("case", "name"), list(_params(refused=False)))
def test_stored_text_is_never_live_html(demo_app, case, name):
    payload = payload_for(case.form, name)
    client, response = _post(demo_app, case, name, payload)

    assert_no_live_payload(response, payload, f"answer to the post of {name}")
    assert response.status_code in (200, 302, 303) and "is-invalid" not in response.get_data(as_text=True), \
        f"{name}: the form refused the post ({response.status_code}): {messages(response)}"
    pages = case.shows() + ([response.location] if response.location else []) + case.then(client, response)
    if case.viewer:
        client = client_for(demo_app, case.viewer)
    marker = payload[:4]
    shown = False
    for url in pages:
        page = (client_for(demo_app, url[1]) if isinstance(url, tuple) else client).get(url[0] if isinstance(url, tuple) else url)
        assert page.status_code == 200, f"{url} answered {page.status_code}"
        assert_no_live_payload(page, payload, url)
        shown = shown or marker in page.get_data(as_text=True)
    assert shown, f"{name}: the saved text ({marker}) appears on none of {pages}"


@pytest.mark.parametrize(("case", "name"), list(_params(refused=True)))
def test_refused_text_comes_back_escaped_with_a_message(demo_app, case, name):
    payload = VECTORS[-1]
    client, response = _post(demo_app, case, name, payload)

    assert response.status_code == 422
    assert "is-invalid" in response.get_data(as_text=True)
    assert_no_live_payload(response, payload, f"answer to the post of {name}")


# --- the certification grids: fields named after the edition's parameters, outside any form class ---

@dataclass
class GridCase:
    name: str
    user: Callable[[], str]
    page: Callable[[], str]
    field: Callable[[], str]
    shows: Callable[[], list]
    files: Callable[[], dict] = dict
    extra: Callable[[], dict] = dict            # further values the post carries (e.g. the button pressed)
    mailed_to: Callable[[], list[str]] = list   # who receives the text by e-mail


_drafts: list[Application] = []


@in_request
def draft_application() -> Application:
    """One draft application of a company free to apply, opened once for the grid cases."""
    if not _drafts:
        _drafts.append(certification_world(company_free_to_apply()).open())
    return _drafts[0]


def draft_user() -> str:
    return draft_application().opened_by.email


def draft_parameter(kind: ParameterKind | None = None) -> Parameter:
    return next(p for p in draft_application().edition.parameters if kind is None or p.kind == kind)


def draft_area_page(kind: ParameterKind | None = None) -> str:
    return f"/bollino/domande/{draft_application().id}/aree/{draft_parameter(kind).area.code}"


def scoring_page() -> str:
    return f"/bollino/incarichi/{remember(auditor_assignment(AssignmentStatus.DECLARED)).id}/valutazione"


def scored_parameter() -> Parameter:
    return remembered().application.edition.parameters[0]


def company_user_of(application: Application) -> str:
    return company_users(application.company_id)[0].email


def open_change_request() -> ChangeRequest:
    """An auditor's question of the round the company is answering now (the demo has two)."""
    return first(select(ChangeRequest).join(Application).where(
        Application.state == AppState.CHANGES_REQUESTED, ChangeRequest.round == Application.round).order_by(ChangeRequest.id))


def change_request_area(request_: ChangeRequest) -> str:
    """The company's page of the parameter the question is about, where the reply is written."""
    return f"/bollino/domande/{request_.application_id}/aree/{request_.parameter.area.code}"


def asked_company_user() -> str:
    return company_user_of(db.session.get(Application, open_change_request().application_id))


def change_request_scoring_page() -> tuple[str, str]:
    """The scoring page of the auditor who asked, as that auditor."""
    request_ = remembered()
    assignment = first(select(Assignment).where(Assignment.application_id == request_.application_id,
                                                Assignment.auditor_id == request_.auditor_id))
    return f"/bollino/incarichi/{assignment.id}/valutazione", request_.auditor.email


def open_review() -> SurveillanceReview:
    """The demo's surveillance sent by its company (Taranto) and being scored by valutatore1."""
    return first(select(SurveillanceReview).where(
        SurveillanceReview.status == ReviewStatus.SUBMITTED, SurveillanceReview.auditor_id == user_id(AUDITOR),
        SurveillanceReview.assignment_status == AssignmentStatus.DECLARED))


def latest_finding() -> NonConformity:
    return first(select(NonConformity).order_by(NonConformity.id.desc()))


@in_request
def open_finding() -> NonConformity:
    """A finding waiting for the company's correction: the demo's overdue one, then new ones on the Taranto surveillance."""
    found = db.session.scalars(select(NonConformity).where(NonConformity.status == NCStatus.OPEN).order_by(NonConformity.id)).first()
    if found is not None:
        return found
    review = open_review()
    return nonconformities.raise_on_review(review, surveillance.key_parameters(review)[0], db.session.get(User, user_id(AUDITOR)),
                                           "minor", "Da correggere", "", date.today() + timedelta(days=30))


@in_request
def answered_finding() -> NonConformity:
    """A correction valutatore1 has to verify."""
    found = db.session.scalars(select(NonConformity).where(NonConformity.status == NCStatus.ANSWERED)).first()
    if found is not None:
        return found
    finding = open_finding()
    company_user = db.session.get(User, user_id("admin@contatto.demo"))
    nonconformities.answer(finding, company_user, "Corretto", FileStorage(*pdf_file()), "Prova")
    return finding


@in_request
def open_proposal() -> SuspensionProposal:
    found = db.session.scalars(select(SuspensionProposal).where(SuspensionProposal.status == ProposalStatus.OPEN)).first()
    if found is not None:
        return found
    proposal = proposals.propose(open_review().certificate, StatusCause.REQUIREMENTS, "Segnalazione di un committente")
    db.session.commit()
    return proposal


def waiting_review() -> SurveillanceReview:
    """The demo's surveillance waiting for the company's figures (Voce Chiara)."""
    return first(select(SurveillanceReview).where(SurveillanceReview.status == ReviewStatus.OPEN))


def unassigned_review() -> SurveillanceReview:
    """The demo's surveillance waiting for the company (Voce Chiara), with no auditor yet; valutatore3 declared a conflict."""
    return first(select(SurveillanceReview).where(SurveillanceReview.status == ReviewStatus.OPEN,
                                                  SurveillanceReview.auditor_id.is_(None)))


def review_page() -> str:
    return f"/bollino/sorveglianze/{remember(open_review()).id}"


def review_shows() -> list:
    return [f"/bollino/sorveglianze/{remembered().id}", (f"/bollino/sorveglianze/{remembered().id}", STAFF)]


GRID_CASES = [
    GridCase("answer text", draft_user, lambda: draft_area_page(ParameterKind.TEXT),
             lambda: f"value_{draft_parameter(ParameterKind.TEXT).id}",
             lambda: [draft_area_page(ParameterKind.TEXT), f"/bollino/domande/{draft_application().id}"]),
    GridCase("answer note", draft_user, draft_area_page, lambda: f"note_{draft_parameter().id}",
             lambda: [draft_area_page(), f"/bollino/domande/{draft_application().id}"]),
    GridCase("evidence title", draft_user, draft_area_page, lambda: f"title_{draft_parameter().id}",
             lambda: [draft_area_page(), f"/bollino/domande/{draft_application().id}"],
             files=lambda: {f"file_{draft_parameter().id}": pdf_file()}),
    GridCase("score comment", lambda: AUDITOR, scoring_page, lambda: f"comment_{scored_parameter().id}",
             lambda: [f"/bollino/incarichi/{remembered().id}/valutazione",
                      (f"/bollino/domande/{remembered().application_id}/confronto", STAFF)]),
    GridCase("score internal note", lambda: AUDITOR, scoring_page, lambda: f"internal_{scored_parameter().id}",
             lambda: [f"/bollino/incarichi/{remembered().id}/valutazione",
                      (f"/bollino/domande/{remembered().application_id}/confronto", STAFF)]),
    GridCase("auditor's question", lambda: AUDITOR, scoring_page, lambda: f"question_{scored_parameter().id}",
             lambda: [f"/bollino/incarichi/{remembered().id}/valutazione",
                      (f"/bollino/domande/{remembered().application_id}", company_user_of(remembered().application)),
                      (f"/bollino/domande/{remembered().application_id}/aree/{scored_parameter().area.code}",
                       company_user_of(remembered().application)),
                      (f"/bollino/domande/{remembered().application_id}", STAFF), ("/posta", STAFF)],
             extra=lambda: {"action": "request_changes"},
             mailed_to=lambda: [company_user_of(remembered().application)]),
    GridCase("company's reply", asked_company_user, lambda: change_request_area(remember(open_change_request())),
             lambda: f"response_{remembered().id}",
             lambda: [change_request_area(remembered()), f"/bollino/domande/{remembered().application_id}",
                      (f"/bollino/domande/{remembered().application_id}", STAFF), change_request_scoring_page(),
                      ("/registro-attivita", STAFF)]),
    GridCase("annual review comment", lambda: AUDITOR, review_page,
             lambda: f"comment_{next(iter(remembered().items))}", lambda: [*review_shows(), ("/registro-attivita", STAFF)]),
    GridCase("annual review summary", lambda: AUDITOR, review_page, lambda: "summary", review_shows),
    GridCase("surveillance figures note", lambda: COMPANY_ADMIN,
             lambda: f"/bollino/sorveglianze/{remember(waiting_review()).id}/dati", lambda: "note_C1",
             lambda: [f"/bollino/sorveglianze/{remembered().id}/dati"], extra=lambda: {"action": "save"}),
]


@pytest.mark.parametrize("case", GRID_CASES, ids=[c.name for c in GRID_CASES])
def test_grid_text_is_never_live_html(demo_app, case):
    payload = f"q{next(_tokens)}{VECTORS[0]}"
    client = client_for(demo_app, case.user())
    page = client.get(case.page())
    assert page.status_code == 200, f"{case.page()} answered {page.status_code}"
    name = case.field()
    action, data = read_form(page.get_data(as_text=True), name, {name})
    data.setlist(name, [payload])
    for key, value in {**case.files(), **case.extra()}.items():
        data.setlist(key, [value])

    response = client.post(action or case.page(), data=data, content_type="multipart/form-data")

    assert_no_live_payload(response, payload, f"answer to the post of {name}")
    assert response.status_code in (200, 302, 303), f"{case.name}: refused ({response.status_code}): {messages(response)}"
    shown = False
    for url in case.shows():
        url, who = url if isinstance(url, tuple) else (url, case.user())
        page = client_for(demo_app, who).get(url)
        assert page.status_code == 200, f"{url} answered {page.status_code}"
        assert_no_live_payload(page, payload, url)
        shown = shown or payload[:4] in page.get_data(as_text=True)
    assert shown, f"{case.name}: the saved text appears on none of the pages"
    for address in case.mailed_to():
        mail = _mailbox[-1].last_to(address)
        assert mail.get_content_type() == "text/plain", f"{case.name}: the e-mail to {address} is {mail.get_content_type()}"
        assert payload in mail.get_content(), f"{case.name}: the e-mail to {address} does not carry the text as written"


def test_mail_is_plain_text_only(demo_app, smtp_server):
    """E-mails carry user text (reasons, names): they are sent as text/plain, never HTML."""
    sink, _ = smtp_server
    assert sink.messages, "the cases above sent no e-mail to look at"
    for message in sink.messages:
        assert all(part.get_content_type() != "text/html" for part in message.walk()), message["Subject"]
