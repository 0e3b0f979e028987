"""Art. 24-bis, whole: each obligation with hand-made cases (plain values, no database)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from portal.reshoring.obligations import THRESHOLD, UNDECLARED, assess, company_findings

TODAY = date(2026, 6, 1)
START = date(2026, 3, 1)
ON_TIME = START - timedelta(days=30)


@dataclass
class Activity:
    country: str = "AL"
    start_date: date = START
    end_date: date | None = None
    notices_sent: dict = field(default_factory=lambda: dict.fromkeys(("lavoro", "inl", "mimit", "garante"), ON_TIME))
    client_name: str = "Grande Operatore S.p.A."
    informs_callers: bool | None = True
    offers_italy_eu: bool | None = True


@dataclass
class Profile:
    employees: int | None = 250
    roc_number: str = "12345"


def findings(activity=None, profile=None) -> dict:
    result = assess(activity or Activity(), profile if profile is not None else Profile(), TODAY)
    return {f.obligation: f for f in result.findings}


def test_everything_in_order_leaves_nothing_pending():
    result = assess(Activity(), Profile(), TODAY)
    assert result.applies and not result.ended and not result.pending


@pytest.mark.parametrize("recipient", ["lavoro", "inl", "mimit", "garante"])
def test_each_of_the_four_notices_is_required(recipient):
    activity = Activity()
    activity.notices_sent[recipient] = None
    found = findings(activity)
    assert list(found) == [f"notice_{recipient}"]
    assert "manca la comunicazione" in found[f"notice_{recipient}"].message
    assert "150.000 euro" in found[f"notice_{recipient}"].sanction


def test_a_notice_sent_29_days_before_is_late_30_is_on_time():
    activity = Activity()
    activity.notices_sent["inl"] = START - timedelta(days=29)
    assert findings(activity)["notice_inl"].kind == "late"
    activity.notices_sent["inl"] = START - timedelta(days=30)
    assert findings(activity) == {}


def test_callers_must_be_told_the_country():
    found = findings(Activity(informs_callers=False))
    assert found["callers_country"].kind == "missing"
    assert "Paese in cui si trova l'operatore" in found["callers_country"].message
    assert "50.000 euro per ogni giorno" in found["callers_country"].sanction
    assert findings(Activity(informs_callers=None))["callers_country"].kind == UNDECLARED


def test_outside_the_eu_callers_can_ask_for_an_operator_in_italy_or_the_eu():
    found = findings(Activity(country="AL", offers_italy_eu=False))
    assert "operatore in Italia o nell'Unione europea" in found["italy_eu_choice"].message
    assert findings(Activity(country="AL", offers_italy_eu=None))["italy_eu_choice"].kind == UNDECLARED


def test_inside_the_eu_the_caller_is_already_served_from_the_eu():
    assert "italy_eu_choice" not in findings(Activity(country="RO", offers_italy_eu=False))


def test_the_client_is_named_because_client_and_contractor_are_jointly_liable():
    found = findings(Activity(client_name="  "))
    assert "committente" in found["client"].message and "in solido" in found["client"].sanction


def test_below_twenty_employees_the_article_does_not_apply():
    small = Profile(employees=THRESHOLD - 1, roc_number="")
    result = assess(Activity(informs_callers=False, client_name=""), small, TODAY)
    assert not result.applies and result.findings == ()
    assert company_findings(small) == []
    assert assess(Activity(), Profile(employees=THRESHOLD), TODAY).applies


def test_a_company_that_did_not_say_its_size_is_checked_in_full_and_asked_for_it():
    unknown = Profile(employees=None)
    assert assess(Activity(informs_callers=False), unknown, TODAY).pending
    assert [f.obligation for f in company_findings(unknown)] == ["employees"]
    assert [f.obligation for f in company_findings(None)] == ["employees", "roc"]


def test_the_company_must_be_registered_in_the_roc():
    found = company_findings(Profile(roc_number=""))
    assert [f.obligation for f in found] == ["roc"]
    assert "ROC" in found[0].message and "50.000 euro" in found[0].sanction


def test_an_ended_activity_is_never_pending_whatever_it_lacked():
    ended = Activity(end_date=TODAY - timedelta(days=1), notices_sent=dict.fromkeys(("lavoro", "inl", "mimit", "garante")),
                     informs_callers=False, client_name="")
    result = assess(ended, Profile(), TODAY)
    assert result.ended and not result.pending
    assert assess(Activity(end_date=TODAY, informs_callers=False), Profile(), TODAY).pending  # ends today: still running
