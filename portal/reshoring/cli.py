"""`flask --app portal reshoring ...`: the reminders before the roundtables, by hand (Celery beat sends them hourly).

Help texts and messages are in Italian, like every command of the portal."""

import click
from flask import current_app

from portal.reshoring.blueprint import bp
from portal.reshoring.services_invitations import send_reminders

bp.cli.help = "Reshoring e tavoli. I promemoria agli invitati prima delle sedute."


@bp.cli.command("remind")
def remind_command() -> None:
    """Invia il promemoria a chi è atteso a una seduta che inizia entro due giorni (una volta sola per persona)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):  # the links in the e-mails
        sent = send_reminders()
    click.echo(f"{sent} promemoria inviati.")
