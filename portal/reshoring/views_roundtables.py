"""Roundtable sessions: agenda, parties, documents, minutes, outcomes, follow-up actions, ICS."""

from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.access import COMPANY_ROLES, Role, ensure, roles, staff_only
from portal.database import utcnow
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.navigation import Task, add_nav, task_provider
from portal.reshoring import services_roundtables
from portal.reshoring.blueprint import bp
from portal.reshoring.forms import (
    ACTION_STATUS_LABELS,
    PARTY_LABELS,
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AttendanceForm,
    CirculateForm,
    CommentForm,
    DocumentForm,
    MinutesForm,
    OutcomeForm,
    PartyForm,
    RoundtableForm,
    to_local,
)
from portal.reshoring.ics import roundtable_calendar
from portal.reshoring.models import (
    BLOCKED,
    DONE,
    AgendaItem,
    FollowUpAction,
    Organisation,
    Proposal,
    ProposalState,
    Roundtable,
    RoundtableDocument,
    RoundtableParty,
)
from portal.uploads import send_stored
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Tavoli"), "reshoring.roundtables", order=62)


@task_provider
def overdue_actions_task(user):
    if user.is_staff:
        overdue = services_roundtables.overdue_actions_count()
        if overdue:
            yield Task(_("Azioni dei tavoli scadute"), url_for("reshoring.actions", stato="scadute"), overdue, urgent=True)


ROUNDTABLE_ROLES = (*COMPANY_ROLES, Role.STAFF, Role.ADMIN)


def visible_roundtables(user):
    """Every session for staff; for a member company's users, the sessions their company is a party to."""
    query = select(Roundtable)
    if user.is_staff:
        return query
    seated = select(RoundtableParty.roundtable_id).join(Organisation).where(Organisation.company_id == user.company_id)
    return query.where(Roundtable.id.in_(seated))


@bp.get("/tavoli")
@roles(*ROUNDTABLE_ROLES)
def roundtables():
    now = utcnow()
    with_items = visible_roundtables(current_user).options(selectinload(Roundtable.items))
    upcoming = db.session.scalars(with_items.where(Roundtable.starts_at >= now).order_by(Roundtable.starts_at)).all()
    page = db.paginate(with_items.where(Roundtable.starts_at < now).order_by(Roundtable.starts_at.desc()), per_page=20)
    return render_template("reshoring/roundtables.html", upcoming=upcoming, page=page)


@bp.route("/tavoli/nuovo", methods=["GET", "POST"], defaults={"roundtable_id": None})
@bp.route("/tavoli/<int:roundtable_id>/modifica", methods=["GET", "POST"])
@staff_only
def edit_roundtable(roundtable_id: int | None):
    roundtable = db.get_or_404(Roundtable, roundtable_id) if roundtable_id else None
    form = RoundtableForm(obj=roundtable)
    if roundtable is not None and not form.is_submitted():
        form.starts_at.data = to_local(roundtable.starts_at)
        form.ends_at.data = to_local(roundtable.ends_at)
    if form.validate_on_submit():
        with rule_errors(form.place):
            saved = services_roundtables.save_roundtable(roundtable, form.values(), current_user)
            flash(_("Tavolo salvato."), "success")
            return redirect(url_for("reshoring.roundtable", roundtable_id=saved.id))
    return render_template("reshoring/roundtable_form.html", form=form, roundtable=roundtable), form_status(form)


def _agenda_form() -> AgendaItemForm:
    form = AgendaItemForm()
    proposals = db.session.scalars(
        select(Proposal).join(ProposalState).where(~ProposalState.is_initial, ~ProposalState.is_closed).order_by(Proposal.title)
    ).all()
    form.proposal_id.choices = options([("", "—")] + [(str(p.id), f"{p.title} ({p.state.label})") for p in proposals])
    return form


def _outcome_forms(roundtable: Roundtable) -> dict[int, OutcomeForm]:
    forms = {}
    for item in roundtable.items:
        form = OutcomeForm(prefix=f"item{item.id}", obj=item)
        targets = item.proposal.state.targets if item.proposal and item.outcome_state_id is None else []
        form.state_id.choices = options([("", _("— lo stato non cambia —"))] + [(str(s.id), s.label) for s in targets])
        forms[item.id] = form
    return forms


def _action_form(item: AgendaItem) -> ActionForm:
    form = ActionForm(prefix=f"azione{item.id}")
    form.owner_id.choices = options([("", "—")] + [(str(p.organisation_id), p.name) for p in item.roundtable.parties])
    return form


def _party_form(roundtable: Roundtable) -> PartyForm:
    form = PartyForm()
    seated = {p.organisation_id for p in roundtable.parties}
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation_ids.choices = options((o.id, f"{o.name} ({PARTY_LABELS[o.kind]})") for o in organisations if o.id not in seated)
    return form


def _detail_page(roundtable: Roundtable, **forms):
    """The roundtable's page; the form that was posted comes back with what was typed and its errors (422)."""
    posted = [form for value in forms.values() for form in (value.values() if isinstance(value, dict) else [value])]
    attendance = forms.pop("attendance_form", None) or AttendanceForm()
    attendance.present.choices = options((p.id, p.name) for p in roundtable.parties)
    if not attendance.is_submitted():
        attendance.present.data = [p.id for p in roundtable.parties if p.present]
    outcome_forms = _outcome_forms(roundtable) | forms.pop("outcome_forms", {})
    action_forms = {item.id: _action_form(item) for item in roundtable.items} | forms.pop("action_forms", {})
    context = {
        "party_form": _party_form(roundtable), "agenda_form": _agenda_form(), "minutes_form": MinutesForm(obj=roundtable),
        "circulate_form": CirculateForm(), "action_form": CsrfForm(),
        "document_form": DocumentForm(), "action_forms": action_forms,
        "attendance_form": attendance, "outcome_forms": outcome_forms,
    } | forms
    return render_template("reshoring/roundtable.html", roundtable=roundtable, is_past=roundtable.is_past(),
                           today=date.today(), **context), form_status(*posted)


def _roundtable(roundtable_id: int, options=()) -> Roundtable:
    return db.get_or_404(Roundtable, roundtable_id, options=options)


def _back(roundtable_id: int, anchor: str = ""):
    return redirect(url_for("reshoring.roundtable", roundtable_id=roundtable_id) + (f"#{anchor}" if anchor else ""))


@bp.get("/tavoli/<int:roundtable_id>")
@roles(*ROUNDTABLE_ROLES)
def roundtable(roundtable_id: int):
    items = selectinload(Roundtable.items)
    roundtable = load_or_404(Roundtable, roundtable_id, options=[items.selectinload(AgendaItem.actions), items.joinedload(AgendaItem.proposal)])
    if not current_user.is_staff:
        return _party_page(roundtable)
    return _detail_page(roundtable)


def _party_page(roundtable: Roundtable, comment_form: CommentForm | None = None):
    """What a party sees of its session: agenda, documents, approved minutes (or the draft, to comment on)."""
    party = roundtable.party_of(current_user.company_id)
    colleagues = {u.id for u in party.organisation.company.users} if party.organisation.company else set()
    comment_form = comment_form or CommentForm()
    return render_template("reshoring/roundtable_party.html", roundtable=roundtable, party=party, today=date.today(),
                           comment_form=comment_form,
                           own_comments=[c for c in roundtable.comments if c.user_id in colleagues],
                           document_url=lambda d: url_for("reshoring.document", document_id=d.id),
                           ics_url=url_for("reshoring.roundtable_ics", roundtable_id=roundtable.id)), form_status(comment_form)


@bp.post("/tavoli/<int:roundtable_id>/osservazioni")
@roles(*COMPANY_ROLES)
def comment_minutes(roundtable_id: int):
    roundtable = load_or_404(Roundtable, roundtable_id)
    form = CommentForm()
    if form.validate_on_submit():
        party = roundtable.party_of(current_user.company_id)
        with rule_errors(form):  # shown above the read-only page: the form may be gone (minutes approved, deadline passed)
            services_roundtables.comment_minutes(roundtable, form.text.data, f"{current_user.name} ({party.name})", user=current_user)
            flash(_("Osservazione inviata: lo staff la vedrà prima di approvare il verbale."), "success")
            return _back(roundtable.id, "verbale")
    return _party_page(roundtable, form)


@bp.post("/tavoli/<int:roundtable_id>/verbale/revisione")
@staff_only
def circulate_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    form = CirculateForm()
    if form.validate_on_submit():
        with rule_errors(form.comments_until):
            services_roundtables.circulate_minutes(roundtable, form.comments_until.data, current_user)
            flash(_("Bozza del verbale aperta alle osservazioni delle parti fino al %(date)s.", date=form.comments_until.data.strftime("%d/%m/%Y")),
                  "success")
            return _back(roundtable.id, "verbale")
    return _detail_page(roundtable, circulate_form=form)


@bp.post("/tavoli/<int:roundtable_id>/verbale/approva")
@staff_only
def approve_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services_roundtables.approve_minutes(roundtable, current_user)
            flash(_("Verbale approvato: le parti lo vedono come definitivo."), "success")
    return _back(roundtable.id, "verbale")


@bp.post("/tavoli/<int:roundtable_id>/verbale/riapri")
@staff_only
def reopen_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services_roundtables.reopen_minutes(roundtable)
            flash(_("Verbale riaperto: è di nuovo una bozza."), "success")
    return _back(roundtable.id, "verbale")


@bp.post("/tavoli/<int:roundtable_id>/parti")
@staff_only
def add_party(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    form = _party_form(roundtable)
    if form.validate_on_submit():
        organisations = db.session.scalars(select(Organisation).where(Organisation.id.in_(form.organisation_ids.data))).all()
        with rule_errors(form.organisation_ids):
            added = services_roundtables.add_parties(roundtable, list(organisations))
            flash(ngettext("%(num)s parte aggiunta al tavolo: %(names)s.", "%(num)s parti aggiunte al tavolo: %(names)s.", len(added),
                           names=", ".join(p.name for p in added)), "success")
            return _back(roundtable.id, "parti")
    return _detail_page(roundtable, party_form=form)


@bp.post("/parti/<int:party_id>/elimina")
@staff_only
def remove_party(party_id: int):
    party = db.get_or_404(RoundtableParty, party_id)
    roundtable_id, name = party.roundtable_id, party.name
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services_roundtables.remove_party(party)
            flash(_("«%(name)s» non è più tra le parti del tavolo.", name=name), "success")
    return _back(roundtable_id, "parti")


@bp.post("/tavoli/<int:roundtable_id>/presenze")
@staff_only
def attendance(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    form = AttendanceForm()
    form.present.choices = options((p.id, p.name) for p in roundtable.parties)
    if form.validate_on_submit():
        with rule_errors(form.present):
            services_roundtables.set_attendance(roundtable, set(form.present.data or []))
            flash(_("Presenze registrate."), "success")
            return _back(roundtable.id, "parti")
    return _detail_page(roundtable, attendance_form=form)


@bp.post("/tavoli/<int:roundtable_id>/ordine-del-giorno")
@staff_only
def add_agenda_item(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    form = _agenda_form()
    if form.validate_on_submit():
        proposal = db.session.get(Proposal, form.proposal_id.data) if form.proposal_id.data else None
        with rule_errors(form.proposal_id):
            item = services_roundtables.add_agenda_item(roundtable, proposal, form.title.data or "", form.notes.data or "")
            flash(_("Punto aggiunto all'ordine del giorno: «%(label)s».", label=item.label), "success")
            return _back(roundtable.id, "odg")
    return _detail_page(roundtable, agenda_form=form)


@bp.post("/punti/<int:item_id>/elimina")
@staff_only
def remove_agenda_item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    roundtable_id = item.roundtable_id
    label = item.label
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services_roundtables.remove_agenda_item(item)
            flash(_("Punto tolto dall'ordine del giorno: «%(label)s».", label=label), "success")
    return _back(roundtable_id, "odg")


@bp.post("/punti/<int:item_id>/esito")
@staff_only
def record_outcome(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    roundtable = item.roundtable
    form = _outcome_forms(roundtable)[item.id]
    if form.validate_on_submit():
        target = db.session.get(ProposalState, form.state_id.data) if form.state_id.data else None
        with rule_errors(form.reason):
            services_roundtables.record_outcome(item, form.outcome.data, target, form.reason.data or "", current_user)
            flash(_("Esito registrato."), "success")
            return _back(roundtable.id, f"punto-{item.id}")
    return _detail_page(roundtable, outcome_forms={item.id: form})


@bp.post("/tavoli/<int:roundtable_id>/verbale")
@staff_only
def save_minutes(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    form = MinutesForm()
    if form.validate_on_submit():
        with rule_errors(form):  # a future session shows no minutes field to put the message beside
            services_roundtables.save_minutes(roundtable, form.minutes.data or "")
            flash(_("Verbale salvato."), "success")
            return _back(roundtable.id, "verbale")
    return _detail_page(roundtable, minutes_form=form)


@bp.post("/punti/<int:item_id>/azioni")
@staff_only
def add_action(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    form = _action_form(item)
    if form.validate_on_submit():
        with rule_errors(form.owner_id):
            services_roundtables.add_action(item, form.data)
            flash(_("Azione aggiunta."), "success")
            return _back(item.roundtable_id, f"punto-{item.id}")
    return _detail_page(item.roundtable, action_forms={item.id: form})


@bp.route("/azioni/<int:action_id>", methods=["GET", "POST"])
@staff_only
def action(action_id: int):
    """An action's page: its progress notes, and the form that records a new step."""
    action = db.get_or_404(FollowUpAction, action_id, options=[selectinload(FollowUpAction.updates)])
    form = ActionUpdateForm(obj=action if request.method == "GET" else None)
    if request.method == "GET":
        form.note.data = ""
    if form.validate_on_submit():
        with rule_errors(form.note):
            services_roundtables.update_action(action, form.status.data, form.progress.data, form.note.data or "", current_user)
            flash(_("Avanzamento registrato: «%(action)s» è %(status)s (%(progress)s%%).", action=action.description,
                    status=ACTION_STATUS_LABELS[action.status], progress=action.progress), "success")
            return redirect(url_for("reshoring.action", action_id=action.id))
    return render_template("reshoring/action.html", action=action, form=form, today=date.today()), form_status(form)


@bp.post("/tavoli/<int:roundtable_id>/documenti")
@staff_only
def add_document(roundtable_id: int):
    roundtable = _roundtable(roundtable_id)
    form = DocumentForm()
    if form.validate_on_submit():
        with rule_errors(form.file):
            document = services_roundtables.add_document(roundtable, form.file.data, form.title.data, current_user)
            flash(_("Documento «%(title)s» caricato.", title=document.title), "success")
            return _back(roundtable.id, "documenti")
    return _detail_page(roundtable, document_form=form)


@bp.get("/documenti/<int:document_id>")
@roles(*ROUNDTABLE_ROLES)
def document(document_id: int):
    document = db.get_or_404(RoundtableDocument, document_id)
    ensure(document.roundtable.can_view(current_user), status=404)
    return send_stored(document.stored_file, as_attachment=True)


@bp.get("/tavoli/<int:roundtable_id>/calendario.ics")
@roles(*ROUNDTABLE_ROLES)
def roundtable_ics(roundtable_id: int):
    roundtable = load_or_404(Roundtable, roundtable_id)
    return Response(roundtable_calendar([roundtable]), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="tavolo-{roundtable.id}.ics"'})


@bp.get("/tavoli/calendario.ics")
@roles(*ROUNDTABLE_ROLES)
def roundtables_ics():
    upcoming = db.session.scalars(visible_roundtables(current_user).options(selectinload(Roundtable.items).joinedload(AgendaItem.proposal))
                                  .where(Roundtable.starts_at >= utcnow()).order_by(Roundtable.starts_at)).all()
    return Response(roundtable_calendar(upcoming), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="tavoli-assocontact.ics"'})


@bp.get("/azioni")
@staff_only
def actions():
    state = request.args.get("stato", "aperte")
    item = joinedload(FollowUpAction.item)
    query = (select(FollowUpAction).options(item.joinedload(AgendaItem.roundtable), item.joinedload(AgendaItem.proposal),
                                            joinedload(FollowUpAction.owner))
             .order_by(FollowUpAction.due_date))
    if state == "scadute":
        query = query.where(FollowUpAction.status != DONE, FollowUpAction.due_date < date.today())
    elif state == "aperte":
        query = query.where(FollowUpAction.status != DONE)
    elif state == "bloccate":
        query = query.where(FollowUpAction.status == BLOCKED)
    page = db.paginate(query, per_page=20)
    return render_template("reshoring/actions.html", page=page, state=state, today=date.today())
