"""The second factor (the login's second step, setting it up, recovery codes) and the user's sessions."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import throttle
from portal.access import Role, authenticated, public, roles
from portal.extensions import db
from portal.forms import CsrfForm
from portal.members import second_factor, sessions, signin
from portal.members.blueprint import bp
from portal.members.forms import CodeForm, ConfirmPasswordForm, EnrolForm
from portal.members.models import User
from portal.views import form_status

SETUP_SECRET = "_totp_setup"  # the seed being set up, sealed, in the browser's signed cookie


def _setup_secret() -> str:
    """The seed shown on the set-up page: the same on every reload until it is confirmed."""
    secret = second_factor.open_secret(session.get(SETUP_SECRET))
    if secret is None:
        secret = second_factor.new_secret()
        session[SETUP_SECRET] = second_factor.seal_secret(secret)
    return secret


def _enrolment_page(user: User, form: EnrolForm, action: str, status: int = 200):
    secret = _setup_secret()
    return render_template("members/second_factor_setup.html", user=user, form=form, action=action, secret=secret,
                           qr=second_factor.qr_code(user, secret)), status


def _codes_page(codes: list[str], next_url: str):
    return render_template("members/recovery_codes.html", codes=codes, next_url=next_url)


# --- the login's second step ---------------------------------------------------------------------

def _not_pending():
    """Where a browser goes that has no password checked a moment ago: home, or the login."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    flash(_("La verifica è scaduta: accedi di nuovo."), "info")
    return redirect(url_for("members.login"))


@bp.route("/accedi/verifica", methods=["GET", "POST"])
@public
def login_code():
    found = signin.pending_user()
    if found is None:
        return _not_pending()
    user, next_url = found
    form = CodeForm()
    if form.validate_on_submit():
        throttle.refuse_over(current_app.config["SECOND_FACTOR_RATE_LIMIT"], "second-factor", user.id)
        how = second_factor.sign_in_code(user, form.code.data)
        if how is not None:
            if how == "recovery":
                flash(_("Hai usato un codice di recupero: ne restano %(n)s. Generane di nuovi dalla pagina Sicurezza.",
                        n=second_factor.remaining_codes(user)), "warning")
            return signin.finish(user, next_url, with_second_factor=True)
        form.code.errors.append(_("Codice non valido o già usato: riprova con il codice che l'app mostra ora."))
    return render_template("members/login_code.html", form=form), form_status(form)


@bp.route("/accedi/attiva-verifica", methods=["GET", "POST"])
@public
def login_enrol():
    """An account that must have a second factor and has none sets it up before its first session."""
    found = signin.pending_user()
    if found is None:
        return _not_pending()
    user, next_url = found
    form = EnrolForm()
    if form.validate_on_submit():
        throttle.refuse_over(current_app.config["SECOND_FACTOR_RATE_LIMIT"], "second-factor", user.id)
        codes = second_factor.enrol(user, _setup_secret(), form.code.data)
        if codes is not None:
            response = _codes_page(codes, next_url)
            return signin.finish(user, next_url, with_second_factor=True, response=current_app.make_response(response))
        form.code.errors.append(_("Il codice non corrisponde: controlla che l'ora del telefono sia esatta e riprova."))
    return _enrolment_page(user, form, url_for("members.login_enrol"), form_status(form))


# --- the user's own security page ----------------------------------------------------------------

@bp.get("/profilo/sicurezza")
@roles(Role.STAFF, Role.ADMIN)
def security():
    user = current_user._get_current_object()
    if not second_factor.is_enrolled(user):
        return _enrolment_page(user, EnrolForm(), url_for("members.security_enrol"))
    return render_template("members/security.html", remaining=second_factor.remaining_codes(user),
                           required=second_factor.required_of(user), codes_form=CodeForm(prefix="codes"),
                           off_form=ConfirmPasswordForm(prefix="off"))


@bp.post("/profilo/sicurezza/attiva")
@roles(Role.STAFF, Role.ADMIN)
def security_enrol():
    user = current_user._get_current_object()
    form = EnrolForm()
    if form.validate_on_submit() and not second_factor.is_enrolled(user):
        throttle.refuse_over(current_app.config["SECOND_FACTOR_RATE_LIMIT"], "second-factor", user.id)
        codes = second_factor.enrol(user, _setup_secret(), form.code.data, session_row=sessions.current())
        if codes is not None:
            session.pop(SETUP_SECRET, None)
            sessions.end_others(user, sessions.SECOND_FACTOR)  # they signed in without it
            return _codes_page(codes, url_for("members.security"))
        form.code.errors.append(_("Il codice non corrisponde: controlla che l'ora del telefono sia esatta e riprova."))
    return _enrolment_page(user, form, url_for("members.security_enrol"), 422)


@bp.post("/profilo/sicurezza/codici")
@roles(Role.STAFF, Role.ADMIN)
def new_recovery_codes():
    user = current_user._get_current_object()
    form = CodeForm(prefix="codes")
    if form.validate_on_submit():
        throttle.refuse_over(current_app.config["SECOND_FACTOR_RATE_LIMIT"], "second-factor", user.id)
        codes = second_factor.renew_recovery_codes(user, form.code.data)
        if codes is not None:
            return _codes_page(codes, url_for("members.security"))
    flash(_("Codice non valido o già usato: i codici di recupero non sono cambiati."), "danger")
    return redirect(url_for("members.security"))


@bp.post("/profilo/sicurezza/disattiva")
@roles(Role.STAFF, Role.ADMIN)
def security_off():
    user = current_user._get_current_object()
    form = ConfirmPasswordForm(prefix="off")
    if second_factor.required_of(user):
        flash(_("Per il tuo ruolo la verifica in due passaggi è obbligatoria."), "danger")
    elif form.validate_on_submit() and user.check_password(form.password.data):
        second_factor.remove(user, by=user)
        flash(_("Verifica in due passaggi disattivata."), "success")
    else:
        flash(_("Password non corretta: la verifica in due passaggi resta attiva."), "danger")
    return redirect(url_for("members.security"))


@bp.post("/admin/utenti/<int:user_id>/secondo-fattore")
@roles(Role.ADMIN)
def reset_second_factor(user_id: int):
    """For a person who lost both the phone and the recovery codes: they set it up again at the next login."""
    user = db.get_or_404(User, user_id)
    if CsrfForm().validate_on_submit() and second_factor.is_enrolled(user):
        second_factor.remove(user, by=current_user._get_current_object())
        flash(_("Verifica in due passaggi azzerata: %(name)s la imposterà di nuovo al prossimo accesso.", name=user.name),
              "success")
    return redirect(url_for("members.edit_user", user_id=user.id))


# --- sessions ------------------------------------------------------------------------------------

@bp.get("/profilo/sessioni")
@authenticated
def user_sessions():
    return render_template("members/sessions.html", rows=sessions.active_sessions(current_user), form=CsrfForm())


@bp.post("/profilo/sessioni/<int:session_id>/termina")
@authenticated
def end_session(session_id: int):
    if CsrfForm().validate_on_submit():
        if sessions.end_one(current_user, session_id):
            flash(_("Sessione terminata."), "success")
        else:
            flash(_("Questa sessione era già terminata."), "info")
    return redirect(url_for("members.user_sessions"))


@bp.post("/profilo/sessioni/altre")
@authenticated
def end_other_sessions():
    if CsrfForm().validate_on_submit():
        sessions.end_all_others(current_user)
        flash(_("Tutte le altre sessioni sono terminate."), "success")
    return redirect(url_for("members.user_sessions"))
