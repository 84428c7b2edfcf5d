"""``odookit kpi report``: read, compute, hold to targets, save; the library entry point.

The report is saved to ``.odookit/kpi/latest.json`` only once every KPI has
been computed, through a temporary file renamed over the old one: an
interrupted run (Ctrl-C, a lost server) leaves the previous report intact and
no partial one. ``odookit docs build`` draws the site's KPI page from it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from odookit.kpi.compute import KpiResult, compute
from odookit.kpi.period import Period
from odookit.kpi.reads import STEPS, Policy, read_snapshot

BREAKDOWNS = ("company", "warehouse", "week")


@dataclass
class Report:
    target: str
    database: str
    period: dict
    generated_at: str
    kpis: list[KpiResult]
    round_trips: int = 0
    seconds: float = 0.0
    missed: int = 0
    records: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["kpis"] = [k.as_dict() for k in self.kpis]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["kpis"] = [KpiResult.from_dict(k) for k in data.get("kpis", [])]
        return cls(**fields)

    def kpi(self, code: str) -> KpiResult:
        return next(k for k in self.kpis if k.code == code)


def report_dir(ws) -> Path:
    return ws.state / "kpi"


def compute_report(gateway, period: Period, policy: Policy, targets=(), *, target: str = "", step=lambda _: None) -> Report:
    """Every KPI of the gateway's database over ``period``, with ``targets`` evaluated."""
    from odookit.kpi.targets import evaluate

    started = time.perf_counter()
    snapshot = read_snapshot(gateway, period, policy, step)
    results = compute(snapshot)
    missed = evaluate(results, targets)
    return Report(
        target=target, database=getattr(gateway, "db", ""), period=period.as_dict(),
        generated_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), kpis=results,
        round_trips=snapshot.trips, seconds=round(time.perf_counter() - started, 2), missed=missed,
        records={"deliveries": len(snapshot.deliveries), "order_lines": len(snapshot.lines),
                 "invoices": len(snapshot.invoices), "confirmed_orders": len(snapshot.confirmed),
                 "receipt_moves": len(snapshot.receipt_moves)},
    )


def save(report: Report, folder: Path) -> Path:
    """Write ``latest.json`` atomically (temp file in the same folder, then rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".latest-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(report.as_dict(), out, indent=2, default=str, ensure_ascii=False)
        os.replace(tmp, folder / "latest.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return folder / "latest.json"


def latest(ws) -> Report | None:
    path = report_dir(ws) / "latest.json"
    if not path.is_file():
        return None
    try:
        return Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, KeyError):
        return None  # an unreadable report is treated as none: the next run replaces it


def run_report(ws, target_name: str, period: Period, *, step=lambda _: None) -> Report:
    """Connect to a workspace target, compute the report against the blueprint's targets, save it."""
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.odoo.connect import connect

    bp = load_workspace_blueprint(ws)  # bad targets fail here, with file:line, before any network
    gateway = connect(ws.target(target_name))
    report = compute_report(gateway, period, Policy.from_blueprint(bp, ws.module), bp.kpis, target=target_name, step=step)
    save(report, report_dir(ws))
    return report


__all__ = ["BREAKDOWNS", "STEPS", "Report", "compute_report", "latest", "run_report", "save"]
