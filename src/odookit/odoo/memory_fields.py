"""The types of the real Odoo fields odookit touches, for the in-memory stand-in.

A real server forces typed values on everything that reads it back: a
float comes as ``12.5`` not ``"12.5"``, a boolean as ``True``, a date as
``"2024-01-31"``, a many2many as a list of ids, a many2one as ``[id, name]``,
and ``load()`` turns import text into those types (or refuses it). With
these declarations the in-memory gateway does the same, so offline tests
meet the comparisons reconcile and the planner make against a server.

Types and relations are as Odoo 18 declares them (read from its source);
``since``/``until`` mark the fields a version added or dropped. Only the
type of a field is known here, never what a module does with it: no
compute, no constraint, no business rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldType:
    type: str
    relation: str | None = None
    selection: tuple[str, ...] = ()  # keys a load() must name; empty: not checked
    since: int | None = None  # first major version with the field
    until: int | None = None  # last major version with the field

    def exists_in(self, major: int) -> bool:
        return (self.since is None or major >= self.since) and (self.until is None or major <= self.until)


def _f(type_: str, relation: str | None = None, *selection: str, since: int | None = None, until: int | None = None) -> FieldType:
    return FieldType(type_, relation, tuple(selection), since, until)


CHAR, TEXT, FLOAT, INT, BOOL, DATE = _f("char"), _f("text"), _f("float"), _f("integer"), _f("boolean"), _f("date")
MONEY = _f("monetary")


def m2o(relation: str) -> FieldType:
    return _f("many2one", relation)


def m2m(relation: str, **kw) -> FieldType:
    return _f("many2many", relation, **kw)


def o2m(relation: str) -> FieldType:
    return _f("one2many", relation)


def sel(*keys: str, **kw) -> FieldType:
    return _f("selection", None, *keys, **kw)


ADDRESS = {"street": CHAR, "city": CHAR, "zip": CHAR, "country_id": m2o("res.country"), "email": CHAR, "phone": CHAR}
PRODUCT = {
    "name": CHAR, "default_code": CHAR, "barcode": CHAR, "active": BOOL,
    "type": sel("consu", "service", "combo", since=18), "is_storable": _f("boolean", since=18),
    "detailed_type": sel("consu", "service", "product", until=17),
    "categ_id": m2o("product.category"), "uom_id": m2o("uom.uom"), "uom_po_id": m2o("uom.uom"),
    "tracking": sel("serial", "lot", "none"), "list_price": FLOAT, "standard_price": FLOAT, "weight": FLOAT,
    "invoice_policy": sel("order", "delivery"), "sale_ok": BOOL, "purchase_ok": BOOL,
}

FIELDS: dict[str, dict[str, FieldType]] = {
    "res.partner": {
        "name": CHAR, "ref": CHAR, "is_company": BOOL, "customer_rank": INT, "supplier_rank": INT, "vat": CHAR,
        **ADDRESS, "category_id": m2m("res.partner.category"), "credit_limit": FLOAT, "use_partner_credit_limit": BOOL,
        "property_payment_term_id": m2o("account.payment.term"), "property_supplier_payment_term_id": m2o("account.payment.term"),
        "property_product_pricelist": m2o("product.pricelist"), "property_account_position_id": m2o("account.fiscal.position"),
        "parent_id": m2o("res.partner"),
        "type": sel("contact", "invoice", "delivery", "other"), "company_id": m2o("res.company"), "active": BOOL,
    },
    "res.partner.category": {"name": CHAR, "parent_id": m2o("res.partner.category"), "active": BOOL},
    "res.company": {"name": CHAR, "country_id": m2o("res.country"), "currency_id": m2o("res.currency"), "parent_id": m2o("res.company")},
    "res.currency": {"name": CHAR, "active": BOOL},
    "res.country": {"name": CHAR, "code": CHAR},
    "res.users": {
        "name": CHAR, "login": CHAR, "active": BOOL, "partner_id": m2o("res.partner"), "company_id": m2o("res.company"),
        "company_ids": m2m("res.company"), "groups_id": m2m("res.groups", until=18), "group_ids": m2m("res.groups", since=19),
        "share": BOOL, "login_date": _f("datetime"),
    },
    "res.groups": {
        "name": CHAR, "comment": TEXT, "implied_ids": m2m("res.groups"),
        "users": m2m("res.users", until=18), "user_ids": m2m("res.users", since=19),
    },
    "product.category": {"name": CHAR, "parent_id": m2o("product.category"), "complete_name": CHAR},
    "product.product": {**PRODUCT, "product_tmpl_id": m2o("product.template")},
    "product.template": dict(PRODUCT),
    "product.supplierinfo": {
        "partner_id": m2o("res.partner"), "product_tmpl_id": m2o("product.template"), "product_id": m2o("product.product"),
        "min_qty": FLOAT, "price": FLOAT, "delay": INT, "date_start": DATE, "date_end": DATE,
    },
    "product.pricelist": {"name": CHAR, "currency_id": m2o("res.currency"), "company_id": m2o("res.company"),
                          "item_ids": o2m("product.pricelist.item"), "active": BOOL},
    "product.pricelist.item": {
        "pricelist_id": m2o("product.pricelist"), "applied_on": sel("3_global", "2_product_category", "1_product", "0_product_variant"),
        "product_id": m2o("product.product"), "product_tmpl_id": m2o("product.template"), "categ_id": m2o("product.category"),
        "compute_price": sel("fixed", "percentage", "formula"), "min_quantity": FLOAT, "fixed_price": FLOAT,
        "percent_price": FLOAT, "price_discount": FLOAT, "base": sel("list_price", "standard_price", "pricelist"),
    },
    "account.payment.term": {"name": CHAR, "line_ids": o2m("account.payment.term.line"), "active": BOOL},
    "account.payment.term.line": {"value": sel("percent", "fixed"), "value_amount": FLOAT, "nb_days": INT,
                                  "payment_id": m2o("account.payment.term")},
    "stock.warehouse": {
        "name": CHAR, "code": CHAR, "company_id": m2o("res.company"), "reception_steps": sel("one_step", "two_steps", "three_steps"),
        "delivery_steps": sel("ship_only", "pick_ship", "pick_pack_ship"), "lot_stock_id": m2o("stock.location"),
        "in_type_id": m2o("stock.picking.type"), "out_type_id": m2o("stock.picking.type"), "pick_type_id": m2o("stock.picking.type"),
        "pack_type_id": m2o("stock.picking.type"), "int_type_id": m2o("stock.picking.type"),
        "resupply_wh_ids": m2m("stock.warehouse"), "active": BOOL,
    },
    "stock.location": {"name": CHAR, "complete_name": CHAR, "usage": sel(), "location_id": m2o("stock.location"),
                       "warehouse_id": m2o("stock.warehouse"), "active": BOOL},
    "stock.picking.type": {"name": CHAR, "code": sel("incoming", "outgoing", "internal"), "warehouse_id": m2o("stock.warehouse"),
                           "reservation_method": sel("at_confirm", "manual", "by_date"), "active": BOOL},
    "stock.lot": {"name": CHAR, "product_id": m2o("product.product"), "company_id": m2o("res.company")},
    "stock.quant": {
        "product_id": m2o("product.product"), "location_id": m2o("stock.location"), "lot_id": m2o("stock.lot"),
        "quantity": FLOAT, "inventory_quantity": FLOAT, "inventory_quantity_auto_apply": FLOAT,
    },
    "stock.warehouse.orderpoint": {
        "warehouse_id": m2o("stock.warehouse"), "location_id": m2o("stock.location"), "product_id": m2o("product.product"),
        "product_min_qty": FLOAT, "product_max_qty": FLOAT, "qty_multiple": FLOAT, "trigger": sel("auto", "manual"), "active": BOOL,
    },
    "mrp.bom": {"product_tmpl_id": m2o("product.template"), "product_id": m2o("product.product"), "type": sel("normal", "phantom"),
                "product_qty": FLOAT, "product_uom_id": m2o("uom.uom"), "bom_line_ids": o2m("mrp.bom.line"), "active": BOOL},
    "mrp.bom.line": {"bom_id": m2o("mrp.bom"), "product_id": m2o("product.product"), "product_qty": FLOAT, "product_uom_id": m2o("uom.uom")},
    "ir.default": {"field_id": m2o("ir.model.fields"), "json_value": CHAR, "company_id": m2o("res.company"), "user_id": m2o("res.users")},
    "ir.config_parameter": {"key": CHAR, "value": TEXT},
    "ir.model.data": {"module": CHAR, "name": CHAR, "model": CHAR, "res_id": _f("many2one_reference"), "noupdate": BOOL},
    "ir.module.module": {"name": CHAR, "state": sel("uninstallable", "uninstalled", "installed", "to upgrade", "to remove", "to install")},
    "ir.model": {"model": CHAR, "name": CHAR},
}

# _inherits: a load() of the child creates the parent too, and names it <child xmlid>_<parent table>
INHERITS: dict[str, tuple[str, str]] = {"product.product": ("product.template", "product_tmpl_id")}


def field_types(model: str, major: int) -> dict[str, FieldType]:
    """The declared fields of ``model`` on that major version (empty for a model not catalogued)."""
    return {name: f for name, f in FIELDS.get(model, {}).items() if f.exists_in(major)}


NUMBERS = {"float": float, "monetary": float, "integer": int, "many2one_reference": int}
X2MANY = ("many2many", "one2many")


def to_cache(ft: FieldType, value):
    """A value given to create/write, stored the way the ORM converts it (``"12"`` into a float field is 12.0)."""
    if value is None or value is False:
        return False
    if ft.type in NUMBERS:
        return NUMBERS[ft.type](value)
    if ft.type == "boolean":
        return bool(value)
    if ft.type in ("date", "datetime") and hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")[: 10 if ft.type == "date" else 19]
    if ft.type == "many2one" and isinstance(value, list | tuple):
        return value[0] if value else False
    return value


def to_read(ft: FieldType, value, display):
    """What ``read`` answers for a stored value: typed, with Odoo's empty values (0.0, False, [])."""
    if ft.type in NUMBERS:
        return NUMBERS[ft.type](value or 0)
    if ft.type == "boolean":
        return bool(value)
    if ft.type in X2MANY:
        return list(value or [])
    if ft.type == "many2one":
        return [value, display(ft.relation, value)] if value else False
    return value if value not in (None, "") else False


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes"}, {"0", "false", "no", ""}


def from_import(ft: FieldType, text, field: str):
    """One import cell converted as Odoo's ``load()`` does: (value, problem, is_error)."""
    import datetime as dt

    raw = "" if text is None or text is False else str(text).strip()
    if ft.type in NUMBERS:
        if raw == "":
            return False, None, False
        try:
            return (float(raw) if ft.type in ("float", "monetary") else int(raw)), None, False
        except ValueError:
            kind = "an integer" if ft.type == "integer" else "a number"
            return False, f"'{raw}' does not seem to be {kind} for field '{field}'", True
    if ft.type == "boolean":
        if raw.lower() in TRUE_WORDS | FALSE_WORDS:
            return raw.lower() in TRUE_WORDS, None, False
        return True, f"Unknown value '{raw}' for boolean field '{field}', assuming 'True'", False
    if ft.type in ("date", "datetime"):
        if raw == "":
            return False, None, False
        try:
            if ft.type == "date":
                return dt.date.fromisoformat(raw).isoformat(), None, False
            return dt.datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").isoformat(sep=" "), None, False
        except ValueError:
            return False, f"'{raw}' does not seem to be a valid {ft.type} for field '{field}'", True
    if ft.type == "selection" and raw and ft.selection and raw not in ft.selection:
        return False, f"Value '{raw}' not found in selection field '{field}'", True
    return (raw or False) if isinstance(text, str) or text in (None, False) else text, None, False
