"""The evidence a UAT step leaves: each touched record read back after the step, as the sign-off report shows it.

Read from the in-memory stand-in (generic reads only: the values are set by
the test as Odoo would hold them after the step; no flow is imitated).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from odookit.uat_scenarios.context import Touched
from odookit.uat_scenarios.evidence import Record, RunResult, ScenarioResult, read_records, write_atomic


def test_a_touched_order_is_read_with_its_state_values_and_line_quantities(memory):
    partner = memory.seed("res.partner", {"name": "UAT-7 Acme"})
    warehouse = memory.seed("stock.warehouse", {"name": "Chicago"})
    product = memory.seed("product.product", {"name": "[UAT-7-BOLT] UAT-7 Hex Bolt"})
    order = memory.seed("sale.order", {"name": "S00042", "state": "sale", "amount_total": 1250.5, "partner_id": partner,
                                       "warehouse_id": warehouse})
    memory.relations.update({"sale.order.partner_id": "res.partner", "sale.order.warehouse_id": "stock.warehouse",
                             "sale.order.line.product_id": "product.product"})
    memory.seed("sale.order.line", {"order_id": order, "product_id": product, "product_uom_qty": 40.0, "qty_delivered": 25.0})
    memory.seed("sale.order.line", {"order_id": order, "product_id": False, "product_uom_qty": 0.0})  # a note line: no product
    [rec] = read_records(memory, [Touched("sale.order", order, "confirmed by the Sales Manager")])
    assert rec == Record(
        model="sale.order", id=order, name="S00042", state="sale",
        values={"amount_total": "1250.5", "partner_id": "UAT-7 Acme", "warehouse_id": "Chicago"},
        quantities=["UAT-7 Hex Bolt: product_uom_qty=40, qty_delivered=25, qty_invoiced=0"],
        url=f"memory://odoo/web?db=memory#model=sale.order&id={order}&view_type=form", note="confirmed by the Sales Manager",
    )


def test_a_products_internal_reference_is_dropped_from_its_name_and_empty_values_are_left_out(memory):
    product = memory.seed("product.product", {"name": "[UAT-7-HEX] UAT-7 Hex Bolt", "qty_available": 0.0, "virtual_available": -5.0})
    [rec] = read_records(memory, [Touched("product.product", product)])
    assert (rec.name, rec.state, rec.values, rec.quantities) == ("UAT-7 Hex Bolt", "", {"qty_available": "0", "virtual_available": "-5"}, [])


def test_invoice_lines_are_only_the_product_lines(memory):
    product = memory.seed("product.product", {"name": "Bolt"})
    memory.relations["account.move.line.product_id"] = "product.product"
    move = memory.seed("account.move", {"name": "INV/1", "state": "posted", "move_type": "out_invoice", "amount_total": 10.0,
                                        "amount_residual": 10.0})
    memory.seed("account.move.line", {"move_id": move, "product_id": product, "quantity": 4.0, "display_type": "product"})
    memory.seed("account.move.line", {"move_id": move, "product_id": product, "quantity": 99.0, "display_type": "tax"})
    [rec] = read_records(memory, [Touched("account.move", move)])
    assert rec.quantities == ["Bolt: quantity=4"]
    assert rec.values == {"move_type": "out_invoice", "amount_total": "10", "amount_residual": "10"}


def test_a_record_that_cannot_be_read_is_still_named_as_evidence_without_failing_the_step(memory):
    user = memory.seed("res.users", {"name": "UAT-7 Clerk", "login": "uat-7-clerk"})
    real_read = memory.read

    def refuse_orders(model, ids, fields, **kwargs):
        if model == "sale.order":
            raise RuntimeError("access denied")
        return real_read(model, ids, fields, **kwargs)

    memory.read = refuse_orders
    unread, clerk = read_records(memory, [Touched("sale.order", 7, "cancelled"), Touched("res.users", user)])
    assert unread == Record(model="sale.order", id=7, note="cancelled", url="memory://odoo/web?db=memory#model=sale.order&id=7&view_type=form")
    # a model without evidence fields of its own is read by its name only; the next record is read all the same
    assert (clerk.model, clerk.name, clerk.values) == ("res.users", "UAT-7 Clerk", {})


def test_an_empty_or_false_value_is_left_out_of_the_evidence(memory):
    order = memory.seed("sale.order", {"name": "S2", "state": "draft", "amount_total": 0.0, "partner_id": False, "warehouse_id": ""})
    [rec] = read_records(memory, [Touched("sale.order", order)])
    assert rec.values == {"amount_total": "0"}


def test_lines_that_cannot_be_read_leave_the_record_without_quantities(memory):
    order = memory.seed("sale.order", {"name": "S1", "state": "draft"})

    def refuse(*args, **kwargs):
        raise RuntimeError("no access to lines")

    memory.search_read = refuse
    [rec] = read_records(memory, [Touched("sale.order", order)])
    assert (rec.name, rec.state, rec.quantities) == ("S1", "draft", [])


def test_a_run_saved_and_loaded_is_the_same_run_in_a_file_readable_by_others(tmp_path):
    run = RunResult(run="UAT-1", target="dev", scenarios=[ScenarioResult(feature="F", path="f.feature", name="S", line=2, status="passed")])
    path = run.save(tmp_path / "runs" / "deep" / "run.json")
    assert path == tmp_path / "runs" / "deep" / "run.json"
    assert RunResult.load(path) == run
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, "as any file the user saves: not private, not executable"
    assert [p.name for p in path.parent.iterdir()] == ["run.json"], "no temporary file is left beside it"


def test_a_failed_write_leaves_the_previous_report_and_no_temporary_file(tmp_path):
    target = tmp_path / "report.html"
    write_atomic(target, "first")
    write_atomic(target, b"second as bytes")
    assert target.read_bytes() == b"second as bytes"

    class Unwritable(str):
        def encode(self, *args):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, Unwritable("third"))
    assert target.read_text() == "second as bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_report_is_written_beside_its_final_place_then_renamed_there(tmp_path, monkeypatch):
    # a rename across filesystems fails: the temporary file must live in the report's own folder
    import odookit.uat_scenarios.evidence as evidence

    renames = []
    real_replace = evidence.os.replace
    monkeypatch.setattr(evidence.os, "replace", lambda src, dst: renames.append((Path(src), Path(dst))) or real_replace(src, dst))
    target = tmp_path / "reports" / "uat.html"
    write_atomic(target, "<html></html>")
    [(src, dst)] = renames
    assert (src.parent, dst) == (target.parent, target)
    assert src.name.startswith(".uat.html."), "hidden while it is written, named after its report"
