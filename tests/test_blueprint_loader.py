"""The blueprint loader: positions, schema problems and reference problems, all reported at once."""

from __future__ import annotations

import textwrap

import pytest

from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.schema import Blueprint
from odookit.errors import Problems

COMPANIES = """\
companies:
  - code: NIS
    name: Northwind
    country: US
    currency: USD
  - code: CFL
    name: Cascade
    country: CA
    currency: CAD
"""


def write(root, files: dict[str, str]):
    folder = root / "blueprints"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def problems(root, files: dict[str, str]) -> list[str]:
    with pytest.raises(Problems) as info:
        load_blueprint(write(root, files), root=root)
    lines = info.value.lines()
    assert info.value.message == f"{len(lines)} problem(s) in the blueprint"
    assert all("\n" not in line for line in lines)
    return lines


def test_the_sample_blueprint_loads_with_positions(example_ws):
    bp, smap = load_blueprint(example_ws / "blueprints", root=example_ws)
    assert isinstance(bp, Blueprint)
    assert [w.code for w in bp.warehouses] == ["CHI", "MKE", "VAN"]
    mark = smap.at(("warehouses", 1, "resupply_from", 0))
    assert (mark.file, mark.line) == ("blueprints/02-warehouses.yaml", 14)


def test_valid_minimal_blueprint(tmp_path):
    bp, _ = load_blueprint(write(tmp_path, {"a.yaml": COMPANIES}), root=tmp_path)
    assert [c.code for c in bp.companies] == ["NIS", "CFL"]
    assert bp.warehouses == []


# -- schema ------------------------------------------------------------------


def test_unknown_key_has_position_and_did_you_mean(tmp_path):
    text = COMPANIES + "warehouses:\n  - code: CHI\n    name: Chicago\n    company: NIS\n    recepton_steps: 2\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:14:5: unknown key 'recepton_steps' (did you mean 'reception_steps'?)"
    ]


def test_unknown_top_level_section_has_did_you_mean(tmp_path):
    assert problems(tmp_path, {"a.yaml": COMPANIES + "pricelist: []\n"}) == [
        "blueprints/a.yaml:10:1: unknown key 'pricelist' (did you mean 'pricelists'?)"
    ]


def test_wrong_type_names_field_and_value(tmp_path):
    text = COMPANIES + "reorder:\n  supplier_lead_days: soon\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:11:3: reorder.supplier_lead_days: Input should be a valid integer, "
        "unable to parse string as an integer (got 'soon')"
    ]


def test_wrong_choice_has_did_you_mean(tmp_path):
    text = COMPANIES + "warehouses:\n  - {code: CHI, name: Chicago, company: NIS, delivery_steps: pick_pak_ship}\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:11:46: warehouses[0].delivery_steps: Input should be 'ship_only', 'pick_ship' or "
        "'pick_pack_ship' (got 'pick_pak_ship') (did you mean 'pick_pack_ship'?)"
    ]


def test_missing_key_points_at_the_item(tmp_path):
    text = COMPANIES + "warehouses:\n  - code: CHI\n    company: NIS\n"
    assert problems(tmp_path, {"a.yaml": text}) == ["blueprints/a.yaml:11:5: missing required key 'warehouses[0].name'"]


def test_missing_companies_points_at_the_first_file(tmp_path):
    assert problems(tmp_path, {"a.yaml": "inventory:\n  packages: true\n"}) == [
        "blueprints/a.yaml:1:1: missing required key 'companies'"
    ]


def test_malformed_yaml_has_position(tmp_path):
    lines = problems(tmp_path, {"a.yaml": "companies:\n  - code: NIS\n   name: [Northwind\n"})
    assert len(lines) == 1
    assert lines[0].startswith("blueprints/a.yaml:3:")
    assert "malformed YAML" in lines[0] and lines[0].endswith("Fix the YAML syntax.")


def test_malformed_file_is_reported_with_problems_of_other_files(tmp_path):
    lines = problems(tmp_path, {"a.yaml": "companies: [\n", "b.yaml": "warehouses: {\n"})
    assert [line.split(":")[0] for line in lines] == ["blueprints/a.yaml", "blueprints/b.yaml"]


def test_file_that_is_not_a_mapping(tmp_path):
    assert problems(tmp_path, {"a.yaml": "- companies\n"}) == [
        "blueprints/a.yaml:1:1: a blueprint file must be a mapping of sections (companies:, warehouses:, ...)"
    ]


def test_duplicate_key_is_reported_and_the_rest_still_checked(tmp_path):
    text = COMPANIES + "inventory:\n  packages: true\n  packages: false\n  batch: true\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:12:3: duplicate key 'packages' (first set at line 11). Keep one of the two entries.",
        "blueprints/a.yaml:13:3: unknown key 'batch' (did you mean 'batch_picking'?)",
    ]


def test_python_tags_are_refused_not_executed(tmp_path):
    text = COMPANIES + "invoicing:\n  policy: !!python/name:os.system\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:11:11: unsupported YAML value (tag tag:yaml.org,2002:python/name:os.system). "
        "Write a plain value."
    ]


def test_empty_folder(tmp_path):
    (tmp_path / "blueprints").mkdir()
    with pytest.raises(Exception) as info:
        load_blueprint(tmp_path / "blueprints", root=tmp_path)
    assert str(info.value).startswith("no blueprint files in ")


# -- several files ---------------------------------------------------------------


def test_lists_continue_across_files_and_positions_follow_each_file(tmp_path):
    files = {
        "01.yaml": COMPANIES + "warehouses:\n  - {code: CHI, name: Chicago, company: NIS}\n",
        "02.yaml": "# second file\nwarehouses:\n  - {code: MKE, name: Milwaukee, company: NIS}\n"
        "  - {code: VAN, name: Vancouver, company: CFL, reception_steps: 9}\n",
    }
    assert problems(tmp_path, files) == [
        "blueprints/02.yaml:4:48: warehouses[2].reception_steps: Input should be 1, 2 or 3 (got 9)"
    ]
    files["02.yaml"] = files["02.yaml"].replace("reception_steps: 9", "reception_steps: 2")
    bp, smap = load_blueprint(write(tmp_path, files), root=tmp_path)
    assert [w.code for w in bp.warehouses] == ["CHI", "MKE", "VAN"]
    assert str(smap.at(("warehouses", 0))) == "blueprints/01.yaml:11:5"
    assert str(smap.at(("warehouses", 2))) == "blueprints/02.yaml:4:5"


def test_mappings_merge_across_files(tmp_path):
    files = {"01.yaml": COMPANIES + "inventory:\n  packages: true\n", "02.yaml": "inventory:\n  batch_picking: true\n"}
    bp, _ = load_blueprint(write(tmp_path, files), root=tmp_path)
    assert bp.inventory.packages and bp.inventory.batch_picking


def test_same_setting_in_two_files(tmp_path):
    files = {"01.yaml": COMPANIES + "inventory:\n  packages: true\n", "02.yaml": "inventory:\n  packages: false\n"}
    assert problems(tmp_path, files) == [
        "blueprints/02.yaml:2:3: 'inventory.packages' is set in two blueprint files "
        "(first in blueprints/01.yaml:11:3). Set it in one file only."
    ]


def test_section_set_twice_with_different_shapes(tmp_path):
    files = {"01.yaml": COMPANIES + "credit:\n  default_limit: 5\n", "02.yaml": "credit:\n  - action: warn\n"}
    assert problems(tmp_path, files) == [
        "blueprints/02.yaml:1:1: section 'credit' is set in two blueprint files "
        "(first in blueprints/01.yaml:10:1). Set it in one file only."
    ]


def test_reference_into_a_later_file_resolves(tmp_path):
    files = {
        "01.yaml": "warehouses:\n  - {code: CHI, name: Chicago, company: NIS}\n",
        "02.yaml": COMPANIES,
    }
    bp, _ = load_blueprint(write(tmp_path, files), root=tmp_path)
    assert bp.warehouses[0].company == "NIS"


# -- references ----------------------------------------------------------------------


def test_dangling_company_with_did_you_mean(tmp_path):
    text = COMPANIES + "warehouses:\n  - code: VAN\n    name: Vancouver\n    company: CLF\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:13:5: unknown company 'CLF' (did you mean 'CFL'?). Use one of: NIS, CFL."
    ]


def test_reference_differing_only_in_case_suggests_the_right_case(tmp_path):
    text = COMPANIES + "warehouses:\n  - {code: CHI, name: Chicago, company: nis}\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:11:32: unknown company 'nis' (did you mean 'NIS'?). Use one of: NIS, CFL."
    ]


def test_dangling_warehouse_category_and_role(tmp_path):
    text = COMPANIES + textwrap.dedent(
        """\
        warehouses:
          - {code: CHI, name: Chicago, company: NIS}
          - {code: MKE, name: Milwaukee, company: NIS, resupply_from: [CHJ, MKE]}
        product_categories:
          - {code: FAST, name: Fasteners}
          - {code: BRG, name: Bearings, parent: FASTT}
        reorder:
          rules:
            - {warehouse: VAN, category: BRG, min_qty: 1, max_qty: 2}
        roles:
          - {code: sales_manager, name: Sales Manager, groups: [sales_team.group_sale_manager]}
        approvals:
          sales_discount_above: 15
          sales_discount_role: sales_manger
        """
    )
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:12:64: unknown warehouse 'CHJ' (did you mean 'CHI'?). Use one of: CHI, MKE.",
        "blueprints/a.yaml:12:69: warehouse 'MKE' cannot resupply itself",
        "blueprints/a.yaml:15:33: unknown product category 'FASTT' (did you mean 'FAST'?). Use one of: FAST, BRG.",
        "blueprints/a.yaml:18:8: unknown warehouse 'VAN'. Use one of: CHI, MKE.",
        "blueprints/a.yaml:23:3: unknown role 'sales_manger' (did you mean 'sales_manager'?). Use one of: sales_manager.",
    ]


def test_duplicate_codes(tmp_path):
    text = COMPANIES + textwrap.dedent(
        """\
        warehouses:
          - {code: CHI, name: Chicago, company: NIS}
          - {code: chi, name: Chicago again, company: NIS}
        credit:
          segments:
            - {code: KEY, name: Key, limit: 1}
            - {code: KEY, name: Key 2, limit: 2}
        """
    )
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:12:6: duplicate warehouse code 'chi' (first at line 11). Codes must be unique; rename one.",
        "blueprints/a.yaml:16:8: duplicate credit segment code 'KEY' (first at line 15). Codes must be unique; rename one.",
    ]


def test_duplicate_code_across_files_names_the_first_line(tmp_path):
    files = {
        "01.yaml": COMPANIES,
        "02.yaml": "companies:\n  - {code: NIS, name: Again, country: US, currency: USD}\n",
    }
    assert problems(tmp_path, files) == [
        "blueprints/02.yaml:2:6: duplicate company code 'NIS' (first at line 2). Codes must be unique; rename one."
    ]


def test_negative_threshold_and_max_below_min(tmp_path):
    text = COMPANIES + textwrap.dedent(
        """\
        approvals:
          purchase:
            - {company: NIS, double_validation_above: -5}
        reorder:
          min_qty: 50
          max_qty: 10
        """
    )
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:12:22: approvals.purchase[0].double_validation_above: "
        "Input should be greater than or equal to 0 (got -5)",
        "blueprints/a.yaml:15:3: max_qty 10 is below min_qty 50. Raise max_qty or lower min_qty.",
    ]


def test_schema_error_and_dangling_reference_are_reported_together(tmp_path):
    """The point of checking references on the raw document: one pass shows both."""
    text = COMPANIES + textwrap.dedent(
        """\
        warehouses:
          - code: CHI
            name: Chicago
            company: NSI
            reception_steps: four
        """
    )
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:13:5: unknown company 'NSI' (did you mean 'NIS'?). Use one of: NIS, CFL.",
        "blueprints/a.yaml:14:5: warehouses[0].reception_steps: Input should be 1, 2 or 3 (got 'four')",
    ]


def test_problems_are_sorted_by_file_then_line(tmp_path):
    files = {
        "01.yaml": COMPANIES + "roles:\n  - {code: r, name: R, groups: [sales_team.group_sale_salesmn]}\n",
        "02.yaml": "warehouses:\n  - {code: CHI, name: C, company: XX, colour: red}\n",
        "00.yaml": "invoicing:\n  policy: ordered\n",
    }
    lines = problems(tmp_path, files)
    assert [line.split(": ")[0] for line in lines] == [
        "blueprints/00.yaml:2:3",
        "blueprints/01.yaml:11:33",
        "blueprints/02.yaml:2:26",
        "blueprints/02.yaml:2:39",
    ]
    assert "did you mean 'sales_team.group_sale_salesman'" in lines[1]
    assert lines[2].endswith(": unknown company 'XX'. Use one of: NIS, CFL.")
    assert lines[3].endswith(": unknown key 'colour'")


def test_misspelt_section_does_not_make_every_reference_dangle(tmp_path):
    text = COMPANIES + "warehouse:\n  - {code: CHI, name: C, company: NIS}\nreorder:\n  rules:\n    - {warehouse: CHI}\n"
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:10:1: unknown key 'warehouse' (did you mean 'warehouses'?)"
    ]


def test_wrongly_shaped_sections_do_not_crash_reference_checks(tmp_path):
    text = "companies: NIS\nwarehouses:\n  - 12\n  - {code: [A], company: {x: 1}}\nroles: {a: 1}\n"
    lines = problems(tmp_path, {"a.yaml": text})
    assert lines[0] == "blueprints/a.yaml:1:1: companies: Input should be a valid list (got 'NIS')"
    assert not any("unknown company" in line for line in lines)


def test_duplicate_code_is_listed_once_among_the_known_ones(tmp_path):
    text = COMPANIES + textwrap.dedent(
        """\
        warehouses:
          - {code: CHI, name: Chicago, company: NIS}
          - {code: CHI, name: Chicago again, company: NIS, resupply_from: [MKE]}
        """
    )
    assert problems(tmp_path, {"a.yaml": text})[1] == (
        "blueprints/a.yaml:12:68: unknown warehouse 'MKE'. Use one of: CHI."
    )


def test_a_hold_nobody_may_release_is_refused(tmp_path):
    text = COMPANIES + textwrap.dedent(
        """\
        credit:
          action: block
        approvals:
          sales_discount_above: 15
        """
    )
    assert problems(tmp_path, {"a.yaml": text}) == [
        "blueprints/a.yaml:11:3: credit.action is block but credit.release_role is not set: "
        "nobody could confirm an order on credit hold. Add release_role: <role code>.",
        "blueprints/a.yaml:13:3: approvals.sales_discount_above is 15 but approvals.sales_discount_role is not set: "
        "nobody could confirm an order over the discount threshold. Add sales_discount_role: <role code>.",
    ]


def test_credit_warn_needs_no_release_role(tmp_path):
    bp, _ = load_blueprint(write(tmp_path, {"a.yaml": COMPANIES + "credit:\n  action: warn\n"}), root=tmp_path)
    assert bp.credit.action == "warn" and bp.credit.release_role is None


def test_early_discount_on_a_term_with_instalments_is_refused_where_it_is_written(tmp_path):
    """Odoo refuses an early (cash) discount on a term of several lines only at apply, halfway through."""
    lines = problems(tmp_path, {"companies.yaml": COMPANIES, "terms.yaml": """\
        payment_terms:
          - code: T14S
            name: 14 Tage 2 % Skonto, 30 Tage netto
            lines: [{percent: 100, days: 30}]
            early_discount: {percent: 2, days: 14}
          - code: RATE
            name: Raten
            lines: [{percent: 50, days: 0}, {percent: 50, days: 30}]
            early_discount: {percent: 2, days: 0}
        """})
    assert lines == [
        "blueprints/terms.yaml:9:5: payment term 'RATE' has 2 lines and an early discount. "
        "Odoo grants an early discount only on a term with one 100% line: keep one line, or drop early_discount.",
        "blueprints/terms.yaml:9:34: payment_terms[1].early_discount.days: Input should be greater than or equal to 1 (got 0)",
    ]
