"""Reconcile's parts that need no workbook: the opening-stock comparison, the report's dict, its workbook and page.

Fast on purpose (no validation run): the mutation benchmark runs them first
for each mutant of ``migration/reconcile.py``. Written against the mutants
that survived the workbook-driven tests (docs/testing.md, "Mutation testing").
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import time
from html.parser import HTMLParser

import openpyxl
import pytest

from odookit.migration.load import Reject, load_validation
from odookit.migration.reconcile import (
    Difference, EntityCheck, Reconciliation, _reconcile_stock, reconcile, reconcile_workspace, write_reconcile_reports,
)
from odookit.migration.rules import Validation
from odookit.odoo.memory import MemoryGateway
from odookit.workspace import Workspace

from .in_memory import blueprint_odoo, customers, validation

M = "acme"


@pytest.fixture
def stock_odoo():
    gw = MemoryGateway()
    ids = {
        "bolt": gw.seed("product.product", {"name": "Bolt"}, f"{M}.product_bolt"),
        "nut": gw.seed("product.product", {"name": "Nut"}, f"{M}.product_nut"),
        "stock": gw.seed("stock.location", {"name": "Stock", "complete_name": "WH/Stock", "usage": "internal"}, f"{M}.location_wh_stock"),
        "shelf": gw.seed("stock.location", {"name": "Shelf 1", "complete_name": "WH/Stock/Shelf 1", "usage": "internal"}),
    }
    ids["lot"] = gw.seed("stock.lot", {"name": "L-1", "product_id": ids["bolt"]}, f"{M}.lot_bolt_l_1")
    return gw, ids


def quant(gw, product, location, quantity, lot=False):
    gw.seed("stock.quant", {"product_id": product, "location_id": location, "lot_id": lot, "quantity": quantity})


def row(product, qty, *, lot="", location=""):
    out = {"product_id/id": f"{M}.product_{product}", "location_id/id": f"{M}.location_wh_stock", "lot_id/id": lot,
           "inventory_quantity": str(qty)}
    if location:
        out["location"] = location
    return out


def compare(gw, mapped, *, lots=(), named=None, places=2, cutover=None):
    check, result = EntityCheck("opening_stock", expected=len(mapped)), Reconciliation("dev", "memory")
    _reconcile_stock(gw, mapped, list(lots), named or {}, check, result, places, cutover or {})
    assert {(d.entity, d.field) for d in result.differences} <= {("opening_stock", "quantity")}
    return check, [(d.key, d.expected, d.actual) for d in result.differences], [d.key for d in result.moved]


def test_the_quants_of_the_rows_products_and_locations_are_read_in_one_call_and_summed(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["stock"], 4.0)
    quant(gw, ids["nut"], ids["stock"], 3.0)  # Odoo keeps several quants of one product and location (packages, owners)
    quant(gw, ids["bolt"], ids["shelf"], 1.0)
    calls, real = [], gw.execute

    def spy(model, method, ids_=None, **kwargs):
        calls.append((model, method, kwargs))
        return real(model, method, ids_, **kwargs)

    gw.execute = spy
    check, differences, _ = compare(gw, [row("nut", 7)])
    assert (check.found, differences) == (1, [])
    assert [c for c in calls if c[0] == "stock.quant"] == [
        ("stock.quant", "search_read", {"domain": [("product_id", "in", [ids["nut"]]), ("location_id", "in", [ids["stock"]])],
                                        "fields": ["product_id", "location_id", "lot_id", "quantity"]})]


def test_rows_of_one_quant_are_summed_before_they_are_compared(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["stock"], 7.0)
    check, differences, _ = compare(gw, [row("nut", 3), row("nut", 4)])
    assert (check.found, check.differing, check.missing, differences) == (1, 0, [], [])


def test_a_row_on_a_sub_location_is_compared_with_the_quant_on_that_location(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["shelf"], 5.0)
    quant(gw, ids["nut"], ids["stock"], 9.0)
    mapped = [row("nut", 5, location="WH/Stock/Shelf 1")]
    check, differences, _ = compare(gw, mapped, named={"WH/Stock/Shelf 1": ids["shelf"]})
    assert (check.found, differences) == (1, [])
    check, differences, _ = compare(gw, mapped, named={})
    assert (check.found, check.missing, differences) == (0, ["WH/Stock/Shelf 1"], [(f"{M}.product_nut @ WH/Stock/Shelf 1", "5", "0")])


def test_a_product_or_lot_not_in_odoo_is_missing_and_its_quantity_a_difference(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["bolt"], ids["stock"], 2.0, lot=ids["lot"])
    mapped = [row("bolt", 2, lot=f"{M}.lot_bolt_l_1"), row("washer", 10), row("bolt", 1, lot=f"{M}.lot_bolt_l_9")]
    lots = [{"id": f"{M}.lot_bolt_l_1"}, {"id": f"{M}.lot_bolt_l_9"}]
    check, differences, _ = compare(gw, mapped, lots=lots)
    assert check.missing == [f"{M}.lot_bolt_l_9", f"{M}.product_washer"]
    assert (check.found, check.differing) == (1, 2)
    assert differences == [(f"{M}.product_washer @ {M}.location_wh_stock", "10", "0"),
                           (f"{M}.product_bolt @ {M}.location_wh_stock [{M}.lot_bolt_l_9]", "1", "0")]


def test_quantities_compare_at_the_unit_of_measure_precision(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["stock"], 2.0)
    assert compare(gw, [row("nut", 2.004)], places=2)[1] == []
    assert compare(gw, [row("nut", 2.004)], places=3)[1] == [(f"{M}.product_nut @ {M}.location_wh_stock", "2.004", "2")]


def test_a_quant_moved_since_the_cut_over_set_it_is_listed_as_moved(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["stock"], 6.0)
    quant(gw, ids["bolt"], ids["stock"], 1.0)
    label = f"{M}.product_nut @ {M}.location_wh_stock"
    mapped = [row("nut", 8), row("bolt", 3)]
    check, differences, moved = compare(gw, mapped, cutover={label: 8.0, f"{M}.product_bolt @ {M}.location_wh_stock": 2.0})
    assert (check.differing, moved) == (2, [label]), "the bolt's cut-over set another quantity: not moved, a difference"
    assert differences == [(label, "8", "6"), (f"{M}.product_bolt @ {M}.location_wh_stock", "3", "1")]


def test_nothing_is_looked_up_when_no_row_names_a_record():
    gw = MemoryGateway()
    check, differences, _ = compare(gw, [])
    assert (check.found, check.missing, differences, gw.calls) == (0, [], [], [])


def test_no_quant_is_read_when_no_product_or_no_location_of_the_rows_is_in_odoo(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["stock"], 5.0)
    gw.calls.clear()
    check, differences, _ = compare(gw, [row("washer", 5)])  # the location is there, the product is not
    assert (check.missing, differences) == ([f"{M}.product_washer"], [(f"{M}.product_washer @ {M}.location_wh_stock", "5", "0")])
    assert [method for _, method in gw.calls] == ["search_read"], "the external IDs only: no quant search"
    gw.calls.clear()
    check, _, _ = compare(gw, [{**row("nut", 5), "location_id/id": f"{M}.location_gone"}])
    assert (check.missing, [method for _, method in gw.calls]) == ([f"{M}.location_gone"], ["search_read"])


def test_each_quant_that_matches_counts_as_found(stock_odoo):
    gw, ids = stock_odoo
    quant(gw, ids["nut"], ids["stock"], 5.0)
    quant(gw, ids["bolt"], ids["stock"], 2.0)
    check, differences, _ = compare(gw, [row("nut", 5), row("bolt", 2), row("bolt", 1, lot=f"{M}.lot_bolt_l_1")], lots=[{"id": f"{M}.lot_bolt_l_1"}])
    assert (check.found, check.differing, differences) == (2, 1, [(f"{M}.product_bolt @ {M}.location_wh_stock [{M}.lot_bolt_l_1]", "1", "0")])


def finished() -> Reconciliation:
    rec = Reconciliation("dev", "client_db")
    rec.entities = [EntityCheck("customers", expected=3, found=2, missing=[f"{M}.customer_3"], extra=[f"{M}.customer_9"], differing=1,
                                held_back=1),
                    EntityCheck("opening_stock", expected=1, found=0, missing=["-1/Basement"], differing=1)]
    rec.differences = [Difference("customers", f"{M}.customer_1", "phone", "+1 312", "=cmd|' /C calc'!A0"),
                       Difference("opening_stock", "p @ l", "quantity", "8", "-6")]
    rec.moved = [rec.differences[1]]
    rec.held = [Reject("customers", ("/in/c.xlsx", "customers", 4), "not loaded: <bad> row", {"id": f"{M}.customer_4"}),
                Reject("customers", ("/in/-export.xlsx", "customers", 2), "not loaded", {})]
    return rec


def test_the_reconciliation_as_json_holds_every_part():
    assert finished().as_dict() == {
        "target": "dev", "database": "client_db", "clean": False,
        "entities": [{"entity": "customers", "expected": 3, "found": 2, "missing": [f"{M}.customer_3"], "extra": [f"{M}.customer_9"],
                      "differing": 1, "held_back": 1},
                     {"entity": "opening_stock", "expected": 1, "found": 0, "missing": ["-1/Basement"], "extra": [], "differing": 1,
                      "held_back": 0}],
        "differences": [{"entity": "customers", "key": f"{M}.customer_1", "field": "phone", "expected": "+1 312",
                         "actual": "=cmd|' /C calc'!A0"},
                        {"entity": "opening_stock", "key": "p @ l", "field": "quantity", "expected": "8", "actual": "-6"}],
        "held_back": [{"entity": "customers", "file": "c.xlsx", "sheet": "customers", "row": 4, "message": "not loaded: <bad> row",
                       "values": {"id": f"{M}.customer_4"}},
                      {"entity": "customers", "file": "-export.xlsx", "sheet": "customers", "row": 2, "message": "not loaded", "values": {}}],
        "moved": [{"entity": "opening_stock", "key": "p @ l", "field": "quantity", "expected": "8", "actual": "-6"}],
    }


@pytest.mark.parametrize(("entities", "differences", "clean"), [
    ([], [], True), ([EntityCheck("c", missing=["x"])], [], False), ([EntityCheck("c", extra=["x"])], [], False),
    ([EntityCheck("c")], [Difference("c", "x", "f", "1", "2")], False)])
def test_clean_means_no_difference_and_no_missing_or_extra_record(entities, differences, clean):
    assert Reconciliation("dev", "db", entities, differences).clean is clean


def sheet_rows(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in book.worksheets}, book


class Page(HTMLParser):
    """The page as a reader sees it: headings, the result line, and every table's rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.blocks, self._cells, self._text, self.charset = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.charset = dict(attrs).get("charset")
        if tag in ("h1", "h2", "p", "title"):
            self._text = ""
        if tag == "tr":
            self._cells = []
        if tag in ("td", "th"):
            self._text = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cells.append(self._text)
            self._text = None
        elif tag == "tr":
            self.blocks.append(self._cells)
        elif tag in ("h1", "h2", "p", "title"):
            self.blocks.append(self._text)
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text += data


def test_the_reconcile_workbook_and_page_show_each_part_with_a_sign_off(tmp_path):
    xlsx, page = write_reconcile_reports(finished(), tmp_path)
    assert (xlsx.name, page.name) == ("reconcile-dev.xlsx", "reconcile-dev.html")
    sheets, book = sheet_rows(xlsx)
    assert book.sheetnames == ["summary", "external_ids", "differences", "held_back", "moved_since_cutover"]
    title = sheets["summary"][0][0]
    assert re.fullmatch(r"Reconciliation of migration workbooks with dev \(database client_db\), \d{4}-\d\d-\d\d \d\d:\d\d UTC", title)
    stamp = title.rsplit(", ", 1)[1]
    assert sheets["summary"][1:] == [
        ["entity", "expected", "found", "missing", "extra", "differing", "held back"],
        ["customers", 3, 2, 1, 1, 1, 1], ["opening_stock", 1, 0, 1, 0, 1, 0], [None, None, None, None, None, None, None],
        ["Result", "DIFFERENCES: see the other sheets", None, None, None, None, None],
        ["Reconciled by (name, signature)", None, None, None, None, None, None], ["Date", None, None, None, None, None, None]]
    assert sheets["external_ids"] == [["entity", "status", "external_id"], ["customers", "missing in Odoo", f"{M}.customer_3"],
                                      ["customers", "extra in Odoo", f"{M}.customer_9"], ["opening_stock", "missing in Odoo", "-1/Basement"]]
    assert [c.quotePrefix for c in book["external_ids"][4]] == [False, False, True], "a sub-location name from the workbook"
    assert sheets["differences"] == [["entity", "record", "field", "workbook", "odoo"],
                                     ["customers", f"{M}.customer_1", "phone", "+1 312", "=cmd|' /C calc'!A0"],
                                     ["opening_stock", "p @ l", "quantity", "8", "-6"]]
    assert [c.quotePrefix for c in book["differences"][2]] == [False, False, False, True, True]
    assert sheets["held_back"] == [["entity", "file", "sheet", "row", "why (not a difference: validation held the row back)"],
                                   ["customers", "c.xlsx", "customers", 4, "not loaded: <bad> row"],
                                   ["customers", "-export.xlsx", "customers", 2, "not loaded"]]
    assert [c.quotePrefix for c in book["held_back"][3]] == [False, True, False, False, False], "the client's file name"
    assert sheets["moved_since_cutover"] == [["record", "loaded at cut-over", "odoo now"], ["p @ l", "8", "-6"]]
    assert [c.quotePrefix for c in book["moved_since_cutover"][2]] == [False, False, True]
    seen = Page()
    seen.feed(page.read_text(encoding="utf-8"))
    assert seen.charset == "utf-8"
    assert seen.blocks == [
        "Reconciliation dev", "Migration reconciliation: dev (client_db)", f"{stamp}. Result: DIFFERENCES FOUND",
        ["entity", "expected", "found", "missing", "extra", "differing", "held back"],
        ["customers", "3", "2", "1", "1", "1", "1"], ["opening_stock", "1", "0", "1", "0", "1", "0"],
        "Missing and extra records", ["entity", "status", "external ID / location"],
        ["customers", "missing in Odoo", f"{M}.customer_3"], ["customers", "extra in Odoo", f"{M}.customer_9"],
        ["opening_stock", "missing in Odoo", "-1/Basement"],
        "Differences", ["entity", "record", "field", "workbook", "Odoo"],
        ["customers", f"{M}.customer_1", "phone", "+1 312", "=cmd|' /C calc'!A0"], ["opening_stock", "p @ l", "quantity", "8", "-6"],
        "Rows held back by validation (not differences)", ["entity", "file", "sheet", "row", "why"],
        ["customers", "c.xlsx", "customers", "4", "not loaded: <bad> row"], ["customers", "-export.xlsx", "customers", "2", "not loaded"],
        "Sign-off", ["Migration lead", ""], ["Client data owner", ""], ["Date", ""]]
    assert "&lt;bad&gt;" in page.read_text(encoding="utf-8")
    assert re.findall(r"</tr>([^<]+)<", page.read_text(encoding="utf-8")) == [], "nothing between a table's rows"


def test_a_clean_reconciliation_says_so_in_the_workbook_and_the_page(tmp_path):
    rec = Reconciliation("prod", "db", [EntityCheck("customers", expected=1, found=1)])
    xlsx, page = write_reconcile_reports(rec, tmp_path)
    assert sheet_rows(xlsx)[0]["summary"][4][:2] == ["Result", "CLEAN: no differences"]
    assert "Result: <b>CLEAN: the database matches the workbooks</b>" in page.read_text(encoding="utf-8")


def test_the_page_lists_at_most_5000_rows_of_each_kind_the_workbook_all(tmp_path):
    many = [f"{M}.customer_{i}" for i in range(5001)]
    rec = Reconciliation("dev", "db", [EntityCheck("customers", missing=many, extra=many)],
                         [Difference("customers", x, "name", "a", "b") for x in many],
                         [Reject("customers", ("c.xlsx", "customers", i), "held", {}) for i in range(5001)])
    xlsx, page = write_reconcile_reports(rec, tmp_path)
    text = page.read_text(encoding="utf-8")
    assert re.findall(r"</tr>([^<]+)<", text) == [], "nothing between a table's rows"
    assert (text.count("missing in Odoo"), text.count("extra in Odoo"), text.count("<td>name</td>"), text.count("<td>held</td>")) == (
        5000, 5000, 5000, 5000)
    sheets = sheet_rows(xlsx)[0]
    assert (len(sheets["external_ids"]), len(sheets["differences"]), len(sheets["held_back"])) == (10003, 5002, 5002)


# -- reconcile() on an in-memory validation: each sheet's records by external ID, held rows, differences --------------


def loaded_into(gw, tmp_path, rows: Validation) -> None:
    report = load_validation(rows, gw, state_dir=tmp_path / "state", reports_dir=tmp_path / "reports", target_name="dev", skip_invalid=True)
    assert not report.rejects, [r.message for r in report.rejects]


def checks(rec: Reconciliation) -> list[tuple]:
    return [(e.entity, e.expected, e.found, e.missing, e.extra, e.differing, e.held_back) for e in rec.entities]


def test_each_sheet_counts_the_records_of_its_own_kind_of_external_id_and_each_differing_field(tmp_path):
    gw = blueprint_odoo()
    loaded_into(gw, tmp_path, validation({"customers": customers("1", "2"), "suppliers": [{"code": "S1", "name": "Bearings", "country": "US"}]}))
    gw.seed("res.partner", {"name": "typed in Odoo"}, f"{M}.customer_zz")  # extra
    gw.seed("res.partner", {"name": "another module's"}, f"other.customer_9")  # not this migration's
    bolt = gw.resolve_xmlids([f"{M}.customer_2"])[f"{M}.customer_2"][1]
    gw.write("res.partner", [bolt], {"name": "Bolt Ltd", "ref": "B-2"})  # two fields of one record: one record differing
    now = validation({"customers": customers("1", "2", "3"), "suppliers": [{"code": "S1", "name": "Bearings", "country": "US"}]})
    asked, fields_get = [], gw.fields_get
    gw.fields_get = lambda model, attributes: asked.append((model, attributes)) or fields_get(model, attributes)
    rec = reconcile(now, gw, target_name="dev")
    assert asked == [("res.partner", ("type", "relation", "digits", "store"))] * 2, "the stand-in answers alike whatever is asked"
    assert (rec.target, rec.database) == ("dev", "memory")
    assert checks(rec) == [("customers", 3, 2, [f"{M}.customer_3"], [f"{M}.customer_zz"], 1, 0), ("suppliers", 1, 1, [], [], 0, 0)]
    assert [(d.entity, d.key, d.field, d.expected, d.actual) for d in rec.differences] == [
        ("customers", f"{M}.customer_2", "name", "Customer 2", "Bolt Ltd"), ("customers", f"{M}.customer_2", "ref", "2", "B-2")]
    assert (rec.held, rec.moved) == ([], [])
    only = reconcile(now, gw, target_name="dev", entities=["suppliers"])
    assert (checks(only), only.differences) == ([("suppliers", 1, 1, [], [], 0, 0)], [])


def test_rows_held_back_are_listed_apart_and_their_records_are_not_extra(tmp_path):
    """A customer loaded before someone broke its row, and a contact of it: both records are in Odoo, neither
    is "extra", both rows are held back with why."""
    gw = blueprint_odoo()
    contacts = [{"code": "K1", "customer": "2", "name": "Ann"}]
    loaded_into(gw, tmp_path, validation({"customers": customers("1", "2"), "contacts": contacts}))
    rec = reconcile(validation({"customers": customers("1", "2"), "contacts": contacts}, errors=(("customers", 3),)), gw, target_name="dev")
    assert checks(rec) == [("customers", 1, 1, [], [], 0, 1), ("contacts", 0, 0, [], [], 0, 1)]
    assert [(r.entity, r.where, r.message, r.values) for r in rec.held] == [
        ("customers", ("/in/customers.xlsx", "customers", 3), "not loaded: the row has errors (`odookit migrate validate` lists them)", {}),
        ("contacts", ("/in/contacts.xlsx", "contacts", 2),
         f"not loaded: it refers to {M}.customer_2, whose row has errors; fix that row and load again",
         {"id": f"{M}.contact_k1", "parent_id/id": f"{M}.customer_2", "type": "contact", "name": "Ann", "street": "", "city": "", "zip": "",
          "country_id/id": "", "email": "", "phone": ""})]
    assert rec.differences == [] and rec.clean


def test_the_blueprints_categories_are_not_extra_but_one_typed_in_odoo_is(tmp_path):
    gw = blueprint_odoo()  # the blueprint made BRG, FAST and TOOL
    tracking = {"category_tracking": {"BRG": "lot", "FAST": "none", "TOOL": "none"}}
    sheet = {"categories": [{"code": "BB", "name": "Ball bearings", "parent": "BRG"}]}
    loaded_into(gw, tmp_path, validation(sheet, **tracking))
    gw.seed("product.category", {"name": "typed in Odoo"}, f"{M}.product_category_zz")
    rec = reconcile(validation(sheet, **tracking), gw, target_name="dev")
    assert checks(rec) == [("categories", 1, 1, [], [f"{M}.product_category_zz"], 0, 0)]


def test_rows_are_mapped_for_the_servers_version_not_the_validations(tmp_path):
    """Validated for 17, reconciled against 18: the product is compared by 18's fields (is_storable), which 17 lacks."""
    gw = blueprint_odoo("18.0")
    sheet = {"products": [{"sku": "FAST-1", "name": "Bolt", "category": "FAST", "sale_price": 0.1}]}
    loaded_into(gw, tmp_path, validation(sheet, major=17))
    product = gw.resolve_xmlids([f"{M}.product_fast_1"])[f"{M}.product_fast_1"][1]
    assert gw.read("product.product", [product], ["type", "is_storable"])[0] == {"id": product, "type": "consu", "is_storable": True}
    gw.write("product.product", [product], {"is_storable": False})
    rec = reconcile(validation(sheet, major=17), gw, target_name="dev")
    assert [(d.key, d.field, d.expected, d.actual) for d in rec.differences] == [(f"{M}.product_fast_1", "is_storable", "1", "False")]
    assert checks(rec) == [("products", 1, 1, [], [], 1, 0)]


def test_a_workspace_reconcile_connects_to_the_target_validates_at_its_precision_and_reads_the_cut_over(mig_ws, monkeypatch):
    from odookit.migration import rules

    gw = blueprint_odoo()
    gw.seed("decimal.precision", {"name": "Product Unit of Measure", "digits": 3})
    product = gw.seed("product.product", {"name": "Bolt"}, f"{M}.product_p_1")
    quant(gw, product, gw.resolve_xmlids([f"{M}.location_chi_stock"])[f"{M}.location_chi_stock"][1], 37.0)
    validated, connected = [], []

    def validate_workspace(ws, *, source=None, digits=None):
        validated.append((source, digits))
        return validation({"opening_stock": [{"warehouse": "CHI", "sku": "P-1", "quantity": 40.0}],
                           "customers": customers("1")}, digits=digits)

    monkeypatch.setattr(rules, "validate_workspace", validate_workspace)
    monkeypatch.setattr(importlib.import_module("odookit.odoo.connect"), "connect", lambda target: connected.append(target.name) or gw)
    ws = Workspace.find(mig_ws)
    label = f"{M}.product_p_1 @ {M}.location_chi_stock"
    (ws.state / "migration").mkdir()
    (ws.state / "migration" / "cutover-dev.json").write_text(json.dumps({"quants": {label: 40.0}}), encoding="utf-8")
    rec, paths = reconcile_workspace(ws, "dev", source=mig_ws / "in", entities=["opening_stock"])
    assert (connected, validated) == (["dev"], [(mig_ws / "in", {**rules.DEFAULT_DIGITS, "Product Unit of Measure": 3})])
    assert [(d.key, d.expected, d.actual) for d in rec.moved] == [(d.key, d.expected, d.actual) for d in rec.differences] == [
        (label, "40", "37")]
    assert [e.entity for e in rec.entities] == ["opening_stock"] and (rec.target, rec.database) == ("dev", "memory")
    assert paths == [mig_ws / "migration" / "reports" / "reconcile-dev.xlsx", mig_ws / "migration" / "reports" / "reconcile-dev.html"]
    assert all(p.is_file() for p in paths)


def test_opening_stock_is_compared_per_product_location_and_lot_also_on_a_sub_location(tmp_path):
    gw = blueprint_odoo()
    gw.seed("stock.location", {"name": "Shelf 1", "complete_name": "CHI/Stock/Shelf 1", "usage": "internal"})
    rows = validation({"products": [{"sku": "P-1", "name": "Bolt", "category": "BRG"}],
                       "opening_stock": [{"warehouse": "CHI", "sku": "P-1", "lot": "L1", "quantity": 5.0},
                                         {"warehouse": "CHI", "sku": "P-1", "location": "CHI/Stock/Shelf 1", "quantity": 3.0}]},
                      category_tracking={"BRG": "lot"})
    loaded_into(gw, tmp_path, rows)
    for q in gw.all("stock.quant"):  # Odoo applies inventory mode (a business rule the stand-in does not imitate)
        gw.write("stock.quant", [q["id"]], {"quantity": 4.0 if q.get("lot_id") else q["inventory_quantity_auto_apply"]})
    rec = reconcile(rows, gw, target_name="dev", entities=["opening_stock"])
    assert checks(rec) == [("opening_stock", 2, 1, [], [], 1, 0)]
    assert [(d.entity, d.key, d.field, d.expected, d.actual) for d in rec.differences] == [
        ("opening_stock", f"{M}.product_p_1 @ {M}.location_chi_stock [{M}.lot_p_1_l1]", "quantity", "5", "4")]


def test_the_reports_are_stamped_in_utc_whatever_the_machines_time_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Etc/GMT+5")  # five hours behind UTC
    time.tzset()
    try:
        before = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0, tzinfo=None)
        xlsx, page = write_reconcile_reports(Reconciliation("dev", "db"), tmp_path)
        after = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    finally:
        monkeypatch.undo()
        time.tzset()
    stamp = dt.datetime.strptime(sheet_rows(xlsx)[0]["summary"][0][0].rsplit(", ", 1)[1], "%Y-%m-%d %H:%M UTC")
    assert before <= stamp <= after
