"""The client's acceptance suite, derived from what its blueprint configures.

Every scenario exists because the blueprint sets something up (a delivery
step setting, a credit segment, a purchase threshold...) and speaks the
client's vocabulary: its warehouse, category, pricelist and payment term
codes, its role names, thresholds and currencies. Roles are chosen by what
their Odoo groups let them do (governance/capabilities.py), never by their
code or name. What the suite cannot show (no role may release credit holds,
no warehouse to ship from) is a finding naming the scenario and the gap; the
rest is written all the same.

Products, customers and suppliers are the run's own, with neutral names
derived from the blueprint ("UAT <category name> item"); the step library
prefixes them per run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from odookit.blueprints.putaway import storage_location_name
from odookit.blueprints.schema import Blueprint, ProductCategory, Warehouse
from odookit.governance.capabilities import CAPABILITIES, role_capabilities
from odookit.uat_scenarios import suite_exceptions
from odookit.uat_scenarios.gherkin import Feature, Scenario

DELIVERY_KINDS = {"ship_only": ["delivery"], "pick_ship": ["pick", "delivery"], "pick_pack_ship": ["pick", "pack", "delivery"]}
DELIVERY_LABEL = {"ship_only": "ship only", "pick_ship": "pick then ship", "pick_pack_ship": "pick, pack and ship"}
RECEPTION_LABEL = {1: "received straight into stock", 2: "received in two steps (input, stock)", 3: "received in three steps (input, quality, stock)"}
CUSTOMER = "UAT Customer"
SUPPLIER = "UAT Supplier"
# Odoo's "Create invoice" on a sales order is a Sales wizard: invoicing an order takes both rights
INVOICE_ORDERS = {"invoice", "enter_orders"}
INVOICE_GAP = ("no blueprint role may both invoice customers and work on sales orders, which Odoo's Create Invoice "
               "on an order needs (give the invoicing role a Sales group such as sales_team.group_sale_salesman_all_leads)")


@dataclass(frozen=True)
class Finding:
    feature: str  # the feature file the scenario belongs to
    scenario: str
    gap: str

    def line(self) -> str:
        return f"{self.feature}: {self.scenario}: {self.gap}"

    def as_dict(self) -> dict:
        return {"feature": self.feature, "scenario": self.scenario, "gap": self.gap}


@dataclass
class Suite:
    features: list[Feature] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def files(self) -> dict[str, str]:
        return {f.file: f.render() for f in self.features if f.scenarios}

    @property
    def scenario_count(self) -> int:
        return sum(max(1, len(s.examples)) for f in self.features for s in f.scenarios)


def num(value: float) -> str:
    """A quantity or percent as a person writes it: 30, 12.5."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def money(value: float) -> str:
    return f"{value:.2f}"


def quoted(text: str) -> str:
    """A name fit for a quoted step value (steps quote with ")."""
    return text.replace('"', "'")


class Roles:
    """The blueprint's roles by capability: the least privileged role that has what a step needs."""

    def __init__(self, bp: Blueprint, module: str):
        self.caps = role_capabilities(bp, module)
        self.names = {r.code: r.name for r in bp.roles}
        self.order = [r.code for r in bp.roles]

    def pick(self, need: set[str], without: set[str] = frozenset()) -> str | None:
        found = [c for c in self.order if need <= self.caps[c] and not (without & self.caps[c])]
        if not found:
            return None
        return min(found, key=lambda c: (len(self.caps[c]), self.order.index(c)))

    def name(self, code: str) -> str:
        name = self.names[code]
        return code if '"' in name else name

    @staticmethod
    def gap(need: set[str], without: set[str] = frozenset()) -> str:
        what = " and ".join(CAPABILITIES[c].label for c in sorted(need))
        but = " but may not " + " or ".join(CAPABILITIES[c].label for c in sorted(without)) if without else ""
        return f"no blueprint role may {what}{but} (give a role the Odoo groups for it in blueprints/)"


class Generator:
    def __init__(self, bp: Blueprint, module: str):
        self.bp = bp
        self.roles = Roles(bp, module)
        self.suite = Suite()
        main = bp.main_company.code
        self.currency = bp.main_company.currency
        self.warehouses = sorted(bp.warehouses, key=lambda w: w.company != main)  # main company's first, stable
        self.main_wh = self.warehouses[0] if self.warehouses else None
        plain = [c for c in bp.product_categories if c.tracking == "none"]
        self.category = (plain or [c for c in bp.product_categories if c.tracking == "lot"] or [None])[0]
        self.credit_block = bp.credit.action == "block"

    # -- shared pieces ---------------------------------------------------------------
    def finding(self, feature: str, scenario: str, gap: str) -> None:
        self.suite.findings.append(Finding(feature, scenario, gap))

    def item(self, cat: ProductCategory | None = None, suffix: str = "item") -> str:
        return quoted(f"UAT {(cat or self.category).name} {suffix}")

    def product(self, price: float, cost: float | None = None, cat: ProductCategory | None = None, suffix: str = "item") -> str:
        cat = cat or self.category
        text = f'Given a storable product "{self.item(cat, suffix)}" in category "{cat.code}" priced at {money(price)}'
        return text + (f" costing {money(cost)}" if cost is not None else "")

    def customer(self, name: str = CUSTOMER, *, limit: float | None = None, segment: str | None = None, pricelist=None, terms=None) -> str:
        """A customer; when credit is blocked, one given no limit of its own gets a generous one so that
        scenarios about something else are not held for credit."""
        text = f'Given a customer "{name}"'
        if limit is None and segment is None and self.credit_block:
            limit = max(1_000_000.0, self.bp.credit.default_limit * 10)
        if limit is not None:
            text += f" with a credit limit of {num(limit)}"
        if segment:
            text += f' in credit segment "{segment}"'
        if pricelist:
            text += f' on pricelist "{pricelist}"'
        if terms:
            text += f' and payment terms "{terms}"'
        return text

    def login(self, code: str, first: bool = False) -> str:
        return f'{"Given I am logged in as" if first else "When I log in as"} the "{self.roles.name(code)}"'

    def needs(self, feature: str, titles: list[str], **wanted) -> dict[str, str] | None:
        """Roles by capability for the scenarios ``titles``: {"seller": ({"enter_orders"}, set()), ...}.
        A missing one is a finding for each of those scenarios, and None."""
        found, missing = {}, []
        for key, (need, without) in wanted.items():
            code = self.roles.pick(set(need), set(without))
            if code is None:
                missing.append(Roles.gap(set(need), set(without)))
            found[key] = code
        if missing:
            for title in titles:
                for gap in missing:
                    self.finding(feature, title, gap)
            return None
        return found

    def data_gap(self, feature: str, titles: list[str], *, warehouse: bool = True, category: bool = True) -> bool:
        gaps = []
        if warehouse and self.main_wh is None:
            gaps.append("the blueprint has no warehouse (add one under warehouses:)")
        if category and self.category is None:
            gaps.append("the blueprint has no product category whose products can be tracked in stock "
                        "without a serial number (add one under product_categories:)")
        for title in titles:
            for gap in gaps:
                self.finding(feature, title, gap)
        return bool(gaps)

    def first_by(self, attr: str) -> list[tuple[object, Warehouse]]:
        """One warehouse per distinct value of ``attr``: the main company's first, in blueprint order."""
        seen: dict = {}
        for wh in self.warehouses:
            seen.setdefault(getattr(wh, attr), wh)
        return list(seen.items())

    def process_rest(self, kinds: list[str]) -> list[str]:
        return [f"When I process the {k} of the order in full" for k in kinds]

    def add(self, feature: Feature) -> None:
        if feature.scenarios:
            self.suite.features.append(feature)

    # -- the process areas -------------------------------------------------------------
    def backorders(self) -> None:
        file = "backorders.feature"
        settings = sorted(self.first_by("delivery_steps"), key=lambda kv: list(DELIVERY_KINDS).index(kv[0]))
        titles = [f"Backorders in {wh.code} ({DELIVERY_LABEL[s]})" for s, wh in settings] or ["Backorders"]
        if self.data_gap(file, titles):
            return
        roles = self.needs(file, titles, seller=({"enter_orders"}, ()), operator=({"operate_warehouse"}, ()))
        if roles is None:
            return
        seller, op = roles["seller"], roles["operator"]
        item = self.item()
        listed = ", ".join(f"{wh.code} ({DELIVERY_LABEL[s]})" for s, wh in settings)
        feature = Feature(file, "Backorders and partial shipments", ["warehouse", "backorders"], [
            "When stock runs short the warehouse ships what it has and either keeps the rest",
            "open as a backorder or cancels it, for each way the blueprint's warehouses deliver:",
            f"{listed}.",
        ], background=[self.customer(), self.product(10)])
        for setting, wh in settings:
            kinds = DELIVERY_KINDS[setting]
            first, rest = kinds[0], kinds[1:]
            where = f'from warehouse "{wh.code}"'
            order = lambda qty: [  # noqa: E731 - the same opening for each scenario of the setting
                self.login(seller, first=True), f'When I order {qty} units of "{item}" for "{CUSTOMER}" {where}',
                "And I confirm the order", "Then the order is confirmed",
            ]
            feature.scenarios.append(Scenario(
                f"In {wh.code} ({DELIVERY_LABEL[setting]}) a short {first} leaves a backorder for the rest",
                [f'Given 30 units of "{item}" are on hand in warehouse "{wh.code}"'] + order(50)
                + [f"Then the order's delivery takes {len(kinds)} step{'s' if len(kinds) > 1 else ''}",
                   self.login(op), f'When I process 30 units of "{item}" on the {first} of the order and create the backorder',
                   f'Then a backorder for 20 units of "{item}" is open on the {first}',
                   f'Then the {first} was last changed by the "{self.roles.name(op)}"']
                + self.process_rest(rest) + [f'Then the delivered quantity of "{item}" on the order is 30'],
                tags=[setting],
            ))
            feature.scenarios.append(Scenario(
                f"In {wh.code} ({DELIVERY_LABEL[setting]}) declining the backorder cancels the rest",
                [f'Given 30 units of "{item}" are on hand in warehouse "{wh.code}"'] + order(40)
                + [self.login(op), f'When I process 30 units of "{item}" on the {first} of the order and decline the backorder',
                   "When I ship the order in full", "Then no backorder is open",
                   f'Then the delivered quantity of "{item}" on the order is 30'],
                tags=[setting],
            ))
            feature.scenarios.append(Scenario(
                f"In {wh.code} ({DELIVERY_LABEL[setting]}) the backorder ships when the stock arrives",
                [f'Given 10 units of "{item}" are on hand in warehouse "{wh.code}"'] + order(25)
                + [self.login(op), f'When I process 10 units of "{item}" on the {first} of the order and create the backorder']
                + self.process_rest(rest)
                + [f'Then a backorder for 15 units of "{item}" is open on the {first}',
                   f'Given 15 units of "{item}" are on hand in warehouse "{wh.code}"',
                   "When I reserve the order", "When I ship the order in full", "Then no backorder is open",
                   f'Then the delivered quantity of "{item}" on the order is 25'],
                tags=[setting],
            ))
        wh = dict(settings).get("pick_ship") or settings[0][1]
        substitute = self.item(suffix="substitute")
        feature.scenarios.append(Scenario(
            "A product out of stock is substituted before shipping",
            [self.product(10, suffix="substitute"), f'Given 30 units of "{substitute}" are on hand in warehouse "{wh.code}"',
             self.login(seller), f'When I order 30 units of "{item}" for "{CUSTOMER}" from warehouse "{wh.code}"',
             "And I confirm the order", f'When I substitute "{item}" with "{substitute}" on the order',
             self.login(op), "When I ship the order in full",
             f'Then the delivered quantity of "{substitute}" on the order is 30',
             f'Then the delivered quantity of "{item}" on the order is 0', "Then no backorder is open"],
        ))
        self.add(feature)

    def purchase_steps(self, buyer: str, qty: float, price: float, wh: Warehouse, item: str | None = None) -> list[str]:
        """Raise and confirm a purchase; approved by an approver when its amount needs it."""
        steps = [self.login(buyer), f'When I create a purchase order from "{SUPPLIER}" for {num(qty)} units of "{item or self.item()}" '
                 f'at {money(price)} for warehouse "{wh.code}"', "When I confirm the purchase order"]
        threshold = next((p.double_validation_above for p in self.bp.approvals.purchase if p.company == wh.company), None)
        if threshold is not None and qty * price >= threshold:
            approver = self.roles.pick({"approve_purchases"})
            if approver is None:
                return []
            steps += [self.login(approver), "When I approve the purchase order"]
        return steps + ["Then the purchase order is confirmed"]

    def supplier(self, price: float, item: str | None = None) -> str:
        return (f'Given a supplier "{SUPPLIER}" selling "{item or self.item()}" at {money(price)} '
                f"with a lead time of {self.bp.reorder.supplier_lead_days} day{'s' if self.bp.reorder.supplier_lead_days != 1 else ''}")

    def receipts(self) -> None:
        file = "receipts.feature"
        settings = sorted(self.first_by("reception_steps"), key=lambda kv: kv[0])
        titles = [f"Receipts in {wh.code} ({RECEPTION_LABEL[s]})" for s, wh in settings] or ["Receipts"]
        if self.data_gap(file, titles):
            return
        roles = self.needs(file, titles, buyer=({"buy"}, ()), operator=({"operate_warehouse"}, ()))
        if roles is None:
            return
        buyer, op = roles["buyer"], roles["operator"]
        item = self.item()
        feature = Feature(file, "Receipts from suppliers", ["procurement", "receipts"], [
            "Goods bought from a supplier come in through the warehouse's receipt steps; a",
            "supplier may deliver late or short, and the rest stays open as a backorder.",
        ], background=[self.product(15, 10), self.supplier(10)])
        for steps, wh in settings:
            buy = self.purchase_steps(buyer, 30, 10, wh)
            title = f"Goods are {RECEPTION_LABEL[steps]} in {wh.code}"
            if not buy:
                self.finding(file, title, Roles.gap({"approve_purchases"}))
                continue
            feature.scenarios.append(Scenario(title, buy + [
                self.login(op), "When I receive the purchase order in full",
                f'Then the stock of "{item}" in warehouse "{wh.code}" is 30',
                f'Then the received quantity of "{item}" on the purchase order is 30',
            ], tags=[f"reception_{steps}"]))
        wh = settings[0][1]
        buy = self.purchase_steps(buyer, 30, 10, wh)
        if buy:
            feature.scenarios.append(Scenario(f"A late and short delivery from the supplier into {wh.code}", buy + [
                "When the goods of the purchase order are 3 days late", self.login(op),
                f'When I receive 18 units of "{item}" on the purchase order and create the backorder',
                f'Then the received quantity of "{item}" on the purchase order is 18',
                "Then the purchase order was received at least 3 days late",
            ]))
        self.add(feature)

    def putaway(self) -> None:
        """One scenario per putaway rule with a category: a receipt of its goods ends in the rule's location."""
        file = "putaway.feature"
        rules = [r for r in self.bp.putaway_rules if r.category]
        cats = {c.code: c for c in self.bp.product_categories}
        titles = [f"{cats[r.category].name} received in {r.warehouse} is stored in {r.location}" for r in rules]
        if not rules or self.data_gap(file, titles, category=False):
            return
        roles = self.needs(file, titles, buyer=({"buy"}, ()), operator=({"operate_warehouse"}, ()))
        if roles is None:
            return
        feature = Feature(file, "Putaway of received goods", ["procurement", "putaway"], [
            "Goods received into a warehouse are stored where its putaway rules say: the",
            "category's storage location under the warehouse's stock, after every receipt step.",
        ])
        for rule, title in zip(rules, titles):
            cat, wh = cats[rule.category], self.bp.warehouse(rule.warehouse)
            if cat.tracking != "none":
                self.finding(file, title, f"category {cat.code} is {cat.tracking}-tracked: a generated receipt gives no "
                             f"{cat.tracking} numbers (write this scenario by hand with them)")
                continue
            item = self.item(cat, "putaway")
            buy = self.purchase_steps(roles["buyer"], 10, 10, wh, item)
            if not buy:
                self.finding(file, title, Roles.gap({"approve_purchases"}))
                continue
            feature.scenarios.append(Scenario(title, [self.product(15, 10, cat=cat, suffix="putaway"), self.supplier(10, item), *buy,
                                                      self.login(roles["operator"]), "When I receive the purchase order in full",
                                                      f'Then the received "{item}" is stored in "{storage_location_name(self.bp, wh.code, rule.location)}"',
                                                      f'Then the stock of "{item}" in warehouse "{wh.code}" is 10'], tags=["putaway"]))
        self.add(feature)

    def credit(self) -> None:
        file = "credit.feature"
        cur, price, bp = self.currency, 100.0, self.bp
        default = bp.credit.default_limit
        over = lambda limit: math.floor(limit / price) + 1  # noqa: E731 - units whose total exceeds the limit
        within = max(1, math.floor(default / price / 2))
        if self.data_gap(file, ["Credit"], warehouse=False):
            return
        item = self.item()
        if not self.credit_block:
            title = "An order over the credit limit shows the warning and still confirms"
            roles = self.needs(file, [title], seller=({"enter_orders"}, ()))
            if roles is None:
                return
            limit = default if default > 0 else 1000.0
            feature = Feature(file, "Credit limit warning", ["sales", "credit"], [
                "The blueprint warns about credit (credit action: warn): an order that takes a",
                "customer over its credit limit shows Odoo's warning and can still be confirmed.",
            ], background=[self.product(price)])
            feature.scenarios.append(Scenario(title, [
                self.customer(limit=limit), self.login(roles["seller"], first=True),
                f'When I order {over(limit)} units of "{item}" for "{CUSTOMER}"', "Then the order shows a credit warning",
                "When I confirm the order", "Then the order is confirmed",
            ]))
            if default > 0:
                feature.scenarios.append(Scenario(f"An order within the default credit limit of {num(default)} {cur} confirms", [
                    f'Given a customer "{CUSTOMER}"', self.login(roles["seller"], first=True),
                    f'When I order {within} units of "{item}" for "{CUSTOMER}"', "When I confirm the order", "Then the order is confirmed",
                ]))
            self.add(feature)
            return
        titles = {
            "within": f"An order within the default credit limit of {num(default)} {cur} confirms" if default > 0
            else f"An order within the customer's own credit limit of 1000 {cur} confirms",
            "over": f"An order over the default credit limit of {num(default)} {cur} is held",
            "release": "A held order is released by a role that may release credit holds",
            "refuse": "A role that may not release credit holds cannot confirm a held order",
        }
        roles = self.needs(file, list(titles.values()) + [f"An order over the {s.name} limit is held" for s in bp.credit.segments],
                           seller=({"enter_orders"}, {"release_credit"}))
        if roles is None:
            return
        seller = roles["seller"]
        feature = Feature(file, "Credit holds", ["sales", "credit"], [
            f"Orders that would take a customer over its credit limit (default {num(default)} {cur}"
            + (", or its segment's" if bp.credit.segments else "") + ") are held at",
            "confirmation; only a role that may release credit holds confirms them.",
        ], background=[self.product(price)])
        opening = lambda qty, customer=CUSTOMER: [  # noqa: E731
            self.login(seller, first=True), f'When I order {qty} units of "{item}" for "{customer}"',
        ]
        held = ["When I try to confirm the order", 'Then the confirmation is blocked with a message containing "Credit hold"']
        if default > 0:
            feature.scenarios.append(Scenario(titles["within"], [f'Given a customer "{CUSTOMER}"'] + opening(within) + [
                "When I confirm the order", "Then the order is confirmed", f'Then the order was created by the "{self.roles.name(seller)}"']))
        else:
            feature.scenarios.append(Scenario(titles["within"], [self.customer(limit=1000)] + opening(5) + [
                "When I confirm the order", "Then the order is confirmed"]))
        feature.scenarios.append(Scenario(titles["over"], [f'Given a customer "{CUSTOMER}"'] + opening(over(default)) + held
                                          + ["Then the order is a quotation"]))
        for seg in bp.credit.segments:
            name = quoted(f"UAT {seg.name}" + ("" if seg.name.casefold().endswith("customer") else " customer"))
            feature.scenarios.append(Scenario(f"An order over the {seg.name} limit of {num(seg.limit)} {cur} is held", [
                self.customer(name, segment=seg.code)] + opening(over(seg.limit), name) + held + ["Then the order is a quotation"],
                tags=["segment"]))
        releaser = self.roles.pick({"release_credit", "enter_orders"})
        if releaser is None:
            gap = (f"the credit release role {bp.credit.release_role!r} may not confirm sales orders" if bp.credit.release_role
                   else "the blueprint names no credit.release_role")
            self.finding(file, titles["release"], f"no role may release credit holds: {gap}")
        else:
            feature.scenarios.append(Scenario(titles["release"], [f'Given a customer "{CUSTOMER}"'] + opening(over(default)) + held + [
                self.login(releaser), "When I release the credit hold on the order", "Then the order is confirmed"]))
        feature.scenarios.append(Scenario(titles["refuse"], [f'Given a customer "{CUSTOMER}"'] + opening(over(default)) + held + [
            "When I try to release the credit hold on the order",
            'Then the release is refused with a message containing "Credit hold"', "Then the order is a quotation"]))
        self.add(feature)

    def discount_approval(self) -> None:
        file = "discount_approval.feature"
        threshold = self.bp.approvals.sales_discount_above
        if threshold is None:
            return
        titles = [f"A discount up to {num(threshold)}% confirms without approval",
                  f"A discount just above {num(threshold)}% is refused without approval",
                  f"A discount just above {num(threshold)}% is confirmed by a role that may approve it"]
        if self.data_gap(file, titles, warehouse=False):
            return
        if threshold >= 100:
            self.finding(file, titles[1], f"the threshold is {num(threshold)}%: no discount can be above it")
            return
        roles = self.needs(file, titles, seller=({"enter_orders"}, {"approve_discounts"}))
        if roles is None:
            return
        seller, price, qty, item = roles["seller"], 100.0, 5, self.item()
        above = min(100.0, math.floor(threshold) + 1)
        total = lambda d: money(qty * price * (1 - d / 100))  # noqa: E731
        feature = Feature(file, "Discount approval", ["sales", "approvals"], [
            f"An order with a line discounted above {num(threshold)}% needs a role that may approve",
            "discounts to confirm it; up to the threshold anyone who takes orders confirms it.",
        ], background=[self.customer(), self.product(price)])
        order = lambda d: [self.login(seller, first=True),  # noqa: E731
                           f'When I order {qty} units of "{item}" for "{CUSTOMER}" with a {num(d)}% discount']
        rows = [{"discount": num(d), "total": total(d)} for d in sorted({max(0.0, threshold - 1), threshold})]
        feature.scenarios.append(Scenario(titles[0], [self.login(seller, first=True),
                                 f'When I order {qty} units of "{item}" for "{CUSTOMER}" with a <discount>% discount',
                                 "When I confirm the order", "Then the order is confirmed", "Then the order total is <total>"], examples=rows))
        blocked = ["When I try to confirm the order", 'Then the confirmation is blocked with a message containing "Discount approval needed"']
        feature.scenarios.append(Scenario(titles[1], order(above) + blocked + ["Then the order is a quotation"]))
        approver = self.roles.pick({"approve_discounts", "enter_orders"})
        if approver is None:
            self.finding(file, titles[2], Roles.gap({"approve_discounts", "enter_orders"}))
        else:
            feature.scenarios.append(Scenario(titles[2], order(above) + blocked + [
                self.login(approver), "When I confirm the order", "Then the order is confirmed", f"Then the order total is {total(above)}"]))
        self.add(feature)

    def purchase_approval(self) -> None:
        file = "purchase_approval.feature"
        rules = self.bp.approvals.purchase
        if not rules:
            return
        feature = Feature(file, "Purchase double validation", ["procurement", "approvals"], [
            "A purchase order from its company's threshold up waits for a second approval by a",
            "role that may approve purchases; below it, the buyer's confirmation is enough.",
        ], background=[self.product(1.5, 1), self.supplier(1)])
        for rule in rules:
            company = self.bp.company(rule.company)
            cur, t = company.currency, rule.double_validation_above
            below, above = math.ceil(t) - 1, math.floor(t) + 1
            titles = [f"In {company.code} a purchase of {num(below)} {cur}, below {num(t)} {cur}, is confirmed at once",
                      f"In {company.code} a purchase of {num(above)} {cur} waits for approval by a role that may approve it"]
            wh = next((w for w in self.warehouses if w.company == company.code), None)
            if wh is None:
                for title in titles:
                    self.finding(file, title, f"company {company.code} has no warehouse in the blueprint to receive into")
                continue
            if self.data_gap(file, titles):
                return
            roles = self.needs(file, titles, buyer=({"buy"}, {"approve_purchases"}))
            if roles is None:
                continue
            buyer, item = roles["buyer"], self.item()
            create = lambda qty: [self.login(buyer, first=True),  # noqa: E731
                                  f'When I create a purchase order from "{SUPPLIER}" for {num(qty)} units of "{item}" at 1.00 for warehouse "{wh.code}"',
                                  "When I confirm the purchase order"]
            if below >= 1:
                feature.scenarios.append(Scenario(titles[0], create(below) + ["Then the purchase order is confirmed"], tags=[company.code]))
            approver = self.roles.pick({"approve_purchases"})
            if approver is None:
                self.finding(file, titles[1], Roles.gap({"approve_purchases"}))
                continue
            feature.scenarios.append(Scenario(titles[1], create(above) + [
                "Then the purchase order is waiting for approval", "When I try to approve the purchase order",
                "Then the approval is refused", "Then the purchase order is waiting for approval",
                self.login(approver), "When I approve the purchase order", "Then the purchase order is confirmed",
            ], tags=[company.code]))
        self.add(feature)

    def returns(self) -> None:
        file = "returns.feature"
        titles = ["A returned item goes back into stock", "A suspect item is returned into quarantine", "A return after invoicing is credited"]
        if self.data_gap(file, titles):
            return
        roles = self.needs(file, titles, seller=({"enter_orders"}, ()), operator=(suite_exceptions.return_needs(self.bp), ()))
        if roles is None:
            return
        seller, op, wh, item = roles["seller"], roles["operator"], self.main_wh, self.item()
        place, make = suite_exceptions.quarantine(self.bp, wh)
        feature = Feature(file, "Customer returns", ["returns"], [
            "Customers return part of a delivery with a reason; the goods come back into stock or",
            "into quarantine, and the customer gets a credit note for what was already invoiced.",
        ], background=[self.customer(), self.product(5), f'Given 50 units of "{item}" are on hand in warehouse "{wh.code}"',
                       self.login(seller, first=True), f'Given I order 20 units of "{item}" for "{CUSTOMER}" from warehouse "{wh.code}"',
                       "Given I confirm the order", f'Given I log in as the "{self.roles.name(op)}"', "Given I ship the order in full"])
        feature.scenarios.append(Scenario(titles[0], [
            f'When I return 4 units of "{item}" from the delivery with reason "Damaged in transit"', "When I receive the return into stock",
            f'Then the delivered quantity of "{item}" on the order is 16', f'Then the stock of "{item}" in warehouse "{wh.code}" is 34',
            f'Then the return was last changed by the "{self.roles.name(op)}"']))
        feature.scenarios.append(Scenario(titles[1], [
            *make, f'When I return 3 units of "{item}" from the delivery with reason "Suspected defect"',
            f'When I receive the return into location "{place}"', f'Then the stock of "{item}" in location "{place}" is 3',
            f'Then the delivered quantity of "{item}" on the order is 17']))
        invoicer = self.roles.pick(INVOICE_ORDERS)
        if invoicer is None:
            self.finding(file, titles[2], INVOICE_GAP)
        else:
            # on ordered quantities, invoicing again finds nothing to credit: the credit note comes from the invoice
            ordered = self.bp.invoicing.policy == "order"
            credit = (f'When I issue a credit note for 5 units of "{item}" from the invoice' if ordered
                      else "When I issue the credit note for the return")
            feature.scenarios.append(Scenario(titles[2], [
                self.login(invoicer), f"When I invoice the {'ordered' if ordered else 'delivered'} quantities of the order", self.login(op),
                f'When I return 5 units of "{item}" from the delivery with reason "Wrong size"', "When I receive the return into stock",
                self.login(invoicer), credit, "Then the credit note total is 25.00",
                f'Then the credit note is for 5 units of "{item}"', f'Then the customer "{CUSTOMER}" has an open balance of 75.00']))
        self.add(feature)

    def tracked_returns(self) -> None:
        file = "tracked_returns.feature"
        tracked = {}
        for cat in self.bp.product_categories:
            if cat.tracking != "none":
                tracked.setdefault(cat.tracking, cat)
        if not tracked:
            return
        titles = [f"A {cat.name} item comes back with its {'serial number' if t == 'serial' else 'lot'}" for t, cat in tracked.items()]
        if self.data_gap(file, titles, category=False):
            return
        roles = self.needs(file, titles, seller=({"enter_orders"}, ()), operator=(suite_exceptions.return_needs(self.bp), ()))
        if roles is None:
            return
        seller, op, wh = roles["seller"], roles["operator"], self.main_wh
        place, make = suite_exceptions.quarantine(self.bp, wh)
        feature = Feature(file, "Returns of lot and serial tracked goods", ["returns", "lots"], [
            "Goods of the blueprint's tracked categories come back with the lot or serial number",
            "they were shipped with, so that the lot can be traced and inspected.",
        ], background=[self.customer()])
        for (tracking, cat), title in zip(tracked.items(), titles):
            item, lot = self.item(cat), f"UAT-{cat.code}-1"
            qty, back = (1, 1) if tracking == "serial" else (12, 2)
            on_hand = 1 if tracking == "serial" else 30
            feature.scenarios.append(Scenario(title, [
                self.product(40, cat=cat), f'Given {on_hand} units of "{item}" are on hand in warehouse "{wh.code}" in lot "{lot}"',
                *make,
                self.login(seller, first=True), f'When I order {qty} units of "{item}" for "{CUSTOMER}" from warehouse "{wh.code}"',
                "When I confirm the order", self.login(op), "When I ship the order in full",
                f'When I return {back} units of "{item}" from the delivery with reason "Failed inspection"',
                f'When I receive the return into location "{place}"', f'Then the return is in lot "{lot}"',
                f'Then the stock of "{item}" in location "{place}" is {back}',
                f'Then the delivered quantity of "{item}" on the order is {qty - back}'], tags=[tracking]))
        self.add(feature)

    def expiry(self) -> None:
        """FEFO: of two lots on hand, the one received first but expiring later is left for later."""
        file = "expiry.feature"
        cats = [c for c in self.bp.product_categories if c.expiry and c.tracking == "lot"]
        titles = [f"The order's {cat.name} come from the lot that expires first" for cat in cats]
        if not cats or self.data_gap(file, titles, category=False):
            return
        roles = self.needs(file, titles, seller=({"enter_orders"}, ()), operator=({"operate_warehouse"}, ()))
        if roles is None:
            return
        wh = self.main_wh
        kind = DELIVERY_KINDS[wh.delivery_steps][0]
        feature = Feature(file, "Expiry dates: first expired, first out", ["lots", "expiry"], [
            "Lots of the blueprint's expiry-dated categories carry an expiration date, and",
            "the warehouse takes the lot that expires first, not the one received first.",
        ], background=[self.customer()])
        for cat, title in zip(cats, titles):
            item, near = self.item(cat, "expiry"), cat.expiry.removal_days + 30
            later, first = f"UAT-{cat.code}-LATER", f"UAT-{cat.code}-FIRST"
            feature.scenarios.append(Scenario(title, [
                self.product(40, cat=cat, suffix="expiry"),
                f'Given 10 units of "{item}" are on hand in warehouse "{wh.code}" in lot "{later}" expiring in {near + 60} days',
                f'Given 10 units of "{item}" are on hand in warehouse "{wh.code}" in lot "{first}" expiring in {near} days',
                self.login(roles["seller"], first=True), f'When I order 6 units of "{item}" for "{CUSTOMER}" from warehouse "{wh.code}"',
                "When I confirm the order", self.login(roles["operator"]), "When I reserve the order",
                f'Then the {kind} of the order takes lot "{first}"'], tags=["fefo"]))
        self.add(feature)

    def min_max(self, wh: Warehouse) -> tuple[float, float]:
        """The blueprint's rule for the warehouse and the suite's category (a parent's, the warehouse's), else the defaults."""
        rules = {(r.warehouse, r.category): (r.min_qty, r.max_qty) for r in self.bp.reorder.rules}
        parents = {c.code: c.parent for c in self.bp.product_categories}
        cat, seen = self.category.code, set()
        while cat and cat not in seen:
            seen.add(cat)
            if (wh.code, cat) in rules:
                return rules[(wh.code, cat)]
            cat = parents.get(cat)
        return rules.get((wh.code, None), (self.bp.reorder.min_qty, self.bp.reorder.max_qty))

    def replenishment(self) -> None:
        file = "replenishment.feature"
        pairs = [(wh, src) for wh in self.warehouses for src in wh.resupply_from]
        buy_wh = next((w for w in self.warehouses if not w.resupply_from), self.main_wh)
        titles = [f"A shortfall in {wh.code} is resupplied from {src}" for wh, src in pairs]
        if buy_wh is not None:
            titles.append(f"A shortfall in {buy_wh.code} is bought from the supplier")
        if self.data_gap(file, titles or ["Replenishment"]):
            return
        roles = self.needs(file, titles, planner=({"manage_inventory"}, ()))
        if roles is None:
            return
        planner, item = roles["planner"], self.item()
        feature = Feature(file, "Replenishment", ["procurement", "replenishment"], [
            "Reorder rules with the blueprint's minimum and maximum turn a shortfall into a",
            "transfer from the resupplying warehouse or a request for quotation to the supplier.",
        ], background=[self.product(2, 1)])
        for (wh, src), title in zip(pairs, titles):
            low, high = self.min_max(wh)
            if low <= 0 or high <= low:
                self.finding(file, title, f"the reorder rule for {wh.code} has minimum {num(low)} and maximum {num(high)}: "
                             "nothing to replenish (set reorder.rules or reorder.min_qty/max_qty)")
                continue
            have = math.floor(low / 2)
            steps = [f'Given {num(high * 2)} units of "{item}" are on hand in warehouse "{src}"']
            if have > 0:
                steps.append(f'Given {num(have)} units of "{item}" are on hand in warehouse "{wh.code}"')
            feature.scenarios.append(Scenario(title, steps + [
                f'Given a reorder rule for "{item}" in warehouse "{wh.code}" with minimum {num(low)} and maximum {num(high)} '
                f'resupplied from warehouse "{src}"', self.login(planner, first=True), "When I run the scheduler",
                f'Then a transfer of {num(high - have)} units of "{item}" from warehouse "{src}" to warehouse "{wh.code}" is planned',
            ], tags=["resupply"]))
        if buy_wh is not None:
            low, high = self.min_max(buy_wh)
            if low <= 0 or high <= low:
                self.finding(file, titles[-1], f"the reorder rule for {buy_wh.code} has minimum {num(low)} and maximum {num(high)}: "
                             "nothing to replenish (set reorder.rules or reorder.min_qty/max_qty)")
            else:
                feature.scenarios.append(Scenario(titles[-1], [
                    self.supplier(1),
                    f'Given a reorder rule for "{item}" in warehouse "{buy_wh.code}" with minimum {num(low)} and maximum {num(high)}',
                    self.login(planner, first=True), "When I run the scheduler",
                    f'Then a request for quotation to "{SUPPLIER}" is created for {num(high)} units of "{item}"',
                ], tags=["buy"]))
        self.add(feature)

    def sales_tax_rate(self) -> float | None:
        """Rate (%) of the main company's default sales tax, when its localization's chart (or the
        blueprint's sale_tax) names one whose rate is known; None keeps the products untaxed."""
        from odookit.blueprints.localization import default_tax, tax_rate

        main = self.bp.main_company
        tax = default_tax(main, "sale")
        return tax_rate(main.localization, tax) if tax else None

    def invoicing(self) -> None:
        file = "invoicing.feature"
        policy = self.bp.invoicing.policy
        title = ("Only the delivered quantity is invoiced" if policy == "delivery"
                 else "The ordered quantity is invoiced before anything is delivered")
        if self.data_gap(file, [title]):
            return
        roles = self.needs(file, [title], seller=({"enter_orders"}, ()), operator=({"operate_warehouse"}, ()))
        if roles is None:
            return
        invoicer = self.roles.pick(INVOICE_ORDERS)
        if invoicer is None:
            self.finding(file, title, INVOICE_GAP)
            return
        seller, op, wh, item = roles["seller"], roles["operator"], self.main_wh, self.item()
        pricelist = next((p.code for p in self.bp.pricelists if self.bp.pricelist_currency(p) == self.currency and p.company in (None, self.bp.main_company.code)), None)
        terms = self.bp.payment_terms[0].code if self.bp.payment_terms else None
        limit = max(1_000_000.0, self.bp.credit.default_limit * 10) if self.credit_block else None
        rate = self.sales_tax_rate()  # amounts with the chart's sales tax when the blueprint's chart says its rate
        gross = lambda net: money(net * (1 + (rate or 0) / 100))  # noqa: E731
        taxed = [f"Then the invoice untaxed amount is {money(net)}" for net in ((100.0 if policy == "delivery" else 120.0),) if rate is not None]
        feature = Feature(file, "Invoicing", ["invoicing"], [
            f"Products are invoiced on {'delivered' if policy == 'delivery' else 'ordered'} quantities (invoicing policy: {policy})"
            + (f", with the company's {num(rate)}% sales tax." if rate is not None else "."),
        ], background=[self.customer(limit=limit, pricelist=pricelist, terms=terms),
                       self.product(4) + (" with the company's default taxes" if rate is not None else "")])
        kinds = DELIVERY_KINDS[wh.delivery_steps]
        if policy == "delivery":
            steps = [f'Given 40 units of "{item}" are on hand in warehouse "{wh.code}"', self.login(seller, first=True),
                     f'When I order 100 units of "{item}" for "{CUSTOMER}" at 2.50 from warehouse "{wh.code}"', "When I confirm the order",
                     self.login(op), f'When I process 40 units of "{item}" on the {kinds[0]} of the order and create the backorder',
                     *self.process_rest(kinds[1:]), f'Then the delivered quantity of "{item}" on the order is 40',
                     f'Then a backorder for 60 units of "{item}" is open on the {kinds[0]}', self.login(invoicer),
                     "When I invoice the delivered quantities of the order", f'Then the invoice is for 40 units of "{item}"',
                     *taxed, f"Then the invoice total is {gross(100)}", f'Then the customer "{CUSTOMER}" has an open balance of {gross(100)}']
        else:
            steps = [self.login(seller, first=True), f'When I order 10 units of "{item}" for "{CUSTOMER}" at 12.00 from warehouse "{wh.code}"',
                     "When I confirm the order", self.login(invoicer), "When I invoice the ordered quantities of the order",
                     f'Then the invoice is for 10 units of "{item}"', *taxed, f"Then the invoice total is {gross(120)}",
                     f'Then the delivered quantity of "{item}" on the order is 0']
        feature.scenarios.append(Scenario(title, steps))
        self.add(feature)

    def inventory_adjustment(self) -> None:
        file = "inventory_adjustment.feature"
        t = self.bp.approvals.inventory_adjustment_above
        if t is None:
            return
        cost, cur = 10.0, self.currency
        above, upto = math.floor(t / cost) + 1, math.floor(t / cost)
        titles = [f"A count worth more than {num(t)} {cur} is refused to a role without the approval",
                  f"A count worth more than {num(t)} {cur} is applied by a role that may approve it",
                  f"A count worth up to {num(t)} {cur} needs no approval"]
        if self.data_gap(file, titles):
            return
        wh, item = self.main_wh, self.item()
        feature = Feature(file, "Inventory adjustment approval", ["warehouse", "approvals"], [
            f"An inventory adjustment worth more than {num(t)} {cur} at cost needs a role that may",
            "approve adjustments; anyone else's is refused and the stock stays as it was.",
        ], background=[self.product(15, cost)])
        counter = self.roles.pick({"manage_inventory"}, {"approve_adjustments"})
        refused = counter or self.roles.pick({"operate_warehouse"}, {"approve_adjustments"})
        count = lambda qty: f'When I {"try to " if qty == above else ""}apply an inventory count of {qty} units of "{item}" in warehouse "{wh.code}"'  # noqa: E731
        if refused is None:
            self.finding(file, titles[0], Roles.gap({"operate_warehouse"}, {"approve_adjustments"}))
        else:
            why = ' with a message containing "Inventory adjustment approval needed"' if counter else ""
            feature.scenarios.append(Scenario(titles[0], [self.login(refused, first=True), count(above),
                                              f"Then the adjustment is refused{why}", f'Then the stock of "{item}" in warehouse "{wh.code}" is 0']))
        approver = self.roles.pick({"approve_adjustments", "manage_inventory"})
        if approver is None:
            self.finding(file, titles[1], Roles.gap({"approve_adjustments", "manage_inventory"}))
        else:
            feature.scenarios.append(Scenario(titles[1], [self.login(approver, first=True), count(above).replace("try to ", ""),
                                              f'Then the stock of "{item}" in warehouse "{wh.code}" is {above}']))
        if counter is not None and upto > 0:
            feature.scenarios.append(Scenario(titles[2], [self.login(counter, first=True), count(upto),
                                              f'Then the stock of "{item}" in warehouse "{wh.code}" is {upto}']))
        self.add(feature)

    def run(self) -> Suite:
        for area in (self.backorders, self.receipts, self.putaway, self.credit, self.discount_approval, self.purchase_approval,
                     self.returns, self.tracked_returns, self.expiry, self.replenishment, self.invoicing, self.inventory_adjustment):
            area()
        for area in suite_exceptions.AREAS:
            area(self)
        from odookit.uat_scenarios import suite_kits_costs  # here: it builds on this module's Roles

        for area in suite_kits_costs.AREAS:
            area(self)
        from odookit.uat_scenarios import suite_apps  # here: it builds on this module's Roles

        for area in suite_apps.AREAS:
            area(self)
        return self.suite


def generate_suite(bp: Blueprint, module: str) -> Suite:
    """The features the blueprint calls for, and what it cannot give them, as findings."""
    return Generator(bp, module).run()
