"""The five stages of ``odookit run``, each the library call behind its own command.

A stage returns an ``Outcome``: ``ok``, ``findings`` (the stage ran and has
something to show: rows validation held back, a failed scenario, an SoD
conflict) or ``failed`` (it could not do its job; the run stops there).
User errors it raises become a failed stage in the chain.
"""

from __future__ import annotations

from collections import Counter

from odookit.engagement.chain import RunContext, Stage
from odookit.engagement.report import Outcome


def apply_stage(ctx: RunContext) -> Outcome:
    from odookit.blueprints.workflow import apply_blueprint, changelog_path

    o = ctx.options
    plan, done = apply_blueprint(ctx.ws, o.target, plan_path=o.plan, yes=o.yes)
    ctx.report.odoo_version = plan.odoo_version
    counts = Counter(op.action for op in done)
    changed = [f"{op.action} {op.xmlid or 'apps ' + ', '.join(op.modules)}"
               + (f" ({', '.join(op.changes)})" if op.action == "update" else "") for op in done]
    if done:
        summary = f"{len(done)} change(s) applied: " + ", ".join(f"{n} {a}" for a, n in sorted(counts.items()))
    else:
        summary = "0 changes: the target already matches the blueprint"
    return Outcome("ok", summary, facts={"changes": len(done), "by_action": dict(counts), "changed": changed[:500],
                                         "already_right": plan.counts()["noop"]},
                   outputs=[str(changelog_path(ctx.ws))] if done else [])


def migration_absent(ctx: RunContext) -> str | None:
    from odookit.migration.workbook import workbook_files

    if ctx.options.source is not None:
        return None  # named explicitly: a wrong path is an error, not a reason to skip
    if not ctx.ws.migration.is_dir() or not workbook_files(ctx.ws.migration):
        return "no client workbook in migration/ (put the .xlsx files there, or pass --source)"
    return None


def load_stage(ctx: RunContext) -> Outcome:
    """Validate, write the annotated workbooks, then load the rows that passed: never the ones that did not."""
    from odookit.migration.load import guard_production, load_workspace
    from odookit.migration.report import write_reports
    from odookit.migration.rules import validate_workspace

    ws, o = ctx.ws, ctx.options
    guard_production(ws.target(o.target), o.yes)  # before validation: it takes seconds
    validation = validate_workspace(ws, source=o.source)
    reports = write_reports(validation, ws.migration / "reports")
    report = load_workspace(ws, o.target, yes=o.yes, validation=validation, skip_invalid=True)
    with_errors = sum(s["bad_rows"] for s in validation.summary())
    held_back = with_errors + len(report.held)
    entities = [{"entity": e.entity, "rows": e.rows, "created": e.created, "updated": e.updated, "unchanged": e.unchanged,
                 "moved": e.moved, "rejected": e.rejected, "held_back": e.held_back} for e in report.entities]
    created, updated = sum(e["created"] for e in entities), sum(e["updated"] for e in entities)
    unchanged = sum(e["unchanged"] for e in entities)
    summary = f"{created} created, {updated} updated, {unchanged} unchanged, {len(report.rejects)} rejected by Odoo"
    if report.moved:
        summary += f"; {len(report.moved)} opening stock quantity(ies) moved since cut-over, not reset"
    if held_back:
        summary += (f"; {held_back} row(s) held back: {with_errors} with errors, "
                    f"{len(report.held)} referring to those")
    outputs = [str(p) for p in reports] + ([report.rejects_path] if report.rejects_path else [])
    return Outcome(
        "findings" if held_back or report.rejects else "ok", summary,
        facts={"entities": entities, "created": created, "updated": updated, "unchanged": unchanged, "rejected": len(report.rejects),
               "held_back": held_back, "errors": len(validation.errors), "warnings": len(validation.warnings)},
        outputs=outputs, details=[f"rejected: {r.where[1]} row {r.where[2]}: {r.message}" for r in report.rejects[:20]]
        + [f"held back: {r.where[1]} row {r.where[2]}: {r.message}" for r in report.held[:20]],
    )


def uat_absent(ctx: RunContext) -> str | None:
    from odookit.uat_scenarios.features import feature_files

    return None if feature_files(ctx.ws) else "no feature to run: run `odookit uat generate` to write the blueprint's acceptance suite"


def uat_stage(ctx: RunContext) -> Outcome:
    from odookit.uat_scenarios.generate import generate
    from odookit.uat_scenarios.runner import run_uat

    # The suite is the consultant's reviewed copy: run it as it is, and say when the blueprint has moved on.
    stale = generate(ctx.ws, check=True)
    would = {"created": "would be created", "updated": "would change", "removed-from-blueprint": "is no longer generated"}
    notes = [f"uat_scenarios/generated/{c.file} {would[c.status]} from the blueprint: run `odookit uat generate`"
             for c in stale.out_of_date]
    result, paths = run_uat(ctx.ws, ctx.options.target, allow_production=ctx.options.allow_production)
    if result.odoo_version and not ctx.report.odoo_version:
        ctx.report.odoo_version = result.odoo_version
    c = result.counts()
    summary = f"{c['passed']} passed, {c['failed']} failed, {c['not run']} not run, {c['skipped']} skipped (run {result.run})"
    status = "failed" if result.aborted else "ok" if result.ok else "findings"
    if result.aborted:
        summary = f"{result.aborted}; {summary}"
    if notes and status == "ok":
        status, summary = "findings", f"{summary}; the generated suite is out of date with the blueprint"
    return Outcome(status, summary, details=notes,
                   facts={"run": result.run, "counts": c,
                          "scenarios": [{"feature": s.feature, "scenario": s.title, "status": s.status, "reason": s.reason}
                                        for s in result.scenarios]},
                   outputs=[str(p) for p in paths.values()])


def governance_absent(ctx: RunContext) -> str | None:
    from odookit.blueprints.loader import load_workspace_blueprint

    return None if load_workspace_blueprint(ctx.ws).roles else "the blueprint defines no roles to audit users against"


def audit_findings(result) -> list[str]:
    """One line per finding, stable from run to run so two runs compare line by line."""
    lines = []
    for user in result.users:
        flags = [f for f in user.flags if f not in ("sod-error", "sod-warning")]
        lines += [f"{user.login}: {f}" for f in flags]
        lines += [f"{user.login}: {c.rule} ({c.severity})" for c in user.conflicts if user.active]
    return sorted(lines)


def audit_stage(ctx: RunContext) -> Outcome:
    from odookit.governance.report import audit_target

    result, book, page = audit_target(ctx.ws, ctx.options.target)
    findings = audit_findings(result)
    facts: dict = {"findings": findings, "summary": result.summary()}
    earlier = ctx.earlier("governance")
    if earlier:
        run, before = earlier
        old, new = set(before.facts.get("findings", [])), set(findings)
        facts["compared"] = (f"same findings as run {run}" if old == new else
                             f"since run {run}: {len(new - old)} new, {len(old - new)} resolved")
        facts["new"], facts["resolved"] = sorted(new - old), sorted(old - new)
    summary = f"{len(findings)} finding(s): {result.summary()}"
    return Outcome("findings" if findings else "ok", summary, facts=facts, outputs=[str(book), str(page)])


def docs_stage(ctx: RunContext) -> Outcome:
    from odookit.docs.site import build_site

    ctx.save()  # the site's "Engagement run" page shows this run up to here
    result = build_site(ctx.ws)
    return Outcome("ok", result.summary(), facts={"pages": len(result.pages), "sops": result.sops},
                   outputs=[str(result.site / "index.html")])


STAGE_LIST = (
    Stage("blueprint", apply_stage),
    Stage("migration", load_stage, migration_absent),
    Stage("uat", uat_stage, uat_absent),
    Stage("governance", audit_stage, governance_absent),
    Stage("docs", docs_stage),
)
