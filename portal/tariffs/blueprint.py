from flask import Blueprint

bp = Blueprint("tariffs", __name__, url_prefix="/tariffe")
