"""crm and maintenance sections: schema, references, compile, plan, export, adapters, UAT generation, SOPs.

The blueprint here is nobody's example (a Dutch pump maker with a Belgian subsidiary): its codes
appear nowhere in the package. The in-memory gateway only stands in for Odoo's ORM; what the
automation rules do (team membership, duplicate and customer checks) is proved on a real Odoo.
"""

from __future__ import annotations

import pytest
from lxml import etree

from odookit.blueprints.apply import Applier
from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.export import module_files
from odookit.blueprints.loader import load_blueprint
from odookit.blueprints.plan import build_plan
from odookit.blueprints.schema import Blueprint
from odookit.odoo import adapters

from conftest import odoo_like, without_odoo_made_records
from test_blueprint_localization import problems, write

BP = """\
companies:
  - {code: AC, name: Acme Pompen BV, country: NL, currency: EUR, main: true}
  - {code: AB, name: Acme Pompes SRL, country: BE, currency: EUR}
warehouses:
  - {code: RTM, name: Rotterdam, company: AC}
  - {code: ANR, name: Antwerpen, company: AB}
roles:
  - {code: rep, name: Field Rep, groups: [sales_team.group_sale_salesman]}
  - {code: lead, name: Sales Lead, groups: [sales_team.group_sale_manager]}
  - {code: tech, name: Workshop Chief, groups: [stock.group_stock_manager, maintenance.group_equipment_manager]}
crm:
  teams:
    - {code: NL, name: Direct NL, company: AC, roles: [rep, lead]}
    - {code: BE, name: Direct BE, company: AB, roles: [rep]}
  stages:
    - {code: new, name: New}
    - {code: quote, name: Quoted, team: NL, requirements: A quotation was sent}
    - {code: won, name: Won, won: true, folded: true}
  customer_creation_role: lead
maintenance:
  categories:
    - code: FORK
      name: Forklifts
      preventive: {every: 3, unit: month, duration_hours: 2, start: 2027-01-04}
    - {code: DOCK, name: Dock levellers, company: AB}
  equipment:
    - {code: FL1, name: Forklift 1, category: FORK, warehouse: RTM, serial_no: FL-001}
    - {code: DL1, name: Dock leveller 1, category: DOCK, warehouse: ANR, preventive: {every: 1, unit: year}}
"""
MODULE = "ac_config"


def state_of(tmp_path, text: str = BP, major: int = 18):
    bp, _ = load_blueprint(write(tmp_path, text))
    return bp, compile_blueprint(bp, MODULE, major)


def by_xmlid(state):
    return {r.xmlid: r for r in state.records if not r.company}


# -- schema ---------------------------------------------------------------------------

def test_schema_describes_every_new_field():
    schema = Blueprint.model_json_schema()
    defs = schema["$defs"]
    for model in ("CrmPolicy", "SalesTeam", "PipelineStage", "MaintenancePolicy", "EquipmentCategory", "Equipment", "Preventive"):
        for field, prop in defs[model]["properties"].items():
            assert prop.get("description"), f"{model}.{field}"
    assert "installs crm" in schema["properties"]["crm"]["description"]
    assert "installs maintenance" in schema["properties"]["maintenance"]["description"]


def test_a_misspelt_key_and_a_bad_interval_are_located(tmp_path):
    lines = problems(tmp_path, BP.replace("customer_creation_role: lead", "customer_creator: lead").replace("every: 3,", "every: 0,"))
    assert any(line.startswith("blueprints/bp.yaml:19:3:") and "customer_creator" in line for line in lines), lines
    assert any(line.startswith("blueprints/bp.yaml:24:20:") and "greater than or equal to 1" in line for line in lines), lines


# -- references -------------------------------------------------------------------------

def test_unknown_company_role_and_team_get_did_you_mean_at_their_position(tmp_path):
    text = (BP.replace("company: AB, roles: [rep]}", "company: ABX, roles: [repp]}").replace("team: NL,", "team: NLL,")
            .replace("customer_creation_role: lead", "customer_creation_role: leed"))
    assert problems(tmp_path, text) == [
        "blueprints/bp.yaml:14:35: unknown company 'ABX' (did you mean 'AB'?). Use one of: AC, AB.",
        "blueprints/bp.yaml:14:57: unknown role 'repp' (did you mean 'rep'?). Use one of: rep, lead, tech.",
        "blueprints/bp.yaml:17:35: unknown sales team 'NLL' (did you mean 'NL'?). Use one of: NL, BE.",
        "blueprints/bp.yaml:19:3: unknown role 'leed' (did you mean 'lead'?). Use one of: rep, lead, tech.",
    ]


def test_unknown_category_warehouse_and_company_of_maintenance_are_located(tmp_path):
    text = (BP.replace("category: DOCK, warehouse: ANR", "category: DOKC, warehouse: ANT")
            .replace("name: Dock levellers, company: AB}", "name: Dock levellers, company: BA}"))
    lines = problems(tmp_path, text)
    assert "blueprints/bp.yaml:25:42: unknown company 'BA'. Use one of: AC, AB." in lines
    assert "blueprints/bp.yaml:28:42: unknown equipment category 'DOKC' (did you mean 'DOCK'?). Use one of: FORK, DOCK." in lines
    assert "blueprints/bp.yaml:28:58: unknown warehouse 'ANT' (did you mean 'ANR'?). Use one of: RTM, ANR." in lines


def test_duplicate_codes_names_and_serials_are_refused(tmp_path):
    text = (BP.replace("    - {code: won, name: Won,", "    - {code: new, name: Quoted,")
            .replace("{code: DL1, name: Dock leveller 1, category: DOCK, warehouse: ANR,", "{code: FL1, name: Dock leveller 1, category: DOCK, warehouse: ANR, serial_no: FL-001,"))
    lines = problems(tmp_path, text)
    assert any(line.startswith("blueprints/bp.yaml:18:") and "duplicate pipeline stage code 'new' (the other is crm.stages[0])" in line for line in lines), lines
    assert any(line.startswith("blueprints/bp.yaml:18:") and "a second pipeline stage named 'Quoted' (the other is crm.stages[1])" in line for line in lines), lines
    assert any("duplicate equipment code 'FL1' (the other is maintenance.equipment[0])" in line for line in lines), lines
    assert any("duplicate serial number 'FL-001'" in line and "Odoo keeps these unique" in line for line in lines), lines


def test_a_category_schedule_without_equipment_is_refused(tmp_path):
    text = BP.replace("    - {code: FL1, name: Forklift 1, category: FORK, warehouse: RTM, serial_no: FL-001}\n", "")
    assert problems(tmp_path, text) == [
        "blueprints/bp.yaml:24:7: equipment category 'FORK' has preventive maintenance but no equipment. Odoo schedules maintenance per "
        "piece of equipment: add equipment with category: FORK under maintenance.equipment:, or drop preventive."]


# -- compile ------------------------------------------------------------------------------

def test_compile_teams_stages_and_the_apps(tmp_path):
    _, state = state_of(tmp_path)
    recs = by_xmlid(state)
    assert {"crm", "maintenance"} <= set(state.modules) and "stock_maintenance" not in state.modules
    assert recs["ac_config.sales_team_be"].values == {"name": "Direct BE", "company_id": {"$ref": "ac_config.company_ab"},
                                                      "use_leads": True, "use_opportunities": True, "active": True}
    stages = [(r.values["name"], r.values["sequence"], r.values["team_id"]) for r in state.records if r.model == "crm.stage"]
    assert stages == [("New", 10, False), ("Quoted", 20, {"$ref": "ac_config.sales_team_nl"}), ("Won", 30, False)]
    assert recs["ac_config.crm_stage_won"].values["is_won"] is True and recs["ac_config.crm_stage_won"].values["fold"] is True
    # Leads for everyone; the role that creates customers gets the engagement's group
    assert "crm.group_use_lead" in recs["base.group_user"].values["implied_ids"]["$refs"]
    assert "ac_config.group_customer_creator" in recs["ac_config.role_lead"].values["implied_ids"]["$refs"]
    assert "ac_config.group_customer_creator" not in recs["ac_config.role_rep"].values["implied_ids"]["$refs"]


def test_odoo_19_stages_name_their_teams_in_a_many2many(tmp_path):
    _, state = state_of(tmp_path, major=19)
    quote = by_xmlid(state)["ac_config.crm_stage_quote"].values
    assert "team_id" not in quote and quote["team_ids"] == {"$refs": ["ac_config.sales_team_nl"], "$exact": True}
    assert by_xmlid(state)["ac_config.crm_stage_new"].values["team_ids"] == {"$refs": [], "$exact": True}


def test_multiple_memberships_only_when_a_role_is_in_two_teams(tmp_path):
    _, state = state_of(tmp_path)
    assert by_xmlid(state)["ac_config.config_sales_team_membership_multi"].values == {"key": "sales_team.membership_multi", "value": "True"}
    _, single = state_of(tmp_path, BP.replace("company: AB, roles: [rep]}", "company: AB, roles: [lead]}").replace("roles: [rep, lead]}", "roles: [rep]}"))
    assert "ac_config.config_sales_team_membership_multi" not in by_xmlid(single)


def test_membership_rule_watches_groups_and_company_of_the_version(tmp_path):
    for major, groups in ((18, "groups_id"), (19, "group_ids")):
        _, state = state_of(tmp_path, major=major)
        rule = by_xmlid(state)["ac_config.automation_sales_team_members"].values
        assert rule["trigger_field_ids"]["$refs"] == sorted([f"base.field_res_users__{groups}", "base.field_res_users__company_id"])
        code = by_xmlid(state)["ac_config.automation_sales_team_members_action"].values["code"]
        assert "[('ac_config.sales_team_nl', ['ac_config.role_rep', 'ac_config.role_lead']), ('ac_config.sales_team_be', ['ac_config.role_rep'])]" in code
        assert "team.company_id != user.company_id" in code


def test_customer_and_duplicate_rules_follow_the_blueprint(tmp_path):
    _, state = state_of(tmp_path)
    recs = by_xmlid(state)
    creation = recs["ac_config.automation_customer_creation"].values
    assert (creation["trigger"], creation["filter_domain"]) == ("on_create", "[('parent_id', '=', False), ('supplier_rank', '=', 0)]")
    code = recs["ac_config.automation_customer_creation_action"].values["code"]
    assert "env.user.has_group('ac_config.group_customer_creator')" in code and "Ask a Sales Lead to create the customer." in code
    duplicate = recs["ac_config.automation_lead_duplicates"].values
    assert (duplicate["filter_pre_domain"], duplicate["filter_domain"]) == ("[('type', '=', 'lead')]", "[('type', '=', 'opportunity')]")
    assert "Ask a Sales Lead to merge them if they are not yours." in recs["ac_config.automation_lead_duplicates_action"].values["code"]
    _, off = state_of(tmp_path, BP.replace("  customer_creation_role: lead\n", "  duplicate_check: warn\n"))
    recs = by_xmlid(off)
    for name in ("automation_customer_creation", "automation_lead_duplicates"):
        assert recs[f"ac_config.{name}"].retire and recs[f"ac_config.{name}"].values == {"active": False}
    assert "ac_config.group_customer_creator" not in recs


def test_equipment_location_and_request_duration_per_version(tmp_path):
    _, s18 = state_of(tmp_path, major=18)
    _, s19 = state_of(tmp_path, major=19)
    fl18, fl19 = by_xmlid(s18)["ac_config.equipment_fl1"].values, by_xmlid(s19)["ac_config.equipment_fl1"].values
    assert fl18["location"] == "RTM/Stock" and "location_id" not in fl18
    assert fl19["location_id"] == {"$ref": "ac_config.location_rtm_stock"} and "location" not in fl19
    assert "stock_maintenance" in s19.modules
    r18, r19 = by_xmlid(s18)["ac_config.preventive_request_fl1"].values, by_xmlid(s19)["ac_config.preventive_request_fl1"].values
    assert {k: r18[k] for k in ("maintenance_type", "recurring_maintenance", "repeat_interval", "repeat_unit", "repeat_type", "schedule_date", "duration")} == {
        "maintenance_type": "preventive", "recurring_maintenance": True, "repeat_interval": 3, "repeat_unit": "month",
        "repeat_type": "forever", "schedule_date": "2027-01-04 08:00:00", "duration": 2.0}
    assert r19["schedule_end"] == "2027-01-04 10:00:00" and "duration" not in r19
    # the equipment's own schedule wins over its category's (none); no start date: unscheduled, no end on 19
    dl19 = by_xmlid(s19)["ac_config.preventive_request_dl1"].values
    assert (dl19["repeat_interval"], dl19["repeat_unit"]) == (1, "year") and "schedule_date" not in dl19 and "schedule_end" not in dl19


def test_each_company_owning_equipment_gets_its_maintenance_team(tmp_path):
    _, state = state_of(tmp_path)
    recs = by_xmlid(state)
    assert recs["ac_config.maintenance_team_ab"].values == {"name": "Acme Pompes SRL: Maintenance", "company_id": {"$ref": "ac_config.company_ab"}}
    dl = recs["ac_config.equipment_dl1"].values
    assert dl["company_id"] == {"$ref": "ac_config.company_ab"} and dl["maintenance_team_id"] == {"$ref": "ac_config.maintenance_team_ab"}
    assert recs["ac_config.preventive_request_dl1"].values["company_id"] == {"$ref": "ac_config.company_ab"}
    assert recs["ac_config.equipment_category_dock"].values["company_id"] == {"$ref": "ac_config.company_ab"}
    assert recs["ac_config.equipment_category_fork"].values["company_id"] is False


def test_without_the_sections_nothing_of_them_is_compiled(tmp_path):
    text = BP[: BP.index("crm:")]
    _, state = state_of(tmp_path, text)
    assert not {"crm", "maintenance"} & set(state.modules)
    assert not [r for r in state.records if r.model.startswith(("crm.", "maintenance."))]
    assert "crm.group_use_lead" not in by_xmlid(state)["base.group_user"].values["implied_ids"]["$refs"]


# -- plan, apply, export ---------------------------------------------------------------------

def _live(state):
    gw = odoo_like(state)
    for wh in ("rtm", "anr"):  # what Odoo's warehouses would have made
        gw.seed("stock.location", {"name": "Stock"}, xmlid=f"ac_config.location_{wh}_stock")
    return gw


@pytest.mark.parametrize("major", [18, 19])
def test_plan_creates_the_sections_then_is_empty(tmp_path, major):
    _, state = state_of(tmp_path, major=major)
    state = without_odoo_made_records(state)
    gw = _live(state)
    first = build_plan(gw, state, target="dev")
    created = [op.xmlid for op in first.operations if op.action == "create" and op.model.startswith(("crm.", "maintenance."))]
    assert created == ["ac_config.sales_team_nl", "ac_config.sales_team_be", "ac_config.crm_stage_new", "ac_config.crm_stage_quote",
                       "ac_config.crm_stage_won", "ac_config.equipment_category_fork", "ac_config.equipment_category_dock",
                       "ac_config.maintenance_team_ac", "ac_config.maintenance_team_ab", "ac_config.equipment_fl1",
                       "ac_config.preventive_request_fl1", "ac_config.equipment_dl1", "ac_config.preventive_request_dl1"]
    Applier(gw, first, None, user="t").run()
    request = gw.resolve_xmlids(["ac_config.preventive_request_fl1"])["ac_config.preventive_request_fl1"][1]
    equipment = gw.resolve_xmlids(["ac_config.equipment_fl1"])["ac_config.equipment_fl1"][1]
    row = gw.read("maintenance.request", [request], ["equipment_id", "repeat_interval"])[0]
    assert (row["equipment_id"][0] if isinstance(row["equipment_id"], list) else row["equipment_id"], row["repeat_interval"]) == (equipment, 3)
    second = build_plan(gw, state, target="dev")
    assert [(op.action, op.xmlid, dict(op.changes)) for op in second.changes] == []


def test_odoos_own_stage_of_the_same_name_is_adopted_not_duplicated(tmp_path):
    _, state = state_of(tmp_path)
    state = without_odoo_made_records(state)
    gw = _live(state)
    odoos_new = gw.seed("crm.stage", {"name": "New", "sequence": 1}, xmlid="crm.stage_lead1")
    op = next(op for op in build_plan(gw, state, target="dev").operations if op.xmlid == "ac_config.crm_stage_new")
    assert (op.action, op.res_id) == ("adopt", odoos_new)
    assert op.changes["sequence"].before == 1 and op.changes["sequence"].after == 10


def test_export_declares_teams_before_stages_and_equipment_before_requests(tmp_path):
    _, state = state_of(tmp_path)
    files = module_files(state)
    root = etree.fromstring(files["data/configuration.xml"])
    ids = [el.get("id") for el in root if el.tag == "record"]
    assert ids.index("sales_team_nl") < ids.index("crm_stage_quote")
    assert ids.index("equipment_category_fork") < ids.index("equipment_fl1") < ids.index("preventive_request_fl1")
    stage = next(el for el in root if el.get("id") == "crm_stage_quote")
    assert stage.find("field[@name='team_id']").get("ref") == "ac_config.sales_team_nl"
    rules = etree.fromstring(files["data/automation.xml"])
    assert {"automation_customer_creation", "automation_lead_duplicates", "automation_sales_team_members"} <= {el.get("id") for el in rules}
    assert "'crm'" in files["__manifest__.py"].decode() and "'maintenance'" in files["__manifest__.py"].decode()


# -- adapters ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("major", "stage", "location", "duration"), [
    (17, "team_id", "location", "duration"),
    (18, "team_id", "location", "duration"),
    (19, "team_ids", "location_id", "schedule_end"),
    (20, "team_ids", "location_id", "schedule_end"),
])
def test_adapters_name_the_crm_and_maintenance_fields_of_each_version(major, stage, location, duration):
    assert adapters.crm_stage_team_field(major) == stage
    assert adapters.equipment_location_field(major) == location
    assert adapters.maintenance_duration_field(major) == duration


# -- UAT generation and SOPs ----------------------------------------------------------------------

def test_generated_crm_and_maintenance_scenarios_speak_the_blueprint(tmp_path):
    from odookit.uat_scenarios.suite import generate_suite

    bp, _ = state_of(tmp_path)
    suite = generate_suite(bp, MODULE)
    files = suite.files()
    crm, maintenance = files["crm.feature"], files["maintenance.feature"]
    assert 'Given I am logged in as the "Sales Lead"\n    When I create a lead "UAT enquiry for NL" from' in crm
    assert 'Then the lead "UAT enquiry for NL" is an opportunity of sales team "NL" for the customer "UAT Prospect NL"' in crm
    # the Belgian team's only role may not create customers: its lead goes to an existing customer, in its company
    assert 'When I create a lead "UAT enquiry for BE" in company "AB" from' in crm
    assert 'into an opportunity for the existing customer "UAT Prospect BE"' in crm
    assert 'Given I am logged in as the "Field Rep"\n    When I try to create the customer "UAT Walk-in Ltd"' in crm
    assert 'Then the conversion is refused with a message containing "Duplicate"' in crm
    assert "| FL1       | 3     | months | FORK     |" in maintenance and "| DL1       | 1     | year   | DOCK     |" in maintenance
    assert 'When I log in as the "Workshop Chief"\n    And I complete the preventive maintenance of equipment "UAT Forklifts unit"' in maintenance
    assert "is scheduled 3 months after the completed one" in maintenance
    assert [f.line() for f in suite.findings if f.feature in ("crm.feature", "maintenance.feature")] == []


def test_a_blueprint_without_the_rights_gets_findings_not_scenarios(tmp_path):
    from odookit.uat_scenarios.suite import generate_suite

    text = BP.replace(", maintenance.group_equipment_manager]", "]").replace("roles: [rep, lead]}", "roles: [lead]}")
    bp, _ = state_of(tmp_path, text)
    suite = generate_suite(bp, MODULE)
    gaps = [f.line() for f in suite.findings]
    assert ("maintenance.feature: A completed preventive maintenance of Forklifts opens the next one 3 months later: no blueprint role "
            "may manage equipment and carry out its maintenance requests (give a role the Odoo groups for it in blueprints/)") in gaps
    assert "Scenario: A completed preventive maintenance" not in suite.files()["maintenance.feature"]


def test_every_generated_step_is_in_the_library(tmp_path):
    from odookit.uat_scenarios.library import library, match
    from odookit.uat_scenarios.suite import generate_suite

    bp, _ = state_of(tmp_path)
    steps = library()
    for feature in generate_suite(bp, MODULE).features:
        if feature.file not in ("crm.feature", "maintenance.feature"):
            continue
        for scenario in feature.scenarios:
            for step in scenario.steps:
                text = step.split(" ", 1)[1]
                for row in scenario.examples:
                    for key, value in row.items():
                        text = text.replace(f"<{key}>", value)
                assert match(text, steps).defined, step


def test_sops_are_written_only_for_the_sections_present(tmp_path):
    from odookit.governance.matrix import role_matrix
    from odookit.governance.policy import load_policy
    from odookit.sop_templates.context import sops
    from odookit.sop_templates.render import render

    class Ws:
        name, module, root, governance = "Acme", MODULE, tmp_path, tmp_path / "governance"

        class config:
            class engagement:
                client = "Acme Pompen"

    bp, _ = state_of(tmp_path)
    matrix = role_matrix(bp, load_policy(Ws))
    pages = {s.slug: s for s in sops(Ws, bp, matrix)}
    crm = render(pages["sop-lead-conversion"].template, pages["sop-lead-conversion"].context)
    assert "| Direct BE | Acme Pompes SRL | Field Rep | qualified first |" in crm
    assert "only a **Sales Lead** may choose **Create a new customer**" in crm
    maint = render(pages["sop-equipment-maintenance"].template, pages["sop-equipment-maintenance"].context)
    assert "| Forklift 1 | Forklifts | Rotterdam | FL-001 | every 3 months, first on 2027-01-04 |" in maint
    assert "| Dock leveller 1 | Dock levellers | Antwerpen | - | every 1 year |" in maint
    bare, _ = state_of(tmp_path, BP[: BP.index("crm:")])
    assert not {"sop-lead-conversion", "sop-equipment-maintenance"} & {s.slug for s in sops(Ws, bare, role_matrix(bare, load_policy(Ws)))}
