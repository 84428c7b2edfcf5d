"""The load's parts that need no workbook: checkpoint, digest, production guard, batch bisection, cut-over, lots.

Fast on purpose (no validation run): the mutation benchmark runs them first
for each mutant of ``migration/load.py``. test_catch_load.py shows the same
behaviours through ``migrate load`` on workbooks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json

import openpyxl
import pytest

from odookit.errors import MigrationError, OdooRejected, OdooUnreachable, ProductionGuard
from odookit.migration.entities import BY_NAME, MapContext
from odookit.migration.load import (
    LOAD_CONTEXT, Checkpoint, CutOver, EntityLoad, LoadReport, QuantSender, Reject, Sender, digest, guard_production, hold_dependents,
    _live, invalid_xmlids, load_validation, load_workspace, lots, quant_label, sub_locations, write_rejects,
)
from odookit.odoo.memory import MemoryGateway
from odookit.workspace import Target, Workspace

from .in_memory import blueprint_odoo, customers, validation

M = "acme"
FIX = "Delete that file and load again: rows already in Odoo are updated, never created twice."


def test_a_new_checkpoint_starts_each_entity_at_zero_and_resumes_where_it_stopped(tmp_path):
    path = tmp_path / "state" / "migration" / "load-dev.json"  # made with its parents on the first save
    cp = Checkpoint(path)
    assert cp.data == {"version": 1, "entities": {}}
    cp.begin()
    assert cp.data == {"version": 1, "entities": {}, "finished": False}
    assert cp.start("customers", "d1") == 0
    assert cp.data["entities"] == {"customers": {"digest": "d1", "done": 0, "complete": False, "rejects": []}}
    cp.advance("customers", 500, [Reject("customers", ("c.xlsx", "customers", 7), "bad", {"id": "x"})])
    cp.advance("customers", 900, [])
    again = Checkpoint(path)
    again.begin()  # the run was not finished: its entities stay
    assert again.start("customers", "d1") == 900
    assert again.rejects("customers") == [{"entity": "customers", "where": ["c.xlsx", "customers", 7], "message": "bad", "values": {"id": "x"}}]
    assert again.start("customers", "d2") == 0, "changed rows start over"
    assert again.rejects("customers") == []
    again.finish("customers")
    assert json.loads(path.read_text(encoding="utf-8"))["entities"]["customers"] == {"digest": "d2", "done": 0, "complete": True, "rejects": []}
    again.end()
    assert json.loads(path.read_text(encoding="utf-8"))["finished"] is True
    after = Checkpoint(path)
    after.begin()  # a finished run: the next one starts afresh
    assert after.data == {"version": 1, "entities": {}, "finished": False}
    assert sorted(p.name for p in path.parent.iterdir()) == ["load-dev.json"]


def test_a_checkpoint_of_another_version_is_ignored(tmp_path):
    path = tmp_path / "load-dev.json"
    path.write_text(json.dumps({"version": 0, "entities": {"customers": {"digest": "d", "done": 5}}}), encoding="utf-8")
    assert Checkpoint(path).data == {"version": 1, "entities": {}}


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "not readable JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ("[1, 2]", "not an odookit load checkpoint"),
    ('{"version": 1, "entities": []}', "'entities' is not a mapping"),
    ('{"version": 1, "entities": {"customers": {"digest": "d"}}}', "entity 'customers' has no digest or row count"),
    ('{"version": 1, "entities": {"customers": {"digest": 5, "done": 1}}}', "entity 'customers' has no digest or row count"),
    ('{"version": 1, "entities": {"customers": {"digest": "d", "done": true}}}', "entity 'customers' has no digest or row count"),
    ('{"version": 1, "entities": {"customers": []}}', "entity 'customers' has no digest or row count"),
    ('{"version": 1, "entities": {"customers": {"digest": "d", "done": 1}}}', "entity 'customers' has malformed rejects"),
    ('{"version": 1, "entities": {"customers": {"digest": "d", "done": 1, "rejects": [{"entity": "c"}]}}}',
     "entity 'customers' has malformed rejects"),
    ('{"version": 1, "entities": {"customers": {"digest": "d", "done": 1, "rejects": [[]]}}}', "entity 'customers' has malformed rejects"),
])
def test_a_damaged_checkpoint_names_the_problem_and_the_fix(tmp_path, content, problem):
    path = tmp_path / "load-dev.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MigrationError) as info:
        Checkpoint(path)
    assert info.value.line() == f"{path}: the load checkpoint is damaged ({problem}); nothing was loaded. {FIX}"


def test_a_checkpoint_with_well_formed_rejects_is_read():
    good = {"version": 1, "entities": {"customers": {"digest": "d", "done": 3, "complete": False,
                                                      "rejects": [{"entity": "c", "where": [], "message": "m", "values": {}}]}}}
    from odookit.migration.load import _checkpoint_problem

    assert _checkpoint_problem(good) is None


def test_the_digest_changes_with_any_value_and_not_with_key_order():
    rows = [{"id": "a", "name": "Acme", "credit_limit": "100"}]
    assert digest(rows) == digest([{"credit_limit": "100", "name": "Acme", "id": "a"}])
    assert digest(rows) != digest([{"id": "a", "name": "Acme", "credit_limit": "101"}])
    # the same rows give the same digest in every odookit run, or a resumed load would start over
    assert digest(rows) == "60f832666422b1270358602e20c956f79213c5eb75064b9763ea50ca2c848299"
    assert digest([{"d": dt.date(2025, 3, 1)}]) == "8c165becad3d08398f1db075253915dd0574f9f94d1e9be68f43004ca5df636b"


def target(production):
    return Target(name="prod", url="https://erp.example", database="erp", production=production)


def test_a_production_target_is_refused_without_yes_and_a_stock_reset_says_what_it_overwrites():
    guard_production(target(False), False, reset_stock=True)
    guard_production(target(True), True, reset_stock=True)
    with pytest.raises(ProductionGuard) as info:
        guard_production(target(True), False)
    assert info.value.line() == ("https://erp.example: target 'prod' is marked production; refusing to load master data into it. "
                                 "Pass --yes if this is the cut-over load you mean to run.")
    with pytest.raises(ProductionGuard) as info:
        guard_production(target(True), False, reset_stock=True)
    assert info.value.line() == ("https://erp.example: target 'prod' is marked production; refusing to reset stock that moved since the "
                                 "cut-over. Pass --yes with --reset-stock only if every quantity moved in Odoo since the cut-over is to be "
                                 "overwritten.")


class FakeOdoo:
    """load() answering as Odoo does: all or nothing, with messages naming a record index or none."""

    def __init__(self, bad: dict[str, str | None], known=(), unnamed=False, silent=False):
        self.bad, self.known, self.unnamed, self.silent = bad, set(known), unnamed, silent
        self.loaded: list[str] = []
        self.calls: list[tuple] = []

    def resolve_xmlids(self, xmlids):
        return {x: ("res.partner", 1) for x in xmlids if x in self.known}

    def load(self, model, fields, data, *, context=None):
        self.calls.append((model, tuple(fields), len(data), context))
        rows = [dict(zip(fields, d)) for d in data]
        if self.silent:
            return {"ids": False, "messages": []}
        messages = [{"type": "warning", "message": "just a warning", "record": 0}]
        for i, r in enumerate(rows):
            if r["id"] in self.bad:
                field = self.bad[r["id"]]
                messages.append({"type": "error", "message": f" {r['name']} is refused ", "record": None if self.unnamed else i,
                                 **({"field": field} if field else {})})
                messages.append({"type": "error", "message": f" {r['name']} is refused ", "record": None if self.unnamed else i,
                                 **({"field": field} if field else {})})
        if any(m["type"] == "error" for m in messages):
            return {"ids": False, "messages": messages}
        self.loaded += [r["id"] for r in rows]
        return {"ids": list(range(len(rows))), "messages": messages}


def rows_of(n):
    rows = [{"id": f"{M}.customer_{i}", "name": f"C{i}"} for i in range(n)]
    return rows, [("c.xlsx", "customers", i + 2) for i in range(n)]


@pytest.mark.parametrize("unnamed", [False, True], ids=["errors name their row", "errors name no row"])
def test_a_batch_with_bad_rows_loads_every_good_row_and_rejects_each_bad_one_with_odoos_message(unnamed):
    gw = FakeOdoo({f"{M}.customer_2": "vat", f"{M}.customer_5": None}, known={f"{M}.customer_0"}, unnamed=unnamed)
    sender = Sender(gw, "customers", "res.partner")
    rows, wheres = rows_of(7)
    loaded, rejects = sender.send(rows, wheres)
    assert loaded == 5
    assert sorted(gw.loaded) == sorted(r["id"] for r in rows if r["id"] not in (f"{M}.customer_2", f"{M}.customer_5"))
    assert [(r.entity, r.where, r.message, r.values["id"]) for r in rejects] == [
        ("customers", ("c.xlsx", "customers", 4), "vat: C2 is refused", f"{M}.customer_2"),
        ("customers", ("c.xlsx", "customers", 7), "C5 is refused", f"{M}.customer_5")]
    assert (sender.created, sender.updated) == (4, 1)
    # rows Odoo names are taken out at once and tried alone; otherwise the batch is halved until each bad row is alone
    assert [c[2] for c in gw.calls] == ([7, 3, 1, 2, 1, 1, 4, 2, 2, 1, 1] if unnamed else [7, 5, 1, 1])
    assert all(c[3] == LOAD_CONTEXT for c in gw.calls) and LOAD_CONTEXT == {"tracking_disable": True, "mail_create_nolog": True,
                                                                           "mail_notrack": True}


def test_each_distinct_message_odoo_gives_a_row_is_in_its_reject_and_one_without_text_says_rejected():
    class Saying(FakeOdoo):
        def load(self, model, fields, data, *, context=None):
            self.calls.append((model, tuple(fields), len(data), context))
            messages = []
            for i, (xid, _) in enumerate(data):
                if xid == f"{M}.customer_0":
                    messages += [{"type": "error", "record": i, "field": "vat", "message": "bad VAT"},
                                 {"type": "error", "record": i, "message": "name taken"}]
                    if len(data) == 1:  # alone, a constraint of the whole batch too (naming no row)
                        messages.append({"type": "error", "record": None, "message": "constraint"})
                else:
                    messages.append({"type": "error", "record": i})
            return {"ids": False, "messages": messages}

    rows, wheres = rows_of(2)
    gw = Saying({})
    assert Sender(gw, "customers", "res.partner").send(rows, wheres) == (0, [
        Reject("customers", wheres[0], "vat: bad VAT; name taken; constraint", rows[0]),
        Reject("customers", wheres[1], "rejected", rows[1])])
    assert [c[2] for c in gw.calls] == [2, 1, 1]


def test_a_batch_odoo_refuses_without_a_message_rejects_each_row_with_that_said():
    sender = Sender(FakeOdoo({}, silent=True), "customers", "res.partner")
    rows, wheres = rows_of(2)
    assert sender.send(rows, wheres) == (0, [Reject("customers", wheres[0], "Odoo refused the batch without a message", rows[0]),
                                             Reject("customers", wheres[1], "Odoo refused the batch without a message", rows[1])])
    assert sender.send([], []) == (0, [])


def test_an_odoo_error_raised_by_the_batch_is_isolated_but_an_unreachable_server_stops_the_load():
    class Raising(FakeOdoo):
        def load(self, model, fields, data, *, context=None):
            if any(d[0] == f"{M}.customer_1" for d in data):
                raise OdooRejected("constraint violated")
            return super().load(model, fields, data, context=context)

    rows, wheres = rows_of(3)
    loaded, rejects = Sender(Raising({}), "customers", "res.partner").send(rows, wheres)
    assert (loaded, [(r.where[2], r.message) for r in rejects]) == (2, [(3, "constraint violated")])

    class Down(FakeOdoo):
        def load(self, *a, **k):
            raise OdooUnreachable("connection refused")

    with pytest.raises(OdooUnreachable):
        Sender(Down({}), "customers", "res.partner").send(rows, wheres)


def test_a_row_odoo_blames_for_the_whole_batch_is_tried_alone_before_it_is_rejected():
    """Odoo pins a batch-wide error on the first row: that row loads fine alone."""
    class Pinned(FakeOdoo):
        def load(self, model, fields, data, *, context=None):
            if len(data) > 1:
                self.calls.append((model, tuple(fields), len(data), context))
                return {"ids": False, "messages": [{"type": "error", "message": "batch-wide", "record": 0},
                                                   {"type": "error", "message": "out of range", "record": len(data)},
                                                   {"type": "error", "message": "out of range", "record": 99}]}
            return super().load(model, fields, data, context=context)

    rows, wheres = rows_of(3)
    gw = Pinned({})
    assert Sender(gw, "customers", "res.partner").send(rows, wheres) == (3, [])
    assert sorted(gw.loaded) == sorted(r["id"] for r in rows)
    assert [c[2] for c in gw.calls] == [3, 2, 1, 1, 1], "the named first row taken out, the others sent again, then it alone"


def test_a_batch_whose_errors_name_only_rows_it_does_not_have_is_halved():
    class Elsewhere(FakeOdoo):
        def load(self, model, fields, data, *, context=None):
            if len(data) > 1:
                self.calls.append((model, tuple(fields), len(data), context))
                return {"ids": False, "messages": [{"type": "error", "message": "out of range", "record": len(data)}]}
            return super().load(model, fields, data, context=context)

    rows, wheres = rows_of(3)
    gw = Elsewhere({})
    assert Sender(gw, "customers", "res.partner").send(rows, wheres) == (3, [])
    assert [c[2] for c in gw.calls] == [3, 1, 2, 1, 1]


def test_an_opening_stock_quant_is_labelled_by_product_location_and_lot():
    row = {"product_id/id": "p", "location_id/id": "l", "lot_id/id": ""}
    assert quant_label(row) == "p @ l"
    assert quant_label({**row, "location": "WH/Stock/Shelf 1", "lot_id/id": "x"}) == "p @ WH/Stock/Shelf 1 [x]"


def test_the_cut_over_quantities_are_kept_per_quant_and_an_unreadable_file_is_no_cut_over(tmp_path):
    path = tmp_path / "state" / "migration" / "cutover-dev.json"  # made with its parents on the first save
    cut = CutOver(path)
    assert cut.sent == {}
    cut.sent.update({"p @ l": 5.0, "a @ l": 2})
    cut.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"quants": {"a @ l": 2, "p @ l": 5.0}}
    assert path.read_text(encoding="utf-8").startswith('{\n "quants": {\n  "a @ l"')
    assert CutOver(path).sent == {"a @ l": 2.0, "p @ l": 5.0}
    assert sorted(p.name for p in path.parent.iterdir()) == ["cutover-dev.json"]
    for damaged in ("{not json", "[1]", '{"quants": {"p @ l": "lots"}}'):
        path.write_text(damaged, encoding="utf-8")
        assert CutOver(path).sent == {}


def test_each_lot_of_the_opening_stock_once_with_its_expiry_when_the_blueprint_dates_lots():
    rows = [{"sku": "BRG-1", "lot": "L 1", "expiry_date": "2027-01-31", "_where": ("s.xlsx", "opening_stock", 2)},
            {"sku": "BRG-1", "lot": "L 1", "_where": ("s.xlsx", "opening_stock", 3)},
            {"sku": "BRG-1", "lot": None, "_where": ("s.xlsx", "opening_stock", 4)},
            {"sku": "NUT", "lot": 7.0, "_where": ("s.xlsx", "opening_stock", 5)}]
    assert lots(rows, MapContext(M)) == (
        [{"id": f"{M}.lot_brg_1_l_1", "name": "L 1", "product_id/id": f"{M}.product_brg_1"},
         {"id": f"{M}.lot_nut_7", "name": "7", "product_id/id": f"{M}.product_nut"}],
        [("s.xlsx", "opening_stock", 2), ("s.xlsx", "opening_stock", 5)])
    dated, _ = lots(rows, MapContext(M, category_expiry={"ADH": (1, 1, 1, 1)}))
    assert [lot.get("expiration_date") for lot in dated] == ["2027-01-31 00:00:00", None]


def test_rows_referring_to_a_held_row_wait_and_hold_their_own_dependents():
    held = {f"{M}.product_bad"}
    source = [{"_where": ("p.xlsx", "products", 2)}, {"_where": ("p.xlsx", "products", 3)}]
    mapped = [{"id": f"{M}.product_kit", "component_id/id": f"{M}.product_bad", "categ_id/id": "", "x/id": f"{M}.product_bad"},
              {"id": f"{M}.product_ok", "categ_id/id": f"{M}.product_category_brg"}]
    keep_source, keep_mapped, waiting = hold_dependents("products", source, mapped, held)
    assert (keep_source, keep_mapped) == ([source[1]], [mapped[1]])
    assert [(r.entity, r.where, r.message) for r in waiting] == [
        ("products", ("p.xlsx", "products", 2),
         f"not loaded: it refers to {M}.product_bad, {M}.product_bad, whose row has errors; fix that row and load again")]
    assert held == {f"{M}.product_bad", f"{M}.product_kit", f"{M}.product_kit_product_template"}
    _, _, waiting = hold_dependents("supplier_prices", [{"_where": ("s.xlsx", "supplier_prices", 2)}],
                                    [{"id": f"{M}.supplier_price_1", "product_tmpl_id/id": f"{M}.product_kit_product_template"}], held)
    assert len(waiting) == 1 and f"{M}.supplier_price_1" in held and f"{M}.supplier_price_1_product_template" not in held
    _, _, waiting = hold_dependents("opening_stock", [{"_where": ("s.xlsx", "opening_stock", 2)}], [{"product_id/id": f"{M}.product_kit"}], held)
    assert len(waiting) == 1 and len(held) == 4


def test_the_load_report_as_json():
    report = LoadReport("dev", [EntityLoad("customers", rows=3, sent=2, loaded=2, created=1, updated=1, unchanged=1, batches=1)],
                        rejects=[Reject("customers", ("/in/c.xlsx", "customers", 4), "vat: bad", {"id": "x"})],
                        rejects_path="/r.xlsx", checkpoint="/cp.json")
    assert report.as_dict() == {
        "target": "dev", "entities": [{"entity": "customers", "rows": 3, "sent": 2, "loaded": 2, "created": 1, "updated": 1, "unchanged": 1,
                                       "moved": 0, "resumed_from": 0, "rejected": 0, "held_back": 0, "batches": 1}],
        "rejected": 1, "rejects": [{"entity": "customers", "file": "c.xlsx", "sheet": "customers", "row": 4, "message": "vat: bad",
                                    "values": {"id": "x"}}],
        "held_back": [], "moved": [], "rejects_path": "/r.xlsx", "checkpoint": "/cp.json"}


def test_the_ids_rows_with_errors_would_have_had_are_held_a_products_with_its_templates():
    rows = validation({"customers@other": [{"code": "9"}], "customers": customers("1", "2", "3"),
                       "products": [{"sku": "P-1", "name": "Bolt", "category": "FAST"}, {"sku": "P-2", "name": "Nut", "category": "FAST"}]},
                      errors=(("customers", 3), ("customers", 4), ("customers@other", 2), ("products", 3)))
    # the row of other.xlsx has no name column: too broken to map, it holds nothing
    assert invalid_xmlids(rows, MapContext(M)) == {f"{M}.customer_2", f"{M}.customer_3", f"{M}.product_p_2",
                                                   f"{M}.product_p_2_product_template"}
    assert invalid_xmlids(validation({"customers": customers("1")}), MapContext(M)) == set()


def test_the_rejects_workbook_has_a_sheet_per_entity_with_the_reason_first_and_every_rows_columns(tmp_path):
    long = "an_entity_name_of_thirty_two_chr"
    rejects = [Reject("opening_stock", ("/in/s.xlsx", "opening_stock", 4), "=lot refused", {"id": "l1", "name": "L 1"}),
               Reject("customers", ("/in/c.xlsx", "customers", 2), "vat: bad", {"id": "c1", "vat": "+49 1"}),
               Reject("opening_stock", ("/in/s.xlsx", "opening_stock", 5), "no location", {"product_id/id": "p", "inventory_quantity": "3"}),
               Reject(long, ("x.csv", "x", 9), "m", {})]
    path = write_rejects(rejects, tmp_path / "reports" / "rejects-dev.xlsx")
    assert path == tmp_path / "reports" / "rejects-dev.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["opening_stock", "customers", long[:31]]
    assert [[c.value for c in r] for r in book["opening_stock"].iter_rows()] == [
        ["file", "sheet", "row", "message", "id", "name", "product_id/id", "inventory_quantity"],
        ["s.xlsx", "opening_stock", 4, "=lot refused", "l1", "L 1", None, None],
        ["s.xlsx", "opening_stock", 5, "no location", None, None, "p", "3"]]
    assert [(c.value, c.data_type, c.quotePrefix) for c in book["opening_stock"][2]][3] == ("=lot refused", "s", True)
    assert [[c.value for c in r] for r in book["customers"].iter_rows()] == [
        ["file", "sheet", "row", "message", "id", "vat"], ["c.xlsx", "customers", 2, "vat: bad", "c1", "+49 1"]]
    assert [c.quotePrefix for c in book["customers"][2]] == [False, False, False, False, False, True]
    assert [[c.value for c in r] for r in book[long[:31]].iter_rows()] == [["file", "sheet", "row", "message"], ["x.csv", "x", 9, "m"]]


class Recording(MemoryGateway):
    """The stand-in, keeping each create's model, values and context (inventory mode is Odoo's to apply)."""

    def __init__(self):
        super().__init__()
        self.creates: list[tuple] = []
        self.searches: list[tuple] = []
        self.described: list[tuple] = []

    def create(self, model, vals_list, *, context=None):
        self.creates.append((model, vals_list, context))
        return super().create(model, vals_list, context=context)

    def search_read(self, model, domain, fields, **kwargs):
        self.searches.append((model, domain, fields))
        return super().search_read(model, domain, fields, **kwargs)

    def fields_get(self, model, attributes=("type", "relation", "string")):
        self.described.append((model, tuple(attributes)))
        return super().fields_get(model, attributes)


def test_sub_locations_are_the_internal_locations_the_rows_name_by_full_name():
    gw = Recording()
    shelf = gw.seed("stock.location", {"name": "Shelf 1", "complete_name": "WH/Stock/Shelf 1", "usage": "internal"})
    gw.seed("stock.location", {"name": "Shelf 2", "complete_name": "WH/Stock/Shelf 2", "usage": "internal"})  # no row names it
    gw.seed("stock.location", {"name": "Customers", "complete_name": "Partners/Customers", "usage": "customer"})
    rows = [{"location": "WH/Stock/Shelf 1"}, {"location": "WH/Stock/Shelf 1"}, {"location": "Partners/Customers"}, {"location": ""}, {}]
    assert sub_locations(gw, rows) == {"WH/Stock/Shelf 1": shelf}
    assert gw.searches == [("stock.location", [("complete_name", "in", ["Partners/Customers", "WH/Stock/Shelf 1"]), ("usage", "=", "internal")],
                            ["complete_name"])]
    gw.calls.clear()
    assert (sub_locations(gw, [{"location": ""}, {}]), gw.calls) == ({}, [])


# -- load_validation() on an in-memory validation -----------------------------------------------------------------

SUPPLIER = {"code": "S1", "name": "Bearings", "country": "US"}


def load_into(gw, tmp_path, rows, **options) -> LoadReport:
    return load_validation(rows, gw, state_dir=tmp_path / "state", reports_dir=tmp_path / "reports", target_name="dev", **options)


def figures(report: LoadReport) -> list[tuple]:
    return [dataclasses.astuple(e) for e in report.entities]


def partners(gw) -> dict[str, str]:
    return {p.get("ref") or p["name"]: p["name"] for p in gw.all("res.partner")}


class Asked:
    """The stand-in behind a spy that keeps each gateway method load.py calls, with its model (the stand-in's own
    calls inside load() are not load.py's round trips)."""

    def __init__(self, gw):
        self.gw, self.asked, self.attributes = gw, [], []

    def __getattr__(self, name):
        attr = getattr(self.gw, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self.asked.append((name, args[0] if args and isinstance(args[0], str) else None))
            if name == "fields_get":
                self.attributes.append(tuple(kwargs["attributes"]))
            return attr(*args, **kwargs)
        return call


def test_each_entity_goes_in_batches_in_load_order_with_its_figures_its_progress_and_a_checkpoint_per_batch(tmp_path):
    gw, seen, batches = blueprint_odoo(), [], []
    rows = validation({"suppliers": [SUPPLIER], "customers": customers("1", "2", "3")})
    report = load_into(gw, tmp_path, rows, batch_size=2, progress=lambda *a: seen.append(a), after_batch=lambda *a: batches.append(a))
    #                   rows sent loaded created updated unchanged moved resumed_from rejected held_back batches
    assert figures(report) == [("customers", 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 2), ("suppliers", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1)]
    assert seen == [("customers", 0, 3), ("customers", 2, 3), ("customers", 3, 3), ("suppliers", 0, 1), ("suppliers", 1, 1)]
    assert batches == [("customers", 1), ("customers", 2), ("suppliers", 1)]
    assert partners(gw) == {"1": "Customer 1", "2": "Customer 2", "3": "Customer 3", "S1": "Bearings"}
    path = tmp_path / "state" / "migration" / "load-dev.json"
    assert (report.target, report.checkpoint, report.rejects, report.held, report.moved, report.rejects_path) == (
        "dev", str(path), [], [], [], None)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved == {"version": 1, "finished": True, "entities": {
        "customers": {"digest": saved["entities"]["customers"]["digest"], "done": 3, "complete": True, "rejects": []},
        "suppliers": {"digest": saved["entities"]["suppliers"]["digest"], "done": 1, "complete": True, "rejects": []}}}
    assert not (tmp_path / "state" / "migration" / "cutover-dev.json").exists()

    gw.write("res.partner", [gw.resolve_xmlids([f"{M}.customer_2"])[f"{M}.customer_2"][1]], {"name": "typed in Odoo"})
    spy = Asked(gw)
    again = load_into(spy, tmp_path, rows, batch_size=2)
    assert figures(again) == [("customers", 3, 1, 1, 0, 1, 2, 0, 0, 0, 0, 2), ("suppliers", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)]
    # per batch the external IDs and their records are read once, and only the changed row is sent
    assert spy.asked == [("fields_get", "res.partner"), ("resolve_xmlids", None), ("read", "res.partner"), ("load", "res.partner"),
                         ("resolve_xmlids", None), ("read", "res.partner"),
                         ("fields_get", "res.partner"), ("resolve_xmlids", None), ("read", "res.partner")]
    assert spy.attributes == [("type", "relation", "digits", "store")] * 2, "the stand-in answers alike whatever is asked"
    assert partners(gw)["2"] == "Customer 2"
    only = load_into(gw, tmp_path, rows, entities=["suppliers", "products"])
    assert figures(only) == [("suppliers", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)]


def test_a_load_without_a_context_names_its_records_under_odookit():
    rows = validation({"suppliers": [SUPPLIER]})
    rows.ctx = None
    gw = MemoryGateway()
    gw.seed("res.country", {"name": "United States"}, "base.us")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        assert figures(load_into(gw, Path(tmp), rows)) == [("suppliers", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1)]
    assert sorted(gw.xmlids_of_module("odookit", "res.partner")) == ["odookit.supplier_s1"]


def test_a_batch_size_below_one_and_errors_without_skip_invalid_load_nothing(tmp_path):
    gw = blueprint_odoo()
    with pytest.raises(MigrationError) as info:
        load_into(gw, tmp_path, validation({"customers": customers("1")}), batch_size=0)
    assert info.value.line() == "--batch-size must be at least 1. Use e.g. --batch-size 500."
    with pytest.raises(MigrationError) as info:
        load_into(gw, tmp_path, validation({"customers": customers("1", "2")}, errors=(("customers", 2), ("customers", 3))))
    assert info.value.line() == ("2 errors remain in the workbooks; nothing was loaded. Run `odookit migrate validate`, fix the cells marked "
                                 "in the annotated copies, or pass --skip-invalid to load only the valid rows.")
    assert gw.round_trips("load") == 0 and not (tmp_path / "state").exists()
    assert figures(load_into(gw, tmp_path, validation({"customers": customers("1")}), batch_size=1)) == [
        ("customers", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1)]


def test_with_skip_invalid_the_rows_that_refer_to_a_row_with_errors_are_held_and_written_with_the_rejects(tmp_path):
    gw = blueprint_odoo()
    rows = validation({"customers": customers("1", "2"), "contacts": [{"code": "K1", "customer": "2", "name": "Ann"},
                                                                      {"code": "K2", "customer": "1", "name": "Bob"}]},
                      errors=(("customers", 3),))
    report = load_into(gw, tmp_path, rows, skip_invalid=True)
    assert figures(report) == [("customers", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1), ("contacts", 2, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1)]
    assert [(r.entity, r.where, r.message) for r in report.held] == [
        ("contacts", ("/in/contacts.xlsx", "contacts", 2),
         f"not loaded: it refers to {M}.customer_2, whose row has errors; fix that row and load again")]
    assert report.rejects == [] and partners(gw) == {"1": "Customer 1", "Bob": "Bob"}
    assert report.rejects_path == str(tmp_path / "reports" / "rejects-dev.xlsx")
    sheet = openpyxl.load_workbook(report.rejects_path)["contacts"]
    assert [c.value for c in sheet[2]][:4] == ["contacts.xlsx", "contacts", 2, report.held[0].message]


def test_opening_stock_is_set_once_left_alone_when_it_moved_and_set_again_with_reset_stock(tmp_path):
    gw = blueprint_odoo()
    shelf = gw.seed("stock.location", {"name": "Shelf 1", "complete_name": "CHI/Stock/Shelf 1", "usage": "internal"})
    stock = gw.resolve_xmlids([f"{M}.location_chi_stock"])[f"{M}.location_chi_stock"][1]
    sheets = {"products": [{"sku": "P-1", "name": "Bolt", "category": "BRG"}, {"sku": "P-2", "name": "Nut", "category": "FAST"}],
              "opening_stock": [{"warehouse": "CHI", "sku": "P-1", "lot": "L1", "expiry_date": "2027-01-31", "quantity": 5.0},
                                {"warehouse": "CHI", "sku": "P-1", "lot": "L2", "quantity": 2.0},
                                {"warehouse": "CHI", "sku": "P-2", "quantity": 40.0},
                                {"warehouse": "CHI", "sku": "P-2", "location": "CHI/Stock/Shelf 1", "quantity": 3.004},
                                {"warehouse": "CHI", "sku": "P-2", "location": "CHI/Nowhere", "quantity": 1.0},
                                {"warehouse": "CHI", "sku": "P-9", "quantity": 1.0}]}
    rows = validation(sheets, category_tracking={"BRG": "lot"}, category_expiry={"BRG": (1, 1, 1, 1)})
    first = load_into(gw, tmp_path, rows)
    assert figures(first)[1] == ("opening_stock", 6, 6, 4, 4, 0, 0, 0, 0, 2, 0, 1)
    assert [(r.entity, r.where[2], r.message) for r in first.rejects] == [
        ("opening_stock", 6, "location: no internal location named 'CHI/Nowhere' in Odoo"),
        ("opening_stock", 7, f"product_id: no record with external ID {M}.product_p_9")]
    lots = {lot["name"]: lot for lot in gw.all("stock.lot")}
    assert {name: lot.get("expiration_date") for name, lot in lots.items()} == {"L1": "2027-01-31 00:00:00", "L2": None}
    p1, p2 = (gw.resolve_xmlids([f"{M}.product_{s}"])[f"{M}.product_{s}"][1] for s in ("p_1", "p_2"))
    quants = sorted((q["product_id"], q["location_id"], q.get("lot_id") or False, q["inventory_quantity_auto_apply"]) for q in gw.all("stock.quant"))
    assert quants == sorted([(p1, stock, lots["L1"]["id"], 5.0), (p1, stock, lots["L2"]["id"], 2.0), (p2, stock, False, 40.0),
                             (p2, shelf, False, 3.004)])
    cutover = tmp_path / "state" / "migration" / "cutover-dev.json"
    assert json.loads(cutover.read_text(encoding="utf-8")) == {"quants": {
        f"{M}.product_p_1 @ {M}.location_chi_stock [{M}.lot_p_1_l1]": 5.0, f"{M}.product_p_1 @ {M}.location_chi_stock [{M}.lot_p_1_l2]": 2.0,
        f"{M}.product_p_2 @ {M}.location_chi_stock": 40.0, f"{M}.product_p_2 @ CHI/Stock/Shelf 1": 3.0}}

    for q in gw.all("stock.quant"):  # Odoo applies inventory mode (a business rule the stand-in does not imitate)
        gw.write("stock.quant", [q["id"]], {"quantity": q["inventory_quantity_auto_apply"]})
    sent = len(gw.all("stock.quant"))
    again = load_into(gw, tmp_path, rows, batch_size=2)  # unchanged quants in two batches
    assert figures(again)[1] == ("opening_stock", 6, 2, 0, 0, 0, 4, 0, 0, 2, 0, 3)
    assert (len(gw.all("stock.quant")), again.moved) == (sent, [])

    nut = next(q for q in gw.all("stock.quant") if q["product_id"] == p2 and q["location_id"] == stock)
    gw.write("stock.quant", [nut["id"]], {"quantity": 37.0})  # 3 delivered since the cut-over
    moved = load_into(gw, tmp_path, rows)
    assert figures(moved)[1] == ("opening_stock", 6, 2, 0, 0, 0, 3, 1, 0, 2, 0, 1)
    assert [(r.entity, r.where[2], r.message, r.values["inventory_quantity"]) for r in moved.moved] == [
        ("opening_stock", 4, "moved since cut-over, not reset: 40 was loaded, Odoo has 37 (the workbook says 40); "
                             "`migrate load --reset-stock` sets it again", "40")]
    assert len(gw.all("stock.quant")) == sent

    reset = load_into(gw, tmp_path, rows, reset_stock=True)
    assert (figures(reset)[1], reset.moved) == (("opening_stock", 6, 3, 1, 0, 1, 3, 0, 0, 2, 0, 1), [])
    assert gw.all("stock.quant")[-1]["inventory_quantity_auto_apply"] == 40.0

    for q in gw.all("stock.quant"):  # every quant moves; the lots' and the shelf's are in later batches than the first
        gw.write("stock.quant", [q["id"]], {"quantity": 1.5})
    one_by_one = load_into(gw, tmp_path, rows, batch_size=1)
    assert [r.where[2] for r in one_by_one.moved] == [2, 3, 4, 5]
    assert figures(one_by_one)[1] == ("opening_stock", 6, 2, 0, 0, 0, 0, 4, 0, 2, 0, 6), "only the refused rows were sent"


def test_held_rows_are_split_from_their_own_mapped_rows_only():
    with pytest.raises(ValueError, match="zip"):
        hold_dependents("customers", [{"_where": ("c.xlsx", "customers", 2)}], [], set())


def test_a_workspace_load_validates_again_only_at_other_precisions_than_odoos_defaults_and_guards_production(mig_ws, monkeypatch):
    from odookit.migration import rules

    calls, connected = [], []

    def validate_workspace(ws, *, source=None, digits=None):
        calls.append((ws.root, source, digits))
        return validation({"customers": [*customers("1"), {**customers("2")[0], "payment_term": "NET30"}]}, digits=digits)

    monkeypatch.setattr(rules, "validate_workspace", validate_workspace)
    ws, gw = Workspace.find(mig_ws), blueprint_odoo()
    monkeypatch.setattr(importlib.import_module("odookit.odoo.connect"), "connect", lambda target: connected.append(target.name) or gw)
    given = validation({"suppliers": [SUPPLIER]})
    report = load_workspace(ws, "dev", validation=given, batch_size=1)
    assert (connected, calls, figures(report)) == (["dev"], [], [("suppliers", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1)])
    assert report.checkpoint == str(mig_ws / ".odookit" / "migration" / "load-dev.json")
    report = load_workspace(ws, "dev", gateway=gw, source=mig_ws / "in")
    assert calls == [(mig_ws, mig_ws / "in", None)] and [e.entity for e in report.entities] == ["customers"]
    assert [r.where[2] for r in report.rejects] == [3], "Odoo has no payment term NET30"
    assert report.rejects_path == str(mig_ws / "migration" / "reports" / "rejects-dev.xlsx")
    gw.seed("decimal.precision", {"name": "Product Unit of Measure", "digits": 3})
    calls.clear()
    load_workspace(ws, "dev", gateway=gw, validation=given, source=mig_ws / "in")
    assert calls == [(mig_ws, mig_ws / "in", {**rules.DEFAULT_DIGITS, "Product Unit of Measure": 3})]
    with pytest.raises(ProductionGuard, match="refusing to load master data"):
        load_workspace(ws, "prod", gateway=gw, validation=given)
    with pytest.raises(ProductionGuard, match="refusing to reset stock"):
        load_workspace(ws, "prod", gateway=gw, validation=given, reset_stock=True)
    assert [e.entity for e in load_workspace(ws, "prod", gateway=gw, validation=given, yes=True).entities] == ["customers"]


def test_a_quant_is_created_updated_or_left_as_it_is_by_what_odoo_holds_and_the_cut_over_sent(tmp_path):
    gw = Recording()
    stock = gw.seed("stock.location", {"name": "Stock"})
    p = {n: gw.seed("product.product", {"name": n}) for n in ("p1", "p2", "p3", "p4", "p5")}
    gw.seed("stock.quant", {"product_id": p["p1"], "location_id": stock, "lot_id": False, "quantity": 3.0})
    gw.seed("stock.quant", {"product_id": p["p1"], "location_id": stock, "lot_id": False, "quantity": 2.0})  # together as the workbook says
    gw.seed("stock.quant", {"product_id": p["p2"], "location_id": stock, "lot_id": False, "quantity": 3.0})  # never set by a load
    xmlids = {**{f"{M}.product_{n}": ("product.product", i) for n, i in p.items()}, f"{M}.location_stock": ("stock.location", stock)}
    cutover = CutOver(tmp_path / "cutover-dev.json")
    cutover.sent[f"{M}.product_p3 @ {M}.location_stock"] = 4.0  # set at the cut-over; Odoo has no quant of it now
    rows = [{"product_id/id": f"{M}.product_{n}", "location_id/id": f"{M}.location_stock", "lot_id/id": "", "inventory_quantity": q}
            for n, q in (("p1", "5"), ("p2", "7"), ("p3", "4"), ("p4", "0"), ("p5", "2"))]
    moved = QuantSender(gw, xmlids, {}, cutover=cutover, digits=2, reset=False)
    assert moved.send(rows[2:3], [("s.xlsx", "opening_stock", 4)]) == (1, [])
    assert (moved.moved, moved.created, moved.updated, moved.unchanged, gw.creates) == (
        {f"{M}.product_p3 @ {M}.location_stock": "moved since cut-over, not reset: 4 was loaded, Odoo has 0 (the workbook says 4); "
                                                 "`migrate load --reset-stock` sets it again"}, 0, 0, 0, [])
    sender = QuantSender(gw, xmlids, {}, cutover=cutover, digits=2, reset=True)
    gw.searches.clear()
    assert sender.send(rows, [("s.xlsx", "opening_stock", i) for i in range(2, 7)]) == (5, [])
    assert gw.searches == [("stock.quant", [("product_id", "in", sorted(p.values())), ("location_id", "in", [stock])],
                            ["product_id", "location_id", "lot_id", "quantity"])], "only the rows' quants, in one read"
    assert (sender.created, sender.updated, sender.unchanged, sender.moved) == (1, 2, 2, {})
    assert gw.creates == [("stock.quant", [{"product_id": p["p2"], "location_id": stock, "inventory_quantity_auto_apply": 7.0},
                                           {"product_id": p["p3"], "location_id": stock, "inventory_quantity_auto_apply": 4.0},
                                           {"product_id": p["p5"], "location_id": stock, "inventory_quantity_auto_apply": 2.0}],
                           {**LOAD_CONTEXT, "inventory_mode": True})]
    assert json.loads((tmp_path / "cutover-dev.json").read_text(encoding="utf-8"))["quants"] == {
        f"{M}.product_{n} @ {M}.location_stock": q for n, q in (("p1", 5.0), ("p2", 7.0), ("p3", 4.0), ("p4", 0.0), ("p5", 2.0))}


def test_a_batchs_live_records_are_read_with_each_fields_type_relation_digits_and_storage():
    gw = Recording()
    product = gw.seed("product.product", {"name": "Bolt"}, f"{M}.product_p_1")
    lot = gw.seed("stock.lot", {"name": "L1", "product_id": product}, f"{M}.lot_p_1_l1")
    rows = [{"id": f"{M}.lot_p_1_l1", "name": "L1", "product_id/id": f"{M}.product_p_1"}]
    live = _live(gw, "stock.lot", rows, BY_NAME["opening_stock"], validation({}))
    assert gw.described == [("stock.lot", ("type", "relation", "digits", "store"))]
    assert (live.existing, live.differences(rows[0])) == ({f"{M}.lot_p_1_l1": lot}, [])
    given = {"name": {"type": "char"}, "product_id": {"type": "many2one", "relation": "product.product"}}
    assert _live(gw, "stock.lot", rows, BY_NAME["opening_stock"], validation({}), given).meta is given
    assert len(gw.described) == 1


def test_kits_get_their_bills_of_materials_before_their_lines_and_not_again_once_loaded(tmp_path):
    gw = blueprint_odoo()
    for model in ("mrp.bom", "mrp.bom.line"):
        gw.seed("ir.model", {"model": model, "name": model})
    rows = validation({"products": [{"sku": "K-1", "name": "Tile set", "category": "FAST", "type": "consumable"},
                                    {"sku": "P-1", "name": "Tile", "category": "FAST"}],
                       "kit_components": [{"kit": "K-1", "component": "P-1", "quantity": 12.0}]})
    report = load_into(gw, tmp_path, rows)
    assert figures(report)[1] == ("kit_components", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1) and report.rejects == []
    [bom] = gw.all("mrp.bom")
    assert (bom["type"], bom["product_qty"]) == ("phantom", 1.0)
    assert [(line["bom_id"], line["product_qty"]) for line in gw.all("mrp.bom.line")] == [(bom["id"], 12.0)]
    loads = gw.round_trips("load")
    again = load_into(gw, tmp_path, rows)
    assert (figures(again)[1], gw.round_trips("load"), len(gw.all("mrp.bom"))) == (
        ("kit_components", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1), loads, 1)
    # a bill Odoo refuses is a reject of the kit's row; its lines are still sent (and refused for want of it)
    gw.records["mrp.bom"].clear()
    refused = load_into(gw, tmp_path, validation({"products": [{"sku": "K-2", "name": "Set 2", "category": "NOPE"}],
                                                  "kit_components": [{"kit": "K-2", "component": "P-1", "quantity": 1.0}]}))
    assert [(r.entity, r.where[1:], r.message.split(":")[0]) for r in refused.rejects] == [
        ("products", ("products", 2), "categ_id"), ("kit_components", ("kit_components", 2), "product_tmpl_id"),
        ("kit_components", ("kit_components", 2), "bom_id")]


def test_an_interrupted_load_resumes_at_its_checkpoint_and_still_reports_the_rows_refused_before(tmp_path):
    gw, seen = blueprint_odoo(), []
    rows = validation({"customers": [*customers("1"), {**customers("2")[0], "payment_term": "NET30"}, *customers("3", "4")]})

    def crash(entity, batches):
        if batches == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_into(gw, tmp_path, rows, batch_size=1, after_batch=crash)
    assert sorted(partners(gw)) == ["1"]
    report = load_into(gw, tmp_path, rows, batch_size=1, progress=lambda *a: seen.append(a))
    assert figures(report) == [("customers", 4, 2, 2, 2, 0, 0, 0, 2, 1, 0, 2)]
    assert seen == [("customers", 2, 4), ("customers", 3, 4), ("customers", 4, 4)]
    assert [(r.entity, tuple(r.where), r.message) for r in report.rejects] == [  # read back from the checkpoint's JSON
        ("customers", ("/in/customers.xlsx", "customers", 3),
         f"property_payment_term_id: No matching record found for external id '{M}.payment_term_net30' in field 'property_payment_term_id'")]
    assert sorted(partners(gw)) == ["1", "3", "4"]


def test_rows_are_mapped_for_the_servers_version_not_the_validations(tmp_path):
    gw = blueprint_odoo("18.0")
    report = load_into(gw, tmp_path, validation({"products": [{"sku": "P-1", "name": "Bolt", "category": "FAST"}]}, major=17))
    assert report.rejects == []
    [product] = gw.all("product.product")
    assert (product["type"], product["is_storable"], "detailed_type" in product) == ("consu", True, False)


def test_rows_held_in_several_sheets_are_all_reported(tmp_path):
    rows = validation({"customers": customers("1", "2"), "contacts": [{"code": "K1", "customer": "2", "name": "Ann"}],
                       "suppliers": [SUPPLIER], "products": [{"sku": "P-1", "name": "Bolt", "category": "FAST"}],
                       "supplier_prices": [{"supplier": "S1", "sku": "P-1", "price": 2.0}]},
                      errors=(("customers", 3), ("products", 2)))
    report = load_into(blueprint_odoo(), tmp_path, rows, skip_invalid=True)
    assert [(r.entity, r.where[2]) for r in report.held] == [("contacts", 2), ("supplier_prices", 2)]
    assert [(e.entity, e.held_back) for e in report.entities] == [("customers", 0), ("contacts", 1), ("suppliers", 0), ("products", 0),
                                                                  ("supplier_prices", 1)]


def test_the_default_batch_is_500_rows(tmp_path):
    seen = []
    report = load_into(blueprint_odoo(), tmp_path, validation({"customers": customers(*(str(i) for i in range(501)))}),
                       progress=lambda *a: seen.append(a))
    assert (seen, report.entities[0].batches) == ([("customers", 0, 501), ("customers", 500, 501), ("customers", 501, 501)], 2)


def test_a_resumed_load_does_not_touch_the_opening_stock_the_interrupted_one_completed(tmp_path):
    gw = blueprint_odoo()
    for model in ("mrp.bom", "mrp.bom.line"):
        gw.seed("ir.model", {"model": model, "name": model})
    rows = validation({"products": [{"sku": "P-1", "name": "Bolt", "category": "BRG"}, {"sku": "K-1", "name": "Kit", "category": "FAST"}],
                       "opening_stock": [{"warehouse": "CHI", "sku": "P-1", "lot": "L1", "quantity": 5.0}],
                       "reorder_rules": [{"warehouse": "CHI", "sku": "P-1", "min_qty": 1.0, "max_qty": 9.0}],
                       "kit_components": [{"kit": "K-1", "component": "P-1", "quantity": 2.0}]},
                      category_tracking={"BRG": "lot"})

    def crash(entity, batches):
        if entity == "kit_components":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_into(gw, tmp_path, rows, after_batch=crash)
    spy = Asked(gw)
    report = load_into(spy, tmp_path, rows)
    assert [(e.entity, e.resumed_from, e.batches) for e in report.entities] == [("products", 2, 0), ("opening_stock", 1, 0),
                                                                               ("reorder_rules", 1, 0), ("kit_components", 1, 0)]
    assert spy.asked == [], "nothing is read again: every entity was complete"


def test_lots_odoo_refuses_are_rejects_of_their_opening_stock_rows_beside_the_other_sheets_rejects(tmp_path):
    gw = blueprint_odoo()
    rows = validation({"products": [{"sku": "P-1", "name": "Bolt", "category": "NOPE"}, {"sku": "P-2", "name": "Nut", "category": "BRG"}],
                       "opening_stock": [{"warehouse": "CHI", "sku": "P-1", "lot": "L1", "expiry_date": "2027-01-31", "quantity": 5.0},
                                         {"warehouse": "CHI", "sku": "P-2", "lot": "L2", "expiry_date": "2027-02-28", "quantity": 1.0}]},
                      category_tracking={"BRG": "lot"}, category_expiry={"BRG": (1, 1, 1, 1)})
    report = load_into(gw, tmp_path, rows)
    assert [(r.entity, r.where[1:], r.message.split(":")[0]) for r in report.rejects] == [
        ("products", ("products", 2), "categ_id"), ("opening_stock", ("opening_stock", 2), "product_id"),
        ("opening_stock", ("opening_stock", 2), "product_id")]
    assert [(lot["name"], lot["expiration_date"]) for lot in gw.all("stock.lot")] == [("L2", "2027-02-28 00:00:00")], "only dated lots"
