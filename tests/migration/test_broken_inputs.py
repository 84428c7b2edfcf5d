"""The corpus of broken inputs: each gives one exact line naming where, and nothing reaches Odoo."""

from __future__ import annotations

import zipfile

import pytest

from odookit.errors import MigrationError
from odookit.migration.load import load_workspace
from odookit.migration.rules import validate_workspace
from odookit.workspace import Workspace

CUSTOMER_HEAD = ["code", "name", "country", "segment", "email"]
GOOD = ["000001", "Lakeside Machining", "US", "KEY", "ap@lakeside.example.com"]


def _assert_nothing_written(ws_root, memory):
    with pytest.raises(MigrationError):
        load_workspace(Workspace.find(ws_root), "dev", gateway=memory)
    assert memory.round_trips("load") == 0
    assert memory.round_trips("create") == 0


# -- files that are not a usable .xlsx ---------------------------------------
def _xlsx_with_bomb(path):
    """The sheet's XML declares nested entities (a "billion laughs")."""
    dtd = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    src = path.with_name("src.xlsx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<worksheet", dtd + b"<worksheet", 1).replace(b"Lakeside Machining", b"&lol3;")
            zout.writestr(item, data)
    src.unlink()


def _damaged(path, book):
    """One byte of the sheet's XML changed after the archive was written: it no longer matches its checksum."""
    src = path.with_name("src.xlsx")
    book(src, {"customers": [CUSTOMER_HEAD, GOOD]})
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            stored = item.filename.startswith("xl/worksheets/")  # stored, so that its bytes stand as they are in the file
            zout.writestr(item.filename, zin.read(item.filename), compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    src.unlink()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Lakeside Machining", b"Kakeside Machining", 1))


FILE_CASES = {
    "empty": ("case.xlsx", lambda p, book: p.write_bytes(b""), "case.xlsx: the file is empty (0 bytes). Save the workbook again from Excel as .xlsx."),
    "csv": ("case.csv", lambda p, book: p.write_text("code,name\n1,A\n"), "case.csv: the file name 'case' names no entity. Run `odookit migrate map case.csv` to map this export to the template."),
    "xls": ("case.xls", lambda p, book: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "case.xls: the file cannot be read (CalamineError: Cfb error: Invalid sector shift, expecting 0x09 or 0x0C found 0). Open it in Excel or LibreOffice and save it again, or export it again."),
    "encrypted": ("case.xlsx", lambda p, book: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64),
                  "case.xlsx: the workbook is password-protected (encrypted). Remove the password in Excel (File > Info > Protect Workbook) and save it again."),
    "not_zip": ("case.xlsx", lambda p, book: p.write_text("<html>not a workbook</html>"), "case.xlsx: the file is not an .xlsx workbook (not a zip archive). Save it from Excel as an .xlsx workbook; a renamed .csv or .xls does not work."),
    "damaged": ("case.xlsx", _damaged,
                "case.xlsx sheet customers: the file cannot be read (BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml'). Open it in Excel or LibreOffice and save it again, or export it again."),
    "xml_bomb": ("case.xlsx", lambda p, book: (book(p.with_name("src.xlsx"), {"customers": [CUSTOMER_HEAD, GOOD]}), _xlsx_with_bomb(p)),
                 "case.xlsx sheet customers: the workbook declares XML entities (an XML bomb?) and was not read. Do not use this file; ask the client to export the data again from Excel."),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_unusable_file_is_refused_with_one_line(mig_ws, memory, book, case):
    name, make, expected = FILE_CASES[case]
    path = mig_ws / "migration" / name
    make(path, book)
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(mig_ws))
    line = err.value.line()
    assert "\n" not in line
    assert line.endswith(expected)
    assert line.startswith(str(mig_ws / "migration")) or line.startswith("case.xlsx sheet")
    _assert_nothing_written(mig_ws, memory)


# -- structural problems inside a workbook -----------------------------------------
def _merged(p, book):
    import openpyxl

    book(p, {"customers": [CUSTOMER_HEAD, GOOD, ["000002", "B", "US", "KEY", None]]})
    wb = openpyxl.load_workbook(p)
    wb["customers"].merge_cells("B2:B3")
    wb.save(p)


def _formula(p, book):
    book(p, {"customers": [CUSTOMER_HEAD, GOOD, ["000002", "=B2&\" West\"", "US", "KEY", None]]})


SHEET_CASES = {
    "unknown_header": ({"customers": [["code", "nmae", "country", "segment"], GOOD[:4]]},
                       "case.xlsx sheet customers, row 1, column B: unknown column header 'nmae'. Rename it to 'name'."),
    "missing_header": ({"customers": [["code", "name", "country"], GOOD[:3]]},
                       "case.xlsx sheet customers, row 1, column D: required column 'segment' is missing. Add a 'segment' header (migration/rules.yaml conventions require it); `odookit migrate template customers` shows the expected layout."),
    "duplicate_header": ({"customers": [["code", "name", "country", "segment", "name"], GOOD]},
                         "case.xlsx sheet customers, row 1, column E: column 'name' appears twice (also in B). Keep one column per field."),
    "missing_sheet": ({"Custmers": [CUSTOMER_HEAD, GOOD]},
                      "case.xlsx: sheet 'Custmers' names no entity. Run `odookit migrate map case.xlsx` to map this export to the template, or rename it 'customers'."),
    "no_header": ({"customers": [[None, None]]},
                  "case.xlsx sheet customers, row 1: the sheet has no header row. Put the column names in row 1"),
    "merged": (_merged, "case.xlsx sheet customers, row 2, column B: merged cells at B2. Unmerge all cells (Home > Merge & Center > Unmerge) and fill every row."),
    "formula": (_formula, "case.xlsx sheet customers, row 3, column B: formula in B3 has no computed value (the file was not saved by Excel after editing). Open the workbook in Excel, let it recalculate and save it, or paste values only."),
}


@pytest.mark.parametrize("case", sorted(SHEET_CASES))
def test_structural_problem_names_sheet_row_column(mig_ws, memory, book, case):
    spec, expected = SHEET_CASES[case]
    path = mig_ws / "migration" / "case.xlsx"
    spec(path, book) if callable(spec) else book(path, spec)
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(mig_ws))
    line = err.value.line()
    assert "\n" not in line
    assert line.split(str(mig_ws / "migration") + "/")[-1].startswith(expected), line
    _assert_nothing_written(mig_ws, memory)


# -- value problems: findings, one line each, and load refuses ------------------------
HEAD = ["code", "name", "vat", "country", "segment", "email", "credit_limit"]
VALUE_CASES = {
    "text_number": ([["000002", "Bravo", None, "US", "KEY", None, "12,500 USD"]], "row 3, column credit_limit (G3): error: '12,500 USD' is text, not a number: retype it as a number [text_number]"),
    "leading_zeros": ([[123, "Bravo", None, "US", "KEY", None, None]], "row 3, column code (A3): error: 123 lost its leading zeros: write it as text '000123' [leading_zeros]"),
    "bad_email": ([["000002", "Bravo", None, "US", "KEY", "ap.bravo.example.com", None]], "row 3, column email (F3): error: 'ap.bravo.example.com' is not an e-mail address [format]"),
    "unknown_segment": ([["000002", "Bravo", None, "US", "VIP", None, None]], "row 3, column segment (E3): error: 'VIP' is not a known credit segment (KEY, OEM, CASH) [allowed]"),
    "missing_required": ([["000002", None, None, "US", "KEY", None, None]], "row 3, column name (B3): error: name is required [required]"),
    "duplicate_key": ([["000001", "Bravo", None, "US", "KEY", None, None]], "row 3, column code (A3): error: '000001' appears more than once [unique]"),
    "bad_vat": ([["000002", "Bravo", "00-1234567", "US", "KEY", None, None]], "row 3, column vat (C3): error: '00-1234567' is not a valid tax ID for United States (US), nor for any other country [vat]"),
    "negative": ([["000002", "Bravo", None, "US", "KEY", None, -5]], "row 3, column credit_limit (G3): error: -5 is outside 0..1e+07 [range]"),
    "bad_country": ([["000002", "Bravo", None, "USA", "KEY", None, None]], "row 3, column country (D3): error: 'USA' is not an ISO country code (US) [format]"),
    "bad_code": ([["A0002", "Bravo", None, "US", "KEY", None, None]], "row 3, column code (A3): error: 'A0002' is not of the form ^\\d{6}$ (e.g. 000123) [format]"),
}


@pytest.mark.parametrize("case", sorted(VALUE_CASES))
def test_value_problem_is_one_finding_naming_the_cell(mig_ws, memory, book, case):
    rows, expected = VALUE_CASES[case]
    good = ["000001", "Alpha", "27-1234567", "US", "KEY", "ap@alpha.example.com", 1000]
    book(mig_ws / "migration" / "case.xlsx", {"customers": [HEAD, good, *rows]})
    validation = validate_workspace(Workspace.find(mig_ws))
    lines = [f.line() for f in validation.errors]
    assert f"case.xlsx sheet customers, {expected}" in lines, lines
    _assert_nothing_written(mig_ws, memory)


def test_cross_sheet_problems(mig_ws, book):
    book(mig_ws / "migration" / "case.xlsx", {
        "customers": [["code", "name", "country", "segment"], ["000001", "Alpha", "US", "KEY"]],
        "contacts": [["code", "customer", "name", "country"], ["D1", "000009", "Dock", "US"]],
        "products": [["sku", "name", "category", "sale_price", "barcode"], ["BRG-1", "Bearing", "BRG", 10, "4006381333931"],
                     ["FAST-1", "Bolt", "FASTENERS", 1, "4006381333932"]],
        "supplier_prices": [["supplier", "sku", "price", "valid_from"], ["S0001", "BRG-1", 5, "01/02/2025"]],
        "opening_stock": [["warehouse", "sku", "lot", "quantity"], ["CHI", "BRG-1", None, 5], ["XYZ", "NOPE-1", None, 1]],
    })
    lines = [f.line() for f in validate_workspace(Workspace.find(mig_ws)).errors]
    expected = [
        "case.xlsx sheet contacts, row 2, column customer (B2): error: '000009' is not in the customers sheet [reference]",
        "case.xlsx sheet opening_stock, row 2, column lot (C2): error: this product is tracked by lot/serial: give the lot number [lot_required]",
        "case.xlsx sheet opening_stock, row 3, column warehouse (A3): error: 'XYZ' is not a known warehouse (CHI, MKE, VAN) [allowed]",
        "case.xlsx sheet opening_stock, row 3, column sku (B3): error: 'NOPE-1' is not in the products sheet [reference]",
        "case.xlsx sheet products, row 3, column category (C3): error: 'FASTENERS' is not a known category (FAST, BRG, HYD, SAFE, TOOL) [allowed]",
        "case.xlsx sheet products, row 3, column barcode (E3): error: '4006381333932' is not a valid EAN barcode (length or check digit) [barcode]",
        "case.xlsx sheet supplier_prices, row 2, column supplier (A2): error: 'S0001' is unknown: no suppliers sheet was read [reference]",
        "case.xlsx sheet supplier_prices, row 2, column valid_from (D2): error: '01/02/2025' is text, not a date: enter it as a date cell [date_text]",
    ]
    assert lines == expected


def test_barcode_used_twice_is_an_error_before_odoo_refuses_it(mig_ws, book):
    head = ["sku", "name", "category", "sale_price", "barcode"]
    book(mig_ws / "migration" / "case.xlsx", {"products": [
        head, ["BRG-1", "Bearing", "BRG", 10, "4006381333931"], ["BRG-2", "Bearing 2", "BRG", 10, "4006381333931"],
        ["BRG-3", "Bearing 3", "BRG", 10, None], ["BRG-4", "Bearing 4", "BRG", 10, None],
    ]})
    lines = [f.line() for f in validate_workspace(Workspace.find(mig_ws)).errors]
    assert lines == [
        f"case.xlsx sheet products, row {r}, column barcode (E{r}): error: '4006381333931' is also the barcode of another row "
        "(Odoo refuses duplicate barcodes) [unique]" for r in (2, 3)
    ]


def test_category_sheet_cannot_redefine_a_blueprint_category(mig_ws, book):
    book(mig_ws / "migration" / "case.xlsx", {"categories": [["code", "name"], ["FAST", "Screws"], ["FAST_MET", "Metric"]]})
    lines = [f.line() for f in validate_workspace(Workspace.find(mig_ws)).errors]
    assert lines == ["case.xlsx sheet categories, row 2, column code (A2): error: 'FAST' is a blueprint category: "
                     "change it in blueprints/, not here [unique]"]


def test_lead_time_must_be_whole_days(mig_ws, book):
    book(mig_ws / "migration" / "case.xlsx", {
        "suppliers": [["code", "name", "country"], ["S0001", "Acme", "US"]],
        "products": [["sku", "name", "category", "sale_price"], ["BRG-1", "Bearing", "BRG", 10]],
        "supplier_prices": [["supplier", "sku", "price", "lead_days"], ["S0001", "BRG-1", 5, 7.5]],
    })
    lines = [f.line() for f in validate_workspace(Workspace.find(mig_ws)).errors]
    assert lines == ["case.xlsx sheet supplier_prices, row 2, column lead_days (D2): error: '7.5' is not a whole number [format]"]


def test_opening_stock_location_must_belong_to_the_rows_warehouse(mig_ws, book):
    book(mig_ws / "migration" / "case.xlsx", {
        "products": [["sku", "name", "category", "sale_price"], ["SF-1", "Gloves", "SAFE", 2]],
        "opening_stock": [["warehouse", "location", "sku", "quantity"], ["CHI", "CHI/Stock/Shelf 1", "SF-1", 5],
                          ["MKE", "CHI/Stock/Shelf 1", "SF-1", 5], ["MKE", None, "SF-1", 1]],
    })
    lines = [f.line() for f in validate_workspace(Workspace.find(mig_ws)).errors]
    assert lines == ["case.xlsx sheet opening_stock, row 3, column location (B3): error: 'CHI/Stock/Shelf 1' is not a location "
                     "of the row's warehouse (its full name starts with the warehouse code) [reference]"]


def test_company_that_is_customer_and_supplier_is_a_duplicate_warning(mig_ws, book):
    book(mig_ws / "migration" / "case.xlsx", {
        "customers": [["code", "name", "vat", "country", "segment"], ["000001", "Acme", "27-1234567", "US", "KEY"]],
        "suppliers": [["code", "name", "vat", "country"], ["S0001", "Acme Supply", "271234567", "US"], ["S0002", "Other", None, "US"]],
    })
    validation = validate_workspace(Workspace.find(mig_ws))
    assert [f.line() for f in validation.findings if f.rule == "duplicate"] == [
        "case.xlsx sheet customers, row 2, column vat (C2): warning: same tax ID as supplier S0001: two partners in Odoo for one company [duplicate]",
        "case.xlsx sheet suppliers, row 2, column vat (C2): warning: same tax ID as customer 000001: two partners in Odoo for one company [duplicate]",
    ]
