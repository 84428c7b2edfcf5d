"""Every KPI computed from the inline month of conftest.build(), against hand counts."""

from __future__ import annotations

import datetime as dt

import pytest

from odookit.kpi.period import Period
from odookit.kpi.reads import Policy
from odookit.kpi.report import compute_report

from .conftest import ALL_APPS, NOVEMBER, POLICY, build


def report(data, policy=POLICY, period=NOVEMBER):
    return compute_report(data.gw, period, policy)


def rows(kpi, dim):
    return {r["key"]: r["value"] for r in kpi.breakdown.get(dim, [])}


def test_order_cycle_time_counts_orders_whose_deliveries_are_all_done_or_cancelled(data):
    k = report(data).kpi("order_cycle_time")
    # SO1 4.0 days (last of two deliveries), SO2 1.0 (its backorder cancelled), SO3 1.5;
    # SO4 unshipped, SO5 and SO6 have a backorder open: (4 + 1 + 1.5) / 3
    assert (k.value, k.covered, k.status) == (2.17, 3, "ok")
    assert rows(k, "warehouse") == {"WA": 2.5, "WB": 1.5}
    assert rows(k, "company") == {"North Co": 2.5, "South Co": 1.5}
    assert rows(k, "week") == {"2026-W45": 4.0, "2026-W46": 1.0, "2026-W47": 1.5}


def test_fill_rate_counts_lines_complete_in_the_orders_first_delivery(data):
    k = report(data).kpi("fill_rate")
    # SO1: 10 ordered, 6 in the first delivery (no), 5 of 5 (yes); the section and the service are left out;
    # SO2 5 of 8 (no, its backorder was cancelled); SO3 4 of 4 (yes); SO6 2 of 3 (no); SO5 shipped in October
    assert (k.value, k.covered) == (40.0, 5)
    assert rows(k, "warehouse") == {"WA": 33.33, "WB": 50.0}


def test_backorder_ageing_is_the_oldest_open_backorder_with_buckets(data):
    k = report(data).kpi("backorder_aging")
    # open: SO5's scheduled 10 Nov (20 days on the 30th), SO4's on the pick step 22 Nov (8 days), SO6's 27 Nov (3 days);
    # SO2's is cancelled and the supplier's backorder (October) is not a customer's
    assert (k.value, k.covered) == (20.0, 3)
    assert k.detail["age_buckets"] == {"0-5 days": 1, "6-10 days": 1, "11-30 days": 1, "over 30 days": 0}
    assert rows(k, "warehouse") == {"WA": 20.0, "WB": 3.0}


def test_on_time_delivery_uses_the_deadline_else_the_scheduled_date(data):
    k = report(data).kpi("on_time_delivery")
    # P1 done 4 Nov, scheduled 3 Nov: late; its backorder done 6 Nov, deadline 6 Nov: on time;
    # P2 done 11 Nov, scheduled 12: on time; P3 done 22 Nov, deadline 21: late; P6 done on its day: on time
    assert (k.value, k.covered) == (60.0, 5)
    assert rows(k, "company") == {"North Co": 66.67, "South Co": 50.0}


def test_inventory_turnover_is_annualised_cogs_over_average_stock_value(data):
    k = report(data).kpi("inventory_turnover")
    # North: 1000 at the start, 600 at the end, COGS 400 -> 400 / (800 x 30/365) = 6.08
    # South: 500 -> 400, COGS 80 - 20 (the return) + 40 = 100 -> 100 / (450 x 30/365) = 2.70
    # together: 500 / (1250 x 30/365) = 4.87
    assert k.value == 4.87
    assert rows(k, "company") == {"North Co": 6.08, "South Co": 2.7}
    assert "warehouse" not in k.breakdown  # valuation layers carry no warehouse


def test_supplier_on_time_rate_and_slip_compare_receipts_with_their_planned_date(data):
    r = report(data)
    # receipt 1 done 12 h after its planned time, the same day: on time, +0.5 day; receipt 2 three days late
    assert (r.kpi("supplier_on_time_rate").value, r.kpi("supplier_on_time_rate").covered) == (50.0, 2)
    assert r.kpi("supplier_lead_time_slip").value == 1.75


def test_return_rate_is_returned_over_delivered_quantity_including_returns_after_invoicing(data):
    k = report(data).kpi("return_rate")
    # delivered in November 6 + 5 + 4 (SO1) + 5 (SO2) + 4 (SO3) + 2 (SO6) = 26; SO3 returned 1 after its invoice
    assert (k.value, k.covered) == (3.85, 7)
    assert rows(k, "warehouse") == {"WA": 0.0, "WB": 16.67}


def test_invoice_lag_leaves_out_credit_notes_and_drafts(data):
    k = report(data).kpi("invoice_lag")
    # SO1 billed 7 Nov, last delivery 6 Nov: 1; SO2 14 vs 11: 3; SO3 23 vs 22: 1 (its credit note and SO6's draft are not counted)
    assert (k.value, k.covered) == (1.67, 3)
    assert rows(k, "company") == {"North Co": 2.0, "South Co": 1.0}


def test_credit_holds_are_orders_the_release_role_confirmed_over_the_limit(data):
    k = report(data).kpi("credit_holds")
    # Cora (release role): SO1 1500 > default 1000 (held), SO3 4800 + 300 > GOLD 5000 (held), SO4 4800 + 100 (not);
    # Sam confirmed SO2 (K3, a contact of K1) and SO6: 2 of 5 confirmed orders
    assert (k.value, k.covered) == (40.0, 5)
    assert rows(k, "user") == {"Cora Control": 66.67, "Sam Seller": 0.0}


def test_discount_approvals_count_orders_with_a_line_above_the_threshold(data):
    k = report(data).kpi("discount_approvals")
    # only SO3 has a line above 10% (15%); SO1's 10% is not above: 1 of 5, confirmed by Cora
    assert (k.value, k.covered) == (20.0, 5)
    assert rows(k, "user") == {"Cora Control": 33.33, "Sam Seller": 0.0}


def test_every_kpi_names_its_formula_sources_and_records(data):
    for k in report(data).kpis:
        assert k.formula and k.sources and k.status == "ok", k.code
        assert k.covered > 0, k.code


def test_no_data_is_said_not_printed_as_zero(data):
    december = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    r = report(data, period=december)
    fill = r.kpi("fill_rate")
    assert (fill.value, fill.status, fill.covered) == (None, "no_data", 0)
    assert fill.shown() == "no first delivery of an order in the period"
    # an open backorder is still open in December: ageing has a figure
    assert r.kpi("backorder_aging").value == 51.0


def test_supplier_kpis_say_the_purchase_app_is_missing():
    r = report(build(ALL_APPS - {"purchase_stock"}))
    for code in ("supplier_on_time_rate", "supplier_lead_time_slip"):
        k = r.kpi(code)
        assert (k.value, k.status, k.note) == (None, "unavailable", "purchase app not installed (purchase_stock)")
    assert r.kpi("fill_rate").value == 40.0  # the others are computed as usual


def test_controls_the_blueprint_does_not_set_are_not_configured(data):
    r = report(data, policy=Policy(module="acme_cfg"))
    assert r.kpi("credit_holds").status == "not_configured"
    assert r.kpi("discount_approvals").status == "not_configured"
    assert "credit.action" in r.kpi("credit_holds").note


def test_round_trips_do_not_grow_with_the_records():
    small = build()
    trips_small = report(small).round_trips
    big = build()
    for n in range(40):  # forty more fully delivered orders
        order = big.order(big.c1, big.wa, "2026-11-03 08:00:00", amount=10.0)
        line = big.line(order, 1)
        pick = big.picking(order, big.out_a, big.c1, "done", "2026-11-04 08:00:00", scheduled="2026-11-04 00:00:00")
        big.move(pick, big.out_a, big.c1, 1, date="2026-11-04 08:00:00", line=line)
    big.gw.calls.clear()
    r = report(big)
    assert r.kpi("order_cycle_time").covered == 43
    assert r.round_trips == trips_small
    assert r.round_trips == len(big.gw.calls)


@pytest.mark.parametrize("since,until,message", [
    ("2026-11-30", "2026-11-01", "--since: --since 2026-11-30 is after --until 2026-11-01. Give a --since on or before --until."),
    ("30/11/2026", None, "--since: --since '30/11/2026' is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-30."),
])
def test_bad_periods_are_one_line(since, until, message):
    from odookit.kpi.period import KpiError, parse_period

    with pytest.raises(KpiError) as err:
        parse_period(since, until)
    assert err.value.line() == message


def test_default_period_is_the_last_90_days():
    from odookit.kpi.period import parse_period

    p = parse_period(None, "2026-11-30")
    assert (p.since, p.until, p.days) == (dt.date(2026, 9, 2), dt.date(2026, 11, 30), 90)


def test_inventory_turnover_on_19_reads_the_moves_value_and_the_stock_value_odoo_gives_per_day():
    data = build(version="19.0")
    data.gw.known_models = {m for m in data.gw.records if m != "stock.valuation.layer"} | {"product.product"}
    k = report(data).kpi("inventory_turnover")
    # the same month as on 18: North 1000 -> 600, COGS 400; South 500 -> 400, COGS 80 - 20 + 40
    assert (k.value, k.status) == (4.87, "ok")
    assert rows(k, "company") == {"North Co": 6.08, "South Co": 2.7}
    # one read per company and end of the period: the day before it starts and its last day
    assert [c for c in data.gw.calls if c[0] == "product.product"] == [("product.product", "search_read")] * 4
    assert report(data).kpi("fill_rate").value == 40.0


def test_a_database_with_only_base_reads_almost_nothing_and_says_what_is_missing():
    r = report(build({"base"}))
    notes = {k.code: k.note for k in r.kpis}
    assert {k.status for k in r.kpis} == {"unavailable"}
    assert notes["fill_rate"] == "sales app with inventory not installed (sale_stock)"
    assert notes["backorder_aging"] == "inventory app not installed (stock)"
    assert notes["inventory_turnover"] == "inventory valuation not installed (stock_account)"
    assert r.round_trips == 2  # installed modules and companies
