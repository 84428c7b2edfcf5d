"""The SOP site's KPI page: the latest report's figures and charts, then every KPI's definition.

``odookit docs build`` calls :func:`write_page`; without a saved report the
page still documents each KPI (formula, source fields, the SOPs it watches)
and says how to compute the figures. Headings carry fixed ids (the KPI code)
because the SOP pages' KPI tables link to them.
"""

from __future__ import annotations

from pathlib import Path

from odookit.docs.pages import table
from odookit.kpi.charts import kpi_charts
from odookit.kpi.definitions import definitions
from odookit.kpi.outputs import targets_cell

ASSETS = "assets/kpi"


def page_markdown(report) -> tuple[str, dict[str, str]]:
    """The page's Markdown and its chart files (path under pages/ -> SVG text)."""
    files: dict[str, str] = {}
    results = {k.code: k for k in report.kpis} if report else {}
    out = ["# KPIs\n\n"]
    if report:
        p = report.period
        out.append(f"Latest report of target **{report.target}** (database `{report.database}`), {p['since']} to {p['until']}, "
                   f"computed {report.generated_at} in {report.round_trips} round trips. Rerun `odookit kpi report -t {report.target}` "
                   "and rebuild the site to refresh it.\n\n")
        out.append(table(["KPI", "Value", "Target", "Records"],
                          [[f"[{k.name}](#{k.code.replace('_', '-')})", k.shown(), targets_cell(k), k.covered] for k in report.kpis]))
    else:
        out.append("!!! note \"No figures yet\"\n    No KPI report has been computed for this engagement. Run "
                   "`odookit kpi report -t TARGET`, then `odookit docs build`, to show the figures and charts here.\n")
    out.append("\nEach KPI below says how it is computed and from which Odoo models and fields.\n")
    for d in definitions():
        out.append(f"\n## {d.name} {{#{d.anchor}}}\n\n")
        k = results.get(d.code)
        if k:
            out.append(f"**Value:** {k.shown()} · **Records:** {k.covered} · **Targets:** {targets_cell(k)}\n\n")
            if k.detail.get("age_buckets") and k.covered:
                out.append("Open backorders by age: " + ", ".join(f"{label} {n}" for label, n in k.detail["age_buckets"].items()) + "\n\n")
            for dim, svg in kpi_charts(k).items():
                name = f"{ASSETS}/{d.code}-{dim}.svg"
                files[name] = svg
                out.append(f"![{d.name} per {dim}]({name})\n")
            out.append("\n")
        out.append(f"**Formula:** {d.formula}  \n**Unit:** {d.unit} · **Direction:** {d.direction.replace('_', ' ')} · "
                   f"**Suggested target:** {d.suggested_target}\n\n")
        out.append(table(["Model", "Fields"], [[f"`{s.model}`" + (f" ({s.versions})" if s.versions else ""),
                                                 ", ".join(f"`{f}`" for f in s.fields)] for s in d.sources]))
        out.append("\nWatches: " + ", ".join(p.replace("_", " ") for p in d.processes) + "\n")
    return "".join(out), files


def status_line(ws) -> str:
    """One line for the site's home page."""
    from odookit.kpi.report import latest

    report = latest(ws)
    if report is None:
        return "not computed yet (`odookit kpi report -t TARGET`)"
    missed = f", {report.missed} target(s) missed" if report.missed else ""
    return f"{sum(k.value is not None for k in report.kpis)} of {len(report.kpis)} with a figure{missed} ({report.period['since']} to {report.period['until']}, {report.target})"


def write_page(ws, pages_dir: Path, name: str = "kpis.md") -> str:
    """Write the chart files under ``pages_dir`` and return the page's Markdown (the site writes it)."""
    from odookit.kpi.report import latest

    text, files = page_markdown(latest(ws))
    for rel, svg in files.items():
        (pages_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (pages_dir / rel).write_text(svg, encoding="utf-8")
    return text
