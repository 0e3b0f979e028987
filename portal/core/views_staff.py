"""Staff pages shared by every module: the audit log and the e-mail outbox."""

from datetime import datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from sqlalchemy import func, select

from portal.access import staff_only
from portal.audit import AuditEntry
from portal.core.views import bp
from portal.extensions import db
from portal.forms import CsrfForm
from portal.mail import FAILED, OutboxMessage, resend_now
from portal.members.models import User
from portal.navigation import Task, add_nav, task_provider

add_nav(_l("Registro attività"), "core.audit_log", order=80, group="admin")
add_nav(_l("Posta in uscita"), "core.outbox", order=85, group="admin")


@task_provider
def outbox_tasks(user):
    if user.is_staff:
        failed = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == FAILED))
        if failed:
            yield Task(_("E-mail non consegnate da reinviare"), url_for("core.outbox", stato=FAILED), failed, urgent=True)


def _parse_day(value: str | None):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


AUDIT_FILTERS = ("azione", "oggetto", "utente", "dal", "al")


@bp.get("/registro-attivita")
@staff_only
def audit_log():
    args = request.args
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if args.get("azione"):
        query = query.where(AuditEntry.action.startswith(args["azione"]))
    if args.get("oggetto"):
        query = query.where(AuditEntry.object_type == args["oggetto"])
    if args.get("utente", "").isdigit():
        query = query.where(AuditEntry.actor_id == int(args["utente"]))
    # Days are the portal's days (Europe/Rome), as the dates on the page are shown.
    since, until = _parse_day(args.get("dal")), _parse_day(args.get("al"))
    if since:
        query = query.where(AuditEntry.at >= to_utc(datetime.combine(since, time.min)))
    if until:
        query = query.where(AuditEntry.at < to_utc(datetime.combine(until + timedelta(days=1), time.min)))
    page = db.paginate(query, per_page=50)
    object_types = db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)).all()
    actors = db.session.scalars(select(User).where(User.id.in_(select(AuditEntry.actor_id).distinct())).order_by(User.name)).all()
    filtered = any(args.get(name) for name in AUDIT_FILTERS)
    return render_template("core/audit_log.html", page=page, object_types=object_types, actors=actors, args=args,
                           filtered=filtered)


@bp.get("/posta")
@staff_only
def outbox():
    status = request.args.get("stato", "")
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, per_page=30)
    return render_template("core/outbox.html", page=page, status=status, retry_form=CsrfForm())


@bp.post("/posta/reinvia")
@staff_only
def retry_outbox():
    if CsrfForm().validate_on_submit():
        count = resend_now()
        flash(_("%(count)s e-mail affidate all'invio: partono entro pochi secondi; l'esito compare in questa pagina.",
                count=count), "info")
    return redirect(url_for("core.outbox"))
