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
    """A workbook (written row by row: 100,000 rows stay within memory); numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_xlsx_cell(sheet, value, font=bold) for value in spec.header])
        formats = list(spec.formats)
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value, number_format=formats[i] if i < len(formats) else None)
                          for i, value in enumerate(row)])
        if spec.footer:
            sheet.append([])
            for row in spec.footer:
                sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, font=None, number_format=None):
    """A plain value where openpyxl stores it as is; a styled text cell where it must be inert."""
    from openpyxl.cell import WriteOnlyCell

    text = isinstance(value, str)
    if not text and font is None and (number_format is None or value is None):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if number_format is not None and not text:
        cell.number_format = number_format
    if text and is_formula_like(value):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def download(data: bytes, filename: str) -> Response:
    """A CSV or XLSX file as an attachment, its type from the file name's extension."""
    mimetype = XLSX_TYPE if filename.endswith(".xlsx") else CSV_TYPE
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
