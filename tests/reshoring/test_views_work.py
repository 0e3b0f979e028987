"""Company users record work abroad and read the 24-bis flags in plain words."""

from datetime import date, timedelta

import pytest

from portal.access import Role
from portal.reshoring.models import CompanyProfile, WorkAbroad


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
            "notice_mimit": date.today().isoformat(), "notice_garante": "", "client_name": "Operatore S.p.A.",
            "informs_callers": "si", "offers_italy_eu": "si"}
    return data | values


def test_record_and_see_the_missing_recipient(client, db, company_user):
    response = client.post("/reshoring/estero/nuova", data=form(), follow_redirects=True)
    page = response.get_data(as_text=True)
    work = db.session.query(WorkAbroad).one()
    assert work.fte == 12.5 and work.company_id == company_user.company_id
    assert "manca la comunicazione al Garante per la protezione dei dati personali: va inviata entro il" in page
    assert "Attenzione: 1 obbligo art. 24-bis da sistemare." in page


def test_all_on_time_is_said_plainly(client, company_user):
    page = client.post("/reshoring/estero/nuova", data=form(notice_garante=date.today().isoformat()), follow_redirects=True).get_data(as_text=True)
    assert "Attività salvata: gli obblighi art. 24-bis risultano rispettati." in page


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
    assert "Attività all&#39;estero con obblighi art. 24-bis da sistemare" in page


def test_home_page_asks_for_the_company_data_until_they_are_given(client, company_user, make_work, db):
    make_work(company_user.company)
    assert "Dati dell&#39;azienda per l&#39;art. 24-bis da completare" in client.get("/home").get_data(as_text=True)
    db.session.add(CompanyProfile(company_id=company_user.company_id, employees=250, roc_number="12345"))
    db.session.commit()
    assert "Dati dell&#39;azienda per l&#39;art. 24-bis" not in client.get("/home").get_data(as_text=True)


def test_country_must_be_chosen(client, db, company_user):
    response = client.post("/reshoring/estero/nuova", data=form(country=""))
    assert response.status_code == 422 and 'id="country-error"' in response.get_data(as_text=True)


def test_callers_not_told_the_country_and_no_client_are_said_with_the_sanction(client, db, company_user):
    page = client.post("/reshoring/estero/nuova", data=form(notice_garante=date.today().isoformat(), informs_callers="no",
                                                            client_name=""), follow_redirects=True).get_data(as_text=True)
    assert "Chi chiama non viene informato del Paese in cui si trova l&#39;operatore" in page
    assert "sanzione fino a circa 50.000 euro per ogni giorno di violazione" in page
    assert "committente e fornitore rispondono in solido" in page
    assert db.session.query(WorkAbroad).one().informs_callers is False


def test_the_company_gives_its_size_and_roc_registration(client, db, company_user):
    page = client.get("/reshoring/estero").get_data(as_text=True)
    assert "Indica il numero di dipendenti dell&#39;azienda" in page and "non risulta iscritta al Registro degli operatori" in page
    response = client.post("/reshoring/estero/azienda", data={"employees": "240", "roc_number": "12345"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Dati dell&#39;azienda salvati." in page and "iscritta al ROC con il n. 12345" in page
    assert "Indica il numero di dipendenti" not in page


def test_below_twenty_employees_nothing_is_pending(client, db, company_user, make_work):
    make_work(company_user.company, notices_days_before=None)
    client.post("/reshoring/estero/azienda", data={"employees": "12", "roc_number": ""})
    page = client.get("/reshoring/estero").get_data(as_text=True)
    assert "gli obblighi dell'art. 24-bis non si applicano" in page and "da sistemare:" not in page
    assert "Attività all&#39;estero con obblighi art. 24-bis" not in client.get("/home").get_data(as_text=True)


def test_an_ended_activity_is_not_flagged_as_pending(client, db, company_user, make_work):
    make_work(company_user.company, notices_days_before=None, end_date=date.today() - timedelta(days=3))
    page = client.get("/reshoring/estero").get_data(as_text=True)
    assert "L'attività è conclusa: non restano obblighi art. 24-bis da sistemare." in page
    assert "manca la comunicazione" not in page
    assert "Attività all&#39;estero con obblighi art. 24-bis" not in client.get("/home").get_data(as_text=True)


def test_countries_and_yes_no_answers_are_visible_choices(client, company_user):
    page = client.get("/reshoring/estero/nuova").get_data(as_text=True)
    assert 'type="radio" name="informs_callers" id="informs_callers-si" value="si"' in page
    assert 'type="radio" name="offers_italy_eu" id="offers_italy_eu-no" value="no"' in page
