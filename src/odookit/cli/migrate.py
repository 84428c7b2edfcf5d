"""``odookit migrate``: templates, map, validate, load, reconcile. Thin: each command calls one library function."""

from __future__ import annotations

from pathlib import Path

import click

from odookit.cli import ReportingGroup
from odookit.cli.common import complete_target, console, echo_json, json_option, progress, target_option, workspace

source_option = click.option(
    "--source", type=click.Path(path_type=Path), default=None,
    help="Workbook file or folder to read (default: the .xlsx files at the top of migration/).",
)


@click.group(cls=ReportingGroup)
def migrate():
    """Master data migration: templates, map legacy exports, validate, load, reconcile."""


@migrate.command()
@click.argument("entities", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Where to write (default: migration/templates/master-data-template.xlsx).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def template(entities, output, force):
    """Write an .xlsx template (one sheet per ENTITY, all by default) with the blueprint's codes as dropdowns.

    ENTITY: categories, customers, contacts, suppliers, products, supplier_prices,
    pricelist_items, opening_stock, reorder_rules, kit_components.
    """
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.migration.template import write_template

    ws = workspace()
    path = output or ws.migration / "templates" / "master-data-template.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    from odookit.migration.tuning import load_rules

    written = write_template(path, list(entities) or None, load_workspace_blueprint(ws), force=force,
                             rules=load_rules(ws.migration / "rules.yaml"))
    click.echo(f"Wrote {written}")


def _print_table(title: str, columns: tuple[str, ...], rows) -> None:
    """A per-entity table: the first column is the entity, the rest are counts."""
    from rich.table import Table

    table = Table(title=title)
    for name in columns:
        table.add_column(name, justify="left" if name == "entity" else "right")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    console().print(table)


def _entity_options(values: tuple[str, ...]) -> dict[str, str | None]:
    """--entity SHEET=ENTITY pairs; '-' as the entity leaves the sheet out."""
    from odookit.errors import MigrationError
    from odookit.migration.entities import entity

    out: dict[str, str | None] = {}
    for value in values:
        sheet, sep, name = value.partition("=")
        if not sep or not sheet.strip() or not name.strip():
            raise MigrationError(f"--entity '{value}' is not SHEET=ENTITY", fix="Write it as --entity 'Sheet name=customers'.")
        name = name.strip()
        out[sheet.strip()] = None if name in ("-", "none") else entity(name).name
    return out


@migrate.command("map")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--entity", "entity_pairs", multiple=True, metavar="SHEET=ENTITY",
              help="The entity of a sheet (a CSV: its file name or stem) the names do not tell; '-' leaves it out. Repeatable.")
@json_option
def map_(files, entity_pairs, as_json):
    """Propose a mapping for each client FILE (.xlsx, .xls, .ods, .csv) into migration/mappings/<stem>.yaml.

    Sheets are matched to entities, headers to template columns (name, synonyms,
    fuzzy match with its confidence) and labels to blueprint codes (codes and
    names). What matches nothing is written as null and listed. Re-running keeps
    your edits and adds new headers and labels. validate, load and reconcile then
    read the file through its mapping.
    """
    from odookit.migration.proposal import propose_files, write_proposals

    ws = workspace()
    proposals = propose_files(list(files), ws=ws, entities=_entity_options(entity_pairs))
    written = write_proposals(proposals)
    if as_json:
        echo_json({"mappings": [{**p.as_dict(), "written": str(w)} for p, w in zip(proposals, written, strict=True)]})
        return
    for proposal, path in zip(proposals, written, strict=True):
        _print_proposal(proposal, path)


def _print_proposal(proposal, path: Path) -> None:
    from rich.table import Table

    out = console()
    detected = f" ({proposal.detected})" if proposal.detected else ""
    out.print(f"{proposal.file}{detected}", markup=False)
    for sheet in proposal.sheets:
        if sheet.entity is None:
            out.print(f"  sheet {sheet.title}: left out", markup=False)
            continue
        table = Table(title=f"{sheet.title} -> {sheet.entity} ({sheet.entity_how}, {sheet.rows} rows)", title_justify="left")
        for name in ("header", "column", "match", "confidence"):
            table.add_column(name, justify="right" if name == "confidence" else "left")
        for header, m in sheet.columns.items():
            table.add_row(header, m.target or "-", m.how, f"{m.confidence:.2f}", style=None if m.target else "yellow")
        out.print(table)
        unmatched = []
        labels = Table(title=f"{sheet.title}: labels -> codes", title_justify="left")
        for name in ("column", "label", "code", "match", "confidence"):
            labels.add_column(name, justify="right" if name == "confidence" else "left")
        for column, found in sheet.values.items():
            for label, m in found.items():
                labels.add_row(column, label, m.target or "-", m.how, f"{m.confidence:.2f}", style=None if m.target else "yellow")
                if m.target is None:
                    unmatched.append(f"{column} '{label}'")
        if sheet.values:
            out.print(labels)
        left = [h for h, m in sheet.columns.items() if m.target is None]
        if left:
            out.print(f"  headers left out: {', '.join(left)}", markup=False)
        if unmatched:
            out.print(f"  labels with no code (validation reports them): {', '.join(unmatched)}", markup=False)
    out.print(f"Wrote {path}{' (your entries kept)' if proposal.merged else ''}: review it, then `odookit migrate validate`.", markup=False)


@migrate.command()
@source_option
@click.option("--limit", default=30, show_default=True, help="Findings to print (all are in the reports).")
@click.option("-t", "--target", "target_name", default=None, shell_complete=complete_target,
              help="Read the decimals each field keeps from this target (default: Odoo's own defaults, offline).")
@json_option
def validate(source, limit, target_name, as_json):
    """Check the client workbooks; write annotated copies and an HTML/JSON report to migration/reports/."""
    from odookit.migration.report import sources, write_reports
    from odookit.migration.rules import target_digits, validate_workspace

    ws = workspace()
    digits = None
    if target_name:
        from odookit.odoo.connect import connect

        digits = target_digits(connect(ws.target(target_name)))
    validation = validate_workspace(ws, source=source, digits=digits)
    outputs = write_reports(validation, ws.migration / "reports")
    if as_json:
        echo_json({**validation.as_dict(), "sources": sources(validation), "reports": [str(p) for p in outputs]})
    else:
        _print_table("Migration validation", ("entity", "rows", "errors", "warnings", "rows with errors"),
                     [(s["entity"], s["rows"], s["errors"], s["warnings"], s["bad_rows"]) for s in validation.summary()])
        for line in _read_lines(validation):
            click.echo(line)
        for finding in validation.findings[:limit]:
            click.echo(finding.line())
        if len(validation.findings) > limit:
            click.echo(f"... {len(validation.findings) - limit} more in the reports")
        for path in outputs:
            click.echo(f"Report: {path}")
        click.echo(f"{len(validation.errors)} errors, {len(validation.warnings)} warnings")
    if validation.errors:
        raise click.exceptions.Exit(1)


def _place(where) -> str:
    """A row's file and sheet as findings name them: a CSV has no sheet."""
    name = Path(str(where[0])).name
    return name if name.lower().endswith((".csv", ".tsv", ".txt")) else f"{name} sheet {where[1]}"


def _read_lines(validation) -> list[str]:
    """What was read and how: a CSV's detected encoding and delimiter, the mapping used."""
    from odookit.migration.report import sources

    lines = []
    for s in sources(validation):
        how = [x for x in (s["detected"], f"through {s['mapping']}" if s["mapping"] else "") if x]
        if how:
            place = s["file"] if s["csv"] else f"{s['file']} sheet {s['sheet']}"
            lines.append(f"Read {place} as {s['entity']}: {', '.join(how)}")
    return lines


@migrate.command()
@target_option
@source_option
@click.option("--entity", "entities", multiple=True, help="Load only this entity (repeatable); default: all, in dependency order.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1), help="Rows per load() call.")
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows even though some rows have errors.")
@click.option("--yes", is_flag=True, help="Allow loading into a target marked production.")
@click.option("--reset-stock", is_flag=True,
              help="Set opening stock again also where the quantity moved in Odoo since the cut-over (refused on production without --yes).")
@json_option
def load(target_name, source, entities, batch_size, skip_invalid, yes, reset_stock, as_json):
    """Load validated rows into Odoo in batches, resuming an interrupted run from its checkpoint.

    Only rows whose values differ from the live records are sent: a second load of
    unchanged data writes nothing. Opening stock is the cut-over: a quantity that
    moved in Odoo since is left as it is and reported, unless --reset-stock.
    """
    from odookit.migration.entities import entity
    from odookit.migration.load import load_workspace

    ws = workspace()
    names = [entity(e).name for e in entities] or None
    bar = progress()
    tasks: dict[str, int] = {}

    def advance(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done)

    try:
        with bar:
            report = load_workspace(ws, target_name, source=source, yes=yes, entities=names, batch_size=batch_size,
                                    skip_invalid=skip_invalid, progress=advance, reset_stock=reset_stock)
    except KeyboardInterrupt:
        click.echo("Interrupted. Every batch sent so far is in Odoo and in the checkpoint; "
                   "run the same command again to resume where it stopped.", err=True)
        raise click.exceptions.Exit(130) from None
    if as_json:
        echo_json(report.as_dict())
    else:
        columns = ["entity", "rows", "sent", "created", "updated", "unchanged", "rejected"]
        # the columns that are 0 for every entity stay out: the table fits a terminal
        columns += [name for name, attr in (("moved", "moved"), ("held back", "held_back"), ("resumed from", "resumed_from"))
                    if any(getattr(e, attr) for e in report.entities)]
        attrs = {"held back": "held_back", "resumed from": "resumed_from"}
        _print_table(f"Load into {target_name}", tuple(columns),
                     [tuple(getattr(e, attrs.get(c, c)) for c in columns) for e in report.entities])
        labelled = [("rejected", r) for r in report.rejects] + [("held back", r) for r in report.held] + [("stock", r) for r in report.moved]
        for label, r in labelled[:20]:
            click.echo(f"{label}: {_place(r.where)}, row {r.where[2]}: {r.message}")
        if len(labelled) > 20:
            click.echo(f"... {len(labelled) - 20} more in --json")
        if report.rejects_path:
            click.echo(f"Rejects: {report.rejects_path}")
    if report.rejects:
        raise click.exceptions.Exit(1)


@migrate.command()
@target_option
@source_option
@json_option
def reconcile(target_name, source, as_json):
    """Compare the workbooks with the live database; write a report to sign (xlsx + HTML)."""
    from odookit.migration.reconcile import reconcile_workspace

    ws = workspace()
    rec, outputs = reconcile_workspace(ws, target_name, source=source)
    if as_json:
        echo_json({**rec.as_dict(), "reports": [str(p) for p in outputs]})
    else:
        _print_table(f"Reconciliation with {target_name}", ("entity", "expected", "found", "missing", "extra", "differing", "held back"),
                     [(e.entity, e.expected, e.found, len(e.missing), len(e.extra), e.differing, e.held_back) for e in rec.entities])
        for e in rec.entities:
            for status, ids in (("missing in Odoo", e.missing), ("extra in Odoo", e.extra)):
                shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
                if ids:
                    click.echo(f"{e.entity}: {len(ids)} {status}: {shown}")
        for d in rec.differences[:20]:
            click.echo(f"{d.entity} {d.key} {d.field}: workbook {d.expected!r}, Odoo {d.actual!r}")
        if rec.held:
            click.echo(f"{len(rec.held)} rows held back by validation, not loaded and not counted as differences "
                       f"(listed in the reports): fix them and load again")
        for d in rec.moved[:20]:
            click.echo(f"moved since cut-over: {d.key}: {d.expected} was loaded, Odoo has {d.actual} "
                       "(a movement in Odoo since; `migrate load` leaves it, --reset-stock sets it again)")
        if len(rec.differences) > 20:
            click.echo(f"... {len(rec.differences) - 20} more differences in the reports")
        for path in outputs:
            click.echo(f"Report: {path}")
        click.echo("CLEAN: the database matches the workbooks" if rec.clean else "DIFFERENCES found")
    if not rec.clean:
        raise click.exceptions.Exit(1)
