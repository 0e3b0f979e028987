"""The command-line contract of issue 5 (with the columns and options issue 11 added), end to end with real files."""

import csv
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.tariffs.models import Decree
from tests.tariffs.files import RATES_HEADER, csv_bytes, xlsx_bytes

OUTPUT_HEADER = "riga_id;esito;tariffa_minuto;costo_lavoro_minuto;minimo_sostenibile_minuto;margine_pct;messaggio;riga_file;fonte;avviso"
SOURCE = ["--fonte", "G.U. Serie Generale n. 200 del 21/08/2021", "--data-decreto", "12/08/2021"]


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_table_from_csv_then_again_from_xlsx(runner, db, tmp_path):
    path = write(tmp_path, "dd53.csv", csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,3503", "5s;01/04/2021;0,5292"))
    result = runner.invoke(args=["tariffs", "import-table", path, "--decreto", "D.D. 53/2021", *SOURCE])
    assert result.exit_code == 0, result.output
    assert "2 righe importate (2 nuove" in result.output
    decree = db.session.scalar(select(Decree).where(Decree.number == "D.D. 53/2021"))
    assert decree.official and [(r.level, r.euro_minute) for r in decree.rows] == [("1", Decimal("0.3503")), ("5S", Decimal("0.5292"))]
    assert (decree.issued_on, decree.source) == (date(2021, 8, 12), "G.U. Serie Generale n. 200 del 21/08/2021")

    path = write(tmp_path, "dd53.xlsx", xlsx_bytes(["Livello", "Decorrenza", "Euro_minuto"], ["1", "01/04/2021", "0,3503"], ["1", "01/12/2021", 0.3522]))
    result = runner.invoke(args=["tariffs", "import-table", path, "--decreto", "D.D. 53/2021", *SOURCE])
    assert "(1 nuove, 0 modificate, 1 invariate)" in result.output
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "tariffs.import").limit(1))


def test_import_table_illustrative_flag(runner, db, tmp_path):
    path = write(tmp_path, "demo.csv", csv_bytes("livello;decorrenza;euro_minuto", "3;01/04/2021;0,43"))
    assert runner.invoke(args=["tariffs", "import-table", path, "--decreto", "Demo", "--dimostrativa"]).exit_code == 0
    assert db.session.scalar(select(Decree.official).where(Decree.number == "Demo")) is False


def test_import_with_a_bad_row_imports_nothing_and_says_so_in_one_line(runner, db, tmp_path):
    path = write(tmp_path, "bad.csv", csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,3503", "9;31/02/2021;x"))
    result = runner.invoke(args=["tariffs", "import-table", path, "--decreto", "D.D. 53/2021", *SOURCE])
    assert result.exit_code != 0
    assert "riga 3" in result.output and "nessuna riga importata" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert db.session.scalar(select(Decree)) is None


def test_check_writes_the_contract_csv(runner, tables, tmp_path):
    path = write(tmp_path, "rates.csv", csv_bytes(
        RATES_HEADER,
        "A;3;25,692;ora;01/01/2019;",
        "B;3;1,47729;contatto;01/01/2019;180",
        "C;3;0,40;minuto;01/01/2019;",
        "D;9;0,40;minuto;01/01/2019;",
        "E;4;0,50;minuto;01/01/2019;",
        encoding="cp1252", bom=False,
    ))
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["tariffs", "check", path, "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == OUTPUT_HEADER
    rows = list(csv.reader(lines[1:], delimiter=";"))
    assert [r[7:] for r in rows] == [["2", "ufficiale", ""], ["3", "ufficiale", ""], ["4", "ufficiale", ""], ["5", "", ""],
                                     ["6", "dimostrativa", ""]]
    assert [r[:6] for r in rows] == [
        ["A", "sotto_minimo_sostenibile", "0,4282", "0,4282", "0,4924", "0,0"],
        ["B", "conforme", "0,4924", "0,4282", "0,4924", "15,0"],  # 1.47729 per 180 s = 0.49243 = 0.4282 x 1.15 exactly
        ["C", "sotto_costo_lavoro", "0,4000", "0,4282", "0,4924", "-6,6"],
        ["D", "errore", "", "", "", ""],
        ["E", "sotto_minimo_sostenibile", "0,5000", "0,4500", "0,5175", "11,1"],
    ]
    assert "D.D. 123/2017" in rows[0][6]
    assert "sconosciuto" in rows[3][6]
    assert "dimostrativa" in rows[4][6].lower()


def test_check_to_standard_output_with_override(runner, tables, tmp_path):
    path = write(tmp_path, "rates.csv", csv_bytes(RATES_HEADER, "A;3;0,47102;minuto;01/01/2019;"))
    result = runner.invoke(args=["tariffs", "check", path, "--maggiorazione", "10"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == OUTPUT_HEADER
    assert result.stdout.splitlines()[1].startswith("A;conforme;0,4710;0,4282;0,4710;10,0;")  # 0.4282 x 1.10 = 0.47102 exactly
    result = runner.invoke(args=["tariffs", "check", path, "--maggiorazione", "12,5"])
    assert "A;sotto_minimo_sostenibile;0,4710;0,4282;0,4817;" in result.stdout
    assert "maggiorazione 12,5%" in result.stdout


def test_row_errors_still_exit_zero(runner, tables, tmp_path):
    path = write(tmp_path, "rates.csv", csv_bytes(RATES_HEADER, "A;3;abc;minuto;01/01/2019;"))
    result = runner.invoke(args=["tariffs", "check", path])
    assert result.exit_code == 0 and ";errore;" in result.stdout


def test_unreadable_file_and_missing_tables_fail_in_one_line(runner, db, tmp_path):
    rates = write(tmp_path, "rates.csv", csv_bytes(RATES_HEADER, "A;3;0,5;minuto;01/01/2019;"))
    for args in (
        ["tariffs", "check", rates],  # no tables in the database
        ["tariffs", "check", str(tmp_path / "missing.csv")],
        ["tariffs", "check", rates, "--maggiorazione", "tanto"],
        ["tariffs", "import-table", write(tmp_path, "t.csv", b"a;b\n1;2\n"), "--decreto", "X", "--dimostrativa"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output, result.output


def test_unreadable_rates_file_says_which_header_line_what_is_missing_and_what_looks_close(runner, tables, tmp_path):
    path = write(tmp_path, "rates.csv", b"Listino gara 2026\n\nLivello;Tariffe offerte;Data\n3;0,5;01/01/2019\n")
    result = runner.invoke(args=["tariffs", "check", path])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "Intestazione letta alla riga 3" in result.output
    assert "mancano le colonne: tariffa (intestazioni più simili: «Tariffe offerte»" in result.output
    assert "unità della tariffa" in result.output


def test_colonna_names_the_columns_the_portal_cannot_recognise(runner, tables, tmp_path):
    path = write(tmp_path, "gara.csv", csv_bytes(
        "Gara n. 12/2026 - listino;;;;", ";;;;", "Voce;Liv;Prezzo offerto;Modalità;Valido dal;Cliente",
        "V1;3;25,692;orario;01/01/2019;INPS", "V2;III;0,40;€/min;01/01/2019;Comune"))
    result = runner.invoke(args=["tariffs", "check", path, "--colonna", "tariffa=Prezzo offerto", "--colonna", "unita=Modalità"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == OUTPUT_HEADER + ";Cliente"  # the file's other column comes last, under its own header
    assert lines[1].startswith("V1;sotto_minimo_sostenibile;0,4282;") and lines[1].endswith(";4;ufficiale;;INPS")
    assert lines[2].startswith("V2;sotto_costo_lavoro;0,4000;") and lines[2].endswith(";5;ufficiale;;Comune")
    assert "riga 3 come intestazione" in result.stderr
    for bad in ("tariffa", "prezzo=Prezzo offerto", "tariffa="):
        result = runner.invoke(args=["tariffs", "check", path, "--colonna", bad])
        assert result.exit_code != 0 and "--colonna non valida" in result.output
    result = runner.invoke(args=["tariffs", "check", path, "--colonna", "tariffa=Importo"])
    assert result.exit_code == 1 and "«Importo» non trovata" in result.output


def test_an_official_table_needs_its_source_and_date(runner, db, tmp_path):
    path = write(tmp_path, "t.csv", csv_bytes("livello;decorrenza;euro_minuto", "3;01/04/2021;0,43"))
    for args in ([], ["--fonte", "G.U. n. 200"], ["--data-decreto", "12/08/2021"]):
        result = runner.invoke(args=["tariffs", "import-table", path, "--decreto", "D.D. 53/2021", *args])
        assert result.exit_code != 0 and "richiede la data del decreto e la fonte" in result.output, args
    result = runner.invoke(args=["tariffs", "import-table", path, "--decreto", "D.D. 53/2021", "--fonte", "x", "--data-decreto", "31/02/2021"])
    assert result.exit_code != 0 and "--data-decreto non valida" in result.output
    assert db.session.scalar(select(Decree)) is None
    url = "https://www.lavoro.gov.it/decreto-53-2021"
    result = runner.invoke(args=["tariffs", "import-table", path, "--decreto", "D.D. 53/2021", "--fonte", url, "--data-decreto", "12/08/2021"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Decree.source_url)) == url


def test_check_streams_a_warning_column(runner, tables, tmp_path):
    path = write(tmp_path, "rates.csv", csv_bytes(RATES_HEADER, "A;3;25,69;minuto;01/01/2019;", "B;3;0;minuto;01/01/2019;"))
    result = runner.invoke(args=["tariffs", "check", path])
    rows = list(csv.reader(result.stdout.splitlines()[1:], delimiter=";"))
    assert rows[0][1] == "conforme" and "sembra una tariffa oraria" in rows[0][9]
    assert rows[1][1] == "sotto_costo_lavoro" and "pari a zero" in rows[1][9]
    assert "2 con avvisi" in result.stderr
