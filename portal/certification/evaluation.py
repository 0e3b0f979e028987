"""From an application's stored scores to the scoring rules' inputs and results (read-only)."""

from dataclasses import dataclass
from decimal import Decimal

from portal.certification import scoring
from portal.certification.models import Application, Assignment, AssignmentStatus, Edition, Parameter


def rules_of(edition: Edition) -> scoring.Rules:
    return scoring.Rules(
        scale_max=edition.scale_max,
        grant_threshold=edition.grant_threshold,
        distinction_threshold=edition.distinction_threshold,
        mandatory_min_score=edition.mandatory_min_score,
    )


def area_weights(edition: Edition, parameters: list[Parameter]) -> dict[str, int]:
    """The weights of the areas that have a parameter among `parameters` (an area whose every
    figure is of a channel the sites do not serve does not count)."""
    present = {p.area_id for p in parameters}
    return {area.code: area.weight for area in edition.areas if area.id in present}


def param_scores(parameters: list[Parameter], values: dict[str, Decimal | int | None]) -> list[scoring.ParamScore]:
    return [scoring.ParamScore(p.code, p.area.code, p.weight, p.mandatory, values.get(p.code)) for p in parameters]


def auditor_values(assignment: Assignment, round_: int) -> dict[str, int | None]:
    return {s.parameter.code: s.score for s in assignment.scores if s.round == round_}


def evaluate_values(application: Application, values: dict[str, Decimal | int | None]) -> scoring.Result:
    """The result of these scores on the parameters that apply to the application."""
    edition, parameters = application.edition, application.parameters
    return scoring.evaluate(param_scores(parameters, values), area_weights(edition, parameters), rules_of(edition))


def scoring_assignments(application: Application) -> list[Assignment]:
    return [a for a in application.assignments if a.status == AssignmentStatus.DECLARED]


def combined_result(application: Application) -> scoring.Result:
    """The result on the mean of the declared auditors' scores of the current round."""
    per_auditor = [auditor_values(a, application.round) for a in scoring_assignments(application)]
    return evaluate_values(application, scoring.combine(per_auditor))


@dataclass
class ComparisonRow:
    parameter: Parameter
    scores: list[int | None]
    comments: list[str]
    spread: int | None
    disagree: bool


def comparison(application: Application) -> tuple[list[Assignment], list[ComparisonRow]]:
    """Each parameter with every auditor's score side by side, spread and disagreement."""
    assignments = scoring_assignments(application)
    rules = rules_of(application.edition)
    by_auditor = [a.scores_for_round(application.round) for a in assignments]
    rows = []
    for parameter in application.parameters:
        given = [scores.get(parameter.id) for scores in by_auditor]
        values = [s.score if s else None for s in given]
        rows.append(ComparisonRow(
            parameter=parameter,
            scores=values,
            comments=[s.comment if s else "" for s in given],
            spread=scoring.spread(values),
            disagree=scoring.disagree(values, parameter.mandatory, rules),
        ))
    return assignments, rows
