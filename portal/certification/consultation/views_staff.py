"""The organiser's side of a consultation (staff): settings, parties, launch, the comments as
they arrive (counts per parameter), answers after closing, the report."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from portal.access import ensure, staff_only
from portal.certification.blueprint import bp
from portal.certification.consultation import access, report, services
from portal.certification.consultation.forms import AnswerForm, InviteCompaniesForm, InviteOutsiderForm, SettingsForm
from portal.certification.consultation.models import Comment, Consultation, Phase
from portal.certification.models import Edition
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.members.models import Company, MembershipState
from portal.navigation import Task, task_provider
from portal.views import form_status, rule_errors


@task_provider
def staff_consultation_tasks(user):
    if not user.is_staff:
        return
    for consultation in db.session.scalars(select(Consultation).where(Consultation.closes_on < date.today())):
        if consultation.current_phase != Phase.CLOSED:
            continue
        missing = len(services.unanswered(consultation))
        if missing:
            yield Task(_("Rispondi ai commenti della consultazione sulla bozza %(c)s", c=consultation.edition.code),
                       url_for("certification.consultation_comments", consultation_id=consultation.id), missing, urgent=True)
        else:
            yield Task(_("Pubblica il rapporto della consultazione sulla bozza %(c)s", c=consultation.edition.code),
                       url_for("certification.consultation_report", consultation_id=consultation.id), urgent=True)


def _companies_form(consultation: Consultation) -> InviteCompaniesForm:
    form = InviteCompaniesForm(prefix="companies")
    invited = {p.company_id for p in consultation.participants}
    form.companies.choices = options((c.id, c.ragione_sociale) for c in db.session.scalars(
        select(Company).where(Company.membership_state == MembershipState.ACTIVE).order_by(Company.ragione_sociale))
        if c.id not in invited)
    return form


def render_staff_page(consultation: Consultation, companies_form=None, outsider_form=None, status: int = 200):
    phase = consultation.current_phase
    sent = {}
    for c in consultation.sent_comments:
        sent[c.participant_id] = sent.get(c.participant_id, 0) + 1
    return render_template(
        "certification/consultation/staff.html", consultation=consultation, phase=phase, sent=sent,
        tally=report.tally(consultation), problems=services.launch_problems(consultation) if phase == Phase.PREPARING else [],
        companies_form=companies_form or _companies_form(consultation),
        outsider_form=outsider_form or InviteOutsiderForm(prefix="outsider"), unanswered=len(services.unanswered(consultation)),
    ), status


@bp.route("/schema/<int:edition_id>/consultazione", methods=["GET", "POST"])
@staff_only
def new_consultation(edition_id: int):
    edition = db.get_or_404(Edition, edition_id)
    if edition.consultation is not None:
        return redirect(url_for("certification.consultation", consultation_id=edition.consultation.id))
    form = SettingsForm()
    if not form.is_submitted():
        form.opens_on.data, form.closes_on.data = date.today(), date.today() + timedelta(days=30)
    if form.validate_on_submit():
        with rule_errors(form.closes_on):
            consultation = services.create(edition, form.data, current_user)
            flash(_("Consultazione preparata: invita le parti, poi avviala."), "success")
            return redirect(url_for("certification.consultation", consultation_id=consultation.id))
    return render_template("certification/consultation/settings.html", form=form, edition=edition, consultation=None), form_status(form)


@bp.route("/consultazioni/<int:consultation_id>/impostazioni", methods=["GET", "POST"])
@staff_only
def consultation_settings(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = SettingsForm(obj=consultation)
    if form.validate_on_submit():
        with rule_errors(form.closes_on):
            services.update(consultation, form.data, current_user)
            flash(_("Impostazioni salvate."), "success")
            return redirect(url_for("certification.consultation", consultation_id=consultation.id))
    return render_template("certification/consultation/settings.html", form=form, edition=consultation.edition,
                           consultation=consultation), form_status(form)


@bp.post("/consultazioni/<int:consultation_id>/elimina")
@staff_only
def delete_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    edition_id = consultation.edition_id
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.delete(consultation, current_user)
            flash(_("Consultazione eliminata."), "success")
            return redirect(url_for("certification.edition", edition_id=edition_id))
    return redirect(url_for("certification.consultation", consultation_id=consultation_id))


@bp.post("/consultazioni/<int:consultation_id>/aziende")
@staff_only
def invite_companies(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = _companies_form(consultation)
    if form.validate_on_submit():
        with rule_errors(form.companies):
            added = services.invite_companies(consultation, form.companies.data, current_user)
            flash(ngettext("%(num)s azienda invitata.", "%(num)s aziende invitate.", len(added)), "success")
            return redirect(url_for("certification.consultation", consultation_id=consultation.id) + "#parti")
    return render_staff_page(consultation, companies_form=form, status=form_status(form))


@bp.post("/consultazioni/<int:consultation_id>/parti")
@staff_only
def invite_outsider(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = InviteOutsiderForm(prefix="outsider")
    if form.validate_on_submit():
        with rule_errors(form.email):
            participant = services.invite_outsider(consultation, form.data, current_user)
            flash(_("%(o)s invitata.", o=participant.organisation), "success")
            return redirect(url_for("certification.consultation", consultation_id=consultation.id) + "#parti")
    return render_staff_page(consultation, outsider_form=form, status=form_status(form))


def _on_participant(consultation_id: int, participant_id: int, action, success: str):
    """Run a staff action on one invited party, say how it went, back to the parties."""
    consultation = db.get_or_404(Consultation, consultation_id)
    participant = access.participant_of(consultation, participant_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            action(participant, current_user)
            flash(success, "success")
    return redirect(url_for("certification.consultation", consultation_id=consultation.id) + "#parti")


@bp.post("/consultazioni/<int:consultation_id>/parti/<int:participant_id>/elimina")
@staff_only
def remove_participant(consultation_id: int, participant_id: int):
    return _on_participant(consultation_id, participant_id, services.remove_participant, _("Parte tolta dalla consultazione."))


@bp.post("/consultazioni/<int:consultation_id>/parti/<int:participant_id>/invito")
@staff_only
def resend_invitation(consultation_id: int, participant_id: int):
    return _on_participant(consultation_id, participant_id, services.resend_invitation, _("Invito inviato di nuovo."))


@bp.post("/consultazioni/<int:consultation_id>/avvia")
@staff_only
def launch_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.launch(consultation, current_user)
            flash(_("Consultazione avviata: le parti sono state invitate e la bozza resta uguale per tutti fino alla chiusura."), "success")
    return redirect(url_for("certification.consultation", consultation_id=consultation.id))


def _answer_forms(consultation: Consultation) -> dict[int, AnswerForm]:
    if consultation.current_phase != Phase.CLOSED:
        return {}
    return {c.id: AnswerForm.for_comment(c.id, obj=c) for c in consultation.sent_comments}


def render_comments_page(consultation: Consultation, forms: dict | None = None, status: int = 200):
    comments = sorted(consultation.sent_comments, key=lambda c: c.number)
    return render_template("certification/consultation/comments.html", consultation=consultation, comments=comments,
                           forms=_answer_forms(consultation) | (forms or {}), phase=consultation.current_phase,
                           unanswered=len(services.unanswered(consultation))), status


@bp.get("/consultazioni/<int:consultation_id>/commenti")
@staff_only
def consultation_comments(consultation_id: int):
    return render_comments_page(db.get_or_404(Consultation, consultation_id))


@bp.post("/consultazioni/<int:consultation_id>/commenti/<int:comment_id>/risposta")
@staff_only
def answer_comment(consultation_id: int, comment_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    comment = db.get_or_404(Comment, comment_id)
    ensure(comment.consultation_id == consultation.id and comment.is_sent, status=404)
    form = AnswerForm.for_comment(comment.id)
    if form.validate_on_submit():
        with rule_errors(form.answer):
            services.answer(comment, form.data, current_user)
            flash(_("Risposta al commento n. %(n)s salvata.", n=comment.number), "success")
            return redirect(url_for("certification.consultation_comments", consultation_id=consultation.id) + f"#commento-{comment.number}")
    return render_comments_page(consultation, {comment.id: form}, status=form_status(form))
