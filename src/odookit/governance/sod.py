"""Segregation-of-duties evaluation, the same for a blueprint role and a live user.

A subject breaks a rule when its groups, implied groups resolved, reach both
duties. The groups that bring each duty are reported as the cause. When a
single standard Odoo group brings both (Odoo bundles the duties, as the
purchase administrator can also create orders), no role design can split
them: the conflict is "inherent" and reported as a warning whose answer is the
rule's mitigation. Engagement groups (``<module>.*``: roles, approval groups)
never count as such a bundle, since the engagement chose to combine them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from odookit.governance.groups import implied_closure
from odookit.governance.policy import Policy


@dataclass
class Conflict:
    rule: str
    title: str
    severity: str  # error | warning | accepted
    subject: str  # role code or user login
    duty_a: str
    duty_b: str
    groups_a: list[str]
    groups_b: list[str]
    causes_a: list[str]
    causes_b: list[str]
    inherent: bool = False
    rationale: str = ""
    mitigation: str = ""
    accepted_reason: str = ""
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        how = "inherent in " + ", ".join(sorted(set(self.causes_a) & set(self.causes_b))) if self.inherent else (
            f"{', '.join(self.causes_a)} -> {self.duty_a}; {', '.join(self.causes_b)} -> {self.duty_b}"
        )
        extra = f" [accepted: {self.accepted_reason}]" if self.severity == "accepted" else ""
        return f"{self.severity}: {self.subject}: {self.rule} {self.title} ({how}){extra}"


def evaluate(
    subject: str,
    groups: Iterable[str],
    policy: Policy,
    implies: Mapping[str, Iterable[str]] | None = None,
) -> list[Conflict]:
    """Every rule of ``policy`` that ``groups`` break. ``implies`` is the group graph
    (the offline catalog when None, the live server's for an audit)."""
    graph = {k: list(v) for k, v in implies.items()} if implies is not None else None
    groups = sorted(set(groups))
    reach = {g: implied_closure([g], graph) for g in groups}
    own = policy.module + "."
    found = []
    for rule in policy.rules:
        a, b = policy.duty_groups(rule.duty_a), policy.duty_groups(rule.duty_b)
        causes_a = [g for g in groups if reach[g] & a]
        causes_b = [g for g in groups if reach[g] & b]
        if not causes_a or not causes_b:
            continue
        everything = set().union(*reach.values())
        inherent = any(g in causes_b and not g.startswith(own) for g in causes_a)
        severity = "warning" if inherent else rule.severity
        accepted = policy.acceptance(rule.code, subject)
        found.append(Conflict(
            rule=rule.code,
            title=rule.title,
            severity="accepted" if accepted else severity,
            subject=subject,
            duty_a=rule.duty_a.name,
            duty_b=rule.duty_b.name,
            groups_a=sorted(everything & a),
            groups_b=sorted(everything & b),
            causes_a=_roots(causes_a, reach, own + "role_"),
            causes_b=_roots(causes_b, reach, own + "role_"),
            inherent=inherent,
            rationale=rule.rationale,
            mitigation=(accepted.mitigation if accepted and accepted.mitigation else rule.mitigation) or "",
            accepted_reason=accepted.reason if accepted else "",
        ))
    return found


def _roots(causes: list[str], reach: dict[str, set[str]], role_prefix: str) -> list[str]:
    """The causes not already implied by another cause: the groups a person would look at.
    Role groups are looked through, to name the Odoo groups inside them."""
    inner = [g for g in causes if not g.startswith(role_prefix)] or causes
    return sorted(g for g in inner if not any(g != o and g in reach[o] for o in inner))
