"""Which UAT role users a finishing run archives: its own, and those of runs no longer alive.

A run's role users carry its prefix in their login (``uat-<yyyymmddHHMMSS>-<hex>_<role>``)
and their generated passwords die with the run, so a finishing run archives them, and
also the users an earlier run left active when its server or machine died. Several runs
may share one database (two consultants, a CI job beside a person): a run still in
progress must keep its users. Each run therefore says it is alive, in the database the
runs share, as an ``ir.config_parameter`` ``odookit.uat_run.<prefix>`` holding the UTC
time it last did so (at its start and then at most once a minute, as its scenarios
begin), and removes it when it finishes. A run whose mark is older than
``STALE_AFTER`` died; one without a mark finished (or predates the marks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from odookit.errors import OdooAccessDenied

MARK = "odookit.uat_run."
STALE_AFTER = timedelta(minutes=30)  # far beyond one scenario: a mark this old belongs to a run that died
BEAT_EVERY = timedelta(minutes=1)
RUN_LOGIN = re.compile(r"^(uat-\d{14}-[0-9a-f]{4})_")  # the logins RunState.user_for() makes: <prefix>_<role>


def run_of(login: str) -> str | None:
    """The run prefix (lower case) of a UAT role user's login; None for anyone else."""
    found = RUN_LOGIN.match(login or "")
    return found.group(1) if found else None


def users_to_archive(users: list[dict], own: str, alive: dict[str, datetime], now: datetime,
                     stale: timedelta = STALE_AFTER) -> list[int]:
    """Ids of the UAT role users (``{"id", "login"}``) a finishing run ``own`` archives:
    its own, and those of runs whose last sign of life in ``alive`` is missing or older than ``stale``."""
    out = set()
    for user in users:
        run = run_of(user["login"])
        if run is None:
            continue
        seen = alive.get(run)
        if run == own.lower() or seen is None or now - seen > stale:
            out.add(user["id"])
    return sorted(out)


class Heartbeat:
    """This run's mark in the shared database, written through ``gateway()`` (the run's admin connection).

    Marks need the right to write system parameters (Settings); a target login without it
    (``blind``) cannot tell other runs' state, and the run then archives its own users only.
    """

    def __init__(self, gateway: Callable, prefix: str):
        self.gateway = gateway
        self.key = MARK + prefix.lower()
        self.last: datetime | None = None
        self.blind = False

    def beat(self, now: datetime | None = None) -> None:
        now = now or datetime.now(timezone.utc)
        if self.blind or self.last is not None and now - self.last < BEAT_EVERY:
            return
        gw = self.gateway()
        value = now.isoformat(timespec="seconds")
        try:
            found = gw.search("ir.config_parameter", [("key", "=", self.key)])
            if found:
                gw.write("ir.config_parameter", found, {"value": value})
            else:
                gw.create("ir.config_parameter", [{"key": self.key, "value": value}])
        except OdooAccessDenied:
            self.blind = True
            return
        self.last = now

    def marks(self) -> dict[str, tuple[datetime, int]]:
        """Every run's last sign of life: run prefix -> (UTC time, id of its mark)."""
        if self.blind:
            return {}
        rows = self.gateway().search_read("ir.config_parameter", [("key", "=like", MARK + "%")], ["key", "value"])
        out = {}
        for row in rows:
            try:
                seen = datetime.fromisoformat(row["value"])
            except (TypeError, ValueError):
                seen = datetime.min.replace(tzinfo=timezone.utc)  # unreadable: counts as a run that died
            out[row["key"][len(MARK):]] = (seen, row["id"])
        return out
