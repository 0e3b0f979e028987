"""Labels and small helpers the module's templates share (only on the module's own pages)."""

from portal.certification import edition_diff, labels, statements
from portal.certification.blueprint import bp
from portal.certification.scoring import meets_target


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
            "scale": labels.SCALE,
            "yes_no": labels.YES_NO,
            "bands": labels.BANDS,
            "badges": labels.STATE_BADGES,
            "meets_target": meets_target,
            "public_statement": statements.public_statement,
            "causes": statements.CAUSES,
        }
    }
