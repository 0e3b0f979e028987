"""Parties invited by e-mail: the iCalendar request on a real SMTP server, the answer link that works once and
only for its invitee, delegation, updates and cancellations, reminders, the minutes sent for comments and
approved, and the personal read-only link of an outside party."""

import re
from datetime import UTC, timedelta
from html import unescape

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.access import Role
from portal.database import utcnow
from portal.extensions import db as _db
from portal.mail import OutboxMessage
from portal.reshoring import services_invitations, services_parties, services_roundtables
from portal.reshoring.models import MinutesComment, RoundtableInvitation
from tests.certification.conftest import pdf_upload
from tests.sessions import sign_in

UNION, MINISTRY = "cgil@example.it", "tavoli@mimit.example.it"


@pytest.fixture
def seated(db, make_roundtable, make_company):
    """An upcoming session with an outside union (two people), a ministry and a member company as parties."""
    union = services_parties.save_organisation(None, {"kind": "sindacato", "name": "SLC-CGIL", "company_id": None})
    services_parties.save_contact(union, None, {"name": "Carla Sindacale", "email": UNION, "role": "Segretaria"})
    services_parties.save_contact(union, None, {"name": "Bruno Vice", "email": "vice@example.it", "role": ""})
    ministry = services_parties.save_organisation(None, {"kind": "ministero", "name": "MIMIT", "company_id": None})
    services_parties.save_contact(ministry, None, {"name": "Marta Ministeri", "email": MINISTRY, "role": ""})
    member = make_company(name="Voce Chiara S.p.A.")
    roundtable = make_roundtable(days_from_now=10, title="Tavolo sul reshoring")
    services_roundtables.add_parties(roundtable, [union, ministry])
    return {"roundtable": roundtable, "union": union, "ministry": ministry, "member": member}


@pytest.fixture
def staff_client(client, staff):
    sign_in(client, staff)
    return client


def calendar_of(message):
    """The text/calendar alternative (what mail clients show as a meeting) and the attached invito.ics must agree."""
    parts = {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}
    alternative, attachment = parts["text/calendar"], parts["application/ics"]
    assert attachment.get_filename() == "invito.ics"
    assert attachment.get_content().decode() == alternative.get_content()
    calendar = Calendar.from_ical(alternative.get_content())
    assert alternative.get_param("method") == calendar["method"]
    return calendar


def links(message) -> dict[str, str]:
    body = message.get_body(("plain",)).get_content()
    return {"answer": re.search(r"http\S+/reshoring/invito/(\S+)", body)[1] if "/invito/" in body else None,
            "access": re.search(r"http\S+/reshoring/seduta/(\S+)", body)[1]}


def invitation_of(email: str) -> RoundtableInvitation:
    _db.session.expire_all()
    return _db.session.scalars(select(RoundtableInvitation).where(RoundtableInvitation.email == email)).one()


def test_invitations_reach_a_real_smtp_server_with_the_calendar_request(staff_client, seated, smtp, app):
    roundtable = seated["roundtable"]
    response = staff_client.post(f"/reshoring/tavoli/{roundtable.id}/inviti", follow_redirects=True)
    assert "Inviti inviati a 3 persone; aggiornamenti a 0." in unescape(response.get_data(as_text=True))
    assert sorted(m["To"] for m in smtp.messages) == sorted([UNION, "vice@example.it", MINISTRY])
    message = smtp.last_to(UNION)
    assert message["Subject"] == "Invito al tavolo «Tavolo sul reshoring»"
    calendar = calendar_of(message)
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == f"tavolo-{roundtable.id}@assocontact.it" and event["sequence"] == 0
    assert str(event["organizer"]).startswith("mailto:") and str(event["organizer"])[7:] in app.config["MAIL_SENDER"]
    assert str(event["attendee"]) == f"mailto:{UNION}" and event["attendee"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event["attendee"].params["CN"] == "Carla Sindacale"
    assert event.decoded("dtstart") == roundtable.starts_at.replace(microsecond=0, tzinfo=UTC)  # UTC, not a floating time
    assert links(message)["answer"] != links(smtp.last_to("vice@example.it"))["answer"]  # one link per person
    # staff reading the outbox never see a personal link: only the recipient can use it
    outbox = unescape(staff_client.get("/posta").get_data(as_text=True))
    stored = " ".join(m.body for m in _db.session.scalars(select(OutboxMessage)))
    for personal in links(message).values():
        assert personal not in outbox and personal not in stored
    # the page lists who was invited; sending again finds nobody new
    page = unescape(staff_client.get(f"/reshoring/tavoli/{roundtable.id}").get_data(as_text=True))
    assert "Carla Sindacale" in page and "in attesa di risposta" in page
    again = staff_client.post(f"/reshoring/tavoli/{roundtable.id}/inviti", follow_redirects=True)
    assert "Tutte le persone delle parti hanno già ricevuto l'invito aggiornato." in unescape(again.get_data(as_text=True))


def test_the_answer_link_works_once_and_only_for_its_invitee(client, seated, smtp, staff):
    services_invitations.send_invitations(seated["roundtable"], staff)
    carla, bruno = links(smtp.last_to(UNION)), links(smtp.last_to("vice@example.it"))
    form = client.get(f"/reshoring/invito/{carla['answer']}")
    assert form.status_code == 200 and "Carla Sindacale" in unescape(form.get_data(as_text=True))
    done = client.post(f"/reshoring/invito/{carla['answer']}", data={"answer": "partecipa", "note": "Arrivo alle 10"})
    assert done.status_code == 200 and "la risposta è registrata" in unescape(done.get_data(as_text=True))
    assert invitation_of(UNION).status == "partecipa" and invitation_of(UNION).note == "Arrivo alle 10"
    assert invitation_of("vice@example.it").status == "invitato"  # only the invitee's own answer changed
    # used once: the same link, to read or to answer again, is refused
    assert client.get(f"/reshoring/invito/{carla['answer']}").status_code == 404
    assert client.post(f"/reshoring/invito/{carla['answer']}", data={"answer": "non_partecipa"}).status_code == 404
    assert invitation_of(UNION).status == "partecipa"
    # a link of another kind, or made up, opens nothing
    assert client.get(f"/reshoring/invito/{bruno['access']}").status_code == 404
    assert client.get("/reshoring/invito/" + "x" * 43).status_code == 404
    assert client.post(f"/reshoring/invito/{bruno['answer']}", data={"answer": "non_partecipa"}).status_code == 200
    assert invitation_of("vice@example.it").status == "non_partecipa"


def test_a_person_who_delegates_names_someone_who_is_invited_in_their_place(client, seated, smtp, staff):
    services_invitations.send_invitations(seated["roundtable"], staff)
    answer = links(smtp.last_to(MINISTRY))["answer"]
    missing = client.post(f"/reshoring/invito/{answer}", data={"answer": "delegato", "delegate_name": "Dario Delegato"})
    assert missing.status_code == 422 and "Indica nome e indirizzo e-mail" in unescape(missing.get_data(as_text=True))
    taken = client.post(f"/reshoring/invito/{answer}", data={"answer": "delegato", "delegate_name": "Carla", "delegate_email": UNION})
    assert taken.status_code == 422 and f"{UNION} è già invitato a questa seduta." in unescape(taken.get_data(as_text=True))
    done = client.post(f"/reshoring/invito/{answer}", data={"answer": "delegato", "delegate_name": "Dario Delegato",
                                                            "delegate_email": "dario@mimit.example.it"})
    assert done.status_code == 200 and "Abbiamo inviato l'invito a Dario Delegato" in unescape(done.get_data(as_text=True))
    attendee = calendar_of(smtp.last_to("dario@mimit.example.it")).walk("VEVENT")[0]["attendee"]
    assert attendee.params["DELEGATED-FROM"] == f"mailto:{MINISTRY}"
    delegate = invitation_of("dario@mimit.example.it")
    assert delegate.party.name == "MIMIT" and delegate.delegated_from.email == MINISTRY
    assert invitation_of(MINISTRY).status == "delegato"


def test_a_change_of_date_or_place_goes_out_as_an_update_and_asks_for_a_new_answer(client, seated, smtp, staff):
    roundtable = seated["roundtable"]
    services_invitations.send_invitations(roundtable, staff)
    old = links(smtp.last_to(UNION))["answer"]
    client.post(f"/reshoring/invito/{old}", data={"answer": "partecipa"})
    smtp.messages.clear()
    data = {f: getattr(roundtable, f) for f in services_roundtables.ROUNDTABLE_FIELDS}
    services_roundtables.save_roundtable(roundtable, data | {"description": "Nuova descrizione"}, staff)
    assert smtp.messages == []  # nothing of the date or place changed: nobody is written to
    services_roundtables.save_roundtable(roundtable, data | {"starts_at": roundtable.starts_at + timedelta(days=1)}, staff)
    assert sorted(m["To"] for m in smtp.messages) == sorted([UNION, "vice@example.it", MINISTRY])
    update = smtp.last_to(UNION)
    assert update["Subject"] == "Tavolo «Tavolo sul reshoring»: cambiano data o luogo"
    event = calendar_of(update).walk("VEVENT")[0]
    assert event["sequence"] == 1 and str(event["uid"]) == f"tavolo-{roundtable.id}@assocontact.it"
    assert invitation_of(UNION).status == "invitato"  # the answer was for the old date
    assert client.get(f"/reshoring/invito/{old}").status_code == 404
    assert client.get(f"/reshoring/invito/{links(update)['answer']}").status_code == 200


def test_a_party_taken_off_the_table_gets_the_cancellation(seated, smtp, staff):
    roundtable = seated["roundtable"]
    services_invitations.send_invitations(roundtable, staff)
    smtp.messages.clear()
    services_roundtables.remove_party(next(p for p in roundtable.parties if p.name == "MIMIT"))
    assert [m["To"] for m in smtp.messages] == [MINISTRY]
    calendar = calendar_of(smtp.last_to(MINISTRY))
    assert calendar["method"] == "CANCEL" and calendar.walk("VEVENT")[0]["status"] == "CANCELLED"


def test_reminders_go_once_to_who_is_still_expected(app, client, seated, smtp, staff):
    roundtable = seated["roundtable"]
    services_invitations.send_invitations(roundtable, staff)
    client.post(f"/reshoring/invito/{links(smtp.last_to('vice@example.it'))['answer']}", data={"answer": "non_partecipa"})
    smtp.messages.clear()
    assert services_invitations.send_reminders() == 0  # ten days before: too early
    roundtable.starts_at = utcnow() + timedelta(days=1)
    _db.session.commit()
    runner = app.test_cli_runner()
    assert "2 promemoria inviati." in runner.invoke(args=["reshoring", "remind"]).output
    assert sorted(m["To"] for m in smtp.messages) == sorted([UNION, MINISTRY])  # not who declined
    assert links(smtp.last_to(UNION))["answer"]  # still unanswered: a fresh answer link
    assert "0 promemoria inviati." in runner.invoke(args=["reshoring", "remind"]).output


def test_draft_minutes_go_out_for_comments_and_the_approved_minutes_to_all(client, seated, smtp, staff):
    roundtable = seated["roundtable"]
    services_invitations.send_invitations(roundtable, staff)
    roundtable.starts_at = utcnow() - timedelta(hours=3)  # the session took place
    _db.session.commit()
    services_roundtables.save_minutes(roundtable, "Si conviene di **chiedere** il credito d'imposta.")
    smtp.messages.clear()
    services_roundtables.circulate_minutes(roundtable, utcnow().date() + timedelta(days=7), staff)
    assert sorted(m["To"] for m in smtp.messages) == sorted([UNION, "vice@example.it", MINISTRY])
    draft = smtp.last_to(UNION)
    assert "bozza del verbale" in draft["Subject"] and "chiedere" in draft.get_body(("plain",)).get_content()
    access = links(draft)["access"]
    page = unescape(client.get(f"/reshoring/seduta/{access}").get_data(as_text=True))
    assert "Si conviene di" in page and "Bozza: puoi inviare osservazioni" in page
    posted = client.post(f"/reshoring/seduta/{access}/osservazioni", data={"text": "Aggiungere la data del prossimo incontro."})
    assert posted.status_code == 302
    comment = _db.session.scalars(select(MinutesComment)).one()
    assert comment.author == "Carla Sindacale (SLC-CGIL)" and comment.invitation_id == invitation_of(UNION).id
    smtp.messages.clear()
    services_roundtables.approve_minutes(roundtable, staff)
    assert sorted(m["To"] for m in smtp.messages) == sorted([UNION, "vice@example.it", MINISTRY])
    assert smtp.last_to(MINISTRY)["Subject"] == "Tavolo «Tavolo sul reshoring»: verbale approvato"
    assert links(smtp.last_to(UNION))["access"] == access  # the reading link of every e-mail is the same
    refused = client.post(f"/reshoring/seduta/{access}/osservazioni", data={"text": "Tardi"})
    assert refused.status_code == 422 and "Il verbale non è aperto alle osservazioni." in unescape(refused.get_data(as_text=True))


def test_the_personal_link_opens_its_own_session_and_nothing_else(client, seated, smtp, staff, make_roundtable):
    roundtable = seated["roundtable"]
    document = services_roundtables.add_document(roundtable, pdf_upload("convocazione.pdf"), "Convocazione", staff)
    other = make_roundtable(days_from_now=20, title="Tavolo riservato")
    elsewhere = services_roundtables.add_document(other, pdf_upload("riservato.pdf"), "Riservato", staff)
    services_invitations.send_invitations(roundtable, staff)
    access = links(smtp.last_to(UNION))["access"]
    page = unescape(client.get(f"/reshoring/seduta/{access}").get_data(as_text=True))
    assert "Tavolo sul reshoring" in page and "Convocazione" in page and "Tavolo riservato" not in page
    assert client.get(f"/reshoring/seduta/{access}/documenti/{document.id}").status_code == 200
    assert client.get(f"/reshoring/seduta/{access}/documenti/{elsewhere.id}").status_code == 404
    assert Calendar.from_ical(client.get(f"/reshoring/seduta/{access}/calendario.ics").data).walk("VEVENT")[0]["summary"] == roundtable.title
    # the answer link is not a reading link, and a link past its term opens nothing
    assert client.get(f"/reshoring/seduta/{links(smtp.last_to(UNION))['answer']}").status_code == 404
    invitation = invitation_of(UNION)
    invitation.access_expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    expired = client.get(f"/reshoring/seduta/{access}")
    assert expired.status_code == 404 and "Questo link non è più valido" in unescape(expired.get_data(as_text=True))
    assert client.get(f"/reshoring/seduta/{access}/documenti/{document.id}").status_code == 404


def test_staff_cannot_invite_to_a_session_that_has_begun_or_with_nobody_to_write_to(staff_client, make_roundtable, seated):
    past = make_roundtable(days_from_now=-1)
    services_roundtables.add_parties(past, [seated["union"]])
    refused = staff_client.post(f"/reshoring/tavoli/{past.id}/inviti", follow_redirects=True)
    assert "La seduta è già iniziata: gli inviti non si inviano più." in unescape(refused.get_data(as_text=True))
    empty = make_roundtable(days_from_now=5, title="Senza contatti")
    nobody = services_parties.save_organisation(None, {"kind": "associazione", "name": "Senza e-mail", "company_id": None})
    services_roundtables.add_parties(empty, [nobody])
    refused = staff_client.post(f"/reshoring/tavoli/{empty.id}/inviti", follow_redirects=True)
    assert "Nessuna parte ha un contatto con indirizzo e-mail" in unescape(refused.get_data(as_text=True))


def test_only_staff_send_invitations(client, seated, make_user):
    sign_in(client, make_user(Role.COMPANY_ADMIN, seated["member"]))
    assert client.post(f"/reshoring/tavoli/{seated['roundtable'].id}/inviti").status_code == 403
