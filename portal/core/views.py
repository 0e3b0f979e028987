from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from portal.access import authenticated, public

bp = Blueprint("core", __name__)


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


