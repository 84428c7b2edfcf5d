"""Load against the in-memory generic ORM (batching, rejects, resume), outputs and their escaping, rules.yaml, CLI."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.errors import MigrationError, ProductionGuard
from odookit.migration.load import load_workspace, write_rejects, Reject
from odookit.migration.rules import validate_workspace
from odookit.workspace import Workspace

HEAD = ["code", "name", "country", "segment", "email"]
INJECTION = "=HYPERLINK(\"http://evil.example\",\"x\")"


def _customers(n: int, *, bad_segment_at: set[int] = frozenset()) -> list[list]:
    return [HEAD] + [
        [f"{i:06d}", f"Customer {i}", "US", "OEM" if i in bad_segment_at else "KEY", f"c{i}@x.example.com"] for i in range(1, n + 1)
    ]


def _seeded(memory):
    memory.seed("res.partner.category", {"name": "Key"}, "nis_config.partner_segment_key")
    memory.seed("res.country", {"name": "United States"}, "base.us")
    return memory


def test_rows_odoo_refuses_are_isolated_and_written_with_its_message(mig_ws, memory, book):
    # OEM has no external ID in this database: Odoo (here, the generic ORM) refuses those rows only
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(10, bad_segment_at={4, 9})})
    report = load_workspace(Workspace.find(mig_ws), "dev", gateway=_seeded(memory), batch_size=4)
    assert [(e.rows, e.loaded, e.created, e.updated, e.rejected) for e in report.entities] == [(10, 8, 8, 0, 2)]
    assert sorted(r.where[2] for r in report.rejects) == [5, 10]
    again = load_workspace(Workspace.find(mig_ws), "dev", gateway=memory, batch_size=4)
    assert [(e.created, e.updated, e.unchanged, e.rejected) for e in again.entities] == [(0, 0, 8, 2)], "the second load writes nothing"
    assert len(memory.all("res.partner")) == 8
    assert "partner_segment_oem" in report.rejects[0].message
    assert len([p for p in memory.all("res.partner")]) == 8
    sheet = openpyxl.load_workbook(report.rejects_path)["customers"]
    assert [c.value for c in sheet[1]][:4] == ["file", "sheet", "row", "message"]
    assert sheet["C2"].value == 5


def test_interrupted_load_resumes_without_duplicates_or_gaps(mig_ws, memory, book):
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(10)})
    ws = Workspace.find(mig_ws)
    _seeded(memory)

    def crash(entity, batches):
        if batches == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_workspace(ws, "dev", gateway=memory, batch_size=3, after_batch=crash)
    assert len(memory.all("res.partner")) == 6
    checkpoint = json.loads((ws.state / "migration" / "load-dev.json").read_text())
    assert checkpoint["entities"]["customers"]["done"] == 6
    loads_before = memory.round_trips("load")
    report = load_workspace(ws, "dev", gateway=memory, batch_size=3)
    assert report.entities[0].resumed_from == 6
    assert memory.round_trips("load") - loads_before == 2  # rows 7-9 and 10 only
    refs = sorted(p["ref"] for p in memory.all("res.partner"))
    assert refs == [f"{i:06d}" for i in range(1, 11)]
    assert json.loads((ws.state / "migration" / "load-dev.json").read_text())["finished"] is True
    # a complete run again: everything re-sent, nothing new
    load_workspace(ws, "dev", gateway=memory, batch_size=3)
    assert len(memory.all("res.partner")) == 10


def test_resumed_run_skips_the_entities_the_interrupted_run_completed(mig_ws, memory, book):
    products = [["sku", "name", "category", "sale_price"]] + [[f"BRG-{i}", f"Bearing {i}", "BRG", 10] for i in range(1, 7)]
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(4), "products": products})
    ws = Workspace.find(mig_ws)
    _seeded(memory).seed("product.category", {"name": "Bearings"}, "nis_config.product_category_brg")
    memory.seed("uom.uom", {"name": "Units"}, "uom.product_uom_unit")

    def crash(entity, batches):
        if entity == "products" and batches == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_workspace(ws, "dev", gateway=memory, batch_size=3, after_batch=crash)
    loads_before = memory.round_trips("load")
    report = load_workspace(ws, "dev", gateway=memory, batch_size=3)
    assert [(e.entity, e.sent, e.resumed_from) for e in report.entities] == [("customers", 0, 4), ("products", 3, 3)]
    assert memory.round_trips("load") - loads_before == 1
    assert not report.rejects, report.rejects
    assert len(memory.all("product.product")) == 6 and len(memory.all("res.partner")) == 4


def test_production_target_needs_yes(mig_ws, memory, book):
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(1)})
    with pytest.raises(ProductionGuard, match="marked production"):
        load_workspace(Workspace.find(mig_ws), "prod", gateway=memory)
    assert memory.round_trips() == 0


def test_skip_invalid_loads_only_valid_rows(mig_ws, memory, book):
    rows = _customers(3)
    rows[2][4] = "not-an-email"
    book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    ws = Workspace.find(mig_ws)
    with pytest.raises(MigrationError, match="1 errors remain in the workbooks; nothing was loaded"):
        load_workspace(ws, "dev", gateway=_seeded(memory))
    report = load_workspace(ws, "dev", gateway=memory, skip_invalid=True)
    assert report.entities[0].loaded == 2


def test_rows_referring_to_a_row_with_errors_are_held_back_not_sent(mig_ws, memory, book):
    customers = _customers(3)
    customers[2][4] = "not-an-email"  # customer 000002 has an error
    contacts = [["code", "customer", "name", "country"], ["K1", "000001", "Ann", "US"], ["K2", "000002", "Bob", "US"]]
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers, "contacts": contacts})
    report = load_workspace(Workspace.find(mig_ws), "dev", gateway=_seeded(memory), skip_invalid=True)
    by_entity = {e.entity: e for e in report.entities}
    assert (by_entity["contacts"].rows, by_entity["contacts"].loaded, by_entity["contacts"].held_back) == (2, 1, 1)
    assert report.rejects == [], "nothing reached Odoo to be refused"
    [waiting] = report.held
    assert (waiting.where[2], waiting.message) == (3, "not loaded: it refers to nis_config.customer_000002, whose row has "
                                                      "errors; fix that row and load again")
    assert sorted(p["name"] for p in memory.all("res.partner")) == ["Ann", "Customer 1", "Customer 3"]
    sheet = openpyxl.load_workbook(report.rejects_path)["contacts"]
    assert [sheet["C2"].value, sheet["D2"].value[:11]] == [3, "not loaded:"]


def _all_strings(path):
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_formula_like_values_come_back_escaped_in_every_workbook_odookit_writes(mig_ws, memory, book):
    from odookit.migration.report import write_reports

    rows = _customers(2)
    rows[2][4] = "+1-555@bad"
    path = book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    wb = openpyxl.load_workbook(path)
    wb["customers"]["B2"].value = INJECTION
    wb["customers"]["B2"].data_type = "s"  # typed as text by the client, as Excel stores '=...
    wb.save(path)
    ws = Workspace.find(mig_ws)
    validation = validate_workspace(ws)
    annotated = write_reports(validation, ws.migration / "reports")[0]
    cells = {c.coordinate: c for c in _all_strings(annotated)}
    # escaped as Excel stores a value typed with a leading apostrophe: text, quote prefix, value intact
    assert cells["B2"].value == INJECTION and cells["B2"].data_type == "s" and cells["B2"].quotePrefix
    assert cells["E3"].value == "+1-555@bad" and cells["E3"].quotePrefix
    assert "is not an e-mail address" in cells["E3"].comment.text
    assert not any(c.data_type == "f" for c in cells.values())
    rejects = write_rejects([Reject("customers", ("c.xlsx", "customers", 2), "-bad @message", {"name": INJECTION})], ws.migration / "reports" / "r.xlsx")
    escaped = {c.value for c in _all_strings(rejects) if c.quotePrefix and c.data_type == "s"}
    assert {"-bad @message", INJECTION} <= escaped
    result = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "template", "customers", "-o", str(mig_ws / "t.xlsx")])
    assert result.exit_code == 0, result.output
    assert not any(c.data_type == "f" or (str(c.value).startswith(("=", "+", "-", "@")) and not c.quotePrefix)
                   for c in _all_strings(mig_ws / "t.xlsx"))


def test_escaped_values_round_trip_unchanged(mig_ws, book):
    """A phone number sent back in an annotated copy and returned reads as the client wrote it, not with a quote."""
    from odookit.migration.report import write_reports

    rows = _customers(2)
    rows[1][4] = "not-an-email"
    rows[2][4] = "'+1 312 555 0001"  # as an older odookit, or another tool, escaped it
    book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    ws = Workspace.find(mig_ws)
    first = validate_workspace(ws)
    assert first.rows("customers", valid_only=False)[1]["email"] == "+1 312 555 0001"
    annotated = write_reports(first, ws.migration / "reports")[0]
    again = validate_workspace(ws, source=annotated)
    assert [r["email"] for r in again.rows("customers", valid_only=False)] == ["not-an-email", "+1 312 555 0001"]


def test_annotated_copy_keeps_the_clients_columns_so_cell_names_match(mig_ws, book):
    """A blank column B in the client's sheet: the finding says E2, and E2 of the annotated copy is the bad cell."""
    book(mig_ws / "migration" / "c.xlsx", {"customers": [
        ["code", None, "name", "country", "segment"], ["000001", "note", "Alpha", "US", "VIP"]]})
    from odookit.migration.report import write_reports

    validation = validate_workspace(Workspace.find(mig_ws))
    assert [f.cell for f in validation.errors] == ["E2"]
    sheet = openpyxl.load_workbook(write_reports(validation, mig_ws / "migration" / "reports")[0])["customers"]
    assert [c.value for c in sheet[1]] == ["code", None, "name", "country", "segment"]
    assert sheet["E2"].value == "VIP" and "not a known credit segment" in sheet["E2"].comment.text


def test_annotated_copy_keeps_the_clients_blank_rows_so_row_numbers_match(mig_ws, book):
    """Blank rows 3 and 4 in the client's sheet: the finding says E5, and E5 of the annotated copy is the bad cell."""
    book(mig_ws / "migration" / "c.xlsx", {"customers": [
        ["code", None, "name", "country", "segment"], ["000001", "", "Alpha", "US", "VIP"],
        [None] * 5, [None] * 5, ["000002", "", "Beta", "US", "BOGUS"]]})
    from odookit.migration.report import write_reports

    validation = validate_workspace(Workspace.find(mig_ws))
    assert [(f.row, f.cell) for f in validation.errors if f.column == "segment"] == [(2, "E2"), (5, "E5")]
    sheet = openpyxl.load_workbook(write_reports(validation, mig_ws / "migration" / "reports")[0])["customers"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=5, min_col=1, max_col=5)] == [
        ["000001", None, "Alpha", "US", "VIP"], [None] * 5, [None] * 5, ["000002", None, "Beta", "US", "BOGUS"]]
    assert "BOGUS" in sheet["E5"].comment.text and sheet["E3"].comment is None


def test_template_has_dropdowns_from_the_blueprint(mig_ws):
    out = mig_ws / "tpl.xlsx"
    result = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "template", "products", "opening_stock", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["products", "opening_stock", "_lists"]
    lists = wb["_lists"]
    columns = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, 10) if lists.cell(r, c).value] for c in range(1, lists.max_column + 1)}
    assert columns["warehouses"] == ["CHI", "MKE", "VAN"] and columns["categories"] == ["FAST", "BRG", "HYD", "SAFE", "TOOL"]
    sheet = wb["opening_stock"]
    assert sheet.freeze_panes == "A2"
    assert "Warehouse code from the blueprint" in sheet["A1"].comment.text
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert formulas["A2"].startswith("_lists!$")
    again = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "template", "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_unknown_template_entity_suggests(mig_ws):
    result = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "template", "custmers"])
    assert result.exit_code == 2
    assert "unknown entity 'custmers'. Did you mean 'customers'?" in result.output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("severty:\n  missing: error\n", "rules.yaml:1: unknown key 'severty'. Did you mean 'severity'?"),
        ("severity:\n  customers.vat.mising: error\n", "rules.yaml:2: unknown rule 'mising' in severity key 'customers.vat.mising'. Did you mean 'missing'?"),
        ("ignore_columns:\n  customers: [phnoe]\n", "rules.yaml:2: unknown column 'phnoe' of customers. Did you mean 'phone'?"),
        ("extra_expectations:\n  - entity: customers\n    column: name\n    expectation: expect_column_value_lengths_to_be_betwen\n",
         "rules.yaml:4: unknown expectation 'expect_column_value_lengths_to_be_betwen'. Did you mean 'expect_column_value_lengths_to_be_between'?"),
        ("severity:\n  customers.code.required: warning\n",
         "rules.yaml:2: 'customers.code.required' cannot be a warning: code identifies the row. "
         "Fix the rows instead; a row without a key of its own cannot be loaded."),
        ("ignore_columns:\n  customers: [code]\n",
         "rules.yaml:2: column 'code' of customers cannot be ignored: every row needs it. Remove it from ignore_columns; "
         "use `severity:` to turn its checks into warnings instead."),
        ("extra_expectations:\n  - entity: customers\n    column: name\n    expectation: expect_column_value_lengths_to_be_between\n"
         "    kwargs: {max_valu: 5}\n",
         "rules.yaml:4: invalid arguments for expect_column_value_lengths_to_be_between (max_valu: extra fields not permitted; "
         "arguments: min_value and max_value cannot both be None). Check `kwargs:` against the expectation's arguments in the "
         "great-expectations reference."),
    ],
)
def test_rules_yaml_typo_or_impossible_rule_is_one_line(mig_ws, book, text, expected):
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(1)})
    (mig_ws / "migration" / "rules.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "validate"])
    assert result.exit_code == 2, result.output
    assert result.output.strip().endswith(expected), result.output


def test_rules_yaml_tunes_severity_ignores_columns_and_adds_expectations(mig_ws, book):
    rows = _customers(2)
    rows[1][4] = "bad-email"
    rows[2][1] = "A very long customer name that the legacy system cannot print"
    book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    (mig_ws / "migration" / "rules.yaml").write_text(
        "severity:\n  customers.vat.missing: error\nignore_columns:\n  customers: [email]\n"
        "extra_expectations:\n  - entity: customers\n    column: name\n    expectation: expect_column_value_lengths_to_be_between\n"
        "    kwargs: {max_value: 40}\n    severity: warning\n    message: name longer than 40 characters\n"
    )
    validation = validate_workspace(Workspace.find(mig_ws))
    lines = [f.line() for f in validation.findings]
    assert lines == ["c.xlsx sheet customers, row 3, column name (B3): warning: name longer than 40 characters [extra]"]


def test_a_blanket_severity_never_makes_a_missing_or_repeated_key_loadable(mig_ws, book):
    rows = _customers(2) + [[None, "No code", "US", "KEY", None]]
    rows[2][1] = None  # a missing name may be a warning
    book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    (mig_ws / "migration" / "rules.yaml").write_text("severity:\n  required: warning\n")
    validation = validate_workspace(Workspace.find(mig_ws))
    assert [(f.cell, f.severity) for f in validation.findings if f.rule == "required"] == [("B3", "warning"), ("A4", "error")]


def test_ignored_column_is_not_loaded_over_what_odoo_has(mig_ws, memory, book):
    """rules.yaml ignore_columns: the column's field is left out of load(), so Odoo keeps its own value."""
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(2)})
    (mig_ws / "migration" / "rules.yaml").write_text("ignore_columns:\n  customers: [email, segment]\n")
    partner = memory.seed("res.partner", {"name": "Customer 1", "email": "kept@odoo.example"}, "nis_config.customer_000001")
    load_workspace(Workspace.find(mig_ws), "dev", gateway=_seeded(memory))
    [kept] = memory.read("res.partner", [partner], ["email", "name", "category_id"])
    assert kept["email"] == "kept@odoo.example" and kept["name"] == "Customer 1" and not kept["category_id"]


def test_validate_cli_exit_codes_summary_and_json(example_ws):
    runner = CliRunner()
    dirty = runner.invoke(cli, ["-w", str(example_ws), "migrate", "validate"])
    assert dirty.exit_code == 1, dirty.output
    assert "12 errors, 11 warnings" in dirty.output
    import re

    assert re.search(r"northwind-master-data.xlsx sheet customers, row (\d+), column code \(A\1\): error: \d+ lost its leading zeros", dirty.output)
    assert (example_ws / "migration" / "reports" / "northwind-master-data.annotated.xlsx").is_file()
    clean = runner.invoke(cli, ["-w", str(example_ws), "migrate", "validate", "--source", "migration/clean", "--json"])
    assert clean.exit_code == 0, clean.output
    data = json.loads(clean.output)
    assert data["errors"] == 0 and {s["entity"] for s in data["summary"]} >= {"customers", "products", "opening_stock"}


def test_build_shows_migration_findings_without_failing(example_ws):
    from odookit.build import run_build

    stage = next(r for r in run_build(Workspace.find(example_ws)) if r.stage == "migration validate")
    assert stage.status == "findings"
    assert stage.summary.endswith("12 errors, 11 warnings")
    assert any(p.endswith("validation.html") for p in stage.outputs)


def test_ctrl_c_during_load_says_how_to_resume(mig_ws, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("odookit.migration.load.load_workspace", interrupted)
    result = CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "load", "-t", "dev"])
    assert result.exit_code == 130, result.output
    assert "run the same command again to resume where it stopped" in result.output


def test_empty_reorder_and_lead_time_cells_take_the_blueprint_defaults(mig_ws, book):
    """Sample blueprint: CHI/FAST 200..1000, default 10..50, supplier lead 7 days; FAST_MET is a child of FAST."""
    book(mig_ws / "migration" / "c.xlsx", {
        "categories": [["code", "name", "parent"], ["FAST_MET", "Metric", "FAST"]],
        "suppliers": [["code", "name", "country"], ["S0001", "Acme", "US"]],
        "products": [["sku", "name", "category", "sale_price"], ["FM-1", "Metric bolt", "FAST_MET", 1], ["SF-1", "Gloves", "SAFE", 2]],
        "supplier_prices": [["supplier", "sku", "price", "lead_days"], ["S0001", "FM-1", 1, None], ["S0001", "SF-1", 1, 3]],
        "reorder_rules": [["warehouse", "sku", "min_qty", "max_qty"], ["CHI", "FM-1", None, None], ["MKE", "SF-1", None, 80],
                          ["VAN", "SF-1", 60, None]],
    })
    validation = validate_workspace(Workspace.find(mig_ws))
    assert [f.line() for f in validation.errors] == [
        "c.xlsx sheet reorder_rules, row 4, column max_qty (D4): error: min 60 is above max 50 (blueprint defaults fill empty cells) [range]"
    ]
    _, prices = validation.load_rows("supplier_prices", validation.ctx)
    assert [p["delay"] for p in prices] == ["7", "3"]
    _, rules = validation.load_rows("reorder_rules", validation.ctx)
    assert [(r["warehouse_id/id"], r["product_min_qty"], r["product_max_qty"]) for r in rules] == [
        ("nis_config.warehouse_chi", "200", "1000"), ("nis_config.warehouse_mke", "10", "80")]


def test_template_help_names_every_entity():
    from odookit.migration.entities import BY_NAME

    result = CliRunner().invoke(cli, ["migrate", "template", "--help"])
    assert result.exit_code == 0, result.output
    assert all(name in result.output for name in BY_NAME), result.output


def test_rejects_sheet_has_the_columns_of_every_rejected_row(tmp_path):
    """A refused lot and a refused quantity both belong to opening_stock; neither loses its values."""
    path = write_rejects([
        Reject("opening_stock", ("a.xlsx", "opening_stock", 2), "lot refused", {"id": "m.lot_a_l1", "name": "L1"}),
        Reject("opening_stock", ("a.xlsx", "opening_stock", 3), "quant refused", {"product_id/id": "m.product_a", "inventory_quantity": "3"}),
    ], tmp_path / "r.xlsx")
    rows = list(openpyxl.load_workbook(path)["opening_stock"].iter_rows(values_only=True))
    assert rows[0] == ("file", "sheet", "row", "message", "id", "name", "product_id/id", "inventory_quantity")
    assert rows[2] == ("a.xlsx", "opening_stock", 3, "quant refused", None, None, "m.product_a", "3")


def test_reconcile_reports_changed_missing_and_extra_records_in_its_signable_page(mig_ws, memory, book):
    from odookit.migration.reconcile import reconcile_workspace

    book(mig_ws / "migration" / "c.xlsx", {"customers": [_customers(3)[i] for i in (0, 1, 3)]})
    ws = Workspace.find(mig_ws)
    load_workspace(ws, "dev", gateway=_seeded(memory))
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(3)})  # the client added 000002 since
    ids = memory.resolve_xmlids(["nis_config.customer_000001"])
    memory.write("res.partner", [ids["nis_config.customer_000001"][1]], {"email": "changed@example.com"})
    memory.seed("res.partner", {"name": "Stray", "customer_rank": 1}, "nis_config.customer_999999")
    rec, outputs = reconcile_workspace(ws, "dev", gateway=memory)
    [check] = rec.entities
    assert (check.expected, check.found, check.missing, check.extra) == (
        3, 2, ["nis_config.customer_000002"], ["nis_config.customer_999999"])
    assert [(d.key, d.field, d.expected, d.actual) for d in rec.differences] == [
        ("nis_config.customer_000001", "email", "c1@x.example.com", "changed@example.com")]
    page = next(p for p in outputs if p.suffix == ".html").read_text()
    assert "nis_config.customer_999999" in page and "missing in Odoo" in page and "DIFFERENCES FOUND" in page


class _BarcodeOdoo:
    """Odoo's load() as it behaves on a batch-wide constraint: every row rolled back, the error pinned on the
    batch's first row as well as on the offending row."""

    def __init__(self, taken: str):
        self.taken, self.loaded = taken, []

    def resolve_xmlids(self, xmlids):
        return {x: ("product.product", self.loaded.index(x) + 1) for x in xmlids if x in self.loaded}

    def load(self, model, fields, rows, context=None):
        records = [dict(zip(fields, r, strict=True)) for r in rows]
        bad = [i for i, r in enumerate(records) if r["barcode"] == self.taken and r["id"] != "m.owner"]
        if not bad:
            self.loaded += [r["id"] for r in records]
            return {"ids": list(range(len(rows))), "messages": []}
        message = "Barcode(s) already assigned"
        return {"ids": False, "messages": [{"type": "error", "record": 0, "message": message}] +
                [{"type": "error", "record": i, "message": message} for i in bad]}


def test_only_the_offending_row_is_rejected_when_odoo_blames_the_batchs_first_row():
    from odookit.migration.load import Sender

    odoo = _BarcodeOdoo(taken="123")
    rows = [{"id": "m.owner", "barcode": "123"}, {"id": "m.b", "barcode": "9"}, {"id": "m.dup", "barcode": "123"}]
    first = Sender(odoo, "products", "product.product")
    loaded, rejects = first.send(rows, [("f", "products", r) for r in (2, 3, 4)])
    assert (first.created, first.updated) == (2, 0)
    assert (loaded, [(r.where[2], r.message) for r in rejects]) == (2, [(4, "Barcode(s) already assigned")])
    assert sorted(odoo.loaded) == ["m.b", "m.owner"]
    sender = Sender(odoo, "products", "product.product")
    sender.send(rows[:2], [("f", "products", 2), ("f", "products", 3)])
    assert (sender.created, sender.updated) == (0, 2), "a second send of the same rows updates, it creates nothing"

