"""Generated kit and landed cost scenarios: in the blueprint's own vocabulary, figures Odoo's split would give,
findings where the blueprint cannot give them; every step defined in the library."""

from __future__ import annotations

import pytest

from odookit.uat_scenarios.features import plan
from odookit.uat_scenarios.suite_kits_costs import shares, unit_costs_after

from uat.test_uat_generate import gen, generated, make_ws

BP = """\
companies:
  - {code: ZW, name: Zwolle Bouwmaterialen BV, country: NL, currency: EUR, main: true}
warehouses:
  - {code: ZWL, name: Zwolle, company: ZW, delivery_steps: pick_ship}
product_categories:
  - {code: VLOER, name: Vloertegels, costing_method: average}
roles:
  - {code: verkoop, name: Verkoop, groups: [sales_team.group_sale_salesman]}
  - {code: inkoop, name: Inkoop, groups: [purchase.group_purchase_user]}
  - {code: magazijn, name: Magazijn, groups: [stock.group_stock_user]}
  - {code: hoofd, name: Hoofd Magazijn, groups: [stock.group_stock_manager]}
manufacturing: {kits: true}
landed_costs:
  post_role: hoofd
  products:
    - {code: VRACHT, name: Vracht, split_method: by_weight}
    - {code: INVOER, name: Invoerrechten, split_method: by_current_cost_price}
"""


@pytest.mark.parametrize(("method", "expected"), [
    ("equal", ([50.0, 50.0], [11.6667, 25.0])), ("by_quantity", ([75.0, 25.0], [12.5, 22.5])),
    ("by_current_cost_price", ([60.0, 40.0], [12.0, 24.0])), ("by_weight", ([42.86, 57.14], [11.4287, 25.714])),
    ("by_volume", ([37.5, 62.5], [11.25, 26.25])),
])
def test_each_split_method_gives_the_shares_and_unit_costs_odoo_computes(method, expected):
    assert shares(method) == expected[0]
    assert [round(c, 4) for c in unit_costs_after(method)] == expected[1]


def test_kit_scenario_orders_ships_and_checks_the_components(tmp_path):
    root = make_ws(tmp_path / "ws", BP)
    assert gen(root).exit_code == 0
    text = generated(root, "kits.feature")
    assert '  Scenario: A kit ordered and shipped from ZWL moves its components\n' in text
    assert ('    And a kit "UAT Vloertegels kit" in category "VLOER" priced at 40.00 made of 2 units of "UAT Vloertegels kit part A" '
            'and 3 units of "UAT Vloertegels kit part B"\n') in text
    for line in ('    When I order 4 units of "UAT Vloertegels kit" for "UAT Customer" from warehouse "ZWL"\n',
                 '    When I log in as the "Magazijn"\n', '    Then the delivery of the order moved 8 units of "UAT Vloertegels kit part A"\n',
                 '    And the delivery of the order moved 0 units of "UAT Vloertegels kit"\n',
                 '    And the stock of "UAT Vloertegels kit part B" in warehouse "ZWL" is 8\n'):
        assert line in text, line


def test_a_landed_cost_scenario_per_product_with_its_figures_and_the_refusal(tmp_path):
    root = make_ws(tmp_path / "ws", BP)
    assert gen(root).exit_code == 0
    text = generated(root, "landed_costs.feature")
    assert [ln.strip() for ln in text.splitlines() if ln.strip().startswith("Scenario:")] == [
        "Scenario: Vracht (split by weight) on a receipt raises the unit cost",
        "Scenario: Invoerrechten (split by current cost) on a receipt raises the unit cost",
        "Scenario: A role that may not post landed costs cannot post one"]
    vracht, invoer, refused = [part.split("\n\n  @")[0] for part in text.split("  Scenario: ")[1:]]
    assert 'the product "UAT Vloertegels landed B" weighs 4 kg and takes 0.05 m3' in vracht and "weighs" not in invoer
    assert 'When I log in as the "Hoofd Magazijn"\n    And I post a landed cost of 100.00 for "VRACHT" on the receipt of the purchase order' in vracht
    assert vracht.rstrip().endswith('the unit cost of "UAT Vloertegels landed A" is 11.43\n    And the unit cost of "UAT Vloertegels landed B" is 25.71')
    assert invoer.rstrip().endswith('the unit cost of "UAT Vloertegels landed A" is 12.00\n    And the unit cost of "UAT Vloertegels landed B" is 24.00')
    assert 'When I log in as the "Magazijn"\n    And I try to post a landed cost of 100.00 for "VRACHT"' in refused
    assert "Then the landed cost is refused" in refused
    planned = plan(sorted((root / "uat_scenarios" / "generated").glob("*.feature")))
    assert [p for s in planned for p in s.problems] == []


def test_without_a_role_that_may_post_or_an_untracked_costed_category_the_scenarios_are_findings(tmp_path):
    root = make_ws(tmp_path / "a", BP.replace("  post_role: hoofd\n", "").replace("[stock.group_stock_manager]", "[stock.group_stock_user, account.group_account_invoice]"))
    result = gen(root)
    assert "finding: landed_costs.feature: Vracht (split by weight) on a receipt raises the unit cost: no blueprint role may post landed costs " \
           "(freight, duty, insurance) on receipts (give a role the Odoo groups for it in blueprints/)" in result.output
    assert "Scenario: A role that may not post landed costs cannot post one" in generated(root, "landed_costs.feature")
    root = make_ws(tmp_path / "b", BP.replace("costing_method: average}", "costing_method: average, tracking: lot}"))
    result = gen(root)
    assert "finding: landed_costs.feature: Vracht (split by weight) on a receipt raises the unit cost: no fifo or average-cost product category " \
           "without lot or serial tracking" in result.output
    assert not (root / "uat_scenarios" / "generated" / "landed_costs.feature").exists()


def test_no_kit_or_landed_cost_feature_without_the_sections(tmp_path):
    root = make_ws(tmp_path / "ws", BP.split("manufacturing:")[0])
    assert gen(root).exit_code == 0
    assert not {"kits.feature", "landed_costs.feature"} & {p.name for p in (root / "uat_scenarios" / "generated").glob("*.feature")}


def test_an_assembly_scenario_per_assembling_warehouse_by_the_role_that_may_assemble(tmp_path):
    text = BP.replace("manufacturing: {kits: true}", "manufacturing:\n  assembly:\n    - {warehouse: ZWL, steps: 3}")
    root = make_ws(tmp_path / "a", text)
    result = gen(root)
    assert "finding: assembly.feature: Goods are assembled in ZWL (components picked first, the product stored after): no blueprint role " \
           "may assemble and kit goods in manufacturing orders (give a role the Odoo groups for it in blueprints/)" in result.output
    root = make_ws(tmp_path / "b", text.replace("roles:\n", "roles:\n  - {code: montage, name: Montage, groups: [mrp.group_mrp_user]}\n"))
    assert gen(root).exit_code == 0
    feature = generated(root, "assembly.feature")
    for line in ('  Scenario: Goods are assembled in ZWL (components picked first, the product stored after)\n',
                 '    And "UAT Vloertegels assembled" is assembled from 4 units of "UAT Vloertegels assembly part A" and 2 units of "UAT Vloertegels assembly part B"\n',
                 '    And I am logged in as the "Montage"\n', '    When I assemble 3 units of "UAT Vloertegels assembled" in warehouse "ZWL"\n',
                 '    And the stock of "UAT Vloertegels assembly part B" in warehouse "ZWL" is 14\n'):
        assert line in feature, line
    assert (root / "uat_scenarios" / "generated" / "kits.feature").exists()  # kits: true unless the section says otherwise
    root = make_ws(tmp_path / "c", text.replace("manufacturing:\n", "manufacturing:\n  kits: false\n"))
    assert gen(root).exit_code == 0
    assert not (root / "uat_scenarios" / "generated" / "kits.feature").exists()
