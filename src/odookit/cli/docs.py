"""odookit docs ...: build, serve."""

from __future__ import annotations

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import echo_json, json_option, workspace


@click.group(cls=ReportingGroup)
def docs():
    """Build or serve the engagement's SOP site (mkdocs-material)."""


@docs.command()
@json_option
def build(as_json):
    """Generate docs/ from the workspace and run `mkdocs build --strict` into docs/site."""
    from odookit.docs.site import build_site

    result = build_site(workspace())
    if as_json:
        echo_json({"config": str(result.config), "site": str(result.site), "pages": result.pages,
                   "sops": result.sops, "diagrams": result.diagrams})
    else:
        click.echo(result.summary())


@docs.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--no-build", is_flag=True, help="Serve the last built site without rebuilding.")
def serve(port, no_build):
    """Serve the built site on http://127.0.0.1:PORT for review (loopback only)."""
    from odookit.docs.site import serve as serve_site

    serve_site(workspace(), port=port, build=not no_build)
