"""Batched, resumable load of validated rows into Odoo.

Rows go through ``load()`` with external IDs, so a row sent twice updates
instead of duplicating: that is what makes resume safe. Before a batch is
sent, the live records of its external IDs are read (two round trips per
batch, :class:`~odookit.migration.compare.LiveRows`) and only the rows whose
values differ are sent, so a second load of unchanged data writes nothing:
``0 created, 0 updated, N unchanged``, and no ``write_date`` moves. The checkpoint
(``.odookit/migration/load-<target>.json``, rewritten atomically after every
batch) only saves the time of re-sending what is already in. A batch Odoo
refuses is split until only the bad rows fail; those go to a rejects
workbook with Odoo's own message.

Opening stock is not a ``load()`` and not a sync: it is the cut-over.
Quantities are *set* through ``stock.quant`` in inventory mode
(``inventory_quantity_auto_apply``), and the quantity sent is kept in
``.odookit/migration/cutover-<target>.json``. A later load never resets a
quantity that moved in Odoo since (a delivery, a count): it reports the row
as "moved since cut-over, not reset", and ``reset_stock`` sets it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from odookit.errors import MigrationError, OdooError, OdooUnreachable, ProductionGuard
from odookit.migration.compare import LiveRows, field_digits, odoo_round
from odookit.migration.entities import BY_NAME, LOAD_ORDER, MapContext, text
from odookit.migration.escape import row
from odookit.migration.report import atomic_save
from odookit.migration.rules import Validation

LOAD_CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
CHECKPOINT_VERSION = 1


@dataclass
class Reject:
    entity: str
    where: tuple  # (file, sheet, row)
    message: str
    values: dict

    def as_dict(self) -> dict:
        return {"entity": self.entity, "file": Path(self.where[0]).name, "sheet": self.where[1], "row": self.where[2],
                "message": self.message, "values": self.values}


@dataclass
class EntityLoad:
    """One entity's figures. ``created`` rows had no record in Odoo before; ``updated`` ones did and were
    sent again (for opening stock: quantities that moved). A second load of unchanged data creates 0."""

    entity: str
    rows: int = 0
    sent: int = 0
    loaded: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows whose live record already holds the workbook's values: not sent
    moved: int = 0  # opening stock whose quantity moved in Odoo since the cut-over: not reset
    resumed_from: int = 0
    rejected: int = 0
    held_back: int = 0  # valid rows not sent: they refer to a row that has errors
    batches: int = 0


@dataclass
class LoadReport:
    target: str
    entities: list[EntityLoad] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    held: list[Reject] = field(default_factory=list)  # valid rows held back with the row they wait for
    moved: list[Reject] = field(default_factory=list)  # opening stock that moved in Odoo since the cut-over, left as it is
    rejects_path: str | None = None
    checkpoint: str | None = None

    def as_dict(self) -> dict:
        return {"target": self.target, "entities": [dataclasses.asdict(e) for e in self.entities],
                "rejected": len(self.rejects), "rejects": [r.as_dict() for r in self.rejects],
                "held_back": [r.as_dict() for r in self.held], "moved": [r.as_dict() for r in self.moved],
                "rejects_path": self.rejects_path, "checkpoint": self.checkpoint}


class Checkpoint:
    """Where each entity's load stopped, keyed by a digest of the rows so changed data starts over.

    Until a run finishes, entities it completed stay complete: the resumed run
    skips them instead of re-sending 100,000 customers to reach the products
    it stopped in. A run after a finished one starts every entity afresh.
    """

    def __init__(self, path: Path):
        self.path = path
        self.data: dict = {"version": CHECKPOINT_VERSION, "entities": {}}
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise self._damaged(f"not readable JSON: {exc}") from None
            if not isinstance(data, dict):
                raise self._damaged("not an odookit load checkpoint")
            if data.get("version") == CHECKPOINT_VERSION:
                problem = _checkpoint_problem(data)
                if problem:
                    raise self._damaged(problem)
                self.data = data

    def _damaged(self, problem: str) -> MigrationError:
        # a half-read checkpoint could skip rows or carry rejects that are not; nothing is loaded instead
        return MigrationError(f"the load checkpoint is damaged ({problem}); nothing was loaded", where=str(self.path),
                              fix="Delete that file and load again: rows already in Odoo are updated, never created twice.")

    def begin(self) -> None:
        if self.data.get("finished", True):
            self.data = {"version": CHECKPOINT_VERSION, "entities": {}, "finished": False}

    def end(self) -> None:
        self.data["finished"] = True
        self.save()

    def start(self, entity: str, digest: str) -> int:
        entry = self.data["entities"].get(entity)
        if not entry or entry.get("digest") != digest:
            self.data["entities"][entity] = {"digest": digest, "done": 0, "complete": False, "rejects": []}
            return 0
        return int(entry["done"])

    def rejects(self, entity: str) -> list[dict]:
        return self.data["entities"][entity]["rejects"]

    def advance(self, entity: str, done: int, rejects: list[Reject]) -> None:
        entry = self.data["entities"][entity]
        entry["done"] = done
        entry["rejects"] += [dataclasses.asdict(r) for r in rejects]
        self.save()

    def finish(self, entity: str) -> None:
        self.data["entities"][entity]["complete"] = True
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.data, indent=1, default=str), encoding="utf-8")
        tmp.replace(self.path)


def _checkpoint_problem(data: dict) -> str | None:
    """What makes a checkpoint of this version unusable, or None."""
    entities = data.get("entities")
    if not isinstance(entities, dict):
        return "'entities' is not a mapping"
    for name, entry in entities.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("digest"), str) or type(entry.get("done")) is not int:
            return f"entity '{name}' has no digest or row count"
        rejects = entry.get("rejects")
        if not isinstance(rejects, list) or any(not isinstance(r, dict) or set(r) != {"entity", "where", "message", "values"} for r in rejects):
            return f"entity '{name}' has malformed rejects"
    return None


def digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def guard_production(target, yes: bool, *, reset_stock: bool = False) -> None:
    if target.production and not yes and reset_stock:
        raise ProductionGuard(
            f"target '{target.name}' is marked production; refusing to reset stock that moved since the cut-over",
            where=target.url,
            fix="Pass --yes with --reset-stock only if every quantity moved in Odoo since the cut-over is to be overwritten.",
        )
    if target.production and not yes:
        raise ProductionGuard(
            f"target '{target.name}' is marked production; refusing to load master data into it",
            where=target.url,
            fix="Pass --yes if this is the cut-over load you mean to run.",
        )


class Sender:
    """Sends one entity's rows in batches, isolating the rows Odoo refuses."""

    def __init__(self, gateway, entity: str, model: str):
        self.gateway, self.entity, self.model = gateway, entity, model
        self.created = self.updated = 0
        self.existing: set[str] | None = None  # external IDs known to have a record (read before the batch)
        self.unchanged_in_last = 0  # rows of the last batch :func:`send_changed` found unchanged

    def send(self, rows: list[dict], wheres: list[tuple]) -> tuple[int, list[Reject]]:
        """Load ``rows``; returns (rows loaded, rejects)."""
        if not rows:
            return 0, []
        try:
            errors = self._call(rows)
        except OdooUnreachable:
            raise
        except OdooError as exc:
            errors = {None: exc.message}
        if not errors:
            return len(rows), []
        if len(rows) == 1:
            return 0, [Reject(self.entity, wheres[0], "; ".join(dict.fromkeys(errors.values())), rows[0])]
        indexed = {i: m for i, m in errors.items() if i is not None and 0 <= i < len(rows)}
        if indexed and None not in errors:
            keep = [i for i in range(len(rows)) if i not in indexed]
            loaded, rejects = self.send([rows[i] for i in keep], [wheres[i] for i in keep])
            # each named row is tried alone before it is rejected: Odoo pins an error raised by the
            # whole batch (a constraint) on the batch's first row, which may be perfectly good
            for i in sorted(indexed):
                one_loaded, one_rejects = self.send([rows[i]], [wheres[i]])
                loaded, rejects = loaded + one_loaded, rejects + one_rejects
            return loaded, rejects
        half = len(rows) // 2
        a_loaded, a_rejects = self.send(rows[:half], wheres[:half])
        b_loaded, b_rejects = self.send(rows[half:], wheres[half:])
        return a_loaded + b_loaded, a_rejects + b_rejects

    def _call(self, rows: list[dict]) -> dict:
        """Errors by row index (None: not attributable to a row); empty when all went in."""
        fields = list(rows[0])
        # which rows already have a record: load() answers only with ids, not whether it made them
        existing = self.existing if self.existing is not None else self.gateway.resolve_xmlids(r["id"] for r in rows if r.get("id"))
        result = self.gateway.load(self.model, fields, [[r[f] for f in fields] for r in rows], context=LOAD_CONTEXT)
        errors: dict[int | None, list[str]] = {}
        for message in result.get("messages") or []:
            if message.get("type") != "error":
                continue
            record = message.get("record")
            key = record if isinstance(record, int) else None
            text_ = str(message.get("message", "rejected")).strip()
            if message.get("field"):
                text_ = f"{message['field']}: {text_}"
            errors.setdefault(key, [])
            if text_ not in errors[key]:
                errors[key].append(text_)
        if not errors and not result.get("ids"):
            return {None: "Odoo refused the batch without a message"}
        if not errors:  # load() is all or nothing: a batch with an error wrote no row
            known = sum(1 for r in rows if r.get("id") in existing)
            self.created += len(rows) - known
            self.updated += known
        return {key: "; ".join(texts) for key, texts in errors.items()}


def sub_locations(gateway, mapped: list[dict]) -> dict[str, int]:
    """Internal locations named in opening stock, by full name (``CHI/Stock/Shelf 1``)."""
    names = sorted({r["location"] for r in mapped if r.get("location")})
    if not names:
        return {}
    found = gateway.search_read("stock.location", [("complete_name", "in", names), ("usage", "=", "internal")], ["complete_name"])
    return {f["complete_name"]: f["id"] for f in found}


def quant_label(row: dict) -> str:
    """One opening-stock row's quant, readable and the same in every database: product @ location [lot]."""
    label = f"{row['product_id/id']} @ {row.get('location') or row['location_id/id']}"
    return label + (f" [{row['lot_id/id']}]" if row.get("lot_id/id") else "")


class CutOver:
    """The quantity each opening-stock quant was set to at the cut-over, per target (rewritten atomically)."""

    def __init__(self, path: Path):
        self.path = path
        self.sent: dict[str, float] = {}
        if path.is_file():
            try:
                self.sent = {k: float(v) for k, v in json.loads(path.read_text(encoding="utf-8")).get("quants", {}).items()}
            except (OSError, ValueError, AttributeError):
                self.sent = {}  # unreadable: quantities that moved since may be reset; said by the report as updated

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"quants": self.sent}, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


class QuantSender(Sender):
    """Opening stock: set quantities in inventory mode (absolute, applied at once), once.

    A quant already at the workbook's quantity is unchanged and not sent. One
    that moved since the cut-over (Odoo no longer has what was sent) is left
    as it is and listed in ``moved``, unless ``reset`` is set.
    """

    def __init__(self, gateway, xmlids: dict[str, tuple[str, int]], locations: dict[str, int], *,
                 cutover: CutOver, digits: int, reset: bool):
        super().__init__(gateway, "opening_stock", "stock.quant")
        self.xmlids, self.locations = xmlids, locations
        self.cutover, self.digits, self.reset = cutover, digits, reset
        self.unchanged = 0
        self.moved: dict[str, str] = {}  # quant label -> why it was left as Odoo has it

    def _call(self, rows: list[dict]) -> dict:
        vals_list, errors = [], {}
        for index, row in enumerate(rows):
            ids = {}
            for name in ("product_id", "location_id", "lot_id"):
                ref = row[f"{name}/id"]
                if not ref:
                    continue
                found = self.xmlids.get(ref)
                if not found:
                    errors[index] = f"{name}: no record with external ID {ref}"
                    break
                ids[name] = found[1]
            if row.get("location") and index not in errors:
                if row["location"] not in self.locations:
                    errors[index] = f"location: no internal location named '{row['location']}' in Odoo"
                ids["location_id"] = self.locations.get(row["location"])
            vals_list.append({**ids, "inventory_quantity_auto_apply": float(row["inventory_quantity"])})
        if errors:
            return errors
        before = self._quantities(vals_list)
        send, decided = [], []
        for row, vals in zip(rows, vals_list, strict=True):
            label, want = quant_label(row), odoo_round(vals["inventory_quantity_auto_apply"], self.digits)
            had = before.get(self._key(vals))
            have = odoo_round(had or 0.0, self.digits)
            sent = self.cutover.sent.get(label)
            if have == want:
                self.unchanged += 1
                decided.append((label, want))
            elif sent is not None and odoo_round(sent, self.digits) != have and not self.reset:
                self.moved[label] = (f"moved since cut-over, not reset: {sent:g} was loaded, Odoo has {have:g} "
                                     f"(the workbook says {want:g}); `migrate load --reset-stock` sets it again")
            else:
                send.append(vals)
                decided.append((label, want))
                if had is None and sent is None:
                    self.created += 1
                else:
                    self.updated += 1
        if send:
            self.gateway.create(self.model, send, context={**LOAD_CONTEXT, "inventory_mode": True})
        self.cutover.sent.update(decided)
        self.cutover.save()
        return {}

    @staticmethod
    def _key(vals: dict) -> tuple:
        return vals.get("product_id"), vals.get("location_id"), vals.get("lot_id") or False

    def _quantities(self, vals_list: list[dict]) -> dict[tuple, float]:
        """On-hand quantity of the quants these rows set, before they are set."""
        products = sorted({v["product_id"] for v in vals_list})
        locations = sorted({v["location_id"] for v in vals_list if v.get("location_id")})
        found = self.gateway.search_read(
            self.model, [("product_id", "in", products), ("location_id", "in", locations)],
            ["product_id", "location_id", "lot_id", "quantity"],
        )
        out: dict[tuple, float] = {}
        for q in found:
            key = (q["product_id"][0], q["location_id"][0], q["lot_id"][0] if q["lot_id"] else False)
            out[key] = out.get(key, 0.0) + q["quantity"]
        return out


def lots(rows: list[dict], ctx: MapContext) -> tuple[list[dict], list[tuple]]:
    """The stock.lot rows opening stock needs, and the first sheet row naming each (for rejects)."""
    seen: dict[str, tuple[dict, tuple]] = {}
    for row in rows:
        lot = text(row.get("lot"))
        if lot:
            xid = ctx.x("lot", row["sku"], lot)
            values = {"id": xid, "name": lot, "product_id/id": ctx.x("product", row["sku"])}
            expiry = text(row.get("expiry_date"))
            if expiry and ctx.category_expiry:  # product_expiry is installed only for a blueprint with expiry
                values["expiration_date"] = f"{expiry} 00:00:00"
            seen.setdefault(xid, (values, row["_where"]))
    return [r for r, _ in seen.values()], [w for _, w in seen.values()]


def _ids_held(entity: str, xid: str) -> set[str]:
    """A held row's external ID, and for a product the template's one, which supplier prices refer to."""
    return {xid, f"{xid}_product_template"} if entity == "products" else {xid}


def invalid_xmlids(validation: Validation, ctx: MapContext) -> set[str]:
    """External IDs the rows with errors would have had: rows that refer to them must wait for the fix."""
    bad = validation.bad_cells()
    held: set[str] = set()
    for name in LOAD_ORDER:
        spec = BY_NAME[name]
        for r in validation.rows(name, valid_only=False):
            if (Path(r["_where"][0]).name, r["_where"][1], r["_where"][2]) not in bad:
                continue
            try:
                xid = spec.to_load(r, ctx).get("id")
            except Exception:  # noqa: BLE001 - a row too broken to map has no usable key either
                continue
            if xid:
                held |= _ids_held(name, xid)
    return held


def hold_dependents(entity: str, source: list[dict], mapped: list[dict], held: set[str]) -> tuple[list[dict], list[dict], list[Reject]]:
    """Split off the rows that refer to a held external ID (and hold theirs in turn, for later entities)."""
    keep_source, keep_mapped, waiting = [], [], []
    for src, row in zip(source, mapped, strict=True):
        refs = sorted(v for k, v in row.items() if k.endswith("/id") and v in held)
        if refs:
            if row.get("id"):
                held |= _ids_held(entity, row["id"])
            waiting.append(Reject(entity, src["_where"], f"not loaded: it refers to {', '.join(refs)}, whose row has "
                                  "errors; fix that row and load again", row))
        else:
            keep_source.append(src)
            keep_mapped.append(row)
    return keep_source, keep_mapped, waiting


def load_validation(
    validation: Validation,
    gateway,
    *,
    state_dir: Path,
    reports_dir: Path,
    target_name: str,
    entities: list[str] | None = None,
    batch_size: int = 500,
    skip_invalid: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    after_batch: Callable[[str, int], None] | None = None,
    reset_stock: bool = False,
) -> LoadReport:
    """Load every (or the named) entity in dependency order; see the module docstring.

    ``reset_stock`` sets opening stock again also where the quantity moved in Odoo since the cut-over.
    """
    if batch_size < 1:
        raise MigrationError("--batch-size must be at least 1", fix="Use e.g. --batch-size 500.")
    if validation.errors and not skip_invalid:
        raise MigrationError(
            f"{len(validation.errors)} errors remain in the workbooks; nothing was loaded",
            fix="Run `odookit migrate validate`, fix the cells marked in the annotated copies, or pass --skip-invalid to load only the valid rows.",
        )
    ctx = dataclasses.replace(validation.ctx or MapContext(module="odookit"), major=gateway.info.major)
    wanted = [e for e in LOAD_ORDER if entities is None or e in entities]
    present = {s.entity.name for s in validation.sheets}
    checkpoint = Checkpoint(state_dir / "migration" / f"load-{target_name}.json")
    checkpoint.begin()
    report = LoadReport(target_name, checkpoint=str(checkpoint.path))
    cutover = CutOver(state_dir / "migration" / f"cutover-{target_name}.json")
    held = invalid_xmlids(validation, ctx) if validation.errors else set()
    for name in wanted:
        if name not in present:
            continue
        spec = BY_NAME[name]
        source, mapped = validation.load_rows(name, ctx)
        stats = EntityLoad(name, rows=len(mapped))
        if held:
            source, mapped, waiting = hold_dependents(name, source, mapped, held)
            report.held += waiting
            stats.held_back = len(waiting)
        wheres = [r["_where"] for r in source]
        start = checkpoint.start(name, digest(mapped))
        if name == "opening_stock" and start < len(mapped):
            all_lots, all_wheres = lots(source, ctx)
            # load() takes one field list: lots with an expiry date go apart, so that the others keep Odoo's own
            for dated in (False, True):
                picked = [i for i, r in enumerate(all_lots) if ("expiration_date" in r) == dated]
                lot_rows, lot_wheres = [all_lots[i] for i in picked], [all_wheres[i] for i in picked]
                if not lot_rows:
                    continue
                lot_sender = Sender(gateway, name, "stock.lot")
                _, lot_rejects = send_changed(lot_sender, _live(gateway, "stock.lot", lot_rows, BY_NAME[name], validation), lot_rows, lot_wheres)
                report.rejects += lot_rejects
            refs = {v for row in mapped for k, v in row.items() if k.endswith("/id") and v}
            sender: Sender = QuantSender(gateway, gateway.resolve_xmlids(refs), sub_locations(gateway, mapped), cutover=cutover,
                                         digits=validation.digits["Product Unit of Measure"], reset=reset_stock)
        else:
            if name == "kit_components" and start < len(mapped):
                from odookit.migration.kit_components import load_kits

                report.rejects += load_kits(gateway, source, ctx, validation)  # the kits' bills of materials before their lines
            sender = Sender(gateway, name, spec.model)
            meta = gateway.fields_get(spec.model, attributes=("type", "relation", "digits", "store")) if start < len(mapped) else {}
        stats.resumed_from = start
        if progress:
            progress(name, start, len(mapped))
        earlier = [Reject(**r) for r in checkpoint.rejects(name)]
        report.rejects += earlier
        stats.rejected = len(earlier)
        for offset in range(start, len(mapped), batch_size):
            batch, batch_wheres = mapped[offset:offset + batch_size], wheres[offset:offset + batch_size]
            if isinstance(sender, QuantSender):
                moved_before = set(sender.moved)
                loaded, rejects = sender.send(batch, batch_wheres)
                by_label = {quant_label(r): (r, w) for r, w in zip(batch, batch_wheres, strict=True)}
                report.moved += [Reject(name, by_label[label][1], why, by_label[label][0]) for label, why in sender.moved.items()
                                 if label not in moved_before and label in by_label]
                kept = (sender.unchanged - stats.unchanged) + (len(sender.moved) - stats.moved)  # not sent: Odoo has them
                stats.sent += len(batch) - kept
                loaded -= kept
                stats.unchanged, stats.moved = sender.unchanged, len(sender.moved)
            else:
                live = _live(gateway, spec.model, batch, spec, validation, meta)
                loaded, rejects = send_changed(sender, live, batch, batch_wheres)
                stats.sent += len(batch) - sender.unchanged_in_last
                stats.unchanged += sender.unchanged_in_last
            stats.loaded += loaded
            stats.rejected += len(rejects)
            stats.batches += 1
            stats.created, stats.updated = sender.created, sender.updated
            report.rejects += rejects
            checkpoint.advance(name, offset + len(batch), rejects)
            if progress:
                progress(name, offset + len(batch), len(mapped))
            if after_batch:
                after_batch(name, stats.batches)
        checkpoint.finish(name)
        report.entities.append(stats)
    checkpoint.end()
    if report.rejects or report.held:
        report.rejects_path = str(write_rejects(report.rejects + report.held, reports_dir / f"rejects-{target_name}.xlsx"))
    return report


def _live(gateway, model: str, rows: list[dict], spec, validation: Validation, meta: dict | None = None) -> LiveRows:
    """The live records of a batch's external IDs, with the model's fields and their decimal places."""
    meta = meta if meta is not None else gateway.fields_get(model, attributes=("type", "relation", "digits", "store"))
    return LiveRows.read(gateway, model, rows, meta, field_digits(spec, validation.digits, meta))


def send_changed(sender: Sender, live: LiveRows, rows: list[dict], wheres: list[tuple]) -> tuple[int, list[Reject]]:
    """Send the rows whose live record differs (or is missing); the others are unchanged and not sent."""
    changed = [i for i, r in enumerate(rows) if live.differences(r)]
    sender.unchanged_in_last = len(rows) - len(changed)
    sender.existing = set(live.existing)
    try:
        return sender.send([rows[i] for i in changed], [wheres[i] for i in changed])
    finally:
        sender.existing = None


def write_rejects(rejects: list[Reject], path: Path) -> Path:
    """Rows not loaded (Odoo refused them, or they wait for a row with errors), the reason first, a sheet per entity."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    by_entity: dict[str, list[Reject]] = {}
    for r in rejects:
        by_entity.setdefault(r.entity, []).append(r)
    for entity, items in by_entity.items():
        ws = book.create_sheet(entity[:31])
        columns = list(dict.fromkeys(c for r in items for c in r.values))  # lot and quant rows share a sheet
        ws.append(["file", "sheet", "row", "message", *columns])  # load() field names: nothing to escape
        for r in items:
            ws.append(row(ws, [Path(str(r.where[0])).name, r.where[1], r.where[2], r.message, *(r.values.get(c) for c in columns)]))
    return atomic_save(book, path)


def load_workspace(ws, target_name: str, *, source: Path | None = None, yes: bool = False, gateway=None,
                   validation: Validation | None = None, **options) -> LoadReport:
    """Validate (unless given the validation of the same workbooks) and load into the target."""
    from odookit.migration.rules import target_digits, validate_workspace

    target = ws.target(target_name)
    guard_production(target, yes, reset_stock=options.get("reset_stock", False))
    # every sheet is read even with --entity: references are checked against the other sheets
    validation = validation or validate_workspace(ws, source=source)
    if gateway is None:
        from odookit.odoo.connect import connect

        gateway = connect(target)
    digits = target_digits(gateway)
    if any(digits.get(name) != places for name, places in validation.digits.items()):  # other decimals than Odoo's defaults
        validation = validate_workspace(ws, source=source, digits=digits)
    return load_validation(validation, gateway, state_dir=ws.state, reports_dir=ws.migration / "reports", target_name=target_name, **options)
