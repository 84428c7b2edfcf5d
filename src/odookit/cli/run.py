"""``odookit run``: the engagement chain against one target. Thin: options in, one library call, report out."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli.common import echo_json, json_option, target_option, workspace

STAGE_HELP = "blueprint, migration, uat, governance, docs"


@click.command()
@target_option
@click.option("--stage", "stages", multiple=True, metavar="STAGE",
              help=f"Run only this stage (repeatable; always in chain order): {STAGE_HELP}.")
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help="Migration workbook file or folder (default: the .xlsx files at the top of migration/).")
@click.option("--plan", "plan_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Apply this saved, reviewed plan (required with --yes on a production target).")
@click.option("--yes", is_flag=True, help="Confirm apply and load on a target marked production.")
@click.option("--allow-production", is_flag=True, help="Allow the UAT run on a target marked production.")
@click.option("--strict", is_flag=True, help="Exit 1 on findings too (rows held back, failed scenarios, audit findings).")
@json_option
def run(target_name, stages, source, plan_path, yes, allow_production, strict, as_json):
    """Run the engagement on TARGET: blueprint apply, migrate load, UAT, governance audit, docs build.

    Stages whose inputs are absent are skipped with the reason; the run stops at the
    first stage that fails and the next run resumes. The report is saved in
    .odookit/runs/ and shown on the site's "Engagement run" page.
    """
    from odookit.cli.common import console
    from odookit.engagement.chain import STAGES, WHAT, RunOptions, run_engagement, runs_dir, stage_error
    from odookit.engagement.report import MARKS, terminal_lines

    ws = workspace()
    out = console(stderr=as_json)
    options = RunOptions(target=target_name, stages=tuple(stages) or STAGES, source=source, plan=plan_path,
                         yes=yes, allow_production=allow_production)
    status = out.status("") if out.is_terminal else None

    def started(name: str) -> None:
        if status:
            status.update(f"{name}: {WHAT[name]}...")
            status.start()
        else:  # a log (CI): say what is running, UAT takes a minute
            out.print(f"{name}: {WHAT[name]}...", highlight=False, markup=False)

    def done(record) -> None:
        if status:
            status.stop()
        if record.status not in ("skipped", "not run"):
            out.print(f"{record.stage}: {MARKS[record.status]} in {record.seconds:.1f} s", highlight=False, markup=False)

    try:
        report = run_engagement(ws, options, on_start=started, on_done=done)
    except KeyboardInterrupt:
        click.echo(f"Interrupted. The report so far is in {runs_dir(ws)}; run the same command again to resume.", err=True)
        raise click.exceptions.Exit(130) from None
    finally:
        if status:
            status.stop()
    if as_json:
        echo_json(report.as_dict())
    else:
        for line in terminal_lines(report):
            out.print(line, highlight=False, markup=False)
        out.print(f"Report: {runs_dir(ws) / (report.run + '.json')}", highlight=False, markup=False)
    error = stage_error(target_name, report)
    if error:
        raise error
    if strict and report.status == "findings":
        raise click.ClickException("findings remain and --strict was given")
