"""The shared web kernel every module's views and services use (docs/architecture.md)."""

import pytest
from flask import get_flashed_messages
from flask_login import login_user
from sqlalchemy import update
from werkzeug.exceptions import Forbidden, NotFound
from wtforms import StringField

from portal.access import Role
from portal.concurrency import ConflictError, check_version, commit_versioned
from portal.forms import REQUIRED, CsrfForm
from portal.linked_checks import linked_checks
from portal.members.models import Company, Site
from portal.members.recipients import active_staff, company_users
from portal.reshoring.models import Proposal
from portal.reshoring.services import create_proposal
from portal.rules import RuleError
from portal.urls import absolute_url, safe_next
from portal.views import form_status, load_or_404, rule_errors


@pytest.fixture
def signed_in(app, db):
    """A request of `user`: what a view sees in `current_user`."""
    contexts = []

    def sign(user):
        context = app.test_request_context()
        context.push()
        contexts.append(context)
        if user is not None:
            login_user(user)

    yield sign
    for context in reversed(contexts):
        context.pop()


# --- load_or_404 ----------------------------------------------------------------------------------

def test_load_or_404_gives_the_object_to_who_may_see_it(db, make_company, make_user, signed_in):
    company = make_company()
    signed_in(make_user(Role.APPLICANT, company))

    assert load_or_404(Company, company.id) is company


def test_another_company_does_not_learn_the_object_exists(db, make_company, make_user, signed_in):
    mine, theirs = make_company(), make_company()
    signed_in(make_user(Role.COMPANY_ADMIN, mine))

    with pytest.raises(NotFound):
        load_or_404(Site, theirs.sites[0].id, right="edit")
    with pytest.raises(NotFound):
        load_or_404(Company, 999_999)


def test_a_right_beyond_seeing_is_refused_with_403(db, make_company, make_user, signed_in):
    company = make_company()
    signed_in(make_user(Role.APPLICANT, company))  # sees the company; only its admin edits it

    with pytest.raises(Forbidden):
        load_or_404(Company, company.id, right="edit")


# --- rule_errors and form_status ------------------------------------------------------------------

def test_a_refused_service_rolls_back_and_speaks_beside_the_field(app, db, make_company):
    company = make_company("Prima S.r.l.")
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = CsrfForm(meta={"csrf": False})
        form.validate()
        with rule_errors(form):
            company.ragione_sociale = "Cambiata a metà"
            db.session.flush()
            raise RuleError("Regola non rispettata.")
        assert form.form_errors == ["Regola non rispettata."]
        assert form_status(form) == 422
    db.session.expire_all()
    assert db.session.get(Company, company.id).ragione_sociale == "Prima S.r.l."


def test_a_field_gets_the_message_and_keeps_its_own_errors(app):
    class OneField(CsrfForm):
        name = StringField(validators=[REQUIRED])

    with app.test_request_context(method="POST", data={}):
        form = OneField(meta={"csrf": False})
        assert not form.validate()
        with rule_errors(form.name):
            raise RuleError("Nome già usato.")
        assert form.name.errors == ["Campo obbligatorio.", "Nome già usato."]


def test_without_a_form_the_refusal_is_flashed(app):
    with app.test_request_context():
        with rule_errors():
            raise RuleError("Già fatto.")
        assert get_flashed_messages(with_categories=True) == [("danger", "Già fatto.")]


def test_the_block_runs_to_its_end_when_nothing_is_refused(app):
    done = []
    with app.test_request_context(), rule_errors():
        done.append(True)
    assert done == [True]


def test_other_errors_are_not_swallowed(app):
    with app.test_request_context(), pytest.raises(ZeroDivisionError), rule_errors():
        1 / 0  # noqa: B018


def test_a_page_with_valid_or_untouched_forms_answers_200(app):
    with app.test_request_context():
        assert form_status(CsrfForm(meta={"csrf": False})) == 200
        assert form_status() == 200


# --- concurrency ----------------------------------------------------------------------------------

def test_a_save_from_an_older_version_is_refused(db, make_user):
    proposal = _proposal(db, make_user)
    check_version(proposal, "1")
    check_version(proposal, 1)
    for stale in ("2", "", None, "uno"):
        with pytest.raises(ConflictError):
            check_version(proposal, stale)


def test_a_colleague_committing_in_between_is_a_conflict_not_a_lost_update(db, make_user):
    proposal = _proposal(db, make_user)
    with db.engine.begin() as other:  # another request, another transaction
        other.execute(update(Proposal.__table__).where(Proposal.__table__.c.id == proposal.id)
                      .values(title="Salvata dal collega", version=2))
    proposal.title = "La mia versione"
    with pytest.raises(ConflictError):
        commit_versioned()
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Salvata dal collega"


def _proposal(db, make_user) -> Proposal:
    return create_proposal({"title": "Rientro dei volumi", "summary": "s", "measure": "m", "addressees": ["mimit"]},
                           make_user(Role.STAFF))


# --- URLs, recipients, linked checks --------------------------------------------------------------

@pytest.mark.parametrize(("target", "expected"), [
    ("/aderisci?x=1", "/aderisci?x=1"),
    ("https://evil.example/furto", "/home"),
    ("//evil.example/furto", "/home"),
    ("/\\evil.example/furto", "/home"),
    ("javascript:alert(1)", "/home"),
    ("/a\nb", "/home"),
    (None, "/home"),
])
def test_safe_next_keeps_redirects_inside_the_portal(target, expected):
    assert safe_next(target, "/home") == expected


def test_absolute_url_is_on_the_public_base_url(app):
    app.config["PUBLIC_BASE_URL"] = "https://portale.example.it/"
    with app.test_request_context(base_url="http://127.0.0.1:5001"):
        assert absolute_url("certification.verify", number="BB-2026-0001") == "https://portale.example.it/bollino/registro/BB-2026-0001"


def test_recipients_are_the_active_people_of_the_group(db, make_company, make_user):
    company, other = make_company(), make_company()
    staff, admin = make_user(Role.STAFF), make_user(Role.ADMIN)
    make_user(Role.STAFF, active=False)
    make_user(Role.AUDITOR)
    company_admin, applicant = make_user(Role.COMPANY_ADMIN, company), make_user(Role.APPLICANT, company)
    make_user(Role.APPLICANT, other)

    assert active_staff() == [staff, admin]
    assert company_users(company.id) == [company_admin, applicant]
    assert company_users(company.id, [Role.COMPANY_ADMIN]) == [company_admin]


def test_every_linked_check_has_its_provider(db, make_company):
    checks = linked_checks(make_company().id)

    assert checks["reshoring"] == {"records": 0, "complete": True, "problems": []}
    assert checks["tariffs"]["total"] == 0
