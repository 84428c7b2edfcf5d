"""`odookit migrate map`: proposals for a client's legacy exports, mapping files, and reading through them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from odookit.blueprints.loader import load_workspace_blueprint
from odookit.cli import cli
from odookit.errors import MigrationError
from odookit.migration.load import load_workspace
from odookit.migration.mapping import read_mapping
from odookit.migration.proposal import code_options, guess_entity, match_header, match_label
from odookit.migration.rules import validate_workspace
from odookit.workspace import Workspace

CUSTOMERS = [
    ["Customer Code", "Customer Name", "VAT Number", "Country", "E-Mail", "Customer Group", "Payment Terms", "Price List", "Fax"],
    ["C-0001", "Müller Maschinenbau", "", "US", "ap@mueller.example.com", "Key Account", "Net 30", "List Price (USD)", "+1 555"],
    ["C-0002", "Lakeside Machining", "", "US", "bad-email", "OEM", "30 Days", "Contract A", ""],
]


def run(ws: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(ws), *args], prog_name="odookit")


def write_csv(path: Path, rows, *, delimiter=";", encoding="cp1252") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.fixture
def legacy(mig_ws, book) -> Path:
    """A legacy export set: customers.csv (Windows-1252, ';') and an Items sheet in products.xlsx."""
    (mig_ws / "migration" / "rules.yaml").unlink()  # this client has none of the sample's conventions
    write_csv(mig_ws / "migration" / "customers.csv", CUSTOMERS)
    book(mig_ws / "migration" / "products.xlsx", {"Items": [
        ["Item No", "Description", "Product Group", "Lot Tracked", "Unit", "Sales Price", "Colour"],
        ["IT-001", "Bearing 6204", "Bearings", "Y", "PCE", 12.5, "red"],
        ["IT-002", "Hex bolt", "fasteners ", "N", "EA", 0.2, "blue"],
    ]})
    return mig_ws


# -- proposals ---------------------------------------------------------------------------
@pytest.mark.parametrize(("header", "entity", "column", "how"), [
    ("sku", "products", "sku", "exact"),
    ("Sale Price", "products", "sale_price", "exact"),
    ("Item No.", "products", "sku", "synonym"),
    ("Article", "products", "sku", "synonym"),
    ("Part Number", "products", "sku", "synonym"),
    ("Qty", "opening_stock", "quantity", "synonym"),
    ("On hand", "opening_stock", "quantity", "synonym"),
    ("VAT Number", "customers", "vat", "synonym"),
    ("USt-IdNr.", "customers", "vat", "synonym"),
    ("Tax ID", "suppliers", "vat", "synonym"),
    ("Price List", "customers", "pricelist", "synonym"),
    ("Customer Code", "customers", "code", "synonym"),
    ("Customer No", "customers", "code", "synonym"),
    ("Customer #", "contacts", "customer", "synonym"),
    ("E-Mail", "customers", "email", "synonym"),
    ("Straße", "customers", "street", "synonym"),
    ("Artikelnummer", "products", "sku", "synonym"),
])
def test_header_proposals(header, entity, column, how):
    match = match_header(header, entity)
    assert (match.target, match.how) == (column, how)


def test_a_misspelt_header_is_a_fuzzy_match_with_its_confidence():
    match = match_header("Descripton", "products")
    assert (match.target, match.how, match.confidence) == ("name", "fuzzy", 0.95)


def test_an_unmappable_header_is_not_guessed():
    match = match_header("Fax", "customers")
    assert match.target is None and match.how == "no match"


@pytest.mark.parametrize(("name", "entity"), [("Debitoren", "customers"), ("Kunden", "customers"), ("customers_export_2024", "customers"),
                                              ("Items", "products"), ("Artikel", "products"), ("stock", "opening_stock"),
                                              ("Vendors", "suppliers"), ("opening_stock", "opening_stock")])
def test_entity_from_the_sheet_or_file_name(name, entity):
    assert guess_entity(name)[0] == entity


def test_labels_match_codes_and_names_whatever_the_case_and_spacing(example_ws):
    blueprint = load_workspace_blueprint(Workspace.find(example_ws))
    options = code_options("products", "category", blueprint)
    assert [(lb, match_label(lb, options).target, match_label(lb, options).how) for lb in ("BRG", "bearings", "  Power   tools ", "Widgets")] == [
        ("BRG", "BRG", "code"), ("bearings", "BRG", "name"), ("  Power   tools ", "TOOL", "name"), ("Widgets", None, "no match")]
    terms = code_options("customers", "payment_term", blueprint)
    assert match_label("net-30", terms).target == "NET30"
    assert match_label("30 Days", terms).target is None  # not guessed: no code or name says it


def test_units_by_their_usual_abbreviations():
    options = code_options("products", "uom", None)
    assert [match_label(v, options).target for v in ("PCE", "ea", "Stück", "kgs", "Litre")] == ["Units", "Units", "Units", "kg", "L"]


def test_yes_no_flags_map_to_tracking():
    options = code_options("products", "tracking", None)
    assert [match_label(v, options, flag="lot").target for v in ("Y", "yes", "N", "No", "0")] == ["lot", "lot", "none", "none", "none"]
    assert match_label("Y", options, flag="serial").target == "serial"
    assert match_label("Lot", options, flag="lot").target == "lot"


# -- the command -------------------------------------------------------------------------
def test_map_writes_a_reviewable_mapping(legacy):
    result = run(legacy, "migrate", "map", "migration/customers.csv", "migration/products.xlsx")
    assert result.exit_code == 0, result.output
    assert "customers.csv (CSV, Windows-1252, delimiter ';')" in result.output
    text = (legacy / "migration" / "mappings" / "customers.yaml").read_text()
    assert text.startswith("# Proposed by `odookit migrate map` from customers.csv (CSV, Windows-1252, delimiter ';'); review, edit, commit.")
    assert "      Fax: null  # no match: left out\n" in text
    customers = read_mapping(legacy / "migration" / "mappings" / "customers.yaml")
    assert customers.file == "customers.csv"
    sheet = customers.sheets["customers"]
    assert sheet.entity == "customers"
    assert sheet.columns == {"Customer Code": "code", "Customer Name": "name", "VAT Number": "vat", "Country": "country", "E-Mail": "email",
                             "Customer Group": "segment", "Payment Terms": "payment_term", "Price List": "pricelist", "Fax": None}
    assert sheet.values == {"segment": {"Key Account": "KEY", "OEM": "OEM"}, "payment_term": {"30 Days": None, "Net 30": "NET30"},
                            "pricelist": {"Contract A": "CONTRACT_A", "List Price (USD)": "LIST"}}
    products = read_mapping(legacy / "migration" / "mappings" / "products.yaml").sheets["Items"]
    assert products.columns["Colour"] is None
    assert products.values == {"category": {"Bearings": "BRG", "fasteners": "FAST"}, "tracking": {"N": "none", "Y": "lot"},
                               "uom": {"EA": "Units", "PCE": "Units"}}


def test_map_json(legacy):
    result = run(legacy, "migrate", "map", "migration/customers.csv", "--json")
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.output)["mappings"]
    assert doc["detected"] == "CSV, Windows-1252, delimiter ';'"
    assert doc["sheets"][0]["columns"]["Fax"] == {"target": None, "confidence": 0.5, "how": "no match"}
    assert doc["sheets"][0]["values"]["payment_term"]["30 Days"]["target"] is None


def test_rerunning_map_keeps_the_consultants_edits(legacy):
    run(legacy, "migrate", "map", "migration/customers.csv")
    path = legacy / "migration" / "mappings" / "customers.yaml"
    text = path.read_text().replace("      Fax: null", "      Fax: phone").replace('30 Days: null', '30 Days: NET30')
    path.write_text(text)
    rows = [row + [extra] for row, extra in zip(CUSTOMERS, ["City", "Chicago", "Boston"], strict=True)]
    rows[2][6] = "Net 60"
    write_csv(legacy / "migration" / "customers.csv", rows)
    result = run(legacy, "migrate", "map", "migration/customers.csv")
    assert result.exit_code == 0, result.output
    assert "(your entries kept)" in result.output
    sheet = read_mapping(path).sheets["customers"]
    assert sheet.columns["Fax"] == "phone"  # kept
    assert sheet.columns["City"] == "city"  # new header, proposed
    assert sheet.values["payment_term"] == {"30 Days": "NET30", "Net 30": "NET30", "Net 60": "NET60"}  # kept, and the new label added
    assert "      Fax: phone  # kept (your entry)\n" in path.read_text()


def test_a_sheet_that_names_no_entity_is_one_error_and_nothing_is_written(legacy, book):
    book(legacy / "migration" / "export.xlsx", {"Sheet1": [["A", "B"], [1, 2]], "Notes": [["x"], ["y"]]})
    result = run(legacy, "migrate", "map", "migration/export.xlsx")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "Error: export.xlsx sheet Sheet1: sheet 'Sheet1' names no entity. Say which with --entity 'Sheet1=ENTITY' (one of categories, customers, "
        "contacts, suppliers, products, supplier_prices, pricelist_items, opening_stock, reorder_rules, kit_components; '-' leaves the sheet out).")
    assert not (legacy / "migration" / "mappings").exists()
    result = run(legacy, "migrate", "map", "migration/export.xlsx", "--entity", "Sheet1=products", "--entity", "Notes=-")
    assert result.exit_code == 0, result.output
    mapping = read_mapping(legacy / "migration" / "mappings" / "export.yaml")
    assert (mapping.sheets["Sheet1"].entity, mapping.sheets["Notes"].entity) == ("products", None)


def test_entity_option_names_a_known_entity(legacy):
    result = run(legacy, "migrate", "map", "migration/customers.csv", "--entity", "customers=custmers")
    assert result.exit_code == 2
    assert "unknown entity 'custmers'. Did you mean 'customers'?" in result.output


# -- reading through a mapping -------------------------------------------------------------
def test_findings_point_at_the_clients_file_header_and_cell(legacy):
    run(legacy, "migrate", "map", "migration/customers.csv", "migration/products.xlsx")
    validation = validate_workspace(Workspace.find(legacy))
    lines = [f.line() for f in validation.findings]
    assert "customers.csv, row 3, column E-Mail (E3): error: 'bad-email' is not an e-mail address [format]" in lines
    assert ("customers.csv, row 3, column Payment Terms (G3): error: '30 Days' is not a known payment term (NET30, NET60, SPLIT3060) [allowed]"
            in lines)
    assert not [f for f in validation.findings if f.file == "products.xlsx" and f.severity == "error"], lines
    rows = validation.rows("products")
    assert [(r["sku"], r["category"], r["tracking"], r["uom"]) for r in rows] == [("IT-001", "BRG", "lot", "Units"), ("IT-002", "FAST", "none", "Units")]


def test_the_annotated_copy_is_the_clients_file(legacy):
    import openpyxl

    run(legacy, "migrate", "map", "migration/customers.csv", "migration/products.xlsx")
    result = run(legacy, "migrate", "validate")
    assert result.exit_code == 1, result.output
    assert "Read customers.csv as customers: CSV, Windows-1252, delimiter ';', through mappings/customers.yaml" in result.output
    ws = openpyxl.load_workbook(legacy / "migration" / "reports" / "customers.annotated.xlsx")["customers"]
    assert [c.value for c in ws[1]] == CUSTOMERS[0]  # the client's headers, Fax included
    assert ws["I2"].value == "+1 555"
    assert ws["E3"].value == "bad-email" and ws["E3"].fill.start_color.rgb.endswith("FFC7CE")
    assert ws["E3"].comment.text == "error: 'bad-email' is not an e-mail address [format]"
    assert ws["G3"].value == "30 Days" and "is not a known payment term" in ws["G3"].comment.text


def _mapped(legacy) -> Path:
    assert run(legacy, "migrate", "map", "migration/customers.csv", "migration/products.xlsx").exit_code == 0
    return legacy / "migration" / "mappings" / "customers.yaml"


BAD_MAPPINGS = {
    "unknown column": (lambda t: t.replace("VAT Number: vat", "VAT Number: vatt"),
                       "mappings/customers.yaml:{line}:19: 'vatt' is not a column of customers. Did you mean 'vat'? (null leaves the header out)",
                       "VAT Number: vatt"),
    "unknown code": (lambda t: t.replace("Net 30: NET30", "Net 30: NET3"),
                     "mappings/customers.yaml:{line}:17: 'NET3' (for 'Net 30') is not a payment term code of the blueprint. Did you mean 'NET30'?",
                     "Net 30: NET3"),
    "yaml error": (lambda t: t.replace("    columns:\n", "    columns:\n     bad: [\n", 1),
                   "mappings/customers.yaml:{line}:7: YAML error: expected ',' or ']', but got '<scalar>'. Fix the YAML syntax (indentation, quotes, colons).",
                   "Customer Name: name"),
    "unknown entity": (lambda t: t.replace("entity: customers", "entity: customer"),
                       "mappings/customers.yaml:{line}:13: unknown entity 'customer'. Did you mean 'customers'?", "entity: customer"),
}


@pytest.mark.parametrize("case", sorted(BAD_MAPPINGS))
def test_a_bad_mapping_is_one_line_at_its_place_and_nothing_is_written(legacy, memory, case):
    edit, expected, marker = BAD_MAPPINGS[case]
    path = _mapped(legacy)
    text = edit(path.read_text())
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if marker in t)
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(legacy))
    assert err.value.line() == expected.format(line=line)
    with pytest.raises(MigrationError):
        load_workspace(Workspace.find(legacy), "dev", gateway=memory)
    assert memory.round_trips("load") == 0 and memory.round_trips("create") == 0
    result = run(legacy, "migrate", "validate", "--json")
    assert result.exit_code == 2
    assert not (legacy / "migration" / "reports").exists()
    doc = json.loads(result.stdout)
    assert doc["line"] == expected.format(line=line)
    assert doc["where"].startswith("mappings/customers.yaml:")


def test_a_header_the_mapping_does_not_know_is_refused(legacy):
    _mapped(legacy)
    write_csv(legacy / "migration" / "customers.csv", [row + ["x"] for row in CUSTOMERS])
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(legacy))
    assert err.value.line() == ("customers.csv, row 1, column J: header 'x' is not in the mapping mappings/customers.yaml. "
                                "Run `odookit migrate map customers.csv` again to add it and review it (null leaves it out).")


def test_validate_json_prints_a_document_for_a_refused_workbook(mig_ws, book):
    book(mig_ws / "migration" / "case.xlsx", {"customers": [["code", "nmae", "country", "segment"], ["000001", "A", "US", "KEY"]]})
    result = run(mig_ws, "migrate", "validate", "--json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["error"] == "unknown column header 'nmae'"
    assert doc["where"] == "case.xlsx sheet customers, row 1, column B"
    assert doc["fix"].startswith("Rename it to 'name'.")


def test_the_annotated_copy_sent_back_fixed_is_read_through_the_same_mapping(legacy):
    import openpyxl

    run(legacy, "migrate", "map", "migration/customers.csv", "migration/products.xlsx")
    assert run(legacy, "migrate", "validate").exit_code == 1
    copy = legacy / "migration" / "reports" / "customers.annotated.xlsx"
    book = openpyxl.load_workbook(copy)
    book["customers"]["E3"] = "ap@lakeside.example.com"
    book["customers"]["G3"] = "Net 30"
    book.save(copy)
    validation = validate_workspace(Workspace.find(legacy), source=copy)
    assert [f.line() for f in validation.errors] == []
    assert [r["payment_term"] for r in validation.rows("customers")] == ["NET30", "NET30"]


@pytest.mark.parametrize("command", ["load", "reconcile"])
def test_load_and_reconcile_json_print_a_document_when_refused(mig_ws, command):
    result = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", command, "-t", "dev", "--json"], prog_name="odookit",
                                env={"ODOOKIT_PASSWORD_DEV": None, "ODOOKIT_API_KEY_DEV": None})
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    expected = {"load": f"no workbook in {mig_ws / 'migration'}",  # load validates first
                "reconcile": "no password for target 'dev' (login admin)"}[command]  # reconcile reads Odoo first
    assert doc["error"] == expected
    assert set(doc) == {"error", "where", "fix", "line"} and doc["fix"]


def test_a_column_the_conventions_require_and_the_mapping_lacks_names_the_mapping(mig_ws):
    import shutil

    shutil.copy(Path(__file__).parent / "fixtures" / "legacy-debitoren.xls", mig_ws / "migration")
    assert run(mig_ws, "migrate", "map", "migration/legacy-debitoren.xls").exit_code == 0
    with pytest.raises(MigrationError) as err:
        validate_workspace(Workspace.find(mig_ws))
    assert err.value.line() == (
        "mappings/legacy-debitoren.yaml, sheet Debitoren: required column 'segment' of customers has no header mapped to it. "
        "Map the client's header for it under columns: (migration/rules.yaml conventions require it), or ask for an export that has it.")
