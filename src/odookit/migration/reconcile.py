"""Workbooks against the live database: the report a migration lead signs.

Per entity: rows expected, records found by external ID, missing and extra
external IDs, and every field whose live value differs from the workbook;
opening stock is compared as quantity per product, location and lot.
"""

from __future__ import annotations

import dataclasses
import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from odookit.migration.entities import BY_NAME, LOAD_ORDER
from odookit.migration.escape import row
from odookit.migration.report import atomic_save, atomic_text
from odookit.migration.rules import Validation

SKIP_FIELDS = {"id", "uom_po_id/id", "product_tmpl_id/id"}


@dataclass
class EntityCheck:
    entity: str
    expected: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    differing: int = 0


@dataclass
class Difference:
    entity: str
    key: str  # external ID, or product @ location [lot] for stock
    field: str
    expected: str
    actual: str


@dataclass
class Reconciliation:
    target: str
    database: str
    entities: list[EntityCheck] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.differences and not any(e.missing or e.extra for e in self.entities)

    def as_dict(self) -> dict:
        return {"target": self.target, "database": self.database, "clean": self.clean,
                "entities": [dataclasses.asdict(e) for e in self.entities],
                "differences": [dataclasses.asdict(d) for d in self.differences]}


def _same(kind: str, expected: str, actual, ids: dict[str, int]) -> tuple[bool, str]:
    """Compare one workbook value (load text) with a value read from Odoo; returns (same, actual as text)."""
    if kind in ("many2one",):
        actual_id = actual[0] if actual else False
        want = ids.get(expected) if expected else False
        return want == actual_id, (actual[1] if actual else "")
    if kind in ("many2many", "one2many"):
        want = {ids.get(x) for x in expected.split(",") if x} if expected else set()
        return want == set(actual or []), ",".join(str(a) for a in actual or [])
    if kind in ("float", "monetary", "integer"):
        try:
            return abs(float(expected or 0) - float(actual or 0)) < 1e-6 * max(1.0, abs(float(expected or 0))), str(actual)
        except ValueError:
            return False, str(actual)
    if kind == "boolean":
        return (expected in ("1", "True", "true")) == bool(actual), str(actual)
    if kind in ("date", "datetime"):
        return (expected or "")[:10] == (str(actual)[:10] if actual else ""), str(actual or "")
    return (expected or "") == (actual or ""), str(actual or "")


def reconcile(validation: Validation, gateway, *, target_name: str, entities: list[str] | None = None) -> Reconciliation:
    from odookit.migration.load import lots, sub_locations

    ctx = dataclasses.replace(validation.ctx, major=gateway.info.major)
    module = ctx.module
    result = Reconciliation(target_name, gateway.db)
    present = {s.entity.name for s in validation.sheets}
    blueprint_categories = {ctx.x("product_category", c) for c in ctx.category_tracking}
    for name in LOAD_ORDER:
        if name not in present or (entities and name not in entities):
            continue
        spec = BY_NAME[name]
        source, mapped = validation.load_rows(name, ctx)
        check = EntityCheck(name, expected=len(mapped))
        result.entities.append(check)
        if name == "opening_stock":
            _reconcile_stock(gateway, mapped, lots(source, ctx)[0], sub_locations(gateway, mapped), check, result)
            continue
        live = {x: v for x, v in gateway.xmlids_of_module(module, spec.model).items() if x.split(".", 1)[1].startswith(f"{spec.kind}_")}
        if name == "categories":
            live = {x: v for x, v in live.items() if x not in blueprint_categories}
        if name == "products":
            live = {x: v for x, v in live.items() if not x.endswith("_product_template")}
        expected = {row["id"]: row for row in mapped}
        check.found = len(set(expected) & set(live))
        check.missing = sorted(set(expected) - set(live))
        check.extra = sorted(set(live) - set(expected))
        fields = [f for f in (mapped[0] if mapped else {}) if f not in SKIP_FIELDS]
        if not fields or not check.found:
            continue
        meta = gateway.fields_get(spec.model, attributes=("type",))
        fields = [f for f in fields if f.removesuffix("/id") in meta]
        refs = {x for row in mapped for f in fields if f.endswith("/id") for x in row[f].split(",") if x}
        ids = {x: v[1] for x, v in gateway.resolve_xmlids(refs).items()} if refs else {}
        by_id = {live[x][1]: x for x in expected if x in live}
        names = sorted({f.removesuffix("/id") for f in fields})
        records = gateway.read(spec.model, list(by_id), names, context={"active_test": False})
        differing = set()
        for record in records:
            xid = by_id[record["id"]]
            row = expected[xid]
            for f in fields:
                base = f.removesuffix("/id")
                same, actual = _same(meta[base]["type"], row[f], record.get(base), ids)
                if not same:
                    differing.add(xid)
                    result.differences.append(Difference(name, xid, base, row[f], actual))
        check.differing = len(differing)
    return result


def _reconcile_stock(gateway, mapped: list[dict], lots: list[dict], named: dict[str, int], check: EntityCheck,
                     result: Reconciliation) -> None:
    refs = {v for row in mapped for k, v in row.items() if k.endswith("/id") and v} | {lot["id"] for lot in lots}
    ids = {x: v[1] for x, v in gateway.resolve_xmlids(refs).items()} if refs else {}
    ids.update(named)  # sub-locations by full name, beside external IDs
    want: dict[tuple, float] = defaultdict(float)
    for row in mapped:
        want[(row["product_id/id"], row.get("location") or row["location_id/id"], row["lot_id/id"])] += float(row["inventory_quantity"])
    check.missing = sorted(x for x in refs | {k[1] for k in want} if x not in ids)
    products = sorted({ids[k[0]] for k in want if k[0] in ids})
    locations = sorted({ids[k[1]] for k in want if k[1] in ids})
    have: dict[tuple, float] = defaultdict(float)
    if products and locations:
        quants = gateway.search_read("stock.quant", [("product_id", "in", products), ("location_id", "in", locations)],
                                     ["product_id", "location_id", "lot_id", "quantity"])
        for q in quants:
            have[(q["product_id"][0], q["location_id"][0], q["lot_id"][0] if q["lot_id"] else False)] += q["quantity"]
    matched = 0
    for (product, location, lot), qty in want.items():
        key = (ids.get(product), ids.get(location), ids.get(lot) if lot else False)
        actual = have.get(key, 0.0)
        label = f"{product} @ {location}" + (f" [{lot}]" if lot else "")
        if abs(actual - qty) > 1e-6:
            result.differences.append(Difference("opening_stock", label, "quantity", f"{qty:g}", f"{actual:g}"))
            check.differing += 1
        else:
            matched += 1
    check.found = matched


def write_reconcile_reports(rec: Reconciliation, out_dir: Path) -> list[Path]:
    """An .xlsx and an HTML page with a sign-off block."""
    import openpyxl

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("summary")
    ws.append(row(ws, [f"Reconciliation of migration workbooks with {rec.target} (database {rec.database}), {stamp}"]))
    ws.append(["entity", "expected", "found", "missing", "extra", "differing"])
    for e in rec.entities:
        ws.append([e.entity, e.expected, e.found, len(e.missing), len(e.extra), e.differing])
    ws.append([])
    ws.append(["Result", "CLEAN: no differences" if rec.clean else "DIFFERENCES: see the other sheets"])
    ws.append(["Reconciled by (name, signature)", ""])
    ws.append(["Date", ""])
    ids = book.create_sheet("external_ids")
    ids.append(["entity", "status", "external_id"])
    for e in rec.entities:
        for x in e.missing:
            ids.append(row(ids, [e.entity, "missing in Odoo", x]))
        for x in e.extra:
            ids.append(row(ids, [e.entity, "extra in Odoo", x]))
    diffs = book.create_sheet("differences")
    diffs.append(["entity", "record", "field", "workbook", "odoo"])
    for d in rec.differences:
        diffs.append(row(diffs, [d.entity, d.key, d.field, d.expected, d.actual]))
    xlsx = atomic_save(book, out_dir / f"reconcile-{rec.target}.xlsx")
    esc = html.escape
    rows = "".join(f"<tr><td>{esc(e.entity)}</td><td>{e.expected}</td><td>{e.found}</td><td>{len(e.missing)}</td><td>{len(e.extra)}</td><td>{e.differing}</td></tr>" for e in rec.entities)
    id_rows = "".join(f"<tr><td>{esc(e.entity)}</td><td>{status}</td><td>{esc(x)}</td></tr>"
                      for e in rec.entities for status, xs in (("missing in Odoo", e.missing), ("extra in Odoo", e.extra)) for x in xs[:5000])
    diff_rows = "".join(f"<tr><td>{esc(d.entity)}</td><td>{esc(d.key)}</td><td>{esc(d.field)}</td><td>{esc(d.expected)}</td><td>{esc(d.actual)}</td></tr>" for d in rec.differences[:5000])
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Reconciliation {esc(rec.target)}</title><style>
body{{font-family:system-ui,sans-serif;margin:2em}} table{{border-collapse:collapse;margin-bottom:2em}} td,th{{border:1px solid #ccc;padding:.25em .6em}}
.sign td{{height:2.5em;min-width:18em}}</style></head><body><h1>Migration reconciliation: {esc(rec.target)} ({esc(rec.database)})</h1>
<p>{stamp}. Result: <b>{'CLEAN: the database matches the workbooks' if rec.clean else 'DIFFERENCES FOUND'}</b></p>
<table><tr><th>entity</th><th>expected</th><th>found</th><th>missing</th><th>extra</th><th>differing</th></tr>{rows}</table>
<h2>Missing and extra records</h2><table><tr><th>entity</th><th>status</th><th>external ID / location</th></tr>{id_rows}</table>
<h2>Differences</h2><table><tr><th>entity</th><th>record</th><th>field</th><th>workbook</th><th>Odoo</th></tr>{diff_rows}</table>
<h2>Sign-off</h2><table class=sign><tr><th>Migration lead</th><td></td></tr><tr><th>Client data owner</th><td></td></tr><tr><th>Date</th><td></td></tr></table>
</body></html>"""
    return [xlsx, atomic_text(out_dir / f"reconcile-{rec.target}.html", page)]


def reconcile_workspace(ws, target_name: str, *, source: Path | None = None, gateway=None, entities: list[str] | None = None) -> tuple[Reconciliation, list[Path]]:
    from odookit.migration.rules import validate_workspace

    validation = validate_workspace(ws, source=source)
    if gateway is None:
        from odookit.odoo.connect import connect

        gateway = connect(ws.target(target_name))
    rec = reconcile(validation, gateway, target_name=target_name, entities=entities)
    return rec, write_reconcile_reports(rec, ws.migration / "reports")
