"""What a run leaves behind: per scenario, per step, the result, timing and records touched.

The reports (cucumber JSON, JUnit XML, HTML, xlsx) are all made from this one
structure, saved as run.json, so they always agree and can be regenerated.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["passed", "failed", "not run", "skipped"]

# model -> fields read as evidence after each step (besides display_name)
EVIDENCE_FIELDS: dict[str, list[str]] = {
    "sale.order": ["state", "amount_total", "partner_id", "warehouse_id"],
    "purchase.order": ["state", "amount_total", "partner_id"],
    "stock.picking": ["state", "picking_type_id", "location_id", "location_dest_id", "backorder_id"],
    "account.move": ["state", "move_type", "amount_total", "amount_residual"],
    "res.partner": ["credit_limit", "credit"],
    "product.product": ["qty_available", "virtual_available"],
    "stock.warehouse.orderpoint": ["product_min_qty", "product_max_qty", "qty_forecast"],
}
LINE_QUANTITIES: dict[str, tuple[str, str, list[str]]] = {
    "sale.order": ("sale.order.line", "order_id", ["product_uom_qty", "qty_delivered", "qty_invoiced"]),
    "purchase.order": ("purchase.order.line", "order_id", ["product_qty", "qty_received"]),
    "stock.picking": ("stock.move", "picking_id", ["product_uom_qty", "quantity"]),
    "account.move": ("account.move.line", "move_id", ["quantity"]),
}


class Record(BaseModel):
    model: str
    id: int
    name: str = ""
    state: str = ""
    values: dict[str, str] = Field(default_factory=dict)
    quantities: list[str] = Field(default_factory=list)
    url: str = ""
    note: str = ""


class StepResult(BaseModel):
    keyword: str
    text: str
    line: int = 0
    status: Status = "not run"
    seconds: float = 0.0
    actor: str = ""
    error: str = ""
    records: list[Record] = Field(default_factory=list)


class ScenarioResult(BaseModel):
    feature: str
    path: str
    name: str
    line: int
    tags: list[str] = Field(default_factory=list)
    example: dict[str, str] = Field(default_factory=dict)
    status: Status = "not run"
    reason: str = ""
    seconds: float = 0.0
    steps: list[StepResult] = Field(default_factory=list)

    @property
    def title(self) -> str:
        if not self.example:
            return self.name
        return f"{self.name} [" + ", ".join(f"{k}={v}" for k, v in self.example.items()) + "]"


class SignOff(BaseModel):
    """One row per role that signs a process (feature); name, date and decision are left to fill in."""

    process: str
    role: str
    name: str = ""
    date: str = ""
    decision: str = ""


class RunResult(BaseModel):
    run: str
    target: str
    url: str = ""
    database: str = ""
    odoo_version: str = ""
    started: str = ""
    finished: str = ""
    scenarios: list[ScenarioResult] = Field(default_factory=list)
    signoff: list[SignOff] = Field(default_factory=list)
    aborted: str = ""

    def counts(self) -> dict[str, int]:
        out = {"passed": 0, "failed": 0, "not run": 0, "skipped": 0}
        for s in self.scenarios:
            out[s.status] += 1
        return out

    @property
    def ok(self) -> bool:
        run = [s for s in self.scenarios if s.status != "skipped"]
        return bool(run) and all(s.status == "passed" for s in run)

    def processes(self) -> dict[str, list[ScenarioResult]]:
        out: dict[str, list[ScenarioResult]] = {}
        for s in self.scenarios:
            out.setdefault(s.feature, []).append(s)
        return out

    def save(self, path: Path) -> Path:
        write_atomic(path, self.model_dump_json(indent=2))
        return path

    @classmethod
    def load(cls, path: Path) -> RunResult:
        return cls.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


def write_atomic(path: Path, data: str | bytes) -> None:
    """Never a half-written report: write beside it, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        # mkstemp makes the file private; a report is shared like any file the user saves.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _text(value) -> str:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return _without_code(value[1])
    if isinstance(value, float):
        return f"{value:g}"
    if value is False or value is None:
        return ""
    return str(value)


def _without_code(name: str) -> str:
    """"[UAT-...-HEX_BOLT] UAT-... Hex Bolt" -> "UAT-... Hex Bolt": the internal reference only repeats the name."""
    return re.sub(r"^\[[^\]]*\] ", "", name)


def read_records(gw, touched) -> list[Record]:
    """The state of every touched record now (after the step), as evidence."""
    records: list[Record] = []
    for t in touched:
        fields = ["display_name", *EVIDENCE_FIELDS.get(t.model, [])]
        try:
            row = gw.read(t.model, [t.res_id], fields)[0]
        except Exception:  # evidence must never turn a passed step into a failure
            records.append(Record(model=t.model, id=t.res_id, note=t.note, url=gw.web_url(t.model, t.res_id)))
            continue
        rec = Record(
            model=t.model,
            id=t.res_id,
            name=_without_code(_text(row.get("display_name"))),
            state=_text(row.get("state")),
            values={k: _text(v) for k, v in row.items() if k not in ("id", "display_name", "state") and _text(v) != ""},
            url=gw.web_url(t.model, t.res_id),
            note=t.note,
        )
        if t.model in LINE_QUANTITIES:
            line_model, link, qty_fields = LINE_QUANTITIES[t.model]
            try:
                domain = [(link, "=", t.res_id)] + ([("display_type", "=", "product")] if line_model == "account.move.line" else [])
                for line in gw.search_read(line_model, domain, ["product_id", *qty_fields]):
                    if line.get("product_id"):
                        rec.quantities.append(
                            f"{_text(line['product_id'])}: " + ", ".join(f"{f}={_text(line[f]) or 0}" for f in qty_fields)
                        )
            except Exception:
                pass
        records.append(rec)
    return records
