"""An empty cell for a computed link is not a difference: Odoo answers its own fallback there.

A partner's pricelist (``property_product_pricelist``) is computed and not stored:
Odoo reads back the company's default pricelist for a partner given none, so an
export without a Price List column made every second load rewrite every customer.
"""

from __future__ import annotations

from odookit.migration.compare import LiveRows

META = {
    "name": {"type": "char"},
    "property_product_pricelist": {"type": "many2one", "relation": "product.pricelist", "store": False},
    "property_payment_term_id": {"type": "many2one", "relation": "account.payment.term", "store": True},
}


def _live(record: dict) -> LiveRows:
    live = LiveRows("res.partner", META, {})
    live.records = {"m.customer_1": {"id": 1, **record}}
    live.existing = {"m.customer_1": 1}
    live.ids = {"m.pricelist_b": 7}
    return live


def test_an_empty_computed_link_is_left_to_odoos_fallback():
    live = _live({"name": "A", "property_product_pricelist": [3, "Default"], "property_payment_term_id": False})
    row = {"id": "m.customer_1", "name": "A", "property_product_pricelist/id": "", "property_payment_term_id/id": ""}
    assert live.differences(row) == []


def test_a_named_computed_link_is_still_compared():
    live = _live({"name": "A", "property_product_pricelist": [3, "Default"], "property_payment_term_id": False})
    row = {"id": "m.customer_1", "name": "A", "property_product_pricelist/id": "m.pricelist_b", "property_payment_term_id/id": ""}
    assert live.differences(row) == [("property_product_pricelist", "m.pricelist_b", "Default")]


def test_an_empty_stored_link_clears_what_odoo_holds():
    live = _live({"name": "A", "property_product_pricelist": [3, "Default"], "property_payment_term_id": [4, "30 Days"]})
    row = {"id": "m.customer_1", "name": "A", "property_product_pricelist/id": "", "property_payment_term_id/id": ""}
    assert live.differences(row) == [("property_payment_term_id", "", "30 Days")]
