"""MemoryGateway: the generic ORM behaviour unit tests lean on (domains, x2many commands, load, external IDs).

Only generic behaviour is pinned here; business rules are never imitated in it.
"""

from __future__ import annotations

import pytest

from odookit.errors import OdooAppMissing
from odookit.odoo.memory import MemoryGateway


@pytest.fixture
def partners(memory):
    ids = {
        "acme": memory.seed("res.partner", {"name": "Acme Corp", "ref": "A1", "credit_limit": 500.0}),
        "bolt": memory.seed("res.partner", {"name": "Bolt & Nut", "ref": "B2", "credit_limit": 0.0}),
        "cog": memory.seed("res.partner", {"name": "Cogworks", "ref": False, "credit_limit": 1500.0}),
        "old": memory.seed("res.partner", {"name": "Old Acme", "ref": "O1", "active": False}),
    }
    return ids


def names(memory, domain, **kwargs):
    return sorted(r["name"] for r in memory.search_read("res.partner", domain, ["name"], **kwargs))


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([], ["Acme Corp", "Bolt & Nut", "Cogworks"]),
        ([("ref", "=", "A1")], ["Acme Corp"]),
        ([("ref", "!=", "A1")], ["Bolt & Nut", "Cogworks"]),
        ([("ref", "=", False)], ["Cogworks"]),
        ([("ref", "in", ["A1", "B2"])], ["Acme Corp", "Bolt & Nut"]),
        ([("ref", "not in", ["A1", "B2"])], ["Cogworks"]),
        ([("name", "ilike", "acme")], ["Acme Corp"]),
        ([("name", "like", "acme")], []),
        ([("name", "=ilike", "cog%")], ["Cogworks"]),
        ([("credit_limit", ">", 100)], ["Acme Corp", "Cogworks"]),
        ([("credit_limit", "<=", 500)], ["Acme Corp", "Bolt & Nut"]),
        ([("ref", "=", "A1"), ("credit_limit", ">", 1000)], []),
        (["&", ("ref", "=", "A1"), ("credit_limit", "=", 500.0)], ["Acme Corp"]),
        (["|", ("ref", "=", "A1"), ("ref", "=", "B2")], ["Acme Corp", "Bolt & Nut"]),
        (["!", ("ref", "=", "A1")], ["Bolt & Nut", "Cogworks"]),
        (["|", "&", ("ref", "=", "A1"), ("credit_limit", ">", 100), ("name", "=", "Cogworks")], ["Acme Corp", "Cogworks"]),
        (["&", "|", ("ref", "=", "A1"), ("ref", "=", "B2"), ("credit_limit", ">", 100)], ["Acme Corp"]),
        ([("active", "=", False)], ["Old Acme"]),
        ([("active", "in", [True, False]), ("name", "ilike", "acme")], ["Acme Corp", "Old Acme"]),
    ],
)
def test_domains(memory, partners, domain, expected):
    assert names(memory, domain) == expected


def test_search_by_id_limit_and_count(memory, partners):
    assert memory.search("res.partner", [("id", "in", [partners["acme"], partners["cog"]])]) == [partners["acme"], partners["cog"]]
    assert len(memory.search("res.partner", [], limit=2)) == 2
    assert memory.execute("res.partner", "search_count", domain=[("credit_limit", ">", 100)]) == 2


def test_read_gives_many2one_as_pair_and_missing_fields_as_false(memory):
    memory.relations["res.partner.country_id"] = "res.country"
    us = memory.seed("res.country", {"name": "United States", "code": "US"})
    pid = memory.create("res.partner", [{"name": "Acme", "country_id": us}])[0]
    [row] = memory.read("res.partner", [pid], ["name", "country_id", "email", "bank_ids"])
    assert row == {"id": pid, "name": "Acme", "country_id": [us, "United States"], "email": False, "bank_ids": []}


def test_write_and_unlink(memory, partners):
    memory.write("res.partner", [partners["acme"]], {"ref": "A9"})
    assert names(memory, [("ref", "=", "A9")]) == ["Acme Corp"]
    memory.unlink("res.partner", [partners["acme"]])
    assert memory.read("res.partner", [partners["acme"]], ["name"]) == []


def test_x2many_commands(memory):
    memory.relations["res.partner.category_id"] = "res.partner.category"
    tags = [memory.seed("res.partner.category", {"name": n}) for n in ("KEY", "OEM", "CASH")]
    pid = memory.create("res.partner", [{"name": "Acme", "category_id": [(6, 0, tags[:2])]}])[0]

    def current():
        return memory.read("res.partner", [pid], ["category_id"])[0]["category_id"]

    assert current() == tags[:2]
    memory.write("res.partner", [pid], {"category_id": [(4, tags[2]), (4, tags[2])]})
    assert current() == tags
    memory.write("res.partner", [pid], {"category_id": [(3, tags[0])]})
    assert current() == tags[1:]
    assert memory.read("res.partner.category", [tags[0]], ["name"]) != []  # (3) unlinks the relation only
    memory.write("res.partner", [pid], {"category_id": [(0, 0, {"name": "NEW"})]})
    new = current()[-1]
    assert memory.read("res.partner.category", [new], ["name"])[0]["name"] == "NEW"
    memory.write("res.partner", [pid], {"category_id": [(1, new, {"name": "RENAMED"})]})
    assert memory.read("res.partner.category", [new], ["name"])[0]["name"] == "RENAMED"
    memory.write("res.partner", [pid], {"category_id": [(2, new)]})
    assert new not in current() and memory.read("res.partner.category", [new], ["name"]) == []
    memory.write("res.partner", [pid], {"category_id": [(5, 0, 0)]})
    assert current() == []
    assert memory.search("res.partner", [("category_id", "in", tags)]) == []


def test_x2many_domain_matches_any_linked_id(memory):
    tag = memory.seed("res.partner.category", {"name": "KEY"})
    pid = memory.create("res.partner", [{"name": "Acme", "category_id": [(6, 0, [tag])]}])[0]
    memory.create("res.partner", [{"name": "Other"}])
    assert memory.search("res.partner", [("category_id", "=", tag)]) == [pid]
    assert memory.search("res.partner", [("category_id", "in", [tag, 999])]) == [pid]


def test_external_ids_resolve_and_bind(memory):
    pid = memory.seed("res.partner", {"name": "Acme"}, xmlid="nis_config.partner_acme")
    other = memory.create("res.partner", [{"name": "Bolt"}])[0]
    memory.bind_xmlid("nis_config.partner_bolt", "res.partner", other)
    assert memory.resolve_xmlids(["nis_config.partner_acme", "nis_config.partner_bolt", "nis_config.nope"]) == {
        "nis_config.partner_acme": ("res.partner", pid),
        "nis_config.partner_bolt": ("res.partner", other),
    }
    assert set(memory.xmlids_of_module("nis_config", "res.partner")) == {"nis_config.partner_acme", "nis_config.partner_bolt"}


def test_load_creates_then_updates_by_external_id(memory):
    fields = ["id", "name", "ref"]
    first = memory.load("res.partner", fields, [["mig.partner_1", "Acme", "A1"], ["mig.partner_2", "Bolt", "B2"]])
    assert first["messages"] == [] and len(first["ids"]) == 2
    again = memory.load("res.partner", fields, [["mig.partner_1", "Acme Corporation", "A1"]])
    assert again["ids"] == first["ids"][:1]
    assert names(memory, []) == ["Acme Corporation", "Bolt"]
    assert memory.resolve_xmlids(["mig.partner_1"]) == {"mig.partner_1": ("res.partner", first["ids"][0])}


def test_load_resolves_relations_by_external_id(memory):
    us = memory.seed("res.country", {"name": "United States"}, xmlid="base.us")
    result = memory.load("res.partner", ["id", "name", "country_id/id"], [["mig.p1", "Acme", "base.us"]])
    assert memory.read("res.partner", result["ids"], ["country_id"])[0]["country_id"][0] == us


def test_load_error_writes_nothing(memory):
    memory.seed("res.country", {"name": "United States"}, xmlid="base.us")
    result = memory.load(
        "res.partner",
        ["id", "name", "country_id/id"],
        [["mig.p1", "Acme", "base.us"], ["mig.p2", "Bolt", "base.xx"]],
    )
    assert result["ids"] is False
    assert result["messages"] == [
        {"type": "error", "record": 1, "field": "country_id", "message": "No matching record found for external id 'base.xx' in field 'country_id'"}
    ]
    assert memory.all("res.partner") == []
    assert memory.resolve_xmlids(["mig.p1"]) == {}


def test_unknown_model_is_a_missing_app():
    gateway = MemoryGateway(models={"res.partner"})
    with pytest.raises(OdooAppMissing) as info:
        gateway.search_read("mrp.production", [], ["name"])
    assert "mrp.production" in info.value.line()


def test_modules(memory):
    assert memory.installed_modules() == {"base"}
    memory.seed("ir.module.module", {"name": "stock", "state": "uninstalled"})
    with pytest.raises(OdooAppMissing):
        memory.require_modules("stock")
    assert memory.install_modules(["stock", "base"]) == ["stock"]
    memory.require_modules("stock")
    with pytest.raises(OdooAppMissing) as info:
        memory.install_modules(["helpdesk"])
    assert "helpdesk" in info.value.line()


def test_round_trips_are_counted(memory, partners):
    memory.calls.clear()
    memory.read("res.partner", list(partners.values()), ["name"])
    memory.search_read("res.partner", [], ["name"])
    assert memory.round_trips() == 2 and memory.round_trips("read") == 1


def test_web_links_name_the_database():
    from odookit.odoo.memory import MemoryGateway

    gw = MemoryGateway()
    gw.db = "acme prod"
    assert gw.web_url("sale.order", 7) == "memory://odoo/web?db=acme%20prod#model=sale.order&id=7&view_type=form"


def test_active_test_false_in_the_context_finds_archived_records(memory):
    memory.seed("res.users", {"login": "gone", "active": False})
    assert memory.search_read("res.users", [], ["login"]) == []
    assert [u["login"] for u in memory.search_read("res.users", [], ["login"], context={"active_test": False})] == ["gone"]
    assert memory.search_read("res.users", [], ["login"]) == [], "the context of one call does not leak into the next"
