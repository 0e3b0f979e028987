"""The public calculator: anyone, nothing stored; a member can save the check to the history."""

from decimal import Decimal

from sqlalchemy import func, select

from portal.access import Role
from portal.audit import AuditEntry
from portal.tariffs.models import RateCheck
from tests.members.pages import text as page_text

CHECK = "/tariffe/verifica?livello=3&tariffa=25,692&unita=ora&data=2019-01-01"


def count_checks(db) -> int:
    return db.session.scalar(select(func.count()).select_from(RateCheck))


def test_anonymous_user_gets_the_verdict_in_plain_italian_and_nothing_is_stored(client, db, tables):
    page = page_text(client.get(CHECK))
    assert "Sotto il minimo sostenibile" in page
    assert "0,4282\u00a0€ al minuto" in page  # converted rate and labour cost
    assert "0,4924\u00a0€ al minuto" in page  # sustainable minimum 0.4282 x 1.15
    assert "D.D. 123/2017, livello 3, in vigore dal 01/01/2018" in page
    assert "Formazione 5,0" in page
    assert "D.Lgs 36/2023" in page  # the help text on the law
    assert "Salva la verifica" not in page
    assert count_checks(db) == 0


def test_illustrative_row_is_labelled(client, tables):
    page = client.get("/tariffe/verifica?livello=4&tariffa=0,60&unita=minuto&data=2020-01-01").get_data(as_text=True)
    assert "Conforme" in page and "dimostrativa" in page and "non ufficiale" in page


def test_bad_input_gets_a_message_beside_the_field(client, tables):
    response = client.get("/tariffe/verifica?livello=3&tariffa=abc&unita=contatto&data=2019-01-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Scrivi un numero" in page and "Per la tariffa a contatto indica" in page


def test_no_table_in_force_is_explained(client, tables):
    response = client.get("/tariffe/verifica?livello=3&tariffa=0,50&unita=minuto&data=2017-06-01")
    assert response.status_code == 422
    assert "Nessuna tabella ministeriale in vigore per il livello 3 al 01/06/2017" in response.get_data(as_text=True)


def test_member_saves_the_check_with_the_thresholds_of_the_day(client, auth, db, tables, make_company, make_user):
    user = make_user(Role.APPLICANT, company=make_company())
    auth.login(user.email)
    assert "Salva la verifica" in client.get(CHECK).get_data(as_text=True)
    response = client.post("/tariffe/verifica/salva", data={
        "livello": "3", "tariffa": "1,47729", "unita": "contatto", "aht": "180", "data": "2019-01-01",
        "cliente": "INPS", "settore": "pa",
    })
    assert response.status_code == 302
    check = db.session.scalar(select(RateCheck))
    assert (check.company_id, check.client_name, check.client_sector, check.esito) == (user.company_id, "INPS", "pa", "conforme")
    assert check.sustainable_min == Decimal("0.4924") and check.margin_labour == Decimal("15.0") and check.uplift_pct == 15 and check.decree == "D.D. 123/2017"
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "RateCheck")) == "tariffs.check_save"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "INPS" in page and "Conforme" in page


def test_only_company_users_save(client, auth, db, tables, make_user):
    assert client.post("/tariffe/verifica/salva", data={"livello": "3"}).status_code == 302  # to the login page
    auth.login(make_user(Role.STAFF).email)
    assert client.post("/tariffe/verifica/salva", data={"livello": "3"}).status_code == 403
    assert count_checks(db) == 0


def test_invalid_save_keeps_what_was_typed(client, auth, db, tables, make_company, make_user):
    auth.login(make_user(Role.COMPANY_ADMIN, company=make_company()).email)
    response = client.post("/tariffe/verifica/salva", data={"livello": "3", "tariffa": "-1", "unita": "minuto", "data": "2019-01-01"})
    assert response.status_code == 422 and "negativa" in response.get_data(as_text=True)
    assert count_checks(db) == 0


def test_out_of_range_aht_and_hours_are_refused_beside_the_field(client, tables):
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=1&unita=contatto&aht=100000&data=2019-01-01"))
    assert "al massimo un giorno" in page
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=3000&unita=fte_mese&ore_produttive=9000000&data=2019-01-01"))
    assert "al massimo 8.784 ore" in page
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=3000&unita=fte_mese&ore_produttive=1200&data=2019-01-01"))
    assert "Conforme" in page  # 3000 / 6000 min = 0,50 per minute
