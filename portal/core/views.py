from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.access import authenticated, public
from portal.extensions import db

bp = Blueprint("core", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site may be a redirect target (no open redirect)."""
    if target and "\\" not in target and target.isprintable():  # browsers read "/\evil" as "//evil"
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    return render_template("core/index.html")


@bp.get("/home")
@authenticated
def home():
    return render_template("core/home.html")


@bp.post("/lingua")
@public
def set_language():
    lang = request.form.get("lang", "it")
    session["lang"] = lang if lang in ("it", "en") else "it"
    if current_user.is_authenticated:
        current_user.locale = session["lang"]
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))

