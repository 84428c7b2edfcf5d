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

    from odookit.blueprints.enterprise import refuse_enterprise_apps

    ws = workspace()
    try:
        bp, smap = load_blueprint(ws.blueprints, root=ws.root)
        for name, target in sorted(ws.config.targets.items()):
            if target.edition:  # declared in odookit.toml; plan reads it from the server
                refuse_enterprise_apps(bp, smap, target.edition, name)
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


@blueprint.command()
@click.argument("code", required=False)
@click.option("--odoo-version", default="18.0", show_default=True, help="Odoo version whose charts to list.")
@click.option("--country", help="Only the charts of this ISO country code, e.g. NL.")
@json_option
def charts(code, odoo_version, country, as_json):
    """List the chart templates companies[].localization may name, or one chart's taxes."""
    from odookit.blueprints import localization
    from odookit.blueprints.loader import suggest
    from odookit.errors import BlueprintError
    from odookit.odoo.connect import major_of

    major = major_of(odoo_version)
    table = localization.charts(major)
    if code:
        if code not in table:
            raise BlueprintError(f"unknown chart template '{code}'{suggest(code, localization.loadable(major))}",
                                 fix="Run `odookit blueprint charts` to list them.")
        taxes = localization.chart_taxes(code, major)
        if as_json:
            echo_json({"code": code, **{k: v for k, v in table[code].items() if k != "taxes"}, "taxes": taxes})
            return
        facts = table[code]
        click.echo(f"{code}: module {facts['module']}, country {facts.get('country') or '-'}"
                   f", default taxes {facts.get('sale_tax') or '-'} / {facts.get('purchase_tax') or '-'}")
        archived = localization.archived_taxes(code, major)
        for tax, use in sorted(taxes.items(), key=lambda t: (t[1], t[0])):
            rate = localization.tax_rate(code, tax, major)
            click.echo(f"  {use:9} {tax}" + (f"  {rate:g}%" if rate is not None else "") + ("  (archived)" if tax in archived else ""))
        return
    rows = [(c, table[c]) for c in localization.loadable(major) if not country or table[c].get("country") == country.upper()]
    if as_json:
        echo_json([{"code": c, "module": f["module"], "country": f.get("country")} for c, f in rows])
        return
    for c, facts in rows:
        click.echo(f"{c:24} {facts.get('country') or '--'}  {facts['module']}")


SIGNS = {"install": ("+", "green"), "load_chart": ("+", "green"), "create": ("+", "green"), "adopt": ("=", "cyan"), "update": ("~", "yellow")}


def print_plan(plan, con) -> None:
    """A reviewable diff: one block per record, one line per field."""
    from rich.markup import escape

    con.print(f"Plan for target [bold]{plan.target}[/] ({plan.url} db={plan.database}, Odoo {plan.odoo_version})")
    for op in plan.changes:
        sign, colour = SIGNS[op.action]
        if op.action == "install":
            con.print(f"[{colour}]{sign} install apps[/] {', '.join(op.modules)}")
            continue
        extra = f" (adopting {op.adopt})" if op.action == "adopt" and op.adopt else f" (as {op.company})" if op.company else ""
        con.print(f"[{colour}]{sign} {op.action}[/] {op.model} [bold]{op.xmlid}[/]{escape(extra)}")
        for field, change in op.changes.items():
            if op.action == "create":
                con.print(f"      {field} = {escape(_short(change.after))}")
            else:
                con.print(f"      {field}: {escape(_short(change.before))} -> {escape(_short(change.after))}")
    counts = plan.counts()
    con.print(
        f"{counts['install']} app install(s), {counts['load_chart']} chart(s) to load, {counts['create']} to create, {counts['adopt']} to adopt, "
        f"{counts['update']} to update, {counts['noop']} already right."
    )


def _short(value, width: int = 90) -> str:
    import json

    if value is None:
        return "(none)"
    if isinstance(value, str) and "\n" in value:
        return f"<{value.count(chr(10)) + 1} lines>"
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


@blueprint.command()
@target_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Save the plan as JSON (to apply it later with --plan).")
@click.option("--check", is_flag=True, help="Exit 1 when the plan is not empty (drift check for CI).")
@json_option
def plan(target_name, out, check, as_json):
    """Compare the blueprint with the target's database and print the diff."""
    from odookit.blueprints.workflow import make_plan
    from odookit.cli.common import console

    ws = workspace()
    result = make_plan(ws, target_name)
    if out:
        result.save(out)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        print_plan(result, console())
        if out:
            click.echo(f"Plan saved to {out}")
    if check and not result.empty:
        raise click.ClickException(f"drift: {len(result.changes)} change(s) pending on target '{target_name}'")


@blueprint.command()
@target_option
@click.option("--plan", "plan_path", type=click.Path(path_type=Path, dir_okay=False), help="Apply this saved plan (refused if the database drifted since).")
@click.option("--yes", is_flag=True, help="Confirm applying to a target marked production.")
@json_option
def apply(target_name, plan_path, yes, as_json):
    """Apply the blueprint (or a saved plan) to the target, logging every change."""
    from odookit.blueprints.workflow import apply_blueprint
    from odookit.cli.common import console, progress

    ws = workspace()
    bar = progress()
    task = {}

    def on_start(p):
        bar.start()
        task["id"] = bar.add_task("applying", total=len(p.operations))

    def on_step(op):
        bar.update(task["id"], advance=1, description=f"{op.action} {op.xmlid or 'apps'}")

    try:
        plan_, done = apply_blueprint(ws, target_name, plan_path=plan_path, yes=yes, on_start=on_start, on_step=on_step)
    finally:
        bar.stop()
    if as_json:
        echo_json({"applied": [op.model_dump() for op in done], "counts": plan_.counts()})
        return
    con = console()
    if not done:
        con.print(f"Nothing to do: target '{target_name}' already matches the blueprint.")
        return
    for op in done:
        where = f" as {op.company}" if op.company else ""
        con.print(f"{op.action:7} {op.xmlid or ', '.join(op.modules)}{where}" + (f" ({', '.join(op.changes)})" if op.changes else ""))
    con.print(f"Applied {len(done)} change(s); logged to {ws.state / 'changelog.jsonl'}")


@blueprint.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder to write the module into.")
@click.option("--odoo-version", default="18.0", show_default=True, help="Odoo version the module is for (field names differ).")
def export(out, odoo_version):
    """Write the blueprint as an installable Odoo data module."""
    from odookit.blueprints.export import export_module
    from odookit.blueprints.workflow import desired_state
    from odookit.odoo.connect import major_of

    ws = workspace()
    path = export_module(desired_state(ws, major_of(odoo_version)), out, odoo_version)
    click.echo(f"Module {path.name} written to {path}")
    click.echo(f"Install it with: odoo -d DB -i {path.name} --addons-path=...,{path.parent}")
