"""A saved check never changes when the uplift or the tables change afterwards; stats count it."""

from datetime import date
from decimal import Decimal

import pytest

from portal.access import Role
from portal.rules import RuleError
from portal.tariffs import services
from portal.tariffs.models import RateCheck
from portal.tariffs.rates import Unit
from portal.tariffs.stats import company_rate_summary, rate_shares


def save(user, level="3", rate="0.47", on=date(2019, 1, 1), sector="pa"):
    return services.save_check(services.RateInput(level, Decimal(rate), Unit.MINUTO, on), "Cliente", sector, user)


def test_a_later_uplift_or_table_change_never_rewrites_a_saved_check(db, tables, make_company, make_user):
    user = make_user(Role.APPLICANT, company=make_company())
    check = save(user)
    assert check.esito == "sotto_minimo_sostenibile"
    services.set_uplift("formazione", Decimal(0), date(2018, 1, 1), "azzerata", make_user(Role.STAFF))
    official, _ = tables
    official.rows[0].euro_minute = Decimal("0.5000")
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(RateCheck, check.id)
    assert (again.esito, again.labour_cost, again.uplift_pct, again.sustainable_min) == (
        "sotto_minimo_sostenibile", Decimal("0.4282"), Decimal(15), Decimal("0.4924"))
    assert save(user).esito == "sotto_costo_lavoro"  # a new check uses today's values


def test_uplift_refuses_out_of_range_values(app, db, make_user):
    staff = make_user(Role.STAFF)
    with app.test_request_context(), pytest.raises(RuleError, match="tra 0 e 100"):
        services.set_uplift("formazione", Decimal(150), date(2020, 1, 1), "", staff)


def test_rate_shares_by_level_sector_quarter_and_period(db, tables, make_company, make_user):
    user = make_user(Role.APPLICANT, company=make_company())
    other = make_user(Role.APPLICANT, company=make_company())
    save(user, rate="0.40", on=date(2019, 2, 1), sector="pa")  # under labour cost, 2019-Q1
    save(user, rate="0.45", on=date(2019, 5, 1), sector="telecom")  # under sustainable minimum, 2019-Q2
    save(other, level="4", rate="0.60", on=date(2019, 5, 2), sector=None)  # compliant, illustrative table
    shares = rate_shares()
    assert (shares["total"], shares["sotto_costo_lavoro"], shares["sotto_minimo_sostenibile"], shares["conforme"]) == (3, 1, 1, 1)
    by_level = {e["key"]: e for e in shares["by_level"]}
    assert by_level["3"]["total"] == 2 and by_level["4"]["conforme"] == 1 and "7" not in by_level
    by_sector = {e["key"]: e for e in shares["by_sector"]}
    assert by_sector["altro"]["conforme"] == 1 and by_sector["pa"]["label"] == "Pubblica amministrazione"
    assert [(e["key"], e["total"]) for e in shares["by_quarter"]] == [("2019-Q1", 1), ("2019-Q2", 2)]
    assert shares["uses_illustrative_tables"] is True
    assert "D.D. 123/2017" in shares["source"] and "Tabella dimostrativa" in shares["source"]
    assert rate_shares(date(2019, 5, 1), date(2019, 5, 1))["total"] == 1  # both ends included
    summary = company_rate_summary(user.company_id)
    assert (summary["total"], summary["sotto_costo_lavoro"], summary["last_check"]) == (2, 1, date.today())
    assert company_rate_summary(999999)["last_check"] is None
