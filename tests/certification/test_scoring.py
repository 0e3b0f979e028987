"""The scoring rules, computed by hand (see portal/certification/scoring.py)."""

from decimal import Decimal

import pytest

from portal.certification.scoring import (
    ParamScore,
    Rules,
    band,
    combine,
    disagree,
    evaluate,
    knockouts,
    meets_target,
    out_of_100,
    spread,
    total_score,
    weighted_mean,
)

RULES = Rules()


def test_weighted_mean_uses_weights():
    # (4*3 + 2*1) / 4 = 3.5
    assert weighted_mean([(4, 3), (2, 1)]) == Decimal("3.5")
    assert weighted_mean([]) is None


def test_total_is_sum_of_area_weight_times_score_over_scale():
    # 30*4/4 + 20*3/4 + 25*2/4 + 10*4/4 + 10*0/4 + 5*4/4 = 30 + 15 + 12.5 + 10 + 0 + 5 = 72.5
    areas = [(30, Decimal(4)), (20, Decimal(3)), (25, Decimal(2)), (10, Decimal(4)), (10, Decimal(0)), (5, Decimal(4))]
    assert total_score(areas, 4) == Decimal("72.50")


def test_total_normalises_weights_not_adding_to_100_and_counts_unscored_area_as_zero():
    # weights 1 and 1: (1*4/4 + 1*0/4) / 2 * 100 = 50
    assert total_score([(1, Decimal(4)), (1, None)], 4) == Decimal("50.00")


def test_every_score_out_of_100_rounds_half_up_as_the_application_total_does():
    # the surveillance's key figures went through Python's default (half to even): 72.125 read 72.12 there
    assert out_of_100(Decimal("0.72125")) == Decimal("72.13")
    assert out_of_100(Decimal("0.84995")) == Decimal("85.00")


def test_total_rounds_half_up_to_two_places():
    # 3 areas weight 1, scores 1,1,0 on scale 3: (1/3 + 1/3 + 0)/3*100 = 22.222..
    assert total_score([(1, Decimal(1)), (1, Decimal(1)), (1, Decimal(0))], 3) == Decimal("22.22")


@pytest.mark.parametrize("score, failed", [(None, True), (0, True), (2, True), (3, False), (4, False)])
def test_mandatory_parameter_below_pass_mark_is_a_knockout(score, failed):
    scores = [ParamScore("A1", "A", 1, True, score), ParamScore("A5", "A", 1, False, 0)]
    assert knockouts(scores, RULES) == (["A1"] if failed else [])


@pytest.mark.parametrize("total, expected", [
    (Decimal("69.99"), "refuse"), (Decimal("70"), "grant"), (Decimal("84.99"), "grant"), (Decimal("85"), "distinction"),
])
def test_band_thresholds(total, expected):
    assert band(total, [], RULES) == expected


def test_knockout_refuses_even_a_perfect_total():
    assert band(Decimal("100"), ["A3"], RULES) == "refuse"


def test_evaluate_whole_scheme_by_hand():
    weights = {"A": 60, "B": 40}
    scores = [
        ParamScore("A1", "A", 3, True, 4),
        ParamScore("A2", "A", 1, False, 0),   # area A = (4*3 + 0*1)/4 = 3
        ParamScore("B1", "B", 1, False, 4),
        ParamScore("B2", "B", 1, False, None),  # unscored: left out of the mean, B = 4
    ]
    result = evaluate(scores, weights, RULES)
    assert result.area_scores == {"A": Decimal(3), "B": Decimal(4)}
    # 60*3/4 + 40*4/4 = 45 + 40 = 85
    assert result.total == Decimal("85.00")
    assert result.band == "distinction"
    assert result.unscored == ["B2"]
    assert result.knockouts == []


def test_evaluate_with_knockout():
    result = evaluate([ParamScore("A1", "A", 1, True, 2)], {"A": 100}, RULES)
    assert result.total == Decimal("50.00") and result.knockouts == ["A1"] and result.band == "refuse"


def test_combine_averages_auditors_and_ignores_missing():
    assert combine([{"A1": 4, "A2": None}, {"A1": 1, "A2": 3}]) == {"A1": Decimal("2.5"), "A2": Decimal(3)}


def test_spread_and_disagreement():
    assert spread([4, 1]) == 3
    assert spread([4, None]) is None
    assert disagree([4, 2], False, RULES)
    assert not disagree([4, 3], False, RULES)
    assert disagree([3, 2], True, RULES)  # one passes the knock-out, the other does not
    assert not disagree([3, 2], False, RULES)


@pytest.mark.parametrize("value, target, direction, expected", [
    (Decimal(80), Decimal(80), "higher", True), (Decimal("79.9"), Decimal(80), "higher", False),
    (Decimal(150), Decimal(150), "lower", True), (Decimal(151), Decimal(150), "lower", False),
    (None, Decimal(1), "higher", None),
])
def test_meets_target(value, target, direction, expected):
    assert meets_target(value, target, direction) is expected
