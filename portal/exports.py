"""Every spreadsheet and CSV the portal writes goes through here.

What a member or a visitor typed (a company name, a row id, a proposal title) ends up in cells
that staff, ministries and clients open in Excel. A text starting with `=`, `+`, `-`, `@`, a tab
or a carriage return is a formula to a spreadsheet (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), so
text cells are neutralised here, once, for every export:
- CSV: such a text gets a leading apostrophe (OWASP's advice: the spreadsheet shows it as text);
- XLSX: such a text is written as a text cell with Excel's "quote prefix" flag, so it shows
  exactly as typed and stays text even when someone edits the cell.
Numbers stay numbers (an XLSX number cell, or a CSV number with a decimal comma), so a negative
margin is not mistaken for a formula.

CSV for Excel as Italian users open it: UTF-8 with a byte-order mark (or Excel reads it as
Windows-1252), `;` between cells (`,` is the decimal comma) and CRLF line ends.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def inert(text: str) -> str:
    """A text as a CSV cell that a spreadsheet shows and never runs: a leading apostrophe when needed."""
    return "'" + text if is_formula_like(text) else text


def csv_cell(value) -> str:
    """One value as the text of a CSV cell: numbers with a decimal comma, dates dd/mm/yyyy, text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return inert(str(value))


def write_csv(stream, header: Sequence | None, rows: Iterable[Sequence]) -> None:
    """Rows to a text stream (no byte-order mark: for the command line and pipes)."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    if header is not None:
        writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)


def csv_bytes(header: Sequence | None, rows: Iterable[Sequence]) -> bytes:
    """A CSV file for Excel: UTF-8 with a byte-order mark, `;`, decimal comma, CRLF."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass
class Sheet:
    """One sheet of a workbook: a bold header row (frozen), the rows, and optional lines after a
    blank row (the source of the figures, a note). `widths` are the columns' widths in characters;
    `formats` the columns' number formats (e.g. "0.0000": a figure shown with the digits the pages show)."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]
    footer: Sequence[Sequence] = ()
    widths: Sequence[float] = field(default_factory=tuple)
    formats: Sequence[str | None] = field(default_factory=tuple)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook written row by row by XlsxWriter in constant-memory mode (each row goes to a
    temporary file as it is written: 100,000 rows stay within memory, about twice as fast as
    openpyxl's write-only mode); numbers stay numbers, dates are dates (dd/mm/yyyy)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "remove_timezone": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    body, header = _CellStyles(workbook, {}), _CellStyles(workbook, {"bold": True})
    numbers: dict[str, object] = {}
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.title[:31])
        for index, width in enumerate(spec.widths):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        header.write(sheet, 0, spec.header)
        formats = [numbers.setdefault(f, workbook.add_format({"num_format": f})) if f else None for f in spec.formats]
        line = 1
        for row in spec.rows:
            body.write(sheet, line, row, formats)
            line += 1
        for row in spec.footer:  # after a blank row
            line += 1
            body.write(sheet, line, row)
    workbook.close()
    return buffer.getvalue()


class _CellStyles:
    """How one kind of row (header or body) writes its cells: a text that looks like a formula
    is written as text with Excel's quote prefix, so it shows exactly as typed and stays text
    even once edited; numbers as numbers (in their column's format), dates as dates."""

    def __init__(self, workbook, base: dict):
        def style(**extra):
            return workbook.add_format(base | extra) if base or extra else None

        self.plain, self.quoted = style(), style(quote_prefix=True)
        self.date, self.datetime = style(num_format="dd/mm/yyyy"), style(num_format="dd/mm/yyyy hh:mm")

    def write(self, sheet, line: int, values: Sequence, formats: Sequence = ()) -> None:
        plain, width = self.plain, len(formats)
        for column, value in enumerate(values):
            kind = type(value)
            if kind is str:
                sheet.write_string(line, column, value, self.quoted if value.startswith(FORMULA_STARTS) else plain)
            elif value is None:
                if plain is not None:
                    sheet.write_blank(line, column, None, plain)
            elif kind is bool:
                sheet.write_boolean(line, column, value, plain)
            elif kind in (Decimal, int, float):
                style = formats[column] if column < width and formats[column] is not None else plain
                sheet.write_number(line, column, float(value), style)
            elif isinstance(value, datetime):
                sheet.write_datetime(line, column, value, self.datetime)
            elif isinstance(value, date):
                sheet.write_datetime(line, column, value, self.date)
            else:  # a lazy translation, Markup, any other object: as its text, made inert like any text
                text = str(value)
                sheet.write_string(line, column, text, self.quoted if text.startswith(FORMULA_STARTS) else plain)


def download(data: bytes, filename: str) -> Response:
    """A CSV or XLSX file as an attachment, its type from the file name's extension."""
    mimetype = XLSX_TYPE if filename.endswith(".xlsx") else CSV_TYPE
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
