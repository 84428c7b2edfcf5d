"""mkdocs hook: the command reference is generated from the click commands at build time,
so it cannot drift from the code (the marker in commands.md is replaced)."""

from __future__ import annotations

import importlib

MARKER = "<!-- odookit:commands -->"


def _usage(cmd, path: list[str], ctx) -> list[str]:
    import click

    lines = [f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`\n"]
    help_text = (cmd.help or "").strip().split("\n\n")[0].replace("\n", " ")
    if help_text:
        lines.append(help_text + "\n")
    params = [p for p in cmd.params if isinstance(p, click.Option | click.Argument) and p.name != "help"]
    if params:
        lines.append("| Option / argument | Help |\n| --- | --- |")
        for p in params:
            name = ", ".join(f"`{o}`" for o in getattr(p, "opts", [])) or f"`{p.name.upper()}`"
            lines.append(f"| {name} | {(getattr(p, 'help', '') or '').replace('|', '/')} |")
        lines.append("")
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None:
                lines += _usage(sub, [*path, name], ctx)
    return lines


def reference() -> str:
    import click

    from odookit.cli import COMMANDS, cli

    ctx = click.Context(cli)
    out = _usage(cli, ["odookit"], ctx)[:2]
    for name, (module, attr, short) in sorted(COMMANDS.items()):
        try:
            cmd = getattr(importlib.import_module(module), attr)
        except ImportError:
            out.append(f"## `odookit {name}`\n\n{short} *(not available in this version)*\n")
            continue
        out += _usage(cmd, ["odookit", name], ctx)
    return "\n".join(out) + "\n"


def on_page_markdown(markdown, page, **kwargs):
    if MARKER in markdown:
        return markdown.replace(MARKER, reference())
    return markdown
