"""A consultation on a draft edition, from preparation to report, through the services and the
pages its people use: staff, member companies' users, outside parties with an account or a link."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.access import Role
from portal.certification import scheme
from portal.certification.consultation import services
from portal.certification.consultation.access import Participation
from portal.certification.consultation.models import Comment, DraftChange, Participant, Phase
from portal.certification.models import EditionStatus
from portal.extensions import db
from portal.jobs.engine import run_task
from portal.members.models import Invitation
from portal.members.services import accept_invitation, invitation_link
from portal.rules import RuleError
from tests.certification.conftest import define_proposed_crosswalk
from tests.certification.consultations import (
    RULES_2027,
    as_participant,
    close,
    comment,
    launched,
    parameter_target,
    prepared,
    settings,
)
from tests.sessions import sign_in

OUTSIDER = {"organisation": "Sindacato Comunicazione", "kind": "union", "contact_name": "Ugo Unione",
            "email": "ugo@sindacato.example.it", "access": "account"}
CLIENT_LINK = {"organisation": "Energia S.p.A.", "kind": "client", "contact_name": "Carla Committente",
               "email": "carla@energia.example.it", "access": "link"}


def link_in(message) -> str:
    return re.search(r"http://localhost(/bollino/consultazioni/accesso/\S+)", message.get_content()).group(1)


def test_the_period_is_at_least_a_week_and_does_not_start_in_the_past(world):
    consultation = prepared(world)
    with pytest.raises(RuleError, match="ha già la sua consultazione"):
        services.create(consultation.edition, settings(), world.staff)
    with pytest.raises(RuleError, match="almeno 7 giorni"):
        services.update(consultation, settings(days=5), world.staff)
    with pytest.raises(RuleError, match="apertura è passata"):
        services.update(consultation, settings(opens_on=date.today() - timedelta(days=1)), world.staff)
    with pytest.raises(RuleError, match="Invita almeno una parte"):
        services.launch(consultation, world.staff)


def test_a_copied_draft_is_consulted_under_its_own_code(world):
    """Else every e-mail and page would speak of the "bozza 2026-bozza"."""
    draft = scheme.copy_edition(world.edition, world.staff)
    consultation = services.create(draft, settings(), world.staff)
    services.invite_companies(consultation, [world.company.id], world.staff)
    with pytest.raises(RuleError, match="codice della nuova edizione"):
        services.launch(consultation, world.staff)
    scheme.update_rules(draft, RULES_2027, world.staff)
    services.launch(consultation, world.staff)
    assert consultation.current_phase == Phase.OPEN


def test_launch_invites_every_party_and_freezes_the_draft(world, smtp):
    consultation = prepared(world)
    services.invite_companies(consultation, [world.company.id], world.staff)
    services.invite_outsider(consultation, OUTSIDER, world.staff)
    services.invite_outsider(consultation, CLIENT_LINK, world.staff)
    assert smtp.messages == []  # nothing leaves before the launch
    draft = consultation.edition
    assert scheme.lock_reason(draft) is None

    services.launch(consultation, world.staff)

    assert consultation.current_phase == Phase.OPEN and consultation.consulted_snapshot["code"] == "2027"
    for user in (world.applicant, world.company_admin):
        assert "aperta fino al" in smtp.last_to(user.email).get_content()
    assert "Utente azienda" not in smtp.last_to(world.applicant.email).get_content()
    account_mail = next(m for m in smtp.to(OUTSIDER["email"]) if m["Subject"] == "Invito al portale Assocontact")
    raw = re.search(r"/invito/(\S+)", account_mail.get_content()).group(1)  # the account to create, from the e-mail
    token, invitation = invitation_link(raw)
    assert invitation.role == Role.CONSULTEE
    consultee = accept_invitation(token, invitation, "Ugo Unione", "una-password-lunga-1")
    assert as_participant(consultation, consultee).participant.organisation == "Sindacato Comunicazione"
    link = link_in(smtp.last_to(CLIENT_LINK["email"]))
    client_party = Participant.query.filter_by(email=CLIENT_LINK["email"]).one()
    assert link.rsplit("/", 1)[1] not in (client_party.link_hash or "")  # only the hash is kept
    # The same draft for everybody until the consultation closes.
    with pytest.raises(RuleError, match="in consultazione fino al"):
        scheme.save_area(draft, draft.areas[0], {"code": "A", "title": "Nuovo titolo", "weight": 30}, world.staff)
    with pytest.raises(RuleError, match="rapporto"):
        scheme.publish(draft, world.staff, waiver="in fretta")


def test_company_users_write_drafts_and_their_administrator_sends_them(world, smtp, make_user):
    other_admin = make_user(Role.COMPANY_ADMIN, world.other_company, email="admin@concorrente.it")
    consultation = launched(world)
    applicant, admin = as_participant(consultation, world.applicant), as_participant(consultation, world.company_admin)
    first = comment(consultation, applicant, parameter_target(consultation, "C1"), text="L'80% è troppo.")
    second = comment(consultation, applicant, "edition", comment_type="ge", stance="agree", text="")
    theirs = comment(consultation, as_participant(consultation, other_admin), "edition", text="Altro parere.")

    assert applicant.owns(first) and admin.owns(first) and not admin.owns(theirs)
    with pytest.raises(RuleError, match="amministratore"):
        services.send_comments(consultation, applicant)
    assert services.send_comments(consultation, admin) == 2
    services.send_comments(consultation, as_participant(consultation, other_admin))

    assert [first.number, second.number, theirs.number] == [1, 2, 3] and first.clause == "C1"
    assert "con i numeri 1, 2" in smtp.last_to(world.company_admin.email).get_content()
    with pytest.raises(RuleError, match="già stato inviato"):
        services.save_comment(consultation, admin, first, {"target": "edition", "comment_type": "ed", "stance": "agree"})
    with pytest.raises(RuleError, match="non ancora inviati"):
        services.delete_comment(first, admin)
    with pytest.raises(RuleError, match="Non ci sono commenti da inviare"):
        services.send_comments(consultation, admin)


def test_proposals_must_fit_what_they_refer_to(world):
    consultation = launched(world)
    admin = as_participant(consultation, world.company_admin)
    with pytest.raises(RuleError, match="indicatore numerico"):
        comment(consultation, admin, parameter_target(consultation, "A1"), stance="propose", proposed_target=Decimal(90))
    with pytest.raises(RuleError, match="da 1 a 10"):
        comment(consultation, admin, parameter_target(consultation, "C1"), stance="propose", proposed_weight=30)
    with pytest.raises(RuleError, match="Scegli a che cosa"):
        comment(consultation, admin, "parameter-999999")
    kept = comment(consultation, admin, parameter_target(consultation, "C1"), stance="propose", proposed_target=Decimal(75))
    assert kept.proposed_target == 75


def test_comments_only_while_the_consultation_is_open(world):
    consultation = launched(world, opens_on=date.today() + timedelta(days=3))
    admin = as_participant(consultation, world.company_admin)
    with pytest.raises(RuleError, match="apre il"):
        comment(consultation, admin)
    consultation.opens_on = date.today()
    draft = comment(consultation, admin)
    close(consultation)
    with pytest.raises(RuleError, match="chiusa"):
        comment(consultation, admin)
    with pytest.raises(RuleError, match="chiusa"):
        services.send_comments(consultation, admin)
    assert not draft.is_sent  # a draft never sent never reaches the association


def test_celery_beat_sends_the_opening_mail_in_the_morning(app, world, smtp):
    """Nobody runs a command: beat sends the daily notices, as a worker runs them."""
    entry = app.extensions["celery"].conf.beat_schedule["consultations.notices"]
    assert entry["task"] == "consultations.notices" and entry["schedule"].hour == {6}
    consultation = launched(world, opens_on=date.today() + timedelta(days=1))
    consultation.opens_on = date.today()  # the night has passed
    db.session.commit()
    smtp.messages.clear()
    run_task(app, "consultations.notices", [])
    assert "è aperta" in smtp.last_to(world.applicant.email).get_content()


def test_opening_mail_on_the_day_and_one_reminder_before_closing(world, smtp, make_user):
    other_admin = make_user(Role.COMPANY_ADMIN, world.other_company, email="admin@concorrente.it")
    opens = date.today() + timedelta(days=2)
    consultation = launched(world, opens_on=opens, days=20, reminder_days=5)
    assert "Si potrà commentare dal" in smtp.last_to(world.applicant.email).get_content()
    assert services.send_due_notices(opens - timedelta(days=1)) == {"opening": 0, "reminder": 0}
    smtp.messages.clear()

    assert services.send_due_notices(opens) == {"opening": 1, "reminder": 0}
    assert "è aperta" in smtp.last_to(world.applicant.email).get_content()
    assert services.send_due_notices(opens)["opening"] == 0  # once

    consultation.opens_on = date.today()  # the comments are written while it is open
    comment(consultation, as_participant(consultation, world.company_admin))
    mine = as_participant(consultation, other_admin)
    comment(consultation, mine)
    services.send_comments(consultation, mine)
    consultation.opens_on = opens
    smtp.messages.clear()
    reminder_day = consultation.closes_on - timedelta(days=5)
    assert services.send_due_notices(reminder_day - timedelta(days=1))["reminder"] == 0
    assert services.send_due_notices(reminder_day)["reminder"] == 1
    assert "1 commento scritto ma non ancora inviato" in smtp.last_to(world.company_admin.email).get_content()
    assert smtp.to(other_admin.email) == []  # sent everything: no reminder
    assert services.send_due_notices(reminder_day)["reminder"] == 0

    # A later closing date is announced, and a new reminder will come before it.
    new = settings(opens_on=opens, days=30, reminder_days=5)
    services.update(consultation, new, world.staff)
    assert "resta aperta fino al" in smtp.last_to(other_admin.email).get_content()
    assert consultation.reminder_sent_at is None
    with pytest.raises(RuleError, match="rinviare, non anticipare"):
        services.update(consultation, settings(opens_on=opens, days=10), world.staff)


def test_outside_parties_by_account_or_personal_link(world, client, smtp, make_user):
    consultation = prepared(world)
    with pytest.raises(RuleError, match="non è di consultazione"):
        services.invite_outsider(consultation, OUTSIDER | {"email": world.applicant.email}, world.staff)
    consultee = make_user(Role.CONSULTEE, email=OUTSIDER["email"])
    account = services.invite_outsider(consultation, OUTSIDER, world.staff)
    link_party = services.invite_outsider(consultation, CLIENT_LINK, world.staff)
    services.launch(consultation, world.staff)
    assert account.user_id == consultee.id and Invitation.query.count() == 0  # has an account already

    # The personal link opens this consultation, and nothing else of the portal.
    old_link = link_in(smtp.last_to(CLIENT_LINK["email"]))
    page = client.get(old_link, follow_redirects=True)
    assert "Partecipate per Energia S.p.A." in page.get_data(as_text=True)
    assert client.get("/home").status_code == 302 and client.get("/bollino/consultazioni").status_code == 302
    services.resend_invitation(link_party, world.staff)
    assert client.get(old_link).status_code == 404  # replaced by the newest link
    assert client.get(f"/bollino/consultazioni/{consultation.id}").status_code == 200  # the session stays in
    fresh = link_in(smtp.last_to(CLIENT_LINK["email"]))
    assert client.get(fresh).status_code == 302
    form = {"target": "edition", "comment_type": "ge", "stance": "change", "text": "Serve più attenzione ai committenti."}
    assert client.post(f"/bollino/consultazioni/{consultation.id}/commenti/nuovo", data=form).status_code == 302
    assert client.post(f"/bollino/consultazioni/{consultation.id}/invia").status_code == 302
    sent = Comment.query.filter_by(participant_id=link_party.id).one()
    assert sent.is_sent and sent.author_name == "Carla Committente" and sent.number == 1
    assert "con il numero 1." in smtp.last_to(CLIENT_LINK["email"]).get_content()

    # The consultation account signs in and sees its consultations only; no other page of the portal.
    sign_in(client, consultee)
    assert "Bollino Blu 2027" in client.get("/bollino/consultazioni").get_data(as_text=True)
    assert client.get(f"/bollino/consultazioni/{consultation.id}").status_code == 200
    assert client.get("/bollino/domande").status_code == 403
    assert client.get("/bollino/certificati").status_code == 403


@pytest.mark.parametrize("visible", [False, True])
def test_visibility_of_other_parties_comments_is_the_organisers_choice(world, client, make_user, visible):
    other_admin = make_user(Role.COMPANY_ADMIN, world.other_company, email="admin@concorrente.it")
    consultation = launched(world, visible=visible)
    theirs = as_participant(consultation, other_admin)
    comment(consultation, theirs, text="Testo del concorrente.")
    comment(consultation, theirs, text="Bozza mai inviata.")
    services.send_comments(consultation, theirs)
    comment(consultation, theirs, text="Bozza scritta dopo l'invio.")

    sign_in(client, world.applicant)
    page = client.get(f"/bollino/consultazioni/{consultation.id}").get_data(as_text=True)
    assert ("Testo del concorrente." in page) is visible
    assert "Bozza scritta dopo" not in page  # another organisation's drafts, never
    assert world.other_company.ragione_sociale not in page  # by kind of party, never by name


def test_answers_changes_traced_to_comments_and_the_report(world, client, smtp):
    consultation = launched(world, companies=[world.company])
    admin = as_participant(consultation, world.company_admin)
    on_c1 = comment(consultation, admin, parameter_target(consultation, "C1"), stance="propose",
                    text="Troppo alto per i piccoli.", proposed_target=Decimal(75))
    general = comment(consultation, admin, "edition", comment_type="ge", stance="agree", text="Bene.")
    services.send_comments(consultation, admin)
    with pytest.raises(RuleError, match="dopo la chiusura"):
        services.answer(on_c1, {"disposition": "accepted", "answer": "Sì."}, world.staff)

    close(consultation)
    draft = consultation.edition
    c1 = next(p for p in draft.parameters if p.code == "C1")
    quality = c1.area
    data = {f: getattr(c1, f) for f in scheme.PARAMETER_FIELDS} | {"choices": "", "target": Decimal(75), "comments": [on_c1.id]}
    scheme.save_parameter(quality, c1, data, world.staff)
    change = DraftChange.query.one()
    assert change.clause == "C1" and change.comments == [on_c1] and change.summary["target"][1] == "75"
    services.answer(on_c1, {"disposition": "accepted", "answer": "Obiettivo portato al 75%."}, world.staff)
    with pytest.raises(RuleError, match="Mancano le risposte ai commenti 2"):
        services.publish_report(consultation, "Conclusioni.", world.staff)
    with pytest.raises(RuleError, match="rapporto"):
        scheme.publish(draft, world.staff)
    services.answer(general, {"disposition": "noted", "answer": "Grazie."}, world.staff)
    smtp.messages.clear()

    services.publish_report(consultation, "Un obiettivo cambiato.", world.staff)

    assert consultation.current_phase == Phase.REPORTED and consultation.final_snapshot["areas"][2]["parameters"][0]["target"] == "75"
    assert "rapporto della consultazione" in smtp.last_to(world.applicant.email).get_content()
    with pytest.raises(RuleError, match="resta quella del rapporto"):
        scheme.save_parameter(quality, c1, data, world.staff)
    report = client.get(f"/bollino/consultazioni/{consultation.id}/rapporto").get_data(as_text=True)  # public
    assert "Un obiettivo cambiato." in report and "Troppo alto per i piccoli." in report
    assert 'href="#commento-1">n.&nbsp;1</a>' in report  # the change to C1 names the comment that caused it
    assert world.company.ragione_sociale not in report  # parties by kind in public
    table = load_workbook(io.BytesIO(client.get(f"/bollino/consultazioni/{consultation.id}/rapporto/commenti.xlsx").data)).active
    rows = list(table.values)
    assert rows[0][0] == "N." and rows[1][:3] == (1, "Azienda associata", "C1") and rows[1][9] == "Accolto" and rows[1][11] == "C1"
    lines = list(csv.reader(io.StringIO(client.get(f"/bollino/consultazioni/{consultation.id}/rapporto/commenti.csv").data
                                        .decode("utf-8-sig")), delimiter=";"))
    assert lines[2][9] == "Preso in nota per un'edizione successiva" and len(lines) == 3
    assert lines[1][8] == "75" and rows[1][8] == 75  # the proposed target as written, as on the page
    assert "obiettivo proposto: 75)" in report

    define_proposed_crosswalk(draft, world.staff)
    scheme.publish(draft, world.staff)  # no reason needed: it was consulted
    assert draft.status == EditionStatus.PUBLISHED and draft.consultation_waiver == ""
    public = client.get("/bollino/parametri/2027").get_data(as_text=True)
    assert "Edizione sottoposta a consultazione delle parti" in public
    assert f"/bollino/consultazioni/{consultation.id}/rapporto" in public


def test_the_report_is_not_public_before_it_is_published(world, client):
    consultation = launched(world)
    assert client.get(f"/bollino/consultazioni/{consultation.id}/rapporto").status_code == 404
    close(consultation)
    assert client.get(f"/bollino/consultazioni/{consultation.id}/rapporto").status_code == 404
    sign_in(client, world.staff)
    preview = client.get(f"/bollino/consultazioni/{consultation.id}/rapporto").get_data(as_text=True)
    assert "Anteprima per lo staff" in preview


def test_staff_count_comments_per_parameter_while_it_runs(world, client):
    consultation = launched(world, companies=[world.company])
    admin = as_participant(consultation, world.company_admin)
    for stance, kind in (("change", "te"), ("agree", "te"), ("change", "ed")):
        comment(consultation, admin, parameter_target(consultation, "C2"), stance=stance, comment_type=kind)
    comment(consultation, admin, parameter_target(consultation, "B1"))
    services.send_comments(consultation, admin)  # all four sent
    comment(consultation, admin, parameter_target(consultation, "B1"))  # a new draft: not counted
    sign_in(client, world.staff)
    page = client.get(f"/bollino/consultazioni/{consultation.id}").get_data(as_text=True)
    row = re.search(r"<strong>C2</strong>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'<td class="text-end">(\d*)</td>', row) == ["3", "", "2", "1", "1", "2", ""]
    b1 = re.search(r"<strong>B1</strong>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'<td class="text-end">(\d*)</td>', b1)[0] == "1"


def test_a_staff_change_after_closing_lists_only_relevant_comments(world, client):
    consultation = launched(world, companies=[world.company])
    admin = as_participant(consultation, world.company_admin)
    comment(consultation, admin, parameter_target(consultation, "C1"), text="Su C1")
    comment(consultation, admin, parameter_target(consultation, "B1"), text="Su B1")
    comment(consultation, admin, "edition", text="In generale")
    services.send_comments(consultation, admin)
    sign_in(client, world.staff)
    c1 = next(p for p in consultation.edition.parameters if p.code == "C1")
    assert "In risposta ai commenti" not in client.get(f"/bollino/schema/parametri/{c1.id}", follow_redirects=True).get_data(as_text=True)
    close(consultation)
    form = client.get(f"/bollino/schema/parametri/{c1.id}").get_data(as_text=True)
    assert "In risposta ai commenti" in form and "Su C1" in form and "In generale" in form and "Su B1" not in form


def test_participation_is_asked_of_the_organisation(world, make_user):
    consultation = launched(world, companies=[world.company])
    stranger = make_user(Role.APPLICANT, world.other_company)
    assert not any(p.includes(stranger) for p in consultation.participants)
    assert as_participant(consultation, world.applicant).participant.company_id == world.company.id
    link = Participant(consultation=consultation, kind="client", organisation="X", access="link", email="x@example.it")
    assert Participation(link, None, "X").can_send and not link.includes(world.applicant)
    world.applicant.active = False
    assert not any(p.includes(world.applicant) for p in consultation.participants)


def test_a_company_not_invited_does_not_see_the_consultation(world, client):
    consultation = launched(world, companies=[world.company])
    sign_in(client, world.other_applicant)
    assert client.get(f"/bollino/consultazioni/{consultation.id}").status_code == 404
    assert "Bollino Blu 2027" not in client.get("/bollino/consultazioni").get_data(as_text=True)
    sign_in(client, None)
    assert "/accedi" in client.get(f"/bollino/consultazioni/{consultation.id}").location
