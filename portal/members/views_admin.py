"""The portal admin's pages: every user, their role, and invitations of staff and auditors."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.access import Role, roles
from portal.extensions import db
from portal.members import services
from portal.members.blueprint import bp
from portal.members.forms import ROLE_LABELS, StaffInviteForm, UserAdminForm
from portal.members.models import User
from portal.navigation import add_nav
from portal.views import form_status, rule_errors

add_nav(_l("Utenti"), "members.users", order=90, group="admin")


@bp.get("/admin/utenti")
@roles(Role.ADMIN)
def users():
    query = select(User).options(selectinload(User.company)).order_by(User.name)
    q = request.args.get("q", "").strip()
    role = request.args.get("ruolo", "")
    if q:
        query = query.where(or_(User.name.ilike(f"%{q}%"), User.email.ilike(f"%{q}%")))
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    page = db.paginate(query, per_page=20)
    return render_template(
        "members/users.html", page=page, q=q, role=role, role_labels=ROLE_LABELS, invite_form=StaffInviteForm()
    )


@bp.route("/admin/utenti/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(obj=user)
    if form.validate_on_submit():
        with rule_errors(form.role):
            services.change_user(user, Role(form.role.data), form.active.data, current_user)
            flash(_("Utente aggiornato."), "success")
            return redirect(url_for("members.users"))
    return render_template("members/user_form.html", form=form, user=user, role_labels=ROLE_LABELS), form_status(form)


@bp.post("/admin/invita")
@roles(Role.ADMIN)
def invite_staff():
    form = StaffInviteForm()
    if form.validate_on_submit():
        with rule_errors(form.email):
            services.invite(form.email.data, form.name.data, Role(form.role.data), None, current_user)
            flash(_("Invito inviato a %(email)s.", email=form.email.data), "success")
            return redirect(url_for("members.users"))
    page = db.paginate(select(User).order_by(User.name), per_page=20)
    return render_template(
        "members/users.html", page=page, q="", role="", role_labels=ROLE_LABELS, invite_form=form
    ), form_status(form)
