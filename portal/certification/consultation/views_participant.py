"""The consultation as the parties see it: the draft, their comments, sending them. Staff open
the same address and get the organiser's page (`views_staff.py`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.access import COMPANY_ROLES, STAFF_ROLES, Role, public, roles
from portal.certification import edition_diff, published
from portal.certification.blueprint import bp
from portal.certification.consultation import access, links, services
from portal.certification.consultation import labels as cs_labels
from portal.certification.consultation.forms import CommentForm
from portal.certification.consultation.models import Comment, Consultation, ConsultationState, Phase
from portal.certification.consultation.views_staff import render_staff_page
from portal.errors import render_error
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.navigation import Task, add_nav, task_provider
from portal.views import form_status, rule_errors

PARTY_ROLES = (*COMPANY_ROLES, Role.CONSULTEE, *STAFF_ROLES)

add_nav(_l("Consultazioni sullo schema"), "certification.consultations", order=24)


@bp.context_processor
def consultation_labels() -> dict:
    return {"cs": {"phases": cs_labels.PHASES, "phase_badges": cs_labels.PHASE_BADGES, "kinds": cs_labels.PARTY_KINDS,
                   "access": cs_labels.ACCESS, "types": cs_labels.COMMENT_TYPES_SHORT, "stances": cs_labels.STANCES_SHORT,
                   "dispositions": cs_labels.DISPOSITIONS, "disposition_badges": cs_labels.DISPOSITION_BADGES}}


@task_provider
def consultation_tasks(user):
    if not (user.is_company_user or user.role == Role.CONSULTEE):
        return
    for consultation in db.session.scalars(select(Consultation).where(Consultation.state == ConsultationState.LAUNCHED)):
        participant = next((p for p in consultation.participants if p.includes(user)), None)
        if participant is None or consultation.current_phase != Phase.OPEN:
            continue
        drafts = services.drafts_of(consultation, participant)
        url = url_for("certification.consultation", consultation_id=consultation.id)
        if drafts and access.Participation(participant, user, user.name).can_send:
            yield Task(_("Invia i commenti raccolti sulla bozza %(c)s del Bollino Blu (chiude il %(d)s)",
                         c=consultation.edition.code, d=consultation.closes_on.strftime("%d/%m/%Y")), url, len(drafts), urgent=True)
        else:
            yield Task(_("Commenta la bozza %(c)s del Bollino Blu (la consultazione chiude il %(d)s)",
                         c=consultation.edition.code, d=consultation.closes_on.strftime("%d/%m/%Y")), url)


@bp.get("/consultazioni")
@roles(*PARTY_ROLES)
def consultations():
    query = select(Consultation).order_by(Consultation.opens_on.desc(), Consultation.id.desc())
    if not current_user.is_staff:
        query = query.where(Consultation.state != ConsultationState.PREPARING)
    found = [c for c in db.session.scalars(query) if current_user.is_staff or access.participation_in(c) is not None]
    return render_template("certification/consultation/list.html", consultations=found)


@bp.get("/consultazioni/accesso/<token>")
@public
def consultation_link(token: str):
    """A personal link: this session may take part in that one consultation."""
    participant = links.find(token)
    if participant is None:
        return render_error(404, _("Questo link non è valido o è scaduto (ogni nuova e-mail contiene un link nuovo che sostituisce "
                                   "il precedente). Scrivete all'associazione per riceverne uno."))
    access.remember_link(participant)
    return redirect(url_for("certification.consultation", consultation_id=participant.consultation_id))


def visible_comments(consultation: Consultation, participation: access.Participation) -> list[Comment]:
    """The organisation's own comments, and the other parties' sent ones when the organiser
    made them visible (and, once the report is out, for everyone)."""
    others = consultation.comments_visible or consultation.current_phase == Phase.REPORTED
    return [c for c in consultation.comments if participation.owns(c) or (c.is_sent and others)]


def by_target(comments: list[Comment]) -> dict:
    """Comments by what they refer to: ("parameter", id), ("area", id) or ("edition", None)."""
    grouped: dict = {}
    for c in comments:
        key = ("parameter", c.parameter_id) if c.parameter_id else ("area", c.area_id) if c.area_id else ("edition", None)
        grouped.setdefault(key, []).append(c)
    return grouped


@bp.get("/consultazioni/<int:consultation_id>")
@public
def consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    if current_user.is_authenticated and current_user.is_staff:
        return render_staff_page(consultation)
    participation = access.participation_or_refuse(consultation)
    comments = visible_comments(consultation, participation)
    return render_template("certification/consultation/participant.html", consultation=consultation, participation=participation,
                           comments=by_target(comments), drafts=services.drafts_of(consultation, participation.participant),
                           phase=consultation.current_phase)


@bp.get("/consultazioni/<int:consultation_id>/modifiche")
@public
def consultation_changes(consultation_id: int):
    """What the consulted draft changes in the edition in force."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not (current_user.is_authenticated and current_user.is_staff):
        access.participation_or_refuse(consultation)
    current = next((e for e in published.editions() if e.id != consultation.edition_id), None)
    changes = None
    if current is not None and consultation.consulted_snapshot:
        changes = edition_diff.compare(edition_diff.snapshot(current), consultation.consulted_snapshot, edition_diff.parameter_lineage())
    return render_template("certification/consultation/changes.html", consultation=consultation, current=current, changes=changes)


def _comment_form_page(consultation: Consultation, participation: access.Participation, comment: Comment | None):
    form = CommentForm(obj=comment)
    form.target.choices = options(services.target_choices(consultation.edition))
    if request.method == "GET":
        if comment is not None:
            form.target.data = (f"parameter-{comment.parameter_id}" if comment.parameter_id
                                else f"area-{comment.area_id}" if comment.area_id else "edition")
        else:
            form.target.data = request.args.get("riferimento", "edition")
    if form.validate_on_submit():
        with rule_errors(form.target):
            services.save_comment(consultation, participation, comment, form.data)
            flash(_("Commento salvato tra le bozze della vostra organizzazione: sarà inviato con gli altri."), "success")
            return redirect(url_for("certification.consultation", consultation_id=consultation.id) + "#bozze")
    return render_template("certification/consultation/comment_form.html", consultation=consultation, form=form, comment=comment,
                           participation=participation), form_status(form)


@bp.route("/consultazioni/<int:consultation_id>/commenti/nuovo", methods=["GET", "POST"])
@public
def new_comment(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    participation = access.participation_or_refuse(consultation)
    if consultation.current_phase != Phase.OPEN:
        flash(_("La consultazione non è aperta ai commenti."), "warning")
        return redirect(url_for("certification.consultation", consultation_id=consultation.id))
    return _comment_form_page(consultation, participation, None)


def _own_draft(consultation: Consultation, participation: access.Participation, comment_id: int) -> Comment:
    comment = db.get_or_404(Comment, comment_id)
    if comment.consultation_id != consultation.id or not participation.owns(comment):
        abort(404)
    return comment


@bp.route("/consultazioni/<int:consultation_id>/commenti/<int:comment_id>", methods=["GET", "POST"])
@public
def edit_comment(consultation_id: int, comment_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    participation = access.participation_or_refuse(consultation)
    comment = _own_draft(consultation, participation, comment_id)
    if comment.is_sent or consultation.current_phase != Phase.OPEN:
        flash(_("Questo commento non si modifica più: è stato inviato, o la consultazione non è aperta."), "warning")
        return redirect(url_for("certification.consultation", consultation_id=consultation.id))
    return _comment_form_page(consultation, participation, comment)


@bp.post("/consultazioni/<int:consultation_id>/commenti/<int:comment_id>/elimina")
@public
def delete_comment(consultation_id: int, comment_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    participation = access.participation_or_refuse(consultation)
    comment = _own_draft(consultation, participation, comment_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.delete_comment(comment, participation)
            flash(_("Commento eliminato."), "success")
    return redirect(url_for("certification.consultation", consultation_id=consultation.id) + "#bozze")


@bp.post("/consultazioni/<int:consultation_id>/invia")
@public
def send_comments(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    participation = access.participation_or_refuse(consultation)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.send_comments(consultation, participation)
            flash(_("Commenti inviati all'associazione: riceverete una conferma per e-mail con i loro numeri."), "success")
    return redirect(url_for("certification.consultation", consultation_id=consultation.id))

