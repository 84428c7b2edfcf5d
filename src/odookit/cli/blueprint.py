"""odookit blueprint ...: validate, schema, plan, apply, export."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import echo_json, json_option, target_option, workspace


@click.group(cls=ReportingGroup)
def blueprint():
    """Blueprint -> Odoo configuration."""


@blueprint.command()
@json_option
def validate(as_json):
    """Check the blueprint and report every problem as file:line:col: message."""
    from odookit.blueprints.loader import load_blueprint
    from odookit.errors import Problems

    ws = workspace()
    try:
        bp, _ = load_blueprint(ws.blueprints, root=ws.root)
    except Problems as exc:
        if as_json:
            echo_json({"valid": False, "problems": exc.lines()})
            raise SystemExit(exc.exit_code) from None
        raise
    counts = {
        "companies": len(bp.companies),
        "warehouses": len(bp.warehouses),
        "product_categories": len(bp.product_categories),
        "pricelists": len(bp.pricelists),
        "roles": len(bp.roles),
    }
    if as_json:
        echo_json({"valid": True, "counts": counts})
    else:
        click.echo("Blueprint is valid: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


@blueprint.command()
def schema():
    """Print the blueprint's JSON Schema (point your editor's YAML plugin at it)."""
    from odookit.blueprints.schema import Blueprint

    echo_json(Blueprint.model_json_schema())
