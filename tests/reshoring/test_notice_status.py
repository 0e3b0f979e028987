"""`company_notice_status()`: the 24-bis picture the Bollino Blu auditor sees."""

from datetime import date, timedelta

from portal.reshoring.stats import company_notice_status


def test_no_work_abroad_is_complete(make_company):
    company = make_company()
    assert company_notice_status(company.id) == {"records": 0, "complete": True, "problems": []}


def test_notices_on_time_are_complete(make_company, make_work):
    company = make_company()
    make_work(company, notices_days_before=30)
    status = company_notice_status(company.id)
    assert status == {"records": 1, "complete": True, "problems": []}


def test_missing_garante_named_with_country_and_place(db, make_company, make_work):
    company = make_company()
    work = make_work(company)
    work.notice_garante = None
    db.session.commit()
    status = company_notice_status(company.id)
    assert status["records"] == 1 and status["complete"] is False
    assert status["problems"] == [
        f"Attività in Albania (Tirana): manca la comunicazione al Garante per la protezione dei dati personali "
        f"(andava inviata entro il {(work.start_date - timedelta(days=30)).strftime('%d/%m/%Y')})"
    ]


def test_only_the_company_records_and_not_ended_ones(make_company, make_work):
    company, other = make_company(), make_company()
    make_work(other, notices_days_before=None)
    make_work(company, notices_days_before=10, end_date=date.today() - timedelta(days=1))
    assert company_notice_status(company.id)["records"] == 0
    assert company_notice_status(company.id, on=date.today() - timedelta(days=2))["complete"] is False
    assert company_notice_status(other.id)["complete"] is False
