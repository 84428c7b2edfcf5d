"""Options and helpers shared by the command modules."""

from __future__ import annotations

import json
import sys

import click

def complete_target(ctx: click.Context, param, incomplete: str) -> list[str]:
    """Target names of the workspace, for shell completion (which never runs the root callback)."""
    from odookit.errors import UserError
    from odookit.workspace import Workspace

    try:
        ws = Workspace.find(ctx.find_root().params.get("workspace"))
    except UserError:
        return []
    return [name for name in sorted(ws.config.targets) if name.startswith(incomplete)]


target_option = click.option(
    "-t", "--target", "target_name", required=True, shell_complete=complete_target,
    help="Target name from odookit.toml, e.g. dev.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")


def workspace(ctx: click.Context | None = None):
    ctx = ctx or click.get_current_context()
    return ctx.find_root().obj.workspace


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def console(stderr: bool = False):
    """A rich console; progress and tables go to stderr when stdout carries JSON."""
    from rich.console import Console

    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=True)


def progress(console_=None):
    """A rich progress bar that disappears when output is not a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    con = console_ or console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=con,
        transient=not con.is_terminal,
        disable=not con.is_terminal,
    )
