"""Odoo Enterprise apps the distribution operating model names, refused on a community target.

A blueprint may carry a section for Helpdesk, Quality, Documents, Planning,
Barcode or inter-company rules (the schema accepts them so that a blueprint
written for an Enterprise client still reads). odookit configures none of
them; on a community database it refuses the whole plan with one line per
section, naming the app, its edition and what odookit does instead, before
the first operation, so nothing is half-applied. The edition comes from the
installed modules (web_enterprise), never from the version string; at
validate it comes from the target's ``edition`` in odookit.toml when set.
"""

from __future__ import annotations

from dataclasses import dataclass

from odookit.errors import BlueprintError, Problems


@dataclass(frozen=True)
class EnterpriseApp:
    name: str
    module: str
    instead: str  # what odookit does on community


APPS: dict[str, EnterpriseApp] = {
    "helpdesk": EnterpriseApp("Helpdesk", "helpdesk",
                              "customer issues are followed as activities on the order or the customer, returns through the returns SOP and the UAT return scenarios"),
    "quality": EnterpriseApp("Quality", "quality_control",
                             "use a warehouse's three-step receipt (reception_steps: 3: input, quality, stock) and the UAT receipt scenarios"),
    "documents": EnterpriseApp("Documents", "documents",
                               "files stay attached to their records (chatter attachments), and the procedures are the published SOP site"),
    "planning": EnterpriseApp("Planning", "planning",
                              "who does what is the blueprint's roles, the role matrix and the segregation-of-duties checks; shifts are planned outside Odoo"),
    "barcode": EnterpriseApp("Barcode", "stock_barcode",
                             "the standard Inventory transfer screens with lots and serial numbers (inventory.lots_and_serials), and batch transfers"),
    "intercompany": EnterpriseApp("Inter-company rules", "account_inter_company_rules",
                                  "each company records its side of an inter-company sale or purchase; stock moves between warehouses of one company through resupply_from"),
}


def sections_in(bp) -> list[str]:
    """The Enterprise sections the blueprint sets, in the order they are listed above."""
    return [key for key in APPS if getattr(bp, key, None) is not None]


def enterprise_problems(bp, smap, edition: str, target: str) -> list[BlueprintError]:
    if edition != "community":
        return []
    problems = []
    for key in sections_in(bp):
        app = APPS[key]
        mark = smap.at((key,)) if smap is not None else None
        problems.append(BlueprintError(
            f"{key}: {app.name} is an Odoo Enterprise app ({app.module}) and target '{target}' runs Odoo community",
            where=str(mark) if mark else "blueprints",
            fix=f"Remove the {key}: section for this target; on community odookit does this instead: {app.instead}.",
        ))
    return problems


def refuse_enterprise_apps(bp, smap, edition: str, target: str) -> None:
    """Raise before anything is planned when the blueprint asks for Enterprise apps on community."""
    from odookit.blueprints.loader import sort_problems

    problems = sort_problems(enterprise_problems(bp, smap, edition, target))
    if problems:
        raise Problems(problems, f"{len(problems)} Enterprise app(s) asked of community target '{target}'; nothing was applied")
