"""Validation's great-expectations part on tiny sheets: the expectations each sheet gets, the batch GE
reads, one suite run, and ``validate_files`` from a small workbook to its findings.

The GE context is built once per process (as odookit builds it), so each
validation here costs a tenth of a second: the mutation benchmark of
``migration/rules.py`` runs these for each mutant of the functions they call.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from odookit.errors import MigrationError
from odookit.migration import rules as R
from odookit.migration.conventions import ColumnConvention, EntityConventions
from odookit.migration.entities import BY_NAME, DEFAULT_DIGITS
from odookit.migration.tuning import ExtraExpectation, RulesConfig

from .test_catch_rules_units import blueprint, found, sheet, typed, with_column

CODE = "^(?=.*[0-9A-Za-z]).{1,64}$"
USABLE = "'{value}' is not a usable code (1 to 64 characters, with a letter or digit)"


def specs_of(entity, headers, allowed=None, rules=None):
    """(expectation type, its arguments, rule, column, message, severity) of each expectation of a sheet."""
    specs = R._suite_for(entity if not isinstance(entity, str) else BY_NAME[entity], headers,
                         allowed if allowed is not None else R.allowed_values(blueprint(), []), rules or RulesConfig())
    return [(e.expectation_type, dict(e.configuration.kwargs), rule, column, message, severity) for e, rule, column, message, severity in specs]


# -- the expectations of a sheet ---------------------------------------------------------
def test_a_customers_sheet_gets_required_recommended_format_allowed_range_and_unique_expectations():
    assert specs_of("customers", ["code", "name", "vat", "country", "email", "segment", "credit_limit", "street"]) == [
        ("expect_column_values_to_not_be_null", {"column": "code"}, "required", "code", "code is required", None),
        ("expect_column_values_to_match_regex", {"column": "code", "regex": CODE}, "format", "code", USABLE, None),
        ("expect_column_values_to_not_be_null", {"column": "name"}, "required", "name", "name is required", None),
        ("expect_column_values_to_not_be_null", {"column": "vat"}, "missing", "vat", "vat is empty", None),
        ("expect_column_values_to_not_be_null", {"column": "country"}, "missing", "country", "country is empty", None),
        ("expect_column_values_to_match_regex", {"column": "country", "regex": "^[A-Z]{2}$"}, "format", "country",
         "'{value}' is not an ISO country code (US)", None),
        ("expect_column_values_to_match_regex", {"column": "email", "regex": R.EMAIL_RE}, "format", "email",
         "'{value}' is not an e-mail address", None),
        ("expect_column_values_to_be_in_set", {"column": "segment", "value_set": ["gold", "new"]}, "allowed", "segment",
         "'{value}' is not a known credit segment (gold, new)", None),
        ("expect_column_values_to_be_between", {"column": "credit_limit", "min_value": 0.0, "max_value": 10000000.0}, "range",
         "credit_limit", "{value} is outside 0..1e+07", None),
        ("expect_column_values_to_be_unique", {"column": "code"}, "unique", "code", "'{value}' appears more than once", None),
    ]


def test_a_sheet_keyed_on_several_columns_gets_one_compound_unique_expectation():
    assert specs_of("kit_components", ["kit", "component", "quantity"]) == [
        ("expect_column_values_to_not_be_null", {"column": "kit"}, "required", "kit", "kit is required", None),
        ("expect_column_values_to_match_regex", {"column": "kit", "regex": CODE}, "format", "kit", USABLE, None),
        ("expect_column_values_to_not_be_null", {"column": "component"}, "required", "component", "component is required", None),
        ("expect_column_values_to_match_regex", {"column": "component", "regex": CODE}, "format", "component", USABLE, None),
        ("expect_column_values_to_not_be_null", {"column": "quantity"}, "required", "quantity", "quantity is required", None),
        ("expect_column_values_to_be_between", {"column": "quantity", "min_value": 0.0001, "max_value": 1000000.0}, "range", "quantity",
         "{value} is outside 0.0001..1e+06", None),
        ("expect_compound_columns_to_be_unique", {"column_list": ["kit", "component"]}, "unique", "kit", "kit + component appears more than once", None),
    ]
    # only the key columns the sheet has: one left is still a key
    assert specs_of("supplier_prices", ["supplier", "price"])[-1] == (
        "expect_column_values_to_be_unique", {"column": "supplier"}, "unique", "supplier", "'{value}' appears more than once", None)


def test_choices_long_lists_barcodes_and_an_ignored_key():
    allowed = {**R.allowed_values(blueprint(), []), "categories": [f"c{i}" for i in range(13)]}
    rules = RulesConfig(ignore_columns={"products": ["sku", "weight"]})
    assert specs_of("products", ["sku", "name", "barcode", "category", "uom", "tracking", "weight"], allowed, rules) == [
        ("expect_column_values_to_not_be_null", {"column": "name"}, "required", "name", "name is required", None),
        ("expect_column_values_to_be_unique", {"column": "barcode"}, "unique", "barcode",
         "'{value}' is also the barcode of another row (Odoo refuses duplicate barcodes)", None),
        ("expect_column_values_to_not_be_null", {"column": "category"}, "required", "category", "category is required", None),
        ("expect_column_values_to_be_in_set", {"column": "category", "value_set": [f"c{i}" for i in range(13)]}, "allowed", "category",
         "'{value}' is not a known category (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, ...)", None),
        ("expect_column_values_to_be_in_set", {"column": "uom", "value_set": list(R.UOMS)}, "allowed", "uom",
         f"'{{value}}' is not a known unit of measure ({', '.join(R.UOMS)})", None),
        ("expect_column_values_to_be_in_set", {"column": "tracking", "value_set": ["none", "lot", "serial"]}, "allowed", "tracking",
         "'{value}' is not a known tracking (none, lot, serial)", None),
    ]
    twelve = {**allowed, "categories": [f"c{i}" for i in range(12)]}
    assert specs_of("products", ["category"], twelve)[1][4] == "'{value}' is not a known category (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11)"


def test_a_source_the_blueprint_leaves_empty_allows_nothing_and_a_plain_choice_without_a_source_checks_nothing():
    allowed = {"warehouses": [], "categories": []}
    assert specs_of("opening_stock", ["warehouse"], allowed) == [
        ("expect_column_values_to_not_be_null", {"column": "warehouse"}, "required", "warehouse", "warehouse is required", None),
        ("expect_column_values_to_be_in_set", {"column": "warehouse", "value_set": []}, "allowed", "warehouse",
         "'{value}' is not a known warehouse ()", None),
        ("expect_column_values_to_be_unique", {"column": "warehouse"}, "unique", "warehouse", "'{value}' appears more than once", None),
    ]
    unique = [("expect_column_values_to_be_unique", {"column": "warehouse"}, "unique", "warehouse", "'{value}' appears more than once", None)]
    assert specs_of(with_column("opening_stock", "warehouse", source=None, required=False), ["warehouse"], allowed) == unique
    assert specs_of(with_column("opening_stock", "warehouse", source="nowhere", required=False), ["warehouse"], allowed) == unique


def test_the_engagements_format_replaces_the_neutral_one_with_its_example():
    customers = with_column("customers", "code", pattern=r"^\d{6}$", example="000123")
    assert specs_of(customers, ["code"])[1] == ("expect_column_values_to_match_regex", {"column": "code", "regex": r"^\d{6}$"}, "format",
                                               "code", "'{value}' is not of the form ^\\d{6}$ (e.g. 000123)", None)
    bare = with_column("customers", "code", pattern=r"^C\d+$")
    assert specs_of(bare, ["code"])[1][4] == "'{value}' is not of the form ^C\\d+$"
    email = with_column("customers", "email", pattern=r"^.+@acme\.nl$")
    assert specs_of(email, ["email"]) == [("expect_column_values_to_match_regex", {"column": "email", "regex": r"^.+@acme\.nl$"}, "format",
                                           "email", "'{value}' is not of the form ^.+@acme\\.nl$", None)]


def test_rules_yaml_expectations_join_the_sheet_they_name():
    extras = [
        ExtraExpectation(entity="customers", column="name", expectation="expect_column_value_lengths_to_be_between",
                         kwargs={"min_value": 2, "max_value": 40}, severity="warning", message="'{value}' is too long or short"),
        ExtraExpectation(entity="customers", expectation="expect_table_row_count_to_be_between", kwargs={"min_value": 1}),
        ExtraExpectation(entity="customers", column="phone", expectation="expect_column_values_to_not_be_null"),
        ExtraExpectation(entity="suppliers", column="name", expectation="expect_column_values_to_not_be_null"),
    ]
    specs = specs_of("customers", ["code", "name"], rules=RulesConfig(extra_expectations=extras[2:] + extras[:2]))[4:]
    assert specs == [
        ("expect_column_value_lengths_to_be_between", {"column": "name", "min_value": 2, "max_value": 40}, "extra", "name",
         "'{value}' is too long or short", "warning"),
        ("expect_table_row_count_to_be_between", {"min_value": 1}, "extra", "code",
         "expect_table_row_count_to_be_between failed for '{value}'", "error"),
    ]


def test_a_rules_yaml_expectation_with_wrong_arguments_names_rules_yaml():
    wrong = ExtraExpectation(entity="customers", column="name", expectation="expect_column_value_lengths_to_be_between",
                             kwargs={"min_value": "two"})
    with pytest.raises(MigrationError) as err:
        R._suite_for(BY_NAME["customers"], ["code", "name"], {}, RulesConfig(extra_expectations=[wrong]))
    assert err.value.where == "rules.yaml" and err.value.message.startswith("invalid arguments for expect_column_value_lengths_to_be_between")


# -- the batch GE reads ----------------------------------------------------------------------
def test_the_batch_holds_only_the_columns_the_expectations_read_and_codes_as_categories():
    s = sheet("customers", {"code": ["C1", "C2", "C3"], "name": ["a", "b", "c"], "street": ["x", "y", "z"],
                            "country": ["NL", "DE", "NL"], "segment": ["gold", None, "gold"], "credit_limit": [1, 2, 3]})
    frame = typed(s)[0]
    specs = R._suite_for(s.entity, s.headers, R.allowed_values(blueprint(), []), RulesConfig())
    batch = R._batch(s.entity, frame, specs)
    assert list(batch.columns) == ["code", "name", "country", "segment", "credit_limit"]
    assert list(batch.index) == [0, 1, 2]
    text = "object" if R._text_dtype() is None else "str"  # pandas 3's text dtype, the one GE's regex check casts to
    assert [str(batch[c].dtype) for c in batch.columns] == [text, text, "category", "category", "float64"]
    assert batch["country"].tolist() == ["NL", "DE", "NL"] and list(batch["country"].cat.categories) == ["NL", "DE"]
    assert batch["segment"].tolist()[0] == "gold" and pd.isna(batch["segment"][1])
    assert batch["code"].tolist() == ["C1", "C2", "C3"] and batch["credit_limit"].tolist() == [1.0, 2.0, 3.0]
    compound = sheet("kit_components", {"kit": ["K"], "component": ["P"], "uom": ["Units"]})
    kspecs = [x for x in R._suite_for(compound.entity, compound.headers, {}, RulesConfig()) if x[1] == "unique"]
    assert list(R._batch(compound.entity, typed(compound)[0], kspecs).columns) == ["kit", "component"]
    choice = sheet("contacts", {"code": ["K1"], "type": ["invoice"]})
    cspecs = R._suite_for(choice.entity, choice.headers, {}, RulesConfig())
    assert str(R._batch(choice.entity, typed(choice)[0], cspecs)["type"].dtype) == "category"


def test_with_a_rules_yaml_expectation_the_batch_is_the_whole_typed_frame():
    s = sheet("customers", {"code": ["C1"], "name": ["a"], "street": ["x"]})
    frame = typed(s)[0]
    rules = RulesConfig(extra_expectations=[ExtraExpectation(entity="customers", expectation="expect_table_row_count_to_be_between",
                                                             kwargs={"min_value": 1})])
    assert R._batch(s.entity, frame, R._suite_for(s.entity, s.headers, {}, rules)) is frame


# -- one run of a sheet's suite ------------------------------------------------------------
def run(s, allowed=None, rules=None):
    frame = typed(s, rules)[0]
    specs = R._suite_for(s.entity, s.headers, allowed if allowed is not None else R.allowed_values(blueprint(), []), rules or RulesConfig())
    return [(rule, column, indexes, success) for _, rule, column, _, _, indexes, success in R._run_suite(s, frame, specs)]


def test_one_run_gives_each_expectation_its_unexpected_rows():
    s = sheet("customers", {"code": ["C1", "C2", "C2", None], "name": ["A", None, "B", "C"], "country": ["US", "us", "DE", None],
                            "email": ["a@b.com", "bad", "x@y.de", None], "credit_limit": [5, -1, 20000000, None]})
    assert run(s) == [
        ("required", "code", [3], False),
        ("format", "code", [], True),
        ("required", "name", [1], False),
        ("missing", "country", [3], False),
        ("format", "country", [1], False),
        ("format", "email", [1], False),
        ("range", "credit_limit", [1, 2], False),
        ("unique", "code", [1, 2], False),
    ]


def test_a_compound_key_reports_the_rows_sharing_it_as_positions():
    s = sheet("supplier_prices", {"supplier": ["S1", "S1", "S1", "S2"], "sku": ["P1", "P1", "P2", "P1"], "min_qty": [1, 1, 1, 1],
                                  "price": [1, 2, 3, 4]})
    assert run(s)[-1] == ("unique", "supplier", [0, 1], False)


def test_the_allowed_values_are_checked_on_their_codes():
    s = sheet("products", {"sku": ["P1", "P2", "P3"], "name": ["a", "b", "c"], "category": ["food", "zinc", "fresh"],
                           "tracking": ["lot", "LOT", None]})
    assert [r for r in run(s) if r[0] == "allowed"] == [("allowed", "category", [1], False), ("allowed", "tracking", [1], False)]


def test_each_run_is_its_own_suite_and_an_empty_suite_runs_nothing():
    s = sheet("customers", {"code": ["C1"], "name": ["A"]})
    frame = typed(s)[0]
    specs = R._suite_for(s.entity, s.headers, {}, RulesConfig())
    before = R._GX.get("n", 0)
    R._run_suite(s, frame, specs)
    R._run_suite(s, frame, specs)
    assert R._GX["n"] == before + 2
    assert [e.meta["odookit_spec"] for e, *_ in specs] == list(range(len(specs)))
    assert R._run_suite(s, frame, []) == [] and R._GX["n"] == before + 2


def test_a_rules_yaml_expectation_runs_on_the_whole_frame():
    rules = RulesConfig(extra_expectations=[ExtraExpectation(entity="customers", column="name", expectation="expect_column_value_lengths_to_be_between",
                                                             kwargs={"max_value": 3})])
    s = sheet("customers", {"code": ["C1", "C2"], "name": ["Acme", "Bo"]})
    assert run(s, rules=rules)[-1] == ("extra", "name", [0], False)


def test_the_ge_context_is_built_once_with_one_dataframe_batch(monkeypatch):
    import logging
    import os

    from great_expectations.execution_engine import pandas_execution_engine

    monkeypatch.setattr(R, "_GX", {})
    monkeypatch.delenv("GX_ANALYTICS_ENABLED", raising=False)
    monkeypatch.setattr(pandas_execution_engine, "HASH_THRESHOLD", 10**9)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    ctx, batch = R._gx_context()
    assert os.environ["GX_ANALYTICS_ENABLED"] == "false"
    assert logging.getLogger("great_expectations").level == logging.ERROR
    assert pandas_execution_engine.HASH_THRESHOLD == 0
    assert (batch.name, batch.data_asset.name, batch.data_asset.datasource.name) == ("whole", "sheet", "odookit")
    assert ctx.variables.progress_bars == {"globally": False, "metric_calculations": False}
    assert R._GX == {"ctx": ctx, "batch": batch, "n": 0}
    assert R._gx_context() == (ctx, batch)
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "true")
    monkeypatch.setattr(R, "_GX", {})
    R._gx_context()
    assert os.environ["GX_ANALYTICS_ENABLED"] == "true"  # the user's own choice is kept


def test_a_great_expectations_project_where_odookit_runs_is_left_alone(monkeypatch, tmp_path):
    (tmp_path / "gx").mkdir()
    (tmp_path / "gx" / "great_expectations.yml").write_text("# the client's own GE project\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(R, "_GX", {})
    ctx, _ = R._gx_context()
    assert type(ctx).__name__ == "EphemeralDataContext"
    assert [p.name for p in (tmp_path / "gx").iterdir()] == ["great_expectations.yml"]
    assert (tmp_path / "gx" / "great_expectations.yml").read_text(encoding="utf-8") == "# the client's own GE project\n"


# -- validate_files: a workbook to its findings ----------------------------------------------
CUSTOMERS = [["code", "name", "country", "email", "segment", "credit_limit", "vat"],
             ["C1", "Acme", "NL", "a@acme.nl", "gold", 100, "NL004495445B01"],
             ["C1", None, "nl", "bad", "zinc", -5, "garbage"],
             ["C3", "Beta", "DE", None, None, "7", None]]


@pytest.fixture
def workbook(tmp_path, book):
    return book(tmp_path / "book.xlsx", {"Customers": CUSTOMERS, "Products": [["sku", "name", "category"], ["P1", "Bolt", "food"], ["P2", "Nut", "cans"]],
                                         "Categories": [["code", "name"], ["cans", "Cans"]]})


def test_a_workbook_validates_to_its_findings_in_reading_order(workbook):
    v = R.validate_files([workbook], blueprint=blueprint(), module="acme")
    assert found(v.findings) == [
        ("error", "unique", "Customers", 2, "code", "A2", "'C1' appears more than once"),
        ("error", "unique", "Customers", 3, "code", "A3", "'C1' appears more than once"),
        ("error", "required", "Customers", 3, "name", "B3", "name is required"),
        ("error", "format", "Customers", 3, "country", "C3", "'nl' is not an ISO country code (US)"),
        ("error", "format", "Customers", 3, "email", "D3", "'bad' is not an e-mail address"),
        ("error", "allowed", "Customers", 3, "segment", "E3", "'zinc' is not a known credit segment (gold, new)"),
        ("error", "range", "Customers", 3, "credit_limit", "F3", "-5 is outside 0..1e+07"),
        ("error", "vat", "Customers", 3, "vat", "G3", "'garbage' is not a valid tax ID for Netherlands (NL), nor for any other country"),
        ("error", "text_number", "Customers", 4, "credit_limit", "F4", "'7' is text, not a number: retype it as a number"),
        ("warning", "missing", "Customers", 4, "vat", "G4", "vat is empty"),
    ]
    assert [f.value for f in v.findings[:3]] == ["C1", "C1", None] and v.findings[6].value == -5
    assert [(s.entity.name, len(f)) for s, f in zip(v.sheets, v.frames, strict=True)] == [("customers", 3), ("products", 2), ("categories", 1)]
    assert v.frames[0]["credit_limit"].tolist()[2] == 7.0
    assert (v.ignored, v.digits, v.ctx.module, v.ctx.product_category, v.ctx.category_parent) == (
        {}, DEFAULT_DIGITS, "acme", {"P1": "food", "P2": "cans"}, {"fresh": "food"})
    assert len(v.expectations) == 10 + 6 + 4
    assert v.expectations[2] == {"entity": "customers", "file": "book.xlsx", "sheet": "Customers", "expectation": "expect_column_values_to_not_be_null",
                                 "column": "name", "rule": "required", "success": False, "unexpected": 1}
    assert v.expectations[9] == {"entity": "customers", "file": "book.xlsx", "sheet": "Customers", "expectation": "expect_column_values_to_be_unique",
                                 "column": "code", "rule": "unique", "success": False, "unexpected": 2}
    assert v.expectations[-1] == {"entity": "categories", "file": "book.xlsx", "sheet": "Categories", "expectation": "expect_column_values_to_be_unique",
                                  "column": "code", "rule": "unique", "success": True, "unexpected": 0}
    assert v.summary()[1] == {"entity": "customers", "rows": 3, "errors": 9, "warnings": 1, "bad_rows": 3}


def test_validation_takes_the_targets_decimals_only_the_entities_asked_and_the_rules_severities(workbook):
    rules = RulesConfig(severity={"customers.email.format": "warning"}, ignore_columns={"customers": ["vat"]})
    v = R.validate_files([workbook], blueprint=blueprint(), module="acme", only={"customers"}, digits={"Product Price": 4}, rules=rules)
    assert [s.entity.name for s in v.sheets] == ["customers"]
    assert v.digits == {"Product Price": 4} and v.ignored == {"customers": ["vat"]}
    assert [(f.severity, f.rule, f.row, f.column) for f in v.findings if f.row == 3] == [
        ("error", "unique", 3, "code"), ("error", "required", 3, "name"), ("error", "format", 3, "country"), ("warning", "format", 3, "email"),
        ("error", "allowed", 3, "segment"), ("error", "range", 3, "credit_limit")]
    assert all(e["column"] != "vat" for e in v.expectations)


def test_validation_without_a_blueprint_ignores_blueprint_codes_and_says_so(workbook):
    v = R.validate_files([workbook], blueprint=None)
    assert v.ignored == {"customers": ["segment", "payment_term", "pricelist", "fiscal_position"]}
    assert v.ctx.module == "odookit"
    assert [(f.severity, f.rule, f.row, f.column, f.message) for f in v.findings if f.rule == "allowed"] == [
        ("warning", "allowed", 2, "segment", "the blueprint defines no credit segment codes: the 2 values of column segment are neither checked nor loaded"),
        ("error", "allowed", 2, "category", "'food' is not a known category (cans)")]


def test_cross_sheet_duplicates_reorder_and_kit_checks_run_over_all_the_workbooks(tmp_path, book):
    one = book(tmp_path / "one.xlsx", {"Products": [["sku", "name", "category"], ["P1", "Bolt", "food"], ["K1", "Kit", "food"]]})
    two = book(tmp_path / "two.xlsx", {
        "Opening_stock": [["warehouse", "sku", "quantity"], ["w1", "P9", 1]],
        "Suppliers": [["code", "name", "vat"], ["S1", "Delta", "DE136695976"], ["S2", "Delta", "DE136695976"]],
        "Reorder_rules": [["warehouse", "sku", "min_qty"], ["w1", "P1", 12]],
        "Kit_components": [["kit", "component", "quantity"], ["K1", "K1", 1]]})
    v = R.validate_files([one, two], blueprint=blueprint(), module="acme")
    assert [(f.file, f.sheet, f.row, f.rule, f.column) for f in v.findings] == [
        ("two.xlsx", "Kit_components", 2, "reference", "component"),
        ("two.xlsx", "Opening_stock", 2, "reference", "sku"),
        ("two.xlsx", "Reorder_rules", 2, "range", "min_qty"),
        ("two.xlsx", "Suppliers", 2, "duplicate", "name"),
        ("two.xlsx", "Suppliers", 2, "duplicate", "vat"),
        ("two.xlsx", "Suppliers", 3, "duplicate", "name"),
        ("two.xlsx", "Suppliers", 3, "duplicate", "vat"),
    ]


def test_a_rules_yaml_expectation_reports_at_its_own_severity(workbook):
    rules = RulesConfig(extra_expectations=[
        ExtraExpectation(entity="customers", column="name", expectation="expect_column_value_lengths_to_be_between",
                         kwargs={"max_value": 3}, severity="warning", message="'{value}' is longer than 3")])
    v = R.validate_files([workbook], blueprint=blueprint(), rules=rules, only={"customers"})
    assert [(f.severity, f.row, f.message) for f in v.findings if f.rule == "extra"] == [
        ("warning", 2, "'Acme' is longer than 3"), ("warning", 4, "'Beta' is longer than 3")]


def test_every_mapping_given_has_its_codes_checked(tmp_path):
    from odookit.migration.mapping import read_mapping

    (tmp_path / "mappings").mkdir()
    for name, code in (("a", "platinum"), ("b", "gold")):
        (tmp_path / f"{name}.csv").write_text("Nr;Name;Group\nC1;Acme;Gold\n", encoding="utf-8")
        (tmp_path / "mappings" / f"{name}.yaml").write_text(
            f"file: {name}.csv\nsheets:\n  {name}:\n    entity: customers\n    columns:\n      Nr: code\n      Name: name\n      Group: segment\n"
            f"    values:\n      segment:\n        Gold: {code}\n", encoding="utf-8")
    mappings = {tmp_path / f"{n}.csv": read_mapping(tmp_path / "mappings" / f"{n}.yaml") for n in ("a", "b")}
    with pytest.raises(MigrationError) as err:
        R.validate_files([tmp_path / "b.csv"], blueprint=blueprint(), mappings=mappings)
    assert err.value.message == "'platinum' (for 'Gold') is not a segment code of the blueprint"


def test_a_mappings_codes_are_checked_against_the_blueprint_before_any_sheet_is(tmp_path):
    from odookit.migration.mapping import read_mapping

    (tmp_path / "debtors.csv").write_text("Nr;Name;Group\nC1;Acme;Gold\n", encoding="utf-8")
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "debtors.yaml").write_text(
        "file: debtors.csv\nsheets:\n  debtors:\n    entity: customers\n    columns:\n      Nr: code\n      Name: name\n      Group: segment\n"
        "    values:\n      segment:\n        Gold: platinum\n", encoding="utf-8")
    mapping = read_mapping(tmp_path / "mappings" / "debtors.yaml")
    with pytest.raises(MigrationError) as err:
        R.validate_files([tmp_path / "debtors.csv"], blueprint=blueprint(), mappings={tmp_path / "debtors.csv": mapping})
    assert err.value.message == "'platinum' (for 'Gold') is not a segment code of the blueprint"
    (tmp_path / "mappings" / "debtors.yaml").write_text(
        (tmp_path / "mappings" / "debtors.yaml").read_text(encoding="utf-8").replace("platinum", "gold"), encoding="utf-8")
    good = read_mapping(tmp_path / "mappings" / "debtors.yaml")
    v = R.validate_files([tmp_path / "debtors.csv"], blueprint=blueprint(), mappings={tmp_path / "debtors.csv": good})
    assert v.rows("customers")[0]["segment"] == "gold"
    assert v.sheets[0].source == {"code": "Nr", "name": "Name", "segment": "Group"}


# -- the workspace's validation ------------------------------------------------------------
def test_the_workspaces_blueprint_rules_and_module_are_the_ones_validated_with(mig_ws, book):
    from odookit.workspace import Workspace

    book(mig_ws / "migration" / "a.xlsx", {"Products": [["sku", "name", "category", "sale_price"], ["brg-1", "Bearing", "BRG", 1.234],
                                                        ["BRG-2", "Bolt", "ZZZ", 2]]})
    book(mig_ws / "migration" / "b.xlsx", {"Categories": [["code", "name"], ["x", "X"]]})
    ws = Workspace.find(mig_ws)
    v = R.validate_workspace(ws)
    assert [(f.file, f.row, f.rule, f.column, f.message) for f in v.findings] == [
        ("a.xlsx", 2, "format", "sku", "'brg-1' is not of the form ^[A-Z0-9][A-Z0-9-]{2,31}$ (e.g. BRG-6204)"),  # rules.yaml's
        ("a.xlsx", 2, "precision", "sale_price", "1.234 has more decimals than Odoo keeps for list_price (Product Price: 2): 1.23 will be stored"),
        ("a.xlsx", 3, "allowed", "category", "'ZZZ' is not a known category (FAST, BRG, HYD, SAFE, TOOL, x)"),  # the blueprint's
        ("b.xlsx", 2, "format", "code", "'x' is not of the form ^[A-Z0-9_]{2,32}$ (e.g. FAST)"),
    ]
    assert v.ctx.module == "nis_config" and v.ctx.category_tracking["BRG"] == "lot"
    one = R.validate_workspace(ws, source=Path("migration") / "a.xlsx", digits={"Product Price": 3}, only={"products"})
    assert [(f.file, f.rule) for f in one.findings] == [("a.xlsx", "format"), ("a.xlsx", "allowed")]
    assert one.digits == {"Product Price": 3}
    assert R.validate_workspace(ws, only={"categories"}).sheets[0].path.name == "b.xlsx"
    assert [s.path.name for s in R.validate_workspace(ws, source=mig_ws / "migration" / "b.xlsx").sheets] == ["b.xlsx"]


def test_a_workspaces_mappings_are_found_by_the_file_they_name(neutral_ws):
    from odookit.workspace import Workspace

    mig_ws = neutral_ws
    migration = mig_ws / "migration"
    (migration / "mappings").mkdir()
    (migration / "debtors.csv").write_text("Nr;Name\nC1;Acme\n", encoding="utf-8")
    (migration / "mappings" / "debtors.yaml").write_text(
        "file: debtors.csv\nsheets:\n  debtors:\n    entity: customers\n    columns:\n      Nr: code\n      Name: name\n", encoding="utf-8")
    ws = Workspace.find(mig_ws)
    paths = [migration / "debtors.csv", migration / "other.xlsx", mig_ws / "elsewhere" / "debtors.annotated.xlsx"]
    found_ = R.workspace_mappings(ws, paths)
    assert list(found_) == [migration / "debtors.csv", mig_ws / "elsewhere" / "debtors.annotated.xlsx"]
    assert {m.path.name for m in found_.values()} == {"debtors.yaml"}
    assert R.workspace_mappings(ws, [str(migration / "debtors.csv")]) == {migration / "debtors.csv": found_[migration / "debtors.csv"]}
    v = R.validate_workspace(ws, source=migration / "debtors.csv")
    assert (v.sheets[0].source, v.sheets[0].mapping, v.findings) == (
        {"code": "Nr", "name": "Name"}, migration / "mappings" / "debtors.yaml", [])


def test_a_key_given_in_two_workbooks_is_refused_in_the_later_one_naming_the_first(tmp_path, book):
    # the later row would overwrite the first record in Odoo, or count a quant twice
    book(tmp_path / "a.xlsx", {"customers": [["code", "name", "country"], ["C1", "Acme", "US"], ["C2", "Bolt", "US"]],
                               "opening_stock": [["sku", "warehouse", "quantity"], ["P1", "W1", 5]]})
    book(tmp_path / "b.xlsx", {"customers": [["code", "name", "country"], ["C3", "Cog", "US"], ["C2", "Bolt again", "US"]],
                               "opening_stock": [["sku", "warehouse", "quantity", "lot"], ["P1", "W1", 2, None], ["P1", "W1", 1, "L7"]]})
    validation = R.validate_files([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], blueprint=None, only={"customers", "opening_stock"})
    assert [(f.file, f.sheet, f.row, f.column, f.message) for f in validation.findings if f.rule == "unique"] == [
        ("b.xlsx", "customers", 3, "code", "'C2' is also in a.xlsx sheet customers, row 3: a key is one record, so give it in one workbook only"),
        ("b.xlsx", "opening_stock", 2, "warehouse", "'W1 + P1' is also in a.xlsx sheet opening_stock, row 2: a key is one record, so give it in one workbook only"),
    ]
