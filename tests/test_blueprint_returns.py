"""returns and exceptions: schema, references, compile, the generated rule code, plan, export, governance, UAT.

The generated server-action code is run here with plain objects standing in for
Odoo's records (as tests/test_catch_blueprint.py runs the credit hold): that
tests odookit's code, what Odoo does with it is proven on a real server.
"""

from __future__ import annotations

import datetime

import pytest
from lxml import etree

from odookit.blueprints.apply import Applier
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.export import module_files
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import build_plan
from odookit.blueprints.schema import Blueprint

from conftest import odoo_like, without_odoo_made_records
from test_blueprint_localization import problems, write

# A client none of the shipped code was written for
BP = """\
companies:
  - {code: FF, name: Fjord Fisk ApS, country: DK, currency: DKK, main: true}
warehouses:
  - {code: OSL, name: Oslo, company: FF}
  - {code: BGO, name: Bergen, company: FF}
product_categories:
  - {code: FROZ, name: Frozen}
roles:
  - {code: seller, name: Selger, groups: [sales_team.group_sale_salesman]}
  - {code: sales_lead, name: Salgssjef, groups: [sales_team.group_sale_manager]}
  - {code: picker, name: Plukker, groups: [stock.group_stock_user]}
  - {code: desk, name: Returdesk, groups: [stock.group_stock_user]}
  - {code: depot_lead, name: Lagersjef, groups: [stock.group_stock_manager]}
  - {code: buyer, name: Innkjøper, groups: [purchase.group_purchase_user, stock.group_stock_user]}
returns:
  window_days: 21
  authorise_role: depot_lead
  return_roles: [desk]
  quarantine:
    - {warehouse: BGO, location: Karantene}
exceptions:
  rush_orders: {approver_role: sales_lead}
  late_receipts: {grace_days: 2, interval_hours: 6}
"""
M = "ff_config"


def state_of(tmp_path, text: str = BP, major: int = 18):
    bp, _ = load_blueprint(write(tmp_path, text))
    return bp, compile_blueprint(bp, M, major)


def test_schema_describes_every_new_field():
    defs = Blueprint.model_json_schema()["$defs"]
    for model, fields in (("ReturnPolicy", ("window_days", "authorise_role", "return_roles", "quarantine")),
                          ("Quarantine", ("warehouse", "location")), ("ExceptionPaths", ("rush_orders", "late_receipts")),
                          ("RushOrders", ("approver_role",)), ("LateReceipts", ("grace_days", "interval_hours"))):
        for field in fields:
            assert defs[model]["properties"][field].get("description"), f"{model}.{field}"
    props = Blueprint.model_json_schema()["properties"]
    assert props["returns"]["description"].startswith("Return policy") and props["exceptions"]["description"]


# -- references ---------------------------------------------------------------------

def test_unknown_roles_and_warehouse_get_did_you_mean_at_their_line(tmp_path):
    text = (BP.replace("authorise_role: depot_lead", "authorise_role: depot_led").replace("return_roles: [desk]", "return_roles: [dsk]")
            .replace("{warehouse: BGO, location", "{warehouse: BGOO, location").replace("approver_role: sales_lead", "approver_role: saleslead"))
    assert problems(tmp_path, text) == [
        "blueprints/bp.yaml:17:3: unknown role 'depot_led' (did you mean 'depot_lead'?). Use one of: seller, sales_lead, picker, desk, depot_lead, buyer.",
        "blueprints/bp.yaml:18:18: unknown role 'dsk' (did you mean 'desk'?). Use one of: seller, sales_lead, picker, desk, depot_lead, buyer.",
        "blueprints/bp.yaml:20:8: unknown warehouse 'BGOO' (did you mean 'BGO'?). Use one of: OSL, BGO.",
        "blueprints/bp.yaml:22:17: unknown role 'saleslead' (did you mean 'sales_lead'?). Use one of: seller, sales_lead, picker, desk, depot_lead, buyer.",
    ]


def test_a_nested_or_second_quarantine_location_is_refused(tmp_path):
    text = BP.replace("location: Karantene}", "location: Stock/Karantene}\n    - {warehouse: BGO, location: Hold}")
    assert problems(tmp_path, text) == [
        "blueprints/bp.yaml:20:24: quarantine location 'Stock/Karantene' has a slash: it is made directly under the warehouse. "
        "Write one name, e.g. 'Returns Quarantine' (it becomes <warehouse>/Returns Quarantine).",
        "blueprints/bp.yaml:21:7: a second quarantine location for warehouse BGO (the other is returns.quarantine[0]). "
        "Keep one quarantine location per warehouse.",
    ]


def test_a_negative_window_and_a_missing_authoriser_are_schema_errors(tmp_path):
    lines = problems(tmp_path, BP.replace("window_days: 21", "window_days: -1").replace("  authorise_role: depot_lead\n", ""))
    assert lines == ["blueprints/bp.yaml:15:1: missing required key 'returns.authorise_role'",
                     "blueprints/bp.yaml:16:3: returns.window_days: Input should be greater than or equal to 0 (got -1)"]


def test_bad_input_exits_2_with_the_line(tmp_path):
    from click.testing import CliRunner

    from odookit.cli import cli

    ws = tmp_path / "ws"
    (ws / "blueprints").mkdir(parents=True)
    (ws / "odookit.toml").write_text('[engagement]\nname = "t"\nmodule = "ff_config"\n\n[targets.dev]\nurl = "http://127.0.0.1:1"\n'
                                     'database = "nowhere"\nlogin = "admin"\nversion = "18.0"\n')
    (ws / "blueprints" / "bp.yaml").write_text(BP.replace("approver_role: sales_lead", "approver_role: saleslead"))
    result = CliRunner().invoke(cli, ["-w", str(ws), "blueprint", "validate"], prog_name="odookit")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[0] == ("blueprints/bp.yaml:22:17: unknown role 'saleslead' (did you mean 'sales_lead'?). "
                                             "Use one of: seller, sales_lead, picker, desk, depot_lead, buyer.")
    assert "Traceback" not in result.output


# -- compile ----------------------------------------------------------------------------

def test_roles_imply_the_policy_groups_they_are_named_for(tmp_path):
    _, state = state_of(tmp_path)
    records = state.by_xmlid()
    implied = {code: records[f"{M}.role_{code}"].values["implied_ids"]["$refs"] for code in ("desk", "depot_lead", "sales_lead", "picker")}
    assert f"{M}.group_return_user" in implied["desk"] and f"{M}.group_return_authoriser" not in implied["desk"]
    assert f"{M}.group_return_authoriser" in implied["depot_lead"]
    assert f"{M}.group_rush_approver" in implied["sales_lead"]
    assert not any(g.startswith(M) for g in implied["picker"])
    assert records[f"{M}.group_rush_approver"].values == {"name": "Fjord Fisk ApS: Rush Order Approval"}


def test_quarantine_location_sits_beside_stock_under_the_warehouse(tmp_path):
    _, state = state_of(tmp_path)
    records = state.by_xmlid()
    assert records[f"{M}.quarantine_location_bgo"].values == {
        "name": "Karantene", "location_id": {"$ref": f"{M}.location_bgo_view"}, "usage": "internal"}
    assert records[f"{M}.location_bgo_view"].adopt == f"{M}.warehouse_bgo/view_location_id"
    assert f"{M}.quarantine_location_osl" not in records


def test_rules_and_the_late_receipt_action(tmp_path):
    _, state = state_of(tmp_path)
    records = state.by_xmlid()
    rule = records[f"{M}.automation_return_policy"].values
    assert rule["model_id"] == {"$ref": "stock.model_stock_picking"}
    assert rule["filter_domain"] == "[('return_id', '!=', False), ('return_id.picking_type_code', '=', 'outgoing')]"
    assert records[f"{M}.automation_return_policy_action"].values["base_automation_id"] == {"$ref": f"{M}.automation_return_policy"}
    assert records[f"{M}.automation_rush_order"].values["filter_domain"] == "[('state', '=', 'sale')]"
    cron = records[f"{M}.cron_late_receipts"]
    assert (cron.model, cron.values["interval_number"], cron.values["interval_type"], cron.values["state"]) == ("ir.cron", 6, "hours", "code")
    assert records[f"{M}.activity_type_late_receipt"].values["res_model"] == "stock.picking"


def test_without_the_sections_the_rules_and_action_are_switched_off(tmp_path):
    _, state = state_of(tmp_path, BP.split("returns:")[0])
    records = state.by_xmlid()
    for xid in ("automation_return_policy", "automation_rush_order", "cron_late_receipts"):
        assert (records[f"{M}.{xid}"].retire, records[f"{M}.{xid}"].values) == (True, {"active": False}), xid
    assert f"{M}.activity_type_late_receipt" not in records


# -- the generated code, run with plain objects -------------------------------------------------

class _Refused(Exception):
    pass


def _ns(**kw):
    return type("NS", (), kw)()


def _user(groups=(), name="Kari"):
    return _ns(name=name, has_group=staticmethod(lambda g: g in groups))


def _run(code, records, user, env_extra=None):
    env = type("Env", (dict,), {"user": user, "ref": lambda self, x, raise_if_not_found=True: env_extra["ref"](x)})(env_extra.get("models", {}) if env_extra else {})
    try:
        exec(compile(code, "rule", "exec"), {"env": env, "records": records, "UserError": _Refused, "datetime": datetime})
    except _Refused as refusal:
        return str(refusal)
    return ""


def _return_of(days_ago, code="outgoing"):
    delivery = _ns(name="OSL/OUT/00007", picking_type_code=code, date_done=datetime.datetime.now() - datetime.timedelta(days=days_ago, hours=1))
    return _ns(return_id=delivery)


def test_the_return_policy_refuses_outsiders_and_old_deliveries_but_not_the_authoriser(tmp_path):
    _, state = state_of(tmp_path)
    code = state.by_xmlid()[f"{M}.automation_return_policy_action"].values["code"]
    taker, authoriser = _user([f"{M}.group_return_user"]), _user([f"{M}.group_return_authoriser"])
    assert _run(code, [_return_of(21)], taker) == ""
    assert _run(code, [_return_of(22)], taker) == (
        "Return window passed: OSL/OUT/00007 was delivered 22 days ago, over the 21-day return window. Ask a Lagersjef to authorise the return.")
    assert _run(code, [_return_of(3)], _user()) == "Return not authorised: Kari may not take back customer returns. Ask a Lagersjef to authorise the return."
    assert _run(code, [_return_of(400)], authoriser) == ""
    assert _run(code, [_return_of(400, "incoming")], _user()) == ""  # a return to a vendor is not a customer return


def test_the_rush_rule_refuses_a_promise_before_the_expected_date_unless_approver(tmp_path):
    _, state = state_of(tmp_path)
    code = state.by_xmlid()[f"{M}.automation_rush_order_action"].values["code"]
    expected = datetime.datetime(2030, 5, 20, 9, 0)
    order = lambda promised: _ns(name="S00042", commitment_date=promised, expected_date=expected)  # noqa: E731
    assert _run(code, [order(datetime.datetime(2030, 5, 12, 9, 0))], _user()) == (
        "Rush order: S00042 is promised for 2030-05-12, sooner than its lead time allows (2030-05-20). Ask a Salgssjef to confirm the order.")
    assert _run(code, [order(datetime.datetime(2030, 5, 12))], _user([f"{M}.group_rush_approver"])) == ""
    assert _run(code, [order(expected)], _user()) == ""
    assert _run(code, [order(False)], _user()) == ""


def test_the_late_receipt_action_gives_one_activity_to_the_buyer(tmp_path):
    _, state = state_of(tmp_path)
    code = state.by_xmlid()[f"{M}.cron_late_receipts"].values["code"]
    kind = _ns(id=77)
    buyer, creator = _ns(id=8), _ns(id=9)
    scheduled = []

    class Activities(list):
        def filtered(self, keep):
            return [a for a in self if keep(a)]

    class Lines:
        def __init__(self, order):
            self.order_id = order

    def picking(name, order, activities=()):
        p = _ns(name=name, scheduled_date=datetime.datetime(2030, 1, 2), partner_id=_ns(name="Havbruk AS"),
                activity_ids=Activities(activities), move_ids=_ns(purchase_line_id=Lines(order)))
        p.activity_schedule = lambda **kw: scheduled.append((name, kw))
        return p

    class _Order:
        def __init__(self, user):
            self.user_id, self.create_uid, self.name, self.partner_id = user, creator, "P00011", _ns(name="Havbruk AS")

        def __getitem__(self, _):
            return self

    searched = []

    class Pickings:
        def sudo(self):
            return self

        def search(self, domain):
            searched.append(domain)
            return [picking("OSL/IN/1", _Order(buyer)), picking("OSL/IN/2", _Order(buyer), [_ns(activity_type_id=kind)]),
                    picking("OSL/IN/3", _Order(None))]

    before = datetime.datetime.now()
    assert _run(code, [], _user(), {"ref": lambda x: kind, "models": {"stock.picking": Pickings()}}) == ""
    (domain,) = searched
    cutoff = next(v for f, op, v in domain if f == "scheduled_date")
    assert before - datetime.timedelta(days=2, seconds=5) < cutoff <= datetime.datetime.now() - datetime.timedelta(days=2)
    assert ("return_id", "=", False) in domain and ("picking_type_code", "=", "incoming") in domain
    assert [(name, kw["user_id"], kw["activity_type_id"]) for name, kw in scheduled] == [("OSL/IN/1", 8, 77), ("OSL/IN/3", 9, 77)]
    assert scheduled[0][1]["summary"] == "Late receipt: OSL/IN/1 from Havbruk AS"


# -- plan, apply, export ---------------------------------------------------------------------------

def _gateway(state):
    gw = odoo_like(state)
    for wh in ("osl", "bgo"):  # what Odoo's warehouse would have made
        gw.seed("stock.location", {"name": wh.upper()}, xmlid=f"{M}.location_{wh}_view")
    return gw


@pytest.mark.parametrize("major", [18, 19])
def test_apply_then_plan_is_empty(tmp_path, major):
    _, state = state_of(tmp_path, major=major)
    full = state.by_xmlid()
    state = without_odoo_made_records(state)
    state.records.append(full[f"{M}.quarantine_location_bgo"])
    gw = _gateway(state)
    first = build_plan(gw, state, target="dev")
    made = {op.xmlid for op in first.operations if op.action == "create"}
    assert {f"{M}.quarantine_location_bgo", f"{M}.automation_return_policy", f"{M}.cron_late_receipts",
            f"{M}.activity_type_late_receipt", f"{M}.group_return_authoriser"} <= made
    Applier(gw, first, None, user="t").run()
    [q] = [r for r in gw.all("stock.location") if r.get("name") == "Karantene"]
    assert q["usage"] == "internal"
    assert build_plan(gw, state, target="dev").changes == []


def test_export_puts_the_rules_in_automation_and_the_action_in_configuration(tmp_path):
    _, state = state_of(tmp_path)
    files = module_files(state)
    automation = etree.fromstring(files["data/automation.xml"])
    ids = [el.get("id") for el in automation if el.tag == "record"]
    assert {"automation_return_policy", "automation_return_policy_action", "automation_rush_order"} <= set(ids)
    config = etree.fromstring(files["data/configuration.xml"])
    cron = next(el for el in config if el.get("id") == "cron_late_receipts")
    assert cron.get("model") == "ir.cron" and cron.find("field[@name='interval_number']").get("eval") == "6"
    q = next(el for el in config if el.get("id") == "quarantine_location_bgo")
    assert q.find("field[@name='name']").text == "Karantene"


# -- governance ---------------------------------------------------------------------------------------

def test_role_matrix_and_capabilities_name_the_policy_groups(tmp_path):
    from odookit.governance.capabilities import role_capabilities
    from odookit.governance.matrix import role_matrix
    from odookit.governance.policy import Policy

    bp, _ = state_of(tmp_path)
    caps = role_capabilities(bp, M)
    assert {"take_returns"} <= caps["desk"] and "authorise_returns" not in caps["desk"]
    assert {"take_returns", "authorise_returns"} <= caps["depot_lead"]
    assert "approve_rush" in caps["sales_lead"] and "approve_rush" not in caps["seller"]
    matrix = role_matrix(bp, Policy(module=M, rules=[]))
    labels = {c.xmlid: c.name for c in matrix.columns if c.app == "Approvals"}
    assert labels[f"{M}.group_return_authoriser"] == "Authorise returns (past the window too)"
    assert matrix.cells["sales_lead"][f"{M}.group_rush_approver"] == "direct"


# -- UAT generation ----------------------------------------------------------------------------------

def test_generated_scenarios_speak_the_policy(tmp_path):
    from odookit.uat_scenarios.suite import generate_suite

    bp, _ = state_of(tmp_path)
    files = generate_suite(bp, M).files()
    policy = files["return_policy.feature"]
    assert 'When I log in as the "Plukker"\n    And I try to return' in policy
    assert 'Then the return is refused with a message containing "Return not authorised"' in policy
    assert "Given the delivery of the order was done 22 days ago" in policy
    assert 'When I log in as the "Lagersjef"\n    And I return 2 units' in policy
    # the main warehouse (OSL) has no quarantine in the policy: the scenario makes one
    assert 'Given a quarantine location "UAT Returns Quarantine" in warehouse "OSL"' in policy
    assert 'Then the confirmation is blocked with a message containing "Rush order"' in files["rush_orders.feature"]
    late = files["late_receipts.feature"]
    assert "When the receipt of the purchase order is 4 days overdue" in late
    assert 'Then the receipt has a late receipt activity for the "Innkjøper"' in late
    # the ordinary returns are taken back by a role that may take returns
    assert 'And I log in as the "Returdesk"\n    And I ship the order in full' in files["returns.feature"]


def test_the_blueprints_quarantine_is_used_and_missing_roles_are_findings(tmp_path):
    from odookit.uat_scenarios.suite import generate_suite

    text = BP.replace("{warehouse: BGO, location: Karantene}", "{warehouse: OSL, location: Karantene}")
    text = text.replace("  - {code: picker, name: Plukker, groups: [stock.group_stock_user]}\n", "")
    text = text.replace("  - {code: buyer, name: Innkjøper, groups: [purchase.group_purchase_user, stock.group_stock_user]}\n", "")
    bp, _ = state_of(tmp_path, text)
    suite = generate_suite(bp, M)
    policy = suite.files()["return_policy.feature"]
    assert 'And I receive the return into location "Karantene"' in policy and "Given a quarantine location" not in policy
    gaps = [f.line() for f in suite.findings]
    assert ("return_policy.feature: A return by a role that may not take returns back is refused: no blueprint role may pick, pack, "
            "ship and receive but may not take back customer returns within the return window (give a role the Odoo groups for it in blueprints/)") in gaps
    assert any(g.startswith("late_receipts.feature: A receipt 4 days overdue") for g in gaps)


# -- SOPs -------------------------------------------------------------------------------------------

def _sop(bp, slug: str) -> str:
    from types import SimpleNamespace

    from odookit.governance.matrix import role_matrix
    from odookit.governance.policy import Policy
    from odookit.sop_templates.context import sops
    from odookit.sop_templates.render import render

    ws = SimpleNamespace(name="Fjord", module=M, config=SimpleNamespace(engagement=SimpleNamespace(client="Fjord Fisk")))
    sop = next(s for s in sops(ws, bp, role_matrix(bp, Policy(module=M, rules=[]))) if s.slug == slug)
    return render(sop.template, sop.context)


def test_the_returns_sop_follows_the_policy(tmp_path):
    bp, _ = state_of(tmp_path)
    page = _sop(bp, "sop-returns")
    assert "- **Return window: 21 days** after the delivery was done." in page
    assert "- Who takes a return back within the window: Returdesk, Lagersjef." in page
    assert "- Who authorises a return past the window: **Lagersjef** (and only that role)." in page
    assert "| Bergen (BGO) | BGO/Karantene |" in page
    assert 'W -- no --> AU["Lagersjef authorises"] --> RT' in page
    plain = _sop(state_of(tmp_path, BP.split("returns:")[0])[0], "sop-returns")
    assert "Return policy" not in plain and "Return window" not in plain


def test_the_exceptions_and_taxes_sops_name_the_roles(tmp_path):
    text = BP.replace("country: DK, currency: DKK, main: true}", "country: DK, currency: DKK, main: true, localization: dk}")
    text = text.replace("roles:\n", "roles:\n  - {code: acct, name: Regnskab, groups: [account.group_account_manager]}\n", 1)
    bp, _ = state_of(tmp_path, text)
    page = _sop(bp, "sop-exceptions")
    assert "Only the **Salgssjef** confirms it (holders today: Salgssjef);" in page
    assert "Every 6 hour(s) a scheduled action looks for purchase receipts not received\n2 day(s) after their scheduled date" in page
    taxes = _sop(bp, "sop-taxes")
    assert "- Who may change taxes and fiscal positions in Odoo (Accounting administrators): Regnskab." in taxes
    assert "| Fjord Fisk ApS (FF) | DK | dk |" in taxes


def test_the_thresholds_page_lists_the_return_window_and_rush_approval(tmp_path):
    from types import SimpleNamespace

    from odookit.docs.pages import thresholds_page
    from odookit.governance.matrix import role_matrix
    from odookit.governance.policy import Policy
    from odookit.sop_templates.context import base_context

    bp, _ = state_of(tmp_path)
    ws = SimpleNamespace(name="Fjord", module=M, config=SimpleNamespace(engagement=SimpleNamespace(client="Fjord Fisk")))
    page = thresholds_page(base_context(ws, bp, role_matrix(bp, Policy(module=M, rules=[]))))
    assert "| Customer return | more than 21 days after the delivery | Lagersjef | return refused unless authorised |" in page
    assert "| Rush order | delivery date sooner than the lead time | Salgssjef | confirmation refused until approved |" in page
    assert "| Late receipt | 2 day(s) past the scheduled date | - | activity for the buyer |" in page
