"""Per-version field naming, so that code above ``odoo/`` can speak in one vocabulary.

Each adapter is a small pure function of the server's major version: the
rest of odookit asks for "a storable product" and gets the fields the
target version calls that. Adapters answer "what does version N call this"
(field, method and module names); the records built from those answers
belong to the layers above (blueprints/, migration/...), never to the wire.
"""

from __future__ import annotations

from typing import Literal

ProductKind = Literal["storable", "consumable", "service"]


def product_type_fields(major: int, kind: ProductKind) -> dict[str, str]:
    """Fields that make a product storable / consumable / a service.

    Odoo 18 folded "storable" into consumables with an ``is_storable`` flag;
    16 and 17 had a ``detailed_type`` selection. Values are strings because
    they feed ``load()``, which converts text the way an import file would.
    The keys are the same for every kind of one version, so a batch of mixed
    products has one column layout.
    """
    if major >= 18:
        return {"type": "service" if kind == "service" else "consu", "is_storable": "1" if kind == "storable" else "0"}
    return {"detailed_type": {"storable": "product", "consumable": "consu", "service": "service"}[kind]}


def product_type_of(major: int, record: dict) -> ProductKind:
    """The inverse of :func:`product_type_fields`, on a record read back from Odoo."""
    if major >= 18:
        if record.get("type") == "service":
            return "service"
        return "storable" if record.get("is_storable") else "consumable"
    return {"product": "storable", "consu": "consumable", "service": "service"}.get(record.get("detailed_type"), "consumable")


def product_type_read_fields(major: int) -> list[str]:
    return ["type", "is_storable"] if major >= 18 else ["detailed_type"]


def payment_term_line(major: int, percent: float, days: int) -> dict:
    if major >= 17:
        return {"value": "percent", "value_amount": float(percent), "nb_days": int(days)}
    # 16 counted the delay in 'days'
    return {"value": "percent", "value_amount": float(percent), "days": int(days)}


def automation_action_link(major: int) -> str | None:
    """The ``ir.actions.server`` field that ties an automation rule's action to its rule.

    From 17 on, ``base.automation`` holds its actions in a one2many of
    ``ir.actions.server`` (this field is its inverse); up to 16 the rule *was*
    a server action (delegation inheritance) with the code on itself: None.
    """
    return "base_automation_id" if major >= 17 else None


# (model, field) -> [(first major with the new name, new name, or None: that version has no
# such field and the value is left out)], oldest first. Every 19 entry was found by running
# odookit against a real Odoo 19.0 server.
FIELD_RENAMES: dict[tuple[str, str], list[tuple[int, str | None]]] = {
    ("res.groups", "users"): [(19, "user_ids")],
    ("res.users", "groups_id"): [(19, "group_ids")],
    # the heading a group is shown under on the user form: 19 groups them by privilege
    ("res.groups", "category_id"): [(19, "privilege_id")],
    # 19 dropped the purchase security lead time; the company's "days to purchase" moves
    # purchase orders earlier in the same way (both add to the rule's total delay)
    ("res.company", "po_lead"): [(19, "days_to_purchase")],
    # 19 has one unit per product (packagings carry the others): no purchase unit
    ("product.template", "uom_po_id"): [(19, None)],
    # 19 rounds replenishment up to a unit or packaging (replenishment_uom_id), not a number
    ("stock.warehouse.orderpoint", "qty_multiple"): [(19, None)],
    # 19 dropped a stock move's own description (required up to 18): it shows its product
    ("stock.move", "name"): [(19, None)],
}

# (model, method) -> [(first major, the model that has the method from then on)]
METHOD_HOMES: dict[tuple[str, str], list[tuple[int, str | None]]] = {
    # 19 removed procurement.group; the scheduler is stock.rule's (its cron calls it there)
    ("procurement.group", "run_scheduler"): [(19, "stock.rule")],
}

# ir.config_parameter keys of Settings switches -> [(first major, new key or None: no switch)]
SETTING_RENAMES: dict[str, list[tuple[int, str | None]]] = {
    "purchase.use_po_lead": [(19, None)],  # days to purchase always count on 19: no switch
}


# (model, field) -> {Odoo 18 value: [(first major with the new value, new value)]}
VALUE_RENAMES: dict[tuple[str, str], dict[str, list[tuple[int, str | None]]]] = {
    ("product.category", "property_valuation"): {"manual_periodic": [(19, "periodic")]},
}


def selection_value(major: int, model: str, field: str, value: str) -> str:
    """What version ``major`` calls a selection value odookit knows by its Odoo 18 name."""
    return _renamed(VALUE_RENAMES.get((model, field), {}).get(value, []), major, value) or value


def root_product_category(major: int) -> str | None:
    """The external ID of the category every top-level product category sits under.

    Up to 18 every category descends from "All" (``product.product_category_all``);
    19 has no such root: a category may have no parent, a product no category.
    """
    return "product.product_category_all" if major < 19 else None


def _renamed(history: list[tuple[int, str | None]], major: int, name: str) -> str | None:
    current: str | None = name
    for since, new in history:
        if major >= since:
            current = new
    return current


def field_name(major: int, model: str, field: str) -> str | None:
    """What version ``major`` calls the field odookit knows by its Odoo 18 name (None: it has none)."""
    return _renamed(FIELD_RENAMES.get((model, field), []), major, field)


def setting_key(major: int, key: str) -> str | None:
    """The ``ir.config_parameter`` key of a Settings switch on version ``major`` (None: it has none)."""
    return _renamed(SETTING_RENAMES.get(key, []), major, key)



def method_model(major: int, model: str, method: str) -> str:
    """The model version ``major`` has ``method`` on, for a method odookit knows on its Odoo 18 model."""
    return _renamed(METHOD_HOMES.get((model, method), []), major, model) or model


def has_valuation_layers(major: int) -> bool:
    """Whether version ``major`` records stock value in ``stock.valuation.layer``.

    Up to 18 every valued move leaves a signed layer (out of stock negative), and the
    stock value at a date is the sum of the layers before it. Odoo 19 removed the model:
    a move carries its own unsigned ``stock.move.value``, and a product's value at a date
    is ``product.product.total_value`` read with ``to_date`` in the context.
    """
    return major < 19


def landed_cost_posting_groups(major: int) -> tuple[str, tuple[str, ...]]:
    """(the group a user needs to post a landed cost, groups one of which the user needs besides it).

    stock_landed_costs lets only Inventory administrators into its records on 16 to 19. Odoo 19's
    posting also reads the receipt's purchase order lines (their invoice lines), which an
    Inventory administrator alone may not: found posting one on a real Odoo 19.0 server.
    """
    extra = ("purchase.group_purchase_user", "account.group_account_invoice", "account.group_account_readonly") if major >= 19 else ()
    return "stock.group_stock_manager", extra


def crm_stage_team_field(major: int) -> str:
    """The ``crm.stage`` field naming the sales teams whose pipeline shows the stage.

    Up to 18 a stage belongs to one team or to all (``team_id``, a many2one);
    19 made it ``team_ids``, a many2many (several teams, or all when empty).
    """
    return "team_ids" if major >= 19 else "team_id"


def equipment_location_field(major: int) -> str:
    """The ``maintenance.equipment`` field saying where the equipment is.

    18 has ``location``, free text; 19 dropped it for ``location_id``, a many2one to an
    internal ``stock.location`` that stock_maintenance adds (auto-installed with stock).
    """
    return "location_id" if major >= 19 else "location"


def maintenance_duration_field(major: int) -> str:
    """The ``maintenance.request`` field that sets how long a maintenance is planned to take.

    18 stores ``duration`` (hours) as written; 19 computes it from ``schedule_date`` and
    ``schedule_end``, so the end (start + hours) is what is written there.
    """
    return "schedule_end" if major >= 19 else "duration"
