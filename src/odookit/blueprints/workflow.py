"""The library calls behind `odookit blueprint plan/apply`: one function per command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from odookit.blueprints.apply import Applier, check_drift
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.desired import DesiredState
from odookit.blueprints.loader import load_workspace_blueprint
from odookit.blueprints.plan import Operation, Plan, build_plan
from odookit.errors import ProductionGuard
from odookit.odoo.gateway import Gateway


def desired_state(ws, major: int = 18) -> DesiredState:
    return compile_blueprint(load_workspace_blueprint(ws), ws.module, major)


def open_target(ws, target_name: str) -> Gateway:
    from odookit.odoo.connect import connect

    return connect(ws.target(target_name))


def make_plan(ws, target_name: str, gateway: Gateway | None = None) -> Plan:
    from odookit.blueprints.enterprise import refuse_enterprise_apps
    from odookit.blueprints.loader import load_blueprint

    gateway = gateway or open_target(ws, target_name)
    bp, smap = load_blueprint(ws.blueprints, root=ws.root)
    # before the first operation is even planned, so nothing is half-applied
    refuse_enterprise_apps(bp, smap, gateway.info.edition, target_name)
    from odookit.blueprints.landed_costs import refuse_unable_poster

    refuse_unable_poster(bp, smap, gateway.info.major, target_name)
    return build_plan(gateway, compile_blueprint(bp, ws.module, gateway.info.major), target=target_name)


def changelog_path(ws) -> Path:
    return ws.state / "changelog.jsonl"


def apply_blueprint(
    ws,
    target_name: str,
    *,
    plan_path: Path | None = None,
    yes: bool = False,
    gateway: Gateway | None = None,
    on_start: Callable[[Plan], None] | None = None,
    on_step: Callable[[Operation], None] | None = None,
) -> tuple[Plan, list[Operation]]:
    """Apply a saved plan (checked for drift) or a fresh one; return the plan and the operations done."""
    target = ws.target(target_name)
    if target.production and (plan_path is None or not yes):
        raise ProductionGuard(
            f"target '{target_name}' is marked production",
            fix=f"Save a plan with `odookit blueprint plan -t {target_name} --out plan.json`, review it, then run "
            f"`odookit blueprint apply -t {target_name} --plan plan.json --yes`.",
        )
    gateway = gateway or open_target(ws, target_name)
    fresh = make_plan(ws, target_name, gateway)
    if plan_path is not None:
        saved = Plan.read(plan_path)
        check_drift(saved, fresh)
        plan = saved
    else:
        plan = fresh
    if on_start:
        on_start(plan)
    done = Applier(gateway, plan, changelog_path(ws)).run(on_step)
    return plan, done
