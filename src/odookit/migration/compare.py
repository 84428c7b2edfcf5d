"""Workbook values against live Odoo values: the one comparison a delta load and reconcile share.

A value is the same when Odoo would store what it holds: numbers at the
field's decimal precision (23.752 kg is 23.75 in a 2-digit weight field),
many2one and many2many by the records their external IDs name, booleans
and dates by meaning, not by spelling. The load skips the rows that are the
same, and reconcile reports only the ones that are not, so the two can never
disagree about whether a record needs writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SKIP_FIELDS = {"id", "uom_po_id/id", "product_tmpl_id/id"}  # derived from another column of the same row
TRUE = ("1", "true", "True", "yes", "y")


def odoo_round(value: float, digits: int) -> float:
    """``value`` as Odoo stores it at ``digits`` decimals: half away from zero on the decimal the user wrote
    (10.125 -> 10.13, where Python's ``round`` gives 10.12 from the binary float)."""
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def same(kind: str, expected: str, actual, ids: dict[str, int], digits: int | None = None, name: str = "") -> tuple[bool, str]:
    """Compare one ``load()`` text with a value read from Odoo; returns (same, the live value as text)."""
    if kind == "many2one":
        actual_id = actual[0] if isinstance(actual, list | tuple) and actual else actual or False
        want = ids.get(expected) if expected else False
        return want == actual_id, (actual[1] if isinstance(actual, list | tuple) and len(actual) > 1 else str(actual or ""))
    if kind in ("many2many", "one2many"):
        want = {ids.get(x.strip()) for x in expected.split(",") if x.strip()} if expected else set()
        return want == set(actual or []), ",".join(str(a) for a in actual or [])
    if kind in ("float", "monetary", "integer"):
        try:
            want, have = float(expected or 0), float(actual or 0)
        except (TypeError, ValueError):
            return False, str(actual)
        if name.endswith("_rank"):  # Odoo raises a partner's rank with every order: 1 means "at least 1"
            return have >= want, str(actual)
        if digits is not None:
            return odoo_round(want, digits) == odoo_round(have, digits), f"{have:.{digits}f}"
        return abs(want - have) < 1e-6 * max(1.0, abs(want)), str(actual)
    if kind == "boolean":
        return (str(expected).strip() in TRUE) == bool(actual), str(actual)
    if kind in ("date", "datetime"):
        return (expected or "")[:10] == (str(actual)[:10] if actual else ""), str(actual or "")
    return (expected or "") == (actual or ""), str(actual or "")


def field_digits(entity, digits: dict[str, int], meta: dict) -> dict[str, int]:
    """Decimal places of each numeric ``load()`` field of an entity: the server's (fields_get ``digits``)
    when it says, else the decimal precision the column names, at the target's or Odoo's default."""
    out: dict[str, int] = {}
    for column in entity.columns:
        for name in column.loads or (column.name,):
            base = name.removesuffix("/id")
            served = (meta.get(base) or {}).get("digits")
            if isinstance(served, list | tuple) and len(served) == 2 and served[1] is not None:
                out[base] = int(served[1])
            elif column.digits:
                out[base] = digits.get(column.digits, 2)
    return out


@dataclass
class LiveRows:
    """The live records behind a batch of ``load()`` rows, read in two round trips (external IDs, then records)."""

    model: str
    meta: dict  # fields_get of the model
    digits: dict[str, int]  # field -> decimal places
    existing: dict[str, int] = field(default_factory=dict)  # external ID -> record id
    records: dict[str, dict] = field(default_factory=dict)  # external ID -> live record
    ids: dict[str, int] = field(default_factory=dict)  # referenced external ID -> record id

    @classmethod
    def read(cls, gateway, model: str, rows: list[dict], meta: dict, digits: dict[str, int]) -> LiveRows:
        live = cls(model, meta, digits)
        fields = compared_fields(rows, meta)
        refs = {x.strip() for r in rows for f in fields if f.endswith("/id") for x in (r.get(f) or "").split(",") if x.strip()}
        wanted = {r["id"] for r in rows if r.get("id")}
        found = gateway.resolve_xmlids(wanted | refs) if wanted | refs else {}
        live.ids = {x: v[1] for x, v in found.items()}
        live.existing = {x: live.ids[x] for x in wanted if x in live.ids}
        if live.existing and fields:
            names = sorted({f.removesuffix("/id") for f in fields})
            by_id = {rid: x for x, rid in live.existing.items()}
            for record in gateway.read(model, list(by_id), names, context={"active_test": False}):
                live.records[by_id[record["id"]]] = record
        return live

    def differences(self, row: dict) -> list[tuple[str, str, str]]:
        """(field, workbook, odoo) of every field where the live record differs; every field when there is none."""
        record = self.records.get(row.get("id"))
        fields = compared_fields([row], self.meta)
        if record is None:
            return [(f.removesuffix("/id"), row[f], "") for f in fields]
        out = []
        for f in fields:
            base = f.removesuffix("/id")
            if not row[f] and f.endswith("/id") and self.meta[base].get("store") is False:
                continue  # an empty cell leaves a computed link (a partner's pricelist) to Odoo's own fallback
            equal, actual = same(self.meta[base]["type"], row[f], record.get(base), self.ids, self.digits.get(base), base)
            if not equal:
                out.append((base, row[f], actual))
        return out


def compared_fields(rows: list[dict], meta: dict) -> list[str]:
    """The ``load()`` fields of the rows that the model has and that are not derived from another one."""
    return [f for f in (rows[0] if rows else {}) if f not in SKIP_FIELDS and f.removesuffix("/id") in meta]
