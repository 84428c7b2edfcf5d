"""Targets and --check, the saved report, the workbook, the SVG charts and the site page, through the CLI."""

from __future__ import annotations

import importlib
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from defusedxml import ElementTree

from odookit.cli import cli
from odookit.kpi.definitions import kpi_codes

from .conftest import build

CONNECT = importlib.import_module("odookit.odoo.connect")  # the package re-exports a function of the same name

BLUEPRINT = """\
companies:
  - {code: NC, name: North Co, country: US, currency: USD, main: true}
  - {code: SC, name: South Co, country: US, currency: USD}
warehouses:
  - {code: WA, name: West, company: NC}
  - {code: WB, name: East, company: SC}
credit:
  default_limit: 1000
  action: block
  release_role: credit
  segments:
    - {code: GOLD, name: Gold, limit: 5000}
approvals:
  sales_discount_above: 10
  sales_discount_role: credit
roles:
  - {code: credit, name: Credit Controller, groups: [sales_team.group_sale_salesman]}
"""


def workspace(tmp_path: Path, targets: str = "") -> Path:
    root = tmp_path / "acme"
    (root / "blueprints").mkdir(parents=True)
    (root / "odookit.toml").write_text(textwrap.dedent("""\
        [engagement]
        name = "Acme"
        module = "acme_cfg"

        [targets.dev]
        url = "http://127.0.0.1:9"
        database = "acme"
        login = "admin"
        version = "18.0"
        """))
    (root / "blueprints" / "10-main.yaml").write_text(BLUEPRINT)
    if targets:
        (root / "blueprints" / "20-kpis.yaml").write_text(textwrap.dedent(targets))
    return root


@pytest.fixture
def offline(monkeypatch):
    """``connect`` hands out the in-memory month instead of a server."""
    data = build()
    monkeypatch.setattr(CONNECT, "connect", lambda target, **_: data.gw)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "x")
    return data


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(root), "kpi", "report", "-t", "dev", "--since", "2026-11-01",
                                    "--until", "2026-11-30", *args])


TARGETS = """\
kpis:
  - {kpi: fill_rate, target: 95}
  - {kpi: fill_rate, target: 30, warehouse: WA}
  - {kpi: order_cycle_time, target: 3}
  - {kpi: return_rate, target: 5, direction: at_least}
  - {kpi: supplier_on_time_rate, target: 90}
"""


def test_check_exits_1_on_a_missed_target_and_says_which(tmp_path, offline):
    root = workspace(tmp_path, TARGETS)
    result = run(root, "--check", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    targets = {(k["code"], t["warehouse"]): (t["status"], t["value"]) for k in data["kpis"] for t in k["targets"]}
    assert targets == {
        ("fill_rate", None): ("missed", 40.0),  # at least 95 (the KPI's direction)
        ("fill_rate", "WA"): ("met", 33.33),
        ("order_cycle_time", None): ("met", 2.17),  # at most 3
        ("return_rate", None): ("missed", 3.85),  # direction given: at least 5
        ("supplier_on_time_rate", None): ("missed", 50.0),
    }
    assert data["missed"] == 3
    # the same run without --check is a report, not a failure
    assert run(root).exit_code == 0


def test_check_passes_when_every_target_is_met(tmp_path, offline):
    root = workspace(tmp_path, "kpis:\n  - {kpi: fill_rate, target: 40}\n  - {kpi: invoice_lag, target: 2}\n")
    result = run(root, "--check")
    assert result.exit_code == 0, result.output
    assert "0 target(s) missed" in result.output
    assert ">= 40 %: met" in result.output


def test_unknown_kpi_and_warehouse_in_targets_name_the_line_with_a_did_you_mean(tmp_path, offline):
    root = workspace(tmp_path, "kpis:\n  - {kpi: fill_rat, target: 95}\n  - {kpi: fill_rate, target: 95, warehouse: WC}\n")
    result = run(root)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("blueprints/20-kpis.yaml:2:")
    assert "unknown KPI 'fill_rat' (did you mean 'fill_rate'?)" in lines[0]
    assert lines[1].startswith("blueprints/20-kpis.yaml:3:")
    assert "unknown warehouse 'WC'" in lines[1] and "Use one of: WA, WB" in lines[1]
    assert not (root / ".odookit" / "kpi" / "latest.json").exists()


def test_since_after_until_is_one_line_before_anything_is_read(tmp_path, offline):
    root = workspace(tmp_path)
    result = CliRunner().invoke(cli, ["-w", str(root), "kpi", "report", "-t", "dev", "--since", "2026-12-01", "--until", "2026-11-01"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --since: --since 2026-12-01 is after --until 2026-11-01. Give a --since on or before --until."
    assert offline.gw.calls == []


def test_report_is_saved_whole_and_an_interrupted_run_keeps_the_previous_one(tmp_path, offline, monkeypatch):
    root = workspace(tmp_path)
    assert run(root).exit_code == 0
    saved = root / ".odookit" / "kpi" / "latest.json"
    first = json.loads(saved.read_text())
    assert [k["code"] for k in first["kpis"]] == kpi_codes()
    assert first["period"] == {"since": "2026-11-01", "until": "2026-11-30", "days": 30}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("odookit.kpi.compute.invoice_lag", interrupted)
    monkeypatch.setitem(__import__("odookit.kpi.compute", fromlist=["KPIS"]).KPIS, "invoice_lag",
                        (interrupted, 1, max, "none"))
    result = CliRunner().invoke(cli, ["-w", str(root), "kpi", "report", "-t", "dev", "--since", "2026-11-02"])
    assert result.exit_code != 0
    assert json.loads(saved.read_text()) == first  # untouched
    assert sorted(p.name for p in saved.parent.iterdir()) == ["latest.json"]  # no temporary file left


def test_table_shows_breakdown_and_says_why_a_kpi_has_no_figure(tmp_path, monkeypatch):
    data = build({"base", "stock", "sale_stock", "account", "stock_account"})  # no purchase app
    monkeypatch.setattr(CONNECT, "connect", lambda target, **_: data.gw)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "x")
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    result = run(workspace(tmp_path), "--by", "warehouse")
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.strip("│ ").split("│")] for line in result.output.splitlines() if "│" in line]
    assert ["Supplier on-time rate", "purchase app not installed (purchase_stock)", "-", "0"] in rows
    assert ["Fill rate", "40.0 %", "-", "5"] in rows
    assert ["Fill rate", "WA", "33.3 %", "3"] in rows and ["Fill rate", "WB", "50.0 %", "2"] in rows
    assert ["Order cycle time", "WA", "2.50 days", "2"] in rows
    assert "Open backorders by age: 0-5 days: 1, 6-10 days: 1, 11-30 days: 1, over 30 days: 0" in result.output


def test_workbook_has_a_sheet_per_kpi_with_breakdowns_and_escaped_text(tmp_path, offline):
    import openpyxl

    offline.gw.write("res.partner", [p["id"] for p in offline.gw.all("res.partner") if p.get("name") == "Sam Seller"],
                     {"name": "=HYPERLINK(\"x\")"})
    root = workspace(tmp_path)
    book_path = tmp_path / "out" / "kpis.xlsx"
    result = run(root, "--xlsx", str(book_path))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(book_path)
    assert len(book.sheetnames) == 1 + len(kpi_codes())
    summary = [row for row in book["Summary"].iter_rows(values_only=True)]
    assert summary[1] == ("KPI", "Code", "Value", "Unit", "Status", "Records", "Targets", "Note")
    assert ("Fill rate", "fill_rate", 40.0, "%", "ok", 5, "-", None) in summary
    sheet = book["Discount approvals"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert ("Confirmed by", "Value", "Records") in values
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(\"x\")")
    assert cell.data_type == "s" and cell.quotePrefix  # text, not a live formula


def test_svg_charts_are_valid_xml_one_pair_per_kpi(tmp_path, offline):
    from odookit.kpi.charts import kpi_charts
    from odookit.kpi.report import latest

    root = workspace(tmp_path, "kpis:\n  - {kpi: fill_rate, target: 95}\n")
    assert run(root).exit_code == 0
    from odookit.workspace import Workspace

    report = latest(Workspace.find(root))
    ns = "{http://www.w3.org/2000/svg}"
    for k in report.kpis:
        charts = kpi_charts(k)
        assert sorted(charts) == ["warehouse", "week"]
        for dim, svg in charts.items():
            tree = ElementTree.fromstring(svg)
            assert tree.tag == f"{ns}svg", (k.code, dim)
            bars = tree.findall(f"{ns}rect")
            assert len(bars) == sum(r["value"] is not None for r in k.breakdown.get(dim, [])), (k.code, dim)
    fill = ElementTree.fromstring(kpi_charts(report.kpi("fill_rate"))["warehouse"])
    # both warehouses are under the 95% target: drawn in the warning colour, with the target line
    assert [b.get("fill") for b in fill.findall(f"{ns}rect")] == ["#c0392b", "#c0392b"]
    assert any(t.text == "target 95.0" for t in fill.findall(f"{ns}text"))
    turnover = ElementTree.fromstring(kpi_charts(report.kpi("inventory_turnover"))["warehouse"])
    assert [t.text for t in turnover.findall(f"{ns}text")][-1] == "no warehouse breakdown for this KPI"


def test_site_page_shows_the_latest_report_with_its_charts(tmp_path, offline):
    from odookit.kpi.page import write_page
    from odookit.workspace import Workspace

    root = workspace(tmp_path)
    ws = Workspace.find(root)
    pages = tmp_path / "pages"
    before = write_page(ws, pages)
    assert "No KPI report has been computed" in before and not (pages / "assets").exists()
    assert run(root).exit_code == 0
    text = write_page(ws, pages)
    assert "Latest report of target **dev** (database `memory`), 2026-11-01 to 2026-11-30" in text
    for code in kpi_codes():
        anchor = code.replace("_", "-")
        assert f"{{#{anchor}}}" in text
        for dim in ("week", "warehouse"):
            assert f"(assets/kpi/{code}-{dim}.svg)" in text
            ElementTree.fromstring((pages / "assets" / "kpi" / f"{code}-{dim}.svg").read_text())
    assert "| [Fill rate](#fill-rate) | 40.0 % | - | 5 |" in text


def test_docs_build_publishes_the_kpi_page_with_its_svg_charts(tmp_path, offline):
    root = workspace(tmp_path)
    assert run(root).exit_code == 0
    result = CliRunner().invoke(cli, ["-w", str(root), "docs", "build"])
    assert result.exit_code == 0, result.output
    site = root / "docs" / "site"
    page = (site / "kpis.html").read_text()
    charts = sorted(p.name for p in (site / "assets" / "kpi").glob("*.svg"))
    assert len(charts) == 2 * len(kpi_codes())
    for name in charts:
        assert f'src="assets/kpi/{name}"' in page
    assert "<script" not in (site / "assets" / "kpi" / charts[0]).read_text()
    assert "KPIs: 11 of 11 with a figure (2026-11-01 to 2026-11-30, dev)" in (site / "index.html").read_text()


def test_a_target_on_a_kpi_whose_app_is_missing_is_no_data_not_a_miss(tmp_path, monkeypatch):
    data = build({"base", "stock", "sale_stock", "account", "stock_account"})  # no purchase app
    monkeypatch.setattr(CONNECT, "connect", lambda target, **_: data.gw)
    monkeypatch.setenv("ODOOKIT_PASSWORD_DEV", "x")
    root = workspace(tmp_path, "kpis:\n  - {kpi: supplier_on_time_rate, target: 95}\n")
    result = run(root, "--check", "--json")
    assert result.exit_code == 0, result.output
    k = next(k for k in json.loads(result.stdout)["kpis"] if k["code"] == "supplier_on_time_rate")
    assert (k["status"], k["note"]) == ("unavailable", "purchase app not installed (purchase_stock)")
    assert k["targets"] == [{"warehouse": None, "target": 95.0, "direction": "at_least", "value": None, "status": "no data"}]
