"""The one door to Odoo: everything above this package talks in models, external IDs and values."""

from odookit.odoo.gateway import Gateway, ServerInfo

__all__ = ["Gateway", "ServerInfo", "connect"]


def connect(target, **kwargs):
    from odookit.odoo.connect import connect as _connect

    return _connect(target, **kwargs)
