"""Everything the KPIs need from Odoo, read once with batched, grouped calls.

The KPIs share their data (one delivery feeds the cycle time, the fill rate,
the on-time rate and the invoice lag), so it is read once per model, with
only the fields the formulas use, ``in`` domains chunked by ids, and
``read_group`` where a sum per group is all a KPI needs. The number of round
trips grows with the number of KPIs and chunks, never with the records: each
call is counted so the report (and the benchmark) can say how many it made.

Nothing here computes a KPI: rows come out as plain dicts with many2one
values reduced to ids, and ``compute`` turns them into figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from odookit.kpi.period import Period, group_day
from odookit.odoo.adapters import field_name, has_valuation_layers
from odookit.xmlids import xmlid as make_xmlid

CHUNK = 5000  # ids per read / ``in`` domain: a few MB per answer at most
NO_ACTIVE_TEST = {"active_test": False}


def rid(value) -> int | None:
    """The id of a many2one value as read ([id, name], an id, or False)."""
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value or None


def chunks(ids: Iterable[int], size: int = CHUNK) -> list[list[int]]:
    ids = sorted(set(i for i in ids if i))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


class Reads:
    """Generic ORM reads over a gateway, chunked and counted."""

    def __init__(self, gateway, chunk: int = CHUNK):
        self.gateway = gateway
        self.chunk = chunk
        self.trips = 0

    def _count(self) -> None:
        self.trips += 1

    def search_read(self, model: str, domain: list, fields: list[str], *, context: dict | None = None) -> list[dict]:
        self._count()
        return self.gateway.search_read(model, domain, fields, context=context)

    def search_read_in(self, model: str, name: str, ids: Iterable[int], domain: list, fields: list[str]) -> list[dict]:
        """``search_read`` of records whose ``name`` is one of ``ids``, one call per chunk of ids."""
        out: list[dict] = []
        for part in chunks(ids, self.chunk):
            out += self.search_read(model, [(name, "in", part), *domain], fields)
        return out

    def read(self, model: str, ids: Iterable[int], fields: list[str], *, context: dict | None = None) -> list[dict]:
        out: list[dict] = []
        for part in chunks(ids, self.chunk):
            self._count()
            out += self.gateway.read(model, part, fields, context=context)
        return out

    def search(self, model: str, domain: list, *, context: dict | None = None) -> list[int]:
        self._count()
        return self.gateway.search(model, domain, context=context)

    def read_group(self, model: str, domain: list, fields: list[str], groupby: list[str]) -> list[dict]:
        self._count()
        return self.gateway.read_group(model, domain, fields, groupby, lazy=False)

    def read_group_in(self, model: str, name: str, ids: Iterable[int], domain: list, fields: list[str], groupby: list[str]) -> list[dict]:
        out: list[dict] = []
        for part in chunks(ids, self.chunk):
            out += self.read_group(model, [(name, "in", part), *domain], fields, groupby)
        return out

    def installed_modules(self) -> set[str]:
        self._count()
        return self.gateway.installed_modules()

    def resolve_xmlids(self, xmlids: list[str]) -> dict[str, tuple[str, int]]:
        if not xmlids:
            return {}
        self._count()
        return self.gateway.resolve_xmlids(xmlids)

    def selection(self, model: str, name: str) -> dict[str, str]:
        """Value -> label of a selection field (mail tracking stores labels)."""
        self._count()
        meta = self.gateway.execute(model, "fields_get", allfields=[name], attributes=["selection"])
        return dict(meta.get(name, {}).get("selection") or [])


@dataclass(frozen=True)
class Policy:
    """What the blueprint says that some KPIs depend on."""

    module: str
    credit_block: bool = False
    default_limit: float = 0.0
    segments: tuple[tuple[str, float], ...] = ()  # (segment code, limit), in blueprint order
    discount_above: float | None = None

    @classmethod
    def from_blueprint(cls, bp, module: str) -> Policy:
        return cls(
            module=module,
            credit_block=bp.credit.action == "block" and bp.credit.release_role is not None,
            default_limit=bp.credit.default_limit,
            segments=tuple((s.code, s.limit) for s in bp.credit.segments),
            discount_above=bp.approvals.sales_discount_above,
        )


@dataclass
class Snapshot:
    """The rows the KPIs are computed from (plain dicts, many2one values as ids)."""

    period: Period
    policy: Policy
    modules: set[str] = field(default_factory=set)
    companies: dict[int, str] = field(default_factory=dict)
    warehouses: dict[int, str] = field(default_factory=dict)  # id -> code
    type_warehouse: dict[int, int | None] = field(default_factory=dict)  # picking type -> warehouse
    type_code: dict[int, str] = field(default_factory=dict)
    customer_locations: list[int] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)  # outgoing pickings done in the period
    order_deliveries: list[dict] = field(default_factory=list)  # every outgoing picking of their orders
    orders: dict[int, dict] = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)  # lines of the delivered orders
    line_moves: list[dict] = field(default_factory=list)  # stock moves of those lines
    backorder_groups: list[dict] = field(default_factory=list)
    delivered_groups: list[dict] = field(default_factory=list)
    returned_groups: list[dict] = field(default_factory=list)
    stock_value_start: dict[int, float] = field(default_factory=dict)
    stock_value_end: dict[int, float] = field(default_factory=dict)
    # cost of the goods moved to customers, by company and day: (company, day, cost, moves), returns negative
    cogs: list[tuple[int | None, dt.date | None, float, int]] = field(default_factory=list)
    receipt_moves: list[dict] = field(default_factory=list)
    purchase_lines: dict[int, dict] = field(default_factory=dict)
    invoices: list[dict] = field(default_factory=list)
    invoice_orders: dict[int, set[int]] = field(default_factory=dict)  # invoice -> orders it bills
    confirmed: list[dict] = field(default_factory=list)  # orders confirmed in the period
    confirmer: dict[int, tuple[int | None, str]] = field(default_factory=dict)  # order -> (author partner, name)
    release_partners: set[int] = field(default_factory=set)  # partners of the release group's users
    customers: dict[int, dict] = field(default_factory=dict)  # commercial partners of confirmed orders
    order_customer: dict[int, int] = field(default_factory=dict)
    segment_tags: dict[int, str] = field(default_factory=dict)  # partner tag id -> segment code
    discounted_orders: set[int] = field(default_factory=set)
    trips: int = 0

    def warehouse_of_type(self, type_id) -> str | None:
        wh = self.type_warehouse.get(rid(type_id))
        return self.warehouses.get(wh) if wh else None


Step = Callable[[str], None]

STEPS = ("setup", "deliveries", "backorders", "returns", "valuation", "receipts", "invoices", "confirmations")


def read_snapshot(gateway, period: Period, policy: Policy, step: Step = lambda _: None) -> Snapshot:
    """Read everything, calling ``step(name)`` after each of ``STEPS``."""
    reads = Reads(gateway)
    snap = Snapshot(period, policy)
    for name in STEPS:
        globals()[f"_read_{name}"](reads, snap)
        step(name)
    snap.trips = reads.trips
    return snap


def _in_period(name: str, period: Period) -> list:
    return [(name, ">=", period.start), (name, "<", period.end)]


def _read_setup(reads: Reads, snap: Snapshot) -> None:
    snap.modules = reads.installed_modules()
    snap.companies = {r["id"]: r["name"] for r in reads.search_read("res.company", [], ["name"], context=NO_ACTIVE_TEST)}
    if "stock" not in snap.modules:
        return
    snap.warehouses = {r["id"]: r["code"] for r in reads.search_read("stock.warehouse", [], ["code"], context=NO_ACTIVE_TEST)}
    for r in reads.search_read("stock.picking.type", [], ["code", "warehouse_id"], context=NO_ACTIVE_TEST):
        snap.type_warehouse[r["id"]] = rid(r["warehouse_id"])
        snap.type_code[r["id"]] = r["code"]
    snap.customer_locations = reads.search("stock.location", [("usage", "=", "customer")], context=NO_ACTIVE_TEST)


def _types(snap: Snapshot, code: str) -> list[int]:
    return sorted(t for t, c in snap.type_code.items() if c == code)


PICKING_FIELDS = ["sale_id", "state", "date_done", "date_deadline", "scheduled_date", "picking_type_id", "company_id"]


def _read_deliveries(reads: Reads, snap: Snapshot) -> None:
    if "stock" not in snap.modules:
        return
    outgoing = _types(snap, "outgoing")
    snap.deliveries = reads.search_read(
        "stock.picking", [("picking_type_id", "in", outgoing), ("state", "=", "done"), *_in_period("date_done", snap.period)],
        PICKING_FIELDS,
    )
    if "sale_stock" not in snap.modules:
        return
    order_ids = {rid(p["sale_id"]) for p in snap.deliveries} - {None}
    snap.order_deliveries = reads.search_read_in(
        "stock.picking", "sale_id", order_ids, [("picking_type_id", "in", outgoing)], ["sale_id", "state", "date_done"])
    snap.orders = {r["id"]: r for r in reads.read("sale.order", order_ids, ["date_order", "company_id", "warehouse_id", "state"])}
    snap.lines = reads.search_read_in("sale.order.line", "order_id", order_ids, [], ["order_id", "product_uom_qty", "display_type"])
    snap.line_moves = reads.search_read_in(
        "stock.move", "sale_line_id", [line["id"] for line in snap.lines], [], ["sale_line_id", "quantity", "picking_id", "state"])


def _read_backorders(reads: Reads, snap: Snapshot) -> None:
    if "stock" not in snap.modules:
        return
    snap.backorder_groups = reads.read_group(
        "stock.picking",
        # a customer's backorder sits on whichever delivery step ran short (pick, pack or out)
        [("backorder_id", "!=", False), ("state", "not in", ["done", "cancel"]), ("sale_id", "!=", False),
         ("picking_type_id", "not in", _types(snap, "incoming")), ("scheduled_date", "<", snap.period.end)],
        ["__count"], ["scheduled_date:day", "picking_type_id", "company_id"],
    )


MOVE_GROUPS = ["date:day", "picking_type_id", "company_id"]


def _read_returns(reads: Reads, snap: Snapshot) -> None:
    if "stock" not in snap.modules:
        return
    customers = snap.customer_locations
    done = [("state", "=", "done"), *_in_period("date", snap.period)]
    snap.delivered_groups = reads.read_group(
        "stock.move", [("location_dest_id", "in", customers), ("location_id", "not in", customers), *done],
        ["quantity:sum"], MOVE_GROUPS)
    snap.returned_groups = reads.read_group(
        "stock.move", [("location_id", "in", customers), ("origin_returned_move_id", "!=", False), *done],
        ["quantity:sum"], MOVE_GROUPS)


def _read_valuation(reads: Reads, snap: Snapshot) -> None:
    if "stock_account" not in snap.modules:
        return
    if has_valuation_layers(reads.gateway.info.major):
        _read_layers(reads, snap)
    else:
        _read_move_values(reads, snap)


def _customer_moves(snap: Snapshot) -> tuple[list, list]:
    """Domains of the moves done in the period to customers, and back from them."""
    customers = snap.customer_locations
    done = [("state", "=", "done"), *_in_period("date", snap.period)]
    return ([("location_dest_id", "in", customers), ("location_id", "not in", customers), *done],
            [("location_id", "in", customers), ("location_dest_id", "not in", customers), *done])


def _add_cogs(snap: Snapshot, groups: list[dict], day: str, sign: float) -> None:
    snap.cogs += [(rid(g.get("company_id")), group_day(g, day), sign * (g.get("value") or 0.0), g.get("__count", 1))
                  for g in groups]


def _read_layers(reads: Reads, snap: Snapshot) -> None:
    """Up to Odoo 18: signed valuation layers (out of stock negative), summed before each bound."""
    period = snap.period
    for bound, into in ((period.start, snap.stock_value_start), (period.end, snap.stock_value_end)):
        for g in reads.read_group("stock.valuation.layer", [("create_date", "<", bound)], ["value:sum"], ["company_id"]):
            into[rid(g["company_id"])] = g.get("value") or 0.0
    shipped, returned = _customer_moves(snap)
    groups = ["company_id", "create_date:day"]
    for domain in (shipped, returned):
        moves = reads.search("stock.move", domain)
        _add_cogs(snap, reads.read_group_in("stock.valuation.layer", "stock_move_id", moves, [], ["value:sum"], groups),
                  "create_date:day", -1.0)


def _read_move_values(reads: Reads, snap: Snapshot) -> None:
    """Odoo 19: a move's own value (unsigned), and each company's stock value as Odoo
    computes it at a date (the products' ``total_value`` with ``to_date``, end of that day)."""
    period = snap.period
    before = period.since - dt.timedelta(days=1)
    for day, into in ((before, snap.stock_value_start), (period.until, snap.stock_value_end)):
        # the quantities behind the value read to_date as an instant: the day's last second, not its midnight
        at = f"{day.isoformat()} 23:59:59"
        for company in sorted(snap.companies):
            rows = reads.search_read("product.product", [("is_storable", "=", True)], ["total_value"],
                                     context={**NO_ACTIVE_TEST, "to_date": at, "allowed_company_ids": [company]})
            into[company] = sum(r.get("total_value") or 0.0 for r in rows)
    shipped, returned = _customer_moves(snap)
    groups = ["company_id", "date:day"]
    for domain, sign in ((shipped, 1.0), (returned, -1.0)):
        _add_cogs(snap, reads.read_group("stock.move", domain, ["value:sum"], groups), "date:day", sign)


def _read_receipts(reads: Reads, snap: Snapshot) -> None:
    if "purchase_stock" not in snap.modules:
        return
    snap.receipt_moves = reads.search_read(
        "stock.move",
        [("purchase_line_id", "!=", False), ("state", "=", "done"), ("picking_type_id", "in", _types(snap, "incoming")),
         *_in_period("date", snap.period)],
        ["purchase_line_id", "picking_id", "date", "picking_type_id", "company_id"],
    )
    lines = {rid(m["purchase_line_id"]) for m in snap.receipt_moves}
    snap.purchase_lines = {r["id"]: r for r in reads.read("purchase.order.line", lines, ["date_planned"])}


def _read_invoices(reads: Reads, snap: Snapshot) -> None:
    if not {"sale_stock", "account"} <= snap.modules:
        return
    period = snap.period
    snap.invoices = reads.search_read(
        "account.move",
        [("move_type", "=", "out_invoice"), ("state", "=", "posted"),
         ("invoice_date", ">=", period.since.isoformat()), ("invoice_date", "<=", period.until.isoformat())],
        ["invoice_date", "company_id"],
    )
    aml = reads.search_read_in("account.move.line", "move_id", [i["id"] for i in snap.invoices],
                               [("display_type", "=", "product")], ["move_id", "sale_line_ids"])
    line_ids = {sl for row in aml for sl in row.get("sale_line_ids") or []}
    known = {line["id"]: rid(line["order_id"]) for line in snap.lines}
    missing = line_ids - set(known)
    known.update({r["id"]: rid(r["order_id"]) for r in reads.read("sale.order.line", missing, ["order_id"])})
    for row in aml:
        orders = {known.get(sl) for sl in row.get("sale_line_ids") or []} - {None}
        snap.invoice_orders.setdefault(rid(row["move_id"]), set()).update(orders)
    billed = {o for orders in snap.invoice_orders.values() for o in orders}
    new_orders = billed - set(snap.orders)
    snap.orders.update({r["id"]: r for r in reads.read("sale.order", new_orders, ["date_order", "company_id", "warehouse_id", "state"])})
    have = {rid(p["sale_id"]) for p in snap.order_deliveries}
    snap.order_deliveries += reads.search_read_in(
        "stock.picking", "sale_id", billed - have, [("picking_type_id", "in", _types(snap, "outgoing"))],
        ["sale_id", "state", "date_done"])


def _read_confirmations(reads: Reads, snap: Snapshot) -> None:
    policy = snap.policy
    if "sale_stock" not in snap.modules or not (policy.credit_block or policy.discount_above is not None):
        return
    snap.confirmed = reads.search_read(
        "sale.order", [("state", "=", "sale"), *_in_period("date_order", snap.period)],
        ["partner_id", "amount_total", "company_id", "warehouse_id", "date_order"])
    order_ids = [o["id"] for o in snap.confirmed]
    _read_confirmers(reads, snap, set(order_ids))
    if policy.discount_above is not None:
        rows = reads.search_read_in("sale.order.line", "order_id", order_ids, [("discount", ">", policy.discount_above)], ["order_id"])
        snap.discounted_orders = {rid(r["order_id"]) for r in rows}
    if policy.credit_block:
        _read_credit(reads, snap)


def _read_confirmers(reads: Reads, snap: Snapshot, order_ids: set[int]) -> None:
    """Who confirmed each order: the author of the chatter message tracking its state to 'sale'."""
    if not order_ids:
        return
    label = reads.selection("sale.order", "state").get("sale", "Sales Order")
    state_field = reads.search("ir.model.fields", [("model", "=", "sale.order"), ("name", "=", "state")])
    tracked = reads.search_read(
        "mail.tracking.value", [("field_id", "in", state_field), ("create_date", ">=", snap.period.start)],
        ["mail_message_id", "new_value_char"])
    messages = [rid(t["mail_message_id"]) for t in tracked if t.get("new_value_char") == label]
    rows = reads.read("mail.message", messages, ["model", "res_id", "author_id", "date"])
    for msg in sorted(rows, key=lambda r: (str(r.get("date") or ""), r["id"])):
        if msg.get("model") == "sale.order" and msg.get("res_id") in order_ids:
            author = msg.get("author_id")
            name = author[1] if isinstance(author, list | tuple) and len(author) > 1 else "unknown"
            snap.confirmer[msg["res_id"]] = (rid(author), name)  # the latest confirmation wins


def _read_credit(reads: Reads, snap: Snapshot) -> None:
    policy = snap.policy
    release = f"{policy.module}.group_credit_release"  # the group blueprint apply gives the release role
    group = reads.resolve_xmlids([release]).get(release)
    if group:
        # archived members count too: they confirmed orders while they held the role
        members = field_name(reads.gateway.info.major, "res.groups", "users")
        users = {u for g in reads.read("res.groups", [group[1]], [members], context=NO_ACTIVE_TEST) for u in g.get(members) or []}
        snap.release_partners = {rid(u["partner_id"]) for u in reads.read("res.users", users, ["partner_id"], context=NO_ACTIVE_TEST)}
    partners = {rid(o["partner_id"]) for o in snap.confirmed}
    commercial = {r["id"]: rid(r["commercial_partner_id"]) or r["id"]
                  for r in reads.read("res.partner", partners, ["commercial_partner_id"])}
    snap.order_customer = {o["id"]: commercial.get(rid(o["partner_id"])) for o in snap.confirmed}
    snap.customers = {r["id"]: r for r in reads.read(
        "res.partner", set(commercial.values()), ["name", "credit", "credit_limit", "use_partner_credit_limit", "category_id"])}
    xmlids = {make_xmlid(policy.module, "partner_segment", code): code for code, _ in policy.segments}
    snap.segment_tags = {res_id: xmlids[x] for x, (_, res_id) in reads.resolve_xmlids(sorted(xmlids)).items()}
