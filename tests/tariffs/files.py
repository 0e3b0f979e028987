"""Small helpers that build the files people bring (CSV in several encodings, XLSX)."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from portal.tariffs.lookup import TableIndex, UpliftIndex
from portal.tariffs.rates import TableRow

RATES_HEADER = "riga_id;livello;tariffa;unita;data;aht_secondi"


def csv_bytes(*lines: str, encoding: str = "utf-8", bom: bool = False) -> bytes:
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(*rows: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def level_3_tables() -> TableIndex:
    return TableIndex([
        TableRow("3", date(2018, 1, 1), Decimal("0.4282"), "D.D. 123/2017"),
        TableRow("5S", date(2021, 4, 1), Decimal("0.5292"), "D.D. 53/2021"),
        TableRow("4", date(2018, 1, 1), Decimal("0.4500"), "Tabella dimostrativa", official=False),
    ])


def uplift_15() -> UpliftIndex:
    return UpliftIndex([(name, date(2018, 1, 1), Decimal(p)) for name, p in
                        (("formazione", 5), ("innovazione", 4), ("organizzazione", 6))])
