"""The ``odookit`` command: a thin click layer over the library.

Each subcommand group lives in its own module and is imported only when it
is invoked, so ``odookit --help`` stays instant. Library errors become one
line on stderr and an exit code here, and only here.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

import click

from odookit import __version__

# name -> (module, attribute, short help). Help text is here so that the root
# --help does not import the subcommand modules.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("odookit.cli.workspace_cmds", "init", "Create an engagement workspace (optionally the sample engagement)."),
    "build": ("odookit.cli.workspace_cmds", "build", "Run every stage that needs no server and report what each found."),
    "targets": ("odookit.cli.workspace_cmds", "targets", "Odoo targets of the workspace: list them, check a login."),
    "blueprint": ("odookit.cli.blueprint", "blueprint", "Blueprint -> Odoo configuration: validate, plan, apply, export."),
    "migrate": ("odookit.cli.migrate", "migrate", "Master data migration: templates, validate, load, reconcile."),
    "uat": ("odookit.cli.uat", "uat", "UAT: run Gherkin scenarios against Odoo and produce sign-off evidence."),
    "governance": ("odookit.cli.governance", "governance", "Role matrix, segregation of duties, live user audit."),
    "docs": ("odookit.cli.docs", "docs", "Build or serve the engagement's SOP site (mkdocs-material)."),
    "run": ("odookit.cli.run", "run", "Run the whole engagement on a target: apply, load, UAT, audit, docs."),
    "kpi": ("odookit.cli.kpi", "kpi", "Live KPIs from a target's Odoo, held to the blueprint's targets."),
}


class Context:
    """What every command gets: the workspace (found lazily) and output options."""

    def __init__(self, workspace: Path | None, traceback: bool):
        self.workspace_path = workspace
        self.traceback = traceback
        self._workspace = None

    @property
    def workspace(self):
        if self._workspace is None:
            from odookit.workspace import Workspace

            self._workspace = Workspace.find(self.workspace_path)
        return self._workspace


class Notices(logging.Handler):
    """What the library says on the ``odookit`` logger while it works (a retry, ...), one line each on stderr.

    stderr is looked up at each line, so that a progress bar that redirects it keeps the line above the bar.
    """

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def show_notices() -> None:
    logger = logging.getLogger("odookit")
    if not any(isinstance(h, Notices) for h in logger.handlers):
        logger.addHandler(Notices(logging.INFO))
        logger.setLevel(logging.INFO)


class UserFacing(click.ClickException):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def report_errors(func):
    """Run ``func`` turning odookit errors into one-line messages and exit codes."""
    from odookit.errors import OdookitError, Problems, UserError

    ctx = click.get_current_context(silent=True)

    def wants_traceback() -> bool:
        # Read when the error happens: the root's options are parsed only once ``func`` runs.
        root = ctx.find_root() if ctx else None
        return bool(root and root.obj and root.obj.traceback)

    try:
        return func()
    except Problems as exc:
        if wants_traceback():
            raise
        for line in exc.lines():
            click.echo(line, err=True)
        raise UserFacing(exc.message, exc.exit_code) from None
    except UserError as exc:
        if wants_traceback():
            raise
        raise UserFacing(exc.line(), exc.exit_code) from None
    except OdookitError as exc:
        if wants_traceback():
            raise
        raise UserFacing(str(exc), exc.exit_code) from None
    except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # the reader went away (`odookit blueprint schema | head`): stop quietly with
        # rich's exit code for the same case, and no second error when Python flushes stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise click.exceptions.Exit(1) from None
    except Exception as exc:
        if wants_traceback():
            raise
        raise UserFacing(
            f"internal error {exc.__class__.__name__}: {exc}. Rerun with --traceback and report it.", 3
        ) from None


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use, and whose errors are reported as one line."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name):
        if name in self.lazy:
            module, attr, _ = self.lazy[name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = [(name, self.lazy[name][2]) for name in sorted(self.lazy)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        return report_errors(lambda: super(LazyGroup, self).invoke(ctx))


class ReportingGroup(click.Group):
    """Subcommand groups: same one-line error reporting as the root."""

    def invoke(self, ctx):
        return report_errors(lambda: super(ReportingGroup, self).invoke(ctx))


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="odookit")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="ODOOKIT_WORKSPACE",
    help="Engagement workspace (default: the nearest folder at or above the current one with an odookit.toml).",
)
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error (for bug reports).")
@click.pass_context
def cli(ctx, workspace, traceback):
    """odookit: blueprint-driven Odoo configuration, data migration, UAT and governance.

    Shell completion: add `eval "$(_ODOOKIT_COMPLETE=bash_source odookit)"` to ~/.bashrc
    (zsh: zsh_source, fish: fish_source).
    """
    ctx.obj = Context(workspace, traceback)
    show_notices()


def main() -> None:
    cli(prog_name="odookit")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
