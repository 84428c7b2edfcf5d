"""manufacturing: kits (phantom bills of materials) and the warehouses that assemble goods.

The kits themselves are master data: the migration's ``kit_components`` sheet loads them
(``migration/kit_components.py``). The blueprint decides that Manufacturing is installed and
which warehouses run a kitting/assembly operation. Odoo gives every warehouse a Manufacturing
operation type once mrp is installed; ``manufacture_to_resupply`` keeps it active only where
the blueprint asks for assembly, so that nobody starts a manufacturing order in a warehouse
that was never set up to assemble.
"""

from __future__ import annotations

from collections.abc import Callable

from odookit.blueprints.desired import Desired
from odookit.blueprints.manufacturing_schema import MANUFACTURE_STEPS

MODULE = "mrp"


def manufacturing_problems(doc: dict, report: Callable, suggest: Callable, items: Callable, code: Callable,
                           warehouses: list[str] | None) -> None:
    """Located problems of the raw merged document's manufacturing section (see references.py)."""
    body = doc.get("manufacturing")
    if not isinstance(body, dict):
        return
    seen: dict[str, int] = {}
    for i, entry in items(body.get("assembly")):
        wh = code(entry.get("warehouse"))
        if wh is None:
            continue
        if warehouses is not None and wh not in warehouses:
            fix = f"Use one of: {', '.join(warehouses)}." if warehouses else "Define a warehouse first."
            report(("manufacturing", "assembly", i, "warehouse"), f"unknown warehouse '{wh}'{suggest(wh, warehouses)}", fix)
        if wh in seen:
            report(("manufacturing", "assembly", i, "warehouse"),
                   f"warehouse {wh} is listed twice under manufacturing.assembly (the other is assembly[{seen[wh]}])",
                   "Keep one entry per warehouse.")
        seen.setdefault(wh, i)


def manufacturing_records(bp, x: Callable[..., str]) -> list[Desired]:
    """Every blueprint warehouse's manufacture_to_resupply, the assembling ones' steps and operation type."""
    if bp.manufacturing is None:
        return []
    assembly = {a.warehouse: a for a in bp.manufacturing.assembly}
    out: list[Desired] = []
    for wh in bp.warehouses:
        wx = x("warehouse", wh.code)
        values: dict = {"manufacture_to_resupply": wh.code in assembly}
        if wh.code in assembly:
            values["manufacture_steps"] = MANUFACTURE_STEPS[assembly[wh.code].steps]
        out.append(Desired("stock.warehouse", wx, values, label=f"warehouse {wh.code} assembly"))
        if wh.code in assembly:
            out.append(Desired("stock.picking.type", x("picking_type", wh.code, "manufacture"), {}, adopt=f"{wx}/manu_type_id",
                               label=f"{wh.code} manufacturing operation type"))
    return out


def manufacturing_modules(bp) -> list[str]:
    return [MODULE] if bp.manufacturing is not None else []
