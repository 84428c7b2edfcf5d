"""odookit governance ...: check, matrix, rules, audit."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import console, echo_json, json_option, target_option, workspace


@click.group(cls=ReportingGroup)
def governance():
    """Role matrix, segregation of duties, live user audit."""


@governance.command()
@json_option
def check(as_json):
    """Find SoD conflicts in the blueprint's roles; exit 1 when an error-level conflict remains."""
    from odookit.governance.check import run_check

    result = run_check(workspace())
    if as_json:
        echo_json(result.as_dict())
    else:
        for conflict in result.conflicts:
            click.echo(conflict.line())
        click.echo(result.summary())
    if result.errors:
        raise SystemExit(1)


@governance.command()
@json_option
def matrix(as_json):
    """Show the role matrix (roles x groups) and the RACI (roles x processes)."""
    from rich.table import Table

    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.governance.matrix import role_matrix
    from odookit.governance.policy import load_policy

    ws = workspace()
    bp = load_workspace_blueprint(ws)
    m = role_matrix(bp, load_policy(ws, role_codes=[r.code for r in bp.roles]))
    if as_json:
        echo_json(m.as_dict())
        return
    con = console()
    for role in m.roles:
        cells = m.cells[role.code]
        direct = [c.xmlid for c in m.columns if cells.get(c.xmlid) == "direct"]
        implied = [c.xmlid for c in m.columns if cells.get(c.xmlid) == "implied"]
        con.print(f"[bold]{role.name}[/bold] ({role.code}): {', '.join(direct)}" + (f"; implied: {', '.join(implied)}" if implied else ""))
    raci = Table("Process", *[r.code for r in m.roles], title="RACI")
    for process in m.processes:
        raci.add_row(process.name, *[m.raci[process.code][r.code] for r in m.roles])
    con.print(raci)
    for note in m.notes:
        con.print(f"note: {note}")


@governance.command()
@json_option
def rules(as_json):
    """List the SoD rules in force (shipped plus governance/*.yaml)."""
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.governance.policy import load_policy

    ws = workspace()
    bp = load_workspace_blueprint(ws)
    policy = load_policy(ws, role_codes=[r.code for r in bp.roles])
    if as_json:
        echo_json([r.model_dump() for r in policy.rules])
        return
    for rule in policy.rules:
        click.echo(f"{rule.code} [{rule.severity}] {rule.title}")


@governance.command()
@target_option
@json_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Workbook to write (default .odookit/reports/governance-audit-TARGET.xlsx).")
def audit(target_name, as_json, output):
    """Audit the live users of a target: SoD conflicts, administrators, rights beyond role, unused accounts."""
    from odookit.governance.report import audit_target

    ws = workspace()
    result, book, page = audit_target(ws, target_name, output)
    if as_json:
        data = result.as_dict()
        data["workbook"] = str(book)
        data["page"] = str(page)
        echo_json(data)
        return
    for user in result.users:
        if user.flags:
            click.echo(f"{user.login}: {', '.join(user.flags)}")
            for conflict in user.conflicts:
                click.echo(f"  {conflict.line()}")
    click.echo(result.summary())
    click.echo(f"workbook: {book}")
    click.echo(f"page: {page}")
