"""The desired state: records odookit wants in Odoo, as plain JSON-able data.

Relational values are tagged dicts rather than classes so that a plan saved
to JSON can be applied exactly as saved:

- ``{"$ref": xmlid}``: a many2one to the record with that external ID;
- ``{"$refs": [xmlid, ...], "$exact": bool}``: a many2many; exact replaces
  the set, otherwise the listed records are only added (used on records odookit
  does not own, such as base.group_user);
- ``{"$lines": [{...}, ...], "$model": model}``: one2many lines owned by the
  record (payment term lines, pricelist items), compared as a whole;
- ``{"$chart": name, "$company": xmlid}``: a many2one to the record a company's
  chart of accounts created from its template record ``name`` (a tax such as
  btw_21): Odoo names it ``account.<company id>_<name>``, so the external ID
  is only known once the company exists, at plan or apply time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


def ref(xmlid: str) -> dict:
    return {"$ref": xmlid}


def refs(xmlids, *, exact: bool = True) -> dict:
    return {"$refs": sorted(set(xmlids)), "$exact": exact}


def lines(model: str, rows: list[dict]) -> dict:
    return {"$lines": rows, "$model": model}


def chart_ref(company_xmlid: str, name: str) -> dict:
    return {"$chart": name, "$company": company_xmlid}


def chart_xmlid(value: dict, company_id: int | None) -> str:
    """The external ID Odoo gives the chart record ``value`` names in the company with that id."""
    return f"account.{company_id}_{value['$chart']}" if company_id else f"account.<{value['$company']}>_{value['$chart']}"


def chart_refs(company_xmlid: str, names) -> dict:
    """A many2many (exact) to several of a company's chart records."""
    return {"$charts": sorted(set(names)), "$company": company_xmlid}


def is_chart_ref(value: Any) -> bool:
    return isinstance(value, dict) and "$chart" in value


def is_chart_refs(value: Any) -> bool:
    return isinstance(value, dict) and "$charts" in value


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" in value


def is_refs(value: Any) -> bool:
    return isinstance(value, dict) and "$refs" in value


def is_lines(value: Any) -> bool:
    return isinstance(value, dict) and "$lines" in value


def referenced_xmlids(values: dict) -> set[str]:
    found: set[str] = set()
    for value in values.values():
        if is_ref(value):
            found.add(value["$ref"])
        elif is_refs(value):
            found.update(value["$refs"])
        elif is_chart_ref(value) or is_chart_refs(value):
            found.add(value["$company"])
        elif is_lines(value):
            for row in value["$lines"]:
                found |= referenced_xmlids(row)
    return found


@dataclass
class Desired:
    """One record as the blueprint wants it.

    ``adopt`` names an existing record to take over instead of creating one:
    either another external ID (``base.main_company``) or ``parent_xmlid/field``
    for records Odoo creates itself (a warehouse's delivery operation type).
    Adopted records get odookit's external ID bound to them.

    ``company`` (a company's external ID) marks values of company-dependent
    fields (a category's costing method...): Odoo keeps one value per company,
    so they are read and written as that company, on the record the entry
    without ``company`` creates.

    ``retire`` marks a record the blueprint no longer wants (a credit-hold rule
    after credit became "warn"): its values switch it off where it exists, and
    it is never created.
    """

    model: str
    xmlid: str
    values: dict[str, Any]
    adopt: str | None = None
    label: str = ""
    company: str | None = None
    retire: bool = False

    @property
    def key(self) -> str:
        return f"{self.xmlid}@{self.company}" if self.company else self.xmlid

    def depends(self) -> set[str]:
        deps = referenced_xmlids(self.values)
        if self.adopt and "/" in self.adopt:
            deps.add(self.adopt.split("/", 1)[0])
        elif self.adopt:
            deps.add(self.adopt)
        deps.discard(self.xmlid)
        if self.company:
            deps |= {self.company, self.xmlid}
        return deps

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class DesiredState:
    module: str
    modules: list[str]  # Odoo apps the configuration needs installed
    records: list[Desired]
    charts: dict[str, str] = field(default_factory=dict)  # company external ID -> chart template code to load

    def by_xmlid(self) -> dict[str, Desired]:
        """The record each external ID names (not its per-company values)."""
        return {r.xmlid: r for r in self.records if not r.company}

    def ordered(self) -> list[Desired]:
        """Records in dependency order (a record after everything it references)."""
        index = self.by_xmlid()
        own = self.module + "."
        done: set[str] = set()
        out: list[Desired] = []
        visiting: set[str] = set()

        def visit(rec: Desired) -> None:
            if rec.key in done:
                return
            if rec.key in visiting:
                raise ValueError(f"dependency cycle through {rec.key}")
            visiting.add(rec.key)
            for dep in sorted(rec.depends()):
                # only records this state creates impose an order; other modules'
                # records (base.user_admin...) exist before anything is applied
                if dep in index and dep.startswith(own):
                    visit(index[dep])
            visiting.discard(rec.key)
            done.add(rec.key)
            out.append(rec)

        for rec in self.records:
            visit(rec)
        return out
