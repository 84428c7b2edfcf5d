"""Against a real Odoo: a second load of unchanged data writes nothing (no write_date moves), reconcile finds
no difference, and opening stock is a cut-over: a delivery made since is never reset, unless --reset-stock."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.workspace import Workspace

pytestmark = pytest.mark.odoo

MODELS = ("res.partner", "product.product", "product.category", "product.supplierinfo", "product.pricelist.item",
          "stock.warehouse.orderpoint", "stock.lot")


def _write_dates(gw, module: str) -> dict:
    out = {}
    for model in MODELS:
        ids = [v[1] for v in gw.xmlids_of_module(module, model).values()]
        out[model] = {r["id"]: r["write_date"] for r in gw.read(model, ids, ["write_date"], context={"active_test": False})}
    out["stock.quant"] = {q["id"]: q["write_date"] for q in gw.search_read("stock.quant", [("location_id.usage", "=", "internal")], ["write_date"])}
    return out


def _description(gw, text: str) -> dict:
    """A stock move's description: required up to 18, gone on 19 (the move shows its product)."""
    from odookit.odoo.adapters import field_name

    name = field_name(gw.info.major, "stock.move", "name")
    return {name: text} if name else {}


def _deliver(gw, quant: dict, quantity: float) -> str:
    """Ship ``quantity`` of the quant's product from its location through a delivery order, validated."""
    [warehouse] = gw.search_read("stock.warehouse", [("lot_stock_id", "=", quant["location_id"][0])], ["out_type_id"])
    customer_location = gw.search("stock.location", [("usage", "=", "customer")], limit=1)[0]
    partner = gw.search("res.partner", [("customer_rank", ">", 0)], limit=1)[0]
    [picking] = gw.create("stock.picking", [{
        "picking_type_id": warehouse["out_type_id"][0], "partner_id": partner,
        "location_id": quant["location_id"][0], "location_dest_id": customer_location,
        "move_ids": [(0, 0, {**_description(gw, "delivery after cut-over"), "product_id": quant["product_id"][0], "product_uom_qty": quantity,
                             "location_id": quant["location_id"][0], "location_dest_id": customer_location})],
    }])
    gw.execute("stock.picking", "action_confirm", ids=[picking])
    gw.execute("stock.picking", "action_assign", ids=[picking])
    for move in gw.search_read("stock.move", [("picking_id", "=", picking)], ["product_uom_qty"]):
        gw.write("stock.move", [move["id"]], {"quantity": move["product_uom_qty"], "picked": True})
    gw.execute("stock.picking", "button_validate", ids=[picking], context={"skip_sms": True})
    return gw.read("stock.picking", [picking], ["state"])[0]["state"]


def _load(runner, root, target, *extra) -> dict:
    result = runner.invoke(cli, ["-w", str(root), "migrate", "load", "-t", target, "--source", "migration/clean", "--json", *extra])
    assert result.exit_code == 0, result.output
    return {e["entity"]: e for e in json.loads(result.output)["entities"]} | {"_report": json.loads(result.output)}


def test_second_load_writes_nothing_and_a_delivery_since_cut_over_is_not_reset(applied_odoo):
    root, target, gw = applied_odoo
    runner = CliRunner()
    ws = Workspace.find(root)

    first = _load(runner, root, target)
    assert first["customers"]["rows"] > 0 and not first["_report"]["rejects"]
    before = _write_dates(gw, ws.module)
    time.sleep(1.1)  # a write now would give a later write_date
    second = _load(runner, root, target)
    rows = {name: e for name, e in second.items() if name != "_report"}
    assert {name: (e["created"], e["updated"], e["unchanged"]) for name, e in rows.items()} == {
        name: (0, 0, e["rows"]) for name, e in rows.items()}
    assert _write_dates(gw, ws.module) == before, "no record's write_date moved"

    reconciled = runner.invoke(cli, ["-w", str(root), "migrate", "reconcile", "-t", target, "--source", "migration/clean"])
    assert reconciled.exit_code == 0 and "CLEAN: the database matches the workbooks" in reconciled.output, reconciled.output

    # a quant this load set: other tests on the same database leave quants of their own products behind
    loaded = sorted(v[1] for v in gw.xmlids_of_module(ws.module, "product.product").values())
    [quant] = gw.search_read("stock.quant", [("location_id.usage", "=", "internal"), ("lot_id", "=", False), ("quantity", ">", 5),
                                             ("product_id", "in", loaded)], ["product_id", "location_id", "quantity"], limit=1)
    assert _deliver(gw, quant, 3) == "done"
    after_delivery = quant["quantity"] - 3
    third = _load(runner, root, target)
    assert (third["opening_stock"]["moved"], third["opening_stock"]["updated"]) == (1, 0)
    [moved] = third["_report"]["moved"]
    assert moved["message"].startswith(f"moved since cut-over, not reset: {quant['quantity']:g} was loaded, Odoo has {after_delivery:g}")
    assert gw.read("stock.quant", [quant["id"]], ["quantity"])[0]["quantity"] == after_delivery, "left as Odoo has it"
    reconciled = runner.invoke(cli, ["-w", str(root), "migrate", "reconcile", "-t", target, "--source", "migration/clean", "--json"])
    assert reconciled.exit_code == 1, reconciled.output
    rec = json.loads(reconciled.output)
    assert [(d["expected"], d["actual"]) for d in rec["moved"]] == [(d["expected"], d["actual"]) for d in rec["differences"]] == [
        (f"{quant['quantity']:g}", f"{after_delivery:g}")]

    reset = _load(runner, root, target, "--reset-stock")
    assert (reset["opening_stock"]["updated"], reset["opening_stock"]["moved"]) == (1, 0)
    assert gw.read("stock.quant", [quant["id"]], ["quantity"])[0]["quantity"] == quant["quantity"]
