"""The Bollino Blu's scoring rules as plain functions: no database, no request.

Each parameter is scored 0..scale_max (0 absent, 1 insufficient, 2 partial, 3 meets,
4 exceeds). An area's score is the weighted mean of its scored parameters; the total is the
sum of area weight x area score / scale_max, normalised to 100 when the weights do not add
up to 100. A mandatory parameter scored below the edition's pass mark is a knock-out: the
bollino cannot be granted, whatever the total.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Rules:
    scale_max: int = 4
    grant_threshold: int = 70
    distinction_threshold: int = 85
    mandatory_min_score: int = 3


@dataclass(frozen=True)
class ParamScore:
    code: str
    area: str
    weight: int
    mandatory: bool
    score: Decimal | int | None  # None: not scored


@dataclass(frozen=True)
class Result:
    area_scores: dict[str, Decimal | None]
    total: Decimal
    knockouts: list[str] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)
    band: str = "refuse"  # "distinction", "grant" or "refuse"


def weighted_mean(items: list[tuple[Decimal | int, int]]) -> Decimal | None:
    """Weighted mean of (score, weight) pairs; None when nothing carries weight."""
    weight = sum(w for _, w in items)
    if weight <= 0:
        return None
    return Decimal(sum(Decimal(s) * w for s, w in items)) / weight


def total_score(areas: list[tuple[int, Decimal | None]], scale_max: int) -> Decimal:
    """Out of 100: an area without any score counts as 0, never as skipped."""
    weight = sum(w for w, _ in areas)
    if weight <= 0:
        return Decimal(0)
    return out_of_100(sum(Decimal(w) * (score or 0) / scale_max for w, score in areas) / weight)


def out_of_100(share: Decimal) -> Decimal:
    """The scheme's score: a share of the top mark as points out of 100, to two decimals rounded half
    up. It is the one figure compared with the thresholds and shown, stored and printed everywhere."""
    return (Decimal(share) * 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def knockouts(scores: list[ParamScore], rules: Rules) -> list[str]:
    """Codes of mandatory parameters scored below the pass mark (or not scored at all)."""
    return [p.code for p in scores if p.mandatory and (p.score is None or p.score < rules.mandatory_min_score)]


def band(total: Decimal, knocked_out: list[str], rules: Rules) -> str:
    if knocked_out or total < rules.grant_threshold:
        return "refuse"
    return "distinction" if total >= rules.distinction_threshold else "grant"


def evaluate(scores: list[ParamScore], area_weights: dict[str, int], rules: Rules) -> Result:
    """Area scores, total, knock-outs and band of one set of parameter scores."""
    area_scores = {
        area: weighted_mean([(p.score, p.weight) for p in scores if p.area == area and p.score is not None])
        for area in area_weights
    }
    total = total_score([(area_weights[a], s) for a, s in area_scores.items()], rules.scale_max)
    failed = knockouts(scores, rules)
    return Result(
        area_scores=area_scores,
        total=total,
        knockouts=failed,
        unscored=[p.code for p in scores if p.score is None],
        band=band(total, failed, rules),
    )


def combine(per_auditor: list[dict[str, int | None]]) -> dict[str, Decimal | None]:
    """Mean score per parameter over the auditors who scored it."""
    codes = {code for scores in per_auditor for code in scores}
    combined: dict[str, Decimal | None] = {}
    for code in codes:
        given = [s[code] for s in per_auditor if s.get(code) is not None]
        combined[code] = Decimal(sum(given)) / len(given) if given else None
    return combined


def spread(values: list[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return max(given) - min(given) if len(given) > 1 else None


def disagree(values: list[int | None], mandatory: bool, rules: Rules, threshold: int = 2) -> bool:
    """Auditors disagree when their scores are `threshold` apart, or straddle a knock-out."""
    gap = spread(values)
    if gap is None:
        return False
    if gap >= threshold:
        return True
    given = [v for v in values if v is not None]
    return mandatory and min(given) < rules.mandatory_min_score <= max(given)


def meets_target(value: Decimal | None, target: Decimal | None, direction: str | None) -> bool | None:
    """Whether a declared figure meets its target; None when either is missing."""
    if value is None or target is None or direction is None:
        return None
    return value >= target if direction == "higher" else value <= target
