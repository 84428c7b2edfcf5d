"""A second load changes nothing: delta decisions, opening stock as a cut-over, precision, and reconcile,
against the in-memory generic ORM (which only stores what it is sent: no business rule)."""

from __future__ import annotations

import pytest

from odookit.errors import ProductionGuard
from odookit.migration.load import load_workspace
from odookit.migration.reconcile import reconcile_workspace
from odookit.migration.rules import validate_workspace
from odookit.workspace import Workspace

HEAD = ["code", "name", "country", "segment", "email"]


def _customers(codes, *, renamed: dict | None = None) -> list[list]:
    renamed = renamed or {}
    return [HEAD] + [[f"{i:06d}", renamed.get(i, f"Customer {i}"), "US", "KEY", f"c{i}@x.example.com"] for i in codes]


def _seeded(memory):
    memory.seed("res.partner.category", {"name": "Key"}, "nis_config.partner_segment_key")
    memory.seed("res.country", {"name": "United States"}, "base.us")
    return memory


def _sent(memory) -> list[tuple[str, str, int]]:
    """(model, method, rows) of every write the gateway received: load(), create() and write()."""
    out = []
    original = memory.execute

    def spy(model, method, ids=None, **kwargs):
        if method == "load":
            out.append((model, method, len(kwargs["data"])))
        elif method in ("create", "write"):
            vals = kwargs.get("vals_list", kwargs.get("vals"))
            out.append((model, method, len(vals) if isinstance(vals, list) else 1))
        return original(model, method, ids, **kwargs)

    memory.execute = spy
    return out


def _counts(report) -> list[tuple]:
    return [(e.entity, e.created, e.updated, e.unchanged) for e in report.entities]


def test_a_second_load_of_unchanged_data_sends_nothing(mig_ws, memory, book):
    book(mig_ws / "migration" / "c.xlsx", {"customers": _customers(range(1, 11))})
    ws = Workspace.find(mig_ws)
    assert _counts(load_workspace(ws, "dev", gateway=_seeded(memory), batch_size=4)) == [("customers", 10, 0, 0)]
    sent = _sent(memory)
    before = memory.round_trips()
    again = load_workspace(ws, "dev", gateway=memory, batch_size=4)
    assert _counts(again) == [("customers", 0, 0, 10)]
    assert again.entities[0].sent == 0
    assert sent == [], "no load, create or write reached Odoo"
    # O(batches): per batch one external-ID lookup and one read, plus the run's decimal precisions and fields
    assert memory.round_trips() - before <= 3 * 2 + 2


def test_only_changed_and_new_rows_are_sent_and_counted_apart(mig_ws, memory, book):
    path = mig_ws / "migration" / "c.xlsx"
    book(path, {"customers": _customers(range(1, 11))})
    ws = Workspace.find(mig_ws)
    load_workspace(ws, "dev", gateway=_seeded(memory), batch_size=4)
    book(path, {"customers": _customers(range(1, 13), renamed={3: "Customer Three Ltd"})})
    sent = _sent(memory)
    report = load_workspace(ws, "dev", gateway=memory, batch_size=4)
    assert _counts(report) == [("customers", 2, 1, 9)]
    assert sent == [("res.partner", "load", 1), ("res.partner", "load", 2)], "batch 1 holds row 3, batch 3 the two new rows"
    names = {p["ref"]: p["name"] for p in memory.all("res.partner")}
    assert names["000003"] == "Customer Three Ltd" and len(names) == 12


def test_a_value_odoo_keeps_at_its_precision_is_unchanged(mig_ws, memory, book):
    memory.seed("product.category", {"name": "Bearings"}, "nis_config.product_category_brg")
    memory.seed("uom.uom", {"name": "Units"}, "uom.product_uom_unit")
    products = [["sku", "name", "category", "sale_price", "weight"], ["BRG-1", "Bearing", "BRG", 10.125, 23.752]]
    book(mig_ws / "migration" / "p.xlsx", {"products": products})
    ws = Workspace.find(mig_ws)
    validation = validate_workspace(ws)
    assert [f.line().split("column ", 1)[1] for f in validation.findings] == [
        "sale_price (D2): warning: 10.125 has more decimals than Odoo keeps for list_price (Product Price: 2): 10.13 will be stored [precision]",
        "weight (E2): warning: 23.752 has more decimals than Odoo keeps for weight (Stock Weight: 2): 23.75 will be stored [precision]"]
    load_workspace(ws, "dev", gateway=memory)
    product = memory.all("product.product")[0]
    memory.write("product.product", [product["id"]], {"weight": 23.75, "list_price": 10.13})  # what a server keeping 2 decimals holds
    sent = _sent(memory)
    assert _counts(load_workspace(ws, "dev", gateway=memory)) == [("products", 0, 0, 1)]
    assert sent == []
    rec, _ = reconcile_workspace(ws, "dev", gateway=memory)
    assert rec.clean and rec.differences == []


def test_a_target_keeping_more_decimals_is_asked(mig_ws, memory, book):
    memory.seed("decimal.precision", {"name": "Stock Weight", "digits": 3})
    memory.seed("product.category", {"name": "Bearings"}, "nis_config.product_category_brg")
    book(mig_ws / "migration" / "p.xlsx", {"products": [["sku", "name", "category", "sale_price", "weight"], ["BRG-1", "Bearing", "BRG", 1, 23.7525]]})
    validation = validate_workspace(Workspace.find(mig_ws), digits={"Stock Weight": 3})
    assert "(Stock Weight: 3): 23.753 will be stored" in validation.findings[0].message
    from odookit.migration.rules import target_digits

    assert target_digits(memory)["Stock Weight"] == 3 and target_digits(memory)["Product Price"] == 2


def _catalog(memory):
    memory.seed("product.category", {"name": "Bearings"}, "nis_config.product_category_brg")
    memory.seed("uom.uom", {"name": "Units"}, "uom.product_uom_unit")
    memory.seed("stock.location", {"name": "Stock", "complete_name": "CHI/Stock", "usage": "internal"}, "nis_config.location_chi_stock")


def _stock_ws(mig_ws, memory, book, quantity):
    if not memory.all("uom.uom"):
        _catalog(memory)
    book(mig_ws / "migration" / "s.xlsx", {
        "products": [["sku", "name", "category", "sale_price", "tracking"], ["BRG-1", "Bearing", "BRG", 10, "none"]],
        "opening_stock": [["warehouse", "sku", "quantity"], ["CHI", "BRG-1", quantity]],
    })
    return Workspace.find(mig_ws)


def _odoo_has(memory, quantity):
    """What the server holds after applying the counted quantity, or after a delivery: set on the quant by the test."""
    quant = memory.all("stock.quant")[0]
    memory._m_write("stock.quant", [quant["id"]], {"quantity": quantity})  # not a call odookit makes: the spy ignores it


def test_opening_stock_is_a_cut_over_a_moved_quantity_is_not_reset(mig_ws, memory, book):
    ws = _stock_ws(mig_ws, memory, book, 40)
    first = load_workspace(ws, "dev", gateway=memory)
    assert _counts(first)[-1] == ("opening_stock", 1, 0, 0)
    _odoo_has(memory, 40)
    sent = _sent(memory)
    again = load_workspace(ws, "dev", gateway=memory)
    assert _counts(again) == [("products", 0, 0, 1), ("opening_stock", 0, 0, 1)] and sent == []
    assert [(e.sent, e.loaded) for e in again.entities] == [(0, 0), (0, 0)], "a quant Odoo already has is neither sent nor loaded"
    _odoo_has(memory, 37)  # 3 delivered since the cut-over
    moved = load_workspace(ws, "dev", gateway=memory)
    assert sent == [] and moved.entities[-1].moved == 1 and moved.entities[-1].updated == 0
    assert (moved.entities[-1].sent, moved.entities[-1].loaded) == (0, 0)
    assert [(r.where[1:], r.message) for r in moved.moved] == [(("opening_stock", 2),
        "moved since cut-over, not reset: 40 was loaded, Odoo has 37 (the workbook says 40); `migrate load --reset-stock` sets it again")]
    rec, _ = reconcile_workspace(ws, "dev", gateway=memory)
    assert [(d.key, d.expected, d.actual) for d in rec.moved] == [(d.key, d.expected, d.actual) for d in rec.differences] == [
        ("nis_config.product_brg_1 @ nis_config.location_chi_stock", "40", "37")], "a difference, said to have moved since cut-over"
    reset = load_workspace(ws, "dev", gateway=memory, reset_stock=True)
    assert (reset.entities[-1].updated, reset.entities[-1].moved) == (1, 0)
    assert [s for s in sent if s[0] == "stock.quant"] == [("stock.quant", "create", 1)]
    assert memory.all("stock.quant")[-1]["inventory_quantity_auto_apply"] == 40


def test_a_changed_workbook_quantity_is_set_when_odoo_still_has_the_cut_over_one(mig_ws, memory, book):
    ws = _stock_ws(mig_ws, memory, book, 40)
    load_workspace(ws, "dev", gateway=memory)
    _odoo_has(memory, 40)
    ws = _stock_ws(mig_ws, memory, book, 45)  # the client recounted before go-live
    report = load_workspace(ws, "dev", gateway=memory)
    assert (report.entities[-1].updated, report.entities[-1].moved) == (1, 0)


def test_reset_stock_on_production_needs_yes(mig_ws, memory, book):
    ws = _stock_ws(mig_ws, memory, book, 40)
    with pytest.raises(ProductionGuard, match="refusing to reset stock"):
        load_workspace(ws, "prod", gateway=memory, reset_stock=True)
    assert memory.round_trips("create") == 0


def test_reconcile_lists_rows_held_back_by_validation_apart_from_differences(mig_ws, memory, book):
    _catalog(memory)
    book(mig_ws / "migration" / "s.xlsx", {
        "products": [["sku", "name", "category", "sale_price", "tracking"], ["BRG-1", "Bearing", "BRG", 10, "none"],
                     ["BRG-2", "Bearing 2", "NOPE", 12, "none"]],
        "opening_stock": [["warehouse", "sku", "quantity"], ["CHI", "BRG-1", 5], ["CHI", "BRG-2", 7]],
    })
    ws = Workspace.find(mig_ws)
    report = load_workspace(ws, "dev", gateway=memory, skip_invalid=True)
    assert [r.where[1:] for r in report.held] == [("opening_stock", 3)]
    _odoo_has(memory, 5)
    rec, _ = reconcile_workspace(ws, "dev", gateway=memory)
    assert rec.differences == [] and rec.clean
    assert [(h.entity, h.where[1:], h.message.split(":")[0]) for h in rec.held] == [
        ("products", ("products", 3), "not loaded"), ("opening_stock", ("opening_stock", 3), "not loaded")]
    assert {e.entity: (e.expected, e.found, e.held_back) for e in rec.entities} == {"products": (1, 1, 1), "opening_stock": (1, 1, 1)}


def test_validate_with_a_target_reads_its_decimals(mig_ws, memory, book, monkeypatch):
    import importlib
    import json

    from click.testing import CliRunner

    from odookit.cli import cli

    memory.seed("decimal.precision", {"name": "Stock Weight", "digits": 3})
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    monkeypatch.setattr(importlib.import_module("odookit.odoo.connect"), "connect", lambda target, **kw: memory)
    book(mig_ws / "migration" / "p.xlsx", {"products": [["sku", "name", "category", "sale_price", "weight"], ["BRG-1", "Bearing", "BRG", 1, 2.12345]]})
    offline = json.loads(CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "validate", "--json"]).output)
    online = json.loads(CliRunner().invoke(cli, ["-w", str(mig_ws), "migrate", "validate", "-t", "dev", "--json"]).output)
    assert [f["message"].split(": ", 1)[1] for f in offline["findings"]] == ["2): 2.12 will be stored"]
    assert [f["message"].split(": ", 1)[1] for f in online["findings"]] == ["3): 2.123 will be stored"]
