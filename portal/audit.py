"""The audit log: who did what, when, to which object. Modules call `record()` only."""

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.local import LocalProxy

from portal.database import utcnow
from portal.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(60), index=True)
    object_id: Mapped[int | None]
    object_label: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))

    actor = relationship("User", lazy="joined")


def _plain(value: Any) -> Any:
    """JSON-safe form of a changed value (dates, decimals and enums as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def record(action: str, obj: Any = None, changes: dict | None = None, actor: Any = None) -> AuditEntry:
    """Add an audit entry to the current transaction: it commits, or rolls back, with the action."""
    obj, actor = _unproxied(obj), _unproxied(actor)  # `current_user` is a proxy: log the user it stands for
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if obj is not None and getattr(obj, "id", 0) is None:
        db.session.flush()  # a new object gets its id before it is logged
    # Reading the label may load a relationship: that must not flush the action's changes early, or a
    # versioned UPDATE that lost a race would fail here, not at the commit that reports it as a conflict.
    with db.session.no_autoflush:
        label = str(obj)[:300] if obj is not None else ""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        object_label=label,
        changes=_plain(changes or {}),
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def _unproxied(value: Any) -> Any:
    return value._get_current_object() if isinstance(value, LocalProxy) else value


def diff(obj: Any, fields: list[str], new_values: dict) -> dict:
    """`{field: [old, new]}` for the fields whose value `new_values` changes."""
    return {
        f: [_plain(getattr(obj, f)), _plain(new_values[f])]
        for f in fields
        if f in new_values and getattr(obj, f) != new_values[f]
    }
