"""The load's checkpoint, reject isolation, resume and opening stock, as a user meets them.

Assertions are on what Odoo (the typed in-memory stand-in) holds afterwards
and on what the report and rejects workbook say, not on how many rows were
sent: they hold whether a second load re-sends rows or only the ones that
differ. Each test was checked by breaking the behaviour by hand (docs/testing.md).
"""

from __future__ import annotations

import importlib
import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.errors import MigrationError, OdooRejected
from odookit.migration.load import load_workspace
from odookit.odoo.memory import MemoryGateway
from odookit.workspace import Workspace

from .test_catch_mapping import M, PRODUCTS, blueprint_odoo

HEAD = ["code", "name", "country", "segment"]


def customers(n: int, **names: str) -> list[list]:
    """n customers; ``names`` replaces a customer's name by its code (``c000002="Renamed"``)."""
    return [HEAD] + [[f"{i:06d}", names.get(f"c{i:06d}", f"Customer {i}"), "US", "KEY"] for i in range(1, n + 1)]


def names(gw) -> dict[str, str]:
    return {p["ref"]: p["name"] for p in gw.all("res.partner") if p.get("ref")}


def crash_after(batches: int):
    def after_batch(entity, done):
        if done == batches:
            raise KeyboardInterrupt
    return after_batch


def test_a_row_changed_since_the_checkpoint_reaches_odoo_when_the_load_resumes(mig_ws, book):
    ws, gw = Workspace.find(mig_ws), blueprint_odoo()
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers(6)})
    with pytest.raises(KeyboardInterrupt):
        load_workspace(ws, "dev", gateway=gw, batch_size=3, after_batch=crash_after(1))
    assert sorted(names(gw)) == ["000001", "000002", "000003"]
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers(6, c000002="Bolt & Nut (renamed)")})  # fixed by the client since
    load_workspace(ws, "dev", gateway=gw, batch_size=3)
    assert names(gw) == {"000001": "Customer 1", "000002": "Bolt & Nut (renamed)", "000003": "Customer 3",
                         "000004": "Customer 4", "000005": "Customer 5", "000006": "Customer 6"}


class RefusesBroken(MemoryGateway):
    """An Odoo whose load() fails as a whole, naming no row, when a batch holds a row it cannot take
    (what a server-side exception in an override of create looks like to the client)."""

    def _m_load(self, model, fields, data):
        if any("Broken" in str(value) for row in data for value in row):
            raise OdooRejected("ValueError: cannot import this partner", where=self.url)
        return super()._m_load(model, fields, data)


def test_a_batch_error_that_names_no_row_rejects_only_the_bad_row(mig_ws, book):
    gw = blueprint_odoo()
    odoo = RefusesBroken()
    odoo.records, odoo._ids = gw.records, gw._ids
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers(8, c000005="Broken Ltd")})
    report = load_workspace(Workspace.find(mig_ws), "dev", gateway=odoo, batch_size=4)
    assert [(r.where[1], r.where[2], r.message) for r in report.rejects] == [("customers", 6, "ValueError: cannot import this partner")]
    assert sorted(names(odoo)) == ["000001", "000002", "000003", "000004", "000006", "000007", "000008"]
    sheet = openpyxl.load_workbook(report.rejects_path)["customers"]
    assert [c.value for c in sheet[2]][:4] == ["c.xlsx", "customers", 6, "ValueError: cannot import this partner"]


def test_rejects_of_the_interrupted_run_are_reported_by_the_resumed_one(mig_ws, book):
    """The rows Odoo refused before the interruption are not sent again, so the resumed run must still list them."""
    ws, gw = Workspace.find(mig_ws), blueprint_odoo()
    rows = [[*row, "payment_term" if i == 0 else None] for i, row in enumerate(customers(6))]
    rows[2][4] = "NET30"  # the blueprint's term, not yet applied to this database: Odoo refuses row 3 of the sheet
    book(mig_ws / "migration" / "c.xlsx", {"customers": rows})
    with pytest.raises(KeyboardInterrupt):
        load_workspace(ws, "dev", gateway=gw, batch_size=3, after_batch=crash_after(1))
    report = load_workspace(ws, "dev", gateway=gw, batch_size=3)
    assert [(r.where[2], r.entity) for r in report.rejects] == [(3, "customers")]
    assert [(e.entity, e.rejected) for e in report.entities] == [("customers", 1)]
    sheet = openpyxl.load_workbook(report.rejects_path)["customers"]
    assert [c.value for c in sheet[2]][2] == 3
    assert sorted(names(gw)) == ["000001", "000003", "000004", "000005", "000006"]


@pytest.mark.parametrize("damage", ["{not json", "[1, 2]", '{"version": 1, "finished": false, "entities": []}',
                                    '{"version": 1, "finished": false, "entities": {"customers": {"digest": "d"}}}'])
def test_a_damaged_checkpoint_is_one_clear_error_and_nothing_is_loaded_twice(mig_ws, book, damage):
    ws, gw = Workspace.find(mig_ws), blueprint_odoo()
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers(6)})
    with pytest.raises(KeyboardInterrupt):
        load_workspace(ws, "dev", gateway=gw, batch_size=3, after_batch=crash_after(1))
    checkpoint = ws.state / "migration" / "load-dev.json"
    checkpoint.write_text(damage, encoding="utf-8")
    loads = gw.round_trips("load")
    with pytest.raises(MigrationError) as info:
        load_workspace(ws, "dev", gateway=gw, batch_size=3)
    assert info.value.line().startswith(f"{checkpoint}: the load checkpoint is damaged (")
    assert info.value.line().endswith("); nothing was loaded. Delete that file and load again: rows already in Odoo "
                                      "are updated, never created twice.")
    assert gw.round_trips("load") == loads
    checkpoint.unlink()
    load_workspace(ws, "dev", gateway=gw, batch_size=3)
    assert sorted(names(gw)) == [f"{i:06d}" for i in range(1, 7)]
    assert len(gw.all("res.partner")) == 6, "the three customers sent before the interruption are not created again"


def test_opening_stock_sets_each_quant_and_reconcile_compares_quantities(mig_ws, book):
    from odookit.migration.reconcile import reconcile_workspace

    ws, gw = Workspace.find(mig_ws), blueprint_odoo()
    book(mig_ws / "migration" / "s.xlsx", {
        "products": [PRODUCTS, ["BRG-100", "Ball bearing", "BRG", 12.5], ["FAST-1", "Bolt", "FAST", 0.1]],
        "opening_stock": [["warehouse", "sku", "lot", "quantity"], ["CHI", "BRG-100", "L-1", 5], ["CHI", "BRG-100", "L-2", 2.5],
                          ["CHI", "FAST-1", None, 400]],
    })
    report = load_workspace(ws, "dev", gateway=gw)
    assert not report.rejects, [r.message for r in report.rejects]
    product = {x.split("_", 2)[-1]: v[1] for x, v in gw.xmlids_of_module(M, "product.product").items()}
    lots = {lot["name"]: (lot["id"], lot["product_id"]) for lot in gw.all("stock.lot")}
    assert sorted(lots) == ["L-1", "L-2"] and {p for _, p in lots.values()} == {product["brg_100"]}
    stock = gw.resolve_xmlids([f"{M}.location_chi_stock"])[f"{M}.location_chi_stock"][1]
    quants = sorted((q["product_id"], q["location_id"], q.get("lot_id") or False, q["inventory_quantity_auto_apply"])
                    for q in gw.all("stock.quant"))
    assert quants == sorted([(product["brg_100"], stock, lots["L-1"][0], 5.0), (product["brg_100"], stock, lots["L-2"][0], 2.5),
                             (product["fast_1"], stock, False, 400.0)])
    # Odoo applies inventory mode (a business rule the stand-in does not imitate): set the on-hand quantity as it would,
    # one of them since counted differently
    for q in gw.all("stock.quant"):
        on_hand = 4.0 if q.get("lot_id") == lots["L-1"][0] else q["inventory_quantity_auto_apply"]
        gw.write("stock.quant", [q["id"]], {"quantity": on_hand})
    rec, _ = reconcile_workspace(ws, "dev", gateway=gw, entities=["opening_stock"])
    [check] = rec.entities
    assert (check.expected, check.found, check.differing, check.missing) == (3, 2, 1, [])
    assert [(d.key, d.field, d.expected, d.actual) for d in rec.differences] == [
        (f"{M}.product_brg_100 @ {M}.location_chi_stock [{M}.lot_brg_100_l_1]", "quantity", "5", "4")]


# -- the commands, on the stand-in ------------------------------------------------------------

@pytest.fixture
def cli_odoo(mig_ws, monkeypatch):
    gw = blueprint_odoo()
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "secret")
    monkeypatch.setattr(importlib.import_module("odookit.odoo.connect"), "connect", lambda target, **kw: gw)
    return gw


def invoke(mig_ws, *args):
    return CliRunner().invoke(cli, ["-w", str(mig_ws), *args], env={"COLUMNS": "200"})


def test_migrate_load_and_reconcile_succeed_with_their_tables(mig_ws, book, cli_odoo):
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers(3)})
    loaded = invoke(mig_ws, "migrate", "load", "-t", "dev", "--json")
    assert loaded.exit_code == 0, loaded.output
    report = json.loads(loaded.output)
    assert ([(e["entity"], e["rows"], e["created"], e["rejected"]) for e in report["entities"]], report["rejected"]) == (
        [("customers", 3, 3, 0)], 0)
    again = invoke(mig_ws, "migrate", "load", "-t", "dev")
    assert again.exit_code == 0, again.output
    assert again.output.startswith("Load into dev\n") and "Rejects:" not in again.output
    assert re.search(r"│ customers\s+│\s+3 │", again.output), again.output
    rec = invoke(mig_ws, "migrate", "reconcile", "-t", "dev")
    assert rec.exit_code == 0, rec.output
    assert rec.output.rstrip().endswith("CLEAN: the database matches the workbooks")
    assert f"Report: {mig_ws / 'migration' / 'reports' / 'reconcile-dev.xlsx'}" in rec.output
    as_json = json.loads(invoke(mig_ws, "migrate", "reconcile", "-t", "dev", "--json").output)
    assert (as_json["clean"], [(e["entity"], e["expected"], e["found"]) for e in as_json["entities"]]) == (
        True, [("customers", 3, 3)])


def test_migrate_load_with_a_damaged_checkpoint_is_one_line_with_exit_2(mig_ws, book, cli_odoo):
    book(mig_ws / "migration" / "c.xlsx", {"customers": customers(2)})
    checkpoint = mig_ws / ".odookit" / "migration" / "load-dev.json"
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    checkpoint.write_text("[]", encoding="utf-8")
    result = invoke(mig_ws, "migrate", "load", "-t", "dev")
    assert result.exit_code == 2, result.output
    assert "the load checkpoint is damaged (not an odookit load checkpoint); nothing was loaded" in result.output
    assert "Traceback" not in result.output and cli_odoo.all("res.partner") == []
