"""Labels and small helpers the module's templates share (only on the module's own pages)."""

from decimal import Decimal

from portal.certification import edition_diff, labels, statements, targets
from portal.certification.blueprint import bp
from portal.certification.scoring import meets_target


def as_number(value: str | None) -> Decimal | None:
    """A stored figure ("82.5") as a number for display; None when it is not one."""
    try:
        return Decimal(value) if value else None
    except ArithmeticError:
        return None


@bp.context_processor
def certification_labels() -> dict:
    return {
        "bb": {
            "app_states": labels.APP_STATES,
            "assignment_states": labels.ASSIGNMENT_STATES,
            "outcomes": labels.OUTCOMES,
            "cert_states": labels.CERT_STATES,
            "edition_states": labels.EDITION_STATES,
            "kinds": labels.KINDS,
            "directions": labels.DIRECTIONS,
            "channels": labels.CHANNELS,
            "diff_labels": edition_diff.CATEGORY_LABELS,
            "review_states": labels.REVIEW_STATES,
            "nc_grades": labels.NC_GRADES,
            "nc_states": labels.NC_STATES,
            "proposal_states": labels.PROPOSAL_STATES,
            "scale": labels.SCALE,
            "yes_no": labels.YES_NO,
            "bands": labels.BANDS,
            "badges": labels.STATE_BADGES,
            "meets_target": meets_target,
            "as_number": as_number,
            "target_text": targets.text,
            "public_statement": statements.public_statement,
            "causes": statements.CAUSES,
        }
    }
