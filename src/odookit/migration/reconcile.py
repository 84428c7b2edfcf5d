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

from odookit.migration.compare import LiveRows, field_digits, odoo_round
from odookit.migration.entities import BY_NAME, LOAD_ORDER
from odookit.migration.escape import row
from odookit.migration.report import atomic_save, atomic_text
from odookit.migration.rules import Validation

BATCH = 500  # records read per round trip


@dataclass
class EntityCheck:
    entity: str
    expected: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    differing: int = 0
    held_back: int = 0  # valid rows not loaded because they refer to a row with errors: not differences


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
    held: list = field(default_factory=list)  # load.Reject of each row held back by validation, with why
    moved: list[Difference] = field(default_factory=list)  # stock differences the cut-over had set right: moved in Odoo since

    @property
    def clean(self) -> bool:
        return not self.differences and not any(e.missing or e.extra for e in self.entities)

    def as_dict(self) -> dict:
        return {"target": self.target, "database": self.database, "clean": self.clean,
                "entities": [dataclasses.asdict(e) for e in self.entities],
                "differences": [dataclasses.asdict(d) for d in self.differences],
                "held_back": [r.as_dict() for r in self.held], "moved": [dataclasses.asdict(d) for d in self.moved]}


def reconcile(validation: Validation, gateway, *, target_name: str, entities: list[str] | None = None,
              cutover: dict[str, float] | None = None) -> Reconciliation:
    """Compare at each field's precision; rows validation held back are listed apart, never as differences.

    ``cutover``: the quantity each opening-stock quant was set to at the cut-over (load's CutOver); a quant
    that holds another quantity now, while the cut-over set the workbook's, is a difference also listed
    in ``moved``: it moved in Odoo since (a delivery), or Odoo did not apply it; the report says which to check.
    """
    from odookit.migration.load import hold_dependents, invalid_xmlids, lots, sub_locations

    ctx = dataclasses.replace(validation.ctx, major=gateway.info.major)
    module = ctx.module
    result = Reconciliation(target_name, gateway.db)
    present = {s.entity.name for s in validation.sheets}
    blueprint_categories = {ctx.x("product_category", c) for c in ctx.category_tracking}
    held_ids = invalid_xmlids(validation, ctx) if validation.errors else set()
    for name in LOAD_ORDER:
        if name not in present or (entities and name not in entities):
            continue
        spec = BY_NAME[name]
        source, mapped = validation.load_rows(name, ctx)
        check = EntityCheck(name)
        with_errors = _rows_with_errors(validation, name)
        result.held += with_errors
        check.held_back = len(with_errors)
        if held_ids:
            source, mapped, waiting = hold_dependents(name, source, mapped, held_ids)
            result.held += waiting
            check.held_back += len(waiting)
        check.expected = len(mapped)
        result.entities.append(check)
        if name == "opening_stock":
            places = validation.digits["Product Unit of Measure"]  # always there: Odoo's defaults under the target's
            _reconcile_stock(gateway, mapped, lots(source, ctx)[0], sub_locations(gateway, mapped), check, result, places, cutover or {})
            continue
        # one model holds several sheets' records (customers, contacts, suppliers): each sheet's kind of external ID
        live = {x: v for x, v in gateway.xmlids_of_module(module, spec.model).items() if x.startswith(f"{module}.{spec.kind}_")}
        if name == "categories":
            live = {x: v for x, v in live.items() if x not in blueprint_categories}
        expected = {row["id"]: row for row in mapped}
        check.found = len(set(expected) & set(live))
        check.missing = sorted(set(expected) - set(live))
        # a record of a row held back is not "extra": it is in the held list. held_ids has the rows with errors'
        # IDs, and hold_dependents adds each row it holds back (this sheet's too) to that set
        check.extra = sorted(set(live) - set(expected) - held_ids)
        found_rows = [row for row in mapped if row["id"] in live]
        if not found_rows:
            continue
        meta = gateway.fields_get(spec.model, attributes=("type", "relation", "digits", "store"))
        differing = set()
        for offset in range(0, len(found_rows), BATCH):
            batch = found_rows[offset:offset + BATCH]
            records = LiveRows.read(gateway, spec.model, batch, meta, field_digits(spec, validation.digits, meta))
            for row in batch:
                for base, want, actual in records.differences(row):
                    differing.add(row["id"])
                    result.differences.append(Difference(name, row["id"], base, want, actual))
        check.differing = len(differing)
    return result


def _rows_with_errors(validation: Validation, entity: str) -> list:
    from odookit.migration.load import Reject

    bad = validation.bad_cells()
    return [Reject(entity, r["_where"], "not loaded: the row has errors (`odookit migrate validate` lists them)", {})
            for r in validation.rows(entity, valid_only=False) if (Path(r["_where"][0]).name, r["_where"][1], r["_where"][2]) in bad]


def _reconcile_stock(gateway, mapped: list[dict], lots: list[dict], named: dict[str, int], check: EntityCheck,
                     result: Reconciliation, places: int, cutover: dict[str, float]) -> None:
    refs = {v for row in mapped for k, v in row.items() if k.endswith("/id") and v} | {lot["id"] for lot in lots}
    ids = {x: v[1] for x, v in gateway.resolve_xmlids(refs).items()}  # no round trip when empty
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
        sent = cutover.get(label)
        if odoo_round(actual, places) != odoo_round(qty, places):
            difference = Difference("opening_stock", label, "quantity", f"{qty:g}", f"{actual:g}")
            result.differences.append(difference)
            check.differing += 1
            if sent is not None and odoo_round(sent, places) == odoo_round(qty, places):
                result.moved.append(difference)  # the load set it: Odoo moved it since (or did not apply it)
        else:
            matched += 1
    check.found = matched


def write_reconcile_reports(rec: Reconciliation, out_dir: Path) -> list[Path]:
    """An .xlsx and an HTML page with a sign-off block."""
    import openpyxl

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("summary")
    ws.append([f"Reconciliation of migration workbooks with {rec.target} (database {rec.database}), {stamp}"])  # starts with a word
    ws.append(["entity", "expected", "found", "missing", "extra", "differing", "held back"])
    for e in rec.entities:
        ws.append([e.entity, e.expected, e.found, len(e.missing), len(e.extra), e.differing, e.held_back])
    ws.append([])
    ws.append(["Result", "CLEAN: no differences" if rec.clean else "DIFFERENCES: see the other sheets"])
    ws.append(["Reconciled by (name, signature)", ""])
    ws.append(["Date", ""])
    ids = book.create_sheet("external_ids")
    ids.append(["entity", "status", "external_id"])
    for e in rec.entities:
        for status, xs in (("missing in Odoo", e.missing), ("extra in Odoo", e.extra)):
            for x in xs:  # opening stock's missing are also the workbook's sub-location names
                ids.append(row(ids, [e.entity, status, x]))
    diffs = book.create_sheet("differences")
    diffs.append(["entity", "record", "field", "workbook", "odoo"])
    for d in rec.differences:
        diffs.append(row(diffs, [d.entity, d.key, d.field, d.expected, d.actual]))
    held = book.create_sheet("held_back")
    held.append(["entity", "file", "sheet", "row", "why (not a difference: validation held the row back)"])
    for r in rec.held:
        held.append(row(held, [r.entity, Path(str(r.where[0])).name, r.where[1], r.where[2], r.message]))
    moved = book.create_sheet("moved_since_cutover")
    moved.append(["record", "loaded at cut-over", "odoo now"])
    for d in rec.moved:
        moved.append(row(moved, [d.key, d.expected, d.actual]))
    xlsx = atomic_save(book, out_dir / f"reconcile-{rec.target}.xlsx")
    esc = html.escape
    rows = "".join(f"<tr><td>{esc(e.entity)}</td><td>{e.expected}</td><td>{e.found}</td><td>{len(e.missing)}</td><td>{len(e.extra)}</td><td>{e.differing}</td>"
                   f"<td>{e.held_back}</td></tr>" for e in rec.entities)
    held_rows = "".join(f"<tr><td>{esc(r.entity)}</td><td>{esc(Path(str(r.where[0])).name)}</td><td>{esc(str(r.where[1]))}</td><td>{r.where[2]}</td>"
                        f"<td>{esc(r.message)}</td></tr>" for r in rec.held[:5000])
    id_rows = "".join(f"<tr><td>{esc(e.entity)}</td><td>{status}</td><td>{esc(x)}</td></tr>"
                      for e in rec.entities for status, xs in (("missing in Odoo", e.missing), ("extra in Odoo", e.extra)) for x in xs[:5000])
    diff_rows = "".join(f"<tr><td>{esc(d.entity)}</td><td>{esc(d.key)}</td><td>{esc(d.field)}</td><td>{esc(d.expected)}</td><td>{esc(d.actual)}</td></tr>" for d in rec.differences[:5000])
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Reconciliation {esc(rec.target)}</title><style>
body{{font-family:system-ui,sans-serif;margin:2em}} table{{border-collapse:collapse;margin-bottom:2em}} td,th{{border:1px solid #ccc;padding:.25em .6em}}
.sign td{{height:2.5em;min-width:18em}}</style></head><body><h1>Migration reconciliation: {esc(rec.target)} ({esc(rec.database)})</h1>
<p>{stamp}. Result: <b>{'CLEAN: the database matches the workbooks' if rec.clean else 'DIFFERENCES FOUND'}</b></p>
<table><tr><th>entity</th><th>expected</th><th>found</th><th>missing</th><th>extra</th><th>differing</th><th>held back</th></tr>{rows}</table>
<h2>Missing and extra records</h2><table><tr><th>entity</th><th>status</th><th>external ID / location</th></tr>{id_rows}</table>
<h2>Differences</h2><table><tr><th>entity</th><th>record</th><th>field</th><th>workbook</th><th>Odoo</th></tr>{diff_rows}</table>
<h2>Rows held back by validation (not differences)</h2><table><tr><th>entity</th><th>file</th><th>sheet</th><th>row</th><th>why</th></tr>{held_rows}</table>
<h2>Sign-off</h2><table class=sign><tr><th>Migration lead</th><td></td></tr><tr><th>Client data owner</th><td></td></tr><tr><th>Date</th><td></td></tr></table>
</body></html>"""
    return [xlsx, atomic_text(out_dir / f"reconcile-{rec.target}.html", page)]


def reconcile_workspace(ws, target_name: str, *, source: Path | None = None, gateway=None, entities: list[str] | None = None) -> tuple[Reconciliation, list[Path]]:
    from odookit.migration.load import CutOver
    from odookit.migration.rules import target_digits, validate_workspace

    if gateway is None:
        from odookit.odoo.connect import connect

        gateway = connect(ws.target(target_name))
    validation = validate_workspace(ws, source=source, digits=target_digits(gateway))
    cutover = CutOver(ws.state / "migration" / f"cutover-{target_name}.json").sent
    rec = reconcile(validation, gateway, target_name=target_name, entities=entities, cutover=cutover)
    return rec, write_reconcile_reports(rec, ws.migration / "reports")
