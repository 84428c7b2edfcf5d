"""The in-memory stand-in types the Odoo fields odookit touches as a real server does.

Reads give floats, booleans, 'YYYY-MM-DD' dates, id lists and [id, name]
pairs; load() converts import text into those types or refuses it with
Odoo's kind of message. No business rule is involved.
"""

from __future__ import annotations

from odookit.odoo.memory import MemoryGateway
from odookit.odoo.memory_fields import FIELDS, field_types


def test_read_answers_typed_values_and_odoos_empty_values(memory):
    tag = memory.seed("res.partner.category", {"name": "Key"})
    pid = memory.create("res.partner", [{"name": "Acme", "credit_limit": "1500", "is_company": 1, "category_id": [(6, 0, [tag])]}])[0]
    [row] = memory.read("res.partner", [pid], ["credit_limit", "is_company", "customer_rank", "category_id", "parent_id", "vat"])
    assert row == {"id": pid, "credit_limit": 1500.0, "is_company": True, "customer_rank": 0, "category_id": [tag],
                   "parent_id": False, "vat": False}
    assert isinstance(row["credit_limit"], float)


def test_many2one_reads_as_id_and_the_comodels_name(memory):
    categ = memory.seed("product.category", {"name": "Bearings"})
    pid = memory.create("product.product", [{"name": "Ball bearing", "categ_id": categ}])[0]
    assert memory.read("product.product", [pid], ["categ_id"])[0]["categ_id"] == [categ, "Bearings"]


def test_load_converts_import_text_like_odoo(memory):
    memory.seed("res.partner.category", {"name": "Key"}, "mig.tag_key")
    memory.seed("res.partner.category", {"name": "OEM"}, "mig.tag_oem")
    fields = ["id", "name", "credit_limit", "is_company", "customer_rank", "category_id/id"]
    result = memory.load("res.partner", fields, [["mig.p1", "Acme", "2500.5", "1", "3", "mig.tag_key,mig.tag_oem"],
                                                  ["mig.p2", "Bolt", "", "0", "", ""]])
    assert result["messages"] == []
    rows = memory.read("res.partner", result["ids"], ["credit_limit", "is_company", "customer_rank", "category_id"])
    tags = sorted(memory.resolve_xmlids(["mig.tag_key", "mig.tag_oem"]).values())
    assert [(r["credit_limit"], r["is_company"], r["customer_rank"], r["category_id"]) for r in rows] == [
        (2500.5, True, 3, [t[1] for t in tags]), (0.0, False, 0, [])]


def test_load_keeps_dates_as_odoo_strings_and_refuses_what_is_not_one(memory):
    ok = memory.load("product.supplierinfo", ["id", "date_start", "delay"], [["mig.s1", "2024-03-01", "7"]])
    assert memory.read("product.supplierinfo", ok["ids"], ["date_start", "delay"])[0] == {"id": ok["ids"][0], "date_start": "2024-03-01", "delay": 7}
    bad = memory.load("product.supplierinfo", ["id", "date_start", "delay"], [["mig.s2", "01/03/2024", "7.5"]])
    assert bad["ids"] is False
    assert [m["message"] for m in bad["messages"]] == [
        "'01/03/2024' does not seem to be a valid date for field 'date_start'",
        "'7.5' does not seem to be an integer for field 'delay'",
    ]


def test_load_refuses_a_value_outside_a_selection_and_a_word_that_is_no_number(memory):
    result = memory.load("product.product", ["id", "tracking", "list_price"], [["mig.p1", "lots", "12,50"]])
    assert result["ids"] is False
    assert [(m["record"], m["field"], m["message"]) for m in result["messages"]] == [
        (0, "tracking", "Value 'lots' not found in selection field 'tracking'"),
        (0, "list_price", "'12,50' does not seem to be a number for field 'list_price'"),
    ]
    assert memory.all("product.product") == []


def test_an_unknown_boolean_word_is_a_warning_and_loads_as_true(memory):
    result = memory.load("res.partner", ["id", "name", "is_company"], [["mig.p1", "Acme", "oui"]])
    assert result["messages"] == [{"type": "warning", "record": 0, "field": "is_company",
                                   "message": "Unknown value 'oui' for boolean field 'is_company', assuming 'True'"}]
    assert memory.read("res.partner", result["ids"], ["is_company"])[0]["is_company"] is True


def test_fields_get_reports_the_catalogued_types_of_the_servers_version():
    for major, present, absent in ((18, "is_storable", "detailed_type"), (17, "detailed_type", "is_storable")):
        meta = MemoryGateway(version=f"{major}.0").fields_get("product.product")
        assert meta[present]["type"] in ("boolean", "selection") and absent not in meta
    meta = MemoryGateway().fields_get("res.partner")
    assert (meta["credit_limit"]["type"], meta["category_id"]["type"], meta["category_id"]["relation"]) == (
        "float", "many2many", "res.partner.category")
    assert meta["type"]["selection"] == [["contact", "contact"], ["invoice", "invoice"], ["delivery", "delivery"], ["other", "other"]]


def test_the_catalogue_declares_every_field_the_migration_loads():
    """A field the load sends that the catalogue lacks would be compared as text again offline."""
    from odookit.migration.entities import ENTITIES, MapContext

    ctx = MapContext(module="mig")
    samples = {"categories": {"code": "C", "name": "C"}, "customers": {"code": "000001", "name": "A", "segment": "KEY", "country": "US"},
               "contacts": {"code": "K", "customer": "000001", "name": "A", "country": "US"},
               "suppliers": {"code": "S0001", "name": "S", "country": "US"},
               "products": {"sku": "SKU-1", "name": "P", "category": "C"},
               "supplier_prices": {"supplier": "S0001", "sku": "SKU-1", "price": 1},
               "pricelist_items": {"pricelist": "L", "sku": "SKU-1", "price": 1},
               "opening_stock": {"warehouse": "W", "sku": "SKU-1", "quantity": 1},
               "reorder_rules": {"warehouse": "W", "sku": "SKU-1"},
               "kit_components": {"kit": "KIT-1", "component": "SKU-1", "quantity": 2}}
    for spec in ENTITIES:
        for major in (17, 18):
            loaded = {f.removesuffix("/id") for f in spec.to_load(samples[spec.name], ctx.__class__(module="mig", major=major))}
            loaded -= {"id", "location"}  # the external ID, and a sub-location looked up by name
            if spec.name == "opening_stock":
                loaded = {"product_id", "location_id", "lot_id", "inventory_quantity"} & loaded
            missing = loaded - set(field_types(spec.model, major))
            assert not missing, (spec.name, major, sorted(missing))
    assert set(FIELDS) >= {spec.model for spec in ENTITIES}
