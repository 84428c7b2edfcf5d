"""Shared fixtures: small workspaces built inline, the in-memory gateway, and a real Odoo when configured."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ODOO_VARS = ("ODOO_URL", "ODOO_DB", "ODOO_USER")
# the secret: a password for Odoo 16-18, an API key for 19 and later (either for 19)
ODOO_SECRETS = ("ODOO_PASSWORD", "ODOO_API_KEY")
SKIP_REASON = (
    "integration test: set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD (Odoo 18) or ODOO_API_KEY (Odoo 19) "
    "to run it against a real Odoo"
)


@pytest.fixture
def example_ws(tmp_path) -> Path:
    """A fresh copy of the sample engagement."""
    from odookit.init import init_workspace

    return init_workspace(tmp_path / "ws", example="regional-distributor")


@pytest.fixture
def memory():
    from odookit.odoo.memory import MemoryGateway

    return MemoryGateway()


def odoo_settings() -> dict[str, str] | None:
    values = {k: os.environ.get(k, "") for k in (*ODOO_VARS, *ODOO_SECRETS)}
    return values if all(values[k] for k in ODOO_VARS) and any(values[k] for k in ODOO_SECRETS) else None


@pytest.fixture
def odoo_target(tmp_path):
    """A workspace target pointing at the real Odoo named by ODOO_URL/ODOO_DB/ODOO_USER and
    ODOO_PASSWORD or ODOO_API_KEY, with the version the server runs.

    Yields (workspace_path, target_name). The secret goes to the environment,
    never to the file.
    """
    settings = odoo_settings()
    if settings is None:
        pytest.skip(SKIP_REASON)
    from odookit.init import init_workspace
    from odookit.odoo.connect import major_of, probe_version

    major = major_of(probe_version(settings["ODOO_URL"]))

    root = init_workspace(tmp_path / "ws", example="regional-distributor")
    config = (root / "odookit.toml").read_text()
    config = config.replace('url = "http://127.0.0.1:8069"', f'url = "{settings["ODOO_URL"]}"', 1)
    config = config.replace('database = "odookit_test"', f'database = "{settings["ODOO_DB"]}"', 1)
    config = config.replace('login = "admin"', f'login = "{settings["ODOO_USER"]}"', 1)
    config = config.replace('version = "18.0"', f'version = "{major}.0"', 1)
    (root / "odookit.toml").write_text(config)
    secrets = {"ODOOKIT_PASSWORD_DEV": settings["ODOO_PASSWORD"], "ODOOKIT_API_KEY_DEV": settings["ODOO_API_KEY"]}
    for var, value in secrets.items():
        if value:
            os.environ[var] = value
    yield root, "dev"
    for var in secrets:
        os.environ.pop(var, None)



@pytest.fixture
def applied_odoo(odoo_target):
    """The sample's blueprint applied on the real Odoo: (workspace_path, target_name, gateway)."""
    from click.testing import CliRunner

    from odookit.cli import cli
    from odookit.odoo.connect import connect
    from odookit.workspace import Workspace

    root, target = odoo_target
    applied = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "apply", "-t", target])
    assert applied.exit_code == 0, applied.output
    return root, target, connect(Workspace.find(root).target(target))


def _make_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per key; the first row of each is the header."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def book():
    return _make_book


# -- an in-memory Odoo holding what the sample blueprint refers to (generic ORM only) ----------

def odoo_like(state):
    """A memory gateway holding the other modules' records the blueprint refers to."""
    from odookit.blueprints.desired import referenced_xmlids
    from odookit.odoo.memory import MemoryGateway

    gw = MemoryGateway(
        modules=set(state.modules) | {"base"},
        relations={"account.payment.term.line_ids": "account.payment.term.line", "product.pricelist.item_ids": "product.pricelist.item"},
    )
    for model in sorted({r.model for r in state.records}):
        gw.seed("ir.model", {"model": model, "name": model})
    wanted = set()
    for rec in state.records:
        wanted |= referenced_xmlids(rec.values)
        if not rec.xmlid.startswith(state.module + "."):
            wanted.add(rec.xmlid)
        if rec.adopt and "/" not in rec.adopt:
            wanted.add(rec.adopt)
    models = {r.xmlid: r.model for r in state.records}
    models |= {r.adopt: r.model for r in state.records if r.adopt and "/" not in r.adopt}
    for xmlid in sorted(wanted):
        if xmlid.startswith(state.module + "."):
            continue
        model = models.get(xmlid) or ("res.company" if xmlid == "base.main_company" else "ir.model.fields" if ".field_" in xmlid else "res.groups")
        gw.seed(model, {"name": xmlid}, xmlid=xmlid)
    return gw


def without_odoo_made_records(state):
    """Drop the records Odoo itself creates with a warehouse (locations, operation
    types), and the charts of accounts with what names their taxes (default taxes,
    fiscal positions): the in-memory gateway has no business logic to create them."""
    from odookit.blueprints.localization import names_chart_records

    from odookit.blueprints.desired import referenced_xmlids

    # and what sits directly in a warehouse's view location (a quarantine location)
    made = {r.xmlid for r in state.records if r.adopt and r.adopt.endswith("/view_location_id")}
    state.records = [r for r in state.records if not (r.adopt and "/" in r.adopt) and not names_chart_records(r)
                     and not referenced_xmlids(r.values) & made]
    state.charts = {}
    return state
