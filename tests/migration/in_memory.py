"""A validation run's result and the blueprint's records, built in memory for the fast load and reconcile tests.

No workbook is read and no check runs (great-expectations takes seconds per
run): the rows are what a validation hands over, typed, each at its sheet row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from odookit.migration.entities import BY_NAME, MapContext
from odookit.migration.rules import Finding, Validation
from odookit.migration.workbook import Sheet
from odookit.odoo.memory import MemoryGateway

M = "acme"


def validation(sheets: dict[str, list[dict]], *, errors: tuple = (), digits: dict | None = None, **context) -> Validation:
    """Rows per sheet (``/in/<sheet>.xlsx``, rows 2..n), an error finding on each (sheet, row) of ``errors``.
    A key ``customers@other`` is a second customers sheet, in ``/in/other.xlsx``."""
    read, frames = [], []
    for key, rows in sheets.items():
        entity, _, file = key.partition("@")
        read.append(Sheet(BY_NAME[entity], Path(f"/in/{file or entity}.xlsx"), entity, list(rows[0]), {},
                          rows=list(range(2, len(rows) + 2))))
        frames.append(pd.DataFrame(rows))
    findings = [Finding("error", "required", key.partition("@")[0], f"{key.partition('@')[2] or key}.xlsx", key.partition("@")[0], r,
                        "name", f"B{r}", "a value is required") for key, r in errors]
    out = Validation(read, frames, findings, ctx=MapContext(M, **context))
    if digits:
        out.digits.update(digits)
    return out


def blueprint_odoo(version: str = "18.0") -> MemoryGateway:
    """The records `blueprint apply` made that the rows refer to."""
    gw = MemoryGateway(version=version)
    for model, xmlid, name in (("res.country", "base.us", "United States"), ("uom.uom", "uom.product_uom_unit", "Units"),
                               ("res.partner.category", f"{M}.partner_segment_key", "Key Account"),
                               ("product.category", f"{M}.product_category_brg", "Bearings"),
                               ("product.category", f"{M}.product_category_fast", "Fasteners"),
                               ("product.category", f"{M}.product_category_tool", "Tools"),
                               ("stock.warehouse", f"{M}.warehouse_chi", "Chicago"),
                               ("stock.location", f"{M}.location_chi_stock", "CHI/Stock")):
        gw.seed(model, {"name": name}, xmlid)
    return gw


def customers(*codes: str, **names: str) -> list[dict]:
    """Customer rows of these codes; ``c2="Bolt Ltd"`` names customer 2."""
    return [{"code": c, "name": names.get(f"c{c}", f"Customer {c}"), "country": "US", "segment": "KEY"} for c in codes]
