"""``odookit docs build``: assemble the engagement's site in <ws>/docs and build it strictly.

The sources (mkdocs.yml + pages/) are generated into a scratch folder and
built there with ``mkdocs build --strict``; only a build that passed replaces
<ws>/docs/{mkdocs.yml,pages,site}, so a broken template never leaves a
half-published site. The site needs no network to build or to read: no CDN
fonts, and Mermaid diagrams are drawn by a local mermaid.js when one is
available (ODOOKIT_MERMAID_JS, or sop_templates/mermaid.min.js in the
workspace), otherwise shown as their Mermaid source.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from odookit.errors import UserError

MERMAID_ENV = "ODOOKIT_MERMAID_JS"
AREAS = ("Sales", "Warehouse", "Purchasing", "Finance", "Master data and governance")


class DocsError(UserError):
    """The site could not be built."""


@dataclass
class SiteResult:
    config: Path
    site: Path
    pages: list[str] = field(default_factory=list)
    sops: int = 0
    diagrams: str = "source"  # "rendered" when a local mermaid.js is bundled

    def summary(self) -> str:
        return f"{len(self.pages)} pages ({self.sops} SOPs) built into {self.site}; diagrams {self.diagrams}"


def find_mermaid(ws) -> Path | None:
    for candidate in (os.environ.get(MERMAID_ENV), ws.sop_templates / "mermaid.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def mkdocs_config(ws, nav: list, mermaid: bool) -> str:
    head = {
        "site_name": f"{ws.name}: operating procedures",
        "site_description": f"SOPs, roles and controls of {ws.config.engagement.client or ws.name} in Odoo",
        "docs_dir": "pages",
        "site_dir": "site",
        "use_directory_urls": False,
        "nav": nav,
    }
    fence_class = "mermaid" if mermaid else "diagram-source"
    extra_js = "extra_javascript:\n  - assets/javascripts/mermaid.min.js\n" if mermaid else ""
    return yaml.safe_dump(head, sort_keys=False, allow_unicode=True) + f"""\
theme:
  name: material
  font: false
  features:
    - navigation.tabs
    - navigation.sections
    - navigation.top
    - navigation.indexes
    - search.highlight
    - search.suggest
    - toc.follow
plugins:
  - search
extra_css:
  - assets/stylesheets/odookit.css
{extra_js}markdown_extensions:
  - tables
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: {fence_class}
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


CSS = """\
/* Wide matrices scroll instead of squeezing. */
.md-typeset table:not([class]) { font-size: .7rem; }
.md-typeset__table { overflow-x: auto; }
pre.diagram-source { border-left: 4px solid var(--md-accent-fg-color); padding-left: .6rem; }
"""


def _home(ws, bp, sops, check, audit, mermaid: bool) -> str:
    from odookit.docs.pages import table

    out = [f"# {ws.name}\n\n",
           f"Standard operating procedures, roles and controls of **{ws.config.engagement.client or ws.name}** in Odoo, "
           "generated from the engagement's blueprint by odookit. Do not edit these pages: change the blueprint or the "
           "SOP templates and rebuild.\n\n"]
    out.append("## Companies and sites\n\n")
    out.append(table(["Warehouse", "Company", "Receipts", "Deliveries", "Resupplied from"],
                     [[f"{w.name} ({w.code})", w.company, f"{w.reception_steps} step(s)", w.delivery_steps.replace("_", " "),
                       ", ".join(w.resupply_from) or "-"] for w in bp.warehouses]))
    out.append("\n## Procedures\n\n")
    for area in AREAS:
        mine = [s for s in sops if s.area == area]
        if mine:
            out.append(f"**{area}**: " + " · ".join(f"[{s.title}]({s.slug}.md)" for s in mine) + "\n\n")
    out.append("## Status\n\n")
    out.append(f"- Segregation of duties: {check['summary'] if check else 'not checked yet'} ([details](sod.md))\n")
    out.append(f"- User audit: {audit['summary'] if audit else 'not run yet'} ([details](governance-audit.md))\n")
    from odookit.kpi.page import status_line

    out.append(f"- KPIs: {status_line(ws)} ([details](kpis.md))\n")
    out.append("- [Migration validation](migration.md) · [UAT sign-off](uat.md) · [Change log](changelog.md) · "
               "[Engagement run](run.md)\n")
    if not mermaid:
        out.append("\n!!! note \"Diagrams\"\n    Flow diagrams are shown as their Mermaid source: no local mermaid.js was found "
                   f"and this site loads nothing from the internet. Set `{MERMAID_ENV}` to a mermaid.min.js file and rebuild "
                   "to draw them.\n")
    return "".join(out)


def run_page(ws) -> str:
    from odookit.engagement.chain import runs_dir
    from odookit.engagement.report import RunReport, markdown

    return markdown(RunReport.latest(runs_dir(ws)))


def generate(ws, dest: Path) -> SiteResult:
    """Write mkdocs.yml and pages/ into ``dest`` (nothing is built yet)."""
    from odookit.blueprints.loader import load_workspace_blueprint
    from odookit.docs import pages as p
    from odookit.governance.audit import AUDIT_STATE
    from odookit.governance.check import latest, run_check
    from odookit.governance.matrix import role_matrix
    from odookit.governance.policy import load_policy
    from odookit.kpi.page import write_page as kpi_page
    from odookit.sop_templates.context import base_context, sops
    from odookit.sop_templates.render import environment, render

    bp = load_workspace_blueprint(ws)
    policy = load_policy(ws, role_codes=[r.code for r in bp.roles])
    matrix = role_matrix(bp, policy)
    check = run_check(ws).as_dict()
    audit = latest(ws, AUDIT_STATE)
    mermaid = find_mermaid(ws)
    env = environment(ws.sop_templates)
    pages_dir = dest / p.PAGES_DIR
    written: dict[str, str] = {}
    all_sops = sops(ws, bp, matrix)
    for sop in all_sops:
        written[f"{sop.slug}.md"] = render(sop.template, sop.context, env=env)
    written.update({
        "index.md": _home(ws, bp, all_sops, check, audit, bool(mermaid)),
        "role-matrix.md": p.role_matrix_page(matrix),
        "sod.md": p.sod_page(policy, check, audit),
        p.AUDIT_PAGE: p.audit_page(audit),
        "thresholds.md": p.thresholds_page(base_context(ws, bp, matrix)),
        "kpis.md": kpi_page(ws, pages_dir),
        "glossary.md": p.glossary_page(),
        "changelog.md": p.changelog_page(ws),
        "migration.md": p.migration_page(ws),
        "uat.md": p.uat_page(ws),
        "run.md": run_page(ws),
    })
    for name, text in written.items():
        (pages_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (pages_dir / name).write_text(text, encoding="utf-8")
    (pages_dir / "assets" / "stylesheets").mkdir(parents=True, exist_ok=True)
    (pages_dir / "assets" / "stylesheets" / "odookit.css").write_text(CSS, encoding="utf-8")
    if mermaid:
        (pages_dir / "assets" / "javascripts").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mermaid, pages_dir / "assets" / "javascripts" / "mermaid.min.js")
    sop_nav = [{area: [{s.title: f"{s.slug}.md"} for s in all_sops if s.area == area]}
               for area in AREAS if any(s.area == area for s in all_sops)]
    nav = [
        {"Home": "index.md"},
        {"SOPs": sop_nav},
        {"Governance": [{"Role matrix": "role-matrix.md"}, {"Segregation of duties": "sod.md"},
                        {"User audit": p.AUDIT_PAGE}, {"Approval thresholds": "thresholds.md"}]},
        {"Reference": [{"KPIs": "kpis.md"}, {"Glossary": "glossary.md"}]},
        {"Project": [{"Change log": "changelog.md"}, {"Migration validation": "migration.md"}, {"UAT sign-off": "uat.md"},
                     {"Engagement run": "run.md"}]},
    ]
    (dest / "mkdocs.yml").write_text(mkdocs_config(ws, nav, bool(mermaid)), encoding="utf-8")
    return SiteResult(dest / "mkdocs.yml", dest / "site", sorted(written), len(all_sops), "rendered" if mermaid else "source")


def mkdocs_build(config: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(config)],
        capture_output=True, text=True, cwd=config.parent,
    )
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        first = next((ln for ln in lines if ln.startswith(("WARNING", "ERROR"))), lines[-1] if lines else "mkdocs failed")
        raise DocsError(f"mkdocs build --strict failed: {first}", where=str(config),
                        fix="Fix the page or template it names (the site was left as it was).")


def build_site(ws) -> SiteResult:
    ws.docs.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=ws.docs))
    try:
        result = generate(ws, scratch)
        mkdocs_build(result.config)
        for name in ("mkdocs.yml", "pages", "site"):
            target = ws.docs / name
            if target.is_dir():
                old = scratch / f"old-{name}"
                target.rename(old)
            (scratch / name).rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return SiteResult(ws.docs / "mkdocs.yml", ws.docs / "site", result.pages, result.sops, result.diagrams)


def serve(ws, host: str = "127.0.0.1", port: int = 8000, build: bool = True) -> None:
    """Serve the built site on loopback until interrupted."""
    import functools
    import http.server

    if host not in ("127.0.0.1", "localhost", "::1"):
        raise DocsError(f"refusing to serve on {host}", fix="The review server listens on loopback only (127.0.0.1).")
    if build or not (ws.docs / "site" / "index.html").is_file():
        build_site(ws)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ws.docs / "site"))
    with http.server.ThreadingHTTPServer((host, port), handler) as httpd:
        print(f"Serving {ws.docs / 'site'} on http://{host}:{httpd.server_address[1]}/ (Ctrl+C to stop)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
