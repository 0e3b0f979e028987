"""Invitations: staff send them; the invited people answer, and read their session, through the
personal links of their e-mail, without an account."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import ensure, public, staff_only
from portal.extensions import db
from portal.forms import CsrfForm
from portal.reshoring import services_invitations, services_roundtables
from portal.reshoring.blueprint import bp
from portal.reshoring.forms import AnswerForm, CommentForm
from portal.reshoring.ics import roundtable_calendar
from portal.reshoring.models import Roundtable, RoundtableDocument, RoundtableInvitation
from portal.uploads import send_stored
from portal.views import form_status, rule_errors


@bp.post("/tavoli/<int:roundtable_id>/inviti")
@staff_only
def send_invitations(roundtable_id: int):
    roundtable = db.get_or_404(Roundtable, roundtable_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            sent = services_invitations.send_invitations(roundtable, current_user)
            flash(_("Inviti inviati a %(invited)s persone; aggiornamenti a %(updated)s.", invited=sent.invited, updated=sent.updated),
                  "success")
    return redirect(url_for("reshoring.roundtable", roundtable_id=roundtable.id) + "#inviti")


def _link_not_valid():
    return render_template("reshoring/link_not_valid.html"), 404


@bp.route("/invito/<token>", methods=["GET", "POST"])
@public
def answer_invitation(token: str):
    invitation = services_invitations.invitation_to_answer(token)
    if invitation is None:
        return _link_not_valid()
    form = AnswerForm()
    if form.validate_on_submit():
        with rule_errors(form):
            delegate = services_invitations.answer_invitation(invitation, form.answer.data, form.note.data or "",
                                                              form.delegate_name.data or "", form.delegate_email.data or "")
            return render_template("reshoring/answer_recorded.html", invitation=invitation, delegate=delegate)
    return render_template("reshoring/answer_form.html", form=form, invitation=invitation,
                           roundtable=invitation.roundtable), form_status(form)


def _guest(token: str) -> RoundtableInvitation:
    invitation = services_invitations.invitation_by_access(token)
    ensure(invitation is not None, status=404)
    return invitation


def _guest_page(token: str, invitation: RoundtableInvitation, comment_form: CommentForm | None = None):
    """The session as the person's party reads it: agenda, documents, approved minutes (or the draft, to comment on)."""
    roundtable, comment_form = invitation.roundtable, comment_form or CommentForm()
    colleagues = {i.id for i in invitation.party.invitations}
    return render_template("reshoring/roundtable_guest.html", roundtable=roundtable, party=invitation.party, invitation=invitation,
                           token=token, comment_form=comment_form,
                           own_comments=[c for c in roundtable.comments if c.invitation_id in colleagues],
                           document_url=lambda d: url_for("reshoring.guest_document", token=token, document_id=d.id),
                           ics_url=url_for("reshoring.guest_ics", token=token)), form_status(comment_form)


@bp.get("/seduta/<token>")
@public
def party_view(token: str):
    invitation = services_invitations.invitation_by_access(token)
    if invitation is None:
        return _link_not_valid()
    return _guest_page(token, invitation)


@bp.get("/seduta/<token>/calendario.ics")
@public
def guest_ics(token: str):
    roundtable = _guest(token).roundtable
    return Response(roundtable_calendar([roundtable]), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="tavolo-{roundtable.id}.ics"'})


@bp.get("/seduta/<token>/documenti/<int:document_id>")
@public
def guest_document(token: str, document_id: int):
    invitation = _guest(token)
    document = db.get_or_404(RoundtableDocument, document_id)
    ensure(document.roundtable_id == invitation.roundtable_id, status=404)
    return send_stored(document.stored_file, as_attachment=True)


@bp.post("/seduta/<token>/osservazioni")
@public
def guest_comment(token: str):
    invitation = _guest(token)
    form = CommentForm()
    if form.validate_on_submit():
        with rule_errors(form):
            services_roundtables.comment_minutes(invitation.roundtable, form.text.data, f"{invitation.name} ({invitation.party.name})",
                                                 invitation=invitation)
            flash(_("Osservazione inviata: lo staff la vedrà prima di approvare il verbale."), "success")
            return redirect(url_for("reshoring.party_view", token=token) + "#verbale")
    return _guest_page(token, invitation, form)
