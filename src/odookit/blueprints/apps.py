"""The Odoo apps a distribution blueprint needs installed (the same names from 16 to 19)."""

from __future__ import annotations

DISTRIBUTION = ("contacts", "sale_management", "purchase", "stock", "account", "sale_stock",
                "purchase_stock", "stock_account", "base_automation")


def apps_for(*, batch_picking: bool) -> list[str]:
    return [*DISTRIBUTION, "stock_picking_batch"] if batch_picking else list(DISTRIBUTION)
