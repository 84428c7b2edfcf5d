"""Turn what an Odoo server says into odookit's one-line user errors.

Both transports (JSON-RPC and JSON-2) report failures as an exception class
name plus a message; this is the single place that reads them. The texts
matched here are the ones Odoo 16-19 really send (checked against a live 18):

- wrong password: ``odoo.exceptions.AccessDenied`` (odoorpc turns the
  ``uid=False`` answer into "Wrong login ID or password");
- missing database: ``psycopg2.OperationalError`` ... ``database "x" does not exist``;
- missing app: ``UserError`` "Object mrp.production doesn't exist" (16-18),
  a ``KeyError`` naming the model (older);
- access denied: ``odoo.exceptions.AccessError`` "You are not allowed to
  create 'Contact' (res.partner) records." followed by the groups that may;
- busy: ``UserError`` "Odoo is currently processing a scheduled action ...
  please try again later" (a module operation while a cron holds its lock),
  and the PostgreSQL errors of a transaction that met another one
  (``psycopg2.errors.SerializationFailure`` "could not serialize access due to
  concurrent update", ``LockNotAvailable`` "could not obtain lock",
  ``InFailedSqlTransaction`` "current transaction is aborted",
  ``DeadlockDetected``). Odoo rolls the request back in each case, so it may
  be sent again (:mod:`odookit.odoo.retry` does).
"""

from __future__ import annotations

import re

from odookit.errors import (
    OdooAccessDenied,
    OdooAppMissing,
    OdooAuthError,
    OdooBusy,
    OdooDatabaseMissing,
    OdooError,
    OdooRejected,
)

# What each ORM method needs, in the words of Odoo's access rights.
_OPERATIONS = {"create": "create", "write": "write", "unlink": "delete", "load": "create or write"}


# Exception names and message texts of answers that only say "not now".
_BUSY_NAMES = ("SerializationFailure", "LockNotAvailable", "InFailedSqlTransaction", "DeadlockDetected", "TransactionRollbackError")
_BUSY_TEXTS = re.compile(
    r"currently processing a scheduled action|could not serialize access|could not obtain lock"
    r"|current transaction is aborted|deadlock detected|concurrent update",
    re.I,
)


def is_busy(name: str, message: str) -> bool:
    """Whether an Odoo answer is transient: the same request later may well succeed.

    Permanent errors (access, validation, an unknown field...) are never busy,
    whatever their text quotes.
    """
    short = name.rsplit(".", 1)[-1]
    if short in ("AccessError", "AccessDenied", "ValidationError", "MissingError", "ValueError", "KeyError"):
        return False
    return short in _BUSY_NAMES or bool(_BUSY_TEXTS.search(first_line(message)))


def first_line(message: str) -> str:
    """The server's message on one line: its first line, or, when that only
    announces what follows ("The operation cannot be completed:"), the lines
    that say what went wrong (Odoo's "Model: ..." / "Field: ...")."""
    lines = [ln.strip() for ln in str(message).strip().splitlines() if ln.strip()]
    if not lines:
        return "no message"
    if not lines[0].endswith(":"):
        return lines[0]
    detail = [ln.lstrip("- ") for ln in lines[1:] if ln.startswith(("Model:", "Field:"))]
    return " ".join([lines[0], *detail]) if detail else " ".join(ln.lstrip("- ") for ln in lines[:2])


def operation_of(method: str) -> str:
    return _OPERATIONS.get(method, "read" if method else "use")


def allowed_groups(message: str) -> list[str]:
    """The groups Odoo lists after "This operation is allowed for the following groups:"."""
    _, found, tail = str(message).partition("allowed for the following groups")
    if not found:
        return []
    return [m.strip() for m in re.findall(r"^\s*-\s*(.+)$", tail, re.M)]


def missing_model(name: str, message: str, model: str) -> str | None:
    """The model an error says does not exist, or None when it is about something else."""
    match = re.search(r"Object ([\w.]+) doesn't exist|model '?([\w.]+)'? does not exist", message, re.I)
    if match:
        return match.group(1) or match.group(2)
    if name.endswith("KeyError") and model and model in message:
        return model
    return None


def from_server(
    name: str, message: str, *, url: str, db: str, model: str = "", method: str = "", login: str = ""
) -> OdooError:
    """Map an Odoo exception (by class name and message) to an odookit error."""
    text = first_line(message)
    where = f"{url} db={db}" + (f" {model}.{method}" if model else "")
    who = f"user '{login}'" if login else "the user"
    if name.endswith("AccessDenied"):
        return OdooAuthError(
            f"login '{login}' or its password was rejected by the server" if login else "login or password rejected by the server",
            where=f"{url} db={db}",
            fix="Check the target's login and the password in the environment or keyring.",
        )
    if name.endswith("AccessError"):
        groups = allowed_groups(message)
        grant = f"Give {who} one of the groups {', '.join(groups)}" if groups else f"Give {who} a group that grants it"
        return OdooAccessDenied(
            f"access denied: {who} may not {operation_of(method)} {model or 'these'} records ({text.rstrip('.')})",
            where=where,
            fix=f"{grant}, or use another login.",
        )
    if re.search(r'database "[^"]+" does not exist', message) or (
        name.endswith("KeyError") and db and f"'{db}'" in message and not model
    ):
        return OdooDatabaseMissing(
            f"database '{db}' does not exist on the server",
            where=url,
            fix="Check `database` in the target, or create it (the database manager or `odoo -d`).",
        )
    if is_busy(name, message):
        return OdooBusy(
            f"the server is busy: {text}",
            where=where,
            fix="Run the command again in a minute (a scheduled action or another transaction held the records).",
        )
    absent = missing_model(name, message, model)
    if absent:
        app = absent.split(".")[0]
        return OdooAppMissing(
            f"model {absent} does not exist on database '{db}': its app (probably '{app}') is not installed",
            where=where,
            fix="Install the app that provides it (Apps menu, or `odookit blueprint apply` for the apps the blueprint needs).",
        )
    if name.endswith(("UserError", "ValidationError", "RedirectWarning", "MissingError")) or "IntegrityError" in name:
        return OdooRejected(text, where=where)
    return OdooError(f"server error {name.rsplit('.', 1)[-1] or 'without a name'}: {text}", where=where)
