"""What each migration sheet holds and how its rows become Odoo ``load()`` rows.

One declarative :class:`Entity` per sheet: its columns (type, required,
allowed values, the header comment of the template), its key, its Odoo
model and the mapping of a validated row to ``load()`` fields. Templates,
validation, load and reconciliation all read these specs, so a column
added here shows up everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from odookit.odoo.adapters import field_name, product_type_fields
from odookit.xmlids import xmlid

Kind = Literal["text", "code", "number", "integer", "email", "vat", "barcode", "country", "choice", "date"]

# Odoo's standard units of measure (uom module data), by the name clients write.
UOMS: dict[str, str] = {
    "Units": "uom.product_uom_unit",
    "Dozens": "uom.product_uom_dozen",
    "kg": "uom.product_uom_kgm",
    "g": "uom.product_uom_gram",
    "lb": "uom.product_uom_lb",
    "m": "uom.product_uom_meter",
    "cm": "uom.product_uom_cm",
    "ft": "uom.product_uom_foot",
    "L": "uom.product_uom_litre",
    "gal": "uom.product_uom_gal",
}


# Odoo's decimal precisions (product module data, the same in 16-19) as a fresh database has them; the
# target's own decimal.precision records replace these when a target is named.
DEFAULT_DIGITS: dict[str, int] = {"Product Price": 2, "Stock Weight": 2, "Product Unit of Measure": 2, "Volume": 2, "Discount": 2}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"
    required: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()
    source: str | None = None  # allowed values computed from the blueprint / other sheets (see rules.allowed_values)
    ref: str | None = None  # entity whose key this column names (cross-sheet check)
    width: int | None = None  # digits of a numeric text code: a number here lost its leading zeros
    pattern: str | None = None  # the engagement's format (rules.yaml conventions); neutral by default
    example: str | None = None  # a value of that format, for findings and the template
    min: float | None = None
    max: float | None = None
    recommended: bool = False  # may be empty, but an empty cell is reported (a warning by default)
    loads: tuple[str, ...] = ()  # the load() fields this column feeds, when not the column's own name
    digits: str | None = None  # Odoo decimal precision of the target field (decimal.precision name)


@dataclass(frozen=True)
class MapContext:
    """What mapping a row needs besides the row: naming, server version, blueprint defaults."""

    module: str
    major: int = 18
    invoice_policy: str = "delivery"
    segment_limits: dict[str, float] = field(default_factory=dict)
    default_limit: float = 0.0
    category_tracking: dict[str, str] = field(default_factory=dict)
    supplier_lead_days: int = 1  # Odoo's own default delay when the blueprint says nothing
    reorder_limits: dict[tuple[str, str | None], tuple[float, float]] = field(default_factory=dict)  # (warehouse, category)
    reorder_default: tuple[float, float] = (0.0, 0.0)
    category_parent: dict[str, str] = field(default_factory=dict)  # categories defined in the workbooks -> parent code
    product_category: dict[str, str] = field(default_factory=dict)  # sku -> category code, from the products sheets
    category_expiry: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # blueprint category -> expiration, use, removal, alert days

    def x(self, kind: str, *keys: Any) -> str:
        return xmlid(self.module, kind, *keys)

    def reorder_min_max(self, warehouse: str, sku: str) -> tuple[float, float]:
        """The blueprint's min/max for a product in a warehouse: its category's rule (or a parent's), the
        warehouse's rule, else the blueprint default."""
        category, seen = self.product_category.get(sku), set()
        while category and category not in seen:
            seen.add(category)
            if (warehouse, category) in self.reorder_limits:
                return self.reorder_limits[(warehouse, category)]
            category = self.category_parent.get(category)
        return self.reorder_limits.get((warehouse, None), self.reorder_default)


@dataclass(frozen=True)
class Entity:
    name: str  # sheet name and CLI name
    kind: str  # external ID kind: <module>.<kind>_<key>
    model: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str
    to_load: Callable[[dict, MapContext], dict[str, str]]
    depends: tuple[str, ...] = ()
    domain: tuple = ()  # extra filter to count live records of this entity

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def fields_of(self, columns) -> set[str]:
        """The load() fields fed by ``columns``: what an ignored column must not write."""
        out: set[str] = set()
        for name in columns:
            column = self.column(name)
            out.update(column.loads or (column.name, f"{column.name}/id"))
        return out

    def xmlid(self, row: dict, ctx: MapContext) -> str:
        return ctx.x(self.kind, *(row[k] for k in self.key))


def text(value: Any) -> str:
    """A cell value as ``load()`` wants it: text, numbers without a spurious ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _address(row: dict) -> dict[str, str]:
    return {
        "street": text(row.get("street")),
        "city": text(row.get("city")),
        "zip": text(row.get("zip")),
        "country_id/id": f"base.{text(row.get('country')).lower()}" if row.get("country") else "",
        "email": text(row.get("email")),
        "phone": text(row.get("phone")),
    }


ADDRESS = (
    Column("street", description="Street and number"),
    Column("city"),
    Column("zip", description="Postal code, as text (keep leading zeros)"),
    Column("country", "country", recommended=True, description="ISO 3166 alpha-2 country code, e.g. US", loads=("country_id/id",)),
    Column("email", "email", description="One e-mail address"),
    Column("phone"),
)


def _customer(row: dict, ctx: MapContext) -> dict[str, str]:
    segment = text(row.get("segment"))
    limit = row.get("credit_limit")
    if limit in (None, "") or limit != limit:
        limit = ctx.segment_limits.get(segment, ctx.default_limit)
    return {
        "id": ctx.x("customer", row["code"]),
        "name": text(row["name"]),
        "ref": text(row["code"]),
        "is_company": "1",
        "customer_rank": "1",
        "vat": text(row.get("vat")),
        **_address(row),
        "category_id/id": ctx.x("partner_segment", segment) if segment else "",
        "credit_limit": text(float(limit)),
        "property_payment_term_id/id": ctx.x("payment_term", row["payment_term"]) if row.get("payment_term") else "",
        "property_product_pricelist/id": ctx.x("pricelist", row["pricelist"]) if row.get("pricelist") else "",
        "property_account_position_id/id": ctx.x("fiscal_position", row["fiscal_position"]) if row.get("fiscal_position") else "",
    }


def _contact(row: dict, ctx: MapContext) -> dict[str, str]:
    return {
        "id": ctx.x("contact", row["code"]),
        "parent_id/id": ctx.x("customer", row["customer"]),
        "type": text(row.get("type")) or "contact",
        "name": text(row["name"]),
        **_address(row),
    }


def _supplier(row: dict, ctx: MapContext) -> dict[str, str]:
    return {
        "id": ctx.x("supplier", row["code"]),
        "name": text(row["name"]),
        "ref": text(row["code"]),
        "is_company": "1",
        "supplier_rank": "1",
        "vat": text(row.get("vat")),
        **_address(row),
        "property_supplier_payment_term_id/id": ctx.x("payment_term", row["payment_term"]) if row.get("payment_term") else "",
    }


def _category(row: dict, ctx: MapContext) -> dict[str, str]:
    return {
        "id": ctx.x("product_category", row["code"]),
        "name": text(row["name"]),
        "parent_id/id": ctx.x("product_category", row["parent"]) if row.get("parent") else "",
    }


def _product(row: dict, ctx: MapContext) -> dict[str, str]:
    uom = UOMS.get(text(row.get("uom")), UOMS["Units"])
    tracking = text(row.get("tracking")) or ctx.category_tracking.get(text(row["category"]), "none")
    return {
        "id": ctx.x("product", row["sku"]),
        "name": text(row["name"]),
        "default_code": text(row["sku"]),
        "barcode": text(row.get("barcode")),
        **product_type_fields(ctx.major, text(row.get("type")) or "storable"),
        "categ_id/id": ctx.x("product_category", row["category"]),
        "uom_id/id": uom,
        **({"uom_po_id/id": uom} if field_name(ctx.major, "product.template", "uom_po_id") else {}),
        "tracking": tracking,
        "list_price": text(row.get("sale_price") or 0),
        "standard_price": text(row.get("cost") or 0),
        "weight": text(row.get("weight") or 0),
        "invoice_policy": text(row.get("invoice_policy")) or ctx.invoice_policy,
        "sale_ok": "1",
        "purchase_ok": "1",
        **_expiry(ctx, text(row["category"])),
    }


def _expiry(ctx: MapContext, category: str) -> dict[str, str]:
    """product_expiry's days from the blueprint category (every row has the columns once a category has them,
    as load() takes one field list)."""
    if not ctx.category_expiry:
        return {}
    days = ctx.category_expiry.get(category)
    values = dict(zip(("expiration_time", "use_time", "removal_time", "alert_time"), map(str, days or (0, 0, 0, 0))))
    return {"use_expiration_date": "1" if days else "0", **values}


def _number(value: Any, default: float) -> str:
    """An optional number cell, or the blueprint's default when it is empty."""
    return text(default if value is None or value == "" or value != value else value)


def _supplier_price(row: dict, ctx: MapContext) -> dict[str, str]:
    return {
        "id": ctx.x("supplier_price", row["supplier"], row["sku"], text(row.get("min_qty") or 0)),
        "partner_id/id": ctx.x("supplier", row["supplier"]),
        "product_tmpl_id/id": ctx.x("product", row["sku"]) + "_product_template",
        "product_id/id": ctx.x("product", row["sku"]),
        "min_qty": text(row.get("min_qty") or 0),
        "price": text(row["price"]),
        "delay": _number(row.get("lead_days"), ctx.supplier_lead_days),
        "date_start": text(row.get("valid_from")),
    }


def _pricelist_item(row: dict, ctx: MapContext) -> dict[str, str]:
    return {
        "id": ctx.x("pricelist_item", row["pricelist"], row["sku"], text(row.get("min_qty") or 0)),
        "pricelist_id/id": ctx.x("pricelist", row["pricelist"]),
        "applied_on": "0_product_variant",
        "product_id/id": ctx.x("product", row["sku"]),
        "compute_price": "fixed",
        "min_quantity": text(row.get("min_qty") or 0),
        "fixed_price": text(row["price"]),
    }


def _opening_stock(row: dict, ctx: MapContext) -> dict[str, str]:
    lot = text(row.get("lot"))
    return {
        "product_id/id": ctx.x("product", row["sku"]),
        "location_id/id": ctx.x("location", row["warehouse"], "stock"),
        "location": text(row.get("location")),  # a sub-location by full name; the warehouse's stock when empty
        "lot_id/id": ctx.x("lot", row["sku"], lot) if lot else "",
        "inventory_quantity": text(row["quantity"]),
    }


def _reorder_rule(row: dict, ctx: MapContext) -> dict[str, str]:
    low, high = ctx.reorder_min_max(text(row["warehouse"]), text(row["sku"]))
    return {
        "id": ctx.x("reorder_rule", row["warehouse"], row["sku"]),
        "warehouse_id/id": ctx.x("warehouse", row["warehouse"]),
        "location_id/id": ctx.x("location", row["warehouse"], "stock"),
        "product_id/id": ctx.x("product", row["sku"]),
        "product_min_qty": _number(row.get("min_qty"), low),
        "product_max_qty": _number(row.get("max_qty"), high),
        **({"qty_multiple": text(row.get("multiple") or 1)} if field_name(ctx.major, "stock.warehouse.orderpoint", "qty_multiple") else {}),
        "trigger": "auto",
    }


SKU = Column("sku", "code", required=True, ref="products", description="Product internal reference (SKU)")
WAREHOUSE = Column("warehouse", "choice", required=True, source="warehouses", description="Warehouse code from the blueprint")
PAYMENT_TERM = Column("payment_term", "choice", source="payment_terms", description="Payment term code from the blueprint",
                      loads=("property_payment_term_id/id", "property_supplier_payment_term_id/id"))

ENTITIES: tuple[Entity, ...] = (
    Entity(
        "categories", "product_category", "product.category", ("code",),
        (
            Column("code", "code", required=True, description="Category code"),
            Column("name", required=True),
            Column("parent", "choice", source="categories", description="Parent category code (blueprint or this sheet)", loads=("parent_id/id",)),
        ),
        "Product categories beyond the blueprint's (optional)",
        _category,
    ),
    Entity(
        "customers", "customer", "res.partner", ("code",),
        (
            Column("code", "code", required=True, description="Customer number"),
            Column("name", required=True, description="Company name"),
            Column("vat", "vat", recommended=True, description="Tax ID (validated for the row's country)"),
            *ADDRESS,
            Column("segment", "choice", source="segments", description="Credit segment code from the blueprint", loads=("category_id/id",)),
            Column("credit_limit", "number", min=0, max=10_000_000, description="Credit limit; the segment's limit when empty"),
            PAYMENT_TERM,
            Column("pricelist", "choice", source="pricelists", description="Pricelist code from the blueprint", loads=("property_product_pricelist/id",)),
            Column("fiscal_position", "choice", source="fiscal_positions", description="Fiscal position code from the blueprint's companies (e.g. EU B2B); Odoo's automatic choice when empty",
                   loads=("property_account_position_id/id",)),
        ),
        "Customer companies with credit segment, limit, payment term, pricelist and fiscal position",
        _customer,
        depends=("categories",),
        domain=(("customer_rank", ">", 0),),
    ),
    Entity(
        "contacts", "contact", "res.partner", ("code",),
        (
            Column("code", "code", required=True, description="Contact/address key"),
            Column("customer", "code", required=True, ref="customers", description="Customer number the address belongs to", loads=("parent_id/id",)),
            Column("type", "choice", choices=("contact", "invoice", "delivery", "other"), description="Address type"),
            Column("name", required=True),
            *ADDRESS,
        ),
        "Contacts and invoice/delivery addresses of customers",
        _contact,
        depends=("customers",),
    ),
    Entity(
        "suppliers", "supplier", "res.partner", ("code",),
        (
            Column("code", "code", required=True, description="Supplier code"),
            Column("name", required=True),
            Column("vat", "vat", recommended=True, description="Tax ID (validated for the row's country)"),
            *ADDRESS,
            PAYMENT_TERM,
        ),
        "Vendors",
        _supplier,
        domain=(("supplier_rank", ">", 0),),
    ),
    Entity(
        "products", "product", "product.product", ("sku",),
        (
            Column("sku", "code", required=True, description="Internal reference (SKU)"),
            Column("name", required=True),
            Column("barcode", "barcode", description="EAN-13 with a valid check digit, as text"),
            Column("type", "choice", choices=("storable", "consumable", "service"), description="storable when empty",
                   loads=("type", "is_storable", "detailed_type")),
            Column("category", "choice", required=True, source="categories", ref="categories", description="Product category code",
                   loads=("categ_id/id",)),
            Column("uom", "choice", source="uoms", description="Unit of measure (Units when empty)", loads=("uom_id/id", "uom_po_id/id")),
            Column("tracking", "choice", choices=("none", "lot", "serial"), description="The category's tracking when empty"),
            Column("sale_price", "number", min=0, max=1_000_000, loads=("list_price",), digits="Product Price"),
            Column("cost", "number", min=0, max=1_000_000, loads=("standard_price",), digits="Product Price"),
            Column("weight", "number", min=0, max=100_000, description="kg", digits="Stock Weight"),
            Column("invoice_policy", "choice", choices=("order", "delivery"), description="The blueprint's policy when empty"),
        ),
        "Products: reference, barcode, UoM, category, tracking, prices, weight, invoicing policy",
        _product,
        depends=("categories",),
    ),
    Entity(
        "supplier_prices", "supplier_price", "product.supplierinfo", ("supplier", "sku", "min_qty"),
        (
            Column("supplier", "code", required=True, ref="suppliers", description="Supplier code"),
            SKU,
            Column("min_qty", "number", min=0, max=10_000_000, digits="Product Unit of Measure"),
            Column("price", "number", required=True, min=0, max=1_000_000, digits="Product Price"),
            Column("lead_days", "integer", min=0, max=365, description="Delivery lead time in days; the blueprint's supplier_lead_days when empty",
                   loads=("delay",)),
            Column("valid_from", "date", description="First day the price applies (a date cell)", loads=("date_start",)),
        ),
        "Vendor prices and lead times",
        _supplier_price,
        depends=("suppliers", "products"),
    ),
    Entity(
        "pricelist_items", "pricelist_item", "product.pricelist.item", ("pricelist", "sku", "min_qty"),
        (
            Column("pricelist", "choice", required=True, source="pricelists", description="Pricelist code from the blueprint"),
            SKU,
            Column("min_qty", "number", min=0, max=10_000_000, digits="Product Unit of Measure"),
            Column("price", "number", required=True, min=0, max=1_000_000, description="Fixed price", loads=("fixed_price",), digits="Product Price"),
        ),
        "Customer-specific prices on the blueprint's pricelists",
        _pricelist_item,
        depends=("products",),
    ),
    Entity(
        "opening_stock", "opening_stock", "stock.quant", ("warehouse", "location", "sku", "lot"),
        (
            WAREHOUSE,
            Column("location", description="Internal location by full name, which starts with the warehouse code, e.g. WH/Stock/Shelf 1; the warehouse's stock when empty"),
            SKU,
            Column("lot", "code", description="Lot or serial number; required for tracked products"),
            Column("quantity", "number", required=True, min=0, max=100_000_000, loads=("inventory_quantity",), digits="Product Unit of Measure"),
            Column("expiry_date", "date", description="The lot's expiration date (a date cell), for categories with expiry in the blueprint; "
                   "Odoo counts it from the lot's creation and the product's expiration days when empty", loads=("expiration_date",)),
        ),
        "On-hand quantity per warehouse or location (and lot) at cut-over",
        _opening_stock,
        depends=("products",),
    ),
    Entity(
        "reorder_rules", "reorder_rule", "stock.warehouse.orderpoint", ("warehouse", "sku"),
        (
            WAREHOUSE,
            SKU,
            Column("min_qty", "number", min=0, max=10_000_000, loads=("product_min_qty",), digits="Product Unit of Measure",
                   description="The blueprint's reorder min for the warehouse and category when empty"),
            Column("max_qty", "number", min=0, max=10_000_000, loads=("product_max_qty",), digits="Product Unit of Measure",
                   description="The blueprint's reorder max for the warehouse and category when empty"),
            Column("multiple", "number", min=0, max=10_000_000, loads=("qty_multiple",), digits="Product Unit of Measure"),
        ),
        "Min/max replenishment per warehouse and product",
        _reorder_rule,
        depends=("products",),
    ),
)

from odookit.migration.kit_components import ENTITY as KIT_COMPONENTS  # noqa: E402 - it builds on the columns above

ENTITIES += (KIT_COMPONENTS,)
BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}
LOAD_ORDER: tuple[str, ...] = tuple(e.name for e in ENTITIES)


def entity(name: str) -> Entity:
    from odookit.errors import MigrationError

    if name not in BY_NAME:
        import difflib

        close = difflib.get_close_matches(name, BY_NAME, n=1)
        hint = f"Did you mean '{close[0]}'?" if close else f"Known entities: {', '.join(BY_NAME)}."
        raise MigrationError(f"unknown entity '{name}'", fix=hint)
    return BY_NAME[name]
