"""Route x role x own/foreign object: who reaches which Bollino Blu page (on the server)."""

import pytest

from portal.access import Role
from portal.certification import services
from portal.certification.models import Certificate, Evidence, Outcome
from tests.sessions import sign_in as as_user


@pytest.fixture
def scene(world, make_user):
    """Company A's application under review: auditor1 declared, auditor2 declined, auditor3 pending;
    plus a granted certificate of company A from an earlier application."""
    granted = world.awaiting_decision(4, auditors=("auditor2",))
    services.decide(granted, world.staff2, Outcome.GRANT, "ok", granted.version)
    certificate = Certificate.query.one()
    application = world.submitted()  # the same sites again: the granted application is closed
    a1 = services.assign_auditor(application, world.auditor1, world.staff)
    services.declare_no_conflict(a1, world.auditor1, "ok")
    a2 = services.assign_auditor(application, world.auditor3, world.staff)
    services.decline_assignment(a2, world.auditor3, "conflitto")
    a3 = services.assign_auditor(application, world.staff2, world.staff)  # staff2 audits: pending
    evidence = Evidence.query.filter_by(title="A1").order_by(Evidence.id.desc()).first()
    users = {
        "anonimo": None, "azienda": world.applicant, "altra_azienda": world.other_applicant,
        "valutatore": world.auditor1, "valutatore_rifiutato": world.auditor3, "valutatore_non_assegnato": make_user(Role.AUDITOR),
        "staff": world.staff, "staff_valutatore": world.staff2,
    }
    ids = {"app": application.id, "ev": evidence.id, "a1": a1.id, "a2": a2.id, "a3": a3.id, "cert": certificate.id,
           "num": certificate.number, "granted": granted.id, "review": certificate.reviews[0].id}
    return users, ids


LOGIN = 302
# route -> expected status per user (anonymous users are sent to the login page)
MATRIX = {
    "/bollino/registro": dict(anonimo=200, azienda=200, altra_azienda=200, valutatore=200, staff=200),
    "/bollino/registro/{num}": dict(anonimo=200, altra_azienda=200),
    "/bollino/registro/{num}.json": dict(anonimo=200),
    "/bollino/domande": dict(anonimo=LOGIN, azienda=200, valutatore=200, staff=200),
    "/bollino/domande/nuova": dict(anonimo=LOGIN, azienda=200, valutatore=403, staff=403),
    "/bollino/domande/{app}": dict(anonimo=LOGIN, azienda=200, altra_azienda=404, valutatore=200, valutatore_rifiutato=404,
                                   valutatore_non_assegnato=404, staff=200, staff_valutatore=200),
    "/bollino/domande/{app}/prove/{ev}": dict(anonimo=LOGIN, azienda=200, altra_azienda=404, valutatore=200,
                                              valutatore_rifiutato=404, valutatore_non_assegnato=404, staff=200,
                                              staff_valutatore=403),
    "/bollino/domande/{app}/aree/A": dict(anonimo=LOGIN, azienda=302, altra_azienda=404, valutatore=403, staff=403),
    "/bollino/incarichi/{a1}/valutazione": dict(anonimo=LOGIN, azienda=403, valutatore=200, valutatore_rifiutato=404,
                                                valutatore_non_assegnato=404, staff=404),
    "/bollino/incarichi/{a2}/dichiarazione": dict(valutatore=404, valutatore_rifiutato=200, azienda=403),
    "/bollino/incarichi/{a3}/valutazione": dict(staff_valutatore=302, valutatore=404),
    "/bollino/domande/{app}/confronto": dict(anonimo=LOGIN, azienda=403, valutatore=403, staff=200),
    "/bollino/domande/{granted}/decisione": dict(azienda=403, valutatore=403, staff=200),
    "/bollino/domande/{app}/decisione": dict(staff=200, staff_valutatore=403),
    "/bollino/certificati": dict(anonimo=LOGIN, azienda=200, altra_azienda=200, valutatore=403, staff=200),
    "/bollino/certificati/{cert}": dict(anonimo=LOGIN, azienda=200, altra_azienda=404, valutatore=403, staff=200),
    "/bollino/certificati/{cert}/pdf": dict(azienda=200, altra_azienda=404, valutatore=403),
    "/bollino/cruscotto": dict(anonimo=LOGIN, azienda=403, valutatore=403, staff=200),
    "/bollino/schema": dict(anonimo=LOGIN, azienda=403, valutatore=403, staff=200),
}

POSTS = {
    "/bollino/domande/{app}/invia": dict(altra_azienda=404, valutatore=403, staff=403, anonimo=LOGIN),
    "/bollino/domande/{app}/valutatori": dict(azienda=403, valutatore=403),
    "/bollino/incarichi/{a1}/raccomandazione": dict(valutatore_non_assegnato=404, azienda=403, staff=404),
    "/bollino/domande/{app}/decisione": dict(staff_valutatore=403, valutatore=403),
    "/bollino/certificati/{cert}/stato": dict(azienda=403, valutatore=403, anonimo=LOGIN),
    "/bollino/sorveglianze/{review}/apri": dict(azienda=403, valutatore=403),
    "/bollino/sorveglianze/{review}/valutatore": dict(azienda=403, valutatore=403),
    "/bollino/sorveglianze/{review}/dati": dict(altra_azienda=404, valutatore=403, staff=403),
    "/bollino/schema/1/copia": dict(azienda=403, valutatore=403),
}


def test_permission_matrix(client, scene):
    users, ids = scene
    wrong = []
    for method, table in (("GET", MATRIX), ("POST", POSTS)):
        for route, expected in table.items():
            url = route.format(**ids)
            for who, status in expected.items():
                as_user(client, users[who])
                response = client.open(url, method=method)
                if response.status_code != status:
                    wrong.append(f"{method} {url} as {who}: {response.status_code}, expected {status}")
    assert wrong == []


def test_foreign_evidence_id_in_own_application_is_404(client, world):
    mine = world.open()
    world.fill(mine)
    theirs = world.open(world.other_company, world.other_applicant)
    world.fill(theirs, world.other_applicant)
    foreign = Evidence.query.filter_by(company_id=world.other_company.id).first()
    as_user(client, world.applicant)
    assert client.get(f"/bollino/domande/{mine.id}/prove/{foreign.id}").status_code == 404
    # nor can it be attached to one's own application by id
    a1 = next(p for p in mine.edition.parameters if p.code == "A1")
    response = client.post(f"/bollino/domande/{mine.id}/aree/A", data={f"reuse_{a1.id}": str(foreign.id)})
    assert response.status_code == 422 and "non appartiene alla tua azienda" in response.get_data(as_text=True)


def test_an_auditor_who_declared_a_conflict_no_longer_lists_the_application(client, scene):
    users, ids = scene
    link = f'href="/bollino/domande/{ids["app"]}"'
    as_user(client, users["valutatore"])
    assert link in client.get("/bollino/domande").get_data(as_text=True)
    as_user(client, users["valutatore_rifiutato"])
    assert link not in client.get("/bollino/domande").get_data(as_text=True)
