"""Art. 24-bis notice rules as plain functions: 30 days' notice to each of four recipients."""

from datetime import date, timedelta

import pytest

from portal.reshoring.notices import LATE, MISSING, RECIPIENT_KEYS, deadline, is_on_time, notice_problems

START = date(2027, 3, 1)
TODAY = date(2027, 1, 10)


def all_sent(day: date) -> dict:
    return {key: day for key in RECIPIENT_KEYS}


def test_four_recipients():
    assert RECIPIENT_KEYS == ("lavoro", "inl", "mimit", "garante")


def test_exactly_thirty_days_is_on_time():
    sent = START - timedelta(days=30)
    assert deadline(START) == sent
    assert is_on_time(sent, START)
    assert notice_problems(START, all_sent(sent), TODAY) == []


def test_twenty_nine_days_is_late_and_says_so():
    sent = START - timedelta(days=29)
    assert not is_on_time(sent, START)
    problems = notice_problems(START, all_sent(sent), TODAY)
    assert [p.kind for p in problems] == [LATE] * 4
    assert "solo 29 giorni prima dell'avvio" in problems[0].message
    assert "almeno 30" in problems[0].message


def test_notice_after_start_is_late():
    problems = notice_problems(START, all_sent(START + timedelta(days=3)), TODAY)
    assert "dopo l'avvio dell'attività" in problems[0].message


def test_sent_on_start_day_counts_as_after_start():
    problems = notice_problems(START, all_sent(START), TODAY)
    assert all(p.kind == LATE for p in problems)
    assert "dopo l'avvio" in problems[0].message


def test_a_missing_recipient_is_named():
    sent = all_sent(START - timedelta(days=45)) | {"garante": None}
    problems = notice_problems(START, sent, TODAY)
    assert len(problems) == 1
    assert problems[0].recipient == "garante" and problems[0].kind == MISSING
    assert "manca la comunicazione al Garante" in problems[0].message


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2027, 1, 30), "va inviata entro il 30/01/2027"),  # the last useful day
        (date(2027, 1, 31), "andava inviata entro il 30/01/2027"),  # one day too late
    ],
)
def test_missing_notice_tells_the_deadline(today, expected):
    problems = notice_problems(START, {key: None for key in RECIPIENT_KEYS}, today)
    assert len(problems) == 4
    assert all(expected in p.message for p in problems)


def test_each_recipient_judged_on_its_own():
    sent = {"lavoro": START - timedelta(days=60), "inl": START - timedelta(days=10), "mimit": None, "garante": START - timedelta(days=30)}
    problems = {p.recipient: p.kind for p in notice_problems(START, sent, TODAY)}
    assert problems == {"inl": LATE, "mimit": MISSING}
