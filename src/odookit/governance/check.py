"""``governance check``: SoD conflicts in the blueprint's roles, without a server."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from odookit.governance.sod import Conflict, evaluate

CHECK_STATE = "governance-check.json"


@dataclass
class CheckResult:
    conflicts: list[Conflict]
    roles: int
    rules: int
    files: list[str] = field(default_factory=list)
    at: str = ""

    @property
    def errors(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.severity == "error"]

    def count(self, severity: str) -> int:
        return sum(c.severity == severity for c in self.conflicts)

    def summary(self) -> str:
        return (
            f"{self.roles} roles against {self.rules} SoD rules: {self.count('error')} error(s), "
            f"{self.count('warning')} warning(s), {self.count('accepted')} accepted"
        )

    def as_dict(self) -> dict:
        return {
            "at": self.at,
            "summary": self.summary(),
            "roles": self.roles,
            "rules": self.rules,
            "files": self.files,
            "counts": {s: self.count(s) for s in ("error", "warning", "accepted")},
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


def write_json(path: Path, data) -> None:
    """Write JSON through a temp file so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False, default=str)
    os.replace(tmp, path)


def run_check(ws, save: bool = True) -> CheckResult:
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.governance.policy import load_policy
    from odookit.governance.roles import role_grants

    bp = load_workspace_blueprint(ws)
    policy = load_policy(ws, role_codes=[r.code for r in bp.roles])
    conflicts = []
    for grant in role_grants(bp, ws.module):
        conflicts.extend(evaluate(grant.code, grant.direct, policy))
    order = {"error": 0, "warning": 1, "accepted": 2}
    conflicts.sort(key=lambda c: (order[c.severity], c.subject, c.rule))
    result = CheckResult(
        conflicts, roles=len(bp.roles), rules=len(policy.rules), files=policy.files,
        at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    if save:
        write_json(ws.state / CHECK_STATE, result.as_dict())
    return result


def latest(ws, name: str) -> dict | None:
    path = ws.state / name
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
