"""Retries with backoff for every transport, and the one message for a server that does not answer.

What may be retried depends on whether the request can have reached Odoo:
a refused connection or an unknown host never did, so anything is retried;
a timeout, a dropped connection or a gateway error (502/504) may hide a
write that was applied, so only reads are retried then. Waits stay short
(0.5 s then 1 s): a server that is down is reported in about two seconds.

A server that answers "not now" (a scheduled action holds the lock a module
install needs, a transaction met another one: see
:func:`odookit.odoo.errors_map.is_busy`) rolled the request back, so any
request is sent again, with longer waits (2, 4, 8, 16 s), each retry said in
one line on the ``odookit`` logger (the CLI prints it on stderr). Permanent
errors are never retried.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
import urllib.error
from collections.abc import Callable
from typing import Literal

from odookit.errors import OdooBusy, OdooUnreachable

RETRIES = 3
BACKOFF = 0.5
BUSY_RETRIES = 5  # attempts, so 2 + 4 + 8 + 16 = 30 s of waiting at most
BUSY_BACKOFF = 2.0

log = logging.getLogger("odookit.odoo")

Verdict = Literal["never_sent", "maybe_sent"] | None


def sleep(seconds: float) -> None:  # a seam for tests
    time.sleep(seconds)


def classify(exc: BaseException) -> Verdict:
    """Whether a failure means the request never reached the server, may have, or is no connection problem."""
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code == 503:
            return "never_sent"
        return "maybe_sent" if exc.code in (502, 504) else None
    reason = getattr(exc, "reason", exc) if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError | socket.gaierror):
        return "never_sent"
    if isinstance(reason, ssl.SSLError):
        return None
    if isinstance(reason, TimeoutError | socket.timeout | ConnectionError):
        return "maybe_sent"
    if isinstance(exc, urllib.error.URLError | OSError):
        return "maybe_sent"
    name = type(exc).__name__
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if name == "HTTPStatusError" and status in (502, 503, 504):
        return "never_sent" if status == 503 else "maybe_sent"
    if type(exc).__module__.startswith("httpx"):
        if name in ("ConnectError", "ConnectTimeout"):
            return "never_sent"
        if name in ("ReadTimeout", "WriteTimeout", "PoolTimeout", "ReadError", "WriteError", "RemoteProtocolError"):
            return "maybe_sent"
    return None


def describe(exc: BaseException) -> str:
    """A few words on why the server did not answer."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if type(exc).__name__ == "HTTPStatusError":
        return f"HTTP {exc.response.status_code} {exc.response.reason_phrase}"
    reason = getattr(exc, "reason", exc) if isinstance(exc, urllib.error.URLError) else exc
    text = str(reason).lower()
    if isinstance(reason, ConnectionRefusedError) or "refused" in text:
        return "connection refused"
    if isinstance(reason, socket.gaierror) or "name or service not known" in text or "nodename" in text:
        return "unknown host"
    if isinstance(reason, TimeoutError | socket.timeout) or "timeout" in type(reason).__name__.lower() or "timed out" in text:
        return "timed out"
    if isinstance(reason, ConnectionError) or "disconnected" in text or "reset" in text:
        return "connection closed by the server"
    return str(reason) or type(reason).__name__


def with_retries(call: Callable, *, url: str, idempotent: bool, attempts: int = RETRIES):
    """``call()``, retried with backoff on connection failures that are safe to retry.

    Failures that are no connection problem (an Odoo error, a bug) propagate
    unchanged; connection failures end as one ``OdooUnreachable``.
    """
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None:
                raise
            retry = verdict == "never_sent" or idempotent
            if retry and attempt < attempts:
                sleep(BACKOFF * 2 ** (attempt - 1))
                continue
            tries = f" after {attempt} attempts" if attempt > 1 else ""
            maybe = "" if verdict == "never_sent" or idempotent else "; the change may have been applied, plan again to see"
            raise OdooUnreachable(
                f"cannot reach the server{tries} ({describe(exc)}{maybe})",
                where=url,
                fix="Check that Odoo is running and the target's url is right.",
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def while_busy(call: Callable, *, what: str, attempts: int = BUSY_RETRIES):
    """``call()``, sent again with backoff while the server answers that it is busy.

    ``what`` names the request (``url model.method``) in the line said before each retry.
    """
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except OdooBusy as exc:
            if attempt == attempts:
                exc.message = f"{exc.message} (still busy after {attempts} attempts)"
                exc.args = (exc.line(),)
                raise
            wait = BUSY_BACKOFF * 2 ** (attempt - 1)
            log.warning("%s: the server is busy (%s); retrying in %g s (attempt %d of %d)",
                        what, exc.message.removeprefix("the server is busy: "), wait, attempt + 1, attempts)
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
