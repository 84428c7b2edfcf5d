"""putaway_rules and product_categories[].expiry: schema, references, compile, plan, export, migration.

The in-memory gateway has no warehouse logic: the test seeds the warehouse's stock location
under the external ID Odoo's warehouse would give it, as far as the rules look.
"""

from __future__ import annotations

import pytest
from lxml import etree

from odookit.blueprints.apply import Applier
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.export import module_files
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import build_plan
from odookit.blueprints.schema import Blueprint
from odookit.migration.entities import entity
from odookit.migration.rules import map_context

from conftest import odoo_like, without_odoo_made_records
from test_blueprint_localization import problems, write

BP = """\
companies:
  - {code: K, name: Kessler Baustoffe GmbH, country: DE, currency: EUR, main: true}
warehouses:
  - {code: HAM, name: Hamburg, company: K}
  - {code: BRE, name: Bremen, company: K}
product_categories:
  - {code: TILE, name: Tiles}
  - code: GLUE
    name: Adhesives
    tracking: lot
    expiry: {expiration_days: 365, use_days: 30, removal_days: 20, alert_days: 45}
putaway_rules:
  - {warehouse: HAM, category: TILE, location: Rack 1}
  - {warehouse: HAM, category: GLUE, location: HAM/Stock/Cool/Bay 2}
"""


def state_of(tmp_path, text: str = BP):
    bp, _ = load_blueprint(write(tmp_path, text))
    return bp, compile_blueprint(bp, "kb_config", 18)


def test_schema_describes_every_new_field():
    defs = Blueprint.model_json_schema()["$defs"]
    for model, fields in (("PutawayRule", ("warehouse", "category", "product", "location")),
                          ("Expiry", ("expiration_days", "use_days", "removal_days", "alert_days")),
                          ("ProductCategory", ("expiry",))):
        for field in fields:
            assert defs[model]["properties"][field].get("description"), f"{model}.{field}"
    assert "stock.putaway.rule" in Blueprint.model_json_schema()["properties"]["putaway_rules"]["description"]


# -- references -----------------------------------------------------------------

def test_location_of_another_warehouse_is_located(tmp_path):
    lines = problems(tmp_path, BP.replace("location: Rack 1", "location: BRE/Stock/Rack 1"))
    assert lines == ["blueprints/bp.yaml:13:38: location 'BRE/Stock/Rack 1' is in warehouse BRE, not in HAM: a putaway rule of HAM "
                     "can only store goods under HAM/Stock. Write a name under HAM/Stock, e.g. 'Shelf A'."]


def test_location_of_the_warehouse_outside_its_stock_is_refused(tmp_path):
    lines = problems(tmp_path, BP.replace("location: Rack 1", "location: HAM/Input/Rack 1"))
    assert len(lines) == 1 and lines[0].startswith("blueprints/bp.yaml:13:38: location 'HAM/Input/Rack 1' is not under HAM/Stock")


def test_unknown_warehouse_and_category_get_did_you_mean(tmp_path):
    lines = problems(tmp_path, BP.replace("{warehouse: HAM, category: TILE", "{warehouse: HAMM, category: TILES"))
    assert lines == [
        "blueprints/bp.yaml:13:6: unknown warehouse 'HAMM' (did you mean 'HAM'?). Use one of: HAM, BRE.",
        "blueprints/bp.yaml:13:23: unknown product category 'TILES' (did you mean 'TILE'?). Use one of: TILE, GLUE.",
    ]


def test_rule_needs_one_of_category_or_product_and_is_unique(tmp_path):
    lines = problems(tmp_path, BP.replace("category: TILE, location: Rack 1", "location: Rack 1"))
    assert lines == ["blueprints/bp.yaml:13:5: a putaway rule needs exactly one of category or product. Add category: <code> or product: <SKU> (not both)."]
    lines = problems(tmp_path, BP + "  - {warehouse: HAM, category: TILE, location: Rack 9}\n")
    assert lines == ["blueprints/bp.yaml:15:5: a second putaway rule for TILE in warehouse HAM (the other is putaway_rules[0]). "
                     "Keep one rule per warehouse and category or product."]


def test_expiry_on_an_untracked_category_is_located(tmp_path):
    lines = problems(tmp_path, BP.replace("    tracking: lot\n", ""))
    assert lines == ["blueprints/bp.yaml:10:5: product category 'GLUE' has expiry dates but no lot or serial tracking. "
                     "Odoo dates lots, not products: add tracking: lot (or serial) to the category, or drop expiry."]
    lines = problems(tmp_path, BP.replace("    tracking: lot\n", "    tracking: lot\n    removal_strategy: fifo\n"))
    assert len(lines) == 1 and "has expiry dates but removal strategy fifo" in lines[0]


# -- compile ---------------------------------------------------------------------------

def test_compile_creates_each_storage_location_once_and_the_rules(tmp_path):
    _, state = state_of(tmp_path)
    records = state.by_xmlid()
    assert records["kb_config.storage_location_ham_rack_1"].values == {
        "name": "Rack 1", "location_id": {"$ref": "kb_config.location_ham_stock"}, "usage": "internal"}
    assert records["kb_config.storage_location_ham_cool"].values["location_id"] == {"$ref": "kb_config.location_ham_stock"}
    assert records["kb_config.storage_location_ham_cool_bay_2"].values["location_id"] == {"$ref": "kb_config.storage_location_ham_cool"}
    assert records["kb_config.putaway_rule_ham_glue"].values == {
        "location_in_id": {"$ref": "kb_config.location_ham_stock"},
        "location_out_id": {"$ref": "kb_config.storage_location_ham_cool_bay_2"},
        "category_id": {"$ref": "kb_config.product_category_glue"}, "product_id": False}
    groups = records["base.group_user"].values["implied_ids"]["$refs"]
    assert "stock.group_stock_multi_locations" in groups


def test_storage_locations_are_on_with_putaway_rules_only(tmp_path):
    text = BP.replace("inventory", "x") + "inventory: {storage_locations: false, multi_step_routes: false}\n"
    _, state = state_of(tmp_path, text)
    assert "stock.group_stock_multi_locations" in state.by_xmlid()["base.group_user"].values["implied_ids"]["$refs"]
    _, state = state_of(tmp_path, text.split("putaway_rules:")[0] + "inventory: {storage_locations: false, multi_step_routes: false}\n")
    assert "stock.group_stock_multi_locations" not in state.by_xmlid()["base.group_user"].values["implied_ids"]["$refs"]


def test_expiry_installs_product_expiry_and_makes_the_category_fefo(tmp_path):
    _, state = state_of(tmp_path)
    assert "product_expiry" in state.modules
    records = state.by_xmlid()
    assert records["kb_config.product_category_glue"].values["removal_strategy_id"] == {"$ref": "product_expiry.removal_fefo"}
    assert "removal_strategy_id" not in records["kb_config.product_category_tile"].values
    _, plain = state_of(tmp_path, BP.replace("    expiry: {expiration_days: 365, use_days: 30, removal_days: 20, alert_days: 45}\n", ""))
    assert "product_expiry" not in plain.modules


# -- plan and export --------------------------------------------------------------------

def test_plan_creates_locations_and_rules_then_is_empty(tmp_path):
    _, state = state_of(tmp_path)
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    # what Odoo's warehouse would have made: its stock location
    for wh in ("ham", "bre"):
        gw.seed("stock.location", {"name": "Stock"}, xmlid=f"kb_config.location_{wh}_stock")
    first = build_plan(gw, state, target="dev")
    created = [op.xmlid for op in first.operations if op.action == "create" and op.model in ("stock.location", "stock.putaway.rule")]
    assert created == ["kb_config.storage_location_ham_rack_1", "kb_config.putaway_rule_ham_tile", "kb_config.storage_location_ham_cool",
                       "kb_config.storage_location_ham_cool_bay_2", "kb_config.putaway_rule_ham_glue"]
    Applier(gw, first, None, user="t").run()
    bay = gw.resolve_xmlids(["kb_config.storage_location_ham_cool_bay_2"])["kb_config.storage_location_ham_cool_bay_2"][1]
    rule = gw.resolve_xmlids(["kb_config.putaway_rule_ham_glue"])["kb_config.putaway_rule_ham_glue"][1]
    assert gw.read("stock.putaway.rule", [rule], ["location_out_id"])[0]["location_out_id"][0] == bay
    second = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, dict(op.changes)) for op in second.changes] == []


def test_a_storage_location_made_by_hand_is_adopted_not_duplicated(tmp_path):
    _, state = state_of(tmp_path)
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    stock = gw.seed("stock.location", {"name": "Stock"}, xmlid="kb_config.location_ham_stock")
    gw.seed("stock.location", {"name": "Stock"}, xmlid="kb_config.location_bre_stock")
    by_hand = gw.seed("stock.location", {"name": "Rack 1", "location_id": stock, "usage": "internal"})
    op = next(op for op in build_plan(gw, state, target="dev").operations if op.xmlid == "kb_config.storage_location_ham_rack_1")
    assert (op.action, op.res_id) == ("adopt", by_hand)


def test_export_writes_locations_before_the_rules(tmp_path):
    _, state = state_of(tmp_path)
    root = etree.fromstring(module_files(state)["data/configuration.xml"])
    ids = [el.get("id") for el in root if el.tag == "record"]
    assert ids.index("storage_location_ham_cool") < ids.index("storage_location_ham_cool_bay_2") < ids.index("putaway_rule_ham_glue")
    rule = next(el for el in root if el.get("id") == "putaway_rule_ham_glue")
    assert rule.get("model") == "stock.putaway.rule"
    assert rule.find("field[@name='location_out_id']").get("ref") == "kb_config.storage_location_ham_cool_bay_2"
    assert rule.find("field[@name='category_id']").get("ref") == "kb_config.product_category_glue"
    category = next(el for el in root if el.get("id") == "product_category_glue")
    assert category.find("field[@name='removal_strategy_id']").get("ref") == "product_expiry.removal_fefo"


# -- migration ----------------------------------------------------------------------------

def test_migrated_products_get_their_categorys_expiry_days(tmp_path):
    bp, _ = state_of(tmp_path)
    ctx = map_context(bp, "kb_config", 18)
    products = entity("products")
    glue = products.to_load({"sku": "G1", "name": "Glue", "category": "GLUE"}, ctx)
    tile = products.to_load({"sku": "T1", "name": "Tile", "category": "TILE"}, ctx)
    assert {k: glue[k] for k in ("use_expiration_date", "expiration_time", "use_time", "removal_time", "alert_time")} == {
        "use_expiration_date": "1", "expiration_time": "365", "use_time": "30", "removal_time": "20", "alert_time": "45"}
    assert tile["use_expiration_date"] == "0" and list(tile) == list(glue)
    plain = map_context(Blueprint(companies=bp.companies, product_categories=[bp.product_categories[0]]), "kb_config", 18)
    assert "use_expiration_date" not in products.to_load({"sku": "T1", "name": "Tile", "category": "TILE"}, plain)


# -- UAT generation ---------------------------------------------------------------------------

def _example():
    from pathlib import Path

    import odookit

    folder = Path(odookit.__file__).parent / "examples" / "building-supplies-wholesaler" / "blueprints"
    return load_blueprint(folder)[0]


def test_a_scenario_per_putaway_rule_of_an_untracked_category():
    from odookit.uat_scenarios.suite import generate_suite

    bp = _example()
    suite = generate_suite(bp, "ebh_config")
    text = suite.files()["putaway.feature"]
    expected = [f"{r.warehouse.upper()}/Stock/{r.location}" for r in bp.putaway_rules]
    assert [line.split('" is stored in "')[1].rstrip('"') for line in text.splitlines() if "the received" in line] == expected
    assert text.count("And I receive the purchase order in full") == len(bp.putaway_rules)
    tracked = bp.model_copy(update={"putaway_rules": [*bp.putaway_rules, bp.putaway_rules[0].model_copy(update={"category": "BCH-KL"})]})
    findings = [f for f in generate_suite(tracked, "ebh_config").findings if f.feature == "putaway.feature"]
    assert len(findings) == 1 and "lot-tracked" in findings[0].gap
    plain = bp.model_copy(update={"putaway_rules": []})
    assert "putaway.feature" not in generate_suite(plain, "ebh_config").files()


def test_fefo_scenario_per_expiry_category_orders_the_lots_against_fifo():
    from odookit.uat_scenarios.suite import generate_suite

    bp = _example()
    text = generate_suite(bp, "ebh_config").files()["expiry.feature"]
    cat = next(c for c in bp.product_categories if c.expiry)
    first, later = (next(line for line in text.splitlines() if f'in lot "UAT-{cat.code}-{w}"' in line) for w in ("FIRST", "LATER"))
    days = {w: int(line.split("expiring in ")[1].split()[0]) for w, line in (("FIRST", first), ("LATER", later))}
    assert days["FIRST"] < days["LATER"] and days["FIRST"] > cat.expiry.removal_days  # not yet due for removal
    assert text.index(later) < text.index(first)  # the later-expiring lot is received first: FIFO would take it
    assert text.rstrip().endswith(f'Then the pick of the order takes lot "UAT-{cat.code}-FIRST"')  # DD picks before it ships
    plain = bp.model_copy(update={"product_categories": [c.model_copy(update={"expiry": None}) for c in bp.product_categories]})
    assert "expiry.feature" not in generate_suite(plain, "ebh_config").files()


def test_opening_stock_gives_a_lot_its_expiry_date_only_when_the_blueprint_dates_lots(tmp_path):
    import datetime

    from odookit.migration.load import lots

    bp, _ = state_of(tmp_path)
    rows = [{"sku": "G1", "lot": "L1", "expiry_date": datetime.datetime(2027, 3, 1), "_where": ("opening_stock", 2)},
            {"sku": "G1", "lot": "L2", "expiry_date": None, "_where": ("opening_stock", 3)}]
    dated, _ = lots(rows, map_context(bp, "kb_config", 18))
    assert dated == [{"id": "kb_config.lot_g1_l1", "name": "L1", "product_id/id": "kb_config.product_g1", "expiration_date": "2027-03-01 00:00:00"},
                     {"id": "kb_config.lot_g1_l2", "name": "L2", "product_id/id": "kb_config.product_g1"}]
    plain = map_context(Blueprint(companies=bp.companies), "kb_config", 18)  # no product_expiry: the column is not sent
    assert all("expiration_date" not in r for r in lots(rows, plain)[0])
    assert entity("opening_stock").column("expiry_date").kind == "date"


def test_a_rule_naming_a_product_not_yet_loaded_is_refused_before_anything(tmp_path):
    from odookit.errors import PlanError

    _, state = state_of(tmp_path, BP + "  - {warehouse: BRE, product: '00123', location: Cage}\n")
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    with pytest.raises(PlanError) as exc:
        build_plan(gw, state, target="dev")
    assert exc.value.line() == ("putaway rule kb_config.putaway_rule_bre_00123 names product kb_config.product_00123, which is not in "
                                "database memory. Load the products first (apply without this rule, then odookit migrate load --entity products), or give the rule "
                                "the product's category.")
    assert gw.round_trips("create") == 0
    gw.seed("product.product", {"name": "Cage item", "default_code": "00123"}, xmlid="kb_config.product_00123")
    ops = build_plan(gw, state, target="dev").operations
    assert next(op for op in ops if op.xmlid == "kb_config.putaway_rule_bre_00123").values["product_id"] == {"$ref": "kb_config.product_00123"}


def test_receiving_sop_lists_each_sites_putaway_rules_and_the_expiry_check(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from odookit.cli import cli
    from odookit.init import init_workspace

    ws = tmp_path / "ebh"
    init_workspace(ws, example="building-supplies-wholesaler")
    monkeypatch.chdir(ws)
    result = CliRunner().invoke(cli, ["docs", "build"])
    assert result.exit_code == 0, result.output
    page = (ws / "docs" / "pages" / "sop-receiving.md").read_text()
    dd, l1, c1 = (page.index(f"({code}):") for code in ("DD", "L1", "C1"))
    assert page.index("- Dämmstoffe -> DD/Stock/Halle 2") in range(dd, l1)
    assert page.index("- Befestigungstechnik -> DD/Stock/Kleinteilelager/Regal A") in range(dd, l1)
    assert page.index("- Dämmstoffe -> C1/Stock/Außenlager") > c1
    assert page[l1:c1].count("Putaway rules store") == 0
    assert "the expiration date printed on the goods for Klebstoffe" in page
