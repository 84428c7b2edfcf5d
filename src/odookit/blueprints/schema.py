"""The blueprint: what the client agreed to, typed.

Every model forbids unknown keys so a misspelt key is an error with a
did-you-mean, not a silently ignored setting. Cross-references (a warehouse's
company, a pricelist rule's category...) are checked in ``references.py`` so
that all problems are reported at once with their YAML positions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from odookit.blueprints.manufacturing_schema import Assembly, LandedCostProduct, LandedCosts, Manufacturing  # noqa: F401 - the reference page finds models here
from odookit.blueprints.app_sections import (  # noqa: F401 (the reference page reads them here)
    CrmPolicy, Equipment, EquipmentCategory, MaintenancePolicy, PipelineStage, Preventive, SalesTeam,
)

from odookit.blueprints.returns_schema import ExceptionPaths, LateReceipts, Quarantine, ReturnPolicy, RushOrders  # noqa: F401 (the reference page reads them here)

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=32)]
Percent = Annotated[float, Field(ge=0, le=100)]
Amount = Annotated[float, Field(ge=0)]
GroupXmlId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+\.[A-Za-z0-9_.]+$")]
ChartCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
TaxXmlId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=128)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaxMapping(Strict):
    source: TaxXmlId = Field(description="The chart's tax (its id in the chart, e.g. btw_21) that documents with this fiscal position do not charge")
    destination: TaxXmlId | None = Field(None, description="The chart's tax charged instead (e.g. btw_X0_producten); no tax when empty. Odoo 18: an account.fiscal.position.tax line; Odoo 19: one of the position's taxes, mapped from the source by the chart")


class FiscalPosition(Strict):
    code: Code = Field(description="Short key of the fiscal position; its external ID is <module>.fiscal_position_<code> and the customers workbook's fiscal_position column refers to it")
    name: str = Field(description="Becomes account.fiscal.position.name")
    auto_apply: bool = Field(False, description="Becomes account.fiscal.position.auto_apply: Odoo picks this position for partners matching country, country group and VAT")
    vat_required: bool = Field(False, description="Becomes account.fiscal.position.vat_required: only partners with a VAT number match (B2B)")
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(None, description="ISO 3166 alpha-2 of the partners' country it applies to; becomes account.fiscal.position.country_id")
    country_group: GroupXmlId | None = Field(None, description="External ID of a country group, e.g. base.europe; becomes account.fiscal.position.country_group_id")
    taxes: list[TaxMapping] = Field(default_factory=list, description="Tax mapping: which of the chart's taxes replaces which")


class Company(Strict):
    code: Code = Field(description="Short key used in external IDs and references, e.g. HQ")
    name: str = Field(description="Legal name; becomes res.company.name (the main company's existing record is renamed to it)")
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(description="ISO 3166 alpha-2, e.g. US")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(description="ISO 4217, e.g. USD")
    vat: str | None = Field(None, description="Tax ID; becomes res.company.vat, left as it is in Odoo when empty")
    main: bool = Field(False, description="This entity is the database's existing main company (renamed, not created)")
    localization: ChartCode | None = Field(None, description="Fiscal localization: the code of the Odoo chart template loaded for this company (account.chart.template, e.g. nl, de_skr03, be_comp, ca_2023, generic_coa); its l10n module is installed and the chart loaded before anything uses the company's accounts; becomes res.company.chart_template. Left to Odoo's own choice when empty")
    sale_tax: TaxXmlId | None = Field(None, description="Default sales tax, named by its id in the chart (e.g. btw_21); becomes res.company.account_sale_tax_id (the chart's own default when empty). Needs localization")
    purchase_tax: TaxXmlId | None = Field(None, description="Default purchase tax, named by its id in the chart (e.g. btw_21_buy); becomes res.company.account_purchase_tax_id (the chart's own default when empty). Needs localization")
    fiscal_positions: list[FiscalPosition] = Field(default_factory=list, description="Fiscal positions of this company (e.g. intra-EU B2B, export) mapping the chart's taxes; each becomes an account.fiscal.position (<module>.fiscal_position_<code>). Needs localization")


class Warehouse(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,5}$")] = Field(
        description="Odoo's short warehouse code (max 5 characters), prefixes every transfer reference"
    )
    name: str = Field(description="Becomes stock.warehouse.name")
    company: Code = Field(description="Code of the owning company; becomes stock.warehouse.company_id (the main company's first warehouse takes over Odoo's default warehouse WH)")
    reception_steps: Literal[1, 2, 3] = Field(1, description="Becomes stock.warehouse.reception_steps: 1 one_step (receive into stock), 2 two_steps (input then stock), 3 three_steps (input, quality, stock)")
    delivery_steps: Literal["ship_only", "pick_ship", "pick_pack_ship"] = Field("ship_only", description="Becomes stock.warehouse.delivery_steps: ship_only (one delivery), pick_ship (pick then ship) or pick_pack_ship (pick, pack, ship)")
    resupply_from: list[Code] = Field(default_factory=list, description="Warehouses that resupply this one")


class InventoryPolicy(Strict):
    reservation_method: Literal["at_confirm", "manual", "by_date"] = Field("at_confirm", description="Becomes stock.picking.type.reservation_method of every blueprint warehouse's delivery operation types (pick, pack, out): at_confirm, manual or by_date")
    multi_step_routes: bool = Field(True, description="Gives every internal user Multi-Step Routes (stock.group_adv_location) and Storage Locations; false does not switch them off")
    lots_and_serials: bool = Field(True, description="Gives internal and portal users Lots & Serial Numbers (stock.group_production_lot); false does not switch it off")
    packages: bool = Field(False, description="Gives every internal user Packages (stock.group_tracking_lot) and the SOPs' Put in Pack step; false does not switch it off")
    batch_picking: bool = Field(False, description="Installs the Batch Transfers app (stock_picking_batch) when true")
    storage_locations: bool = Field(True, description="Gives every internal user Storage Locations (stock.group_stock_multi_locations), also on with multi_step_routes; false does not switch it off")


class ProductCategory(Strict):
    code: Code = Field(description="Short key of the category; its external ID is <module>.product_category_<code> and workbooks, pricelist and reorder rules refer to it")
    name: str = Field(description="Becomes product.category.name")
    parent: Code | None = Field(None, description="Code of the parent category; becomes product.category.parent_id, Odoo's All category when empty")
    costing_method: Literal["standard", "average", "fifo"] = Field("standard", description="Becomes product.category.property_cost_method in every company: standard, average or fifo")
    valuation: Literal["manual_periodic", "real_time"] = Field("manual_periodic", description="Becomes product.category.property_valuation in every company: manual_periodic or real_time (automated)")
    tracking: Literal["none", "lot", "serial"] = Field("none", description="Default tracking of the category's products")
    removal_strategy: Literal["fifo", "lifo", "fefo", "closest"] | None = Field(None, description="Becomes product.category.removal_strategy_id: fifo, lifo, fefo (installs product_expiry) or closest; not set when empty")
    expiry: Expiry | None = Field(None, description="Expiration dates of the category's lots (lot or serial tracking only): installs product_expiry, makes FEFO the category's removal strategy, and migrated products of the category get these days")


class Expiry(Strict):
    """Expiration dates of a lot/serial tracked category's products (product_expiry)."""

    expiration_days: Annotated[int, Field(ge=0)] = Field(description="Days from a lot's reception to its expiration date; becomes product.template.expiration_time of the category's migrated products (and use_expiration_date)")
    use_days: Annotated[int, Field(ge=0)] = Field(0, description="Days before the expiration date that the best-before date falls; becomes product.template.use_time")
    removal_days: Annotated[int, Field(ge=0)] = Field(0, description="Days before the expiration date that the lot must be removed from stock; becomes product.template.removal_time (FEFO picks by this date)")
    alert_days: Annotated[int, Field(ge=0)] = Field(0, description="Days before the expiration date that an alert is raised on the lot; becomes product.template.alert_time")


class PaymentTermLine(Strict):
    percent: Percent = Field(100, description="Share of the total due in this instalment, 0-100 (a term's lines must add up to 100); becomes account.payment.term.line.value_amount")
    days: Annotated[int, Field(ge=0)] = Field(0, description="Days after the invoice date when this instalment is due; becomes account.payment.term.line.nb_days")


class EarlyDiscount(Strict):
    percent: Annotated[float, Field(gt=0, le=100)] = Field(description="Discount (%) for paying early; becomes account.payment.term.discount_percentage")
    days: Annotated[int, Field(ge=1)] = Field(description="Days after the invoice date within which it applies; becomes account.payment.term.discount_days")


class PaymentTerm(Strict):
    code: Code = Field(description="Short key of the term; its external ID is <module>.payment_term_<code> and the migration workbooks' payment_term dropdown lists it")
    name: str = Field(description="Becomes account.payment.term.name")
    lines: list[PaymentTermLine] = Field(default_factory=lambda: [PaymentTermLine()], description="Instalments; become account.payment.term.line_ids (one line of 100% at 0 days when omitted)")
    early_discount: EarlyDiscount | None = Field(None, description="Early-payment (cash) discount, e.g. 2% within 14 days; sets account.payment.term.early_discount (switched off when empty). Odoo allows it only on a term with one 100% line")
    note: str | None = Field(None, description="Free text kept in the blueprint only: nothing writes it to Odoo (account.payment.term.note is left as it is)")


class PricelistRule(Strict):
    category: Code | None = Field(None, description="Product category the rule applies to; all products when empty")
    min_quantity: Amount = Field(0, description="Quantity from which the rule applies; becomes product.pricelist.item.min_quantity")
    discount: Percent | None = Field(None, description="Percent off the sales price")
    fixed_price: Amount | None = Field(None, description="Fixed unit price in the pricelist's currency, instead of discount; becomes product.pricelist.item.fixed_price")


class Pricelist(Strict):
    code: Code = Field(description="Short key of the pricelist; its external ID is <module>.pricelist_<code> and workbooks (customers, pricelist items) refer to it")
    name: str = Field(description="Becomes product.pricelist.name")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = Field(None, description="ISO 4217 code; becomes product.pricelist.currency_id. When empty: the currency of its company, or of the main company for a shared pricelist")
    company: Code | None = Field(None, description="Code of the company that owns it; becomes product.pricelist.company_id, shared by all companies when empty")
    rules: list[PricelistRule] = Field(default_factory=list, description="Category or global price rules; each becomes one product.pricelist.item")


class CreditSegment(Strict):
    code: Code = Field(description="Short key of the segment; becomes the customer tag <module>.partner_segment_<code> and a value of the customers workbook's segment column")
    name: str = Field(description="Becomes the customer tag's res.partner.category.name")
    limit: Amount = Field(description="Credit limit of customers with this tag: the credit hold uses it and migrate load gives it to customers with no credit_limit")


class CreditPolicy(Strict):
    default_limit: Amount = Field(0, description="Credit limit of customers without a segment or their own; becomes each company's default of res.partner.credit_limit (ir.default) and the credit hold's base limit")
    action: Literal["warn", "block"] = Field("warn", description="warn: only Odoo's credit limit warning; block: an automation refuses to confirm a sales order over the limit unless the user has the release role")
    segments: list[CreditSegment] = Field(default_factory=list, description="Customer segments with their own credit limit, as customer tags (res.partner.category)")
    release_role: Code | None = Field(None, description="Role whose members may confirm an order on credit hold")


class PurchaseApproval(Strict):
    company: Code = Field(description="Code of the company; its res.company.po_double_validation becomes two_step")
    double_validation_above: Amount = Field(description="Purchase order total, in the company's currency, from which a second approval is needed; becomes res.company.po_double_validation_amount")


class Approvals(Strict):
    purchase: list[PurchaseApproval] = Field(default_factory=list, description="Purchase double validation per company; companies not listed get one_step (res.company.po_double_validation)")
    sales_discount_above: Percent | None = Field(None, description="Discount (%) above which a sales order needs approval")
    sales_discount_role: Code | None = Field(None, description="Role that may confirm orders above the discount threshold")
    inventory_adjustment_above: Amount | None = Field(None, description="Value of one adjustment above which approval is needed")
    inventory_adjustment_role: Code | None = Field(None, description="Role given <module>.group_inventory_approver, whose members may apply adjustments above inventory_adjustment_above")


class InvoicingPolicy(Strict):
    policy: Literal["order", "delivery"] = Field("delivery", description="Default of product.template.invoice_policy (ir.default) for new products, and of migrated products with none: order (ordered quantities) or delivery (delivered quantities)")


class ReorderRule(Strict):
    warehouse: Code = Field(description="Code of the warehouse whose migrated reorder rules this applies to")
    category: Code | None = Field(None, description="Code of the product category (its subcategories included); every product of the warehouse when empty")
    min_qty: Amount = Field(0, description="Minimum, in the product's unit, for migrated reorder rules it matches (stock.warehouse.orderpoint.product_min_qty) when the workbook leaves it empty")
    max_qty: Amount = Field(0, description="Maximum, in the product's unit, for migrated reorder rules it matches (stock.warehouse.orderpoint.product_max_qty) when the workbook leaves it empty")


class ReorderDefaults(Strict):
    purchase_lead_days: Annotated[int, Field(ge=0)] = Field(0, description="Days purchase orders are scheduled early for vendor delays; becomes res.company.po_lead in every company, days_to_purchase on Odoo 19 (and, up to Odoo 18, turns its setting on when above 0)")
    security_lead_days: Annotated[int, Field(ge=0)] = Field(0, description="Days deliveries are scheduled before the promised date; becomes res.company.security_lead in every company (and turns its setting on when above 0)")
    supplier_lead_days: Annotated[int, Field(ge=0)] = Field(7, description="Vendor delivery lead time in days (product.supplierinfo.delay) for migrated supplier prices and UAT suppliers that give none; not written to Odoo otherwise")
    min_qty: Amount = Field(0, description="Default minimum (stock.warehouse.orderpoint.product_min_qty) of migrated reorder rules that no rules entry matches and UAT reorder steps without figures")
    max_qty: Amount = Field(0, description="Default maximum (stock.warehouse.orderpoint.product_max_qty) of migrated reorder rules that no rules entry matches and UAT reorder steps without figures")
    rules: list[ReorderRule] = Field(default_factory=list, description="Min/max per warehouse and category for migrated reorder rules; the most specific category match wins, then the warehouse's rule without category")


class PutawayRule(Strict):
    warehouse: Code = Field(description="Code of the warehouse receiving the goods; the rule's stock.putaway.rule.location_in_id is its stock location (e.g. WH/Stock)")
    category: Code | None = Field(None, description="Code of the product category the rule applies to; becomes stock.putaway.rule.category_id. Give category or product")
    product: str | None = Field(None, description="Internal reference (SKU) of a migrated product the rule applies to; becomes stock.putaway.rule.product_id (<module>.product_<sku>, so load the products before applying). Give category or product")
    location: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(description="Storage location the goods are put away in: a name under the warehouse's stock location (Shelf A is WH/Stock/Shelf A; Zone 1/Shelf A nests) or that full name; created as an internal stock.location when it does not exist; becomes stock.putaway.rule.location_out_id")


class Role(Strict):
    code: Code = Field(description="Short key of the role; its group is <module>.role_<code> and approvals, UAT scenarios and governance refer to it")
    name: str = Field(description="The group's name (res.groups.name 'Role: <name>'); UAT scenarios may name the role by it")
    groups: list[GroupXmlId] = Field(description="Odoo security groups by external ID, e.g. sales_team.group_sale_salesman")
    description: str | None = Field(None, description="What the role does; becomes res.groups.comment and is shown in the role matrix and SOPs")


class KpiTarget(Strict):
    kpi: Code = Field(description="KPI code, as `odookit kpi report` lists them (e.g. fill_rate, order_cycle_time)")
    target: float = Field(description="The figure the KPI is held to, in the KPI's unit (%, days, turns per year...)")
    direction: Literal["at_least", "at_most"] | None = Field(None, description="at_least: the value must reach the target; at_most: it must not exceed it; the KPI's natural direction when empty")
    warehouse: Code | None = Field(None, description="Code of a warehouse: the target then applies to that warehouse's figure only")


class EnterpriseSection(BaseModel):
    """Settings of an Odoo Enterprise app, kept as written: odookit configures none of them,
    it only refuses them on a community target (see ``enterprise.py``)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Blueprint(Strict):
    """The whole engagement blueprint (one or several YAML files merged)."""

    companies: list[Company] = Field(min_length=1, description="Legal entities, at least one; each becomes a res.company (<module>.company_<code>)")
    warehouses: list[Warehouse] = Field(default_factory=list, description="Warehouses; each becomes a stock.warehouse (<module>.warehouse_<code>) with its operation types")
    inventory: InventoryPolicy = Field(default_factory=InventoryPolicy, description="Inventory settings: feature groups for all users, the Batch Transfers app and delivery reservation")
    product_categories: list[ProductCategory] = Field(default_factory=list, description="Product categories; each becomes a product.category (<module>.product_category_<code>)")
    payment_terms: list[PaymentTerm] = Field(default_factory=list, description="Payment terms; each becomes an account.payment.term (<module>.payment_term_<code>)")
    pricelists: list[Pricelist] = Field(default_factory=list, description="Pricelists; each becomes a product.pricelist (<module>.pricelist_<code>) with its rules")
    credit: CreditPolicy = Field(default_factory=CreditPolicy, description="Customer credit control: default credit limit, segments as customer tags and the optional credit-hold automation")
    approvals: Approvals = Field(default_factory=Approvals, description="Purchase double validation per company and the discount and inventory adjustment approval automations")
    invoicing: InvoicingPolicy = Field(default_factory=InvoicingPolicy, description="Default invoicing policy of products")
    reorder: ReorderDefaults = Field(default_factory=ReorderDefaults, description="Company lead times, and the lead time and min/max defaults used by migration and UAT (no reorder rules are created from it)")
    putaway_rules: list[PutawayRule] = Field(default_factory=list, description="Where received goods are stored: per warehouse, a category or product -> a storage location under its stock; each becomes a stock.putaway.rule (<module>.putaway_rule_<warehouse>_<category or product>), and turns Storage Locations on")
    returns: ReturnPolicy | None = Field(None, description="Return policy: the return window, who may take returns back and who authorises them (automation rules refuse the rest), and each warehouse's quarantine location")
    exceptions: ExceptionPaths = Field(default_factory=ExceptionPaths, description="Governed exception paths as automation rules: rush orders need an approving role; late purchase receipts get an activity for the buyer")
    crm: CrmPolicy | None = Field(None, description="CRM: sales teams per company with the roles whose members join them, pipeline stages, and lead-to-customer governance (duplicate check on conversion, who may create customers); installs crm")
    maintenance: MaintenancePolicy | None = Field(None, description="Maintenance of warehouse equipment: equipment categories, equipment and their recurring preventive maintenance requests; installs maintenance")
    manufacturing: Manufacturing | None = Field(None, description="Kits and light assembly: installs Manufacturing (mrp); kit bills of materials come from the migration's kit_components sheet, and the warehouses listed under assembly get a kitting/assembly operation (stock.warehouse.manufacture_steps)")
    landed_costs: LandedCosts | None = Field(None, description="Landed costs: installs stock_landed_costs and creates the freight, duty and insurance products (<module>.landed_cost_<code>, product.template with landed_cost_ok and split_method_landed_cost) that raise the unit cost of fifo or average-cost goods received")
    roles: list[Role] = Field(default_factory=list, description="Roles people hold; each becomes a group (<module>.role_<code>) implying its Odoo groups and approval groups")
    kpis: list[KpiTarget] = Field(default_factory=list, description="KPI targets `odookit kpi report --check` holds the live figures to, overall or per warehouse; nothing is written to Odoo")
    # Odoo Enterprise apps the operating model names: accepted here so that a blueprint written
    # for an Enterprise database reads, refused by plan (and validate) on a community target
    helpdesk: EnterpriseSection | None = Field(None, description="Odoo Enterprise Helpdesk (helpdesk): refused on a community target; odookit does nothing with it")
    quality: EnterpriseSection | None = Field(None, description="Odoo Enterprise Quality (quality_control): refused on a community target; odookit does nothing with it")
    documents: EnterpriseSection | None = Field(None, description="Odoo Enterprise Documents (documents): refused on a community target; odookit does nothing with it")
    planning: EnterpriseSection | None = Field(None, description="Odoo Enterprise Planning (planning): refused on a community target; odookit does nothing with it")
    barcode: EnterpriseSection | None = Field(None, description="Odoo Enterprise Barcode (stock_barcode): refused on a community target; odookit does nothing with it")
    intercompany: EnterpriseSection | None = Field(None, description="Odoo Enterprise inter-company rules (account_inter_company_rules): refused on a community target; odookit does nothing with it")

    # -- lookups used by every consumer --------------------------------
    def company(self, code: str) -> Company:
        return next(c for c in self.companies if c.code == code)

    def warehouse(self, code: str) -> Warehouse:
        return next(w for w in self.warehouses if w.code == code)

    def role(self, code: str) -> Role:
        return next(r for r in self.roles if r.code == code)

    def role_by_name(self, name: str) -> Role | None:
        folded = name.strip().casefold()
        return next((r for r in self.roles if folded in (r.name.casefold(), r.code.casefold())), None)

    def pricelist_currency(self, pl: Pricelist) -> str:
        """The pricelist's own currency, else its company's (the main company's for a shared one)."""
        if pl.currency:
            return pl.currency
        owner = next((c for c in self.companies if c.code == pl.company), None) if pl.company else None
        return (owner or self.main_company).currency

    @property
    def main_company(self) -> Company:
        return next((c for c in self.companies if c.main), self.companies[0])
