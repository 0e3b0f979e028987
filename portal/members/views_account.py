"""Login, logout, password reset, invitations and the user's own profile and password."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from portal import throttle
from portal.access import authenticated, public
from portal.deferred import after_response
from portal.extensions import limiter, login_manager
from portal.members import lockout, services, sessions
from portal.members.blueprint import bp
from portal.members.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    SetPasswordForm,
)
from portal.members.signin import continue_sign_in
from portal.urls import safe_next
from portal.views import form_status, rule_errors

login_manager.login_view = "members.login"
login_manager.login_message = _l("Accedi per vedere questa pagina.")
login_manager.login_message_category = "info"
login_manager.user_loader(sessions.load_session)

BAD_LOGIN = _l(
    "E-mail o password non corrette, oppure troppi tentativi sbagliati da questo dispositivo: attendi qualche "
    "minuto o reimposta la password."
)
RESET_SENT = _l("Se l'indirizzo corrisponde a un account, riceverai a breve un'e-mail con il link per reimpostare la password.")


@bp.route("/accedi", methods=["GET", "POST"])
@public
@limiter.limit(throttle.limit_config("LOGIN_RATE_LIMIT"), methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            return continue_sign_in(user, safe_next(request.args.get("next"), url_for("core.home")))
        form.form_errors.append(BAD_LOGIN)  # a 422 like every refused form (not a redirect: the typed e-mail stays)
    return render_template("members/login.html", form=form), form_status(form)


@bp.post("/esci")
@authenticated
def logout():
    sessions.end_current(sessions.LOGOUT)
    logout_user()
    session.clear()
    flash(_("Sei uscito dal portale."), "success")
    return redirect(url_for("core.index"))


@bp.route("/password/dimenticata", methods=["GET", "POST"])
@public
@limiter.limit(throttle.limit_config("RESET_RATE_LIMIT"), methods=["POST"])
def forgot_password():
    """The same answer, in the same time, for any address: the lookup and the e-mail come after it."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        if throttle.allow(current_app.config["RESET_ADDRESS_RATE_LIMIT"], "reset-address", email):
            after_response(services.send_password_reset, email)
        flash(RESET_SENT, "info")
        return redirect(url_for("members.login"))
    return render_template("members/forgot_password.html", form=form), form_status(form)


@bp.route("/password/reimposta/<token>", methods=["GET", "POST"])
@public
@limiter.limit(throttle.limit_config("RESET_RATE_LIMIT"), methods=["POST"])
def reset_password(token: str):
    found = services.reset_link(token)
    if found is None:
        flash(_("Il link non è valido o è scaduto: chiedine uno nuovo."), "danger")
        return redirect(url_for("members.forgot_password"))
    link, user = found
    form = SetPasswordForm(known_words=(user.email, user.name))
    if form.validate_on_submit():
        with rule_errors(form.password):
            services.reset_password(link, user, form.password.data)
            flash(_("Password reimpostata: ora puoi accedere."), "success")
            response = redirect(url_for("members.login"))
            lockout.remember_device(response, user)  # this browser opened the owner's mailbox link
            return response
    return render_template("members/reset_password.html", form=form), form_status(form)


@bp.route("/invito/<token>", methods=["GET", "POST"])
@public
@limiter.limit(throttle.limit_config("INVITATION_RATE_LIMIT"), methods=["POST"])
def accept_invitation(token: str):
    found = services.invitation_link(token)
    if found is None:
        flash(_("L'invito non è valido, è scaduto o è già stato usato. Chiedi un nuovo invito a chi ti ha invitato."), "danger")
        return redirect(url_for("members.login"))
    link, invitation = found
    form = AcceptInvitationForm(name=invitation.name, known_words=(invitation.email,))
    if form.validate_on_submit():
        with rule_errors(form):
            user = services.accept_invitation(link, invitation, form.name.data, form.password.data)
            logout_user()
            flash(_("Benvenuto nel portale Assocontact."), "success")
            return continue_sign_in(user, url_for("core.home"))
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
    user = current_user._get_current_object()
    form = ChangePasswordForm(known_words=(user.email, user.name))
    if form.validate_on_submit():
        with rule_errors(form.current):
            services.change_password(user, form.current.data, form.password.data)
            flash(_("Password cambiata: le altre sessioni aperte sono chiuse."), "success")
            return redirect(url_for("members.profile"))
    return render_template("members/change_password.html", form=form), form_status(form)
