from flask import Blueprint

bp = Blueprint("certification", __name__, url_prefix="/bollino")
