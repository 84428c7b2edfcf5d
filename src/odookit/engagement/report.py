"""The engagement report of one ``odookit run``: JSON in .odookit/runs/, a terminal summary, a site page.

Everything here is built from the recorded stage results alone, so the
report of an old run renders the same as it did the day it ran.
"""

from __future__ import annotations

import json
import os
from html import escape
from dataclasses import asdict, dataclass, field
from pathlib import Path

LATEST = "latest.json"


@dataclass
class Outcome:
    """What a stage that ran reports: ``findings`` are about the client's system or data, not a crash."""

    status: str  # ok | findings | failed; a record may also be skipped | not run | interrupted
    summary: str
    facts: dict = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


@dataclass
class StageRecord(Outcome):
    stage: str = ""
    seconds: float = 0.0


@dataclass
class RunReport:
    run: str
    target: str
    url: str
    database: str
    started: str
    odookit: str = ""
    finished: str | None = None
    odoo_version: str | None = None
    previous: str | None = None
    stages: list[StageRecord] = field(default_factory=list)

    @property
    def status(self) -> str:
        states = {s.status for s in self.stages}
        if states & {"failed", "interrupted"}:
            return "failed"
        if "findings" in states:
            return "findings"
        return "ok" if "ok" in states else "nothing ran"

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.stages), 2)

    def stage(self, name: str) -> StageRecord | None:
        return next((s for s in self.stages if s.stage == name), None)

    def as_dict(self) -> dict:
        return {**asdict(self), "status": self.status, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict) -> RunReport:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["stages"] = [StageRecord(**{k: v for k, v in s.items() if k in StageRecord.__dataclass_fields__})
                           for s in data.get("stages", [])]
        return cls(**known)

    def save(self, folder: Path) -> Path:
        """<run>.json and latest.json, each replaced atomically: a reader never sees half a report."""
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.as_dict(), indent=2, default=str, ensure_ascii=False)
        for name in (f"{self.run}.json", LATEST):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(folder / name)
        return folder / f"{self.run}.json"

    @classmethod
    def history(cls, folder: Path, target: str):
        """Earlier runs on ``target``, newest first (run ids sort by time)."""
        # "20261201-091956-2" is newer than "20261201-091956": the counter of runs in the same second is a number
        for path in sorted(folder.glob("2*.json"), key=lambda p: (p.stem[:15], int(p.stem[16:]) if p.stem[16:].isdigit() else 0),
                           reverse=True):
            try:
                report = cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if report.target == target:
                yield report

    @classmethod
    def latest(cls, folder: Path, target: str | None = None) -> RunReport | None:
        try:
            report = cls.from_dict(json.loads((folder / LATEST).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None  # no run yet, or a report from an older odookit: only the comparison is lost
        return report if target is None or report.target == target else None


MARKS = {"ok": "ok", "findings": "findings", "failed": "FAILED", "skipped": "skipped", "not run": "not run",
         "interrupted": "interrupted"}


def _notes(record: StageRecord) -> list[str]:
    """What a stage found, beyond its changes: rows held back, scenarios not passed, audit findings, details."""
    f = record.facts
    out: list[str] = []
    if record.stage == "migration" and f.get("held_back"):
        out.append(f"{f['held_back']} row(s) held back: fix the rows with errors in the annotated workbooks "
                   "(migration/reports/) and run again")
    elif record.stage == "uat":
        out += [f"{s['status']}: {s['feature']}: {s['scenario']}" + (f" ({s['reason']})" if s.get("reason") else "")
                for s in f.get("scenarios", []) if s["status"] != "passed"]
    elif record.stage == "governance":
        out += f.get("findings", [])[:15]
        if f.get("compared"):
            out.append(f["compared"])
    return out + record.details[:10]


def highlights(record: StageRecord) -> list[str]:
    """The lines under a stage in the terminal: what changed (the first ten), then what was found."""
    f = record.facts
    out: list[str] = []
    if record.stage == "blueprint" and f.get("changed"):
        out += f["changed"][:10] + ([f"... and {len(f['changed']) - 10} more"] if len(f["changed"]) > 10 else [])
    elif record.stage == "migration":
        out += [f"{e['entity']}: {e['rows']} rows, {e['created']} created, {e['updated']} updated, "
                + (f"{e['unchanged']} unchanged, " if "unchanged" in e else "") + f"{e['rejected']} rejected"
                + (f", {e['held_back']} held back" if e.get("held_back") else "") for e in f.get("entities", [])]
    return out + _notes(record)


def terminal_lines(report: RunReport) -> list[str]:
    width = max(len(s.stage) for s in report.stages) if report.stages else 10
    lines = [f"Run {report.run} on target {report.target} ({report.url} db={report.database}"
             + (f", Odoo {report.odoo_version}" if report.odoo_version else "") + ")"]
    for s in report.stages:
        time_ = f"{s.seconds:7.1f} s" if s.status not in ("skipped", "not run") else " " * 9
        lines.append(f"  {s.stage:<{width}}  {MARKS[s.status]:<11} {time_}  {s.summary}")
        lines += [f"  {'':<{width}}    {h}" for h in highlights(s)]
    lines.append(f"Total {report.seconds:.1f} s: {report.status}")
    return lines


def markdown(report: RunReport | None) -> str:
    """The site's "Engagement run" page: every change, the load per entity, and what was found."""
    from odookit.docs.pages import table

    out = ["# Engagement run\n\n"]
    if report is None:
        return out[0] + "No `odookit run` yet. Run `odookit run -t TARGET` to configure, load, test and audit a target in one go.\n"
    out.append(f"Run **{report.run}** on target **{report.target}** (`{report.url}`, database `{report.database}`"
               + (f", Odoo {report.odoo_version}" if report.odoo_version else "") + f"), started {report.started}"
               + (f", after run {report.previous}" if report.previous else "") + ".\n\n")
    out.append(table(["Stage", "Result", "Time", "Summary"],
                     [[s.stage, MARKS[s.status], f"{s.seconds:.1f} s" if s.seconds else "", s.summary]
                      for s in report.stages]))
    for s in report.stages:
        section = [f"- {escape(ln, quote=False)}\n" for ln in s.facts.get("changed", [])] if s.stage == "blueprint" else []
        if s.stage == "migration" and s.facts.get("entities"):
            section.append(table(["Entity", "Rows", "Created", "Updated", "Unchanged", "Rejected by Odoo", "Held back"],
                                 [[e["entity"], e["rows"], e["created"], e["updated"], e.get("unchanged", 0), e["rejected"], e.get("held_back", 0)]
                                  for e in s.facts["entities"]]) + "\n")
        section += [f"- {escape(ln, quote=False)}\n" for ln in _notes(s)]
        if section:
            out.append(f"\n## {s.stage.capitalize()}\n\n" + "".join(section))
    return "".join(out)
