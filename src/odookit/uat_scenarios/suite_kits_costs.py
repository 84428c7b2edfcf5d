"""Generated scenarios of the manufacturing (kits) and landed_costs sections.

A kit scenario exists because the blueprint installs kits; a landed cost scenario for each
landed cost product the blueprint names, with its split method. Products and figures are
the run's own (two products of the blueprint's first fifo or average-cost category, so the
split method decides who carries how much); roles are chosen by what their groups let them
do, and the posting role is the one the blueprint names when it names one.
"""

from __future__ import annotations

from odookit.blueprints.landed_costs import costed_categories
from odookit.uat_scenarios.gherkin import Feature, Scenario

LANDED = 100.0  # the landed cost posted in each scenario
# the two received products: (suffix, quantity, unit cost, sales price, kg, m3 per unit)
RECEIVED = (("landed A", 30, 10.0, 30.0, 1.0, 0.01), ("landed B", 10, 20.0, 60.0, 4.0, 0.05))
SPLIT_LABEL = {"equal": "split equally", "by_quantity": "split by quantity", "by_current_cost_price": "split by current cost",
               "by_weight": "split by weight", "by_volume": "split by volume"}


def shares(method: str, total: float = LANDED) -> list[float]:
    """Each received product's part of the landed cost, as Odoo spreads it over the receipt's moves (to the cent;
    the last move takes what rounding left)."""
    basis = {"equal": [1, 1], "by_quantity": [q for _, q, *_ in RECEIVED], "by_current_cost_price": [q * c for _, q, c, *_ in RECEIVED],
             "by_weight": [q * kg for _, q, _, _, kg, _ in RECEIVED], "by_volume": [q * m3 for _, q, _, _, _, m3 in RECEIVED]}[method]
    first = round(total * basis[0] / sum(basis), 2)
    return [first, round(total - first, 2)]


def unit_costs_after(method: str) -> list[float]:
    return [cost + share / qty for (_, qty, cost, *_), share in zip(RECEIVED, shares(method), strict=True)]


def kits(gen) -> None:
    """A kit ordered and shipped moves its components: the delivery carries them, their stock goes down."""
    from odookit.uat_scenarios.suite import CUSTOMER, money

    bp, file = gen.bp, "kits.feature"
    if bp.manufacturing is None or not bp.manufacturing.kits:
        return
    title = "A kit ordered and shipped moves its components"
    if gen.data_gap(file, [title]):
        return
    cat = gen.category
    if cat.tracking != "none":
        gen.finding(file, title, f"the blueprint's only stockable category {cat.code} is {cat.tracking}-tracked: a generated delivery "
                    "gives no lot numbers (add an untracked category, or write this scenario by hand)")
        return
    roles = gen.needs(file, [title], seller=({"enter_orders"}, ()), operator=({"operate_warehouse"}, ()))
    if roles is None:
        return
    wh, kit = gen.main_wh, gen.item(cat, "kit")
    part_a, part_b = gen.item(cat, "kit part A"), gen.item(cat, "kit part B")
    feature = Feature(file, "Kits", ["sales", "kits"], [
        "A kit is sold as one product and shipped as its components (a kit bill of materials):",
        "the delivery moves the components, and their stock goes down, never the kit's.",
    ], background=[gen.customer()])
    feature.scenarios.append(Scenario(f"A kit ordered and shipped from {wh.code} moves its components", [
        gen.product(5, cat=cat, suffix="kit part A"), gen.product(8, cat=cat, suffix="kit part B"),
        f'Given a kit "{kit}" in category "{cat.code}" priced at {money(40)} made of 2 units of "{part_a}" and 3 units of "{part_b}"',
        f'Given 20 units of "{part_a}" are on hand in warehouse "{wh.code}"', f'Given 20 units of "{part_b}" are on hand in warehouse "{wh.code}"',
        gen.login(roles["seller"], first=True), f'When I order 4 units of "{kit}" for "{CUSTOMER}" from warehouse "{wh.code}"',
        "When I confirm the order", "Then the order is confirmed", gen.login(roles["operator"]), "When I ship the order in full",
        f'Then the delivery of the order moved 8 units of "{part_a}"', f'Then the delivery of the order moved 12 units of "{part_b}"',
        f'Then the delivery of the order moved 0 units of "{kit}"', f'Then the delivered quantity of "{kit}" on the order is 4',
        f'Then the stock of "{part_a}" in warehouse "{wh.code}" is 12', f'Then the stock of "{part_b}" in warehouse "{wh.code}" is 8',
    ], tags=["kit"]))
    gen.add(feature)


ASSEMBLY_LABEL = {1: "components consumed from stock", 2: "components picked first", 3: "components picked first, the product stored after"}


def assembly(gen) -> None:
    """Per assembling warehouse: a manufacturing order consumes the components and stocks the product, through the
    warehouse's manufacturing steps."""
    bp, file = gen.bp, "assembly.feature"
    entries = bp.manufacturing.assembly if bp.manufacturing else []
    titles = [f"Goods are assembled in {a.warehouse} ({ASSEMBLY_LABEL[a.steps]})" for a in entries]
    if not entries or gen.data_gap(file, titles):
        return
    cat = gen.category
    if cat.tracking != "none":
        for title in titles:
            gen.finding(file, title, f"the blueprint's only stockable category {cat.code} is {cat.tracking}-tracked: a generated "
                        "assembly gives no lot numbers (add an untracked category, or write this scenario by hand)")
        return
    roles = gen.needs(file, titles, assembler=({"assemble"}, ()))
    if roles is None:
        return
    product, part_a, part_b = gen.item(cat, "assembled"), gen.item(cat, "assembly part A"), gen.item(cat, "assembly part B")
    feature = Feature(file, "Light assembly", ["warehouse", "assembly"], [
        "The warehouses the blueprint lets assemble goods do so in manufacturing orders: the components",
        "are consumed from stock (picked first with 2 or 3 steps) and the assembled product is stocked.",
    ])
    for entry, title in zip(entries, titles, strict=True):
        wh = entry.warehouse
        feature.scenarios.append(Scenario(title, [
            gen.product(50, cat=cat, suffix="assembled"), gen.product(5, cat=cat, suffix="assembly part A"),
            gen.product(8, cat=cat, suffix="assembly part B"),
            f'Given "{product}" is assembled from 4 units of "{part_a}" and 2 units of "{part_b}"',
            f'Given 20 units of "{part_a}" are on hand in warehouse "{wh}"', f'Given 20 units of "{part_b}" are on hand in warehouse "{wh}"',
            gen.login(roles["assembler"], first=True), f'When I assemble 3 units of "{product}" in warehouse "{wh}"',
            "Then the assembly order is done", f'Then the assembly order moved 12 units of "{part_a}"',
            f'Then the stock of "{product}" in warehouse "{wh}" is 3', f'Then the stock of "{part_a}" in warehouse "{wh}" is 8',
            f'Then the stock of "{part_b}" in warehouse "{wh}" is 14',
        ], tags=["assembly", f"manufacture_steps_{entry.steps}"]))
    gen.add(feature)


def _purchase(gen, buyer: str, items: list[str], wh) -> list[str] | None:
    """Both received products on one purchase order, approved when its total needs it (None: nobody may)."""
    from odookit.uat_scenarios.suite import SUPPLIER, money, num

    (_, qty_a, cost_a, *_), (_, qty_b, cost_b, *_) = RECEIVED
    steps = [gen.login(buyer), f'When I create a purchase order from "{SUPPLIER}" for {num(qty_a)} units of "{items[0]}" at {money(cost_a)} '
             f'for warehouse "{wh.code}"', f'When I add {num(qty_b)} units of "{items[1]}" at {money(cost_b)} to the purchase order',
             "When I confirm the purchase order"]
    threshold = next((p.double_validation_above for p in gen.bp.approvals.purchase if p.company == wh.company), None)
    if threshold is not None and qty_a * cost_a + qty_b * cost_b >= threshold:
        approver = gen.roles.pick({"approve_purchases"})
        if approver is None:
            return None
        steps += [gen.login(approver), "When I approve the purchase order"]
    return steps + ["Then the purchase order is confirmed"]


def landed_costs(gen) -> None:
    """Per landed cost product: posted on a receipt, it raises the received products' unit cost by their share;
    a role that may not post landed costs is refused and the cost stays as received."""
    from odookit.uat_scenarios.suite import Roles, money

    bp, file = gen.bp, "landed_costs.feature"
    if bp.landed_costs is None:
        return
    titles = [f"{p.name} ({SPLIT_LABEL[p.split_method]}) on a receipt raises the unit cost" for p in bp.landed_costs.products]
    refused_title = "A role that may not post landed costs cannot post one"
    if gen.data_gap(file, titles + [refused_title], category=False):
        return
    cats = [c for c in costed_categories(bp) if c.tracking == "none"]
    if not cats:
        for title in titles + [refused_title]:
            gen.finding(file, title, "no fifo or average-cost product category without lot or serial tracking: a generated receipt "
                        "gives no lot numbers (write this scenario by hand with them)")
        return
    roles = gen.needs(file, titles + [refused_title], buyer=({"buy"}, ()), operator=({"operate_warehouse"}, ()))
    if roles is None:
        return
    poster = bp.landed_costs.post_role or gen.roles.pick({"post_landed_costs"})
    if poster is None:
        for title in titles:
            gen.finding(file, title, Roles.gap({"post_landed_costs"}))
    cat, wh = cats[0], gen.main_wh
    items = [gen.item(cat, suffix) for suffix, *_ in RECEIVED]
    setup = [gen.product(price, cost, cat=cat, suffix=suffix) for suffix, _, cost, price, *_ in RECEIVED]
    setup += [gen.supplier(cost, item) for item, (_, _, cost, *_) in zip(items, RECEIVED, strict=True)]
    buy = _purchase(gen, roles["buyer"], items, wh)
    if buy is None:
        for title in titles + [refused_title]:
            gen.finding(file, title, Roles.gap({"approve_purchases"}))
        return
    received = [gen.login(roles["operator"]), "When I receive the purchase order in full"]
    received += [f'Then the unit cost of "{item}" is {money(cost)}' for item, (_, _, cost, *_) in zip(items, RECEIVED, strict=True)]
    feature = Feature(file, "Landed costs", ["procurement", "landed_costs"], [
        f"Freight, duty and insurance posted on a receipt raise the unit cost of {cat.name} ({cat.costing_method} costing)",
        "by each product's share under the landed cost's split method; only a role that may post landed costs posts them.",
    ])
    for product, title in zip(bp.landed_costs.products if poster else [], titles, strict=False):
        dims = [f'Given the product "{item}" weighs {kg:g} kg and takes {m3:g} m3' for item, (_, _, _, _, kg, m3) in zip(items, RECEIVED, strict=True)
                ] if product.split_method in ("by_weight", "by_volume") else []
        after = unit_costs_after(product.split_method)
        feature.scenarios.append(Scenario(title, [*setup, *dims, *buy, *received, gen.login(poster),
                                                  f'When I post a landed cost of {money(LANDED)} for "{product.code}" on the receipt of the purchase order',
                                                  "Then the landed cost is posted",
                                                  *[f'Then the unit cost of "{item}" is {money(cost)}' for item, cost in zip(items, after, strict=True)]],
                                          tags=["landed_cost", product.split_method]))
    refused = gen.roles.pick({"operate_warehouse"}, {"post_landed_costs"})
    if refused is None:
        gen.finding(file, refused_title, Roles.gap({"operate_warehouse"}, {"post_landed_costs"}))
    else:
        first = bp.landed_costs.products[0]
        feature.scenarios.append(Scenario(refused_title, [*setup, *buy, *received, gen.login(refused),
                                                          f'When I try to post a landed cost of {money(LANDED)} for "{first.code}" on the receipt of the purchase order',
                                                          "Then the landed cost is refused",
                                                          *[f'Then the unit cost of "{item}" is {money(cost)}' for item, (_, _, cost, *_) in zip(items, RECEIVED, strict=True)]],
                                          tags=["landed_cost", "rights"]))
    gen.add(feature)


AREAS = (kits, assembly, landed_costs)
