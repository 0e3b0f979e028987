"""Company users record work abroad and read the 24-bis flags in plain words."""

from datetime import date, timedelta

import pytest

from portal.access import Role
from portal.reshoring.models import WorkAbroad


@pytest.fixture
def company_user(make_company, make_user, auth):
    company = make_company()
    user = make_user(Role.APPLICANT, company=company)
    auth.login(user.email)
    return user


def form(**values) -> dict:
    start = date.today() + timedelta(days=40)
    data = {"country": "AL", "place": "Tirana", "client_sector": "telecom", "fte": "12,5", "start_date": start.isoformat(),
            "notice_lavoro": date.today().isoformat(), "notice_inl": date.today().isoformat(),
            "notice_mimit": date.today().isoformat(), "notice_garante": ""}
    return data | values


def test_record_and_see_the_missing_recipient(client, db, company_user):
    response = client.post("/reshoring/estero/nuova", data=form(), follow_redirects=True)
    page = response.get_data(as_text=True)
    work = db.session.query(WorkAbroad).one()
    assert work.fte == 12.5 and work.company_id == company_user.company_id
    assert "manca la comunicazione al Garante per la protezione dei dati personali: va inviata entro il" in page
    assert "1 comunicazione art. 24-bis da sistemare" in page


def test_all_on_time_is_said_plainly(client, company_user):
    page = client.post("/reshoring/estero/nuova", data=form(notice_garante=date.today().isoformat()), follow_redirects=True).get_data(as_text=True)
    assert "Comunicazioni art. 24-bis complete e inviate in tempo." in page


def test_late_notice_is_flagged_with_the_days(client, company_user):
    start = date.today() - timedelta(days=5)
    sent = (start - timedelta(days=12)).isoformat()
    data = form(start_date=start.isoformat(), notice_lavoro=sent, notice_inl=sent, notice_mimit=sent, notice_garante=sent)
    page = client.post("/reshoring/estero/nuova", data=data, follow_redirects=True).get_data(as_text=True)
    assert "solo 12 giorni prima dell&#39;avvio" in page


@pytest.mark.parametrize("field, value, message", [
    ("fte", "tanti", "Scrivi un numero, ad esempio 12,5."),
    ("fte", "0", "Indica un numero di FTE maggiore di zero."),
    ("notice_inl", (date.today() + timedelta(days=2)).isoformat(), "La data di invio non può essere nel futuro."),
    ("country", "IT", "Non è una opzione valida"),
])
def test_bad_input_beside_the_field_keeps_what_was_typed(client, db, company_user, field, value, message):
    response = client.post("/reshoring/estero/nuova", data=form(**{field: value, "place": "Valona"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and (message in page or message.replace("'", "&#39;") in page)
    assert 'value="Valona"' in page
    assert db.session.query(WorkAbroad).count() == 0


def test_end_before_start_refused(client, db, company_user):
    response = client.post("/reshoring/estero/nuova", data=form(end_date=date.today().isoformat()))
    assert response.status_code == 422
    assert "La data di fine non può precedere la data di avvio." in response.get_data(as_text=True)


def test_home_page_task_for_flagged_records(client, company_user, make_work, db):
    make_work(company_user.company, notices_days_before=None)
    page = client.get("/home").get_data(as_text=True)
    assert "comunicazioni art. 24-bis mancanti o in ritardo" in page


def test_country_must_be_chosen(client, db, company_user):
    response = client.post("/reshoring/estero/nuova", data=form(country=""))
    assert response.status_code == 422 and 'id="country-error"' in response.get_data(as_text=True)
