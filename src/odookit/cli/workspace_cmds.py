"""init, targets and build: the workspace-level commands."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import complete_target, echo_json, json_option, workspace
from odookit.init import EXAMPLES


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--example", type=click.Choice(list(EXAMPLES)),
              help="Fill it with a shipped sample engagement: " + "; ".join(f"{k} ({v})" for k, v in EXAMPLES.items()) + ".")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (files of the same name are replaced).")
def init(path, example, force):
    """Create an engagement workspace at PATH."""
    from odookit.init import init_workspace

    root = init_workspace(path, example=example, force=force)
    click.echo(f"Created workspace {root}" + (f" from example '{example}'" if example else ""))
    if example:
        # An example is a whole engagement: its acceptance suite is generated from its blueprint
        # now, so that `odookit run` finds it complete (a skeleton has nothing to generate yet).
        from odookit.uat_scenarios.generate import generate
        from odookit.workspace import Workspace

        suite = generate(Workspace.find(root))
        files = sum(c.status != "removed-from-blueprint" for c in suite.changes)
        click.echo(f"Generated its acceptance suite from the blueprint: {suite.scenarios} scenario(s) in {files} "
                   f"feature file(s) in {suite.folder.relative_to(suite.folder.parent.parent)}"
                   + (f"; {len(suite.findings)} finding(s): see `odookit uat generate`" if suite.findings else ""))
    click.echo(f"Next: cd {path} && odookit build")


@click.group(cls=ReportingGroup)
def targets():
    """Odoo targets named in odookit.toml."""


@targets.command("list")
@json_option
def targets_list(as_json):
    """List the targets of the workspace."""
    ws = workspace()
    rows = [t.model_dump() for t in ws.config.targets.values()]
    if as_json:
        echo_json(rows)
        return
    for t in rows:
        flag = " [production]" if t["production"] else ""
        click.echo(f"{t['name']}: {t['url']} db={t['database']} login={t['login']} version={t['version'] or '?'}{flag}")


@targets.command("check")
@click.argument("name", shell_complete=complete_target)
@json_option
def targets_check(name, as_json):
    """Log in to target NAME and report the server version and installed apps."""
    from odookit.odoo.connect import connect

    ws = workspace()
    gateway = connect(ws.target(name))
    apps = sorted(
        r["name"]
        for r in gateway.search_read(
            "ir.module.module", [("state", "=", "installed"), ("application", "=", True)], ["name"]
        )
    )
    report = {
        "target": name,
        "url": gateway.url,
        "database": gateway.db,
        "login": gateway.login,
        "uid": gateway.uid,
        "version": gateway.info.version,
        "edition": gateway.info.edition,
        "apps": apps,
    }
    if as_json:
        echo_json(report)
        return
    click.echo(f"{name}: logged in to {gateway.url} db={gateway.db} as {gateway.login} (uid {gateway.uid})")
    click.echo(f"Odoo {gateway.info.version} {gateway.info.edition}")
    click.echo("Installed apps: " + (", ".join(apps) or "none"))


@click.command()
@click.option("--strict", is_flag=True, help="Exit non-zero when any stage reports a finding (for CI).")
@json_option
def build(strict, as_json):
    """Run every stage that needs no server and print where each output went."""
    from odookit.build import run_build

    ws = workspace()
    results = run_build(ws)
    if as_json:
        echo_json([r.as_dict() for r in results])
    else:
        for r in results:
            mark = {"ok": "ok", "findings": "findings", "failed": "FAILED", "skipped": "skipped"}[r.status]
            click.echo(f"[{mark}] {r.stage}: {r.summary}")
            for output in r.outputs:
                click.echo(f"    -> {output}")
            for line in r.details[:20]:
                click.echo(f"    {line}")
            if len(r.details) > 20:
                click.echo(f"    ... {len(r.details) - 20} more")
    failed = [r for r in results if r.status == "failed"]
    findings = [r for r in results if r.status == "findings"]
    if failed:
        raise click.ClickException(f"{len(failed)} stage(s) failed: {', '.join(r.stage for r in failed)}")
    if strict and findings:
        raise click.ClickException(
            f"--strict: {len(findings)} stage(s) reported findings: {', '.join(r.stage for r in findings)}"
        )
