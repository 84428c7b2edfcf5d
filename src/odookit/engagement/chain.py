"""``odookit run``: the engagement's stages against one target, in data-flow order.

Each stage is the library call behind its own command, so the chain converges
the way each command does: apply plans afresh, load resumes from its
checkpoint, UAT data is run-scoped, the audit and the docs build only read
Odoo. That is what makes a run that stopped resumable: fix the cause and run
it again. The report is saved after every stage, so even an interrupted run
says what it did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from odookit.engagement.report import Outcome, RunReport, StageRecord
from odookit.errors import OdookitError, Problems, ProductionGuard, RunStopped, UserError

STAGES = ("blueprint", "migration", "uat", "governance", "docs")
WHAT = {
    "blueprint": "blueprint plan and apply",
    "migration": "migrate validate and load",
    "uat": "uat run",
    "governance": "governance audit",
    "docs": "docs build",
}


@dataclass(frozen=True)
class RunOptions:
    target: str
    stages: tuple[str, ...] = STAGES
    source: Path | None = None  # migration workbooks (default: the top of migration/)
    plan: Path | None = None  # a saved, reviewed plan: required with --yes on a production target
    yes: bool = False
    allow_production: bool = False


@dataclass
class RunContext:
    ws: object
    options: RunOptions
    report: RunReport

    def save(self) -> Path:
        return self.report.save(runs_dir(self.ws))

    def earlier(self, stage: str) -> tuple[str, StageRecord] | None:
        """The newest earlier run on this target in which ``stage`` ran, and its record (for comparisons)."""
        for report in RunReport.history(runs_dir(self.ws), self.report.target):
            record = report.stage(stage)
            if report.run != self.report.run and record and record.status in ("ok", "findings"):
                return report.run, record
        return None


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[RunContext], Outcome]
    absent: Callable[[RunContext], str | None] = lambda ctx: None  # why there is nothing to do, if so


def runs_dir(ws) -> Path:
    return ws.state / "runs"


def check_stage_names(names) -> tuple[str, ...]:
    from odookit.blueprints.loader import suggest

    for name in names:
        if name not in STAGES:
            raise UserError(
                f"no stage named '{name}'{suggest(name, STAGES)}", where="--stage",
                fix=f"Use one of {', '.join(STAGES)}.",
            )
    return tuple(s for s in STAGES if s in names)


def guard_production(target, options: RunOptions) -> None:
    """All the production guards of the selected stages, before anything runs: a chain that applied and
    loaded and then refused UAT would leave production half-done for a flag the user forgot."""
    if not target.production:
        return
    needed = []
    if "blueprint" in options.stages and (options.plan is None or not options.yes):
        needed.append("--plan PLAN.json --yes (a plan saved with `odookit blueprint plan --out` and reviewed)")
    if "migration" in options.stages and not options.yes:
        needed.append("--yes (the cut-over load)")
    if "uat" in options.stages and not options.allow_production:
        needed.append("--allow-production (UAT creates users, orders and stock moves)")
    if needed:
        raise ProductionGuard(
            f"target '{target.name}' is marked production; nothing was run",
            where=target.url,
            fix=f"Pass {'; '.join(needed)}, or leave those stages out with --stage.",
        )


def run_engagement(
    ws,
    options: RunOptions,
    *,
    stages: tuple[Stage, ...] | None = None,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[StageRecord], None] | None = None,
) -> RunReport:
    """Run the selected stages in order; stop at the first that fails; return (and save) the report."""
    from odookit import __version__
    from odookit.blueprints.loader import blueprint_files

    if stages is None:
        from odookit.engagement.stages import STAGE_LIST as stages
    options = replace(options, stages=check_stage_names(options.stages))
    target = ws.target(options.target)
    blueprint_files(ws.blueprints)  # every stage reads the blueprint: no blueprint, no run
    guard_production(target, options)
    if set(options.stages) - {"docs"}:
        target.secret()  # a missing password is known before anything runs
    previous = RunReport.latest(runs_dir(ws), target.name)
    now = datetime.now()
    run_id = stamp = f"{now:%Y%m%d-%H%M%S}"
    n = 1
    while (runs_dir(ws) / f"{run_id}.json").exists():  # two runs in one second keep both reports
        n += 1
        run_id = f"{stamp}-{n}"
    report = RunReport(
        run=run_id, target=target.name, url=target.url, database=target.database,
        started=now.isoformat(timespec="seconds"), odookit=__version__, previous=previous.run if previous else None,
    )
    ctx = RunContext(ws, options, report)
    stopped: str | None = None
    for stage in stages:
        record = StageRecord("skipped", "", stage=stage.name)
        if stage.name not in options.stages:
            record.summary = "not selected (--stage)"
        elif stopped:
            record.status, record.summary = "not run", f"the run stopped at the {stopped} stage"
        else:
            record = _run_one(stage, ctx, on_start)
            if record.status in ("failed", "interrupted"):
                stopped = stage.name
        report.stages.append(record)
        ctx.save()
        if on_done:
            on_done(record)
        if record.status == "interrupted":
            report.finished = datetime.now().isoformat(timespec="seconds")
            ctx.save()
            raise KeyboardInterrupt
    report.finished = datetime.now().isoformat(timespec="seconds")
    ctx.save()
    return report


def _run_one(stage: Stage, ctx: RunContext, on_start: Callable[[str], None] | None) -> StageRecord:
    """Skip the stage if its inputs are absent, else run and time it; user errors make it a failed stage."""
    start = time.perf_counter()
    record = StageRecord("failed", "", stage=stage.name)
    try:
        if reason := stage.absent(ctx):
            record.status, record.summary = "skipped", reason
            return record
        if on_start:
            on_start(stage.name)
        outcome = stage.run(ctx)
        record.status, record.summary = outcome.status, outcome.summary
        record.facts, record.outputs, record.details = outcome.facts, outcome.outputs, outcome.details
    except Problems as exc:
        record.summary, record.details = exc.message, exc.lines()
    except UserError as exc:
        record.summary = exc.line()
    except OdookitError as exc:
        record.summary = str(exc)
    except KeyboardInterrupt:
        record.status, record.summary = "interrupted", "interrupted (Ctrl-C); run again to resume"
    except Exception as exc:  # a bug: keep the report of what was done, then let the CLI report it
        record.summary = f"internal error {exc.__class__.__name__}: {exc}"
        record.seconds = time.perf_counter() - start
        ctx.report.stages.append(record)
        ctx.save()
        raise
    record.seconds = round(time.perf_counter() - start, 2)
    return record


def stage_error(name: str, report: RunReport) -> RunStopped | None:
    """The one-line error for a run that stopped: which stage, why, and that running again resumes."""
    failed = next((s for s in report.stages if s.status in ("failed", "interrupted")), None)
    if failed is None:
        return None
    return RunStopped(
        f"the run stopped at the {failed.stage} stage ({WHAT[failed.stage]}): {failed.summary}",
        fix=f"Fix that and run `odookit run -t {name}` again: what was done is kept, apply re-plans and the load "
        "resumes from its checkpoint.",
    )
