"""The KPIs odookit computes, as documented on the SOP site (sop_templates/kpis.yaml).

One file holds each KPI's formula, source fields, unit and natural direction,
so the page readers see and the figures the report computes cannot drift
apart. Reading it is cheap: the blueprint's reference check uses the codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

# The Odoo app whose data a KPI reads, as the report names it when it is absent.
APP_LABELS = {
    "stock": "inventory app",
    "sale_stock": "sales app with inventory",
    "purchase_stock": "purchase app",
    "stock_account": "inventory valuation",
    "account": "invoicing app",
}


def app_missing(app: str) -> str:
    """'purchase app not installed (purchase_stock)'."""
    return f"{APP_LABELS.get(app, app)} not installed ({app})"


@dataclass(frozen=True)
class Source:
    """A model and the fields a KPI reads from it, on the Odoo versions that have them
    (``since``/``until``: majors, inclusive; None: no bound)."""

    model: str
    fields: tuple[str, ...]
    since: int | None = None
    until: int | None = None

    def on(self, major: int) -> bool:
        return (self.since is None or major >= self.since) and (self.until is None or major <= self.until)

    @property
    def versions(self) -> str:
        """'Odoo 16-18', 'Odoo 19 and later', or '' for every version."""
        if self.since is None and self.until is None:
            return ""
        if self.until is None:
            return f"Odoo {self.since} and later"
        return f"Odoo {self.since or 16} to {self.until}"


@dataclass(frozen=True)
class KpiDef:
    code: str
    name: str
    unit: str
    direction: str  # at_least | at_most
    suggested_target: str
    app: str
    formula: str
    sources: tuple[Source, ...]
    processes: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The heading id on the site's KPI page (SOP tables link to it)."""
        return self.code.replace("_", "-")

    def sources_on(self, major: int) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.on(major))

    def source_text(self) -> str:
        return "; ".join(f"{s.model}: {', '.join(s.fields)}" + (f" ({s.versions})" if s.versions else "") for s in self.sources)


@cache
def definitions() -> tuple[KpiDef, ...]:
    import yaml

    text = resources.files("odookit.sop_templates").joinpath("kpis.yaml").read_text(encoding="utf-8")
    return tuple(
        KpiDef(
            code=k["code"], name=k["name"], unit=k["unit"], direction=k["direction"],
            suggested_target=k["target"], app=k["app"], formula=k["formula"],
            sources=tuple(Source(s["model"], tuple(s["fields"]), s.get("since"), s.get("until")) for s in k["sources"]),
            processes=tuple(k["processes"]),
        )
        for k in yaml.safe_load(text)["kpis"]
    )


def kpi_codes() -> list[str]:
    return [k.code for k in definitions()]


def by_code(code: str) -> KpiDef:
    return next(k for k in definitions() if k.code == code)
