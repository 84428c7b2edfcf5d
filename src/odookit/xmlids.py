"""External IDs: the identity of everything odookit writes.

``<module>.<kind>_<key>``, with the key folded to what Odoo accepts in an
external ID name. The same function names records in ``blueprint apply``,
the exported module and ``migrate load``, so all paths converge.
"""

from __future__ import annotations

import re


def slug(key: object) -> str:
    """Fold a client code into an external-ID-safe name, keeping it readable.

    Leading zeros are kept ("00123" stays "00123"): they are part of the code.
    """
    text = re.sub(r"[^0-9a-zA-Z]+", "_", str(key).strip()).strip("_").lower()
    if not text:
        raise ValueError(f"cannot make an external ID from {key!r}")
    return text


def xmlid(module: str, kind: str, *keys: object) -> str:
    return f"{module}.{kind}_{'_'.join(slug(k) for k in keys)}"
