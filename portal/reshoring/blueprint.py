from flask import Blueprint

from portal.reshoring.forms import (
    ACTION_STATUS_LABELS,
    ADDRESSEES,
    INVITATION_LABELS,
    MINUTES_LABELS,
    PARTY_LABELS,
    SECTORS,
    TIMELINE_LABELS,
)
from portal.reshoring.markup import render_markdown
from portal.reshoring.notices import RECIPIENTS

bp = Blueprint("reshoring", __name__, url_prefix="/reshoring")

bp.add_app_template_filter(render_markdown, "reshoring_md")


@bp.context_processor
def labels() -> dict:
    return {
        "sector_labels": dict(SECTORS),
        "addressee_labels": dict(ADDRESSEES),
        "party_labels": PARTY_LABELS,
        "action_status_labels": ACTION_STATUS_LABELS,
        "timeline_labels": TIMELINE_LABELS,
        "minutes_labels": MINUTES_LABELS,
        "invitation_labels": INVITATION_LABELS,
        "recipients": RECIPIENTS,
    }
