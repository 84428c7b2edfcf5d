"""Validation's checks one at a time, on sheets built in memory: findings, typing, tax IDs, barcodes,
references, duplicates, reorder limits and the workspace helpers.

Fast on purpose (no workbook file, no great-expectations run): the mutation
benchmark runs them for each mutant of ``migration/rules.py``, where every
workbook test takes seconds. Each test asserts the exact findings (rule,
severity, row, column, cell, message) a check makes, so a check that finds
too much, too little or says it differently fails. The great-expectations
part is in ``test_catch_rules_suite.py``.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from odookit.errors import MigrationError
from odookit.migration import rules as R
from odookit.migration.entities import BY_NAME, DEFAULT_DIGITS, ENTITIES, MapContext
from odookit.migration.tuning import RulesConfig
from odookit.migration.workbook import Sheet


def sheet(entity: str, columns: dict[str, list], *, path="book.xlsx", title=None, first=2, source=None, plain=(), rows=None) -> Sheet:
    """A sheet as the reader makes it: columns in order, lettered A, B, C..., data from row ``first``."""
    headers = list(columns)
    count = len(next(iter(columns.values()))) if columns else 0
    return Sheet(entity=BY_NAME[entity], path=Path(path), title=title or entity.capitalize(), headers=headers,
                 letters={h: chr(ord("A") + i) for i, h in enumerate(headers)},
                 rows=list(rows) if rows is not None else list(range(first, first + count)),
                 columns=[list(v) for v in columns.values()], source=dict(source or {}), plain=set(plain))


def typed(s: Sheet, rules: RulesConfig | None = None, digits=None):
    """The sheet's typed frame and what typing it found."""
    collect = R._Collector(rules or RulesConfig())
    frame = R._typed(s, rules or RulesConfig(), collect.add, digits)
    return frame, found(collect)


def found(collect_or_findings) -> list[tuple]:
    findings = collect_or_findings.findings if hasattr(collect_or_findings, "findings") else collect_or_findings
    return [(f.severity, f.rule, f.sheet, f.row, f.column, f.cell, f.message) for f in findings]


def finding(**over) -> R.Finding:
    base = dict(severity="error", rule="format", entity="customers", file="book.xlsx", sheet="Customers", row=2, column="code",
                cell="A2", message="bad")
    return R.Finding(**{**base, **over})


# -- findings -------------------------------------------------------------------
def test_a_finding_line_names_the_sheet_of_a_workbook_and_only_the_file_of_a_text_file():
    assert finding().line() == "book.xlsx sheet Customers, row 2, column code (A2): error: bad [format]"
    assert finding(file="DEBTORS.CSV", header="Kundennr").line() == "DEBTORS.CSV, row 2, column Kundennr (A2): error: bad [format]"
    assert finding(file="x.tsv").line().startswith("x.tsv, row 2")
    assert finding(file="x.txt", severity="warning", rule="vat").line() == "x.txt, row 2, column code (A2): warning: bad [vat]"


def test_a_finding_as_dict_keeps_every_field_and_gives_its_value_as_text():
    assert finding(value=12.5, header="Nr").as_dict() == {
        "severity": "error", "rule": "format", "entity": "customers", "file": "book.xlsx", "sheet": "Customers", "row": 2,
        "column": "code", "cell": "A2", "message": "bad", "value": "12.5", "header": "Nr"}
    assert finding().as_dict()["value"] is None
    assert finding(value=0).as_dict()["value"] == "0"


def test_missing_is_none_nan_and_nat_only():
    assert [R._missing(v) for v in (None, float("nan"), pd.NaT, 0, "", "x", False)] == [True, True, True, False, False, False, False]

    class Odd:
        def __ne__(self, other):
            raise TypeError("no comparison")

    assert R._missing(Odd()) is False


# -- the validation result -----------------------------------------------------------
def two_sheets():
    customers = sheet("customers", {"code": ["C1", "C2", "C3"], "name": ["Acme", None, "Beta"]}, rows=[2, 5, 7])
    categories = sheet("categories", {"code": ["tools"], "name": ["Tools"]}, path="other.xlsx")
    frames = [typed(customers)[0], typed(categories)[0]]
    return customers, categories, frames


def test_rows_are_the_typed_rows_with_where_they_came_from_and_leave_out_rows_with_errors():
    customers, categories, frames = two_sheets()
    findings = [finding(row=5, column="name"), finding(row=7, severity="warning"), finding(row=2, file="other.xlsx")]
    v = R.Validation([customers, categories], frames, findings)
    assert v.errors == [findings[0], findings[2]] and v.warnings == [findings[1]]
    assert v.bad_cells() == {("book.xlsx", "Customers", 5), ("other.xlsx", "Customers", 2)}
    assert v.rows("customers") == [{"code": "C1", "name": "Acme", "_where": ("book.xlsx", "Customers", 2)},
                                   {"code": "C3", "name": "Beta", "_where": ("book.xlsx", "Customers", 7)}]
    assert v.rows("customers", valid_only=False)[1] == {"code": "C2", "name": None, "_where": ("book.xlsx", "Customers", 5)}
    assert v.rows("categories") == [{"code": "tools", "name": "Tools", "_where": ("other.xlsx", "Categories", 2)}]
    assert v.rows("products") == []


def test_load_rows_map_the_valid_rows_and_drop_the_fields_of_ignored_columns():
    customers, categories, frames = two_sheets()
    ctx = MapContext(module="acme")
    v = R.Validation([customers, categories], frames, [finding(row=5)], ignored={"categories": ["parent"]})
    source, mapped = v.load_rows("categories", ctx)
    assert [r["code"] for r in source] == ["tools"]
    assert mapped == [{"id": "acme.product_category_tools", "name": "Tools"}]
    source, mapped = v.load_rows("customers", ctx)
    assert [m["id"] for m in mapped] == ["acme.customer_c1", "acme.customer_c3"]
    assert mapped[0]["name"] == "Acme" and "ref" in mapped[0]


def test_summary_counts_rows_errors_warnings_and_distinct_bad_rows_in_entity_order():
    customers, categories, frames = two_sheets()
    findings = [finding(row=5, column="name"), finding(row=5, column="code"), finding(row=7, severity="warning"),
                finding(entity="products", row=9, file="p.xlsx"), finding(entity="categories", row=2, severity="warning")]
    v = R.Validation([customers, categories], frames, findings, expectations=[{"rule": "x"}])
    assert v.summary() == [
        {"entity": "categories", "rows": 1, "errors": 0, "warnings": 1, "bad_rows": 0},
        {"entity": "customers", "rows": 3, "errors": 2, "warnings": 1, "bad_rows": 1},
        {"entity": "products", "rows": 0, "errors": 1, "warnings": 0, "bad_rows": 1},
    ]
    data = v.as_dict()
    assert (data["errors"], data["warnings"], data["expectations"]) == (3, 2, [{"rule": "x"}])
    assert data["summary"] == v.summary() and data["findings"] == [f.as_dict() for f in findings]


def test_rows_give_empty_numbers_and_dates_as_none():
    s = sheet("supplier_prices", {"supplier": ["S1"], "sku": ["P1"], "price": [None], "valid_from": [None]})
    row = R.Validation([s], [typed(s)[0]], []).rows("supplier_prices")[0]
    assert (row["price"], row["valid_from"]) == (None, None)


def test_summary_adds_up_the_sheets_of_one_entity_and_counts_no_bad_row_for_warnings():
    customers, _, frames = two_sheets()
    more = sheet("customers", {"code": ["C8", "C9"], "name": ["x", "y"]}, path="more.xlsx")
    v = R.Validation([customers, more], [frames[0], typed(more)[0]], [finding(entity="contacts", severity="warning")])
    assert v.summary() == [{"entity": "customers", "rows": 5, "errors": 0, "warnings": 0, "bad_rows": 0},
                           {"entity": "contacts", "rows": 0, "errors": 0, "warnings": 1, "bad_rows": 0}]


def test_summary_puts_an_entity_odookit_does_not_know_last():
    customers, _, frames = two_sheets()
    v = R.Validation([customers], frames[:1], [finding(entity="zz_custom", row=3), finding(entity="contacts", row=2)])
    assert [e["entity"] for e in v.summary()] == ["customers", "contacts", "zz_custom"]


def test_a_validation_keeps_odoos_default_decimals_unless_told():
    v = R.Validation([], [], [])
    assert v.digits == DEFAULT_DIGITS and v.digits is not DEFAULT_DIGITS
    assert (v.expectations, v.ctx, v.ignored) == ([], None, {})


# -- the blueprint's part -----------------------------------------------------------
def blueprint():
    expiry = SimpleNamespace(expiration_days=30, use_days=20, removal_days=25, alert_days=5)
    return SimpleNamespace(
        invoicing=SimpleNamespace(policy="order"),
        credit=SimpleNamespace(segments=[SimpleNamespace(code="gold", limit=5000.0), SimpleNamespace(code="new", limit=0.0)],
                               default_limit=100.0),
        product_categories=[SimpleNamespace(code="food", tracking="lot", parent=None, expiry=expiry),
                            SimpleNamespace(code="fresh", tracking="serial", parent="food", expiry=None)],
        reorder=SimpleNamespace(supplier_lead_days=4, rules=[SimpleNamespace(warehouse="w1", category="food", min_qty=2.0, max_qty=9.0)],
                                min_qty=1.0, max_qty=3.0),
        warehouses=[SimpleNamespace(code="w1"), SimpleNamespace(code="w2")],
        pricelists=[SimpleNamespace(code="retail")],
        payment_terms=[SimpleNamespace(code="net30"), SimpleNamespace(code="now")],
        companies=[SimpleNamespace(fiscal_positions=[SimpleNamespace(code="eu")]), SimpleNamespace(fiscal_positions=[SimpleNamespace(code="export")])],
    )


def test_map_context_takes_the_blueprints_defaults():
    assert R.map_context(None, "acme", 17) == MapContext(module="acme", major=17)
    assert R.map_context(None, "acme") == MapContext(module="acme", major=18)
    assert R.map_context(blueprint(), "acme", 19) == MapContext(
        module="acme", major=19, invoice_policy="order", segment_limits={"gold": 5000.0, "new": 0.0}, default_limit=100.0,
        category_tracking={"food": "lot", "fresh": "serial"}, supplier_lead_days=4, reorder_limits={("w1", "food"): (2.0, 9.0)},
        reorder_default=(1.0, 3.0), category_parent={"fresh": "food"}, category_expiry={"food": (30, 20, 25, 5)})
    assert R.map_context(blueprint(), "acme").major == 18


def test_the_workbooks_add_their_categories_parents_and_products_categories_to_the_context():
    cats = sheet("categories", {"code": ["cans", "loose", None], "name": ["Cans", "Loose", "x"], "parent": ["food", None, "food"]})
    products = sheet("products", {"sku": ["P1", "P2", None], "name": ["a", "b", "c"], "category": ["cans", None, "cans"]})
    nameless = sheet("categories", {"code": ["odd"], "name": ["Odd"]})
    frames = [typed(s)[0] for s in (cats, products, nameless)]
    base = R.map_context(blueprint(), "acme")
    ctx = R._workbook_context(base, [cats, products, nameless], frames)
    assert ctx.category_parent == {"fresh": "food", "cans": "food"}
    assert ctx.product_category == {"P1": "cans"}
    assert base.category_parent == {"fresh": "food"}  # the blueprint's context is left as it was
    assert (ctx.module, ctx.category_tracking) == ("acme", base.category_tracking)
    bare = [sheet("categories", {"code": ["bare"], "parent": ["food"]}), sheet("products", {"sku": ["P7"], "category": ["bare"]})]
    ctx = R._workbook_context(base, bare, [typed(s)[0] for s in bare])
    assert (ctx.category_parent["bare"], ctx.product_category) == ("food", {"P7": "bare"})
    skuless = sheet("products", {"sku": ["P9"], "name": ["z"]})
    assert R._workbook_context(base, [skuless], [typed(skuless)[0]]).product_category == {}


def test_allowed_values_are_the_blueprints_codes_and_the_workbooks_categories():
    cats = sheet("categories", {"code": [" cans ", None, "", "loose"], "name": ["a", "b", "c", "d"]})
    other = sheet("customers", {"code": ["C1"], "name": ["x"]})
    allowed = R.allowed_values(blueprint(), [cats, other])
    assert allowed == {"warehouses": ["w1", "w2"], "categories": ["food", "fresh", "cans", "loose"], "pricelists": ["retail"],
                       "payment_terms": ["net30", "now"], "segments": ["gold", "new"], "fiscal_positions": ["eu", "export"],
                       "uoms": list(R.UOMS)}
    assert R.allowed_values(None, [cats]) == {"warehouses": [], "categories": ["cans", "loose"], "pricelists": [], "payment_terms": [],
                                              "segments": [], "fiscal_positions": [], "uoms": list(R.UOMS)}
    more = sheet("categories", {"code": ["extra"], "name": ["e"]})
    assert R.allowed_values(None, [cats, more])["categories"] == ["cans", "loose", "extra"]
    codeless = sheet("categories", {"name": ["a"]})
    assert R.allowed_values(None, [codeless])["categories"] == []


# -- the collector ------------------------------------------------------------------------
def test_the_collector_reports_each_position_with_the_raw_value_and_the_rules_severity():
    s = sheet("customers", {"code": ["C1", "C2", None], "name": ["a", "b", "c"]}, source={"code": "Kundennr"}, rows=[4, 6, 9])
    collect = R._Collector(RulesConfig(severity={"customers.name.format": "warning"}))
    collect.add(s, "code", "format", pd.Series([False, True, True]), "'{value}' is odd")
    collect.add(s, "name", "format", [0], lambda v: f"{v}!")
    collect.add(s, "name", "missing", [2], "empty", severity="error")
    collect.add(s, "lot", "lot_required", [1], "give {value}")
    collect.add(s, "name", "format", [], "never")
    collect.add(s, "name", "format", pd.Series([False, False, False]), "never")
    assert found(collect) == [
        ("error", "format", "Customers", 6, "code", "A6", "'C2' is odd"),
        ("error", "format", "Customers", 9, "code", "A9", "'' is odd"),
        ("warning", "format", "Customers", 4, "name", "B4", "a!"),
        ("error", "missing", "Customers", 9, "name", "B9", "empty"),
        ("error", "lot_required", "Customers", 6, "lot", "?6", "give "),
    ]
    values = [f.value for f in collect.findings]
    assert values == ["C2", None, "a", "c", None]
    assert [f.header for f in collect.findings] == ["Kundennr", "Kundennr", "", "", ""]
    assert {(f.entity, f.file) for f in collect.findings} == {("customers", "book.xlsx")}


def test_findings_are_one_per_cell_and_rule_in_reading_order():
    a = finding(row=3, cell="A3", message="first")
    b = finding(row=3, cell="A3", message="again")  # same cell and rule: dropped
    c = finding(row=3, cell="A3", rule="unique")
    d = finding(row=2, cell="B2", column="name")
    e = finding(row=2, cell="A2", file="a.xlsx")
    f = finding(row=2, cell="A2", sheet="Another")
    g = finding(row=10, cell="A10")
    assert R._dedupe([a, b, c, d, e, f, g]) == [e, f, d, a, c, g]


# -- typing the raw cells ----------------------------------------------------------------
def with_column(entity: str, name: str, **changes):
    """The entity with one column changed, as rules.yaml conventions change it."""
    import dataclasses

    e = BY_NAME[entity]
    return dataclasses.replace(e, columns=tuple(dataclasses.replace(c, **changes) if c.name == name else c for c in e.columns))


def products():
    return sheet("products", {"sku": ["P1", "P2", "P3", "P4", "P5", "P6"], "name": ["a"] * 6,
                              "sale_price": [1.5, " 2,25 ", True, None, "  ", 1.234],
                              "weight": [0.1234, 1, "x", 2.0, None, 0.0000000015],
                              "barcode": [4006381333931, "4006381333931", 123, None, 400638133393.0, "  "]})


def test_numbers_typed_as_text_are_read_and_reported_and_booleans_are_no_numbers():
    frame, findings = typed(products())
    assert list(frame.columns) == ["sku", "name", "sale_price", "weight", "barcode"]
    assert list(frame.index) == [0, 1, 2, 3, 4, 5]
    assert str(frame["sale_price"].dtype) == "float64" and str(frame["weight"].dtype) == "float64"
    assert frame["sale_price"].tolist()[:2] == [1.5, 2.25] and frame["sale_price"].tolist()[5] == 1.234
    assert [math.isnan(v) for v in frame["sale_price"].tolist()] == [False, False, True, True, True, False]
    assert frame["weight"].tolist()[:2] == [0.1234, 1.0] and frame["weight"].tolist()[3] == 2.0
    assert math.isnan(frame["weight"][2]) and math.isnan(frame["weight"][4])
    assert frame["barcode"].tolist()[:3] == ["4006381333931", "4006381333931", "0000000000123"]
    assert frame["barcode"][3] is None and frame["barcode"][4] == "0400638133393" and math.isnan(frame["barcode"][5])
    assert findings == [
        ("error", "text_number", "Products", 3, "sale_price", "C3", "' 2,25 ' is text, not a number: retype it as a number"),
        ("warning", "precision", "Products", 7, "sale_price", "C7",
         "1.234 has more decimals than Odoo keeps for list_price (Product Price: 2): 1.23 will be stored"),
        ("error", "text_number", "Products", 4, "weight", "D4", "'x' is text, not a number: retype it as a number"),
        ("warning", "precision", "Products", 2, "weight", "D2",
         "0.1234 has more decimals than Odoo keeps for weight (Stock Weight: 2): 0.12 will be stored"),
        ("warning", "precision", "Products", 7, "weight", "D7",
         "1.5e-09 has more decimals than Odoo keeps for weight (Stock Weight: 2): 0.00 will be stored"),
        ("error", "leading_zeros", "Products", 4, "barcode", "E4", "123 lost its leading zeros: write it as text '0000000000123'"),
        ("error", "leading_zeros", "Products", 6, "barcode", "E6", "400638133393 lost its leading zeros: write it as text '0400638133393'"),
    ]


def test_the_targets_decimals_decide_what_is_too_precise():
    frame, findings = typed(products(), digits={"Product Price": 3, "Stock Weight": 4})
    assert [f[4] for f in findings if f[1] == "precision"] == ["weight"]  # 1.234 fits 3 decimals, 0.1234 fits 4
    assert [f[6] for f in findings if f[1] == "precision"] == [
        "1.5e-09 has more decimals than Odoo keeps for weight (Stock Weight: 4): 0.0000 will be stored"]
    _, findings = typed(products(), digits={"Stock Weight": 4})  # a precision the target lacks: Odoo's default
    assert [(f[4], f[3]) for f in findings if f[1] == "precision"] == [("sale_price", 7), ("weight", 7)]
    odd = sheet("products", {"sku": ["P1"], "name": ["a"], "sale_price": [1.234]})
    odd.entity = with_column("products", "sale_price", digits="Unheard Of")  # neither the target's nor Odoo's: 2 places
    assert [f[6] for f in typed(odd, digits={"Unheard Of 2": 5})[1]] == [
        "1.234 has more decimals than Odoo keeps for list_price (Unheard Of: 2): 1.23 will be stored"]


def test_precision_tolerates_float_noise_relative_to_the_number_and_at_least_one():
    s = sheet("products", {"sku": ["P"] * 5, "name": ["a"] * 5,
                           "sale_price": [100.0000000001, 0.3 + 0.6, 1e-9, 1.5e-9, 123456.789]})
    assert [(f[3], f[6].split(" has")[0]) for f in typed(s)[1]] == [(5, "1.5e-09"), (6, "123456.789")]


def test_an_ignored_column_is_typed_but_nothing_is_reported_of_it():
    rules = RulesConfig(ignore_columns={"products": ["sale_price", "weight", "barcode"]})
    frame, findings = typed(products(), rules)
    assert findings == []
    assert math.isnan(frame["sale_price"][1])  # its text is not read as a number either
    assert frame["barcode"][2] == "123"


def test_an_integer_column_reports_fractions_and_a_date_column_reports_text():
    s = sheet("supplier_prices", {"supplier": ["S1"] * 4, "sku": ["P"] * 4, "price": [1, 2, 3, 4],
                                  "lead_days": [1, 2.5, "3", None],
                                  "valid_from": [datetime(2024, 1, 2), "2024-01-03", " ", None]})
    frame, findings = typed(s)
    assert frame["lead_days"].tolist()[:3] == [1.0, 2.5, 3.0] and math.isnan(frame["lead_days"][3])
    assert frame["valid_from"][0] == pd.Timestamp(2024, 1, 2) and frame["valid_from"][1:].isna().all()
    assert str(frame["valid_from"].dtype).startswith("datetime64")
    assert findings == [
        ("error", "text_number", "Supplier_prices", 4, "lead_days", "D4", "'3' is text, not a number: retype it as a number"),
        ("error", "format", "Supplier_prices", 3, "lead_days", "D3", "'2.5' is not a whole number"),
        ("error", "date_text", "Supplier_prices", 3, "valid_from", "E3", "'2024-01-03' is text, not a date: enter it as a date cell"),
    ]
    ignored = RulesConfig(ignore_columns={"supplier_prices": ["lead_days", "valid_from"]})
    assert typed(s, ignored)[1] == []


def test_numeric_codes_of_the_columns_width_are_padded_and_shorter_ones_reported():
    s = sheet("customers", {"code": ["000001", 123, 7.0, 123456, None], "name": ["n"] * 5})
    s.entity = with_column("customers", "code", width=6)
    frame, findings = typed(s)
    assert frame["code"].tolist() == ["000001", "000123", "000007", "123456", None]
    assert findings == [
        ("error", "leading_zeros", "Customers", 3, "code", "A3", "123 lost its leading zeros: write it as text '000123'"),
        ("error", "leading_zeros", "Customers", 4, "code", "A4", "7 lost its leading zeros: write it as text '000007'"),
    ]
    assert typed(s, RulesConfig(ignore_columns={"customers": ["code"]}))[0]["code"].tolist()[1] == "123"
    typed_as_text = sheet("customers", {"code": ["123", "000456"], "name": ["n", "m"]})  # text is what the client typed: no zeros lost
    typed_as_text.entity = with_column("customers", "code", width=6)
    frame, findings = typed(typed_as_text)
    assert (frame["code"].tolist(), findings) == (["123", "000456"], [])


def test_a_date_cell_in_a_number_column_is_no_number_and_says_so():
    s = sheet("supplier_prices", {"supplier": ["S1", "S1"], "sku": ["P", "Q"], "price": [1, 2], "min_qty": [datetime(2024, 1, 2), 5]})
    frame, findings = typed(s)
    assert pd.isna(frame["min_qty"][0]) and frame["min_qty"][1] == 5.0
    assert findings == [("error", "format", "Supplier_prices", 2, "min_qty", "D2",
                         "'2024-01-02 00:00:00' is a date, not a number: enter the number itself")]


def test_a_number_in_a_date_column_is_no_date_and_names_the_day_excel_means():
    # pandas alone would read 45292 as 1 January 1970 plus 45292 nanoseconds, and load that
    s = sheet("supplier_prices", {"supplier": ["S1"] * 3, "sku": ["P", "Q", "R"], "price": [1, 2, 3],
                                  "valid_from": [45292, 45292.5, datetime(2024, 1, 2)]})
    frame, findings = typed(s)
    assert frame["valid_from"][:2].isna().all() and frame["valid_from"][2] == pd.Timestamp(2024, 1, 2)
    assert findings == [
        ("error", "date_number", "Supplier_prices", 2, "valid_from", "D2",
         "'45292' is a number, not a date: enter it as a date cell (as Excel's day number it is 2024-01-01)"),
        ("error", "date_number", "Supplier_prices", 3, "valid_from", "D3",
         "'45292.5' is a number, not a date: enter it as a date cell (as Excel's day number it is 2024-01-01)"),
    ]
    assert typed(s, RulesConfig(ignore_columns={"supplier_prices": ["valid_from"]}))[1] == []


def test_a_date_column_reads_a_cell_of_another_kind_as_no_date():
    s = sheet("supplier_prices", {"supplier": ["S1", "S1"], "sku": ["P", "Q"], "price": [1, 2], "valid_from": [True, datetime(2024, 1, 2)]})
    frame, findings = typed(s)
    assert pd.isna(frame["valid_from"][0]) and frame["valid_from"][1] == pd.Timestamp(2024, 1, 2) and findings == []


def test_a_plain_text_column_is_taken_as_the_reader_gave_it():
    s = sheet("products", {"sku": ["P1", "P2"], "name": ["a", "b"], "barcode": ["123", None]}, plain={"barcode", "sku", "name"})
    frame, findings = typed(s)
    assert (frame["barcode"].tolist(), findings) == (["123", None], [])


def sixty_codes(*odd):
    return [f"{i:06d}" for i in range(1, 61)] + list(odd)


def test_codes_unlike_the_columns_shape_are_reported_and_numbers_that_lost_zeros_padded():
    codes = sixty_codes(123, "12", "AB-1", None)
    frame, findings = typed(sheet("customers", {"code": codes, "name": ["n"] * len(codes)}))
    assert frame["code"].tolist()[58:] == ["000059", "000060", "000123", "000012", "AB-1", None]
    assert findings == [
        ("error", "leading_zeros", "Customers", 62, "code", "A62",
         "123 lost its leading zeros (60 of 63 codes of the column have 6 digits, e.g. 000001): write it as text '000123'"),
        ("error", "leading_zeros", "Customers", 63, "code", "A63",
         "12 lost its leading zeros (60 of 63 codes of the column have 6 digits, e.g. 000001): write it as text '000012'"),
        ("error", "format", "Customers", 64, "code", "A64",
         "'AB-1' is unlike the other codes of the column (60 of 63 look like 000001): check it lost nothing, "
         "or declare the format in rules.yaml conventions"),
    ]


def test_a_longer_number_or_a_letter_code_is_unlike_the_shape_but_lost_no_zeros():
    codes = sixty_codes(1234567, "1234567")
    assert [(f[1], f[3]) for f in typed(sheet("customers", {"code": codes, "name": ["n"] * 62}))[1]] == [("format", 62), ("format", 63)]
    letters = [f"C{i:04d}" for i in range(1, 21)] + ["C12"]
    assert typed(sheet("customers", {"code": letters, "name": ["n"] * 21}))[1] == [
        ("error", "format", "Customers", 22, "code", "A22", "'C12' is unlike the other codes of the column (20 of 21 look like C0001): "
                                                           "check it lost nothing, or declare the format in rules.yaml conventions")]


def test_shapes_are_not_checked_on_a_column_with_a_format_an_ignored_column_or_too_few_codes():
    codes = sixty_codes("AB-1")
    s = sheet("customers", {"code": codes, "name": ["n"] * 61})
    s.entity = with_column("customers", "code", pattern=r"^\d{6}$")
    assert typed(s)[1] == []
    s = sheet("customers", {"code": codes, "name": ["n"] * 61})
    assert typed(s, RulesConfig(ignore_columns={"customers": ["code"]}))[1] == []
    few = [f"{i:06d}" for i in range(1, 19)] + ["AB-1"]
    assert typed(sheet("customers", {"code": few, "name": ["n"] * 19}))[1] == []
    s = sheet("customers", {"code": sixty_codes(12), "name": ["n"] * 61})
    s.entity = with_column("customers", "code", width=4)  # the engagement's width wins over the shape
    assert typed(s)[0]["code"].tolist()[-1] == "0012"


def test_the_shape_check_returns_the_column_untouched_when_nothing_is_odd():
    as_text = pd.Series(sixty_codes())
    emitted = []
    out = R._shape_outliers(sheet("customers", {"code": sixty_codes(), "name": ["n"] * 60}), "code", as_text,
                            lambda *a: emitted.append(a))
    assert out.tolist() == as_text.tolist() and emitted == []


def test_cells_as_text():
    nan = float("nan")
    flags, texts = R._as_text([" a ", "", "  ", None, 5, 5.0, 5.5, nan, True, datetime(2024, 1, 2)])
    assert flags == [False, False, False, False, True, True, True, True, False, False]
    assert [t if isinstance(t, str) or t is None else "NaN" for t in texts] == [
        "a", "NaN", "NaN", None, "5", "5", "5.5", "NaN", "True", "2024-01-02 00:00:00"]

    class Blank:
        def __str__(self):
            return "  "

    assert math.isnan(R._cell_text(Blank(), False, nan)) and R._cell_text(7, True, nan) == "7"


def test_helpers_of_typing():
    assert [R._num_text(v) for v in (5.0, 5.5, "x", 5, -2.0)] == ["5", "5.5", "x", "5", "-2"]
    assert [R._rounded_text(v, p) for v, p in ((" 2,255 ", 2), ("abc", 2), (1.0049, 3), (2.5, 0), (7, 1))] == [
        "2.26", "abc", "1.005", "3", "7.0"]
    series = pd.Series([" x", "  ", 5, None, ""], dtype=object)
    is_str = series.map(type).eq(str)
    assert R._nonblank(series, is_str).tolist() == [True, False, False, False, False]
    assert R._nonblank(pd.Series([1, 2]), pd.Series([False, False])).tolist() == [False, False]
    text = pd.Series(["1", "22", "333"])
    assert R._padded(text, pd.Series([True, False, True]), 3).tolist() == ["001", "22", "333"]
    assert text.tolist() == ["1", "22", "333"]  # the column given is left as it was


# -- tax IDs and barcodes ---------------------------------------------------------------
@pytest.fixture
def no_vat_cache(monkeypatch):
    """Each country's schemes looked up afresh (the cache outlives a test)."""
    monkeypatch.setattr(R, "_VAT_MODULES", {})
    return R


def test_a_country_has_its_vat_scheme_or_its_business_numbers_once_each(no_vat_cache):
    names = {cc: [m.__name__ for m in R._vat_modules(cc)] for cc in ("de", "us", "ca", "zz")}
    assert names == {"de": ["stdnum.de.vat"], "us": ["stdnum.us.ein", "stdnum.us.tin"], "ca": ["stdnum.ca.bn"], "zz": []}
    assert R._VAT_MODULES["de"] is R._vat_modules("de")  # looked up once


def test_a_tax_id_is_valid_with_or_without_its_countrys_prefix(no_vat_cache):
    assert [R._valid_for(t, "us") for t in ("US04-2103594", "us-04-2103594", "US 04-2103594", "04-2103594", "042103594")] == [True] * 5
    assert [R._valid_for(t, "us") for t in ("00-2103594", "US00-2103594", "04-210359", "DE136695976", "USX04-2103594")] == [False] * 5
    assert R._valid_for("DE136695976", "de") and not R._valid_for("EL136695976", "de")  # only Greece's numbers say EL
    assert [R._valid_for(t, "gr") for t in ("EL094259216", "094259216", "GR094259216")] == [True, True, True]
    assert R._valid_for("123456782", "ca") and R._valid_for("CA123456782", "ca") and not R._valid_for("123456789", "ca")
    assert not R._valid_for("DE136695976", "zz")


def test_an_ein_is_checked_by_its_campus_prefix_and_layout():
    assert [R._ein_valid(t) for t in ("04-2103594", "042103594", "04-0000000", "00-2103594", "04-210359", "04-21035941", "abc", "4")] == [
        True, True, True, False, False, False, False, False]


def test_the_countries_a_tax_id_is_valid_for(no_vat_cache):
    assert R._countries_of("NL004495445B01") == ["nl"]
    assert R._countries_of("136695976") == ["de"]  # no prefix: the EU countries whose check it passes
    assert R._countries_of("EL094259216") == ["gr"]
    assert R._countries_of("US04-2103594") == ["us"]
    assert R._countries_of("AB12") == [] and R._countries_of("") == [] and R._countries_of("US00-2103594") == []


def test_country_names_are_english_with_their_code():
    assert (R.country_name("nl"), R.country_name("DE"), R.country_name("zz"), R.country_name("q1")) == (
        "Netherlands (NL)", "Germany (DE)", "Unknown Region (ZZ)", "Q1")


VERDICTS = [
    ("NL004495445B01", "NL", (None, "")),
    (" 136695976 ", " de ", (None, "")),
    ("US04-2103594", "US", (None, "")),  # the country as upper case, and a prefix only odookit strips
    ("NL004495445B01", None, (None, "")),  # valid somewhere, and no country to hold it against
    ("123", "ZZ", (None, "")),  # no scheme for the country and no prefix: nothing to check against
    ("NL004495445B01", "DE", ("vat_country", "'NL004495445B01' is a valid tax ID of Netherlands (NL), but the address is in Germany (DE): "
                                             "check the number or the country")),
    ("AB12", "ZZ", ("vat", "'AB12' is not a valid tax ID for Unknown Region (ZZ), nor for any other country")),
    ("garbage", None, ("vat", "'garbage' is not a valid tax ID of any country (the row has no country)")),
    ("garbage", "", ("vat", "'garbage' is not a valid tax ID of any country (the row has no country)")),
    (" XX123 ", "US", ("vat", "'XX123' is not a valid tax ID for United States (US), nor for any other country")),
]


@pytest.mark.parametrize(("value", "country", "verdict"), VERDICTS)
def test_the_verdict_on_a_tax_id_and_the_rows_country(no_vat_cache, value, country, verdict):
    assert R._vat_verdict(value, country) == verdict


def test_a_tax_id_valid_in_two_countries_names_both():
    # a nine-digit number passes Germany's check and may pass another's: every country but the row's is named
    verdict = R._vat_verdict("FR40303265045", "BE")
    assert verdict == ("vat_country", "'FR40303265045' is a valid tax ID of France (FR), but the address is in Belgium (BE): "
                                      "check the number or the country")


def test_a_tax_id_valid_in_several_other_countries_names_each():
    message = R._vat_verdict("648454207", "NL")[1]
    # stdnum answers a set, whose order changes from one process to the next: the countries are named in code order
    assert message == ("'648454207' is a valid tax ID of Bulgaria (BG), Portugal (PT), but the address is in Netherlands (NL): "
                       "check the number or the country")


def test_barcodes_are_checked_by_length_and_check_digit():
    values = ["4006381333931", "4006381333932", "96385074", "96385075", "036000291452", "036000291453", "10012345678902",
              "10012345678903", "12345", "400-6381333931", "", "４００６３８１３３３９３１"]
    assert R.ean_invalid(values) == {"4006381333932", "96385075", "036000291453", "10012345678903", "12345", ""}
    assert R.ean_invalid([]) == set() and R.ean_invalid(["4006381333931"] * 3) == set()
    # a colon is the character after 9: in place of a 0 it leaves the weighted sum as it was, yet it is no digit
    assert R.ean_invalid(["40:6381333931", "4006381333931", "9638507:"]) == {"40:6381333931", "9638507:"}


def test_format_checks_report_bad_tax_ids_and_barcodes_once_per_cell(monkeypatch):
    customers = sheet("customers", {"code": ["C1", "C2", "C3", "C4", "C5"], "name": ["n"] * 5,
                                    "vat": ["NL004495445B01", "NL004495445B01", None, "garbage", "NL004495445B01"],
                                    "country": ["NL", "DE", "NL", "NL", "NL"]})
    collect = R._Collector(RulesConfig())
    calls = []
    real = R._vat_verdict
    monkeypatch.setattr(R, "_vat_verdict", lambda v, c: calls.append((v, c)) or real(v, c))
    R._format_checks(customers, typed(customers)[0], RulesConfig(), collect)
    assert found(collect) == [
        ("warning", "vat_country", "Customers", 3, "vat", "C3", "'NL004495445B01' is a valid tax ID of Netherlands (NL), but the address is in "
                                                                "Germany (DE): check the number or the country"),
        ("error", "vat", "Customers", 5, "vat", "C5", "'garbage' is not a valid tax ID for Netherlands (NL), nor for any other country"),
    ]
    assert calls == [("NL004495445B01", "NL"), ("NL004495445B01", "DE"), ("garbage", "NL")]  # each pair once


def test_canadian_and_us_numbers_get_the_verdict_each_would_get_alone():
    import random

    rng = random.Random(7)
    values, countries = [], []
    for _ in range(150):  # nine digits: about one in ten passes the BN's Luhn sum
        values.append("".join(rng.choice("0123456789") for _ in range(9)))
        countries.append(rng.choice(["CA", " ca ", "Ca"]))
    for _ in range(150):  # EINs with and without their dash, every campus prefix, a few of another layout
        body = f"{rng.randrange(100):02d}" + rng.choice(["-", "", "/", " "]) + f"{rng.randrange(10**7):07d}"
        values.append(body if rng.random() < 0.9 else body + rng.choice(["1", "a", "-"]))
        countries.append(rng.choice(["US", " us ", "uS"]))
    for _ in range(200):  # one character just past the digits or a letter in place of a digit: no number at all
        digits = [rng.choice("0123456789") for _ in range(9)]
        digits[rng.randrange(9)] = rng.choice(":;ABZ")
        values.append("".join(digits))
        countries.append("CA")
        ein = [rng.choice("0123456789") for _ in range(9)]
        ein[rng.randrange(2, 9)] = rng.choice(":;A")
        values.append("".join(ein[:2]) + rng.choice(["-", ""]) + "".join(ein[2:]))
        countries.append("US")
    values += ["１２３４５６７８２", "12345678a", "1234567 8", "04-2103594", "042103594", "00-2103594", "04-210359a", "04‐2103594", "A4-2103594"]
    countries += ["CA", "CA", "CA", "US", "US", "US", "US", "US", "US"]
    s = sheet("customers", {"code": [f"C{i}" for i in range(len(values))], "name": ["n"] * len(values), "vat": values, "country": countries})
    collect = R._Collector(RulesConfig())
    R._format_checks(s, typed(s)[0], RulesConfig(), collect)
    alone = [(i + 2, *R._vat_verdict(v, c)) for i, (v, c) in enumerate(zip(values, countries, strict=True))]
    assert [(f.row, f.rule, f.message) for f in collect.findings] == [v for v in alone if v[1]]
    assert 30 < len(collect.findings) < len(values) - 30  # both verdicts were met, in both countries
    assert sum(v.count(":") for v in values) == sum(f.value.count(":") for f in collect.findings)  # no number has a colon
    assert {f.value for f in collect.findings} >= {"00-2103594", "04-210359a"}


def test_format_checks_without_a_country_column_hold_the_tax_id_against_no_country():
    s = sheet("suppliers", {"code": ["S1", "S2"], "name": ["n", "m"], "vat": ["garbage", "NL004495445B01"]})
    collect = R._Collector(RulesConfig())
    R._format_checks(s, typed(s)[0], RulesConfig(), collect)
    assert found(collect) == [("error", "vat", "Suppliers", 2, "vat", "C2", "'garbage' is not a valid tax ID of any country (the row has no country)")]


def test_format_checks_on_barcodes_and_what_they_leave_alone():
    s = sheet("products", {"sku": ["P1", "P2", "P3", "P4"], "name": ["n"] * 4,
                           "barcode": ["4006381333931", "4006381333932", None, "4006381333932"]})
    collect = R._Collector(RulesConfig())
    R._format_checks(s, typed(s)[0], RulesConfig(), collect)
    assert found(collect) == [
        ("error", "barcode", "Products", 3, "barcode", "C3", "'4006381333932' is not a valid EAN barcode (length or check digit)"),
        ("error", "barcode", "Products", 5, "barcode", "C5", "'4006381333932' is not a valid EAN barcode (length or check digit)"),
    ]
    collect = R._Collector(RulesConfig())
    ignored = RulesConfig(ignore_columns={"products": ["barcode"]})
    R._format_checks(s, typed(s)[0], ignored, collect)
    empty = sheet("customers", {"code": ["C1"], "name": ["n"], "vat": [None], "email": ["garbage"]})
    R._format_checks(empty, typed(empty)[0], RulesConfig(), collect)
    assert collect.findings == []


# -- across sheets --------------------------------------------------------------------
def cross(sheets, ctx=None, rules=None):
    collect = R._Collector(rules or RulesConfig())
    frames = [typed(s)[0] for s in sheets]
    ctx = ctx or R._workbook_context(R.map_context(blueprint(), "acme"), sheets, frames)
    R._cross_sheet(sheets, frames, ctx, rules or RulesConfig(), collect)
    return [(f.severity, f.rule, f.file, f.row, f.column, f.cell, f.message) for f in collect.findings]


def stock_sheets(**stock_columns):
    cats = sheet("categories", {"code": ["food", "cans"], "name": ["F", "C"]}, path="c.xlsx")
    prods = sheet("products", {"sku": ["P1", "P2", "P3", "P4", "P5", None], "name": ["a"] * 6,
                               "category": ["cans", "food", "fresh", "fresh", "food", "food"],
                               "tracking": [None, None, None, "lot", "none", "lot"]}, path="p.xlsx")
    stock = sheet("opening_stock", stock_columns or {
        "warehouse": ["w1", "w1", "w2", "w1", "w1", "w1", "w1"],
        "location": ["w1/Stock", "w2/Stock", None, "w1/Stock/A", "w1", "w1/Stock", "w1/Stock"],
        "sku": ["P1", "P2", "P3", "P9", "P4", "P5", "P3"],
        "lot": [None, None, "L1", None, "L2", None, "L3"],
        "quantity": [1, 2, 3, 4, 5, 6, 1]}, path="s.xlsx")
    return [cats, prods, stock]


def test_references_locations_lots_and_serials_of_opening_stock():
    assert cross(stock_sheets()) == [
        ("error", "unique", "c.xlsx", 2, "code", "A2", "'food' is a blueprint category: change it in blueprints/, not here"),
        ("error", "reference", "s.xlsx", 5, "sku", "C5", "'P9' is not in the products sheet"),
        ("error", "reference", "s.xlsx", 3, "location", "B3",
         "'w2/Stock' is not a location of the row's warehouse (its full name starts with the warehouse code)"),
        ("error", "reference", "s.xlsx", 6, "location", "B6",
         "'w1' is not a location of the row's warehouse (its full name starts with the warehouse code)"),
        ("error", "lot_required", "s.xlsx", 3, "lot", "D3", "this product is tracked by lot/serial: give the lot number"),
        ("error", "range", "s.xlsx", 4, "quantity", "E4", "3 units of a serial-tracked product in one row: one row per serial number"),
    ]


def test_only_a_categories_sheet_may_not_reuse_a_blueprint_category_and_two_serials_are_one_too_many():
    customers = sheet("customers", {"code": ["food"], "name": ["A customer coded like a category"]})
    assert cross([customers]) == []
    prods = sheet("products", {"sku": ["P3"], "name": ["a"], "category": ["fresh"]}, path="p.xlsx")
    stock = sheet("opening_stock", {"warehouse": ["w1", "w1"], "sku": ["P3", "P3"], "lot": ["L1", "L2"], "quantity": [2, 1]}, path="s.xlsx")
    assert cross([prods, stock]) == [
        ("error", "range", "s.xlsx", 2, "quantity", "D2", "2 units of a serial-tracked product in one row: one row per serial number")]


def test_a_location_is_checked_whatever_other_columns_the_sheet_has():
    stock = sheet("opening_stock", {"warehouse": ["w1"], "location": ["w2/Stock"]}, path="s.xlsx")
    assert [f[1:5] for f in cross([stock])] == [("reference", "s.xlsx", 2, "location")]


def test_opening_stock_without_a_lot_column_names_the_product_of_a_tracked_row():
    found_ = cross(stock_sheets(warehouse=["w1", "w1"], sku=["P2", "P1"]))
    assert found_[1:] == [("error", "lot_required", "s.xlsx", 2, "sku", "B2", "this product is tracked by lot/serial: give the lot number")]


def test_products_without_tracking_or_category_columns_track_nothing():
    prods = sheet("products", {"sku": ["P1"], "name": ["a"]}, path="p.xlsx")
    stock = sheet("opening_stock", {"warehouse": ["w1"], "sku": ["P1"], "quantity": [3]}, path="s.xlsx")
    assert cross([prods, stock]) == []
    lots = sheet("products", {"sku": ["P1"], "name": ["a"], "tracking": ["serial"]}, path="p.xlsx")
    assert [f[1] for f in cross([lots, stock])] == ["lot_required", "range"]
    cats = sheet("products", {"sku": ["P1"], "name": ["a"], "category": ["fresh"]}, path="p.xlsx")
    assert [f[1] for f in cross([cats, stock])] == ["lot_required", "range"]


def test_a_reference_to_a_sheet_not_read_says_so_and_an_ignored_column_is_not_checked():
    contacts = sheet("contacts", {"code": ["K1", "K2"], "customer": ["C1", None], "name": ["x", "y"]}, path="k.xlsx")
    prices = sheet("supplier_prices", {"supplier": ["S1"], "sku": ["P1"], "price": [1]}, path="sp.xlsx")
    assert cross([contacts, prices]) == [
        ("error", "reference", "k.xlsx", 2, "customer", "B2", "'C1' is unknown: no customers sheet was read"),
        ("error", "reference", "sp.xlsx", 2, "supplier", "A2", "'S1' is unknown: no suppliers sheet was read"),
        ("error", "reference", "sp.xlsx", 2, "sku", "B2", "'P1' is unknown: no products sheet was read"),
    ]
    customers = sheet("customers", {"code": ["C1"], "name": ["n"]})
    assert cross([customers, contacts]) == []
    rules = RulesConfig(ignore_columns={"supplier_prices": ["supplier", "sku"]})
    assert cross([prices], rules=rules) == []
    assert cross([sheet("suppliers", {"code": ["S1"], "name": ["n"]}), prices])[0][6] == "'P1' is unknown: no products sheet was read"
    assert R._keys([customers, contacts], [typed(customers)[0], typed(contacts)[0]], "customers", "code") == {"C1"}
    assert R._keys([contacts], [typed(contacts)[0]], "contacts", "customer") == {"C1"}
    assert R._keys([contacts], [typed(contacts)[0]], "contacts", "phone") == set()


def reorder(**columns):
    prods = sheet("products", {"sku": ["P1", "P2"], "name": ["a", "b"], "category": ["food", "cans"]})
    rules = sheet("reorder_rules", columns, path="r.xlsx")
    sheets = [prods, rules]
    frames = [typed(s)[0] for s in sheets]
    ctx = R._workbook_context(R.map_context(blueprint(), "acme"), sheets, frames)
    collect = R._Collector(RulesConfig())
    R._min_above_max(sheets, frames, ctx, collect)
    return [(f.rule, f.row, f.column, f.cell, f.message) for f in collect.findings]


def test_a_reorder_rule_whose_min_exceeds_its_max_with_the_blueprints_defaults_filling_empty_cells():
    assert reorder(warehouse=["w1", "w2", "w1", "w1", "w2"], sku=["P1", "P1", "P2", "P2", "P2"],
                   min_qty=[None, 5, None, 4.5, 3], max_qty=[None, None, 1, 2, None]) == [
        ("range", 3, "max_qty", "D3", "min 5 is above max 3 (blueprint defaults fill empty cells)"),
        ("range", 5, "max_qty", "D5", "min 4.5 is above max 2 (blueprint defaults fill empty cells)"),
    ]
    # P1 is food: the blueprint's w1/food rule (2..9) holds, so 8 is within; P2 (cans) takes the defaults 1..3
    assert reorder(warehouse=["w1", "w1"], sku=["P1", "P2"], min_qty=[8, 3]) == []
    assert reorder(warehouse=["w1", "w1"], sku=["P1", "P2"], min_qty=[10, 4]) == [
        ("range", 2, "min_qty", "C2", "min 10 is above max 9 (blueprint defaults fill empty cells)"),
        ("range", 3, "min_qty", "C3", "min 4 is above max 3 (blueprint defaults fill empty cells)")]
    assert reorder(warehouse=["w1"], sku=["P2"], max_qty=[0.5]) == [
        ("range", 2, "max_qty", "C2", "min 1 is above max 0.5 (blueprint defaults fill empty cells)")]


def test_a_reorder_sheet_without_min_or_max_takes_the_blueprints_and_one_without_a_product_is_left_alone():
    bp = blueprint()
    bp.reorder.min_qty, bp.reorder.max_qty = 5.0, 1.0
    prods = sheet("products", {"sku": ["P2"], "name": ["b"], "category": ["cans"]})
    rows = sheet("reorder_rules", {"warehouse": ["w2"], "sku": ["P2"]}, path="r.xlsx")
    warehouse_only = sheet("reorder_rules", {"warehouse": ["w2"]}, path="w.xlsx")
    sheets = [prods, rows, warehouse_only]
    frames = [typed(s)[0] for s in sheets]
    collect = R._Collector(RulesConfig())
    R._min_above_max(sheets, frames, R._workbook_context(R.map_context(bp, "acme"), sheets, frames), collect)
    assert found(collect) == [("error", "range", "Reorder_rules", 2, "sku", "B2", "min 5 is above max 1 (blueprint defaults fill empty cells)")]


def duplicates(*sheets):
    collect = R._Collector(RulesConfig())
    R._duplicates(list(sheets), [typed(s)[0] for s in sheets], collect)
    return [(f.severity, f.file, f.row, f.column, f.message) for f in collect.findings]


def partners():
    cust = sheet("customers", {"code": ["C1", "C2", "C3", "C4", "C5", "C6", "C7"],
                               "name": ["Acme Inc.", "ACME", "Beta GmbH", "beta", "Acme", "Gamma", "The Acme company"],
                               "vat": ["NL 0044-95445B01", "nl004495445b01", None, "DE136695976", None, "DE136695976", "NL004495445B01"],
                               "street": ["Main St 1", "main st. 1", "X", "Y", "Other 2", None, "MAIN ST 1"],
                               "zip": ["1000", "1000", None, None, "1000", None, "1000"]}, rows=[2, 3, 5, 8, 9, 10, 12])
    sup = sheet("suppliers", {"code": ["S1", "S2"], "name": ["Delta", "Eps"], "vat": ["DE136695976", "FR40303265045"]}, path="s.xlsx")
    return cust, sup


def test_likely_duplicates_share_a_tax_id_or_a_name_and_address_and_name_the_other_row():
    cust, _ = partners()
    assert duplicates(cust) == [
        ("warning", "book.xlsx", 2, "vat", "same tax ID as row 12"),
        ("warning", "book.xlsx", 3, "vat", "same tax ID as row 2"),
        ("warning", "book.xlsx", 8, "vat", "same tax ID as row 10"),
        ("warning", "book.xlsx", 10, "vat", "same tax ID as row 8"),
        ("warning", "book.xlsx", 12, "vat", "same tax ID as row 2"),
        ("warning", "book.xlsx", 2, "name", "same name and address as row 12"),
        ("warning", "book.xlsx", 3, "name", "same name and address as row 2"),
        ("warning", "book.xlsx", 12, "name", "same name and address as row 2"),
    ]


def test_a_company_both_customer_and_supplier_is_named_from_both_sides():
    cust, sup = partners()
    assert duplicates(cust, sup)[8:] == [
        ("warning", "book.xlsx", 8, "vat", "same tax ID as supplier S1: two partners in Odoo for one company"),
        ("warning", "book.xlsx", 10, "vat", "same tax ID as supplier S1: two partners in Odoo for one company"),
        ("warning", "s.xlsx", 2, "vat", "same tax ID as customer C6: two partners in Odoo for one company"),
    ]
    assert duplicates(sup) == []


def test_names_repeat_only_with_the_same_address_and_sheets_without_those_columns_are_skipped():
    named = sheet("suppliers", {"code": ["S1", "S2", "S3"], "name": ["Delta Ltd", "delta", ""]})
    assert duplicates(named) == [("warning", "book.xlsx", 2, "name", "same name and address as row 3"),
                                 ("warning", "book.xlsx", 3, "name", "same name and address as row 2")]
    blank = sheet("suppliers", {"code": ["S1", "S2"], "name": [None, " "]})
    assert duplicates(blank) == []
    streets = sheet("suppliers", {"code": ["S1", "S2"], "name": ["Delta", "Delta"], "street": ["A 1", "B 2"]})
    assert duplicates(streets) == []
    zips = sheet("suppliers", {"code": ["S1", "S2"], "name": ["Delta", "Delta"], "zip": ["1000", "2000"]})
    assert duplicates(zips) == []
    assert duplicates(sheet("suppliers", {"code": [], "name": []}), sheet("products", {"sku": ["P1", "P1"], "name": ["a", "a"]})) == []
    no_codes = sheet("customers", {"name": ["X", "Y"], "vat": ["DE136695976", None]})
    assert duplicates(no_codes, sheet("suppliers", {"code": ["S1"], "name": ["Z"], "vat": ["DE136695976"]})) == []


def test_a_tax_id_repeated_nowhere_still_lets_names_repeat_and_empty_tax_ids_match_nothing():
    named = sheet("suppliers", {"code": ["S1", "S2"], "name": ["Delta", "Delta"], "vat": ["DE136695976", None]})
    assert duplicates(named) == [("warning", "book.xlsx", 2, "name", "same name and address as row 3"),
                                 ("warning", "book.xlsx", 3, "name", "same name and address as row 2")]
    customers = sheet("customers", {"code": ["C1"], "name": ["Acme"], "vat": [None]})
    suppliers = sheet("suppliers", {"code": ["S1"], "name": ["Beta"], "vat": [""]})
    assert duplicates(customers, suppliers) == []


def test_a_name_and_address_compare_field_by_field():
    # 'main 1' + '23' and 'main 12' + '3' read the same run together; they are two addresses
    s = sheet("customers", {"code": ["C1", "C2"], "name": ["Acme", "Acme"], "street": ["Main 1", "Main 12"], "zip": ["23", "3"]})
    assert duplicates(s) == []


def test_the_partner_in_both_roles_is_found_past_sheets_of_other_kinds():
    cust, sup = partners()
    bare = sheet("customers", {"code": ["C99"], "name": ["Omega"]}, path="bare.xlsx")
    products = sheet("products", {"sku": ["P1"], "name": ["Bolt"]}, path="p.xlsx")
    assert [f[1:4] for f in duplicates(products, bare, cust, sup) if "two partners" in f[4]] == [
        ("book.xlsx", 8, "vat"), ("book.xlsx", 10, "vat"), ("s.xlsx", 2, "vat")]


def test_a_name_or_tax_id_holding_a_line_break_is_normalised_like_the_others():
    assert R._normal_name(pd.Series(["Acme\nInc.", "Beta  GmbH", None, "-Acme-", "The  Co", " x  y ", "a.b"])).tolist() == [
        "acme", "beta", "", "acme", "", "x y", "a b"]
    assert R._normal_name(pd.Series(["-Acme-", "Beta  GmbH", None, "The  Co", " x  y ", "a.b"])).tolist() == ["acme", "beta", "", "", "x y", "a b"]
    assert R._vat_keys(pd.Series(["NL 00\n44", "de-1", None, float("nan")])).tolist() == ["NL0044", "DE1", "", ""]
    assert R._vat_keys(pd.Series(["nl 00.44", "de-1", None])).tolist() == ["NL0044", "DE1", ""]
    assert R._vat_keys(pd.Series(["XI 123", "I123", "x1", "123x"])).tolist() == ["XI123", "I123", "X1", "123X"]  # X is a letter like any


def test_names_and_tax_ids_are_normalised_for_comparison():
    assert R._normal_name(pd.Series(["The Acme Co., Ltd.", None, "  Beta   GmbH ", "Corp-Delta LLC", "Limited SA Company", "Acme  Tools, Inc."],
                                    index=[5, 6, 7, 8, 9, 10])).to_dict() == {5: "acme", 6: "", 7: "beta", 8: "delta", 9: "", 10: "acme tools"}
    assert R._vat_keys(pd.Series(["nl 0044.95", None, float("nan"), "", 123], index=[1, 2, 3, 4, 5])).to_dict() == {
        1: "NL004495", 2: "", 3: "", 4: "", 5: "123"}


# -- the engagement's columns -------------------------------------------------------
def test_the_engagements_conventions_make_columns_required_and_a_missing_one_is_one_clear_error():
    from odookit.migration.conventions import EntityConventions

    rules = RulesConfig(conventions={"customers": EntityConventions(required=["email", "phone", "city"])})
    s = sheet("customers", {"code": ["C1"], "name": ["n"]})
    with pytest.raises(MigrationError) as err:
        R._engage([s], rules, R.allowed_values(None, [s]))
    assert (err.value.message, err.value.where, err.value.fix) == (
        "required column 'city' is missing (and email, phone)", "book.xlsx sheet Customers, row 1, column C",
        "Add a 'city' header (migration/rules.yaml conventions require it); `odookit migrate template customers` shows the expected layout.")
    s.letters = {"code": "D", "name": "AB"}  # the next column after the client's last one
    with pytest.raises(MigrationError) as err:
        R._engage([s], RulesConfig(conventions={"customers": EntityConventions(required=["email"])}), R.allowed_values(None, [s]))
    assert (err.value.message, err.value.where) == ("required column 'email' is missing", "book.xlsx sheet Customers, row 1, column AC")
    s.mapping = Path("/x/migration/mappings/debitoren.yaml")
    with pytest.raises(MigrationError) as err:
        R._engage([s], rules, R.allowed_values(None, [s]))
    assert (err.value.message, err.value.where, err.value.fix) == (
        "required column 'city' of customers has no header mapped to it (nor email, phone)", "mappings/debitoren.yaml, sheet Customers",
        "Map the client's header for it under columns: (migration/rules.yaml conventions require it), or ask for an export that has it.")
    with pytest.raises(MigrationError) as err:
        R._engage([s], RulesConfig(conventions={"customers": EntityConventions(required=["email"])}), R.allowed_values(None, [s]))
    assert err.value.message == "required column 'email' of customers has no header mapped to it"
    with pytest.raises(MigrationError) as err:
        R._engage([s], RulesConfig(conventions={"customers": EntityConventions(required=["email", "phone"])}), R.allowed_values(None, [s]))
    assert err.value.message == "required column 'email' of customers has no header mapped to it (nor phone)"
    nothing = sheet("customers", {})  # a sheet of no column at all: the first column is where the header goes
    with pytest.raises(MigrationError) as err:
        R._engage([nothing], RulesConfig(), R.allowed_values(None, [nothing]))
    assert (err.value.message, err.value.where) == ("required column 'code' is missing (and name)", "book.xlsx sheet Customers, row 1, column A")


def test_a_required_column_of_codes_the_blueprint_lacks_is_not_required():
    from odookit.migration.conventions import EntityConventions

    rules = RulesConfig(conventions={"customers": EntityConventions(required=["segment"])})
    s = sheet("customers", {"code": ["C1"], "name": ["n"]})
    out = R._engage([s], rules, R.allowed_values(None, [s]))
    assert not s.entity.column("segment").required and "segment" in out.ignore_columns["customers"]
    with pytest.raises(MigrationError):
        R._engage([s], rules, R.allowed_values(blueprint(), [s]))  # with the blueprint's segments it is


def test_engaging_applies_the_conventions_and_ignores_the_columns_of_codes_the_blueprint_lacks():
    from odookit.migration.conventions import ColumnConvention, EntityConventions

    conventions = {"customers": EntityConventions(code=ColumnConvention(pattern=r"^\d{6}$", example="000123"), recommended=["email"])}
    rules = RulesConfig(conventions=conventions, ignore_columns={"customers": ["street", "segment"], "products": []})
    customers = sheet("customers", {"code": ["000001"], "name": ["n"], "segment": ["gold"]})
    cats = sheet("categories", {"code": ["a"], "name": ["A"], "parent": ["x"]})
    out = R._engage([customers, cats], rules, R.allowed_values(None, [customers, cats]))
    assert out.ignore_columns == {"customers": ["street", "segment", "payment_term", "pricelist", "fiscal_position"]}
    assert rules.ignore_columns == {"customers": ["street", "segment"], "products": []}  # the rules given are left as they were
    assert (out.conventions, out.severity) == (rules.conventions, rules.severity)
    assert customers.entity.column("code").pattern == r"^\d{6}$" and customers.entity.column("email").recommended
    assert cats.entity == BY_NAME["categories"]
    with_codes = R._engage([sheet("customers", {"code": ["C1"], "name": ["n"]})], RulesConfig(), R.allowed_values(blueprint(), []))
    assert with_codes.ignore_columns == {}


def test_a_column_of_codes_the_blueprint_lacks_is_said_once_per_sheet():
    s = sheet("customers", {"code": ["C1", "C2", "C3", "C4"], "name": ["n"] * 4, "segment": [None, "gold", "", "new"],
                            "payment_term": [None, None, None, None]})
    collect = R._Collector(RulesConfig())
    R._unsourced_warnings([s, sheet("customers", {"code": ["C9"], "name": ["x"]})], R.allowed_values(None, [s]), collect)
    assert found(collect) == [("warning", "allowed", "Customers", 3, "segment", "C3",
                               "the blueprint defines no credit segment codes: the 2 values of column segment are neither checked nor loaded")]
    collect = R._Collector(RulesConfig(severity={"allowed": "error"}))
    R._unsourced_warnings([s], R.allowed_values(blueprint(), [s]), collect)
    assert collect.findings == []
    later = sheet("customers", {"code": ["C1"], "name": ["n"], "pricelist": ["retail"]})  # a later column, the earlier ones absent
    collect = R._Collector(RulesConfig())
    R._unsourced_warnings([later], R.allowed_values(None, [later]), collect)
    assert [f.message for f in collect.findings] == [
        "the blueprint defines no pricelist codes: the 1 values of column pricelist are neither checked nor loaded"]


# -- the workspace's part -------------------------------------------------------------
def test_source_files_are_the_workbooks_of_the_folder_or_the_file_given(tmp_path):
    migration = tmp_path / "ws" / "migration"
    migration.mkdir(parents=True)
    ws = SimpleNamespace(root=tmp_path / "ws", migration=migration)
    for name in ("b.xlsx", "a.csv", "~$b.xlsx", "notes.txt", ".hidden.xlsx"):
        (migration / name).write_text("x")
    (migration / "sub").mkdir()
    assert R.source_files(ws, None) == [migration / "a.csv", migration / "b.xlsx"]
    assert R.source_files(ws, Path("migration")) == [migration / "a.csv", migration / "b.xlsx"]  # relative to the workspace
    assert R.source_files(ws, migration / "b.xlsx") == [migration / "b.xlsx"]
    assert R.source_files(ws, Path("later.xlsx")) == [ws.root / "later.xlsx"]  # a file not there yet: reading it says so
    with pytest.raises(MigrationError) as err:
        R.source_files(ws, migration / "sub")
    assert (err.value.message, err.value.fix) == (
        f"no workbook in {migration / 'sub'}", "Put the client's .xlsx files there; `odookit migrate template` writes empty ones.")
    with pytest.raises(MigrationError) as err:
        R.source_files(ws, tmp_path / "nowhere")
    assert (err.value.message, err.value.fix) == (
        f"{tmp_path / 'nowhere'} does not exist", "Create it and put the client's workbooks in it, or pass --source.")


def test_source_files_prefer_a_relative_folder_that_exists_where_odookit_runs(tmp_path, monkeypatch):
    here = tmp_path / "here"
    (here / "exports").mkdir(parents=True)
    (here / "exports" / "c.xlsx").write_text("x")
    (tmp_path / "ws" / "exports").mkdir(parents=True)
    monkeypatch.chdir(here)
    ws = SimpleNamespace(root=tmp_path / "ws", migration=tmp_path / "ws" / "migration")
    assert R.source_files(ws, Path("exports")) == [Path("exports") / "c.xlsx"]


def test_target_digits_are_the_targets_precisions_over_odoos_defaults():
    calls = []

    class Gateway:
        def search_read(self, model, domain, fields):
            calls.append((model, domain, fields))
            return [{"name": "Product Price", "digits": 4}, {"name": "Volume", "digits": None}, {"name": "Rate", "digits": 6},
                    {"name": "Odd"}]

    assert R.target_digits(Gateway()) == {**DEFAULT_DIGITS, "Product Price": 4, "Rate": 6}
    assert calls == [("decimal.precision", [], ["name", "digits"])]


def test_a_fresh_template_of_headers_only_validates_to_nothing(tmp_path, book):
    path = book(tmp_path / "template.xlsx", {"Customers": [["code", "name", "country"]], "Products": [["sku", "name", "category"]]})
    v = R.validate_files([path], blueprint=None, module="acme")
    assert (v.findings, v.expectations, [len(f) for f in v.frames]) == ([], [], [0, 0])
    assert [list(f.columns) for f in v.frames] == [["code", "name", "country"], ["sku", "name", "category"]]


def test_the_legal_suffixes_are_exactly_inc_ltd_llc_co_corp_corporation_company_limited_gmbh_sa_the():
    import random
    import re

    plain = re.compile(r"\b(inc|ltd|llc|co|corp|corporation|company|limited|gmbh|sa|the)\b")
    words = ["inc", "ltd", "llc", "co", "corp", "corporation", "company", "limited", "gmbh", "sa", "the"]
    rng = random.Random(9)
    pieces = words + [w[:-1] for w in words] + [w + "s" for w in words] + ["cop", "corpo", "compan", "l", "c", "x1", "", "9"]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    assert [R.LEGAL_SUFFIX.sub("_", t) for t in texts] == [plain.sub("_", t) for t in texts]
    assert R.LEGAL_SUFFIX.sub("_", "the acme corporation co ltd") == "_ acme _ _ _"
