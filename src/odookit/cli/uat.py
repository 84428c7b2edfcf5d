"""odookit uat ...: run scenarios against a target, list the step vocabulary, check features."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import console, echo_json, json_option, target_option, workspace


@click.group(cls=ReportingGroup)
def uat():
    """UAT: Gherkin scenarios run against Odoo, with sign-off evidence."""


@uat.command()
@target_option
@click.option("--tags", help='Tag expression selecting scenarios, e.g. "credit and not slow".')
@click.option("--feature", "features", multiple=True, type=click.Path(path_type=Path), help="Run only this feature file or folder (repeatable).")
@click.option("--allow-production", is_flag=True, help="Allow a run on a target marked production.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Report folder (default .odookit/uat_reports/<run>).")
@json_option
def run(target_name, tags, features, allow_production, out, as_json):
    """Run the workspace's scenarios (uat_scenarios/, generated/ included) against TARGET and write the sign-off reports."""
    from odookit.uat_scenarios.runner import run_uat

    err = console(stderr=True)
    marks = {"passed": "[green]passed[/]", "failed": "[red]FAILED[/]", "not run": "[yellow]not run[/]", "skipped": "[dim]skipped[/]"}

    from rich.markup import escape

    def done(result):
        err.print(f"{marks[result.status]}  {escape(result.feature)}: {escape(result.title)}")

    result, paths = run_uat(
        workspace(), target_name, tags=tags, features=list(features) or None,
        allow_production=allow_production, out=out, on_done=done,
    )
    if as_json:
        echo_json({"run": result.run, "ok": result.ok, "counts": result.counts(), "aborted": result.aborted,
                   "reports": {k: str(v) for k, v in paths.items()},
                   "scenarios": [{"feature": s.feature, "scenario": s.title, "status": s.status, "reason": s.reason} for s in result.scenarios]})
    else:
        out_ = console()
        for s in result.scenarios:
            if s.status in ("failed", "not run"):
                out_.print(f"{marks[s.status]}  {escape(s.feature)}: {escape(s.title)}\n    {escape(s.reason)}")
        c = result.counts()
        out_.print(f"Run {result.run}: {c['passed']} passed, {c['failed']} failed, {c['not run']} not run, {c['skipped']} skipped")
        if result.aborted:
            out_.print(f"Run stopped: {escape(result.aborted)}")
        out_.print(f"Sign-off report: {paths['html']}\nSign-off sheet:  {paths['xlsx']}\nCucumber JSON:   {paths['cucumber']}\nJUnit XML:       {paths['junit']}")
    if not result.ok:
        raise SystemExit(1)


@uat.command()
@click.option("--force", is_flag=True, help="Overwrite generated files you edited (they are kept otherwise).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the generated suite is out of date with the blueprint (for CI).")
@json_option
def generate(force, check, as_json):
    """Write the client's acceptance suite from the blueprint into uat_scenarios/generated/."""
    from odookit.uat_scenarios.generate import generate as generate_suite

    result = generate_suite(workspace(), force=force, check=check)
    if as_json:
        echo_json(result.as_dict())
    else:
        for change in result.changes:
            click.echo(change.line())
        for finding in result.findings:
            click.echo(f"finding: {finding.line()}")
        files = sum(c.status != "removed-from-blueprint" for c in result.changes)
        verb = "would be" if check else "are"
        click.echo(f"{result.scenarios} scenario(s) in {files} feature file(s) {verb} in {result.folder}; "
                   f"{len(result.findings)} finding(s)")
        if check and result.out_of_date:
            click.echo(f"out of date: {', '.join(c.file for c in result.out_of_date)}: run `odookit uat generate`")
    if check and result.out_of_date:
        raise SystemExit(1)


@uat.command()
@json_option
@click.option("--markdown", is_flag=True, help="Print the vocabulary as a Markdown page instead of a table.")
def steps(as_json, markdown):
    """List the step vocabulary, with an example of each step."""
    from odookit.uat_scenarios.library import vocabulary, vocabulary_markdown

    if as_json:
        echo_json(vocabulary())
        return
    if markdown:
        click.echo(vocabulary_markdown())
        return
    from rich.markup import escape

    out = console()
    out.print("<value> is yours, [words] may be left out, this/that and (this | that) mean one of them.", markup=False, highlight=False)
    area = None
    for v in vocabulary():
        if v["area"] != area:
            area = v["area"]
            out.print(f"\n[bold]{area.capitalize()}[/]")
        out.print(f"  {v['example']}", highlight=False, markup=False)
        if v["step"] != v["example"]:
            out.print(f"      [dim]form: {escape(v['step'])}[/]", highlight=False)
        out.print(f"      [dim]{escape(v['doc'])}[/]", highlight=False)


@uat.command()
@click.option("--feature", "features", multiple=True, type=click.Path(path_type=Path), help="Check only this feature file or folder.")
@json_option
def check(features, as_json):
    """Parse the features and check every step is defined (no server)."""
    from odookit.errors import Problems, UatError
    from odookit.uat_scenarios.features import feature_files, plan

    ws = workspace()
    files = feature_files(None, list(features)) if features else feature_files(ws)
    planned = plan(files)
    problems = list(dict.fromkeys(p for item in planned for p in item.problems))
    if as_json:
        echo_json({"scenarios": len(planned), "files": len(files), "problems": problems})
    elif not problems:
        click.echo(f"{len(planned)} scenario(s) in {len(files)} feature file(s): every step is defined")
    if problems:
        raise Problems([UatError(p) for p in problems], f"{len(problems)} undefined or ambiguous step(s)")
