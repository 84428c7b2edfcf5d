"""Odoo flows the steps share, written against public methods only (callable over RPC).

Wizards (backorder, return, invoice) are created with the context the
calling button returned or that the web client would pass, then their button
is called with the same context, exactly as the web client does.
"""

from __future__ import annotations

from odookit.errors import UatError
from odookit.uat_scenarios.context import create, number, write

# picking kind -> warehouse field holding its operation type
KIND_FIELDS = {
    "pick": "pick_type_id",
    "pack": "pack_type_id",
    "delivery": "out_type_id",
    "receipt": "in_type_id",
    "quality control": "qc_type_id",
    "storage": "store_type_id",
}
DELIVERY_ORDER = ("pick", "pack", "delivery")
RECEIPT_ORDER = ("receipt", "quality control", "storage")


def kind_of(ctx, picking: dict) -> str:
    wh_types = warehouse_types(ctx, picking["picking_type_id"][0])
    return wh_types.get(picking["picking_type_id"][0], picking["picking_type_id"][1])


def warehouse_types(ctx, type_id: int) -> dict[int, str]:
    """Operation type id -> kind, for the warehouse owning ``type_id``."""
    cache = ctx.run.__dict__.setdefault("_type_kinds", {})
    if type_id not in cache:
        wh = ctx.admin.read("stock.picking.type", [type_id], ["warehouse_id"])[0]["warehouse_id"]
        if wh:
            row = ctx.admin.read("stock.warehouse", [wh[0]], list(KIND_FIELDS.values()))[0]
            for kind, fname in KIND_FIELDS.items():
                if row.get(fname):
                    cache[row[fname][0]] = kind
        cache.setdefault(type_id, "other")
    return cache


PICKING_FIELDS = ["name", "state", "picking_type_id", "backorder_id", "origin", "location_id", "location_dest_id", "move_ids"]


def order_pickings(ctx, order_id: int, model: str = "sale.order") -> list[dict]:
    field = "picking_ids"
    ids = ctx.admin.read(model, [order_id], [field])[0][field]
    return ctx.admin.read("stock.picking", ids, PICKING_FIELDS) if ids else []


def open_picking(ctx, pickings: list[dict], kind: str, what: str) -> dict:
    todo = [p for p in pickings if kind_of(ctx, p) == kind and p["state"] not in ("done", "cancel")]
    if not todo:
        states = ", ".join(f"{p['name']} ({kind_of(ctx, p)}, {p['state']})" for p in pickings) or "none"
        raise UatError(f"no open {kind} transfer for {what} (transfers: {states})")
    return min(todo, key=lambda p: p["id"])


def moves(ctx, picking_id: int) -> list[dict]:
    ids = ctx.admin.read("stock.picking", [picking_id], ["move_ids"])[0]["move_ids"]
    return ctx.admin.read("stock.move", ids, ["product_id", "product_uom_qty", "quantity", "picked", "state"])


def validate(ctx, picking_id: int, quantities: dict[int, float] | None = None, backorder: bool | None = None) -> list[int]:
    """Validate a transfer as the acting user, with given quantities per product (all of the demand when None).

    Returns the backorders created. ``backorder`` answers Odoo's question when
    less than the demand is processed; asking it without an answer is an error,
    so a scenario always says what the business decided.
    """
    gw = ctx.gw
    if gw.read("stock.picking", [picking_id], ["state"])[0]["state"] in ("draft", "confirmed", "waiting"):
        gw.execute("stock.picking", "action_assign", ids=[picking_id])
    for move in moves(ctx, picking_id):
        if move["state"] in ("done", "cancel"):
            continue
        qty = move["product_uom_qty"] if quantities is None else quantities.get(move["product_id"][0], 0.0)
        write(gw, "stock.move", [move["id"]], {"quantity": qty, "picked": True})
    before = set(ctx.admin.search("stock.picking", [("backorder_id", "=", picking_id)]))
    result = gw.execute("stock.picking", "button_validate", ids=[picking_id])
    if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
        if backorder is None:
            raise UatError(
                "Odoo asks whether to create a backorder but the step does not say",
                fix='Use a step that ends with "and create the backorder" or "and decline the backorder".',
            )
        context = {k: v for k, v in (result.get("context") or {}).items() if k not in ("uid",)}
        wizard = create(gw, "stock.backorder.confirmation", [{}], context=context)[0]
        gw.execute("stock.backorder.confirmation", "process" if backorder else "process_cancel_backorder", ids=[wizard], context=context)
    elif isinstance(result, dict) and result.get("res_model"):
        raise UatError(f"validating the transfer opened an unexpected wizard {result['res_model']}")
    ctx.touch("stock.picking", picking_id)
    state = ctx.admin.read("stock.picking", [picking_id], ["state", "name"])[0]
    if state["state"] != "done":
        raise UatError(f"transfer {state['name']} is still '{state['state']}' after validation")
    created = sorted(set(ctx.admin.search("stock.picking", [("backorder_id", "=", picking_id)])) - before)
    ctx.touch("stock.picking", created, "backorder")
    return created


def on_hand(ctx, product_id: int, location_id: int) -> float:
    rows = ctx.admin.search_read(
        "stock.quant", [("product_id", "=", product_id), ("location_id", "child_of", location_id)], ["quantity"]
    )
    return sum(r["quantity"] for r in rows)


def qty(text) -> float:
    return number(text)


def line_total(ctx, model: str, link: str, doc_id: int, product_id: int, field: str, domain: tuple = ()) -> float:
    """A quantity summed over a document's lines of one product (a product may be on several lines)."""
    rows = ctx.admin.search_read(model, [(link, "=", doc_id), ("product_id", "=", product_id), *domain], [field])
    return sum(r[field] for r in rows)


def expect_quantity(actual: float, expected, what: str) -> None:
    if abs(actual - number(expected)) > 1e-6:
        raise AssertionError(f"{what} is {actual:g}, expected {number(expected):g}")


def expect_amount(actual: float, expected, what: str) -> None:
    """Amounts agree to the cent, as a reader of the report compares them."""
    if abs(actual - number(expected)) > 0.005:
        raise AssertionError(f"{what} is {actual:.2f}, expected {number(expected):.2f}")
