"""Against a real Odoo (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD): the KPI fields exist and the report runs.

Point it at a database where the sample's blueprint was applied (after `odookit run`, say):
every source field a KPI documents must exist on the server under that name, and the
report must compute with a bounded number of round trips.
"""

from __future__ import annotations

import pytest

from odookit.kpi.definitions import definitions

pytestmark = pytest.mark.odoo


@pytest.fixture
def gateway():
    from tests.conftest import SKIP_REASON, odoo_settings

    settings = odoo_settings()
    if settings is None:
        pytest.skip(SKIP_REASON)
    from odookit.odoo.connect import open_gateway

    return open_gateway(settings["ODOO_URL"], settings["ODOO_DB"], settings["ODOO_USER"],
                        settings["ODOO_API_KEY"] or settings["ODOO_PASSWORD"])


def test_every_documented_source_field_exists_on_the_server(gateway):
    installed = gateway.installed_modules()
    if not {"sale_stock", "purchase_stock", "stock_account"} <= installed:
        pytest.skip("the database lacks the sample's apps: run `odookit blueprint apply` on it first")
    from odookit.odoo.adapters import field_name

    major = gateway.info.major
    missing = []
    for kpi in definitions():
        for source in kpi.sources_on(major):
            known = gateway.fields_get(source.model)
            # the page names fields as Odoo 18 does; the reads ask the adapters for this version's name
            missing += [f"{kpi.code}: {source.model}.{f}" for f in source.fields if field_name(major, source.model, f) not in known]
    assert not missing, missing


def test_the_report_computes_every_kpi_in_a_bounded_number_of_round_trips(gateway):
    from odookit.kpi.period import parse_period
    from odookit.kpi.reads import Policy
    from odookit.kpi.report import compute_report

    report = compute_report(gateway, parse_period(None, None),
                            Policy(module="nis_config", credit_block=True, default_limit=1000.0, discount_above=15.0))
    assert [k.code for k in report.kpis] == [d.code for d in definitions()]
    for k in report.kpis:
        assert k.status in ("ok", "no_data", "unavailable"), (k.code, k.note)
        assert (k.value is None) == (k.status != "ok"), k.code
    assert report.round_trips < 60
