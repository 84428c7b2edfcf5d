"""A pricelist without a currency takes its company's, not a currency every client is assumed to use."""

from __future__ import annotations

from odookit.blueprints.compile import compile_blueprint
from odookit.blueprints.schema import Blueprint

BP = {
    "companies": [
        {"code": "HQ", "name": "Head office", "country": "DE", "currency": "EUR", "main": True},
        {"code": "UK", "name": "UK branch", "country": "GB", "currency": "GBP"},
    ],
    "pricelists": [
        {"code": "SHARED", "name": "Shared"},
        {"code": "BRANCH", "name": "Branch", "company": "UK"},
        {"code": "EXPORT", "name": "Export", "currency": "USD"},
    ],
}


def _currency(state, code: str) -> str:
    record = state.by_xmlid()[f"m.pricelist_{code.lower()}"]
    return record.values["currency_id"]["$ref"]


def test_a_pricelist_without_currency_takes_its_companys_or_the_main_companys():
    state = compile_blueprint(Blueprint.model_validate(BP), "m", 18)
    assert [_currency(state, c) for c in ("SHARED", "BRANCH", "EXPORT")] == ["base.EUR", "base.GBP", "base.USD"]
