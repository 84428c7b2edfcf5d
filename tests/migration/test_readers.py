"""Reading what legacy systems export: CSV dialects and code pages, .xls, .ods, and .xlsx through calamine."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from odookit.errors import MigrationError
from odookit.migration.readers import read_csv, read_tables
from odookit.migration.rules import validate_workspace
from odookit.migration.workbook import parse_number, read_workbook
from odookit.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
ROWS = [["code", "name", "country"], ["000001", "Müller & Söhne", "DE"], ["000002", "Café Noël; \"Le Bar\"", "FR"]]


def _csv(path: Path, rows, *, delimiter: str, encoding: str, bom: bytes = b"") -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(bom + buf.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "bom", "delimiter", "detected"), [
    ("utf-8", b"", ",", "CSV, UTF-8, delimiter ','"),
    ("utf-8", b"\xef\xbb\xbf", ";", "CSV, UTF-8 with BOM, delimiter ';'"),
    ("cp1252", b"", ";", "CSV, Windows-1252, delimiter ';'"),
    ("cp1252", b"", "\t", "CSV, Windows-1252, delimiter tab"),
    ("utf-16", b"", "\t", "CSV, UTF-16, delimiter tab"),  # Excel's "Unicode text"
])
def test_csv_encoding_and_delimiter_are_detected(tmp_path, encoding, bom, delimiter, detected):
    table = read_csv(_csv(tmp_path / "customers.csv", ROWS, delimiter=delimiter, encoding=encoding, bom=bom))
    assert table.detected == detected
    assert table.title == "customers"
    assert table.header == ROWS[0]
    assert table.cells == ROWS[1:]
    assert table.rows == [2, 3]
    assert not table.typed


def test_excels_sep_line_names_the_delimiter(tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(b"sep=|\r\nsku|name\r\nA-1|Bolt, hex\r\n")
    table = read_csv(path)
    assert (table.detected, table.header, table.cells, table.rows) == ("CSV, UTF-8, delimiter '|'", ["sku", "name"], [["A-1", "Bolt, hex"]], [2])


def test_csv_text_stays_text_and_numbers_are_parsed_in_number_columns(mig_ws):
    rows = [["code", "name", "country", "segment", "credit_limit"],
            ["000001", "Alpha", "US", "KEY", "1.234,50"],
            ["000002", "Bravo", "US", "KEY", "2500"],
            ["000003", "Charlie", "US", "KEY", "12 USD"]]
    _csv(mig_ws / "migration" / "customers.csv", rows, delimiter=";", encoding="cp1252")
    validation = validate_workspace(Workspace.find(mig_ws))
    frame = validation.frames[0]
    assert frame["code"].tolist() == ["000001", "000002", "000003"]  # no leading zero lost: CSV cells are text
    assert frame["credit_limit"].tolist()[:2] == [1234.5, 2500.0]
    assert [f.line() for f in validation.errors] == [
        "customers.csv, row 4, column credit_limit (E4): error: '12 USD' is text, not a number: retype it as a number [text_number]"]


@pytest.mark.parametrize(("text", "number"), [("12.5", 12.5), ("12,5", 12.5), ("1.234,56", 1234.56), ("1,234.56", 1234.56),
                                              ("1 234", 1234.0), ("-3", -3.0), ("1.234.567", 1234567.0)])
def test_number_text_of_a_csv(text, number):
    assert parse_number(text) == number


def test_number_text_that_is_no_number_is_kept():
    assert parse_number("12 USD") == "12 USD"
    assert parse_number("n/a") == "n/a"


def _ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (no LibreOffice needed)."""
    from xml.sax.saxutils import escape

    def cell(value):
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def test_ods_is_read_with_its_types(mig_ws):
    path = _ods(mig_ws / "migration" / "book.ods", {"products": [["sku", "name", "category", "sale_price"], ["BRG-1", "Bearing", "BRG", 12.5],
                                                                 ["HYD-2", "Fitting", "HYD", "7"]]})
    [sheet] = read_workbook(path)
    assert (sheet.title, sheet.headers, sheet.rows) == ("products", ["sku", "name", "category", "sale_price"], [2, 3])
    assert sheet.values == [("BRG-1", "Bearing", "BRG", 12.5), ("HYD-2", "Fitting", "HYD", "7")]
    lines = [f.line() for f in validate_workspace(Workspace.find(mig_ws)).errors]
    assert "book.ods sheet products, row 3, column sale_price (D3): error: '7' is text, not a number: retype it as a number [text_number]" in lines


def test_xls_is_read(tmp_path):
    """A tiny .xls written once by xlwt (tests/migration/fixtures), sheet 'Debitoren'."""
    [table] = read_tables(FIXTURES / "legacy-debitoren.xls")
    assert table.title == "Debitoren"
    assert table.header == ["Kundennummer", "Name", "Land", "E-Mail"]
    assert table.cells[0] == ["K-0001", "Müller GmbH", "DE", "info@mueller.example.com"]
    assert table.detected == "XLS"


def test_xls_without_mapping_asks_for_one(mig_ws):
    shutil.copy(FIXTURES / "legacy-debitoren.xls", mig_ws / "migration")
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(mig_ws))
    assert err.value.line().endswith(
        "legacy-debitoren.xls: sheet 'Debitoren' names no entity. Run `odookit migrate map legacy-debitoren.xls` to map this export to the template.")


def test_xlsx_values_come_through_calamine_as_openpyxl_gave_them(mig_ws, book):
    from datetime import date, datetime

    path = book(mig_ws / "migration" / "case.xlsx", {"supplier_prices": [
        ["supplier", "sku", "min_qty", "price", "lead_days", "valid_from"],
        ["S0001", "BRG-1", 10, 2.5, 7, datetime(2025, 1, 31)],
        ["S0001", "BRG-2", None, 3, None, None]]})
    [sheet] = read_workbook(path)
    assert sheet.values == [("S0001", "BRG-1", 10, 2.5, 7, date(2025, 1, 31)), ("S0001", "BRG-2", None, 3, None, None)]
    assert sheet.letters == {"supplier": "A", "sku": "B", "min_qty": "C", "price": "D", "lead_days": "E", "valid_from": "F"}


def test_the_reader_tells_which_columns_are_stripped_text_and_takes_off_escaping_apostrophes(tmp_path, book):
    path = book(tmp_path / "case.xlsx", {"customers": [
        ["code", "name", "city", "phone", "credit_limit"],
        ["C1", "Alpha", " Chicago", "'=1+2", 5.0],
        ["C2", "Beta", "Boston", 31255501.0, "n/a"],
        ["C3", None, "Waukegan ", None, None]]})
    [sheet] = read_workbook(path)
    assert sheet.plain == {"code", "name"}  # "city" has text to strip, "phone" a number, "credit_limit" numbers
    assert sheet.mixed == {"phone": [1], "credit_limit": [0]}  # stripped text, and the rows of the cells that are not
    assert [sheet.column(c) for c in sheet.headers] == [
        ["C1", "C2", "C3"], ["Alpha", "Beta", None], [" Chicago", "Boston", "Waukegan "], ["=1+2", 31255501, None], [5, "n/a", None]]


def test_a_binary_file_named_csv_is_refused(mig_ws):
    (mig_ws / "migration" / "customers.csv").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(mig_ws))
    assert err.value.line().endswith("customers.csv: 'customers.csv' is not a text (CSV) file. Export the data again as CSV, .xlsx, .xls or .ods.")


def test_the_annotated_copy_writer_round_trips_values_fills_and_comments(tmp_path):
    from datetime import date, datetime

    import openpyxl
    import python_calamine as pc

    from odookit.migration import xlsx_writer

    sheet = xlsx_writer.Sheet("Kunden & Co")
    sheet.header(["Code", None, "Name", "When"])
    sheet.rows([["000001", 1.5, " Müller <&> ", date(2025, 1, 31)], [7, True, "=HYPERLINK(\"x\")", datetime(2025, 2, 1, 13, 30)]])
    sheet.flagged_row(["bad\x01", None, "+1 555", None], {0: ("error", "error: wrong [format]"), 2: ("warning", "warning: odd [x]")})
    path = xlsx_writer.save([sheet], tmp_path / "out.xlsx", fills={"error": "FFC7CE", "warning": "FFEB9C"})
    ws = openpyxl.load_workbook(path)["Kunden & Co"]
    assert [c.value for c in ws[1]] == ["Code", None, "Name", "When"] and ws["A1"].font.b
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]] == ["000001", 1.5, " Müller <&> ", datetime(2025, 1, 31)]
    assert [c.value for c in ws[3]] == [7, True, "=HYPERLINK(\"x\")", datetime(2025, 2, 1, 13, 30)]
    assert ws["C3"].data_type == "s" and ws["C3"].quotePrefix  # text that looks like a formula stays text
    assert ws["A4"].value == "bad" and ws["A4"].fill.start_color.rgb == "FFFFC7CE" and ws["A4"].comment.text == "error: wrong [format]"
    assert ws["C4"].value == "+1 555" and ws["C4"].quotePrefix and ws["C4"].fill.start_color.rgb == "FFFFEB9C"
    assert pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kunden & Co").to_python()[1][:3] == ["000001", 1.5, " Müller <&> "]


def test_the_cycle_collector_is_paused_while_reading_and_as_it_was_after_even_on_a_refused_file(tmp_path):
    import gc

    from odookit.migration.readers import collector_paused

    seen = []
    with collector_paused():
        seen.append(gc.isenabled())
        with collector_paused():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())  # the inner pause leaves the outer one paused
    assert seen == [False, False, False] and gc.isenabled()
    (tmp_path / "customers.xlsx").write_bytes(b"not a zip")
    with pytest.raises(MigrationError):
        read_workbook(tmp_path / "customers.xlsx")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()
    with collector_paused():
        made = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0 and gc.is_tracked(made[0])  # what was made joins the collector's generations
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            pass
        assert gc.get_freeze_count() == frozen > 0  # the program's own frozen objects stay frozen
    finally:
        gc.unfreeze()


def test_labels_become_codes_and_anything_else_stays_as_it_was():
    import math

    from odookit.migration.workbook import _as_codes

    out = _as_codes(["Net 30", None, "net 30", 30, "Net 30 ", float("nan"), "Net 60"], {"Net 30": "NET30", "30": "NET30"})
    assert out[:5] == ["NET30", None, "net 30", "NET30", "NET30"] and math.isnan(out[5]) and out[6] == "Net 60"
    assert _as_codes([], {"a": "A"}) == []


def test_the_one_pass_check_strips_what_str_strip_strips_and_the_apostrophe():
    import sys

    from odookit.migration.workbook import SPACE_OR_QUOTE

    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert SPACE_OR_QUOTE == spaces + "'"


# -- the pipelined reader: the next sheet parsed, every sheet scanned, beside the caller's work --------------------
def _three_sheets(path: Path, *, merged_in: str | None = None, formula_in: str | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in ("first", "second", "third"):
        ws = wb.create_sheet(title)
        ws.append(["code", "name"])
        for n in range(1, 4):
            ws.append([f"{title}-{n}", f"=\"x\"&{n}" if title == formula_in and n == 2 else f"{title} {n}"])
        if title == merged_in:
            ws.merge_cells("B3:B4")
    wb.save(path)
    return path


def test_sheets_come_in_order_each_with_its_own_cells(tmp_path):
    from odookit.migration.readers import iter_tables

    tables = list(iter_tables(_three_sheets(tmp_path / "three.xlsx")))
    assert [t.title for t in tables] == ["first", "second", "third"]
    assert [[row[0] for row in t.cells] for t in tables] == [[f"{t}-{n}" for n in (1, 2, 3)] for t in ("first", "second", "third")]
    assert [t.rows for t in tables] == [[2, 3, 4]] * 3
    assert [t.title for t in iter_tables(tmp_path / "three.xlsx", only=lambda title: title != "second")] == ["first", "third"]


def test_a_later_sheets_structure_is_raised_when_that_sheet_is_reached_and_names_it(tmp_path):
    from odookit.migration.readers import iter_tables

    tables = iter_tables(_three_sheets(tmp_path / "merged.xlsx", merged_in="second"))
    assert next(tables).title == "first"  # the sheets before it are read as they are
    with pytest.raises(MigrationError) as err:
        next(tables)
    assert err.value.line().startswith("merged.xlsx sheet second, row 3, column B: merged cells at B3")
    both = _three_sheets(tmp_path / "both.xlsx", merged_in="third", formula_in="first")
    with pytest.raises(MigrationError) as err:
        read_tables(both)
    assert err.value.where == "both.xlsx sheet first, row 3, column B"  # the first sheet's problem first, whatever the threads do


def test_a_caller_that_stops_early_leaves_no_reader_thread_behind(tmp_path):
    import threading

    from odookit.migration.readers import iter_tables

    path = _three_sheets(tmp_path / "three.xlsx")
    tables = iter_tables(path)
    assert next(tables).title == "first"
    assert any(t.name.startswith("odookit-") for t in threading.enumerate())  # the next sheet is being parsed meanwhile
    tables.close()
    assert not [t.name for t in threading.enumerate() if t.name.startswith("odookit-")]
    assert [t.title for t in read_tables(path)] == ["first", "second", "third"]  # and the file reads again whole


def test_a_sheet_declaring_a_dtd_is_refused_before_any_sheet_is_parsed(tmp_path, monkeypatch):
    from odookit.migration import readers

    clean = _three_sheets(tmp_path / "clean.xlsx")
    path = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(clean) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":  # the third sheet's
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
            zout.writestr(item, data)
    parsed = []
    real = readers._open_calamine

    def watched(p):
        book = real(p)

        class Book:  # the real book, noting each sheet calamine is asked to parse
            sheets_metadata = book.sheets_metadata

            def get_sheet_by_name(self, name):
                parsed.append(name)
                return book.get_sheet_by_name(name)

            def close(self):
                book.close()

        return Book()

    monkeypatch.setattr(readers, "_open_calamine", watched)
    with pytest.raises(MigrationError) as err:
        next(readers.iter_tables(path))
    assert err.value.line().startswith("dtd.xlsx sheet third: the workbook declares XML entities")
    assert parsed == []
    assert [t.title for t in readers.iter_tables(clean)] == ["first", "second", "third"] and parsed == ["first", "second", "third"]
