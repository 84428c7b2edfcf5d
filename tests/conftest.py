"""Shared fixtures: small workspaces built inline, the in-memory gateway, and a real Odoo when configured."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ODOO_VARS = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")


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
    values = {k: os.environ.get(k, "") for k in ODOO_VARS}
    return values if all(values.values()) else None


@pytest.fixture
def odoo_target(tmp_path):
    """A workspace target pointing at the real Odoo named by ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD.

    Yields (workspace_path, target_name). The password goes to the environment,
    never to the file.
    """
    settings = odoo_settings()
    if settings is None:
        pytest.skip("integration test: set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to run it against a real Odoo")
    from odookit.init import init_workspace

    root = init_workspace(tmp_path / "ws", example="regional-distributor")
    config = (root / "odookit.toml").read_text()
    config = config.replace('url = "http://127.0.0.1:8069"', f'url = "{settings["ODOO_URL"]}"', 1)
    config = config.replace('database = "odookit_test"', f'database = "{settings["ODOO_DB"]}"', 1)
    config = config.replace('login = "admin"', f'login = "{settings["ODOO_USER"]}"', 1)
    (root / "odookit.toml").write_text(config)
    os.environ["ODOOKIT_PASSWORD_DEV"] = settings["ODOO_PASSWORD"]
    yield root, "dev"
    os.environ.pop("ODOOKIT_PASSWORD_DEV", None)

