"""`flask --app portal tariffs ...`: the command-line contract of issue 5, with what issue 11 added.

    tariffs import-table FILE --decreto "D.D. 53/2021" --fonte "G.U. n. ..." --data-decreto 12/08/2021
    tariffs import-table FILE --decreto "Tabella di prova" --dimostrativa
    tariffs check FILE [--output OUT.csv] [--maggiorazione PCT] [--colonna CAMPO=INTESTAZIONE ...]

`check` writes the contract's columns (riga_id ... messaggio), then riga_file, fonte, avviso,
then the input file's other columns. Errors are one line on standard error with a non-zero
status, never a traceback.
"""

import sys
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from portal.rules import RuleError
from portal.tariffs.blueprint import bp
from portal.tariffs.bulk import RATE_FIELDS, RateChecker, Tally, check_rows, read_rates
from portal.tariffs.exports import write_results_csv
from portal.tariffs.lookup import FixedUplift
from portal.tariffs.reader import CellError, FileError, parse_amount, parse_date
from portal.tariffs.services import (
    DecreeInfo,
    import_table_file,
    renewal_index,
    table_index,
    uplift_index,
)

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


def _columns(values: tuple[str, ...]) -> dict[str, str]:
    """`--colonna tariffa="Prezzo offerto"` (repeatable) as {field: header}."""
    names = {}
    for value in values:
        field, sep, header = value.partition("=")
        field = field.strip().lower()
        if not sep or field not in RATE_FIELDS or not header.strip():
            raise click.ClickException(f"--colonna non valida: «{value}» (usa CAMPO=INTESTAZIONE, CAMPO tra {', '.join(RATE_FIELDS)}).")
        names[field] = header.strip()
    return names


def _decree_date(text: str | None):
    if text is None:
        return None
    try:
        return parse_date(text)
    except CellError:
        raise click.ClickException(f"--data-decreto non valida: «{text}» (gg/mm/aaaa).") from None


@bp.cli.command("import-table")
@click.argument("file")
@click.option("--decreto", required=True, help='Numero del decreto, es. "D.D. 53/2021".')
@click.option("--fonte", default="", help="Riferimento della fonte: Gazzetta Ufficiale o indirizzo della pagina del Ministero.")
@click.option("--data-decreto", "decree_date", default=None, help="Data del decreto (gg/mm/aaaa).")
@click.option("--dimostrativa", is_flag=True, help="La tabella è dimostrativa, non ufficiale (fonte e data non servono).")
def import_table(file: str, decreto: str, fonte: str, decree_date: str | None, dimostrativa: bool) -> None:
    """Importa una tabella ministeriale da CSV o XLSX: livello;decorrenza;euro_minuto, o la tabella
    dell'allegato al decreto (livelli in colonna e decorrenze in riga, o viceversa). Una tabella
    ufficiale richiede --fonte e --data-decreto."""
    data = _read(file)
    source, url = (fonte.strip(), "") if not fonte.strip().startswith(("https://", "http://")) else ("", fonte.strip())
    info = DecreeInfo(decreto.strip(), _decree_date(decree_date), source=source, source_url=url, official=not dimostrativa)
    try:
        decree, counts = import_table_file(data, info)
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
@click.option("--colonna", "colonne", multiple=True, metavar="CAMPO=INTESTAZIONE",
              help=f"La colonna del file per un campo, ripetibile (CAMPO: {', '.join(RATE_FIELDS)}); "
                   'es. --colonna "tariffa=Prezzo offerto".')
def check(file: str, output: str | None, maggiorazione: str | None, colonne: tuple[str, ...]) -> None:
    """Verifica un listino di tariffe in CSV o XLSX (livello, tariffa, unita, data; riga_id e
    aht_secondi facoltativi). L'intestazione è cercata nelle prime righe di ogni foglio e i nomi
    delle colonne sono riconosciuti anche scritti in altro modo ("Livello CCNL", "Tariffa (€)")."""
    data = _read(file)
    override = _percent(maggiorazione)
    names = _columns(colonne)
    try:
        tables = table_index()
        if not tables:
            raise click.ClickException(
                "Il database non contiene tabelle ministeriali: importale con flask --app portal tariffs import-table."
            )
        uplift = FixedUplift(override) if override is not None else uplift_index()
        checker = RateChecker(tables, uplift, renewal_index())
    except SQLAlchemyError:
        raise click.ClickException(DATABASE_PROBLEM + ".") from None
    try:
        layout, rows = read_rates(data, names)
        tally = Tally()
        results = (tally.add(r) or r for r in check_rows(layout, rows, checker))
        extra = [name for _position, name in layout.extra]
        if output is None:
            write_results_csv(results, sys.stdout, extra)
        else:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write_results_csv(results, stream, extra)
    except FileError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"Impossibile scrivere {output}: {exc.strerror or exc}.") from None
    counts = tally.counts
    click.echo(
        f"{tally.total} righe verificate ({layout.where()} come intestazione): {counts['conforme']} conformi, "
        f"{counts['sotto_minimo_sostenibile']} sotto il minimo sostenibile, {counts['sotto_costo_lavoro']} sotto il costo "
        f"del lavoro, {counts['errore']} con errori, {tally.warnings} con avvisi.",
        err=True,
    )
