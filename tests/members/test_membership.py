"""The membership flow end to end, through the client and a real SMTP server."""

from datetime import date

from sqlalchemy import func, select

from portal.access import Role
from portal.audit import AuditEntry
from portal.members.models import Company, Invitation, MembershipRequest, MembershipState, RequestStatus, User
from tests.members.data import join_data
from tests.members.pages import field_error, field_value, link_in, text

CONTACT = "lucia@lucani.example.it"
NEW_PASSWORD = "una-password-lunga"


def audit_actions(db) -> list[tuple[str, int | None]]:
    return [(e.action, e.actor_id) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def the_request(db) -> MembershipRequest:
    return db.session.scalars(select(MembershipRequest).order_by(MembershipRequest.id.desc())).first()


def test_request_approve_invite_accept(db, client, auth, smtp, make_user):
    staff = make_user(Role.STAFF, email="staff@assocontact.example.it")
    admin = make_user(Role.ADMIN, email="admin@assocontact.example.it")
    make_user(Role.STAFF, email="ex@assocontact.example.it", active=False)
    make_user(Role.AUDITOR, email="valutatore@assocontact.example.it")

    response = client.post("/aderisci", data=join_data())
    assert response.status_code == 200
    assert "la richiesta di adesione è stata registrata" in text(response)
    company = db.session.scalar(select(Company).where(Company.ragione_sociale == "Contatti Lucani S.r.l."))
    assert company.membership_state == MembershipState.REQUESTED

    # Active staff and admins are told; former staff and auditors are not.
    notice = smtp.last_to(staff.email)
    assert "Contatti Lucani S.r.l." in notice["Subject"]
    assert smtp.to(admin.email)
    assert smtp.to("ex@assocontact.example.it") == [] and smtp.to("valutatore@assocontact.example.it") == []

    auth.login(staff.email)
    detail = client.get(link_in(notice))
    assert detail.status_code == 200 and "Lucia Lucana" in text(detail)
    request_id = the_request(db).id
    response = client.post(f"/soci/richieste/{request_id}/approva", follow_redirects=True)
    assert "il referente ha ricevuto l'invito" in text(response)
    db.session.expire_all()
    assert company.membership_state == MembershipState.ACTIVE and company.member_since == date.today()
    assert the_request(db).status == RequestStatus.APPROVED and the_request(db).decided_by_id == staff.id
    auth.logout()

    invitation_link = link_in(smtp.last_to(CONTACT))
    assert invitation_link.startswith("/invito/")
    assert "Lucia Lucana" in text(client.get(invitation_link))
    response = client.post(invitation_link, data={"name": "Lucia Lucana", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/home"

    user = db.session.scalar(select(User).where(User.email == CONTACT))
    assert user.role == Role.COMPANY_ADMIN and user.company_id == company.id and user.check_password(NEW_PASSWORD)
    home = text(client.get("/home"))
    assert "Buongiorno, Lucia Lucana" in home and "Contatti Lucani S.r.l." in home
    assert client.get("/soci/la-mia-azienda").location == f"/soci/aziende/{company.id}"

    assert audit_actions(db) == [
        ("membership.request", None),
        ("user.login", staff.id),
        ("membership.approve", staff.id),
        ("user.invite", staff.id),
        ("user.accept_invitation", user.id),
        ("user.login", user.id),
    ]


def test_refuse_with_reason_then_ask_again(db, client, auth, smtp, make_user):
    staff = make_user(Role.STAFF)
    client.post("/aderisci", data=join_data())
    first = the_request(db)
    auth.login(staff.email)

    response = client.post(f"/soci/richieste/{first.id}/rifiuta", data={"reason": "Non gestite un contact center."})

    assert response.status_code == 302
    message = smtp.last_to(CONTACT)
    assert "Non gestite un contact center." in message.get_content()
    db.session.expire_all()
    assert first.status == RequestStatus.REFUSED and first.reason == "Non gestite un contact center."
    assert first.company.membership_state == MembershipState.REFUSED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.refuse"))
    assert entry.actor_id == staff.id and entry.changes == {"reason": "Non gestite un contact center."}

    auth.logout()
    response = client.post("/aderisci", data=join_data(contact_name="Luca Lucano", contact_email="luca@lucani.example.it"))
    assert "la richiesta di adesione è stata registrata" in text(response)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Company)) == 1
    assert first.company.membership_state == MembershipState.REQUESTED
    assert the_request(db).id != first.id and the_request(db).status == RequestStatus.PENDING
    assert first.status == RequestStatus.REFUSED  # the earlier decision stays on record


def test_refuse_needs_a_reason(db, client, auth, smtp, make_user):
    staff = make_user(Role.STAFF)
    client.post("/aderisci", data=join_data())
    auth.login(staff.email)

    response = client.post(f"/soci/richieste/{the_request(db).id}/rifiuta", data={"reason": ""})

    assert response.status_code == 422
    assert field_error(response, "reason") == "Campo obbligatorio."
    db.session.expire_all()
    assert the_request(db).status == RequestStatus.PENDING
    assert the_request(db).company.membership_state == MembershipState.REQUESTED
    assert smtp.to(CONTACT) == []


def test_partita_iva_of_an_active_member_is_refused_beside_the_field(db, client, make_company):
    member = make_company("Già Socia S.p.A.")

    response = client.post("/aderisci", data=join_data(partita_iva=member.partita_iva))

    assert response.status_code == 422
    assert "Esiste già un'azienda con questa Partita IVA" in field_error(response, "partita_iva")
    assert field_value(response, "ragione_sociale") == "Contatti Lucani S.r.l."  # what was typed is still there
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(MembershipRequest)) == 0
    assert member.ragione_sociale == "Già Socia S.p.A." and member.membership_state == MembershipState.ACTIVE


def test_a_pending_request_cannot_be_duplicated(db, client):
    client.post("/aderisci", data=join_data())

    response = client.post("/aderisci", data=join_data(ragione_sociale="Altro Nome S.r.l."))

    assert "Esiste già" in field_error(response, "partita_iva")
    assert db.session.scalar(select(func.count()).select_from(MembershipRequest)) == 1


def test_a_decided_request_cannot_be_decided_again(db, client, auth, smtp, make_user):
    staff = make_user(Role.STAFF)
    client.post("/aderisci", data=join_data())
    request_id = the_request(db).id
    auth.login(staff.email)
    client.post(f"/soci/richieste/{request_id}/approva")
    smtp.messages.clear()

    refused = client.post(f"/soci/richieste/{request_id}/rifiuta", data={"reason": "Ci abbiamo ripensato."},
                          follow_redirects=True)
    approved_again = client.post(f"/soci/richieste/{request_id}/approva", follow_redirects=True)

    assert "già stata decisa" in text(refused)
    assert "già stata decisa" in text(approved_again)
    db.session.expire_all()
    membership_request = the_request(db)
    assert membership_request.status == RequestStatus.APPROVED and membership_request.reason == ""
    assert membership_request.company.membership_state == MembershipState.ACTIVE
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
    assert smtp.messages == []
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "membership.approve")) == 1


def test_approval_refused_when_the_contact_already_has_an_account(db, client, auth, smtp, make_user, make_company):
    make_user(Role.APPLICANT, make_company(), email=CONTACT)
    staff = make_user(Role.STAFF)
    client.post("/aderisci", data=join_data())
    auth.login(staff.email)

    response = client.post(f"/soci/richieste/{the_request(db).id}/approva", follow_redirects=True)

    assert "appartiene già a un account" in text(response)
    db.session.expire_all()
    assert the_request(db).status == RequestStatus.PENDING
    assert the_request(db).company.membership_state == MembershipState.REQUESTED
    assert smtp.to(CONTACT) == []


def test_staff_suspend_reinstate_and_cease_a_member(db, client, auth, make_user, make_company):
    company = make_company(member_since=date(2024, 2, 1))
    staff = make_user(Role.STAFF)
    auth.login(staff.email)

    def change(state: str):
        return client.post(f"/soci/aziende/{company.id}/stato", data={"state": state, "reason": "Delibera del consiglio."})

    change("suspended")
    db.session.expire_all()
    assert company.membership_state == MembershipState.SUSPENDED and company.suspended_on == date.today()
    change("active")
    db.session.expire_all()
    assert company.membership_state == MembershipState.ACTIVE and company.member_since == date(2024, 2, 1)
    change("ceased")
    db.session.expire_all()
    assert company.membership_state == MembershipState.CEASED and company.ceased_on == date.today()
    change("active")
    db.session.expire_all()
    assert company.membership_state == MembershipState.CEASED  # a ceased member asks to join again

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "membership.state").order_by(AuditEntry.id)).all()
    assert [e.changes["membership_state"] for e in entries] == [
        ["active", "suspended"], ["suspended", "active"], ["active", "ceased"]
    ]
    assert all(e.changes["reason"] == "Delibera del consiglio." and e.actor_id == staff.id for e in entries)
