"""Conflicts of interest an auditor declared with a company, and the staff override they need.

ISO/IEC 17065 asks a certification body to manage impartiality: an auditor who once declared a
conflict with a company is not assigned to that company again, for an application or for a
surveillance, unless a staff member overrides it with a recorded reason.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import record
from portal.certification.models import Conflict
from portal.extensions import db
from portal.members.models import Company, User
from portal.rules import RuleError


def declared_conflict(auditor: User, company_id: int) -> Conflict | None:
    """The auditor's latest declared conflict with the company, if any."""
    return db.session.scalar(select(Conflict).where(Conflict.auditor_id == auditor.id, Conflict.company_id == company_id)
                             .order_by(Conflict.declared_at.desc(), Conflict.id.desc()).limit(1))


def conflicted_auditors(company_id: int) -> dict[int, Conflict]:
    """Auditor id -> their latest declared conflict with the company (for the assignment forms)."""
    found: dict[int, Conflict] = {}
    for conflict in db.session.scalars(select(Conflict).where(Conflict.company_id == company_id).order_by(Conflict.declared_at)):
        found[conflict.auditor_id] = conflict
    return found


def declare(auditor: User, company: Company, reason: str, source: str) -> Conflict:
    """Record the conflict an auditor declared when refusing an assignment (the caller commits)."""
    conflict = Conflict(auditor_id=auditor.id, company_id=company.id, reason=reason.strip(), source=source)
    db.session.add(conflict)
    record("bollino.conflict.declare", conflict, {"company": company.ragione_sociale, "reason": reason, "source": source},
           actor=auditor)
    return conflict


def check_assignment(auditor: User, company: Company, staff: User, override_reason: str, what: str) -> str:
    """Refuse an auditor with a declared conflict unless staff give the reason for overriding it.

    Returns the override reason to keep on the assignment ("" when there was no conflict)."""
    conflict = declared_conflict(auditor, company.id)
    if conflict is None:
        return ""
    override_reason = (override_reason or "").strip()
    if not override_reason:
        raise RuleError(_("%(a)s ha dichiarato un conflitto di interessi con %(c)s il %(d)s («%(r)s»): per incaricarlo "
                          "scrivi il motivo della deroga.", a=auditor.name, c=company.ragione_sociale,
                          d=conflict.declared_at.strftime("%d/%m/%Y"), r=conflict.reason))
    record("bollino.conflict.override", conflict, {"auditor": auditor.email, "company": company.ragione_sociale,
                                                   "assignment": what, "reason": override_reason}, actor=staff)
    return override_reason
