from flask import Blueprint

bp = Blueprint("reshoring", __name__, url_prefix="/reshoring")
