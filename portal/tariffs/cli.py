"""`flask --app portal tariffs ...`: the command-line contract of issue 5 (keep it exactly).

    tariffs import-table FILE --decreto "D.D. 53/2021" [--dimostrativa]
    tariffs check FILE [--output OUT.csv] [--maggiorazione PCT]
    tariffs recover-batches [--minuti N]    (after a server restart: interrupted bulk checks)

Errors are one line on standard error with a non-zero status, never a traceback.
"""

import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.rules import RuleError
from portal.tariffs.blueprint import bp
from portal.tariffs.bulk import check_file, verdict_counts
from portal.tariffs.exports import write_results_csv
from portal.tariffs.lookup import FixedUplift
from portal.tariffs.reader import CellError, FileError, parse_amount
from portal.tariffs.services import DecreeInfo, fail_interrupted_batches, import_table_file, table_index, uplift_index

bp.cli.help = "Tariffe. Tabelle ministeriali, verifica di un listino, verifiche massive interrotte."

DATABASE_PROBLEM = "Il database non è raggiungibile o non è aggiornato (esegui flask --app portal db upgrade)"


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"Impossibile leggere il file {path}: {exc.strerror or exc}.") from None


def _percent(text: str | None):
    if text is None:
        return None
    try:
        value = parse_amount(text)
    except CellError:
        raise click.ClickException(f"--maggiorazione non valida: «{text}» (una percentuale, es. 15 o 12,5).") from None
    if not 0 <= value <= 100:
        raise click.ClickException("--maggiorazione deve essere tra 0 e 100.")
    return value


@bp.cli.command("import-table")
@click.argument("file")
@click.option("--decreto", required=True, help='Numero del decreto, es. "D.D. 53/2021".')
@click.option("--dimostrativa", is_flag=True, help="La tabella è dimostrativa, non ufficiale.")
def import_table(file: str, decreto: str, dimostrativa: bool) -> None:
    """Importa una tabella ministeriale (livello;decorrenza;euro_minuto) da CSV o XLSX."""
    data = _read(file)
    try:
        decree, counts = import_table_file(data, DecreeInfo(decreto.strip(), official=not dimostrativa))
    except (FileError, RuleError) as exc:
        raise click.ClickException(str(exc)) from None
    except SQLAlchemyError:
        raise click.ClickException(DATABASE_PROBLEM + ".") from None
    click.echo(
        f"{decree}: {sum(counts.values())} righe importate "
        f"({counts['nuova']} nuove, {counts['modificata']} modificate, {counts['invariata']} invariate)."
    )


@bp.cli.command("check")
@click.argument("file")
@click.option("--output", "output", default=None, help="File CSV dei risultati (senza: standard output).")
@click.option("--maggiorazione", default=None, help="Maggiorazione totale in percentuale (es. 15 o 12,5).")
def check(file: str, output: str | None, maggiorazione: str | None) -> None:
    """Verifica un file di tariffe (riga_id;livello;tariffa;unita;data;aht_secondi)."""
    data = _read(file)
    override = _percent(maggiorazione)
    try:
        tables = table_index()
        if not tables:
            raise click.ClickException(
                "Il database non contiene tabelle ministeriali: importale con flask --app portal tariffs import-table."
            )
        uplift = FixedUplift(override) if override is not None else uplift_index()
    except SQLAlchemyError:
        raise click.ClickException(DATABASE_PROBLEM + ".") from None
    try:
        results = check_file(data, tables, uplift)
    except FileError as exc:
        raise click.ClickException(str(exc)) from None
    if output is None:
        write_results_csv(results, sys.stdout)
    else:
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write_results_csv(results, stream)
        except OSError as exc:
            raise click.ClickException(f"Impossibile scrivere {output}: {exc.strerror or exc}.") from None
    counts = verdict_counts(results)
    click.echo(
        f"{len(results)} righe verificate: {counts['conforme']} conformi, {counts['sotto_minimo_sostenibile']} sotto il "
        f"minimo sostenibile, {counts['sotto_costo_lavoro']} sotto il costo del lavoro, {counts['errore']} con errori.",
        err=True,
    )


@bp.cli.command("recover-batches")
@click.option("--minuti", "minutes", default=10, show_default=True, type=click.IntRange(min=0),
              help="Considera interrotte le verifiche ferme da almeno tanti minuti.")
def recover_batches(minutes: int) -> None:
    """Segna come non riuscite le verifiche massive interrotte da un arresto del server."""
    # the e-mail to the uploader carries a link: build it as the web thread does
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        try:
            count = fail_interrupted_batches(timedelta(minutes=minutes))
        except SQLAlchemyError:
            raise click.ClickException(DATABASE_PROBLEM + ".") from None
    click.echo(f"{count} verifiche massive interrotte segnate come non riuscite.")
