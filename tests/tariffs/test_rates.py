"""Verdicts, thresholds, margins and units: hand-computed cases from the domain rules."""

from datetime import date
from decimal import Decimal as D

import pytest

from portal.tariffs.lookup import FixedUplift, TableIndex, UpliftIndex
from portal.tariffs.rates import (
    RateError,
    TableRow,
    Unit,
    Verdict,
    assess,
    per_minute,
    sustainable_minimum,
    verdict,
)
from portal.tariffs.reader import normalise_level

LEVEL_3 = TableRow("3", date(2018, 1, 1), D("0.4282"), "D.D. 123/2017")


@pytest.mark.parametrize(
    "rate, expected",
    [
        (D("0.4281"), Verdict.SOTTO_COSTO_LAVORO),
        (D("0.4282"), Verdict.SOTTO_MINIMO_SOSTENIBILE),  # exactly at labour cost: at it, not below
        (D("0.49242"), Verdict.SOTTO_MINIMO_SOSTENIBILE),
        (D("0.49243"), Verdict.CONFORME),  # 0.4282 x 1.15 exactly
        (D("0.60"), Verdict.CONFORME),
    ],
)
def test_verdict_at_and_around_the_thresholds(rate, expected):
    outcome = assess(rate, LEVEL_3, D(15))
    assert outcome.sustainable_min == D("0.49243")
    assert outcome.verdict is expected


def test_margins_against_both_thresholds():
    outcome = assess(D("0.5"), LEVEL_3, D(15))
    # (0.5 - 0.4282) / 0.4282 = 16.767...%; (0.5 - 0.49243) / 0.49243 = 1.537...%
    assert round(outcome.margin_labour, 3) == D("16.768")
    assert round(outcome.margin_sustainable, 3) == D("1.537")
    assert assess(D("0.4282"), LEVEL_3, D(15)).margin_labour == 0


def test_zero_uplift_makes_the_two_thresholds_one():
    assert sustainable_minimum(D("0.4282"), D(0)) == D("0.4282")
    assert verdict(D("0.4282"), D("0.4282"), D("0.4282")) is Verdict.CONFORME


@pytest.mark.parametrize(
    "rate, unit, aht, hours, expected",
    [
        (D("0.4282"), Unit.MINUTO, None, None, D("0.4282")),
        (D("25.692"), Unit.ORA, None, None, D("0.4282")),
        (D("1.2846"), Unit.CONTATTO, 180, None, D("0.4282")),  # 1.2846 per 3-minute contact
        (D("2988.836"), Unit.FTE_MESE, None, None, D("0.4282")),  # 1396 h / 12 x 60 = 6980 min a month
        (D("2569.2"), Unit.FTE_MESE, None, D("1200"), D("0.4282")),  # 1200 h -> 6000 min a month
    ],
)
def test_every_unit_converts_to_euro_per_minute(rate, unit, aht, hours, expected):
    assert per_minute(rate, unit, aht, hours) == expected


@pytest.mark.parametrize(
    "rate, unit, aht, message",
    [
        (D("-1"), Unit.MINUTO, None, "negativa"),
        (D("1"), Unit.CONTATTO, None, "AHT"),
        (D("1"), Unit.CONTATTO, 0, "maggiore di zero"),
    ],
)
def test_rates_that_cannot_be_converted(rate, unit, aht, message):
    with pytest.raises(RateError, match=message):
        per_minute(rate, unit, aht)


def test_levels_are_trimmed_and_case_insensitive():
    assert normalise_level(" 5s ") == "5S"
    assert normalise_level("quadri") == "7"
    assert normalise_level("8") is None


def test_row_in_force_is_the_latest_not_after_the_date_across_decrees():
    index = TableIndex([
        TableRow("1", date(2019, 1, 1), D("0.3411"), "D.D. 77/2018"),
        TableRow("1", date(2021, 4, 1), D("0.3503"), "D.D. 53/2021"),
        TableRow("1", date(2021, 12, 1), D("0.3522"), "D.D. 53/2021"),
    ])
    assert index.row_for("1", date(2018, 12, 31)) is None  # no table in force yet
    assert index.row_for("1", date(2019, 1, 1)).euro_minute == D("0.3411")  # the effective day itself
    assert index.row_for("1", date(2021, 3, 31)).euro_minute == D("0.3411")
    assert index.row_for("1", date(2021, 4, 1)).decree == "D.D. 53/2021"
    assert index.row_for("1", date(2030, 1, 1)).euro_minute == D("0.3522")
    assert index.row_for("3", date(2021, 4, 1)) is None


def test_an_official_row_wins_over_an_illustrative_one_on_the_same_date():
    official = TableRow("3", date(2018, 1, 1), D("0.4282"), "D.D. 123/2017", True)
    illustrative = TableRow("3", date(2018, 1, 1), D("0.4100"), "Tabella dimostrativa", False)
    assert TableIndex([official, illustrative]).row_for("3", date(2018, 6, 1)) is official
    assert TableIndex([illustrative, official]).row_for("3", date(2018, 6, 1)) is official


def test_uplift_components_each_follow_their_own_effective_date():
    uplift = UpliftIndex([
        ("formazione", date(2020, 1, 1), D(5)),
        ("innovazione", date(2020, 1, 1), D(4)),
        ("organizzazione", date(2020, 1, 1), D(6)),
        ("formazione", date(2024, 7, 1), D("7.5")),
    ])
    assert uplift.total(date(2019, 12, 31)) == 0
    assert uplift.total(date(2020, 1, 1)) == D(15)
    assert uplift.total(date(2024, 6, 30)) == D(15)
    assert uplift.total(date(2024, 7, 1)) == D("17.5")
    assert FixedUplift(D("12.5")).total(date(2000, 1, 1)) == D("12.5")
