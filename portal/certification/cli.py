"""`flask --app portal certificates ...`: the daily expiry and consultation jobs, the demo signing key, the starting edition.

Help texts and messages are in Italian, like every command of the portal."""

from datetime import date
from pathlib import Path

import click
from flask import current_app

from portal.certification.blueprint import bp
from portal.certification.certificates import expire_due
from portal.certification.consultation.services import send_due_notices
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.signing import create_demo_identity
from portal.extensions import db

bp.cli.help = "Certificati Bollino Blu. La scadenza e gli avvisi delle consultazioni (ogni giorno), la firma dimostrativa, l'edizione iniziale dello schema."


@bp.cli.command("expire")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Giorno di riferimento (AAAA-MM-GG).")
def expire_command(on) -> None:
    """Segna come scaduti i certificati oltre la data di scadenza (da eseguire ogni giorno)."""
    numbers = expire_due(on.date() if on else date.today())
    click.echo(f"{len(numbers)} certificati scaduti" + (f": {', '.join(numbers)}" if numbers else "."))


@bp.cli.command("starting-edition")
def starting_edition_command() -> None:
    """Carica l'edizione 2026 dello schema (dimostrativa) se non c'è ancora; si può ripetere."""
    edition = ensure_starting_edition()
    db.session.commit()
    click.echo(f"Edizione {edition.code}: {len(edition.parameters)} parametri in {len(edition.areas)} aree (dimostrativa).")


@bp.cli.command("demo-signing-key")
def demo_signing_key_command() -> None:
    """Crea (una volta) la chiave e il certificato di firma dimostrativi dei certificati PDF."""
    if current_app.config["CERT_SIGNING_KEY"] or current_app.config["CERT_SIGNING_PKCS12"]:
        click.echo("Firma configurata dall'ambiente (CERT_SIGNING_*): nessuna chiave dimostrativa creata.")
        return
    files = create_demo_identity(Path(current_app.config["CERT_SIGNING_DIR"]))
    click.echo(f"Firma dimostrativa dei certificati: {files['cert']} (CA: {files['root']}).")


@bp.cli.command("consultation-notices")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Giorno di riferimento (AAAA-MM-GG).")
def consultation_notices_command(on) -> None:
    """Invia le e-mail di apertura e i promemoria prima della chiusura delle consultazioni (ogni giorno)."""
    sent = send_due_notices(on.date() if on else date.today())
    click.echo(f"Consultazioni aperte oggi: {sent['opening']}; promemoria inviati: {sent['reminder']}.")
