"""companies[].localization, default taxes, fiscal positions: schema, references, compile, plan, export.

The in-memory gateway knows no chart of accounts (loading one is Odoo's business): where a
test needs a loaded chart it says so by seeding the company's chart_template and the taxes
under the external IDs Odoo gives them (``account.<company id>_<template id>``).
"""

from __future__ import annotations

import json
import textwrap

import pytest
from lxml import etree

from odookit.blueprints import localization
from odookit.blueprints.apply import Applier
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.export import module_files
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import build_plan
from odookit.blueprints.schema import Blueprint
from odookit.errors import OdooAppMissing, PlanError, Problems

from conftest import odoo_like

DUTCH = """\
companies:
  - code: VD
    name: Van Dijk Groothandel B.V.
    country: NL
    currency: EUR
    main: true
    localization: nl
    sale_tax: btw_21
    purchase_tax: btw_21_buy
    fiscal_positions:
      - code: EU_B2B
        name: EU B2B
        auto_apply: true
        vat_required: true
        country_group: base.europe
        taxes:
          - {source: btw_21, destination: btw_X0_producten}
          - {source: btw_21_buy}
  - code: BE
    name: Van Dijk Belgie BV
    country: BE
    currency: EUR
    localization: be_comp
product_categories:
  - code: ALL
    name: Goods
    valuation: real_time
"""


def write(tmp_path, text: str):
    folder = tmp_path / "blueprints"
    folder.mkdir(exist_ok=True)
    (folder / "bp.yaml").write_text(textwrap.dedent(text))
    return folder


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(Problems) as exc:
        load_blueprint(write(tmp_path, text), root=tmp_path)
    return exc.value.lines()


def dutch(tmp_path, major: int = 18):
    bp, _ = load_blueprint(write(tmp_path, DUTCH))
    return compile_blueprint(bp, "vd_config", major)


# -- catalogue and schema -----------------------------------------------------

def test_catalogue_names_the_module_country_and_taxes_of_a_chart():
    assert localization.module_of("nl", 18) == "l10n_nl"
    assert localization.module_of("de_skr03", 19) == "l10n_de"
    assert localization.module_of("generic_coa", 18) == "account"
    assert localization.charts(18)["ca_2023"]["country"] == "CA"
    taxes = localization.chart_taxes("nl", 18)
    assert taxes["btw_21"] == "sale" and taxes["btw_21_buy"] == "purchase"
    # a child chart has its parent's taxes
    assert localization.charts(18)["be_comp"]["parent"] == "be"
    assert "attn_VAT-OUT-21-L" in localization.chart_taxes("be_comp", 18)
    # parent-only templates are not offered for loading
    assert "be" not in localization.loadable(18) and "be_comp" in localization.loadable(18)


def test_schema_describes_every_new_field():
    schema = Blueprint.model_json_schema()
    defs = schema["$defs"]
    for model, fields in (("Company", ("localization", "sale_tax", "purchase_tax", "fiscal_positions")),
                          ("FiscalPosition", ("code", "name", "auto_apply", "vat_required", "country", "country_group", "taxes")),
                          ("TaxMapping", ("source", "destination"))):
        for field in fields:
            assert defs[model]["properties"][field].get("description"), f"{model}.{field}"
    for section in ("helpdesk", "quality", "documents", "planning", "barcode", "intercompany"):
        assert "Enterprise" in schema["properties"][section]["description"]


# -- references ------------------------------------------------------------------

def test_unknown_chart_code_is_located_with_the_close_ones(tmp_path):
    lines = problems(tmp_path, DUTCH.replace("localization: nl", "localization: nll"))
    assert len(lines) == 1
    assert lines[0].startswith("blueprints/bp.yaml:7:5: unknown chart template 'nll' (did you mean 'nl'?). Close ones: nl")


def test_chart_of_another_country_is_refused(tmp_path):
    lines = problems(tmp_path, DUTCH.replace("localization: be_comp", "localization: de_skr03"))
    assert lines == ["blueprints/bp.yaml:23:5: chart 'de_skr03' is for country DE, but company 'BE' is in BE. Use a chart for BE: be_asso, be_comp."]


def test_parent_only_chart_names_its_children(tmp_path):
    lines = problems(tmp_path, DUTCH.replace("localization: be_comp", "localization: be"))
    assert lines == ["blueprints/bp.yaml:23:5: chart template 'be' is only a parent of other charts, Odoo does not load it on a company. "
                     "Use one of: be_asso, be_comp."]


def test_fiscal_position_naming_a_tax_the_chart_lacks_is_located(tmp_path):
    lines = problems(tmp_path, DUTCH.replace("destination: btw_X0_producten", "destination: btw_X0_product"))
    assert len(lines) == 1
    assert lines[0].startswith("blueprints/bp.yaml:17:30: chart 'nl' has no tax 'btw_X0_product' (did you mean 'btw_X0_producten'?)")


def test_default_tax_of_the_wrong_use_or_without_chart(tmp_path):
    lines = problems(tmp_path, DUTCH.replace("sale_tax: btw_21\n", "sale_tax: btw_21_buy\n"))
    assert lines == ["blueprints/bp.yaml:8:5: tax 'btw_21_buy' of chart 'nl' is a purchase tax, not a sale tax. Pick one of the chart's sale taxes."]
    lines = problems(tmp_path, DUTCH.replace("    localization: nl\n", ""))
    assert lines[0] == ("blueprints/bp.yaml:7:5: sale_tax 'btw_21' needs the company's localization (the chart that defines the tax). "
                        "Add localization: <chart code> to the company.")
    assert len(lines) == 3  # purchase_tax and the fiscal position too


def test_fiscal_position_codes_are_unique_over_companies(tmp_path):
    text = DUTCH.replace("    localization: be_comp\n", "    localization: be_comp\n    fiscal_positions: [{code: eu_b2b, name: EU}]\n")
    lines = problems(tmp_path, text)
    assert lines == ["blueprints/bp.yaml:24:25: duplicate fiscal position code 'eu_b2b' (first in company VD). "
                     "Fiscal position codes must be unique over all companies; rename one."]


# -- compile -------------------------------------------------------------------------

def test_compile_installs_the_l10n_modules_and_names_the_charts(tmp_path):
    state = dutch(tmp_path)
    assert {"l10n_nl", "l10n_be"} <= set(state.modules)
    assert state.charts == {"vd_config.company_vd": "nl", "vd_config.company_be": "be_comp"}
    taxes = next(r for r in state.records if r.model == "res.company" and r.company)
    assert taxes.values == {"account_sale_tax_id": {"$chart": "btw_21", "$company": "vd_config.company_vd"},
                            "account_purchase_tax_id": {"$chart": "btw_21_buy", "$company": "vd_config.company_vd"}}
    fp = state.by_xmlid()["vd_config.fiscal_position_eu_b2b"]
    assert fp.values["tax_ids"]["$lines"] == [
        {"tax_src_id": {"$chart": "btw_21", "$company": "vd_config.company_vd"},
         "tax_dest_id": {"$chart": "btw_X0_producten", "$company": "vd_config.company_vd"}},
        {"tax_src_id": {"$chart": "btw_21_buy", "$company": "vd_config.company_vd"}, "tax_dest_id": False},
    ]
    assert fp.values["country_group_id"] == {"$ref": "base.europe"}


def test_odoo_19_positions_list_the_taxes_they_charge(tmp_path):
    fp = dutch(tmp_path, 19).by_xmlid()["vd_config.fiscal_position_eu_b2b"]
    assert fp.values["tax_ids"] == {"$charts": ["btw_X0_producten"], "$company": "vd_config.company_vd"}


# -- plan and apply (Odoo's chart loading stood in for by the test) ------------------

def _gateway(state):
    gw = odoo_like(state)
    gw.relations.update({"account.fiscal.position.tax_ids": "account.fiscal.position.tax",
                         "account.fiscal.position.tax.tax_src_id": "account.tax",
                         "account.fiscal.position.tax.tax_dest_id": "account.tax"})
    return gw


def _odoo_loads_charts(monkeypatch, gw, calls):
    """What try_loading leaves behind, as far as the blueprint looks: chart_template and the taxes."""

    def load(gateway, company_id, code):
        calls.append((company_id, code))
        gateway.write("res.company", [company_id], {"chart_template": code})
        for tax in localization.chart_taxes(code, 18):
            gateway.seed("account.tax", {"name": tax, "company_id": company_id}, xmlid=f"account.{company_id}_{tax}")

    monkeypatch.setattr(localization, "load_chart", load)


def test_plan_loads_each_chart_right_after_its_company_then_converges(tmp_path, monkeypatch):
    state = dutch(tmp_path)
    gw = _gateway(state)
    calls: list = []
    _odoo_loads_charts(monkeypatch, gw, calls)
    first = build_plan(gw, state, target="dev")
    keys = [(op.action, op.xmlid, op.company) for op in first.operations]
    for company, code in (("vd_config.company_vd", "nl"), ("vd_config.company_be", "be_comp")):
        at = next(i for i, k in enumerate(keys) if k[1] == company and k[0] != "load_chart" and k[2] is None)
        assert keys[at + 1] == ("load_chart", company, None)
        assert first.operations[at + 1].changes["chart_template"].after == code
    load_vd = keys.index(("load_chart", "vd_config.company_vd", None))
    assert load_vd < keys.index(("update", "vd_config.company_vd", "vd_config.company_vd"))  # default taxes after the chart
    assert load_vd < keys.index(("update", "vd_config.product_category_all", "vd_config.company_vd"))  # real-time valuation too
    assert load_vd < keys.index(("create", "vd_config.fiscal_position_eu_b2b", None))
    Applier(gw, first, None, user="t").run()
    assert [code for _, code in calls] == ["nl", "be_comp"]
    company = gw.resolve_xmlids(["vd_config.company_vd"])["vd_config.company_vd"][1]
    row = gw.read("res.company", [company], ["account_sale_tax_id", "account_purchase_tax_id"])[0]
    taxes = gw.resolve_xmlids([f"account.{company}_btw_21", f"account.{company}_btw_21_buy"])
    assert row["account_sale_tax_id"][0] == taxes[f"account.{company}_btw_21"][1]
    assert row["account_purchase_tax_id"][0] == taxes[f"account.{company}_btw_21_buy"][1]
    second = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, dict(op.changes)) for op in second.changes] == []
    assert [op.action for op in second.operations if op.label.startswith("chart")] == ["noop", "noop"]


def test_a_chart_already_loaded_with_entries_is_refused_before_anything(tmp_path):
    state = dutch(tmp_path)
    gw = _gateway(state)
    main = gw.resolve_xmlids(["base.main_company"])["base.main_company"][1]
    gw.write("res.company", [main], {"chart_template": "generic_coa"})
    gw.seed("account.move.line", {"name": "entry", "company_id": main})
    with pytest.raises(PlanError) as exc:
        build_plan(gw, state, target="dev")
    assert exc.value.line() == (
        "company vd_config.company_vd already has chart generic_coa with accounting entries; the blueprint asks for nl. "
        "Odoo cannot replace a chart once entries exist: set localization: generic_coa for that company, or start from a new database."
    )
    assert gw.round_trips("write") == 1 and gw.round_trips("create") == 0


def test_a_chart_without_entries_is_replaced(tmp_path):
    """What a fresh database has: the generic chart Odoo loaded when account was installed."""
    state = dutch(tmp_path)
    gw = _gateway(state)
    main = gw.resolve_xmlids(["base.main_company"])["base.main_company"][1]
    gw.write("res.company", [main], {"chart_template": "generic_coa"})
    op = next(op for op in build_plan(gw, state, target="dev").operations if op.action == "load_chart" and op.res_id == main)
    assert (op.changes["chart_template"].before, op.changes["chart_template"].after) == ("generic_coa", "nl")


def test_a_localization_module_missing_from_the_server_is_one_line(tmp_path):
    state = dutch(tmp_path)
    gw = _gateway(state)
    be = gw.search("ir.module.module", [("name", "=", "l10n_be")])
    gw.unlink("ir.module.module", be)
    with pytest.raises(OdooAppMissing) as exc:
        build_plan(gw, state, target="dev")
    assert exc.value.line() == (
        "memory://odoo: localization module l10n_be (chart be_comp) is not on the server. "
        "Add l10n_be to the server's addons path (it ships with Odoo community), or choose another localization."
    )


def test_a_chart_the_servers_version_lacks_is_refused(tmp_path):
    bp, _ = load_blueprint(write(tmp_path, "companies: [{code: U, name: U, country: US, currency: USD, localization: us}]\n"))
    state = compile_blueprint(bp, "u_config", 18)
    with pytest.raises(PlanError) as exc:
        build_plan(odoo_like(state), state, target="dev")
    assert exc.value.line().startswith("memory://odoo: chart template 'us' (company u_config.company_u) does not exist in Odoo 18.0")


# -- export ---------------------------------------------------------------------------

def test_export_loads_the_chart_before_anything_needs_its_accounts(tmp_path):
    state = dutch(tmp_path)
    files = module_files(state)
    manifest = files["__manifest__.py"].decode()
    assert "'l10n_nl'" in manifest and "'l10n_be'" in manifest
    root = etree.fromstring(files["data/configuration.xml"])
    order = [(el.tag, el.get("id") or el.get("model"), el.get("name")) for el in root]
    load = [i for i, el in enumerate(root) if el.tag == "function" and el.get("name") == "try_loading"]
    assert [root[i][1].text for i in load] == ["nl", "be_comp"]
    assert root[load[0]][2].get("eval") == "obj().env.ref('vd_config.company_vd')"
    company_at = order.index(("record", "bind_company_vd", None))
    assert load[0] == company_at + 1
    valuation = next(i for i, el in enumerate(root) if el.tag == "function" and el.get("model") == "product.category")
    assert valuation > load[1]
    taxes = next(el for el in root if el.tag == "function" and el.get("model") == "res.company")
    assert "ref('account.%d_btw_21' % ref('vd_config.company_vd'))" in taxes[1].get("eval")
    fp = next(el for el in root if el.get("id") == "fiscal_position_eu_b2b")
    assert "'tax_dest_id': ref('account.%d_btw_X0_producten' % ref('vd_config.company_vd'))" in fp.find("field[@name='tax_ids']").get("eval")


def test_desired_state_with_charts_is_json(tmp_path):
    state = dutch(tmp_path)
    assert json.loads(json.dumps(state.charts)) == state.charts


# -- Enterprise apps on community ------------------------------------------------------

ENTERPRISE = """\
companies: [{code: A, name: A, country: US, currency: USD}]
quality:
  checks_on_receipt: true
helpdesk:
  teams: [support]
"""


def test_enterprise_sections_are_refused_on_community_before_any_operation(tmp_path):
    from odookit.blueprints.enterprise import refuse_enterprise_apps

    bp, smap = load_blueprint(write(tmp_path, ENTERPRISE), root=tmp_path)
    with pytest.raises(Problems) as exc:
        refuse_enterprise_apps(bp, smap, "community", "dev")
    assert exc.value.lines() == [
        "blueprints/bp.yaml:2:1: quality: Quality is an Odoo Enterprise app (quality_control) and target 'dev' runs Odoo community. "
        "Remove the quality: section for this target; on community odookit does this instead: use a warehouse's three-step receipt "
        "(reception_steps: 3: input, quality, stock) and the UAT receipt scenarios.",
        "blueprints/bp.yaml:4:1: helpdesk: Helpdesk is an Odoo Enterprise app (helpdesk) and target 'dev' runs Odoo community. "
        "Remove the helpdesk: section for this target; on community odookit does this instead: customer issues are followed as "
        "activities on the order or the customer, returns through the returns SOP and the UAT return scenarios.",
    ]
    refuse_enterprise_apps(bp, smap, "enterprise", "dev")  # accepted there (odookit configures none of it)


def test_plan_on_a_community_server_refuses_enterprise_sections_and_writes_nothing(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from odookit.cli import cli
    from odookit.init import init_workspace
    from odookit.odoo.memory import MemoryGateway

    root = init_workspace(tmp_path / "ws")
    (root / "blueprints" / "blueprint.yaml").write_text(ENTERPRISE)
    gw = MemoryGateway()
    monkeypatch.setattr("odookit.blueprints.workflow.open_target", lambda ws, name: gw)
    result = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "apply", "-t", "dev"])
    assert result.exit_code == 2, result.output
    assert "bp.yaml" not in result.output and "blueprints/blueprint.yaml:2:1: quality: Quality is an Odoo Enterprise app" in result.output
    assert gw.round_trips("create") == gw.round_trips("write") == gw.round_trips("button_immediate_install") == 0
    # validate refuses them too once odookit.toml says the target is community
    config = root / "odookit.toml"
    assert CliRunner().invoke(cli, ["-w", str(root), "blueprint", "validate"]).exit_code == 0
    config.write_text(config.read_text().replace("production = false", 'production = false\nedition = "community"', 1))
    result = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "validate"])
    assert result.exit_code == 2 and "helpdesk: Helpdesk is an Odoo Enterprise app (helpdesk) and target 'dev'" in result.output


# -- migration: customers get their fiscal position ------------------------------------

def test_customers_fiscal_position_column_loads_the_blueprint_position(tmp_path):
    from odookit.migration.entities import MapContext, entity
    from odookit.migration.rules import allowed_values

    customers = entity("customers")
    column = customers.column("fiscal_position")
    assert (column.source, column.loads) == ("fiscal_positions", ("property_account_position_id/id",))
    row = customers.to_load({"code": "C1", "name": "Acme", "fiscal_position": "EU_B2B"}, MapContext("vd_config"))
    assert row["property_account_position_id/id"] == "vd_config.fiscal_position_eu_b2b"
    assert customers.to_load({"code": "C2", "name": "Beta"}, MapContext("vd_config"))["property_account_position_id/id"] == ""
    bp, _ = load_blueprint(write(tmp_path, DUTCH))
    assert allowed_values(bp, [])["fiscal_positions"] == ["EU_B2B"]


def test_tax_rates_and_defaults_for_amounts_with_tax(tmp_path):
    bp, _ = load_blueprint(write(tmp_path, DUTCH))
    vd, be = bp.companies
    assert localization.default_tax(vd, "sale", 18) == "btw_21" and localization.tax_rate("nl", "btw_21", 18) == 21.0
    assert localization.tax_rate("nl", "btw_X0_producten", 19) == 0.0
    # be_comp names no default itself: its parent be does
    assert localization.default_tax(be, "sale", 18) == "attn_VAT-OUT-21-L"
    assert localization.tax_rate("be_comp", "attn_VAT-OUT-21-L", 18) == 21.0
    assert localization.tax_rate("nl", "no_such_tax") is None


def test_cli_validate_and_plan_say_bad_localization_in_one_line_exit_2(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from odookit.cli import cli
    from odookit.init import init_workspace

    root = init_workspace(tmp_path / "ws")
    (root / "blueprints" / "blueprint.yaml").write_text(DUTCH.replace("localization: nl", "localization: nl_2023"))
    result = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "validate"])
    assert result.exit_code == 2, result.output
    assert "blueprints/blueprint.yaml:7:5: unknown chart template 'nl_2023' (did you mean 'nl'?)" in result.output
    assert "Traceback" not in result.output
    (root / "blueprints" / "blueprint.yaml").write_text(DUTCH)
    state = dutch(tmp_path)
    gw = _gateway(state)
    for module in ("l10n_nl", "l10n_be"):
        gw.unlink("ir.module.module", gw.search("ir.module.module", [("name", "=", module)]))
    monkeypatch.setattr("odookit.blueprints.workflow.open_target", lambda ws, name: gw)
    result = CliRunner().invoke(cli, ["-w", str(root), "blueprint", "apply", "-t", "dev"])
    assert result.exit_code == 2, result.output
    assert "localization module l10n_be (chart be_comp) is not on the server" in result.output
    assert gw.round_trips("create") == 0 and gw.round_trips("button_immediate_install") == 0


def test_a_tax_the_chart_creates_archived_is_refused_by_the_plan(tmp_path):
    """Odoo 19's SKR03 creates tax_free_eu_skr03 archived (18's does not): a position naming it could never converge."""
    assert "tax_free_eu_skr03" in localization.archived_taxes("de_skr03", 19)
    assert "tax_free_eu_skr03" not in localization.archived_taxes("de_skr03", 18)
    bp, _ = load_blueprint(write(tmp_path, """\
companies:
  - code: EB
    name: Elbe GmbH
    country: DE
    currency: EUR
    localization: de_skr03
    fiscal_positions:
      - code: EU
        name: EU B2B
        taxes: [{source: tax_ust_19_skr03, destination: tax_free_eu_skr03}]
"""))
    from odookit.odoo.memory import MemoryGateway

    state = compile_blueprint(bp, "eb_config", 19)
    gw = MemoryGateway(version="19.0", modules=set(state.modules) | {"base"})
    with pytest.raises(PlanError) as exc:
        build_plan(gw, state, target="dev")
    assert exc.value.line() == (
        "memory://odoo: tax tax_free_eu_skr03 of chart de_skr03 is archived when Odoo 19.0 loads the chart (fiscal position EU names it). "
        "Name an active tax of the chart instead (`odookit blueprint charts de_skr03 --odoo-version 19.0` marks the archived ones).")
    assert gw.round_trips("create") == 0
    state18 = compile_blueprint(bp, "eb_config", 18)
    assert build_plan(odoo_like(state18), state18, target="dev").operations  # fine on 18
