"""Turn what an Odoo server says into odookit's one-line user errors.

Both transports (JSON-RPC and JSON-2) report failures as an exception class
name plus a message; this is the single place that reads them.
"""

from __future__ import annotations

import re

from odookit.errors import (
    OdooAccessDenied,
    OdooAppMissing,
    OdooAuthError,
    OdooDatabaseMissing,
    OdooError,
    OdooRejected,
)


def first_line(message: str) -> str:
    lines = [ln.strip() for ln in str(message).strip().splitlines() if ln.strip()]
    return lines[0] if lines else "no message"


def from_server(name: str, message: str, *, url: str, db: str, model: str = "", method: str = "") -> OdooError:
    """Map an Odoo exception (by class name and message) to an odookit error."""
    text = first_line(message)
    where = f"{url} db={db}" + (f" {model}.{method}" if model else "")
    if name.endswith("AccessDenied"):
        return OdooAuthError(
            "login or password rejected by the server",
            where=where,
            fix="Check the target's login and the password in the environment or keyring.",
        )
    if name.endswith("AccessError"):
        return OdooAccessDenied(
            f"access denied on {model} ({method}): {text}",
            where=where,
            fix="Give the user the group that grants this right, or use another login.",
        )
    if re.search(r'database "[^"]+" does not exist', message) or (
        "KeyError" in name and db and f"'{db}'" in message
    ):
        return OdooDatabaseMissing(
            f"database '{db}' does not exist on the server",
            where=url,
            fix="Check `database` in the target, or create it (the database manager or `odoo -d`).",
        )
    if (name.endswith("KeyError") and model and model in message) or re.search(
        r"Object [\w.]+ doesn't exist|model [\w.]+ does not exist", message, re.I
    ):
        return OdooAppMissing(
            f"model {model} is not available: its app is not installed",
            where=where,
            fix="Install the app that provides it, or run `odookit blueprint apply`.",
        )
    if name.endswith(("UserError", "ValidationError", "RedirectWarning", "MissingError")) or "IntegrityError" in name:
        return OdooRejected(text, where=where)
    return OdooError(f"server error {name.rsplit('.', 1)[-1]}: {text}", where=where)
