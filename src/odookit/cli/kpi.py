"""odookit kpi ...: live KPIs from a target's Odoo, held to the blueprint's targets."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import console, echo_json, json_option, progress, target_option, workspace


@click.group(cls=ReportingGroup)
def kpi():
    """Live KPIs from a target's Odoo: cycle time, fill rate, backorders, returns, invoicing, approvals."""


@kpi.command()
@target_option
@click.option("--since", metavar="DATE", help="First day of the period (YYYY-MM-DD); default 90 days before --until.")
@click.option("--until", metavar="DATE", help="Last day of the period, included (YYYY-MM-DD); default today.")
@click.option("--by", type=click.Choice(["company", "warehouse", "week"]), help="Also show each KPI per company, warehouse or ISO week.")
@click.option("--check", is_flag=True, help="Exit 1 when a KPI misses its target in the blueprint's kpis: section.")
@json_option
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a workbook: a summary sheet and one sheet per KPI with its breakdowns.")
def report(target_name, since, until, by, check, as_json, xlsx_path):
    """Compute every KPI from the target's database over the period and save it to .odookit/kpi/latest.json.

    The site's KPI page (`odookit docs build`) shows the latest saved report.
    """
    from odookit.kpi.outputs import print_table, write_xlsx
    from odookit.kpi.period import parse_period
    from odookit.kpi.report import STEPS, run_report

    period = parse_period(since, until)  # a bad period is said before anything is read
    ws = workspace()
    con = console(stderr=as_json)
    with progress(con) as bar:
        task = bar.add_task("reading KPIs from Odoo", total=len(STEPS))
        result = run_report(ws, target_name, period, step=lambda name: bar.update(task, advance=1, description=f"read {name}"))
    book = write_xlsx(result, xlsx_path) if xlsx_path else None
    if as_json:
        data = result.as_dict()
        data["workbook"] = str(book) if book else None
        echo_json(data)
    else:
        print_table(result, con, by)
        if book:
            con.print(f"workbook: {book}")
    if check and result.missed:
        raise SystemExit(1)
