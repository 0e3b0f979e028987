from flask import Blueprint

# CLI commands live under `flask --app portal certificates ...`.
bp = Blueprint("certification", __name__, url_prefix="/bollino", cli_group="certificates")
