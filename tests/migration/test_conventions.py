"""The engagement's conventions: neutral defaults, rules.yaml formats, columns that follow the blueprint,
shapes inferred on a column, and rules.yaml typos."""

from __future__ import annotations

import re

import openpyxl
import pytest

from odookit.errors import MigrationError
from odookit.migration.load import load_workspace
from odookit.migration.rules import validate_workspace
from odookit.migration.template import write_template
from odookit.migration.tuning import load_rules
from odookit.workspace import Workspace


def _without_segments(root):
    """The sample blueprint with no credit segments (many clients have none)."""
    policies = root / "blueprints" / "04-policies.yaml"
    text = policies.read_text()
    text = re.sub(r"  segments:\n(    - .*\n)+", "", text)
    policies.write_text(text)


def _lines(validation) -> list[str]:
    return [f.line().split(" sheet ", 1)[1] for f in validation.findings]


def test_a_blueprint_without_segments_needs_no_segment_and_foreign_codes_pass(neutral_ws, book):
    _without_segments(neutral_ws)
    rows = [["code", "name", "country", "segment"]] + [[f"C-{i}", f"Customer {i}", "US", "Key Accounts"] for i in (7, 81, 1002)]
    book(neutral_ws / "migration" / "c.xlsx", {"customers": rows})
    validation = validate_workspace(Workspace.find(neutral_ws))
    assert _lines(validation) == [
        "customers, row 2, column segment (D2): warning: the blueprint defines no credit segment codes: "
        "the 3 values of column segment are neither checked nor loaded [allowed]",
    ]
    _, mapped = validation.load_rows("customers", validation.ctx)
    assert [m["id"] for m in mapped] == ["nis_config.customer_c_7", "nis_config.customer_c_81", "nis_config.customer_c_1002"]
    assert all("category_id/id" not in m for m in mapped), "a segment the blueprint lacks is not sent"


def test_segment_is_required_only_when_rules_yaml_says_so(neutral_ws, book):
    book(neutral_ws / "migration" / "c.xlsx", {"customers": [["code", "name", "country", "segment"], ["C1", "Alpha", "US", None]]})
    assert validate_workspace(Workspace.find(neutral_ws)).findings == []
    (neutral_ws / "migration" / "rules.yaml").write_text("conventions:\n  customers:\n    required: [segment]\n")
    assert _lines(validate_workspace(Workspace.find(neutral_ws))) == ["customers, row 2, column segment (D2): error: segment is required [required]"]


def test_rules_yaml_pattern_is_enforced_with_its_example(neutral_ws, book):
    (neutral_ws / "migration" / "rules.yaml").write_text(
        "conventions:\n  suppliers:\n    code: {pattern: '^V-\\d{3}$', example: V-001}\n")
    book(neutral_ws / "migration" / "s.xlsx", {"suppliers": [["code", "name", "country"], ["V-001", "Acme", "US"], ["S0001", "Bolt", "US"]]})
    assert _lines(validate_workspace(Workspace.find(neutral_ws))) == [
        "suppliers, row 3, column code (A3): error: 'S0001' is not of the form ^V-\\d{3}$ (e.g. V-001) [format]"]


def test_a_code_unlike_its_column_is_flagged_from_the_inferred_shape(neutral_ws, book):
    rows = [["code", "name", "country"]] + [[f"C{i:06d}", f"Customer {i}", "US"] for i in range(1, 31)]
    rows[12][0] = "249"
    book(neutral_ws / "migration" / "c.xlsx", {"customers": rows})
    assert _lines(validate_workspace(Workspace.find(neutral_ws))) == [
        "customers, row 13, column code (A13): error: '249' is unlike the other codes of the column (29 of 30 look like C000001): "
        "check it lost nothing, or declare the format in rules.yaml conventions [format]"]


def test_numeric_codes_as_untyped_text_that_lost_zeros_are_found_and_repadded(neutral_ws, book):
    # every cell is text, as in a CSV export: no number type says a zero was lost, only the column's shape
    customers = [["code", "name", "country"]] + [[f"{i:06d}", f"Customer {i}", "US"] for i in range(100, 130)]
    customers[5][0] = "104"
    contacts = [["code", "customer", "name", "country"], ["K1", "000104", "Ann", "US"]]
    book(neutral_ws / "migration" / "c.xlsx", {"customers": customers, "contacts": contacts})
    validation = validate_workspace(Workspace.find(neutral_ws))
    assert _lines(validation) == [
        "customers, row 6, column code (A6): error: 104 lost its leading zeros (29 of 30 codes of the column have 6 digits, "
        "e.g. 000100): write it as text '000104' [leading_zeros]"]
    assert "000104" in validation.frames[0]["code"].tolist(), "re-padded, so the contact's reference holds"


def test_mixed_codes_without_a_dominant_shape_are_left_alone(neutral_ws, book):
    rows = [["code", "name", "country"]] + [[code, f"Customer {code}", "US"] for code in
                                             ["ACME", "B-12", "77", "XR9", "lakeside", "N0RTH-1", "Q", "9-9-9"] * 4]
    for i, row in enumerate(rows[1:], start=1):
        row[0], row[1] = f"{row[0]}{i}", f"Customer {i}"
    book(neutral_ws / "migration" / "c.xlsx", {"customers": rows})
    assert validate_workspace(Workspace.find(neutral_ws)).findings == []


def test_a_key_that_is_not_a_usable_code_is_an_error_by_default(neutral_ws, book):
    book(neutral_ws / "migration" / "c.xlsx", {"customers": [["code", "name"], ["---", "Alpha"], ["X" * 70, "Beta"], ["OK1", "Gamma"]]})
    assert [line.split(": error: ")[0] for line in _lines(validate_workspace(Workspace.find(neutral_ws)))] == [
        "customers, row 2, column code (A2)", "customers, row 3, column code (A3)"]


def test_the_template_documents_the_engagements_conventions(mig_ws, tmp_path):
    ws = Workspace.find(mig_ws)
    from odookit.blueprints.loader import load_workspace_blueprint

    path = write_template(tmp_path / "t.xlsx", ["customers"], load_workspace_blueprint(ws), rules=load_rules(ws.migration / "rules.yaml"))
    sheet = openpyxl.load_workbook(path)["customers"]
    comments = {c.value: c.comment.text for c in sheet[1]}
    assert "format: ^\\d{6}$, e.g. 000123" in comments["code"]
    assert comments["segment"].endswith("required")
    neutral = write_template(tmp_path / "n.xlsx", ["customers"], load_workspace_blueprint(ws))
    comments = {c.value: c.comment.text for c in openpyxl.load_workbook(neutral)["customers"][1]}
    assert "format" not in comments["code"] and comments["segment"].endswith("optional")


TYPOS = {
    "entity": ("conventions:\n  custmers:\n    required: [segment]\n", ":2: unknown entity 'custmers' in conventions. Did you mean 'customers'?"),
    "key": ("severity: {}\nconventions:\n  customers:\n    requird: [segment]\n", ":4: unknown key 'requird' in conventions.customers. Did you mean 'required'?"),
    "column": ("conventions:\n  suppliers:\n    recommended: [vat]\n  customers:\n    required: [segmnet]\n",
               ":5: unknown column 'segmnet' of customers in conventions.customers.required. Did you mean 'segment'?"),
    "format_key": ("conventions:\n  customers:\n    code: {patern: '^C'}\n", ":3: unknown key 'patern'. Did you mean 'pattern'?"),
    "bad_regex": ("conventions:\n  suppliers:\n    name: {}\n  customers:\n    code: {pattern: '^(\\d'}\n",
                  ":5: conventions.customers.code.pattern is not a valid regular expression"),
    "example": ("conventions:\n  customers:\n    code: {pattern: '^\\d{6}$', example: C1}\n",
                ":3: conventions.customers.code: example 'C1' does not match ^\\d{6}$. Give an example of the right form, or fix the pattern."),
}


@pytest.mark.parametrize("case", sorted(TYPOS))
def test_a_conventions_typo_is_one_line_with_file_line_and_did_you_mean(neutral_ws, memory, book, case):
    text, expected = TYPOS[case]
    path = neutral_ws / "migration" / "rules.yaml"
    path.write_text(text)
    book(neutral_ws / "migration" / "c.xlsx", {"customers": [["code", "name"], ["C1", "Alpha"]]})
    with pytest.raises(MigrationError) as err:
        load_workspace(Workspace.find(neutral_ws), "dev", gateway=memory)
    line = err.value.line()
    assert "\n" not in line and line.startswith(f"{path}{expected}"), line
    assert memory.round_trips() == 0


def test_a_vat_valid_for_another_country_is_a_warning_naming_both_and_one_valid_nowhere_an_error(mig_ws, book):
    rows = [["code", "name", "vat", "country", "segment"],
            ["000001", "Antwerp Tools", "BE0403019261", "NL", "KEY"],   # Belgian number, Dutch address
            ["000002", "Gent Fasteners", "BE0403019261", "BE", "KEY"],  # right country (and a duplicate tax ID)
            ["000003", "Nowhere BV", "NL123", "NL", "KEY"]]
    book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    vat = [line for line in _lines(validate_workspace(Workspace.find(mig_ws))) if "[vat" in line]
    assert vat == [
        "customers, row 2, column vat (C2): warning: 'BE0403019261' is a valid tax ID of Belgium (BE), but the address is in "
        "Netherlands (NL): check the number or the country [vat_country]",
        "customers, row 4, column vat (C4): error: 'NL123' is not a valid tax ID for Netherlands (NL), nor for any other country [vat]"]


def test_a_columns_shapes_are_the_same_whether_it_is_all_text_holds_a_line_break_or_an_empty_cell():
    import math

    import pandas as pd

    from odookit.migration.conventions import shapes

    assert shapes(pd.Series(["BRG-62", "C000123", "ÄB 1"], index=[4, 5, 6])).to_dict() == {4: "AAA-99", 5: "A999999", 6: "ÄA 9"}
    assert shapes(pd.Series(["AB-1", "x\ny1"])).tolist() == ["AA-9", "A\nA9"]  # a value's own line break
    with_empty = shapes(pd.Series(["AB-1", float("nan")])).tolist()
    assert with_empty[0] == "AA-9" and math.isnan(with_empty[1])
    assert shapes(pd.Series([], dtype=object)).tolist() == []
