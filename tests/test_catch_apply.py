"""Apply, operation by operation, on hand-made plans: what it writes, where, as whom, and what it logs.

The stand-in holds generic records only; every value written is read back exactly.
"""

from __future__ import annotations

import json

import pytest

from odookit.blueprints.apply import Applier
from odookit.blueprints.desired import lines, ref, refs
from odookit.blueprints.plan import Change, Operation, Plan
from odookit.errors import PlanError
from odookit.odoo.memory import MemoryGateway


def plan_of(*operations: Operation) -> Plan:
    return Plan(target="dev", url="memory://odoo", database="memory", module="acme", odoo_version="18.0",
                created_at="2026-12-01T08:00:00+00:00", operations=list(operations))


@pytest.fixture
def gw() -> MemoryGateway:
    gw = MemoryGateway(relations={"product.pricelist.item_ids": "product.pricelist.item"})
    gw.seed("res.company", {"name": "Acme"}, "base.main_company")
    gw.seed("res.company", {"name": "Acme West"}, "acme.company_west")
    for code in ("user", "sales", "stock"):
        gw.seed("res.groups", {"name": code}, f"base.group_{code}")
    return gw


def ids(gw, *xmlids):
    found = gw.resolve_xmlids(xmlids)
    return [found[x][1] for x in xmlids]


def test_a_create_resolves_references_writes_relational_commands_and_binds_its_external_id(gw, tmp_path):
    op = Operation(action="create", model="res.groups", xmlid="acme.role_clerk", label="role clerk",
                   values={"name": "Role: Clerk", "implied_ids": refs(["base.group_user", "base.group_sales"])},
                   changes={"name": Change(before=None, after="Role: Clerk")})
    [done] = Applier(gw, plan_of(op), tmp_path / "log.jsonl", user="tester").run()
    assert done is op
    [rid] = ids(gw, "acme.role_clerk")
    user, sales = ids(gw, "base.group_user", "base.group_sales")
    assert gw.read("res.groups", [rid], ["name", "implied_ids"])[0] == {"id": rid, "name": "Role: Clerk", "implied_ids": [sales, user]}
    [entry] = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert entry.pop("at").startswith("20")
    assert entry == {"user": "tester", "login": "admin", "target": "dev", "database": "memory", "op": "create",
                     "model": "res.groups", "xmlid": "acme.role_clerk", "company": None, "res_id": rid, "modules": [],
                     "before": {"name": None}, "after": {"name": "Role: Clerk"}}
    [binding] = [r for r in gw.all("ir.model.data") if r["name"] == "role_clerk"]
    assert (binding["module"], binding["model"], binding["res_id"], binding["noupdate"]) == ("acme", "res.groups", rid, True)


def test_a_record_of_a_second_company_is_created_as_that_company(gw):
    calls = []
    real = gw.execute

    def spy(model, method, ids=None, **kwargs):
        calls.append((model, method, kwargs.get("context")))
        return real(model, method, ids, **kwargs)

    gw.execute = spy
    op = Operation(action="create", model="stock.warehouse", xmlid="acme.warehouse_w", values={"name": "W", "company_id": ref("acme.company_west")})
    Applier(gw, plan_of(op), None).run()
    [west] = ids(gw, "acme.company_west")
    assert [c for c in calls if c[1] == "create" and c[0] == "stock.warehouse"] == [
        ("stock.warehouse", "create", {"allowed_company_ids": [west]})]
    calls.clear()
    values = Operation(action="update", model="res.company", xmlid="base.main_company", company="acme.company_west",
                       values={"name": "Acme (West's view)"})
    Applier(gw, plan_of(values), None).run()
    assert [c for c in calls if c[1] == "write"] == [("res.company", "write", {"allowed_company_ids": [west]})]
    calls.clear()
    plain = Operation(action="update", model="res.groups", xmlid="base.group_stock", values={"name": "Stock"})
    Applier(gw, plan_of(plain), None).run()
    assert [c for c in calls if c[1] == "write"] == [("res.groups", "write", None)]


def test_an_update_replaces_an_exact_set_adds_to_an_inclusive_one_and_rewrites_owned_lines(gw):
    user, sales, stock = ids(gw, "base.group_user", "base.group_sales", "base.group_stock")
    role = gw.seed("res.groups", {"name": "Role", "implied_ids": [(6, 0, [stock])]}, "acme.role_x")
    Applier(gw, plan_of(Operation(action="update", model="res.groups", xmlid="acme.role_x",
                                  values={"implied_ids": refs(["base.group_user"], exact=False)})), None).run()
    assert gw.read("res.groups", [role], ["implied_ids"])[0]["implied_ids"] == [stock, user]
    Applier(gw, plan_of(Operation(action="update", model="res.groups", xmlid="acme.role_x",
                                  values={"implied_ids": refs(["base.group_sales"])})), None).run()
    assert gw.read("res.groups", [role], ["implied_ids"])[0]["implied_ids"] == [sales]
    pricelist = gw.seed("product.pricelist", {"name": "List", "item_ids": [(0, 0, {"min_quantity": 1.0, "fixed_price": 9.0})]}, "acme.pricelist_list")
    Applier(gw, plan_of(Operation(action="update", model="product.pricelist", xmlid="acme.pricelist_list",
                                  values={"item_ids": lines("product.pricelist.item", [{"min_quantity": 10.0, "fixed_price": 8.0},
                                                                                       {"min_quantity": 50.0, "fixed_price": 7.5}])})), None).run()
    items = gw.read("product.pricelist", [pricelist], ["item_ids"])[0]["item_ids"]
    assert [(i["min_quantity"], i["fixed_price"]) for i in gw.read("product.pricelist.item", items, ["min_quantity", "fixed_price"])] == [
        (10.0, 8.0), (50.0, 7.5)]


def test_adopting_binds_the_record_found_at_plan_time_and_the_exported_modules_binding(gw):
    existing = gw.seed("res.partner.category", {"name": "Key Account"})
    op = Operation(action="adopt", model="res.partner.category", xmlid="acme.partner_segment_key", res_id=existing,
                   values={"name": "Key Accounts"}, changes={"name": Change(before="Key Account", after="Key Accounts")})
    Applier(gw, plan_of(op), None).run()
    assert gw.resolve_xmlids(["acme.partner_segment_key"]) == {"acme.partner_segment_key": ("res.partner.category", existing)}
    assert gw.read("res.partner.category", [existing], ["name"])[0]["name"] == "Key Accounts"
    assert gw.resolve_xmlids(["acme.bind_partner_segment_key"]) == {}, "only a record adopted by name gets the module's binding"
    named = Operation(action="adopt", model="res.company", xmlid="acme.company_hq", adopt="base.main_company", values={})
    Applier(gw, plan_of(named), None).run()
    [main] = ids(gw, "base.main_company")
    own = next(r for r in gw.all("ir.model.data") if r["name"] == "company_hq")
    assert gw.resolve_xmlids(["acme.company_hq", "acme.bind_company_hq"]) == {
        "acme.company_hq": ("res.company", main), "acme.bind_company_hq": ("ir.model.data", own["id"])}


def test_an_external_id_that_does_not_exist_is_one_clear_error(gw):
    op = Operation(action="update", model="res.groups", xmlid="acme.role_x", values={"implied_ids": refs(["sale.group_missing"])})
    gw.seed("res.groups", {"name": "x"}, "acme.role_x")
    with pytest.raises(PlanError) as info:
        Applier(gw, plan_of(op), None).run()
    assert info.value.line() == ("external ID sale.group_missing does not exist on memory. "
                                 "Install the app that defines it, or fix the blueprint reference.")


def test_a_warehouse_without_the_field_to_adopt_is_one_clear_error(gw):
    gw.seed("stock.warehouse", {"name": "Chicago", "out_type_id": False}, "acme.warehouse_chi")
    op = Operation(action="adopt", model="stock.picking.type", xmlid="acme.picking_type_chi_out", adopt="acme.warehouse_chi/out_type_id",
                   values={"reservation_method": "at_confirm"})
    with pytest.raises(PlanError) as info:
        Applier(gw, plan_of(op), None).run()
    assert info.value.line() == "acme.warehouse_chi has no out_type_id to adopt. Check that record's configuration in Odoo."


def test_noops_are_not_carried_out_but_every_step_is_reported(gw):
    seen = []
    noop = Operation(action="noop", model="res.groups", xmlid="base.group_user")
    install = Operation(action="install", label="install apps", modules=["stock"])
    gw.seed("ir.module.module", {"name": "stock", "state": "uninstalled"})
    done = Applier(gw, plan_of(noop, install), None).run(on_step=seen.append)
    assert (done, seen) == ([install], [noop, install])
    assert "stock" in gw.installed_modules()


def test_a_company_chart_record_is_found_by_the_external_id_odoo_gives_it_in_that_company(gw):
    """Odoo names a company's accounts and taxes account.<company id>_<name>: the reference names the company."""
    from odookit.blueprints.desired import chart_ref, chart_refs

    [west] = ids(gw, "acme.company_west")
    receivable = gw.seed("account.account", {"name": "Receivable"}, f"account.{west}_account_receivable")
    tax_a = gw.seed("account.tax", {"name": "VAT 19%"}, f"account.{west}_tax_19")
    tax_b = gw.seed("account.tax", {"name": "VAT 7%"}, f"account.{west}_tax_7")
    gw.seed("account.tax", {"name": "main company's VAT"}, "account.1_tax_19")
    partner = gw.seed("res.partner", {"name": "Acme West customer"}, "acme.customer_w")
    op = Operation(action="update", model="res.partner", xmlid="acme.customer_w", company="acme.company_west",
                   values={"property_account_receivable_id": chart_ref("acme.company_west", "account_receivable"),
                           "tax_ids": chart_refs("acme.company_west", ["tax_7", "tax_19"])})
    Applier(gw, plan_of(op), None).run()
    row = gw.records["res.partner"][partner]
    assert (row["property_account_receivable_id"], row["tax_ids"]) == (receivable, [tax_a, tax_b])


def test_a_record_an_installed_app_creates_is_found_when_the_plan_reaches_it(gw):
    """The plan's install step brings records (stock.warehouse0) that did not exist when the apply started."""
    gw.seed("ir.module.module", {"name": "stock", "state": "uninstalled"})
    install = Operation(action="install", label="install apps", modules=["stock"])
    update = Operation(action="update", model="stock.warehouse", xmlid="stock.warehouse0", values={"name": "Chicago"})
    applier = Applier(gw, plan_of(install, update), None)
    warehouse = gw.seed("stock.warehouse", {"name": "WH"}, "stock.warehouse0")  # what installing stock makes
    applier.run()
    assert gw.read("stock.warehouse", [warehouse], ["name"])[0]["name"] == "Chicago"


def test_every_external_id_of_the_plan_is_resolved_in_one_round_trip_before_the_first_write(gw):
    existing = gw.seed("res.partner.category", {"name": "Key Account"})
    gw.seed("stock.warehouse", {"name": "Chicago", "out_type_id": gw.seed("stock.picking.type", {"name": "out"})}, "acme.warehouse_chi")
    ops = [
        Operation(action="adopt", model="res.partner.category", xmlid="acme.partner_segment_key", res_id=existing, values={}),
        Operation(action="update", model="res.groups", xmlid="base.group_user", values={"implied_ids": refs(["base.group_sales"])}),
        Operation(action="adopt", model="stock.picking.type", xmlid="acme.picking_type_chi_out", adopt="acme.warehouse_chi/out_type_id",
                  values={"name": "CHI: Delivery"}),
        Operation(action="create", model="res.groups", xmlid="acme.role_x", values={"implied_ids": refs(["base.group_stock"])}),
    ]
    applier = Applier(gw, plan_of(*ops), None)
    before = sum(1 for model, method in gw.calls if model == "ir.model.data" and method == "search_read")
    applier.run()
    after = sum(1 for model, method in gw.calls if model == "ir.model.data" and method == "search_read")
    assert after == before, "no external ID is looked up one by one during the apply"
    bind = next(r for r in gw.all("ir.model.data") if r["name"] == "bind_picking_type_chi_out")
    assert (bind["model"], bind["noupdate"]) == ("ir.model.data", False), "the exported module may replace this binding"


def test_a_chart_of_accounts_is_loaded_on_the_company_the_operation_names(gw):
    [west] = ids(gw, "acme.company_west")
    loaded = []
    real = gw.execute

    def server(model, method, ids=None, **kwargs):
        if (model, method) == ("account.chart.template", "try_loading"):
            loaded.append(kwargs)
            return True
        return real(model, method, ids, **kwargs)

    gw.execute = server
    op = Operation(action="load_chart", model="res.company", xmlid="acme.company_west", values={"chart_template": "de_skr03"})
    assert Applier(gw, plan_of(op), None).run() == [op]
    assert loaded == [{"template_code": "de_skr03", "company": west, "install_demo": False}]


def test_the_change_log_keeps_non_ascii_text_and_values_json_cannot_hold(gw, tmp_path):
    import datetime as dt

    op = Operation(action="create", model="res.groups", xmlid="acme.role_vl", values={"name": "Vertriebsleitung Süd"},
                   changes={"name": Change(before=None, after="Vertriebsleitung Süd"),
                            "date": Change(before=None, after=dt.date(2026, 12, 1))})
    Applier(gw, plan_of(op), tmp_path / "log.jsonl", user="tester").run()
    raw = (tmp_path / "log.jsonl").read_bytes().decode("utf-8")
    assert '"after": {"name": "Vertriebsleitung Süd", "date": "2026-12-01"}' in raw
    assert json.loads(raw)["at"].endswith("+00:00"), "times are UTC"


def test_a_drifted_plan_names_what_changed_and_how_to_fix_it(gw):
    from odookit.blueprints.apply import check_drift

    saved = plan_of(Operation(action="create", model="res.groups", xmlid="acme.role_a", changes={"name": Change(after="A")}),
                    Operation(action="noop", model="res.groups", xmlid="acme.role_b"))
    moved = plan_of(Operation(action="update", model="res.groups", xmlid="acme.role_a", changes={"name": Change(before="a", after="A")}),
                    Operation(action="noop", model="res.groups", xmlid="acme.role_b"))
    with pytest.raises(PlanError) as info:
        check_drift(saved, moved)
    assert info.value.line() == ("memory: the database or the blueprint changed since the plan was made (acme.role_a). "
                                 "Review and save a new plan with `odookit blueprint plan --out FILE`.")
    grown = plan_of(*saved.operations, Operation(action="create", model="res.groups", xmlid="acme.role_c"),
                    Operation(action="create", model="res.groups", xmlid="acme.role_d"))
    with pytest.raises(PlanError) as info:
        check_drift(saved, grown)
    assert "changed since the plan was made (acme.role_c, acme.role_d)" in info.value.line()
    elsewhere = plan_of(*saved.operations)
    elsewhere.database = "other"
    with pytest.raises(PlanError) as info:
        check_drift(saved, elsewhere)
    assert info.value.line() == ("plan was made for memory://odoo db=memory, not memory://odoo db=other. "
                                 "Make a new plan against this target.")


def _writes(gw):
    calls = []
    real = gw.execute

    def spy(model, method, ids=None, **kwargs):
        if method == "write":
            calls.append((model, ids, dict(kwargs.get("vals") or kwargs.get("values") or {})))
        return real(model, method, ids, **kwargs)

    gw.execute = spy
    return calls


def test_a_company_moving_country_gets_its_country_and_tax_id_on_its_partner_in_one_write(gw):
    # Odoo 19 checks a tax ID against the country at each of the company's write-throughs
    nl, us = gw.seed("res.country", {"name": "Netherlands"}), gw.seed("res.country", {"name": "United States"}, "base.us")
    partner = gw.seed("res.partner", {"name": "Van Dijk", "country_id": nl, "vat": "NL123456782B01"})
    [main] = ids(gw, "base.main_company")
    gw.write("res.company", [main], {"partner_id": partner, "country_id": nl})
    calls = _writes(gw)
    op = Operation(action="update", model="res.company", xmlid="base.main_company",
                   values={"name": "Acme Inc.", "country_id": ref("base.us"), "vat": "US-27-1234567"})
    Applier(gw, plan_of(op), None).run()
    assert calls == [("res.partner", [partner], {"country_id": us, "vat": "US-27-1234567"}),
                     ("res.company", [main], {"name": "Acme Inc.", "country_id": us})]
    assert gw.read("res.partner", [partner], ["vat"])[0]["vat"] == "US-27-1234567"


def test_a_company_given_its_first_country_or_only_a_tax_id_is_written_as_one_company_write(gw):
    us = gw.seed("res.country", {"name": "United States"}, "base.us")
    [main] = ids(gw, "base.main_company")
    calls = _writes(gw)
    first = Operation(action="update", model="res.company", xmlid="base.main_company",
                      values={"country_id": ref("base.us"), "vat": "US-27-1234567"})
    Applier(gw, plan_of(first), None).run()
    vat_only = Operation(action="update", model="res.company", xmlid="base.main_company", values={"vat": "US-27-7654321"})
    Applier(gw, plan_of(vat_only), None).run()
    assert calls == [("res.company", [main], {"country_id": us, "vat": "US-27-1234567"}),
                     ("res.company", [main], {"vat": "US-27-7654321"})]


def test_a_company_staying_in_its_country_gets_its_new_tax_id_in_one_company_write(gw):
    us = gw.seed("res.country", {"name": "United States"}, "base.us")
    partner = gw.seed("res.partner", {"name": "Acme", "country_id": us, "vat": "US-27-1234567"})
    [main] = ids(gw, "base.main_company")
    gw.write("res.company", [main], {"partner_id": partner, "country_id": us})
    calls = _writes(gw)
    op = Operation(action="update", model="res.company", xmlid="base.main_company",
                   values={"country_id": ref("base.us"), "vat": "US-27-7654321"})
    Applier(gw, plan_of(op), None).run()
    assert calls == [("res.company", [main], {"country_id": us, "vat": "US-27-7654321"})]
