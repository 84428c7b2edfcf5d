"""The governance policy: shipped SoD rules and processes, plus the engagement's own files.

The shipped rule set and RACI placement live as YAML data in the package so a
partner can read them; an engagement adds rules, accepts a known conflict
with a mitigation, or corrects a RACI cell in ``<ws>/governance/*.yaml``.
Those files are typed with ``extra="forbid"`` so a typo is a one-line error
with file:line and a did-you-mean instead of a silently ignored setting.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from odookit.errors import BlueprintError, GovernanceError, Problems

RuleCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_-]*$", max_length=40)]
Letter = Literal["R", "A", "C", "I", "-"]
MODULE_PLACEHOLDER = "{module}"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duty(Strict):
    name: str
    groups: list[str] = Field(min_length=1, description="Odoo groups by external ID; {module}. for engagement groups")


class SodRule(Strict):
    code: RuleCode
    title: str
    severity: Literal["error", "warning"] = "error"
    rationale: str
    mitigation: str | None = None
    duty_a: Duty
    duty_b: Duty


class Acceptance(Strict):
    """A conflict the client knowingly keeps, with the control that compensates for it."""

    rule: RuleCode
    role: str | None = Field(None, description="Blueprint role code the acceptance covers")
    user: str | None = Field(None, description="Login of one live user the acceptance covers (audit)")
    reason: str
    mitigation: str | None = None
    approved_by: str | None = None

    def covers(self, rule: str, subject: str) -> bool:
        return self.rule == rule and subject in {self.role, self.user}


class GovernanceFile(Strict):
    """One ``<ws>/governance/*.yaml`` file."""

    rules: list[SodRule] = Field(default_factory=list, description="SoD rules beyond the shipped ones")
    disabled_rules: list[RuleCode] = Field(default_factory=list, description="Shipped rules that do not apply here")
    accepted: list[Acceptance] = Field(default_factory=list, description="Conflicts accepted with a mitigation")
    raci: dict[str, dict[str, Letter]] = Field(
        default_factory=dict, description="process code -> role code -> R/A/C/I/- (corrects the derived cell)"
    )
    inactive_after_days: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Audit: an active user with no login for this many days is flagged"
    )


class Process(Strict):
    code: str
    name: str
    area: str
    A: list[str] = Field(default_factory=list)
    R: list[str] = Field(default_factory=list)
    C: list[str] = Field(default_factory=list)
    I: list[str] = Field(default_factory=list)  # noqa: E741 - the RACI letter


class _RulesData(Strict):
    rules: list[SodRule]


class _ProcessData(Strict):
    processes: list[Process]


def _data(name: str) -> dict:
    text = resources.files("odookit.governance").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def shipped_rules() -> tuple[SodRule, ...]:
    return tuple(_RulesData.model_validate(_data("sod_rules.yaml")).rules)


@cache
def processes() -> tuple[Process, ...]:
    return tuple(_ProcessData.model_validate(_data("processes.yaml")).processes)


def expand(group: str, module: str) -> str:
    return group.replace(MODULE_PLACEHOLDER, module)


@dataclass
class Policy:
    """Everything governance decides with: the rules in force, acceptances, RACI corrections."""

    module: str
    rules: list[SodRule]
    accepted: list[Acceptance] = field(default_factory=list)
    raci: dict[str, dict[str, str]] = field(default_factory=dict)
    inactive_after_days: int = 90
    files: list[str] = field(default_factory=list)

    def duty_groups(self, duty: Duty) -> set[str]:
        return {expand(g, self.module) for g in duty.groups}

    def acceptance(self, rule: str, subject: str) -> Acceptance | None:
        return next((a for a in self.accepted if a.covers(rule, subject)), None)


# -- reading the engagement's files -------------------------------------------


def _owner(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model that holds the last key of ``loc`` (to suggest the key meant)."""
    current: typing.Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        if part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
        while typing.get_args(current) and not (isinstance(current, type) and issubclass(current, BaseModel)):
            inner = [a for a in typing.get_args(current) if isinstance(a, type) and issubclass(a, BaseModel)]
            if not inner:
                break
            current = inner[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _read(path: Path, root: Path) -> tuple[GovernanceFile, object]:
    from odookit.blueprints.loader import read_documents, schema_problems, suggest

    try:
        data, smap = read_documents([path], root=root)
    except BlueprintError as exc:
        raise GovernanceError(exc.message, where=exc.where, fix=exc.fix or "Fix the YAML syntax.") from None
    except Problems as exc:  # the reader names the blueprint in its summary; this file is governance's
        raise Problems(exc.problems, f"{len(exc.problems)} problem(s) in {path.name}") from None
    try:
        return GovernanceFile.model_validate(data), smap
    except ValidationError as exc:
        problems = []
        for err, problem in zip(exc.errors(), schema_problems(exc, smap), strict=True):
            if err["type"] == "extra_forbidden":
                loc = tuple(err["loc"])
                owner = _owner(GovernanceFile, loc[:-1])
                hint = suggest(loc[-1], owner.model_fields) if owner else ""
                problems.append(GovernanceError(f"unknown key '{loc[-1]}'{hint}", where=problem.where))
            else:
                problems.append(GovernanceError(problem.message, where=problem.where))
        raise Problems(problems, f"{len(problems)} problem(s) in {path.name}") from None


def load_policy(ws, role_codes: list[str] | None = None) -> Policy:
    """Shipped rules plus ``<ws>/governance/*.yaml``, every reference checked."""
    from odookit.blueprints.loader import suggest
    from odookit.governance.groups import known_group_problems

    policy = Policy(module=ws.module, rules=[])
    folder = ws.governance
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    problems: list[GovernanceError] = []
    pending = [_read(path, ws.root) for path in files]
    policy.files = [str(path.relative_to(ws.root)) for path in files]
    disabled = {code for gov, _ in pending for code in gov.disabled_rules}
    rules = [r for r in shipped_rules() if r.code not in disabled]  # a disabled shipped rule may be redefined
    for gov, smap in pending:
        for i, rule in enumerate(gov.rules):
            if any(r.code == rule.code for r in rules):
                problems.append(GovernanceError(
                    f"rule code '{rule.code}' is already used", where=str(smap.at(("rules", i, "code"))),
                    fix="Pick another code, or list the shipped rule under disabled_rules and redefine it."))
                continue
            for duty in ("duty_a", "duty_b"):
                for j, group in enumerate(getattr(rule, duty).groups):
                    if group.startswith(MODULE_PLACEHOLDER + ".") or group.startswith(ws.module + "."):
                        continue
                    message = known_group_problems(group)
                    if message:
                        problems.append(GovernanceError(message, where=str(smap.at(("rules", i, duty, "groups", j)))))
            rules.append(rule)
        if gov.inactive_after_days:
            policy.inactive_after_days = gov.inactive_after_days
    policy.rules = rules
    codes = [r.code for r in shipped_rules()] + [r.code for gov, _ in pending for r in gov.rules]
    process_codes = [p.code for p in processes()]
    for gov, smap in pending:
        for i, code in enumerate(gov.disabled_rules):
            if code not in codes:
                problems.append(GovernanceError(f"unknown rule '{code}'{suggest(code, codes)}",
                                                where=str(smap.at(("disabled_rules", i)))))
        for i, acc in enumerate(gov.accepted):
            if acc.rule not in codes:
                problems.append(GovernanceError(f"unknown rule '{acc.rule}'{suggest(acc.rule, codes)}",
                                                where=str(smap.at(("accepted", i, "rule")))))
            if (acc.role is None) == (acc.user is None):
                problems.append(GovernanceError("an acceptance names exactly one of role or user",
                                                where=str(smap.at(("accepted", i)))))
            if acc.role is not None and role_codes is not None and acc.role not in role_codes:
                problems.append(GovernanceError(f"unknown role '{acc.role}'{suggest(acc.role, role_codes)}",
                                                where=str(smap.at(("accepted", i, "role")))))
        for process, cells in gov.raci.items():
            if process not in process_codes:
                problems.append(GovernanceError(f"unknown process '{process}'{suggest(process, process_codes)}",
                                                where=str(smap.at(("raci", process)))))
                continue
            for role in cells:
                if role_codes is not None and role not in role_codes:
                    problems.append(GovernanceError(f"unknown role '{role}'{suggest(role, role_codes)}",
                                                    where=str(smap.at(("raci", process, role)))))
            policy.raci.setdefault(process, {}).update(cells)
        policy.accepted.extend(gov.accepted)
    if problems:
        raise Problems(problems, f"{len(problems)} problem(s) in governance/")
    return policy
