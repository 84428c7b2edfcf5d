"""Options and helpers shared by the command modules."""

from __future__ import annotations

import functools
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
_json_flag = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")
JSON_PRINTED = "odookit.json_printed"


def json_option(func):
    """The --json flag; with it, a refused command still prints a JSON document on stdout.

    ``{"error": ..., "where": ..., "fix": ...}`` (and ``problems`` for several; an internal
    error too),
    then the usual one line on stderr and the same exit code, decided in
    ``odookit.cli``. A command that already printed its JSON prints no second one.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            ctx = click.get_current_context(silent=True)
            if kwargs.get("as_json") and not (ctx and ctx.meta.get(JSON_PRINTED)):
                echo_json(error_document(exc))
            raise

    return _json_flag(wrapper)


def error_document(exc) -> dict:
    """The JSON shape of an odookit error."""
    from odookit.errors import Problems, UserError

    if isinstance(exc, UserError):
        doc = {"error": exc.message, "where": exc.where, "fix": exc.fix, "line": exc.line()}
        if isinstance(exc, Problems):
            doc["problems"] = exc.lines()
        return doc
    from odookit.errors import OdookitError

    text = str(exc) if isinstance(exc, OdookitError) else f"internal error {exc.__class__.__name__}: {exc}"
    return {"error": text, "where": None, "fix": None if isinstance(exc, OdookitError) else "Rerun with --traceback and report it.",
            "line": text}


def workspace(ctx: click.Context | None = None):
    ctx = ctx or click.get_current_context()
    return ctx.find_root().obj.workspace


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[JSON_PRINTED] = True


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
