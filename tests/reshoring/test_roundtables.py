"""Roundtables: outcomes move the proposal's state citing the session, actions, ICS, minutes."""

from datetime import UTC, date, timedelta

from icalendar import Calendar

from portal.reshoring import services_roundtables
from portal.reshoring.models import AgendaItem, Contact, FollowUpAction, Organisation, Roundtable, RoundtableParty

XSS = '<script>alert("xss")</script> [clicca](javascript:alert(1))'


def test_create_session_in_italian_time(client, auth, staff, db):
    auth.login(staff.email)
    response = client.post("/reshoring/tavoli/nuovo", data={"title": "Tavolo MIMIT", "starts_at": "2027-02-10T10:00",
                                                           "convening_body": "MIMIT", "place": "", "link": ""})
    assert response.status_code == 422
    assert "Indica il luogo oppure il collegamento" in response.get_data(as_text=True)
    client.post("/reshoring/tavoli/nuovo", data={"title": "Tavolo MIMIT", "starts_at": "2027-02-10T10:00",
                                                 "ends_at": "2027-02-10T09:00", "convening_body": "MIMIT", "place": "Roma"})
    assert db.session.query(Roundtable).count() == 0  # ends before it starts
    client.post("/reshoring/tavoli/nuovo", data={"title": "Tavolo MIMIT", "starts_at": "2027-02-10T10:00",
                                                 "convening_body": "MIMIT", "place": "Roma"})
    roundtable = db.session.query(Roundtable).one()
    assert roundtable.starts_at.hour == 9  # 10:00 in Rome in winter is 09:00 UTC


def test_outcome_moves_the_proposal_and_the_proposal_shows_the_session(client, auth, staff, make_proposal, make_roundtable, workflow, db):
    proposal = make_proposal("in_discussione")
    roundtable = make_roundtable(days_from_now=-2)
    auth.login(staff.email)
    client.post(f"/reshoring/tavoli/{roundtable.id}/ordine-del-giorno", data={"proposal_id": proposal.id})
    item = db.session.query(AgendaItem).one()
    prefix = f"item{item.id}-"
    refused = client.post(f"/reshoring/punti/{item.id}/esito", data={prefix + "outcome": "Accolta solo al Sud",
                                                                    prefix + "state_id": workflow["accolta_in_parte"].id})
    assert refused.status_code == 422 and "indica il motivo" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert proposal.state.code == "in_discussione" and item.decided_at is None
    client.post(f"/reshoring/punti/{item.id}/esito", data={prefix + "outcome": "Accolta solo al Sud",
                                                          prefix + "state_id": workflow["accolta_in_parte"].id,
                                                          prefix + "reason": "Solo per il Mezzogiorno"})
    db.session.expire_all()
    assert proposal.state.code == "accolta_in_parte"
    assert proposal.history[-1].agenda_item_id == item.id and proposal.history[-1].reason == "Solo per il Mezzogiorno"
    page = client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True)
    assert "Al tavolo «Tavolo MIMIT sul reshoring»: «Accolta in parte»" in page


def test_no_outcome_before_the_session(client, auth, staff, make_proposal, make_roundtable, workflow, db):
    proposal = make_proposal("in_discussione")
    roundtable = make_roundtable(days_from_now=3)
    item = AgendaItem(roundtable=roundtable, proposal=proposal, position=1)
    db.session.add(item)
    db.session.commit()
    auth.login(staff.email)
    prefix = f"item{item.id}-"
    response = client.post(f"/reshoring/punti/{item.id}/esito", data={prefix + "outcome": "Accolta", prefix + "state_id": workflow["accolta"].id})
    assert response.status_code == 422
    db.session.expire_all()
    assert proposal.state.code == "in_discussione"


def test_drafts_do_not_go_on_the_agenda(client, auth, staff, make_proposal, make_roundtable, db):
    draft = make_proposal("bozza")
    roundtable = make_roundtable()
    auth.login(staff.email)
    client.post(f"/reshoring/tavoli/{roundtable.id}/ordine-del-giorno", data={"proposal_id": draft.id})
    client.post(f"/reshoring/tavoli/{roundtable.id}/ordine-del-giorno", data={"title": "Varie ed eventuali"})
    assert [i.label for i in db.session.query(AgendaItem)] == ["Varie ed eventuali"]


def test_parties_and_attendance(client, auth, staff, make_roundtable, db):
    roundtable = make_roundtable(days_from_now=-1)
    union, ministry = Organisation(kind="sindacato", name="SLC-CGIL"), Organisation(kind="ministero", name="MIMIT")
    db.session.add_all([union, ministry])
    db.session.commit()
    auth.login(staff.email)
    added = client.post(f"/reshoring/tavoli/{roundtable.id}/parti", data={"organisation_ids": [union.id, ministry.id]}, follow_redirects=True)
    assert "2 parti aggiunte al tavolo: SLC-CGIL, MIMIT." in added.get_data(as_text=True) or \
        "2 parti aggiunte al tavolo: MIMIT, SLC-CGIL." in added.get_data(as_text=True)
    again = client.post(f"/reshoring/tavoli/{roundtable.id}/parti", data={"organisation_ids": [union.id]})
    assert again.status_code == 422  # already seated: no longer a choice
    party = db.session.query(RoundtableParty).filter_by(organisation_id=union.id).one()
    client.post(f"/reshoring/tavoli/{roundtable.id}/presenze", data={"present": [party.id]})
    db.session.expire_all()
    assert {p.name: p.present for p in roundtable.parties} == {"SLC-CGIL": True, "MIMIT": False}


def test_overdue_action_on_staff_home_then_done(client, auth, staff, make_roundtable, db):
    roundtable = make_roundtable()
    item = AgendaItem(roundtable=roundtable, title="Dati sull'Albania", position=1)
    outsider, association = Organisation(kind="sindacato", name="UGL"), Organisation(kind="associazione", name="Assocontact")
    db.session.add_all([item, outsider, association, RoundtableParty(roundtable=roundtable, organisation=association)])
    db.session.commit()
    auth.login(staff.email)
    due = (date.today() - timedelta(days=1)).isoformat()
    refused = client.post(f"/reshoring/punti/{item.id}/azioni", data={f"azione{item.id}-description": "Raccogliere i dati",
                                                                     f"azione{item.id}-owner_id": outsider.id, f"azione{item.id}-due_date": due})
    assert refused.status_code == 422 and db.session.query(FollowUpAction).count() == 0  # the owner must sit at the table
    client.post(f"/reshoring/punti/{item.id}/azioni", data={f"azione{item.id}-description": "Raccogliere i dati",
                                                           f"azione{item.id}-owner_id": association.id, f"azione{item.id}-due_date": due})
    assert "Azioni dei tavoli scadute" in client.get("/home").get_data(as_text=True)
    action = db.session.query(FollowUpAction).one()
    blocked = client.post(f"/reshoring/azioni/{action.id}", data={"status": "bloccata", "progress": "30", "note": ""})
    assert blocked.status_code == 422 and "Spiega perché l&#39;azione è bloccata" in blocked.get_data(as_text=True)
    client.post(f"/reshoring/azioni/{action.id}", data={"status": "in_corso", "progress": "60", "note": "Risposte da 4 aziende su 6"})
    done = client.post(f"/reshoring/azioni/{action.id}", data={"status": "fatta", "progress": "60", "note": ""}, follow_redirects=True)
    assert "«Raccogliere i dati» è Fatta (100%)" in done.get_data(as_text=True)
    db.session.expire_all()
    assert action.status == "fatta" and action.progress == 100 and action.done_at is not None
    assert [(u.status, u.progress, u.note) for u in action.updates] == [("in_corso", 60, "Risposte da 4 aziende su 6"), ("fatta", 100, "")]
    assert "Azioni dei tavoli scadute" not in client.get("/home").get_data(as_text=True)


def test_ics_export(client, auth, staff, make_roundtable, make_proposal, db):
    roundtable = make_roundtable(days_from_now=10, link="https://riunione.example/tavolo")
    db.session.add(AgendaItem(roundtable=roundtable, proposal=make_proposal("presentata"), position=1))
    db.session.commit()
    auth.login(staff.email)
    response = client.get(f"/reshoring/tavoli/{roundtable.id}/calendario.ics")
    assert response.mimetype == "text/calendar"
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["summary"]) == "Tavolo MIMIT sul reshoring"
    # stored in UTC and written as UTC ("Z"): a time without a zone is read as the reader's local time, an hour off in Italy
    assert f"DTSTART:{roundtable.starts_at:%Y%m%dT%H%M%S}Z" in response.get_data(as_text=True)
    assert event.decoded("dtstart") == roundtable.starts_at.replace(microsecond=0, tzinfo=UTC)
    assert (event.decoded("dtend") - event.decoded("dtstart")) == timedelta(hours=2)
    assert "1. Credito d'imposta per FTE riportati" in str(event["description"])
    assert str(event["location"]) == "Roma, via Veneto 33"
    upcoming = Calendar.from_ical(client.get("/reshoring/tavoli/calendario.ics").data).walk("VEVENT")
    assert [str(e["uid"]) for e in upcoming] == [f"tavolo-{roundtable.id}@assocontact.it"]


def test_minutes_and_description_markdown_are_sanitised(client, auth, staff, make_roundtable, db):
    roundtable = make_roundtable(days_from_now=-1, description=XSS)
    auth.login(staff.email)
    client.post(f"/reshoring/tavoli/{roundtable.id}/verbale", data={"minutes": XSS})
    item = AgendaItem(roundtable=roundtable, title="Punto", position=1)
    db.session.add(item)
    db.session.commit()
    client.post(f"/reshoring/punti/{item.id}/esito", data={f"item{item.id}-outcome": XSS})
    page = client.get(f"/reshoring/tavoli/{roundtable.id}").get_data(as_text=True)
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert page.count("&lt;script&gt;alert(") >= 3


def test_minutes_only_after_the_session(client, auth, staff, make_roundtable):
    roundtable = make_roundtable(days_from_now=5)
    auth.login(staff.email)
    response = client.post(f"/reshoring/tavoli/{roundtable.id}/verbale", data={"minutes": "Verbale"})
    assert response.status_code == 422 and "dopo l&#39;inizio della seduta" in response.get_data(as_text=True)


def test_the_owners_of_open_actions_are_reminded_before_the_due_date_and_weekly_while_late(db, make_roundtable, smtp):
    union = Organisation(kind="sindacato", name="SLC-CGIL")
    union.contacts = [Contact(name="Carla Sindacale", email="carla@slc.example.it"), Contact(name="Ex", email="ex@slc.example.it", active=False)]
    item = AgendaItem(roundtable=make_roundtable(days_from_now=-30), title="Dati", position=1)
    today = date.today()
    soon, late, later, done = (FollowUpAction(item=item, owner=union, description=d, due_date=today + timedelta(days=n), status=s)
                               for d, n, s in (("Inviare i dati", 3, "da_fare"), ("Convocare le RSU", -2, "in_corso"),
                                               ("Rapporto annuale", 30, "da_fare"), ("Già fatta", 1, "fatta")))
    db.session.add_all([union, item, soon, late, later, done])
    db.session.commit()
    assert services_roundtables.send_action_reminders() == 2
    assert sorted(m["Subject"] for m in smtp.messages) == [
        "Azione in ritardo: «Convocare le RSU»", f"Azione in scadenza il {soon.due_date:%d/%m/%Y}: «Inviare i dati»"]
    assert {m["To"] for m in smtp.messages} == {"carla@slc.example.it"}  # the active contacts only
    assert "SLC-CGIL si è impegnata" in smtp.body(smtp.last_to("carla@slc.example.it"))
    assert services_roundtables.send_action_reminders() == 0  # once a week at most
    late.reminded_at = soon.reminded_at = late.reminded_at - timedelta(days=8)
    db.session.commit()
    assert services_roundtables.send_action_reminders() == 2
