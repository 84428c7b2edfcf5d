"""The kit_components sheet: which products a kit is made of, loaded as kit bills of materials.

One row per component of a kit (kit SKU, component SKU, quantity per kit, unit). Each kit
becomes an ``mrp.bom`` of type ``phantom`` (``<module>.kit_<kit SKU>``) for one unit of the
kit product, and each row one of its ``mrp.bom.line`` (``<module>.kit_component_<kit>_<component>``):
a kit sold and shipped then moves its components. The bill itself is not a row of the sheet:
its rows are made from the kits the sheet names and sent before the lines, so that a second
load, like for every entity, sends only what changed.

Beyond the per-column expectations (great-expectations, as for every entity), a kit whose
component is not one of the products sheet's products, is a service (nothing to ship), or is the
kit itself, is an error on that cell.
"""

from __future__ import annotations

from odookit.migration.entities import SKU, UOMS, Column, Entity, MapContext, text

KIT = "kit_components"


def _line(row: dict, ctx: MapContext) -> dict[str, str]:
    return {
        "id": ctx.x("kit_component", row["kit"], row["component"]),
        "bom_id/id": ctx.x("kit", row["kit"]),
        "product_id/id": ctx.x("product", row["component"]),
        "product_qty": text(row["quantity"]),
        "product_uom_id/id": UOMS.get(text(row.get("uom")) or "Units", UOMS["Units"]),
    }


ENTITY = Entity(
    KIT, "kit_component", "mrp.bom.line", ("kit", "component"),
    (
        Column("kit", "code", required=True, ref="products", description="Internal reference (SKU) of the kit product (in the products sheet)",
               loads=("bom_id/id",)),
        Column("component", "code", required=True, ref="products", description="Internal reference (SKU) of a product the kit is made of "
               "(in the products sheet, not a service)", loads=("product_id/id",)),
        Column("quantity", "number", required=True, min=0.0001, max=1_000_000, description="Units of the component in one unit of the kit",
               loads=("product_qty",), digits="Product Unit of Measure"),
        Column("uom", "choice", source="uoms", description="The quantity's unit of measure (Units when empty)", loads=("product_uom_id/id",)),
    ),
    "Kit bills of materials (Manufacturing): the components of each kit product",
    _line,
    depends=("products",),
    domain=(("bom_id.type", "=", "phantom"),),
)


def kit_rows(source: list[dict], ctx: MapContext) -> tuple[list[dict], list[tuple]]:
    """The mrp.bom rows of the kits the sheet names (one unit of the kit), and the first sheet row naming each."""
    seen: dict[str, tuple[dict, tuple]] = {}
    for row in source:
        xid = ctx.x("kit", row["kit"])
        values = {"id": xid, "product_tmpl_id/id": ctx.x("product", row["kit"]) + "_product_template", "type": "phantom", "product_qty": "1"}
        seen.setdefault(xid, (values, row["_where"]))
    return [r for r, _ in seen.values()], [w for _, w in seen.values()]


def kit_problems(sheets, frames, collect) -> None:
    """A component that is the kit itself, or a service of the products sheet: Odoo would take the first,
    and a kit's delivery moves nothing for the second."""
    if not any(sheet.entity.name == KIT for sheet in sheets):
        return  # (the services of a 50,000-row products sheet are not gathered for nothing)
    services = set()
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name == "products" and {"sku", "type"} <= set(frame):
            services |= {s for s, t in zip(frame["sku"], frame["type"], strict=True) if isinstance(s, str) and t == "service"}
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name != KIT or not {"kit", "component"} <= set(frame):
            continue
        pairs = list(zip(frame["kit"], frame["component"], strict=True))
        itself = [i for i, (kit, part) in enumerate(pairs) if isinstance(kit, str) and kit == part]
        collect.add(sheet, "component", "reference", itself, lambda v: f"'{v}' is the kit itself: a kit is made of other products")
        service = [i for i, (_, part) in enumerate(pairs) if part in services]
        collect.add(sheet, "component", "reference", service,
                    lambda v: f"'{v}' is a service in the products sheet, not a product: a kit's delivery moves its components, so each must be storable or consumable")


def load_kits(gateway, source: list[dict], ctx: MapContext, validation) -> list:
    """Send the kits' bills of materials before their lines; returns the rejects. A target without
    Manufacturing is refused before anything is sent."""
    from odookit.errors import MigrationError
    from odookit.migration.load import Sender, _live, send_changed

    if not gateway.search_read("ir.model", [("model", "=", "mrp.bom")], ["model"]):
        raise MigrationError(f"the kit_components sheet needs Manufacturing (mrp), which is not installed on database {gateway.db}; nothing of it was loaded",
                             fix="Add a manufacturing: section to blueprints/ and run `odookit blueprint apply` first.")
    rows, wheres = kit_rows(source, ctx)
    if not rows:
        return []
    _, rejects = send_changed(Sender(gateway, KIT, "mrp.bom"), _live(gateway, "mrp.bom", rows, ENTITY, validation), rows, wheres)
    return rejects
