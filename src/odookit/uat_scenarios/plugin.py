"""The pytest plugin of a UAT run: scenario context, evidence per step, "not run" when the target is down.

It is registered by the runner for one in-process pytest session; the
results it fills are the run's record, whatever pytest's own reporters say.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from odookit.errors import OdooError, OdooUnreachable, UserError
from odookit.uat_scenarios.context import ScenarioContext
from odookit.uat_scenarios.evidence import ScenarioResult, StepResult, read_records


def error_line(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return exc.line()
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(exc, AssertionError):
        return first or "assertion failed"
    return f"{exc.__class__.__name__}: {first}"


def item_key(item) -> tuple | None:
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if template is None:
        return None
    example = {}
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        example = dict(callspec.params.get("_pytest_bdd_example", {}) or {})
    return (str(Path(template.feature.filename).resolve()), template.line_number, tuple(sorted(example.items())))


class UatPlugin:
    def __init__(self, run, results: dict[tuple, ScenarioResult], on_done=None):
        self.run = run
        self.results = results
        self.on_done = on_done
        self.items: dict[str, tuple] = {}  # nodeid -> key
        self.current: ScenarioResult | None = None
        self.step_started = 0.0
        self.scenario_started = 0.0

    # -- collection: only the planned, runnable scenarios ---------------
    def pytest_collection_modifyitems(self, session, config, items):
        keep, drop = [], []
        for item in items:
            key = item_key(item)
            if key is not None and key in self.results and self.results[key].status == "not run" and not self.results[key].reason:
                keep.append(item)
                self.items[item.nodeid] = key
            else:
                drop.append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    @pytest.fixture
    def uat(self, request):
        try:
            self.run.heartbeat.beat()  # at most once a minute: other runs on the database leave this one's users alone
        except OdooError:
            pass  # the server went away: the scenario's first step says so
        self.run.scenario_count += 1
        return ScenarioContext(self.run, self.run.scenario_count)

    def pytest_runtest_setup(self, item):
        result = self.results.get(self.items.get(item.nodeid))
        self.current = result
        self.scenario_started = time.monotonic()
        if self.run.down_reason:
            pytest.skip(self.run.down_reason)

    # -- steps ------------------------------------------------------------
    def pytest_bdd_before_step(self, request, feature, scenario, step, step_func):
        ctx = request.getfixturevalue("uat")
        ctx.touched = []
        self.step_started = time.monotonic()

    def _step(self, step) -> StepResult | None:
        if self.current is None:
            return None
        for s in self.current.steps:
            if s.line == step.line_number and s.text == step.name:
                return s
        s = StepResult(keyword=step.keyword, text=step.name, line=step.line_number)
        self.current.steps.append(s)
        return s

    def _finish_step(self, request, step, status: str, error: str = "") -> None:
        result = self._step(step)
        if result is None:
            return
        ctx = request.getfixturevalue("uat")
        result.status = status
        result.error = error
        result.seconds = round(time.monotonic() - self.step_started, 3)
        result.actor = ctx.actor or (ctx.role.name if ctx.role else self.run.target.login)
        if ctx.touched and not self.run.down_reason:
            try:
                result.records = read_records(self.run.admin, ctx.touched)
            except Exception:
                pass

    def pytest_bdd_after_step(self, request, feature, scenario, step, step_func, step_func_args):
        self._finish_step(request, step, "passed")

    def pytest_bdd_step_error(self, request, feature, scenario, step, step_func, step_func_args, exception):
        self._finish_step(request, step, "failed", error_line(exception))
        if isinstance(exception, OdooUnreachable):
            # The target went away, Odoo did nothing wrong: the scenario did not run to its end.
            self.run.down_reason = f"target unreachable during \"{self.current.title if self.current else scenario.name}\": {exception.line()}"
            if self.current is not None:
                self.current.reason = f'not run: interrupted at step "{step.name}" (line {step.line_number}): {exception.line()}'
        elif self.current is not None:
            self.current.reason = f'step "{step.name}" (line {step.line_number}) failed: {error_line(exception)}'

    # -- outcome ----------------------------------------------------------
    def pytest_runtest_logreport(self, report):
        result = self.results.get(self.items.get(report.nodeid))
        if result is None:
            return
        if report.when == "setup" and report.skipped:
            result.status = "not run"
            result.reason = f"not run: {self.run.down_reason}" if self.run.down_reason else "not run"
        elif report.failed and result.reason.startswith("not run: interrupted"):
            result.status = "not run"
        elif report.failed:
            result.status = "failed"
            if not result.reason:
                result.reason = (report.longreprtext or "failed").strip().splitlines()[-1][:500]
        elif report.when == "call" and report.passed:
            result.status = "passed"
        if report.when == "teardown":
            result.seconds = round(time.monotonic() - self.scenario_started, 3)
            if self.on_done:
                self.on_done(result)
