"""Changes to a consulted draft, traced to the comments they answer.

The scheme editor calls `trace()` after every change it makes; only a change made while the
consultation is closed and unreported (staff answering the comments) is recorded.
"""

from flask_babel import gettext as _

from portal.certification.consultation.models import DraftChange
from portal.extensions import db


def trace(edition, clause: str, changes: dict, comment_ids, user) -> None:
    """Record a change to `clause` (a parameter or area code; "" for the edition's rules) and the
    sent comments, among `comment_ids`, that it answers."""
    consultation = edition.consultation
    if consultation is None or not consultation.is_answering() or not changes:
        return
    wanted = {int(i) for i in comment_ids or []}
    comments = [c for c in consultation.sent_comments if c.id in wanted]
    db.session.add(DraftChange(consultation=consultation, clause=clause, summary=changes, made_by_id=user.id, comments=comments))


def comment_choices(edition, clauses: list[str]) -> list[tuple[int, str]]:
    """The sent comments on these clauses (and on the edition as a whole) that a change may
    answer; none unless staff are answering the edition's closed consultation."""
    consultation = edition.consultation
    if consultation is None or not consultation.is_answering():
        return []
    wanted = {"", *clauses}
    return [(c.id, f"n. {c.number} ({c.clause or _('intera edizione')}): {(c.proposal or c.text)[:90]}")
            for c in sorted(consultation.sent_comments, key=lambda c: c.number) if c.clause in wanted]
