"""`flask --app portal certificates expire`: the daily job that marks certificates past their term."""

from datetime import date

import click

from portal.certification.blueprint import bp
from portal.certification.certificates import expire_due


@bp.cli.command("expire")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Giorno di riferimento (AAAA-MM-GG).")
def expire_command(on) -> None:
    """Segna come scaduti i certificati oltre la data di scadenza (da eseguire ogni giorno)."""
    numbers = expire_due(on.date() if on else date.today())
    click.echo(f"{len(numbers)} certificati scaduti" + (f": {', '.join(numbers)}" if numbers else "."))
