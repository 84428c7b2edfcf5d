"""The saved plan and the planner's comparisons, on hand-made inputs: exact lines and exact operations.

Written against the mutants of ``blueprints/plan.py`` that survived the blueprint
tests (docs/testing.md, "Mutation testing").
"""

from __future__ import annotations

import json

import pytest

from odookit.blueprints.plan import Operation, Plan
from odookit.errors import PlanError

FIX = "Re-create it with `odookit blueprint plan --out FILE`."


def refusal(path) -> str:
    with pytest.raises(PlanError) as info:
        Plan.read(path)
    return info.value.line()


def saved_fields(**changed) -> dict:
    return {"target": "dev", "url": "memory://odoo", "database": "memory", "module": "acme", "odoo_version": "18.0",
            "created_at": "2026-12-01T08:00:00+00:00", "operations": [], **changed}


def test_a_plan_file_that_is_not_there_is_one_line_saying_how_to_make_one(tmp_path):
    assert refusal(tmp_path / "plan.json") == (f"no plan file {tmp_path / 'plan.json'}. "
                                               "Create one with `odookit blueprint plan --out FILE`.")


@pytest.mark.parametrize(("content", "problem"), [
    (b"{}", "target: Field required"),
    (json.dumps(saved_fields(operations=[{"action": "explode"}])).encode(),
     "operations.0.action: Input should be 'install', 'load_chart', 'create', 'adopt', 'update' or 'noop'"),
    (b"[1", "Invalid JSON: EOF while parsing a list at line 1 column 2"),
    (b"\xff\xfe{", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
], ids=["field missing", "nested field", "not JSON", "not UTF-8"])
def test_a_damaged_plan_file_is_one_line_naming_the_file_the_field_and_the_fix(tmp_path, content, problem):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    assert refusal(path) == f"{path}: not a valid odookit plan: {problem}. {FIX}"


def test_a_saved_plan_reads_back_equal_and_leaves_no_temporary_file(tmp_path):
    plan = Plan(**saved_fields(operations=[Operation(action="install", label="install apps", modules=["stock"])]))
    plan.save(tmp_path / "plans" / "dev.json")
    assert Plan.read(tmp_path / "plans" / "dev.json") == plan
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["dev.json"]
