"""The shipped example engagements, used the way a consultant meets them: `odookit init --example NAME`, then
the offline commands. The second example (a German building-supplies wholesaler) is deliberately unlike the
first, so these tests fail when odookit only works for the sample's codes and conventions."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.init import EXAMPLES

WHOLESALER = "building-supplies-wholesaler"


def odookit(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def wholesaler(tmp_path_factory):
    root = tmp_path_factory.mktemp("examples") / "elbtal"
    result = odookit("init", root, "--example", WHOLESALER)
    assert result.exit_code == 0, result.output
    return root


def test_init_lists_both_examples_and_an_unknown_one_names_them():
    assert list(EXAMPLES) == ["regional-distributor", WHOLESALER]
    help_text = " ".join(odookit("init", "--help").output.split())
    assert "[regional-distributor|building-supplies-wholesaler]" in help_text
    result = odookit("init", "/nonexistent/ws", "--example", "retail-chain")
    assert result.exit_code == 2
    assert "'retail-chain' is not one of 'regional-distributor', 'building-supplies-wholesaler'" in result.output


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_example_has_a_blueprint_targets_and_clean_data(tmp_path, name):
    from odookit.workspace import Workspace

    root = tmp_path / name
    assert odookit("init", root, "--example", name).exit_code == 0
    ws = Workspace.load(root)
    assert ws.target("dev").url == "http://127.0.0.1:8069" and ws.target("dev").version == "18.0"
    assert ws.target("prod").production and not ws.target("dev").production
    assert sorted(p.name for p in (root / "migration").glob("*.xlsx")) == sorted(p.name for p in (root / "migration" / "clean").glob("*.xlsx"))


def test_wholesaler_is_its_own_client(wholesaler):
    """One company in Germany, nothing named like the sample's."""
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.workspace import Workspace

    ws = Workspace.load(wholesaler)
    assert ws.module == "ebh_config" and ws.target("dev").database == "elbtal_dev"
    bp = load_workspace_blueprint(ws)
    assert [(c.code, c.country, c.currency, c.vat, c.main) for c in bp.companies] == [("EBH", "DE", "EUR", "DE812345673", True)]
    assert [(w.code, w.reception_steps, w.delivery_steps, w.resupply_from) for w in bp.warehouses] == [
        ("DD", 3, "pick_ship", []), ("L1", 2, "ship_only", ["DD"]), ("C1", 1, "ship_only", ["DD"])]
    assert {c.code: c.tracking for c in bp.product_categories} == {
        "BCH": "lot", "BCH-KL": "lot", "BCH-DI": "lot", "EWZ": "serial", "BFT": "none", "DMS": "none"}
    assert [p.currency for p in bp.pricelists] == ["EUR", "EUR", "EUR"]
    assert (bp.credit.action, bp.credit.release_role, bp.invoicing.policy) == ("warn", None, "order")
    assert [(a.company, a.double_validation_above) for a in bp.approvals.purchase] == [("EBH", 20000)]
    assert [r.name for r in bp.roles] == [
        "Innendienst", "Vertriebsleitung", "Lagerist", "Lagerleitung", "Disposition", "Einkaufsleitung", "Buchhaltung"]
    sample = {"NIS", "CFL", "CHI", "MKE", "VAN", "FAST", "BRG", "HYD", "SAFE", "TOOL", "LIST", "CONTRACT_A", "KEY", "OEM", "CASH"}
    codes = {c.code for c in bp.product_categories} | {w.code for w in bp.warehouses} | {p.code for p in bp.pricelists}
    assert not codes & sample


def test_wholesaler_blueprint_validates(wholesaler):
    result = odookit("-w", wholesaler, "blueprint", "validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Blueprint is valid: 1 companies, 3 warehouses, 6 product categories, 3 pricelists, 7 roles"


def test_wholesaler_governance_check_has_no_error_and_its_accepted_conflict(wholesaler):
    result = odookit("-w", wholesaler, "governance", "check", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"] == {"error": 0, "warning": 3, "accepted": 1}
    assert sorted((c["rule"], c["subject"]) for c in report["conflicts"]) == [
        ("SOD-COUNT-ADJUST", "lagerleitung"), ("SOD-PO-APPROVAL", "einkaufsleitung"), ("SOD-SO-DISCOUNT", "vertriebsleitung"),
        ("SOD-SO-RUSH", "vertriebsleitung")]


def _validate(root, *source):
    result = odookit("-w", root, "migrate", "validate", *source, "--json")
    return result.exit_code, json.loads(result.output)


def test_wholesaler_legacy_export_has_its_defects_found(wholesaler):
    code, report = _validate(wholesaler)
    assert code == 1
    assert (report["errors"], report["warnings"]) == (31, 5)
    by_entity = {s["entity"]: (s["rows"], s["errors"], s["warnings"]) for s in report["summary"]}
    assert by_entity == {
        "categories": (2, 0, 0), "customers": (21, 12, 4), "contacts": (5, 2, 0), "suppliers": (5, 1, 1),
        "products": (22, 6, 0), "supplier_prices": (21, 6, 0), "pricelist_items": (6, 0, 0),
        "opening_stock": (65, 2, 0), "reorder_rules": (20, 1, 0), "kit_components": (5, 1, 0),
    }
    rules = Counter((f["entity"], f["rule"]) for f in report["findings"])
    assert rules == Counter({
        ("customers", "leading_zeros"): 4, ("customers", "extra"): 3, ("customers", "format"): 4, ("customers", "vat"): 1,
        ("customers", "missing"): 2, ("customers", "duplicate"): 2,
        ("contacts", "leading_zeros"): 1, ("contacts", "reference"): 1,
        ("suppliers", "format"): 1, ("suppliers", "missing"): 1,
        ("products", "allowed"): 2, ("products", "barcode"): 1, ("products", "text_number"): 2, ("products", "extra"): 1,
        ("supplier_prices", "date_text"): 1, ("supplier_prices", "format"): 4, ("supplier_prices", "reference"): 1,
        ("opening_stock", "range"): 1, ("opening_stock", "lot_required"): 1,
        ("reorder_rules", "range"): 1, ("kit_components", "reference"): 1,
    })
    # the client's own conventions (rules.yaml) name its formats in the findings
    messages = {f["message"] for f in report["findings"]}
    assert "'K10019' is not of the form ^K-\\d{5}$ (e.g. K-10001)" in messages
    assert "1067 lost its leading zeros: write it as text '01067'" in messages
    assert "'Dachdeckerei SchÃ¤fer GmbH' has garbled umlauts (Ã¤ for ä): export the legacy data again as UTF-8" in messages


def test_wholesaler_clean_data_has_no_finding(wholesaler):
    code, report = _validate(wholesaler, "--source", "migration/clean")
    assert code == 0
    assert (report["errors"], report["warnings"], report["findings"]) == (0, 0, [])
    assert sum(s["rows"] for s in report["summary"]) == 2 + 20 + 4 + 5 + 22 + 20 + 6 + 65 + 20 + 4


def test_wholesaler_reorder_defaults_follow_the_blueprint_s_category_tree(wholesaler):
    """DD's rule for BCH (40..160) reaches products of BCH's blueprint sub-categories (BCH-KL, BCH-DI); the
    workbook's own sub-category BFT-DUE takes DD's BFT rule (500..3000); L1's rule has no category."""
    from odookit.migration.rules import validate_workspace
    from odookit.workspace import Workspace

    validation = validate_workspace(Workspace.load(wholesaler), source=wholesaler / "migration" / "clean")
    _, rules = validation.load_rows("reorder_rules", validation.ctx)
    got = {(r["warehouse_id/id"].rsplit("_", 1)[1], r["product_id/id"].rsplit("_", 1)[1]): (r["product_min_qty"], r["product_max_qty"])
           for r in rules}
    assert got[("dd", "300201")] == got[("dd", "300301")] == ("40", "160")  # BCH-KL, BCH-DI
    assert got[("dd", "400501")] == got[("dd", "400401")] == ("500", "3000")  # BFT-DUE (workbook), BFT
    assert got[("l1", "400501")] == ("10", "40")
    assert got[("c1", "500601")] == ("30", "120")  # given in the workbook


def test_wholesaler_acceptance_suite_speaks_its_vocabulary(tmp_path):
    """`uat generate` then `uat check` pass offline, and the features name the wholesaler's warehouses, roles and
    categories, never the sample's."""
    import re

    root = tmp_path / "elbtal"
    assert odookit("init", root, "--example", WHOLESALER).exit_code == 0
    generated = odookit("-w", root, "uat", "generate")
    assert generated.exit_code == 0, generated.output
    checked = odookit("-w", root, "uat", "check")
    assert checked.exit_code == 0, checked.output
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "uat_scenarios" / "generated").glob("*.feature")))
    for own in ('warehouse "DD"', 'warehouse "L1"', 'warehouse "C1"', '"Innendienst"', '"Lagerist"', "EUR"):
        assert own in text, own
    sample = re.compile(r'"(CHI|MKE|VAN|FAST|BRG|HYD|SAFE|TOOL|LIST|CONTRACT_A|Sales Representative|Credit Controller)"|USD')
    assert not sample.findall(text)
