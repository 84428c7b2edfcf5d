"""The blueprint's KPI targets (``kpis:``) held against the computed figures.

A target applies to the KPI's total, or with ``warehouse`` to that
warehouse's figure. A KPI without a figure neither meets nor misses its
target: it is reported as "no data" so a quiet week is not a failed review.
"""

from __future__ import annotations

from odookit.kpi.compute import KpiResult


def _holds(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == "at_least" else value <= target


def evaluate(results: list[KpiResult], targets) -> int:
    """Attach each target to its KPI's ``targets``; return how many were missed."""
    by_code = {r.code: r for r in results}
    missed = 0
    for t in targets:
        result = by_code.get(t.kpi)
        if result is None:
            continue  # the blueprint check reports unknown codes with their line
        direction = t.direction or result.direction
        if t.warehouse:
            rows = {row["key"]: row["value"] for row in result.breakdown.get("warehouse", [])}
            value = rows.get(t.warehouse)
        else:
            value = result.value
        if value is None:
            status = "no data"
        elif _holds(value, t.target, direction):
            status = "met"
        else:
            status, missed = "missed", missed + 1
        result.targets.append({"warehouse": t.warehouse, "target": t.target, "direction": direction,
                               "value": value, "status": status})
    return missed


def target_text(t: dict, unit: str) -> str:
    sign = ">=" if t["direction"] == "at_least" else "<="
    where = f" in {t['warehouse']}" if t.get("warehouse") else ""
    return f"{sign} {t['target']:g}{' %' if unit == '%' else ' ' + unit}{where}"
