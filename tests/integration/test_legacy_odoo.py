"""A client's legacy exports against a real Odoo: map -> validate -> load -> second load -> reconcile."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from odookit.cli import cli

pytestmark = pytest.mark.odoo

TERMS = ("Net 30", "Net 60")
SEGMENTS = ("Key Account", "OEM Account", "Cash Customer")
PRICELISTS = ("List Price (USD)", "Contract A - Key Accounts")
GROUPS = ("Fasteners", "Bearings", "Safety Equipment")


def _exports(folder, customers: int = 30, products: int = 12) -> None:
    """customers.csv (Windows-1252, ';', decimal commas), products.xlsx (sheet Items, Lot Tracked Y/N), stock.csv (',')."""
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    out.writerow(["Customer Code", "Customer Name", "Country", "E-Mail", "Customer Group", "Credit Limit", "Payment Terms", "Price List", "Fax"])
    for i in range(1, customers + 1):
        out.writerow([f"{900000 + i:06d}", f"Müller Söhne {i}", "US", f"ap{i}@legacy{i}.example.com", SEGMENTS[i % 3],
                      f"{1000 + i},50", TERMS[i % 2], PRICELISTS[i % 2], "+1 555 0100"])
    (folder / "customers.csv").write_bytes(buf.getvalue().encode("cp1252"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Items"
    sheet.append(["Item No", "Description", "Product Group", "Lot Tracked", "Unit", "Sales Price", "Colour"])
    for i in range(1, products + 1):
        group = GROUPS[i % 3]
        sheet.append([f"LEG-{i:04d}", f"Legacy item {i}", group, "Y" if group == "Bearings" else "N", "PCE", 10 + i, "red"])
    book.save(folder / "products.xlsx")
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["Item No", "Warehouse", "Batch", "Qty"])
    for i in range(1, products + 1):
        out.writerow([f"LEG-{i:04d}", "Chicago Distribution Center", f"B{i:04d}" if GROUPS[i % 3] == "Bearings" else "", 3 + i])
    (folder / "stock.csv").write_text(buf.getvalue(), encoding="utf-8")


def test_legacy_exports_map_load_twice_and_reconcile(odoo_target):
    from odookit.odoo.connect import connect
    from odookit.workspace import Workspace

    root, target = odoo_target
    runner = CliRunner()

    def odookit(*args):
        return runner.invoke(cli, ["-w", str(root), *args], prog_name="odookit")

    applied = odookit("blueprint", "apply", "-t", target)
    assert applied.exit_code == 0, applied.output
    ws = Workspace.find(root)
    gw = connect(ws.target(target))
    # the integration tests share one database: what the module held before this test's load
    # (another test's sample customers) is the only thing reconcile may count extra
    before = gw.search("ir.model.data", [("module", "=", ws.module)])
    try:
        _map_load_twice_and_reconcile(odookit, root, target, {f"{ws.module}.{r['name']}" for r in gw.read("ir.model.data", before, ["name"])})
    finally:
        # nor may a later test's reconcile count this test's records extra: they leave the module
        mine = gw.search("ir.model.data", [("module", "=", ws.module), ("id", "not in", before)])
        if mine:
            gw.unlink("ir.model.data", mine)


def _map_load_twice_and_reconcile(odookit, root, target, earlier: set[str]) -> None:
    migration = root / "migration"
    for old in migration.glob("*.xlsx"):
        old.unlink()  # the sample's own workbooks: this client sent exports instead
    _exports(migration)
    mapped = odookit("migrate", "map", "migration/customers.csv", "migration/products.xlsx", "migration/stock.csv", "--json")
    assert mapped.exit_code == 0, mapped.output
    proposals = {m["file"]: m for m in json.loads(mapped.output)["mappings"]}
    assert proposals["customers.csv"]["detected"] == "CSV, Windows-1252, delimiter ';'"
    validated = odookit("migrate", "validate", "--json")
    assert validated.exit_code == 0, validated.output
    assert json.loads(validated.output)["errors"] == 0

    first = odookit("migrate", "load", "-t", target, "--json")
    assert first.exit_code == 0, first.output
    created = {e["entity"]: e["created"] for e in json.loads(first.output)["entities"]}
    assert created == {"customers": 30, "products": 12, "opening_stock": 12}

    second = odookit("migrate", "load", "-t", target, "--json")
    assert second.exit_code == 0, second.output
    again = {e["entity"]: (e["created"], e["updated"]) for e in json.loads(second.output)["entities"]}
    assert again == {"customers": (0, 0), "products": (0, 0), "opening_stock": (0, 0)}

    reconciled = odookit("migrate", "reconcile", "-t", target, "--json")
    report = json.loads(reconciled.output)
    checks = {e["entity"]: (e["expected"], e["found"], e["missing"], e["differing"], e["held_back"]) for e in report["entities"]}
    assert checks == {"customers": (30, 30, [], 0, 0), "products": (12, 12, [], 0, 0), "opening_stock": (12, 12, [], 0, 0)}
    assert report["differences"] == [] and report["held_back"] == []
    stray = {x for e in report["entities"] for x in e["extra"]} - earlier
    assert not stray, f"records of this module reconcile counts extra that were not there before the load: {sorted(stray)}"
    assert reconciled.exit_code == (0 if report["clean"] else 1), reconciled.output
