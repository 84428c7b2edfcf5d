"""A saved plan refused when the database moved on: the message names what changed, within reason.

Written against the mutants of ``check_drift`` that survived the apply tests
(docs/testing.md, "Mutation testing").
"""

from __future__ import annotations

import pytest

from odookit.blueprints.apply import check_drift
from odookit.blueprints.plan import Change, Operation, Plan
from odookit.errors import PlanError


def plan_of(*operations: Operation) -> Plan:
    return Plan(target="dev", url="memory://odoo", database="memory", module="acme", odoo_version="18.0",
                created_at="2026-12-01T08:00:00+00:00", operations=list(operations))


def refusal(saved: Plan, fresh: Plan) -> str:
    with pytest.raises(PlanError) as info:
        check_drift(saved, fresh)
    return info.value.line()


def test_apps_to_install_that_changed_are_drift_even_when_no_record_did():
    saved = plan_of(Operation(action="install", label="install apps", modules=["stock"]),
                    Operation(action="noop", model="res.groups", xmlid="acme.role_a"))
    fresh = plan_of(Operation(action="install", label="install apps", modules=["sale_management", "stock"]),
                    Operation(action="noop", model="res.groups", xmlid="acme.role_a"))
    assert refusal(saved, fresh) == ("memory: the database or the blueprint changed since the plan was made (operations differ). "
                                     "Review and save a new plan with `odookit blueprint plan --out FILE`.")


def test_one_companys_values_added_to_a_record_already_planned_are_drift():
    """The same external ID twice (the record, then a second company's values of it): the plans differ in length only."""
    record = Operation(action="update", model="res.partner.category", xmlid="acme.partner_segment_key",
                       changes={"name": Change(before="Key", after="Key Accounts")})
    west = Operation(action="update", model="res.partner.category", xmlid="acme.partner_segment_key",
                     company="acme.company_west", changes={"name": Change(before="Key", after="Grands comptes")})
    assert "changed since the plan was made (operations differ)" in refusal(plan_of(record), plan_of(record, west))
    assert "changed since the plan was made (operations differ)" in refusal(plan_of(record, west), plan_of(record))


def test_a_refusal_names_at_most_five_of_the_records_that_changed():
    saved = plan_of(Operation(action="noop", model="res.groups", xmlid="acme.role_a"))
    fresh = plan_of(*saved.operations,
                    *(Operation(action="create", model="res.groups", xmlid=f"acme.role_{c}") for c in "bcdefg"))
    assert "changed since the plan was made (acme.role_b, acme.role_c, acme.role_d, acme.role_e, acme.role_f). " in refusal(saved, fresh)
