"""Login, logout, password reset, invitations and the user's own profile."""

import hmac

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload

from portal.access import authenticated, public
from portal.extensions import db, limiter, login_manager
from portal.members import services
from portal.members.blueprint import bp
from portal.members.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    SetPasswordForm,
)
from portal.members.models import User
from portal.urls import safe_next
from portal.views import form_status, rule_errors

login_manager.login_view = "members.login"
login_manager.login_message = _l("Accedi per vedere questa pagina.")
login_manager.login_message_category = "info"

BAD_LOGIN = _l(
    "E-mail o password non corrette, oppure account temporaneamente bloccato dopo troppi tentativi. "
    "Riprova più tardi o reimposta la password."
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session's user, unless deactivated or the password changed since it signed in.

    The company comes in the same query: company users' pages (and home to-dos) all ask for it."""
    user_id, _sep, fingerprint = session_id.partition(":")
    user = db.session.get(User, int(user_id), options=[joinedload(User.company)]) if user_id.isdigit() else None
    if user is None or not user.active or not hmac.compare_digest(fingerprint, user.password_fingerprint()):
        return None
    return user


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/accedi", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(BAD_LOGIN, "danger")
        else:
            session.clear()
            login_user(user)
            if user.locale:
                session["lang"] = user.locale
            return redirect(safe_next(request.args.get("next"), url_for("core.home")))
    return render_template("members/login.html", form=form), form_status(form)


@bp.post("/esci")
@authenticated
def logout():
    logout_user()
    session.clear()
    flash(_("Sei uscito dal portale."), "success")
    return redirect(url_for("core.index"))


@bp.route("/password/dimenticata", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(_("Se l'indirizzo corrisponde a un account, riceverai a breve un'e-mail con il link per reimpostare la password."), "info")
        return redirect(url_for("members.login"))
    return render_template("members/forgot_password.html", form=form), form_status(form)


@bp.route("/password/reimposta/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        flash(_("Il link non è valido o è scaduto: chiedine uno nuovo."), "danger")
        return redirect(url_for("members.forgot_password"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data, "user.password_reset")
        flash(_("Password reimpostata: ora puoi accedere."), "success")
        return redirect(url_for("members.login"))
    return render_template("members/reset_password.html", form=form), form_status(form)


@bp.route("/invito/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        flash(_("L'invito non è valido, è scaduto o è già stato usato. Chiedi un nuovo invito a chi ti ha invitato."), "danger")
        return redirect(url_for("members.login"))
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        with rule_errors(form):
            user = services.accept_invitation(invitation, form.name.data, form.password.data)
            logout_user()
            login_user(user)
            flash(_("Benvenuto nel portale Assocontact."), "success")
            return redirect(url_for("core.home"))
    return render_template("members/accept_invitation.html", form=form, invitation=invitation), form_status(form)


@bp.post("/lingua")
@public
def set_language():
    """The language switch of the header: for this session and, signed in, the next ones."""
    lang = request.form.get("lang", "it")
    session["lang"] = lang if lang in ("it", "en") else "it"
    if current_user.is_authenticated:
        services.set_locale(current_user, session["lang"])
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))


@bp.route("/profilo", methods=["GET", "POST"])
@authenticated
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.locale.data)
        session["lang"] = form.locale.data
        flash(_("Profilo aggiornato."), "success")
        return redirect(url_for("members.profile"))
    return render_template("members/profile.html", form=form), form_status(form)


@bp.route("/profilo/password", methods=["GET", "POST"])
@authenticated
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("La password attuale non è corretta."))
        else:
            services.set_password(current_user, form.password.data, "user.password_change")
            login_user(current_user._get_current_object())  # this session stays; the others end
            flash(_("Password cambiata: le altre sessioni aperte con la vecchia password sono chiuse."), "success")
            return redirect(url_for("members.profile"))
    return render_template("members/change_password.html", form=form), form_status(form)
