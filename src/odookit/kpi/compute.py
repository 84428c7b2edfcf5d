"""The KPI figures, from a :class:`~odookit.kpi.reads.Snapshot` (no Odoo call here).

Each KPI turns rows into observations: a numerator and a denominator tagged
with the company, warehouse, week (and for approvals, who confirmed). The
headline figure and every breakdown are the same sum over a different
grouping, so a warehouse's fill rate is computed exactly like the total. A KPI
whose rows are absent says why (no data in the period, app not installed,
control not configured) instead of showing 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from odookit.kpi.definitions import KpiDef, app_missing, definitions
from odookit.kpi.period import day_of, group_day, instant, week_of
from odookit.kpi.reads import Snapshot, rid

DIMENSIONS = ("company", "warehouse", "week", "user")
AGE_BUCKETS = ((0, 5, "0-5 days"), (6, 10, "6-10 days"), (11, 30, "11-30 days"), (31, None, "over 30 days"))


@dataclass(frozen=True)
class Obs:
    num: float
    den: float = 1.0
    count: int = 1  # records behind this observation
    company: str | None = None
    warehouse: str | None = None
    week: str | None = None
    user: str | None = None


class NoFigure(Exception):
    """A KPI that cannot be computed; ``status`` says why (unavailable, not_configured)."""

    def __init__(self, status: str, note: str):
        super().__init__(note)
        self.status, self.note = status, note


@dataclass
class KpiResult:
    code: str
    name: str
    unit: str
    direction: str
    formula: str
    sources: str
    value: float | None
    covered: int
    status: str  # ok | no_data | unavailable | not_configured
    note: str = ""
    breakdown: dict[str, list[dict]] = field(default_factory=dict)
    detail: dict = field(default_factory=dict)
    targets: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict) -> KpiResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def shown(self, value: float | None = None) -> str:
        """The figure as people read it: '96.2 %', '1.4 days', or why there is none."""
        value = self.value if value is None else value
        if value is None:
            return self.note or self.status.replace("_", " ")
        return f"{value:,.1f} %" if self.unit == "%" else f"{value:,.2f} {self.unit}"


def _ratio(obs: list[Obs], scale: float) -> float | None:
    den = sum(o.den for o in obs)
    return round(sum(o.num for o in obs) / den * scale, 2) if den else None


def _max(obs: list[Obs], scale: float) -> float | None:
    return max((o.num for o in obs if o.count), default=None)


def _company(s: Snapshot, value) -> str | None:
    return s.companies.get(rid(value))


def _order_dims(s: Snapshot, order: dict) -> dict:
    return {"company": _company(s, order.get("company_id")), "warehouse": s.warehouses.get(rid(order.get("warehouse_id")))}


def _days(later: dt.datetime, earlier: dt.datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def _in_period(s: Snapshot, day: dt.date | None) -> bool:
    return day is not None and s.period.since <= day <= s.period.until


def _require(s: Snapshot, *apps: str) -> None:
    for app in apps:
        if app not in s.modules:
            raise NoFigure("unavailable", app_missing(app))


def _deliveries_by_order(s: Snapshot) -> dict[int, list[dict]]:
    by_order: dict[int, dict[int, dict]] = defaultdict(dict)
    for p in s.order_deliveries:
        if rid(p.get("sale_id")):
            by_order[rid(p["sale_id"])][p["id"]] = p
    return {o: sorted(ps.values(), key=lambda p: (str(p.get("date_done") or ""), p["id"])) for o, ps in by_order.items()}


# -- the KPIs -----------------------------------------------------------------------


def order_cycle_time(s: Snapshot) -> list[Obs]:
    _require(s, "sale_stock")
    out = []
    for order_id, picks in _deliveries_by_order(s).items():
        order = s.orders.get(order_id)
        done = [p for p in picks if p["state"] == "done" and p.get("date_done")]
        if not order or not done or any(p["state"] not in ("done", "cancel") for p in picks):
            continue  # still something to ship
        last = max(instant(p["date_done"]) for p in done)
        if _in_period(s, last.date()) and order.get("date_order"):
            out.append(Obs(_days(last, instant(order["date_order"])), week=week_of(last), **_order_dims(s, order)))
    return out


def fill_rate(s: Snapshot) -> list[Obs]:
    _require(s, "sale_stock")
    first = {}
    for order_id, picks in _deliveries_by_order(s).items():
        done = [p for p in picks if p["state"] == "done" and p.get("date_done")]
        if done and _in_period(s, day_of(done[0]["date_done"])):
            first[order_id] = done[0]
    moves: dict[int, list[dict]] = defaultdict(list)
    for m in s.line_moves:
        moves[rid(m.get("sale_line_id"))].append(m)
    out = []
    for line in s.lines:
        order_id = rid(line.get("order_id"))
        pick = first.get(order_id)
        ordered = line.get("product_uom_qty") or 0
        if not pick or line.get("display_type") or ordered <= 0 or not moves.get(line["id"]):
            continue  # not shipped in the period, a section/note, or nothing to ship (a service)
        shipped = sum(m.get("quantity") or 0 for m in moves[line["id"]] if m.get("state") == "done" and rid(m.get("picking_id")) == pick["id"])
        out.append(Obs(1.0 if shipped >= ordered - 1e-9 else 0.0, week=week_of(pick["date_done"]), **_order_dims(s, s.orders.get(order_id, {}))))
    return out


def backorder_aging(s: Snapshot) -> list[Obs]:
    _require(s, "stock")
    out = []
    for g in s.backorder_groups:
        day = group_day(g, "scheduled_date:day")
        if day is None:
            continue
        age = max((s.period.until - day).days, 0)  # one scheduled later is not late yet
        out.append(Obs(float(age), count=g.get("__count", 1), company=_company(s, g.get("company_id")),
                       warehouse=s.warehouse_of_type(g.get("picking_type_id")), week=week_of(day)))
    return out


def on_time_delivery(s: Snapshot) -> list[Obs]:
    _require(s, "stock")
    out = []
    for p in s.deliveries:
        deadline = day_of(p.get("date_deadline")) or day_of(p.get("scheduled_date"))
        done = day_of(p.get("date_done"))
        if deadline and done:
            out.append(Obs(1.0 if done <= deadline else 0.0, company=_company(s, p.get("company_id")),
                           warehouse=s.warehouse_of_type(p.get("picking_type_id")), week=week_of(done)))
    return out


def _moves_obs(s: Snapshot, groups: list[dict], returned: bool) -> list[Obs]:
    out = []
    for g in groups:
        qty = g.get("quantity") or 0.0
        out.append(Obs(qty if returned else 0.0, 0.0 if returned else qty, count=g.get("__count", 1),
                       company=_company(s, g.get("company_id")), warehouse=s.warehouse_of_type(g.get("picking_type_id")),
                       week=week_of(group_day(g, "date:day"))))
    return out


def return_rate(s: Snapshot) -> list[Obs]:
    _require(s, "stock")
    return _moves_obs(s, s.delivered_groups, False) + _moves_obs(s, s.returned_groups, True)


def inventory_turnover(s: Snapshot) -> list[Obs]:
    """COGS per company and week over the company's average stock value, annualised by the days of that week in the period."""
    _require(s, "stock_account")
    cogs: dict[tuple, float] = defaultdict(float)
    counts: dict[tuple, int] = defaultdict(int)
    for company, day, cost, moves in s.cogs:
        key = (company, week_of(day))
        cogs[key] += cost
        counts[key] += moves
    days_per_week: dict[str, int] = defaultdict(int)
    for n in range(s.period.days):
        days_per_week[week_of(s.period.since + dt.timedelta(days=n))] += 1
    out = []
    for company in sorted(set(s.stock_value_start) | set(s.stock_value_end), key=str):
        average = ((s.stock_value_start.get(company) or 0.0) + (s.stock_value_end.get(company) or 0.0)) / 2
        if average <= 0:
            continue
        for week, days in sorted(days_per_week.items()):
            out.append(Obs(cogs.get((company, week), 0.0), average * days / 365, count=counts.get((company, week), 0),
                           company=s.companies.get(company), week=week))
    return out


def _receipts(s: Snapshot) -> list[tuple[float, bool, dict]]:
    _require(s, "purchase_stock")
    by_picking: dict[int, list[dict]] = defaultdict(list)
    for m in s.receipt_moves:
        by_picking[rid(m.get("picking_id"))].append(m)
    out = []
    for moves in by_picking.values():
        planned = [instant(s.purchase_lines.get(rid(m["purchase_line_id"]), {}).get("date_planned")) for m in moves]
        planned = [p for p in planned if p]
        if not planned:
            continue
        done, due = max(instant(m["date"]) for m in moves), min(planned)
        dims = {"company": _company(s, moves[0].get("company_id")), "warehouse": s.warehouse_of_type(moves[0].get("picking_type_id")),
                "week": week_of(done)}
        out.append((_days(done, due), done.date() <= due.date(), dims))
    return out


def supplier_on_time_rate(s: Snapshot) -> list[Obs]:
    return [Obs(1.0 if on_time else 0.0, **dims) for _, on_time, dims in _receipts(s)]


def supplier_lead_time_slip(s: Snapshot) -> list[Obs]:
    return [Obs(slip, **dims) for slip, _, dims in _receipts(s)]


def invoice_lag(s: Snapshot) -> list[Obs]:
    _require(s, "sale_stock", "account")
    done_days: dict[int, list[dt.date]] = defaultdict(list)
    for order_id, picks in _deliveries_by_order(s).items():
        done_days[order_id] = [day_of(p["date_done"]) for p in picks if p["state"] == "done" and p.get("date_done")]
    out = []
    for inv in s.invoices:
        billed = day_of(inv.get("invoice_date"))
        orders = sorted(s.invoice_orders.get(inv["id"], ()))
        delivered = [d for o in orders for d in done_days.get(o, []) if d <= billed]
        if not delivered:
            continue  # billed before anything was delivered, or not from a sales order
        order = s.orders.get(orders[0], {})
        out.append(Obs(float((billed - max(delivered)).days), company=_company(s, inv.get("company_id")),
                       warehouse=s.warehouses.get(rid(order.get("warehouse_id"))), week=week_of(billed)))
    return out


def _limit(s: Snapshot, customer: dict) -> float:
    """The limit the blueprint's credit hold applies: the customer's own, else its segment's, else the default."""
    if customer.get("use_partner_credit_limit"):
        return customer.get("credit_limit") or 0.0
    limit = s.policy.default_limit
    tags = {s.segment_tags.get(t) for t in customer.get("category_id") or []}
    for code, segment_limit in s.policy.segments:
        if code in tags:
            limit = segment_limit  # the last matching segment wins, as in the automation
    return limit


def _confirmed_obs(s: Snapshot, hit: Callable[[dict], bool]) -> list[Obs]:
    out = []
    for order in s.confirmed:
        if order["id"] not in s.confirmer:
            continue  # no chatter trace of its confirmation
        _, who = s.confirmer[order["id"]]
        out.append(Obs(1.0 if hit(order) else 0.0, week=week_of(order.get("date_order")), user=who, **_order_dims(s, order)))
    return out


def credit_holds(s: Snapshot) -> list[Obs]:
    _require(s, "sale_stock")
    if not s.policy.credit_block:
        raise NoFigure("not_configured", "no credit hold: the blueprint's credit.action is not block (with a release_role)")

    def released(order: dict) -> bool:
        author, _ = s.confirmer[order["id"]]
        customer = s.customers.get(s.order_customer.get(order["id"]), {})
        exposure = (customer.get("credit") or 0.0) + (order.get("amount_total") or 0.0)
        return author in s.release_partners and exposure > _limit(s, customer)

    return _confirmed_obs(s, released)


def discount_approvals(s: Snapshot) -> list[Obs]:
    _require(s, "sale_stock")
    if s.policy.discount_above is None:
        raise NoFigure("not_configured", "no discount approval: the blueprint sets no approvals.sales_discount_above")
    return _confirmed_obs(s, lambda order: order["id"] in s.discounted_orders)


# code -> (observations, scale, aggregate, what "no data" means)
KPIS: dict[str, tuple[Callable[[Snapshot], list[Obs]], float, Callable, str]] = {
    "order_cycle_time": (order_cycle_time, 1, _ratio, "no order fully delivered in the period"),
    "fill_rate": (fill_rate, 100, _ratio, "no first delivery of an order in the period"),
    "backorder_aging": (backorder_aging, 1, _max, "no open backorder"),
    "on_time_delivery": (on_time_delivery, 100, _ratio, "no delivery done in the period"),
    "inventory_turnover": (inventory_turnover, 1, _ratio, "no stock value in the period (no valued stock moves, or products without cost)"),
    "supplier_on_time_rate": (supplier_on_time_rate, 100, _ratio, "no purchase receipt done in the period"),
    "supplier_lead_time_slip": (supplier_lead_time_slip, 1, _ratio, "no purchase receipt done in the period"),
    "return_rate": (return_rate, 100, _ratio, "no delivery to a customer in the period"),
    "invoice_lag": (invoice_lag, 1, _ratio, "no posted customer invoice of a delivered order in the period"),
    "credit_holds": (credit_holds, 100, _ratio, "no order confirmed in the period"),
    "discount_approvals": (discount_approvals, 100, _ratio, "no order confirmed in the period"),
}


def _breakdown(obs: list[Obs], scale: float, aggregate: Callable) -> dict[str, list[dict]]:
    out = {}
    for dim in DIMENSIONS:
        groups: dict[str, list[Obs]] = defaultdict(list)
        for o in obs:
            key = getattr(o, dim)
            if key is not None:
                groups[key].append(o)
        if groups:
            out[dim] = [{"key": key, "value": aggregate(rows, scale), "covered": sum(o.count for o in rows)}
                        for key, rows in sorted(groups.items())]
    return out


def _ageing_buckets(obs: list[Obs]) -> dict:
    counts = {label: 0 for _, _, label in AGE_BUCKETS}
    for o in obs:
        for low, high, label in AGE_BUCKETS:
            if o.num >= low and (high is None or o.num <= high):
                counts[label] += o.count
    return {"age_buckets": counts}


def compute_one(kpi: KpiDef, s: Snapshot) -> KpiResult:
    func, scale, aggregate, empty = KPIS[kpi.code]
    base = {"code": kpi.code, "name": kpi.name, "unit": kpi.unit, "direction": kpi.direction,
            "formula": kpi.formula, "sources": kpi.source_text()}
    try:
        obs = func(s)
    except NoFigure as why:
        return KpiResult(**base, value=None, covered=0, status=why.status, note=why.note)
    value = aggregate(obs, scale)
    covered = sum(o.count for o in obs)
    result = KpiResult(**base, value=value, covered=covered, status="ok" if value is not None else "no_data",
                       note="" if value is not None else empty, breakdown=_breakdown(obs, scale, aggregate))
    if kpi.code == "backorder_aging":
        result.detail = _ageing_buckets(obs)
    return result


def compute(s: Snapshot) -> list[KpiResult]:
    return [compute_one(k, s) for k in definitions()]
