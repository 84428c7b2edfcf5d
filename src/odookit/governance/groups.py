"""Odoo security groups odookit knows without a server.

The catalog (odoo18_groups.json) lists the standard groups of the apps a
distributor uses, with their app and the groups each one implies. It lets
the blueprint be checked offline (a role naming a group that does not exist)
and the role matrix resolve implied groups; the live audit reads the real
groups from the server instead.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources


@cache
def catalog() -> dict[str, dict]:
    text = resources.files("odookit.governance").joinpath("odoo18_groups.json").read_text(encoding="utf-8")
    return json.loads(text)


def known_group_problems(xmlid: str) -> str | None:
    """A message when ``xmlid`` is not a known Odoo group, with a did-you-mean."""
    groups = catalog()
    if xmlid in groups:
        return None
    match = difflib.get_close_matches(xmlid, list(groups), n=1, cutoff=0.6)
    hint = f" (did you mean '{match[0]}'?)" if match else ""
    return f"unknown Odoo security group '{xmlid}'{hint}"


def implied_closure(xmlids, implies: dict[str, list[str]] | None = None) -> set[str]:
    """Every group reached from ``xmlids`` through implied groups (the groups a user really has)."""
    graph = implies if implies is not None else {k: v["implies"] for k, v in catalog().items()}
    seen: set[str] = set()
    stack = list(xmlids)
    while stack:
        group = stack.pop()
        if group in seen:
            continue
        seen.add(group)
        stack.extend(graph.get(group, []))
    return seen
