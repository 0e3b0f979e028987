"""A member company that is a party sees its sessions (agenda, documents, approved minutes) and nothing else;
the minutes go from draft to comments to approval."""

from datetime import date, timedelta
from html import unescape

import pytest

from portal.access import Role
from portal.reshoring import services_roundtables
from portal.reshoring.models import AgendaItem, MinutesComment, Organisation, RoundtableParty
from tests.certification.conftest import pdf_upload
from tests.sessions import sign_in


@pytest.fixture
def seated(db, make_company, make_user, make_roundtable, staff):
    """Company A sits at a past session with a document and minutes; company B sits at another session only."""
    a, b = make_company(name="Voce Chiara S.p.A."), make_company(name="Contatto Sud S.r.l.")
    org_a = Organisation(kind="outsourcer", name=a.ragione_sociale, company_id=a.id)
    org_b = Organisation(kind="outsourcer", name=b.ragione_sociale, company_id=b.id)
    union = Organisation(kind="sindacato", name="SLC-CGIL")
    ours = make_roundtable(days_from_now=-3, title="Tavolo con A", minutes="Bozza: si discute del **credito**.")
    theirs = make_roundtable(days_from_now=-2, title="Tavolo riservato a B")
    db.session.add_all([org_a, org_b, union, AgendaItem(roundtable=ours, title="Dati sull'Albania", position=1),
                        RoundtableParty(roundtable=ours, organisation=org_a), RoundtableParty(roundtable=ours, organisation=union),
                        RoundtableParty(roundtable=theirs, organisation=org_b)])
    db.session.commit()
    document = services_roundtables.add_document(ours, pdf_upload("convocazione.pdf"), "Convocazione", staff)
    return {"a": make_user(Role.APPLICANT, a), "b": make_user(Role.COMPANY_ADMIN, b), "ours": ours, "theirs": theirs,
            "document": document}


def test_a_party_sees_its_sessions_and_nothing_else(client, seated):
    ours, theirs = seated["ours"], seated["theirs"]
    sign_in(client, seated["a"])
    listing = client.get("/reshoring/tavoli").get_data(as_text=True)
    assert "Tavolo con A" in listing and "Tavolo riservato a B" not in listing
    for url, expected in [(f"/reshoring/tavoli/{ours.id}", 200), (f"/reshoring/tavoli/{ours.id}/calendario.ics", 200),
                          (f"/reshoring/documenti/{seated['document'].id}", 200),
                          (f"/reshoring/tavoli/{theirs.id}", 404), (f"/reshoring/tavoli/{theirs.id}/calendario.ics", 404),
                          (f"/reshoring/tavoli/{ours.id}/modifica", 403), ("/reshoring/azioni", 403), ("/reshoring/dossier", 403)]:
        assert client.get(url).status_code == expected, url
    page = unescape(client.get(f"/reshoring/tavoli/{ours.id}").get_data(as_text=True))
    assert "La vostra organizzazione al tavolo: Voce Chiara S.p.A." in page and "Dati sull'Albania" in page and "Convocazione" in page
    assert "si discute del" not in page  # a draft that was not sent out for comments stays with staff
    assert "Salva le presenze" not in page and "Registra l'esito" not in page
    assert [e for e in client.get("/reshoring/tavoli/calendario.ics").get_data(as_text=True).split("\n") if e.startswith("SUMMARY")] == []
    sign_in(client, seated["b"])
    assert client.get(f"/reshoring/documenti/{seated['document'].id}").status_code == 404


def test_minutes_go_out_for_comments_then_are_approved(client, db, seated, staff):
    ours = seated["ours"]
    sign_in(client, staff)
    refused = client.post(f"/reshoring/tavoli/{ours.id}/verbale/revisione", data={"comments_until": (date.today() - timedelta(days=1)).isoformat()})
    assert refused.status_code == 422 and "non può essere già passata" in refused.get_data(as_text=True)
    until = date.today() + timedelta(days=7)
    client.post(f"/reshoring/tavoli/{ours.id}/verbale/revisione", data={"comments_until": until.isoformat()})
    sign_in(client, seated["a"])
    page = unescape(client.get(f"/reshoring/tavoli/{ours.id}").get_data(as_text=True))
    assert "si discute del <strong>credito</strong>" in page and "puoi inviare osservazioni fino al" in page
    sent = client.post(f"/reshoring/tavoli/{ours.id}/osservazioni", data={"text": "Aggiungere i dati sui subappalti."}, follow_redirects=True)
    assert "Osservazione inviata" in sent.get_data(as_text=True)
    assert [(c.author, c.text) for c in db.session.query(MinutesComment)] == [(f"{seated['a'].name} (Voce Chiara S.p.A.)",
                                                                               "Aggiungere i dati sui subappalti.")]
    sign_in(client, seated["b"])
    assert client.post(f"/reshoring/tavoli/{ours.id}/osservazioni", data={"text": "Non siamo al tavolo"}).status_code == 404
    sign_in(client, staff)
    assert "Aggiungere i dati sui subappalti." in client.get(f"/reshoring/tavoli/{ours.id}").get_data(as_text=True)
    client.post(f"/reshoring/tavoli/{ours.id}/verbale/approva")
    db.session.expire_all()
    assert ours.minutes_approved and ours.minutes_approved_by_id == staff.id
    edit = client.post(f"/reshoring/tavoli/{ours.id}/verbale", data={"minutes": "Altro testo"})
    assert edit.status_code == 422 and db.session.get(type(ours), ours.id).minutes.startswith("Bozza")
    sign_in(client, seated["a"])
    page = unescape(client.get(f"/reshoring/tavoli/{ours.id}").get_data(as_text=True))
    assert "Approvato il" in page and "Invia l'osservazione" not in page
    late = client.post(f"/reshoring/tavoli/{ours.id}/osservazioni", data={"text": "Troppo tardi"})
    assert late.status_code == 422 and "non è aperto alle osservazioni" in late.get_data(as_text=True)


def test_comments_after_the_deadline_are_refused(client, db, seated, staff):
    ours = seated["ours"]
    ours.minutes_status, ours.minutes_comments_until = "in_revisione", date.today() - timedelta(days=1)
    db.session.commit()
    sign_in(client, seated["a"])
    response = client.post(f"/reshoring/tavoli/{ours.id}/osservazioni", data={"text": "Un'osservazione"})
    assert response.status_code == 422 and "Il termine per le osservazioni è scaduto" in response.get_data(as_text=True)
    assert db.session.query(MinutesComment).count() == 0
