"""Blueprint -> desired Odoo records, each with a stable external ID.

Compilation is pure: no server, same input same output. The planner compares
its result with a live database, the exporter writes it as module XML.
"""

from __future__ import annotations

import json

from odookit.blueprints import automation, localization, putaway, returns
from odookit.blueprints import crm, maintenance
from odookit.blueprints import landed_costs, manufacturing
from odookit.blueprints.apps import apps_for
from odookit.blueprints.automation_records import automation_records
from odookit.blueprints.desired import Desired, DesiredState, lines, ref, refs
from odookit.blueprints.schema import Blueprint, Company
from odookit.odoo import adapters
from odookit.xmlids import xmlid as make_xmlid

RECEPTION = {1: "one_step", 2: "two_steps", 3: "three_steps"}
# operation types a warehouse's delivery setting actually uses
DELIVERY_TYPES = {
    "ship_only": ("out",),
    "pick_ship": ("pick", "out"),
    "pick_pack_ship": ("pick", "pack", "out"),
}
RECEPTION_TYPES = {1: ("in",), 2: ("in", "int"), 3: ("in", "int")}
TYPE_FIELDS = {"in": "in_type_id", "out": "out_type_id", "pick": "pick_type_id", "pack": "pack_type_id", "int": "int_type_id"}
# (model, trigger fields, state before, state after) of the moments the rules guard
ON_SALE_CONFIRM = ("sale.model_sale_order", ["sale.field_sale_order__state"],
                   "[('state', 'in', ['draft', 'sent'])]", "[('state', '=', 'sale')]")
ON_ADJUSTMENT_DONE = ("stock.model_stock_move", ["stock.field_stock_move__state"],
                      "[('state', '!=', 'done')]", "[('is_inventory', '=', True), ('state', '=', 'done')]")
AUTOMATIONS = ("automation_credit_hold", "automation_discount_approval", "automation_inventory_adjustment")
REMOVAL = {"fifo": "stock.removal_fifo", "lifo": "stock.removal_lifo", "fefo": "product_expiry.removal_fefo", "closest": "stock.removal_closest"}


class Compiler:
    def __init__(self, bp: Blueprint, module: str, major: int):
        self.bp, self.module, self.major = bp, module, major
        self.records: list[Desired] = []

    def x(self, kind: str, *keys) -> str:
        return make_xmlid(self.module, kind, *keys)

    def add(self, model: str, xmlid: str, values: dict, *, label: str, adopt: str | None = None, company: str | None = None, retire: bool = False) -> None:
        self.records.append(Desired(model, xmlid, values, adopt=adopt, label=label, company=company, retire=retire))

    # -- sections --------------------------------------------------------
    def companies(self) -> None:
        # Creating a company loads its chart of accounts, which only an
        # accounting administrator may do: the configuring user gets that right first.
        for group in ("account.group_account_manager", "account.group_account_user"):
            self.add("res.groups", group, {adapters.field_name(self.major, "res.groups", "users"): refs(["base.user_admin"], exact=False)}, label="administrator may set up accounting")
        # No separate activation of the companies' currencies: Odoo's res.company write and create activate
        # them, with Odoo's default pricelist made in the new currency. Activated beforehand, the main
        # company's default pricelist was made in its old currency (a German client's customers got USD).
        for company in self.bp.companies:
            values = {
                "name": company.name,
                "country_id": ref(f"base.{company.country.lower()}"),
                "currency_id": ref(f"base.{company.currency}"),
            }
            if company.vat:
                values["vat"] = company.vat
            values |= self.company_policy(company)
            self.add(
                "res.company",
                self.x("company", company.code),
                values,
                adopt="base.main_company" if company is self.bp.main_company else None,
                label=f"company {company.code}",
            )
        self.add(
            "res.users",
            "base.user_admin",
            {"company_ids": refs([self.x("company", c.code) for c in self.bp.companies], exact=False)},
            label="administrator's companies",
        )

    def company_policy(self, company: Company) -> dict:
        """Lead times, credit limit use and purchase double validation, on the company's own record."""
        values: dict = {
            adapters.field_name(self.major, "res.company", "po_lead"): float(self.bp.reorder.purchase_lead_days),
            "security_lead": float(self.bp.reorder.security_lead_days),
            "account_use_credit_limit": True,
        }
        approval = next((p for p in self.bp.approvals.purchase if p.company == company.code), None)
        if approval is not None:
            values["po_double_validation"] = "two_step"
            values["po_double_validation_amount"] = float(approval.double_validation_above)
        else:
            values["po_double_validation"] = "one_step"
        return values

    def lead_time_switches(self) -> None:
        # The lead times apply either way, but Settings shows them behind these
        # switches (off means "no lead time" to whoever reads the screen), and
        # the replenishment wizard only counts the purchase lead time when on.
        for days, key in ((self.bp.reorder.purchase_lead_days, "purchase.use_po_lead"),
                          (self.bp.reorder.security_lead_days, "sale_stock.use_security_lead")):
            key = adapters.setting_key(self.major, key)
            if days and key:
                self.add("ir.config_parameter", self.x("config", key), {"key": key, "value": "True"}, label=f"setting {key}")

    def feature_groups(self) -> None:
        inv = self.bp.inventory
        wanted = ["sale.group_discount_per_so_line", "product.group_product_pricelist", "uom.group_uom"]
        if inv.multi_step_routes:
            wanted.append("stock.group_adv_location")
        if inv.lots_and_serials:
            wanted.append("stock.group_production_lot")
        if inv.packages:
            wanted.append("stock.group_tracking_lot")
        if inv.storage_locations or inv.multi_step_routes or self.bp.putaway_rules:
            wanted.append("stock.group_stock_multi_locations")
        if len(self.bp.warehouses) > 1:
            wanted.append("stock.group_stock_multi_warehouses")
        if len(self.bp.companies) > 1:
            wanted.append("base.group_multi_company")
        if len({c.currency for c in self.bp.companies} | {self.bp.pricelist_currency(p) for p in self.bp.pricelists}) > 1:
            wanted.append("base.group_multi_currency")
        wanted += crm.feature_groups(self.bp)
        self.add("res.groups", "base.group_user", {"implied_ids": refs(wanted, exact=False)}, label="features enabled for all users")
        if inv.lots_and_serials:
            # Settings shows "Lots & Serial Numbers" on only when portal users have it too,
            # and saving Settings with the box off would take it from every user
            self.add("res.groups", "base.group_portal", {"implied_ids": refs(["stock.group_production_lot"], exact=False)}, label="lots for portal users")

    def warehouses(self) -> None:
        # Odoo made a warehouse (WH) with the main company, and new sales and
        # purchase orders default to a company's first warehouse: the main
        # company's first blueprint warehouse takes that one over.
        main = next((wh for wh in self.bp.warehouses if wh.company == self.bp.main_company.code), None)
        for wh in self.bp.warehouses:
            wx = self.x("warehouse", wh.code)
            values = {
                "name": wh.name,
                "code": wh.code.upper(),
                "company_id": ref(self.x("company", wh.company)),
                "reception_steps": RECEPTION[wh.reception_steps],
                "delivery_steps": wh.delivery_steps,
                "active": True,
            }
            if wh.resupply_from:
                values["resupply_wh_ids"] = refs([self.x("warehouse", s) for s in wh.resupply_from])
            self.add("stock.warehouse", wx, values, adopt="stock.warehouse0" if wh is main else None, label=f"warehouse {wh.code}")
            self.add("stock.location", self.x("location", wh.code, "stock"), {}, adopt=f"{wx}/lot_stock_id", label=f"{wh.code} stock location")
            used = set(DELIVERY_TYPES[wh.delivery_steps]) | set(RECEPTION_TYPES[wh.reception_steps])
            for kind in ("in", "int", "pick", "pack", "out"):
                if kind not in used:
                    continue
                values = {}
                if kind in DELIVERY_TYPES[wh.delivery_steps]:
                    values["reservation_method"] = self.bp.inventory.reservation_method
                self.add(
                    "stock.picking.type",
                    self.x("picking_type", wh.code, kind),
                    values,
                    adopt=f"{wx}/{TYPE_FIELDS[kind]}",
                    label=f"{wh.code} {kind} operation type",
                )

    def categories(self) -> None:
        for cat in self.bp.product_categories:
            cx = self.x("product_category", cat.code)
            values = {
                "name": cat.name,
            }
            root = adapters.root_product_category(self.major)
            if cat.parent or root:
                values["parent_id"] = ref(self.x("product_category", cat.parent) if cat.parent else root)
            if cat.removal_strategy or cat.expiry:
                # expiry-dated lots leave first-expired first-out
                values["removal_strategy_id"] = ref(REMOVAL[cat.removal_strategy or "fefo"])
            self.add("product.category", cx, values, label=f"category {cat.code}")
            # costing and valuation are company-dependent: each company gets them
            for company in self.bp.companies:
                self.add(
                    "product.category", cx,
                    {"property_cost_method": cat.costing_method,
                     "property_valuation": adapters.selection_value(self.major, "product.category", "property_valuation", cat.valuation)},
                    label=f"category {cat.code} costing in {company.code}", company=self.x("company", company.code),
                )

    def payment_terms(self) -> None:
        for term in self.bp.payment_terms:
            rows = [adapters.payment_term_line(self.major, ln.percent, ln.days) for ln in term.lines]
            values = {"name": term.name, "line_ids": lines("account.payment.term.line", rows), "early_discount": term.early_discount is not None}
            if term.early_discount:
                values.update(discount_percentage=term.early_discount.percent, discount_days=term.early_discount.days)
            self.add("account.payment.term", self.x("payment_term", term.code), values, label=f"payment term {term.code}")

    def pricelists(self) -> None:
        """Pricelists and their blueprint rules. Each rule is a record of its own,
        named by what it applies to, so that the customer- and product-specific
        prices loaded by the migration into the same pricelist are not drift."""
        for pl in self.bp.pricelists:
            px = self.x("pricelist", pl.code)
            values = {
                "name": pl.name,
                "currency_id": ref(f"base.{self.bp.pricelist_currency(pl)}"),
                "company_id": ref(self.x("company", pl.company)) if pl.company else False,
            }
            self.add("product.pricelist", px, values, label=f"pricelist {pl.code}")
            for rule in pl.rules:
                row: dict = {"pricelist_id": ref(px), "min_quantity": float(rule.min_quantity)}
                if rule.category:
                    row.update(applied_on="2_product_category", categ_id=ref(self.x("product_category", rule.category)))
                else:
                    row["applied_on"] = "3_global"
                if rule.discount is not None:
                    row.update(compute_price="percentage", percent_price=float(rule.discount))
                else:
                    row.update(compute_price="fixed", fixed_price=float(rule.fixed_price))
                key = (pl.code, rule.category or "all", f"{rule.min_quantity:g}")
                self.add("product.pricelist.item", self.x("pricelist_rule", *key), row, label=f"pricelist {pl.code} rule")

    def credit(self) -> None:
        # A customer's credit limit defaults, per company, to the ir.default of
        # the company-dependent res.partner.credit_limit (what Settings > Default
        # Credit Limit writes); Odoo's own over-limit warning reads it.
        for company in self.bp.companies:
            self.add(
                "ir.default",
                self.x("default", "credit_limit", company.code),
                {
                    "field_id": ref("account.field_res_partner__credit_limit"),
                    "company_id": ref(self.x("company", company.code)),
                    "json_value": json.dumps(float(self.bp.credit.default_limit)),
                },
                label=f"default credit limit in {company.code}: {self.bp.credit.default_limit:g}",
            )
        for seg in self.bp.credit.segments:
            self.add("res.partner.category", self.x("partner_segment", seg.code), {"name": seg.name}, label=f"credit segment {seg.code}")

    def approval_groups(self) -> dict[str, str | None]:
        """Approval groups and the role each one goes to."""
        groups = {
            "group_credit_release": ("Credit Release", self.bp.credit.release_role if self.bp.credit.action == "block" else None),
            "group_discount_approver": ("Sales Discount Approval", self.bp.approvals.sales_discount_role if self.bp.approvals.sales_discount_above is not None else None),
            "group_inventory_approver": ("Inventory Adjustment Approval", self.bp.approvals.inventory_adjustment_role if self.bp.approvals.inventory_adjustment_above is not None else None),
        }
        owners: dict[str, str | None] = {}
        for name, (label, role) in groups.items():
            self.add("res.groups", f"{self.module}.{name}", {"name": f"{self.bp.main_company.name}: {label}"}, label=label)
            owners[name] = role
        for name, (label, roles) in returns.policy_groups(self.bp).items():  # the return policy's and exception paths'
            self.add("res.groups", f"{self.module}.{name}", {"name": f"{self.bp.main_company.name}: {label}"}, label=label)
            owners[name] = roles
        for name, (label, role) in crm.policy_groups(self.bp).items():  # who may create customers
            self.add("res.groups", f"{self.module}.{name}", {"name": f"{self.bp.main_company.name}: {label}"}, label=label)
            owners[name] = role
        return owners

    def roles(self, approval_owners: dict[str, str | None]) -> None:
        for role in self.bp.roles:
            implied = list(role.groups) + [f"{self.module}.{g}" for g, owner in approval_owners.items() if returns.owns(owner, role.code)]
            values = {
                "name": f"Role: {role.name}",
                "implied_ids": refs(implied),
                "comment": role.description or "",
            }
            self.add("res.groups", self.x("role", role.code), values, label=f"role {role.code}")

    def automations(self) -> None:
        m = self.module
        bp = self.bp
        rules = []

        def name_of(role: str | None) -> str | None:
            return next((r.name for r in bp.roles if r.code == role), None)

        if bp.credit.action == "block":
            rules.append((
                "automation_credit_hold", "Credit hold on sales order confirmation", *ON_SALE_CONFIRM,
                automation.credit_hold_code(m, bp.credit.default_limit, [(self.x("partner_segment", s.code), s.limit) for s in bp.credit.segments],
                                           name_of(bp.credit.release_role)),
            ))
        if bp.approvals.sales_discount_above is not None:
            rules.append((
                "automation_discount_approval", f"Discount above {bp.approvals.sales_discount_above:g}% needs approval",
                *ON_SALE_CONFIRM, automation.discount_approval_code(m, bp.approvals.sales_discount_above, name_of(bp.approvals.sales_discount_role)),
            ))
        if bp.approvals.inventory_adjustment_above is not None:
            rules.append((
                "automation_inventory_adjustment", f"Inventory adjustment above {bp.approvals.inventory_adjustment_above:g} needs approval",
                *ON_ADJUSTMENT_DONE, automation.inventory_adjustment_code(m, bp.approvals.inventory_adjustment_above,
                                                                          name_of(bp.approvals.inventory_adjustment_role)),
            ))
        for name in sorted(set(AUTOMATIONS) - {r[0] for r in rules}):
            # a rule an earlier blueprint wanted keeps blocking until it is switched off
            self.add("base.automation", f"{m}.{name}", {"active": False}, retire=True, label=f"{name} no longer wanted")
        for name, label, model_xmlid, fields, pre, post, code in rules:
            for model, xid, values in automation_records(
                self.major, xmlid=f"{m}.{name}", name=label, model_xmlid=model_xmlid,
                trigger_field_xmlids=fields, pre_domain=pre, domain=post, code=code,
            ):
                self.add(model, xid, values, label=label)

    def invoicing(self) -> None:
        self.add(
            "ir.default",
            self.x("default", "invoice_policy"),
            {"field_id": ref("sale.field_product_template__invoice_policy"), "json_value": json.dumps(self.bp.invoicing.policy)},
            label=f"default invoicing policy: {self.bp.invoicing.policy}",
        )

    def run(self) -> DesiredState:
        self.companies()
        self.lead_time_switches()
        self.feature_groups()
        self.warehouses()
        self.categories()
        self.payment_terms()
        self.pricelists()
        self.credit()
        owners = self.approval_groups()
        self.roles(owners)
        self.automations()
        self.invoicing()
        self.records += localization.localization_records(self.bp, self.x, self.major)
        self.records += putaway.putaway_records(self.bp, self.x)
        self.records += manufacturing.manufacturing_records(self.bp, self.x) + landed_costs.landed_cost_records(self.bp, self.x)
        self.records += returns.policy_records(self.bp, self.module, self.x, self.major)
        self.records += crm.crm_records(self.bp, self.module, self.x, self.major)
        self.records += maintenance.maintenance_records(self.bp, self.x, self.major)
        modules = apps_for(batch_picking=self.bp.inventory.batch_picking)
        modules += crm.modules(self.bp) + maintenance.modules(self.bp, self.major)
        modules += localization.chart_modules(self.bp, self.major)  # installed before the charts load
        modules += manufacturing.manufacturing_modules(self.bp) + landed_costs.landed_cost_modules(self.bp)
        if any(c.removal_strategy == "fefo" or c.expiry for c in self.bp.product_categories):
            modules.append("product_expiry")  # defines the FEFO removal strategy
        charts = localization.charts_to_load(self.bp, lambda code: self.x("company", code))
        return DesiredState(self.module, modules, merge(self.records), charts=charts)


def merge(records: list[Desired]) -> list[Desired]:
    """One Desired per external ID (and company): later sections add fields to earlier ones."""
    out: dict[str, Desired] = {}
    for rec in records:
        if rec.key in out:
            first = out[rec.key]
            first.values.update(rec.values)
            first.adopt = first.adopt or rec.adopt
        else:
            out[rec.key] = Desired(rec.model, rec.xmlid, dict(rec.values), adopt=rec.adopt, label=rec.label, company=rec.company, retire=rec.retire)
    return list(out.values())


def compile_blueprint(bp: Blueprint, module: str, major: int = 18) -> DesiredState:
    return Compiler(bp, module, major).run()
