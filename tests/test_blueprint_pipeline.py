"""compile -> plan -> apply -> export, against the in-memory gateway (generic ORM only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from odookit.blueprints.apply import Applier, check_drift
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.desired import referenced_xmlids
from odookit.blueprints.export import export_module, module_files
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import Plan, build_plan
from odookit.cli import cli
from odookit.errors import PlanError
from odookit.odoo.memory import MemoryGateway
from odookit.workspace import Workspace

from conftest import odoo_like, without_odoo_made_records


@pytest.fixture
def ws(example_ws) -> Workspace:
    return Workspace.find(example_ws)


@pytest.fixture
def state(ws):
    bp, _ = load_blueprint(ws.blueprints)
    return compile_blueprint(bp, ws.module, 18)


def apply(gw, plan, tmp_path=None):
    return Applier(gw, plan, (tmp_path / "log.jsonl") if tmp_path else None, user="tester").run()


# -- compile -------------------------------------------------------------------

def test_compile_is_stable_and_names_records_by_kind_and_code(ws, state):
    again = compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, 18)
    assert [r.as_dict() for r in state.records] == [r.as_dict() for r in again.records]
    ids = {r.xmlid for r in state.records}
    assert {"nis_config.company_nis", "nis_config.warehouse_chi", "nis_config.product_category_brg",
            "nis_config.pricelist_contract_a", "nis_config.role_credit_controller"} <= ids
    assert len({r.key for r in state.records}) == len(state.records)


def test_company_dependent_values_are_set_in_every_company(state):
    """Costing and valuation are per company in Odoo: the second company must not keep Standard Price."""
    brg = [r for r in state.records if r.xmlid == "nis_config.product_category_brg"]
    assert [r.company for r in brg] == [None, "nis_config.company_nis", "nis_config.company_cfl"]
    assert "property_cost_method" not in brg[0].values
    assert all(r.values == {"property_cost_method": "fifo", "property_valuation": "manual_periodic"} for r in brg[1:])
    order = [r.key for r in state.ordered()]
    assert order.index("nis_config.product_category_brg@nis_config.company_cfl") > max(
        order.index("nis_config.product_category_brg"), order.index("nis_config.company_cfl"))


def test_credit_default_limit_is_each_companys_default(state):
    recs = state.by_xmlid()
    for code in ("nis", "cfl"):
        default = recs[f"nis_config.default_credit_limit_{code}"]
        assert default.model == "ir.default"
        assert default.values == {
            "field_id": {"$ref": "account.field_res_partner__credit_limit"},
            "company_id": {"$ref": f"nis_config.company_{code}"},
            "json_value": "10000.0",
        }


def test_credit_switched_from_block_to_warn_switches_the_hold_rule_off(ws, tmp_path):
    policies = ws.blueprints / "04-policies.yaml"
    block = without_odoo_made_records(compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, 18))
    policies.write_text(policies.read_text().replace("action: block", "action: warn"))
    warn = without_odoo_made_records(compile_blueprint(load_blueprint(ws.blueprints)[0], ws.module, 18))

    fresh = odoo_like(warn)
    ops = {op.xmlid: op for op in build_plan(fresh, warn, target="dev").operations}
    assert "nis_config.automation_credit_hold" not in ops  # never created just to be switched off
    assert "nis_config.automation_discount_approval" in ops
    assert "automation_credit_hold" not in b"".join(module_files(warn).values()).decode()

    gw = odoo_like(block)
    apply(gw, build_plan(gw, block, target="dev"))
    changes = build_plan(gw, warn, target="dev").changes
    # the credit controller role loses the release group, and the hold rule is switched off
    assert [(op.action, op.xmlid) for op in changes] == [
        ("update", "nis_config.role_credit_controller"), ("update", "nis_config.automation_credit_hold")
    ]
    assert changes[1].changes["active"].model_dump() == {"before": True, "after": False}
    apply(gw, build_plan(gw, warn, target="dev"))
    assert build_plan(gw, warn, target="dev").empty


def test_settings_screen_agrees_with_what_is_configured(state):
    """Settings shows lots on only when portal users have them too, and lead times behind switches."""
    recs = state.by_xmlid()
    assert recs["base.group_portal"].values == {"implied_ids": {"$refs": ["stock.group_production_lot"], "$exact": False}}
    assert {r.values["key"]: r.values["value"] for r in state.records if r.model == "ir.config_parameter"} == {
        "purchase.use_po_lead": "True", "sale_stock.use_security_lead": "True",
        "sales_team.membership_multi": "True"}  # its sales representatives join both companies' teams


def test_main_companys_first_warehouse_takes_over_the_one_odoo_made(state):
    """Orders default to a company's first warehouse: it must be CHI, not a stray WH."""
    recs = state.by_xmlid()
    assert recs["nis_config.warehouse_chi"].adopt == "stock.warehouse0"
    assert recs["nis_config.warehouse_mke"].adopt is None and recs["nis_config.warehouse_van"].adopt is None


def test_a_warehouse_made_by_hand_wins_over_the_one_to_adopt(state):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    nis = gw.resolve_xmlids(["base.main_company"])["base.main_company"][1]
    by_hand = gw.create("stock.warehouse", [{"name": "Chicago", "code": "CHI", "company_id": nis}])[0]
    op = next(op for op in build_plan(gw, state, target="dev").operations if op.xmlid == "nis_config.warehouse_chi")
    assert (op.action, op.res_id) == ("adopt", by_hand)
    apply(gw, build_plan(gw, state, target="dev"))
    assert gw.resolve_xmlids(["nis_config.warehouse_chi"])["nis_config.warehouse_chi"] == ("stock.warehouse", by_hand)


def test_a_link_the_blueprint_drops_is_named_in_the_diff(state):
    """A group a role should stop implying is shown by external ID, not as #id."""
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    gw.relations["res.groups.implied_ids"] = "res.groups"
    apply(gw, build_plan(gw, state, target="dev"))
    role = next(r for r in state.records if r.xmlid == "nis_config.role_purchase_manager")
    role.values["implied_ids"] = {"$refs": ["purchase.group_purchase_user"], "$exact": True}
    [op] = build_plan(gw, state, target="dev").changes
    assert op.changes["implied_ids"].model_dump() == {
        "before": ["purchase.group_purchase_manager"], "after": ["purchase.group_purchase_user"]}


def test_roles_imply_their_groups_and_the_approval_group_they_own(state):
    roles = state.by_xmlid()
    assert "nis_config.group_credit_release" in roles["nis_config.role_credit_controller"].values["implied_ids"]["$refs"]
    assert "nis_config.group_discount_approver" in roles["nis_config.role_sales_manager"].values["implied_ids"]["$refs"]
    assert "nis_config.group_credit_release" not in roles["nis_config.role_sales_rep"].values["implied_ids"]["$refs"]


def test_warehouse_steps_and_resupply(state):
    recs = state.by_xmlid()
    chi, mke = recs["nis_config.warehouse_chi"].values, recs["nis_config.warehouse_mke"].values
    assert (chi["reception_steps"], chi["delivery_steps"]) == ("three_steps", "pick_pack_ship")
    assert mke["resupply_wh_ids"] == {"$refs": ["nis_config.warehouse_chi"], "$exact": True}
    assert "nis_config.picking_type_chi_pack" in recs and "nis_config.picking_type_van_pack" not in recs
    order = [r.xmlid for r in state.ordered()]
    assert order.index("nis_config.company_nis") < order.index("nis_config.warehouse_chi") < order.index("nis_config.warehouse_mke")


def test_automation_rules_follow_the_version(ws):
    bp = load_blueprint(ws.blueprints)[0]
    v18 = compile_blueprint(bp, ws.module, 18).by_xmlid()
    v16 = compile_blueprint(bp, ws.module, 16).by_xmlid()
    assert v18["nis_config.automation_credit_hold_action"].model == "ir.actions.server"
    assert "code" not in v18["nis_config.automation_credit_hold"].values
    assert "nis_config.automation_credit_hold_action" not in v16
    assert "raise UserError" in v16["nis_config.automation_credit_hold"].values["code"]
    assert v18["nis_config.payment_term_net30"].values["line_ids"]["$lines"][0]["nb_days"] == 30
    assert v16["nis_config.payment_term_net30"].values["line_ids"]["$lines"][0]["days"] == 30


def test_generated_rule_code_compiles_and_names_the_threshold(state):
    code = state.by_xmlid()["nis_config.automation_discount_approval_action"].values["code"]
    compile(code, "rule", "exec")
    assert "line.discount > 15.0" in code and "nis_config.group_discount_approver" in code


# -- plan and apply ----------------------------------------------------------------

def test_plan_on_an_empty_database_creates_everything_then_converges(state, tmp_path):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    first = build_plan(gw, state, target="dev")
    actions = {op.action for op in first.operations}
    assert "create" in actions and "adopt" in actions
    apply(gw, first, tmp_path)
    second = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, dict(op.changes)) for op in second.changes] == []
    creates_before = gw.round_trips("create")
    apply(gw, second, tmp_path)
    assert gw.round_trips("create") == creates_before
    log = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert len(log) == len(first.changes)
    assert {e["user"] for e in log} == {"tester"}


def test_plan_reads_in_batches_not_per_record(state):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    apply(gw, build_plan(gw, state, target="dev"))
    gw.calls.clear()
    build_plan(gw, state, target="dev")
    reads = [m for m, meth in gw.calls if meth == "read"]
    per_model = {m: reads.count(m) for m in set(reads)}
    # the model's records, plus once as a parent of adopted records, or once per company
    # for company-dependent values (product categories: 2 companies)
    assert max(per_model.values()) <= 3, per_model
    assert per_model["product.category"] == 3
    assert len(gw.calls) < 44, len(gw.calls)  # 40 before crm's teams and stages (a fields_get and a read each)


def test_a_changed_value_is_one_update_with_before_and_after(state, tmp_path):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    apply(gw, build_plan(gw, state, target="dev"))
    wh = gw.resolve_xmlids(["nis_config.warehouse_mke"])["nis_config.warehouse_mke"][1]
    gw.write("stock.warehouse", [wh], {"name": "Changed by hand"})
    plan = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid) for op in plan.changes] == [("update", "nis_config.warehouse_mke")]
    change = plan.changes[0].changes["name"]
    assert (change.before, change.after) == ("Changed by hand", "Milwaukee Branch")


def test_existing_record_without_external_id_is_adopted_not_duplicated(state):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    existing = gw.seed("res.partner.category", {"name": "Key Account"})
    plan = build_plan(gw, state, target="dev")
    op = next(o for o in plan.operations if o.xmlid == "nis_config.partner_segment_key")
    assert (op.action, op.res_id) == ("adopt", existing)
    apply(gw, plan)
    assert [r["id"] for r in gw.all("res.partner.category") if r["name"] == "Key Account"] == [existing]


def test_operation_types_of_an_existing_warehouse_are_adopted_through_its_fields(state):
    gw = odoo_like(state)
    company = gw.seed("res.company", {"name": "Northwind Industrial Supply Inc."}, xmlid="nis_config.company_nis")
    stock = gw.seed("stock.location", {"name": "CHI/Stock"})
    out = gw.seed("stock.picking.type", {"name": "CHI: Delivery", "reservation_method": "manual"})
    gw.seed("stock.warehouse", {"name": "Chicago", "code": "CHI", "company_id": company, "lot_stock_id": stock, "out_type_id": out},
            xmlid="nis_config.warehouse_chi")
    plan = build_plan(gw, state, target="dev")
    ops = {op.xmlid: op for op in plan.operations}
    assert (ops["nis_config.location_chi_stock"].action, ops["nis_config.location_chi_stock"].res_id) == ("adopt", stock)
    out_op = ops["nis_config.picking_type_chi_out"]
    assert (out_op.action, out_op.res_id) == ("adopt", out)
    assert (out_op.changes["reservation_method"].before, out_op.changes["reservation_method"].after) == ("manual", "at_confirm")


def test_saved_plan_is_refused_after_drift(state, tmp_path):
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    saved = build_plan(gw, state, target="dev")
    saved.save(tmp_path / "plan.json")
    reread = Plan.read(tmp_path / "plan.json")
    check_drift(reread, build_plan(gw, state, target="dev"))  # unchanged: accepted
    gw.seed("res.partner.category", {"name": "OEM Account"})
    with pytest.raises(PlanError, match="the database or the blueprint changed since the plan was made"):
        check_drift(reread, build_plan(gw, state, target="dev"))


def test_broken_plan_file_is_one_line_error(tmp_path):
    (tmp_path / "plan.json").write_text("{not json")
    with pytest.raises(PlanError, match="not a valid odookit plan"):
        Plan.read(tmp_path / "plan.json")


def test_truncated_or_foreign_plan_file_names_what_is_wrong(state, tmp_path):
    gw = MemoryGateway()
    for module in state.modules:  # on the server, to install
        gw.seed("ir.module.module", {"name": module, "state": "uninstalled"})
    plan = build_plan(gw, state, target="dev")
    path = tmp_path / "new" / "folder" / "plan.json"  # --out into a folder that does not exist yet
    plan.save(path)
    path.write_text(path.read_text()[:300])
    with pytest.raises(PlanError) as info:
        Plan.read(path)
    assert "not a valid odookit plan: Invalid JSON: EOF while parsing" in info.value.line()
    path.write_text("{}")
    with pytest.raises(PlanError) as info:
        Plan.read(path)
    assert "not a valid odookit plan: target: Field required." in info.value.line()


# -- export -----------------------------------------------------------------------

def test_export_writes_an_odoo_module_with_the_same_external_ids(state, tmp_path):
    path = export_module(state, tmp_path / "out")
    manifest = (path / "__manifest__.py").read_text()
    assert "'depends': ['account'," in manifest and "'license': 'LGPL-3'" in manifest
    ids = set()
    for xml in path.rglob("*.xml"):
        root = etree.parse(str(xml)).getroot()
        ids |= {el.get("id") for el in root.iter("record")}
    assert {"warehouse_mke", "role_sales_rep", "automation_credit_hold", "base.main_company", "bind_company_nis",
            "stock.warehouse0", "bind_warehouse_chi"} <= ids
    groups = etree.parse(str(path / "security" / "groups.xml")).getroot()
    role = groups.find("record[@id='role_credit_controller']/field[@name='implied_ids']")
    assert "ref('nis_config.group_credit_release')" in role.get("eval")
    assert path.stat().st_mode & 0o777 == 0o755  # readable by an Odoo server running as another user
    export_module(state, tmp_path / "out")  # a second export replaces the first cleanly
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["nis_config"]


def test_export_escapes_text_through_the_xml_library(state):
    state.records[0].values["name"] = 'A & B <"quoted">'
    files = module_files(state)
    parsed = [etree.fromstring(content) for name, content in files.items() if name.endswith(".xml")]
    texts = [el.text for root in parsed for el in root.iter("field") if el.text]
    assert 'A & B <"quoted">' in texts


# -- CLI --------------------------------------------------------------------------

@pytest.fixture
def memory_target(monkeypatch, ws, state):
    monkeypatch.setattr("odookit.blueprints.workflow.compile_blueprint", lambda *a: without_odoo_made_records(compile_blueprint(*a)))
    gw = odoo_like(state)
    monkeypatch.setattr("odookit.blueprints.workflow.open_target", lambda ws_, name: gw)
    return gw


def invoke(ws, *args):
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def test_cli_plan_check_apply_twice(ws, memory_target, tmp_path):
    check = invoke(ws, "blueprint", "plan", "-t", "dev", "--check")
    assert check.exit_code == 1, check.output
    assert "+ create stock.warehouse nis_config.warehouse_mke" in check.output
    assert "= adopt stock.warehouse nis_config.warehouse_chi (adopting stock.warehouse0)" in check.output
    assert "Error: drift:" in check.output
    first = invoke(ws, "blueprint", "apply", "-t", "dev")
    assert first.exit_code == 0, first.output
    assert "Applied" in first.output
    second = invoke(ws, "blueprint", "apply", "-t", "dev")
    assert second.exit_code == 0, second.output
    assert "Nothing to do: target 'dev' already matches the blueprint." in second.output
    assert invoke(ws, "blueprint", "plan", "-t", "dev", "--check").exit_code == 0
    assert (ws.root / ".odookit" / "changelog.jsonl").is_file()


def test_cli_production_target_needs_saved_plan_and_yes(ws, memory_target, tmp_path):
    refused = invoke(ws, "blueprint", "apply", "-t", "prod")
    assert refused.exit_code == 2, refused.output
    assert "target 'prod' is marked production" in refused.output
    assert "`odookit blueprint apply -t prod --plan plan.json --yes`" in refused.output  # the fix can be copied as shown
    assert "Traceback" not in refused.output
    plan_file = tmp_path / "plan.json"
    planned = invoke(ws, "blueprint", "plan", "-t", "prod", "--out", str(plan_file))
    assert (planned.exit_code, planned.exception) == (0, None), planned.output
    saved = Plan.read(plan_file)
    assert (saved.target, saved.database, len(saved.changes) > 0) == ("prod", memory_target.db, True)
    no_yes = invoke(ws, "blueprint", "apply", "-t", "prod", "--plan", str(plan_file))
    assert no_yes.exit_code == 2 and "marked production" in no_yes.output
    ok = invoke(ws, "blueprint", "apply", "-t", "prod", "--plan", str(plan_file), "--yes")
    assert ok.exit_code == 0, ok.output


def test_cli_export_and_schema(ws, tmp_path):
    out = invoke(ws, "blueprint", "export", "--out", str(tmp_path / "mods"))
    assert out.exit_code == 0, out.output
    assert (tmp_path / "mods" / "nis_config" / "__manifest__.py").is_file()
    schema = invoke(ws, "blueprint", "schema")
    assert schema.exit_code == 0
    assert "warehouses" in json.loads(schema.output)["properties"]


def test_build_runs_the_blueprint_stages(ws):
    result = invoke(ws, "build", "--json")
    stages = {r["stage"]: r for r in json.loads(result.output)}
    for name in ("blueprint validate", "blueprint compile", "blueprint export"):
        assert stages[name]["status"] == "ok", stages[name]
    assert Path(stages["blueprint export"]["outputs"][0], "__manifest__.py").is_file()


def test_an_app_missing_from_the_server_is_a_one_line_error(ws, state, monkeypatch):
    state = without_odoo_made_records(state)
    state.modules.append("stock_picking_batch")
    gw = odoo_like(state)
    for row in gw.all("ir.module.module"):
        if row["name"] == "sale_management":
            gw.write("ir.module.module", [row["id"]], {"state": "uninstalled"})
        if row["name"] == "stock_picking_batch":  # not on the server's addons path
            gw.unlink("ir.module.module", [row["id"]])
    monkeypatch.setattr("odookit.blueprints.workflow.open_target", lambda ws_, name: gw)
    monkeypatch.setattr("odookit.blueprints.workflow.compile_blueprint", lambda *a: state)
    plan = invoke(ws, "blueprint", "plan", "-t", "dev")
    assert "+ install apps sale_management, stock_picking_batch" in plan.output
    result = invoke(ws, "blueprint", "apply", "-t", "dev")
    assert result.exit_code == 2, result.output
    assert result.output.strip().endswith(
        "module(s) stock_picking_batch are not available on the server. "
        "Add them to the server's addons path, or remove the feature from the blueprint."
    )
    assert gw.round_trips("create") == 0  # nothing written before the install failed


def test_pricelist_rules_are_records_of_their_own(state):
    """Prices the migration loads into a blueprint pricelist are not the blueprint's drift."""
    recs = state.by_xmlid()
    assert "item_ids" not in recs["nis_config.pricelist_contract_a"].values
    rule = recs["nis_config.pricelist_rule_contract_a_fast_500"].values
    assert (rule["pricelist_id"], rule["percent_price"], rule["min_quantity"]) == (
        {"$ref": "nis_config.pricelist_contract_a"}, 18.0, 500.0)
    state = without_odoo_made_records(state)
    gw = odoo_like(state)
    apply(gw, build_plan(gw, state, target="dev"))
    pricelist = gw.resolve_xmlids(["nis_config.pricelist_contract_a"])["nis_config.pricelist_contract_a"][1]
    gw.create("product.pricelist.item", [{"pricelist_id": pricelist, "applied_on": "0_product_variant", "fixed_price": 9.5}])
    assert build_plan(gw, state, target="dev").changes == []


def test_two_rules_for_the_same_category_and_quantity_are_refused(tmp_path):
    from odookit.errors import Problems

    (tmp_path / "bp.yaml").write_text(
        "companies: [{code: A, name: A, country: US, currency: USD}]\n"
        "pricelists:\n  - code: P\n    name: P\n    rules:\n      - {discount: 5}\n      - {discount: 7}\n"
    )
    with pytest.raises(Problems) as info:
        load_blueprint(tmp_path, root=tmp_path)
    assert info.value.lines() == ["bp.yaml:7:9: two rules for all products from quantity 0 (the other is rule 1); merge them into one"]


def test_fefo_removal_brings_the_app_that_defines_it(ws):
    bp, _ = load_blueprint(ws.blueprints)
    assert "product_expiry" not in compile_blueprint(bp, ws.module, 18).modules
    fefo = bp.product_categories[0].model_copy(update={"removal_strategy": "fefo"})
    state = compile_blueprint(bp.model_copy(update={"product_categories": [fefo, *bp.product_categories[1:]]}), ws.module, 18)
    assert "product_expiry" in state.modules
    assert state.by_xmlid()["nis_config.product_category_fast"].values["removal_strategy_id"] == {"$ref": "product_expiry.removal_fefo"}


def _refusal(code: str, records, user_groups=()) -> str:
    """Run a generated rule the way Odoo's sandbox does (env, records, UserError) and return its message."""

    class Refused(Exception):
        pass

    class User:
        def has_group(self, group):
            return group in user_groups

    try:
        exec(compile(code, "rule", "exec"), {"env": type("Env", (), {"user": User()})(), "records": records, "UserError": Refused})
    except Refused as refusal:
        return str(refusal)
    return ""


def test_refusals_name_the_blueprint_roles_whatever_they_are_called(tmp_path):
    """A client's roles are its own ("Vertriebsleitung", even with a quote or a %): the message asks for them,
    never for the sample's Sales Manager, and an approval without a role asks an administrator."""
    (tmp_path / "bp.yaml").write_text(
        "companies: [{code: HQ, name: Elbtal GmbH, country: DE, currency: EUR, main: true}]\n"
        "approvals: {sales_discount_above: 10, sales_discount_role: vl, inventory_adjustment_above: 1000}\n"
        "roles:\n"
        "  - {code: vl, name: 'Vertriebs\"leitung 100%', groups: [sales_team.group_sale_manager]}\n",
        encoding="utf-8",
    )
    recs = compile_blueprint(load_blueprint(tmp_path)[0], "ebh_config", 18).by_xmlid()
    discount = recs["ebh_config.automation_discount_approval_action"].values["code"]
    line = type("Line", (), {"discount": 12.0})()
    order = type("Order", (), {"name": "S00042", "order_line": [line]})()
    assert _refusal(discount, [order]) == (
        'Discount approval needed: S00042 has 1 line(s) with a discount above 10% (largest 12.0%). '
        'Ask a Vertriebs"leitung 100% to confirm the order.'
    )
    assert _refusal(discount, [order], user_groups={"ebh_config.group_discount_approver"}) == ""
    adjustment = recs["ebh_config.automation_inventory_adjustment_action"].values["code"]
    move = type("Move", (), {"quantity": -30.0, "product_id": type("P", (), {"standard_price": 40.0})()})()
    assert _refusal(adjustment, [move]) == (
        "Inventory adjustment approval needed: this adjustment is worth 1200.00, above 1000. Ask an administrator to apply it."
    )


def test_credit_hold_refusal_asks_for_the_release_role(state):
    code = state.by_xmlid()["nis_config.automation_credit_hold_action"].values["code"]
    assert code.count("'Ask a Credit Controller to release the order.'") == 1
    assert "Sales Manager" not in code


def test_a_new_currency_is_left_to_odoo_s_company_write(tmp_path):
    """Activating EUR before the main company switches to it made Odoo's default pricelist in the old currency
    (USD), and every customer without a pricelist of a German client ordered in dollars. Odoo's own
    res.company write activates the currency and makes that pricelist in the new one."""
    (tmp_path / "bp.yaml").write_text(
        "companies: [{code: HQ, name: Elbtal GmbH, country: DE, currency: EUR, main: true}]\n", encoding="utf-8")
    state = compile_blueprint(load_blueprint(tmp_path)[0], "ebh_config", 18)
    assert [r.xmlid for r in state.records if r.model == "res.currency"] == []
    company = state.by_xmlid()["ebh_config.company_hq"]
    assert (company.adopt, company.values["currency_id"]) == ("base.main_company", {"$ref": "base.EUR"})


def test_early_discount_becomes_the_term_s_cash_discount_and_is_switched_off_when_dropped(tmp_path):
    (tmp_path / "bp.yaml").write_text(
        "companies: [{code: HQ, name: Elbtal GmbH, country: DE, currency: EUR, main: true}]\n"
        "payment_terms:\n"
        "  - {code: T14S, name: '14 Tage 2 % Skonto, 30 Tage netto', lines: [{days: 30}], early_discount: {percent: 2, days: 14}}\n"
        "  - {code: T30N, name: 30 Tage netto, lines: [{days: 30}]}\n", encoding="utf-8")
    recs = compile_blueprint(load_blueprint(tmp_path)[0], "ebh_config", 18).by_xmlid()
    skonto = recs["ebh_config.payment_term_t14s"].values
    assert (skonto["early_discount"], skonto["discount_percentage"], skonto["discount_days"]) == (True, 2.0, 14)
    net = recs["ebh_config.payment_term_t30n"].values
    assert net["early_discount"] is False and "discount_percentage" not in net
