"""mkdocs hook: the reference pages are made from the code at build time.

A marker in a page is replaced by text generated from what it documents (the
click commands, the blueprint's JSON Schema, the UAT step library, the shipped
SoD rules), so the reference cannot drift from the code and nobody pastes
command output into docs/. Imports of odookit happen inside the generators:
mkdocs loads this file before it reads any page.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path

# Document this checkout's code, whichever odookit happens to be installed.
SRC = Path(__file__).resolve().parents[2] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


def md(text: str) -> str:
    """Text for a Markdown table cell: `<run>` would vanish as an HTML tag, `|` would split the cell.

    Code spans are left alone: Markdown shows their content literally.
    """
    parts = re.split(r"(`[^`]*`)", " ".join(str(text).split()))
    return "".join(
        part if part.startswith("`") else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for part in parts
    ).replace("|", "\\|")


# -- commands ---------------------------------------------------------------


def command_tree():
    """(path, command, context) for the root and every subcommand, depth first, in `--help` order."""
    import click

    from odookit.cli import cli

    def walk(cmd, ctx, path):
        yield path, cmd, ctx
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                yield from walk(sub, click.Context(sub, info_name=name, parent=ctx), [*path, name])

    yield from walk(cli, click.Context(cli, info_name="odookit"), ["odookit"])


def _param_row(param, ctx) -> str:
    import click

    if isinstance(param, click.Argument):
        name, text = f"`{param.human_readable_name}`", "Argument" + (" (several allowed)" if param.nargs == -1 else "")
    else:
        value = "" if param.is_flag or isinstance(param.type, click.Choice) else " " + param.make_metavar(ctx)
        *first, last = param.opts + param.secondary_opts
        name, text = ", ".join([*(f"`{o}`" for o in first), f"`{last}{value}`"]), md(param.help or "")
    if isinstance(param.type, click.Choice):
        text += " One of: " + ", ".join(f"`{c}`" for c in param.type.choices) + "."
    if param.required and isinstance(param, click.Option):
        text += " Required."
    default = param.default
    if isinstance(default, int | float | str) and not isinstance(default, bool) and default != "":
        text += f" Default: `{default}`."
    if getattr(param, "multiple", False) and "repeat" not in text:
        text += " Repeatable."
    return f"| {name} | {text.strip()} |"


def commands_reference() -> str:
    out = []
    for path, cmd, ctx in command_tree():
        out.append(f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`\n")
        out.append(f"```text\n{' '.join([*path, *cmd.collect_usage_pieces(ctx)])}\n```\n")
        out.append("\n\n".join(map(md, inspect.cleandoc(cmd.help or "").split("\n\n"))) + "\n")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            out += ["| Option / argument | What it does |", "| --- | --- |", *(_param_row(p, ctx) for p in params), ""]
    return "\n".join(out)


# -- blueprint --------------------------------------------------------------


def _branches(prop: dict) -> list[dict]:
    """The non-null alternatives of a property (an optional value is anyOf [X, null])."""
    return [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]


def _ref(prop: dict) -> str | None:
    """The model a property holds (directly or as list items), if it holds one."""
    for branch in _branches(prop):
        ref = branch.get("$ref") or branch.get("items", {}).get("$ref")
        if ref:
            return ref.rsplit("/", 1)[-1]
    return None


SCALARS = {"number": "number", "integer": "integer", "string": "text", "boolean": "true / false"}


def _type(prop: dict, path: str) -> str:
    names = []
    for branch in _branches(prop):
        if "enum" in branch:
            names.append(" / ".join(f"`{json.dumps(v)}`" if not isinstance(v, str) else f"`{v}`" for v in branch["enum"]))
        elif "$ref" in branch:
            names.append(f"mapping ([`{path}`](#{_anchor(path)}))")
        elif branch.get("type") == "array":
            item = branch["items"]
            names.append(f"list of mappings ([`{path}[]`](#{_anchor(path + '[]')}))" if "$ref" in item else f"list of {SCALARS.get(item.get('type'), 'values')}")
        else:
            names.append(SCALARS.get(branch.get("type"), "value"))
    optional = len(_branches(prop)) < len(prop.get("anyOf", [prop]))
    return " or ".join(names) + (", or empty" if optional else "")


def _constraints(prop: dict) -> str:
    found = []
    for branch in _branches(prop):
        for scope, what in ((branch, ""), (branch.get("items", {}), "each ")):
            for key, label in (("pattern", "matches"), ("minLength", "at least {} characters"), ("maxLength", "at most {} characters"),
                               ("minimum", ">= {}"), ("maximum", "<= {}"), ("minItems", "at least {} item(s)")):
                if key in scope and not (key == "minItems" and what):
                    found.append(what + (f"matches `{scope[key]}`" if key == "pattern" else label.format(scope[key])))
    return "; ".join(found)


def _default(model, field: str, required: bool) -> str:
    if required:
        return "required"
    value = model.model_fields[field].get_default(call_default_factory=True)
    if hasattr(value, "model_dump"):
        return "see below"
    if isinstance(value, list) and value and hasattr(value[0], "model_dump"):
        value = [v.model_dump() for v in value]
    if value in (None, []):
        return "none"
    return f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value)}`"


def _anchor(path: str) -> str:
    return "bp-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def blueprint_reference() -> str:
    from odookit.blueprints import schema as module
    from odookit.blueprints.schema import Blueprint

    root = Blueprint.model_json_schema()
    defs = root["$defs"]
    out: list[str] = []

    def section(path: str, name: str, node: dict) -> None:
        model = getattr(module, name)
        title = f"`{path}`" if path else "Top level"
        out.append(f"## {title} {{#{_anchor(path) if path else 'bp-top-level'}}}\n")
        if node.get("description"):
            out.append(md(node["description"]) + "\n")
        out.extend(["| Field | Type | Default | Constraints | Description |", "| --- | --- | --- | --- | --- |"])
        nested = []
        for field, prop in node["properties"].items():
            sub = f"{path}.{field}" if path else field
            out.append(f"| `{field}` | {_type(prop, sub)} | {_default(model, field, field in node.get('required', []))} "
                       f"| {_constraints(prop)} | {md(prop.get('description', ''))} |")
            ref = _ref(prop)
            if ref:
                is_list = any(b.get("type") == "array" for b in _branches(prop))
                nested.append((sub + ("[]" if is_list else ""), ref))
        out.append("")
        for sub, ref in nested:
            section(sub, ref, defs[ref])

    section("", "Blueprint", root)
    return "\n".join(out)


# -- UAT and SoD ------------------------------------------------------------


def uat_steps() -> str:
    from odookit.uat_scenarios.library import vocabulary_markdown

    return vocabulary_markdown()


def sod_rules() -> str:
    from odookit.governance.policy import shipped_rules

    rules = shipped_rules()
    out = ["| Code | Severity | Title |", "| --- | --- | --- |"]
    out += [f"| [`{r.code}`](#{r.code.lower()}) | {r.severity} | {md(r.title)} |" for r in rules]
    for r in rules:
        out += [
            "",
            f"## `{r.code}` {{#{r.code.lower()}}}",
            "",
            f"**{md(r.title)}**. Severity: **{r.severity}**.",
            "",
            "| Duty | Held through any of these Odoo groups |",
            "| --- | --- |",
            *(f"| {md(d.name)} | {', '.join(f'`{g}`' for g in d.groups)} |" for d in (r.duty_a, r.duty_b)),
            "",
            f"*Why:* {md(r.rationale)}",
            "",
            f"*Mitigation:* {md(r.mitigation) if r.mitigation else 'none given'}",
        ]
    return "\n".join(out) + "\n"


MARKERS = {
    "<!-- odookit:commands -->": commands_reference,
    "<!-- odookit:blueprint-schema -->": blueprint_reference,
    "<!-- odookit:uat-steps -->": uat_steps,
    "<!-- odookit:sod-rules -->": sod_rules,
}


def on_page_markdown(markdown, page, **kwargs):
    for marker, generate in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, generate())
    return markdown
