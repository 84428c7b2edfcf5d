"""The reporting period: --since/--until as dates, and the UTC bounds Odoo's datetimes are compared with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from odookit.errors import UserError

DEFAULT_DAYS = 90


class KpiError(UserError):
    """A KPI report cannot be computed from what was asked (period, targets, workspace)."""


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date  # inclusive

    @property
    def start(self) -> str:
        """First instant, as Odoo writes datetimes (UTC, no zone)."""
        return f"{self.since.isoformat()} 00:00:00"

    @property
    def end(self) -> str:
        """The instant after the last day (exclusive bound)."""
        return f"{(self.until + dt.timedelta(days=1)).isoformat()} 00:00:00"

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def as_dict(self) -> dict:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(), "days": self.days}


def _date(text: str | None, option: str) -> dt.date | None:
    if text in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise KpiError(f"{option} {text!r} is not a date", where=option, fix="Write it as YYYY-MM-DD, e.g. 2026-11-30.") from None


def parse_period(since: str | None, until: str | None, today: dt.date | None = None) -> Period:
    """The period asked for; by default the last ``DEFAULT_DAYS`` days up to today."""
    end = _date(until, "--until") or today or dt.date.today()
    start = _date(since, "--since") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise KpiError(f"--since {start} is after --until {end}", where="--since",
                       fix="Give a --since on or before --until.")
    return Period(start, end)


def day_of(value) -> dt.date | None:
    """The day of an Odoo date or datetime string (False/None stay None)."""
    if not value:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def group_day(group: dict, spec: str) -> dt.date | None:
    """The day of a read_group row grouped by ``field:day`` (from its range: the label is localised)."""
    span = (group.get("__range") or {}).get(spec)
    if span:
        return day_of(span.get("from"))
    try:
        return day_of(group.get(spec))
    except ValueError:
        return None


def instant(value) -> dt.datetime | None:
    if not value:
        return None
    text = str(value)
    return dt.datetime.fromisoformat(text if len(text) > 10 else f"{text} 00:00:00")


def week_of(value) -> str | None:
    day = day_of(value)
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
