"""The blueprint: what the client agreed to, typed.

Every model forbids unknown keys so a misspelt key is an error with a
did-you-mean, not a silently ignored setting. Cross-references (a warehouse's
company, a pricelist rule's category...) are checked in ``references.py`` so
that all problems are reported at once with their YAML positions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=32)]
Percent = Annotated[float, Field(ge=0, le=100)]
Amount = Annotated[float, Field(ge=0)]
GroupXmlId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+\.[A-Za-z0-9_.]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Company(Strict):
    code: Code = Field(description="Short key used in external IDs and references, e.g. NIS")
    name: str
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(description="ISO 3166 alpha-2, e.g. US")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(description="ISO 4217, e.g. USD")
    vat: str | None = None
    main: bool = Field(False, description="This entity is the database's existing main company (renamed, not created)")


class Warehouse(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,5}$")] = Field(
        description="Odoo's short warehouse code (max 5 characters), prefixes every transfer reference"
    )
    name: str
    company: Code
    reception_steps: Literal[1, 2, 3] = 1
    delivery_steps: Literal["ship_only", "pick_ship", "pick_pack_ship"] = "ship_only"
    resupply_from: list[Code] = Field(default_factory=list, description="Warehouses that resupply this one")


class InventoryPolicy(Strict):
    reservation_method: Literal["at_confirm", "manual", "by_date"] = "at_confirm"
    multi_step_routes: bool = True
    lots_and_serials: bool = True
    packages: bool = False
    batch_picking: bool = False
    storage_locations: bool = True


class ProductCategory(Strict):
    code: Code
    name: str
    parent: Code | None = None
    costing_method: Literal["standard", "average", "fifo"] = "standard"
    valuation: Literal["manual_periodic", "real_time"] = "manual_periodic"
    tracking: Literal["none", "lot", "serial"] = Field("none", description="Default tracking of the category's products")
    removal_strategy: Literal["fifo", "lifo", "fefo", "closest"] | None = None


class PaymentTermLine(Strict):
    percent: Percent = 100
    days: Annotated[int, Field(ge=0)] = 0


class PaymentTerm(Strict):
    code: Code
    name: str
    lines: list[PaymentTermLine] = Field(default_factory=lambda: [PaymentTermLine()])
    note: str | None = None


class PricelistRule(Strict):
    category: Code | None = Field(None, description="Product category the rule applies to; all products when empty")
    min_quantity: Amount = 0
    discount: Percent | None = Field(None, description="Percent off the sales price")
    fixed_price: Amount | None = None


class Pricelist(Strict):
    code: Code
    name: str
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    company: Code | None = None
    rules: list[PricelistRule] = Field(default_factory=list)


class CreditSegment(Strict):
    code: Code
    name: str
    limit: Amount


class CreditPolicy(Strict):
    default_limit: Amount = 0
    action: Literal["warn", "block"] = "warn"
    segments: list[CreditSegment] = Field(default_factory=list)
    release_role: Code | None = Field(None, description="Role whose members may confirm an order on credit hold")


class PurchaseApproval(Strict):
    company: Code
    double_validation_above: Amount


class Approvals(Strict):
    purchase: list[PurchaseApproval] = Field(default_factory=list)
    sales_discount_above: Percent | None = Field(None, description="Discount (%) above which a sales order needs approval")
    sales_discount_role: Code | None = Field(None, description="Role that may confirm orders above the discount threshold")
    inventory_adjustment_above: Amount | None = Field(None, description="Value of one adjustment above which approval is needed")
    inventory_adjustment_role: Code | None = None


class InvoicingPolicy(Strict):
    policy: Literal["order", "delivery"] = "delivery"


class ReorderRule(Strict):
    warehouse: Code
    category: Code | None = None
    min_qty: Amount = 0
    max_qty: Amount = 0


class ReorderDefaults(Strict):
    purchase_lead_days: Annotated[int, Field(ge=0)] = 0
    security_lead_days: Annotated[int, Field(ge=0)] = 0
    supplier_lead_days: Annotated[int, Field(ge=0)] = 7
    min_qty: Amount = 0
    max_qty: Amount = 0
    rules: list[ReorderRule] = Field(default_factory=list)


class Role(Strict):
    code: Code
    name: str
    groups: list[GroupXmlId] = Field(description="Odoo security groups by external ID, e.g. sales_team.group_sale_salesman")
    description: str | None = None


class Blueprint(Strict):
    """The whole engagement blueprint (one or several YAML files merged)."""

    companies: list[Company] = Field(min_length=1)
    warehouses: list[Warehouse] = Field(default_factory=list)
    inventory: InventoryPolicy = Field(default_factory=InventoryPolicy)
    product_categories: list[ProductCategory] = Field(default_factory=list)
    payment_terms: list[PaymentTerm] = Field(default_factory=list)
    pricelists: list[Pricelist] = Field(default_factory=list)
    credit: CreditPolicy = Field(default_factory=CreditPolicy)
    approvals: Approvals = Field(default_factory=Approvals)
    invoicing: InvoicingPolicy = Field(default_factory=InvoicingPolicy)
    reorder: ReorderDefaults = Field(default_factory=ReorderDefaults)
    roles: list[Role] = Field(default_factory=list)

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

    @property
    def main_company(self) -> Company:
        return next((c for c in self.companies if c.main), self.companies[0])
