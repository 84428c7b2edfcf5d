"""The JSON-2 transport of Odoo 19 on an httpx stand-in: what it sends, and the edition it decides."""

from __future__ import annotations

import json

import httpx
import pytest


def server(installed_enterprise: bool, seen: list):
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, dict(request.headers), json.loads(request.content or b"{}")))
        if request.url.path == "/json/2/res.users/context_get":
            return httpx.Response(200, json={"uid": 2})
        if request.url.path == "/json/2/ir.module.module/search":
            return httpx.Response(200, json=[77] if installed_enterprise else [])
        return httpx.Response(200, json=[{"id": 1, "name": "Acme"}])

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(("enterprise", "edition"), [(False, "community"), (True, "enterprise")])
def test_edition_comes_from_installed_modules_never_the_plus_e(enterprise, edition):
    from odookit.odoo.json2 import Json2Gateway

    seen: list = []
    gw = Json2Gateway("http://odoo19.test", "acme", "admin", "k3y", version="19.0+e-20251227", transport=server(enterprise, seen))
    assert (gw.info.version, gw.info.major, gw.info.edition, gw.uid) == ("19.0", 19, edition, 2)
    path, _, body = seen[1]
    assert path == "/json/2/ir.module.module/search"
    assert body == {"domain": [["name", "=", "web_enterprise"], ["state", "=", "installed"]]}


def test_every_call_names_the_database_and_passes_arguments_by_name():
    from odookit.odoo.json2 import Json2Gateway

    seen: list = []
    gw = Json2Gateway("http://odoo19.test", "acme", "admin", "k3y", version="19.0", transport=server(False, seen))
    gw.read("res.partner", [1], ["name"])
    gw.load("res.partner", ["id", "name"], [["acme.x", "X"]])
    for _, headers, _ in seen:
        assert headers["x-odoo-database"] == "acme" and headers["authorization"] == "bearer k3y"
    assert [(p, b) for p, _, b in seen[-2:]] == [
        ("/json/2/res.partner/read", {"fields": ["name"], "ids": [1]}),
        ("/json/2/res.partner/load", {"fields": ["id", "name"], "data": [["acme.x", "X"]]}),
    ]
