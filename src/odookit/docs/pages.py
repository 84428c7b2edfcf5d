"""Markdown pages of the site, each from one part of the workspace.

Every reader is tolerant: a part that has not run yet (no audit, no
migration report, no UAT run) gives a page that says so instead of failing
the build, because the site is published from the first day of an engagement.
"""

from __future__ import annotations

import json
from pathlib import Path

PAGES_DIR = "pages"
AUDIT_PAGE = "governance-audit.md"


def cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> Path:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path


# -- governance ----------------------------------------------------------------


def role_matrix_page(matrix) -> str:
    out = ["# Role matrix\n",
           "Each blueprint role is an Odoo group (`<module>.role_<code>`) that implies the groups below. "
           "**x** = the role names the group, **·** = it comes with an implied group.\n"]
    for app, cols in matrix.apps().items():
        out.append(f"\n## {app}\n")
        rows = [[r.name] + [{"direct": "x", "implied": "·"}.get(matrix.cells[r.code].get(c.xmlid, ""), "") for c in cols]
                for r in matrix.roles]
        out.append(table(["Role"] + [f"{c.name}<br>`{c.xmlid}`" for c in cols], rows))
    out.append("\n## RACI by process\n\nR = responsible, A = accountable, C = consulted, I = informed.\n\n")
    rows = [[p.name, p.area] + [matrix.raci[p.code].get(r.code, "") for r in matrix.roles] for p in matrix.processes]
    out.append(table(["Process", "Area"] + [r.name for r in matrix.roles], rows))
    if matrix.notes:
        out.append("\n" + "\n".join(f"- {n}" for n in matrix.notes) + "\n")
    out.append("\n## Roles\n\n")
    out.append(table(["Code", "Role", "Description", "Odoo groups"],
                     [[r.code, r.name, r.description, ", ".join(f"`{g}`" for g in r.direct)] for r in matrix.roles]))
    return "".join(out)


def sod_page(policy, check: dict | None, audit: dict | None) -> str:
    out = ["# Segregation of duties\n",
           "A role or a user breaks a rule when its Odoo groups (implied groups included) reach both duties. "
           "When a single standard Odoo group carries both duties the conflict is *inherent*: it is shown as a "
           "warning and the mitigation applies.\n",
           "\n## Latest check of the blueprint's roles\n\n"]
    if check:
        out.append(f"*{check['summary']}* ({check['at']}).\n\n")
        rows = [[c["severity"], c["subject"], c["rule"], c["title"],
                 "inherent in " + ", ".join(sorted(set(c["causes_a"]) & set(c["causes_b"]))) if c["inherent"]
                 else f"{', '.join(c['causes_a'])} / {', '.join(c['causes_b'])}",
                 c["accepted_reason"] or c["mitigation"]] for c in check["conflicts"]]
        out.append(table(["Severity", "Role", "Rule", "Conflict", "Caused by", "Mitigation / acceptance"], rows) if rows
                   else "No conflict.\n")
    else:
        out.append("Not run yet (`odookit governance check`).\n")
    out.append("\n## Latest audit of live users\n\n")
    if audit:
        out.append(f"*{audit['summary']}* ({audit['at']}). Details: [user audit]({AUDIT_PAGE}).\n")
    else:
        out.append("Not run yet (`odookit governance audit -t TARGET`).\n")
    out.append("\n## Rules in force\n")
    for rule in policy.rules:
        out.append(f"\n### {rule.code}: {rule.title}\n\n")
        out.append(f"Severity: **{rule.severity}**. {rule.rationale}\n\n")
        out.append(table(["Duty", "Odoo groups"], [
            [rule.duty_a.name, ", ".join(f"`{g.replace('{module}', policy.module)}`" for g in rule.duty_a.groups)],
            [rule.duty_b.name, ", ".join(f"`{g.replace('{module}', policy.module)}`" for g in rule.duty_b.groups)],
        ]))
        if rule.mitigation:
            out.append(f"\nMitigation: {rule.mitigation}\n")
    if policy.accepted:
        out.append("\n## Accepted conflicts\n\n")
        out.append(table(["Rule", "Role or user", "Reason", "Mitigation", "Approved by"],
                         [[a.rule, a.role or a.user, a.reason, a.mitigation or "", a.approved_by or ""] for a in policy.accepted]))
    return "".join(out)


def audit_page(audit: dict | None) -> str:
    out = ["# User audit\n\n"]
    if not audit:
        return out[0] + "Not run yet. Run `odookit governance audit -t TARGET` to read the live users of a target.\n"
    out.append(f"Target **{audit['target']}** (database `{audit['database']}`), {audit['at']}.\n\n*{audit['summary']}*\n\n")
    out.append(f"An active user counts as unused after {audit['inactive_after_days']} days without a login. One that "
               "holds an API key is marked key-only instead: Odoo records no use of a key (a call with it sets no last "
               "login), so whether such an account is still used cannot be read from Odoo; ask its owner.\n\n")
    active = [u for u in audit["users"] if u["active"]]
    archived = len(audit["users"]) - len(active)
    rows = [[u["login"], u["name"], u["last_login"] or "never", ", ".join(u["roles"]) or "-", ", ".join(u["flags"]) or "ok"]
            for u in active]
    out.append(table(["Login", "Name", "Last login", "Roles", "Findings"], rows))
    if archived:
        out.append(f"\n{archived} archived account(s) are not shown: they cannot sign in (UAT archives the users of "
                   "each run). The audit workbook lists them.\n")
    conflicts = [[u["login"], c["severity"], c["rule"], c["title"], ", ".join(c["causes_a"]), ", ".join(c["causes_b"])]
                 for u in active for c in u["conflicts"]]
    out.append("\n## SoD conflicts\n\n" + (table(["Login", "Severity", "Rule", "Conflict", "Duty A from", "Duty B from"], conflicts)
                                          if conflicts else "None.\n"))
    extra = [[u["login"], g, audit.get("labels", {}).get(g, "")] for u in active for g in u["beyond_role"]]
    out.append("\n## Rights beyond the blueprint role\n\n" + (table(["Login", "Group", "Label"], extra) if extra else "None.\n"))
    return "".join(out)


def write_audit_page(ws, audit: dict) -> Path:
    return _write(ws.docs / PAGES_DIR / AUDIT_PAGE, audit_page(audit))


def thresholds_page(ctx: dict) -> str:
    t = ctx["thresholds"]
    out = ["# Approval thresholds\n\nFrom the blueprint; enforced in Odoo by the settings and automations that "
           "`odookit blueprint apply` writes.\n\n"]
    rows = []
    if t["discount"]["above"] is not None:
        rows.append(["Sales discount", f"above {t['discount']['above']:g}% per line", t["discount"]["role"], "confirmation refused until approved"])
    rows.append(["Customer credit", f"over the limit (default {t['credit']['default_limit']:,.0f})", t["credit"]["release_role"] or "-",
                 f"policy: {t['credit']['action']}"])
    for seg in t["credit"]["segments"]:
        rows.append([f"Credit segment {seg['name']}", f"limit {seg['limit']:,.0f}", t["credit"]["release_role"] or "-", ""])
    if t["inventory_adjustment"]["above"] is not None:
        rows.append(["Inventory adjustment", f"above {t['inventory_adjustment']['above']:,.0f} in value", t["inventory_adjustment"]["role"], "apply refused until approved"])
    for p in t["purchase"]:
        rows.append([f"Purchase order, {p['company_name']}", f"above {p['above']:,.0f} {p['currency']}" if p["above"] is not None else "no double validation",
                     "purchase administrator", "order waits in To Approve"])
    from odookit.sop_templates.policies import threshold_rows

    rows += threshold_rows(ctx)
    out.append(table(["Control", "Threshold", "Approver", "In Odoo"], rows))
    return "".join(out)


GLOSSARY = [
    ("Backorder", "The part of a transfer not done when it was validated; Odoo keeps it as a new transfer."),
    ("Blueprint", "The YAML files describing the client's agreed configuration; odookit turns them into Odoo records."),
    ("Credit hold", "An order refused at confirmation because the customer would exceed the credit limit."),
    ("Double validation", "A purchase order above the company's threshold needs a purchase administrator's approval."),
    ("Inherent conflict", "A segregation-of-duties conflict carried by one standard Odoo group; mitigated, not removed."),
    ("Lot / serial number", "Traceability of a product's units; required for lot- or serial-tracked categories."),
    ("Pick / Pack / Ship", "The delivery steps of a warehouse; a site may use one, two or three of them."),
    ("Pricelist", "The prices and discounts a customer gets; set on the customer."),
    ("RACI", "Responsible, Accountable, Consulted, Informed: each role's part in a process."),
    ("Reorder rule", "Min/max quantities per product and warehouse that trigger replenishment."),
    ("Reservation", "Stock set aside for a confirmed delivery."),
    ("Role", "A set of Odoo groups a person holds, defined in the blueprint (Odoo group `<module>.role_<code>`)."),
    ("SoD", "Segregation of duties: two duties that one person must not hold together."),
    ("SOP", "Standard operating procedure: how a standard workflow is run in Odoo."),
    ("UAT", "User acceptance testing: scenarios the client signs off before go-live."),
]


def glossary_page() -> str:
    return "# Glossary\n\n" + table(["Term", "Meaning"], [list(g) for g in GLOSSARY])


# -- other capabilities' outputs ----------------------------------------------------


def _jsonl(path: Path) -> list[dict]:
    rows = []
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            rows.append(value)
    return rows


def _short(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def changelog_page(ws, limit: int = 500) -> str:
    rows = _jsonl(ws.state / "changelog.jsonl")
    out = ["# Change log of applies\n\n"]
    if not rows:
        return out[0] + "No apply recorded yet (`odookit blueprint apply` writes `.odookit/changelog.jsonl`).\n"
    rows = rows[-limit:][::-1]
    out.append(f"The {len(rows)} most recent changes, newest first.\n\n")
    out.append(table(["When", "User", "Target", "Model", "External ID", "Operation", "Before", "After"],
                     [[r.get("at"), r.get("user"), r.get("target"), r.get("model"), r.get("xmlid"), r.get("op"),
                       _short(r.get("before")), _short(r.get("after"))] for r in rows]))
    return "".join(out)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _when(path: Path) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(path.stat().st_mtime).isoformat(sep=" ", timespec="minutes")


MIGRATION_REPORT = Path("migration") / "reports" / "validation.json"


def migration_page(ws, limit: int = 200) -> str:
    """The last ``odookit migrate validate``: per entity, then the findings (errors first)."""
    path = ws.root / MIGRATION_REPORT
    out = "# Migration validation\n\n"
    data = _read_json(path)
    if data is None:
        return out + f"Not run yet (`odookit migrate validate` writes `{MIGRATION_REPORT.as_posix()}`).\n"
    if not isinstance(data, dict) or not isinstance(data.get("summary"), list):
        return out + f"`{MIGRATION_REPORT.as_posix()}` could not be read; run `odookit migrate validate` again.\n"
    out += (f"Last validation {_when(path)}: **{data.get('errors', 0)} error(s), {data.get('warnings', 0)} warning(s)**. "
            "The annotated workbooks and `validation.html` are in `migration/reports/`.\n\n")
    out += table(["Entity", "Rows", "Errors", "Warnings", "Rows with errors"],
                 [[s.get("entity"), s.get("rows"), s.get("errors"), s.get("warnings"), s.get("bad_rows")]
                  for s in data["summary"] if isinstance(s, dict)])
    findings = [f for f in data.get("findings") or [] if isinstance(f, dict)]
    findings.sort(key=lambda f: f.get("severity") != "error")
    if findings:
        shown = findings[:limit]
        more = f" (the first {limit} of {len(findings)})" if len(findings) > limit else ""
        out += f"\n## Findings{more}\n\n" + table(
            ["Severity", "Sheet", "Cell", "Column", "Problem"],
            [[f.get("severity"), f.get("sheet"), f.get("cell"), f.get("column"), f.get("message")] for f in shown])
    return out


def _latest_uat(ws) -> tuple[Path, dict] | None:
    """The newest run.json that ``odookit uat run`` left under .odookit/uat_reports/."""
    runs = sorted((ws.state / "uat_reports").glob("*/run.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in runs:
        data = _read_json(path)
        if isinstance(data, dict) and isinstance(data.get("scenarios"), list):
            return path, data
    return None


def _process_result(scenarios: list[dict]) -> str:
    ran = [s.get("status") for s in scenarios if s.get("status") != "skipped"]
    if not ran:
        return "not run"
    return "passed" if all(s == "passed" for s in ran) else "failed"


def uat_page(ws) -> str:
    out = "# UAT sign-off status\n\n"
    found = _latest_uat(ws)
    if not found:
        return out + "Not run yet (`odookit uat run -t TARGET`).\n"
    path, data = found
    scenarios = [s for s in data["scenarios"] if isinstance(s, dict)]
    counts = {k: sum(s.get("status") == k for s in scenarios) for k in ("passed", "failed", "not run", "skipped")}
    out += (f"Run **{data.get('run', '')}** on target {data.get('target', '')} (database `{data.get('database', '')}`, "
            f"Odoo {data.get('odoo_version', '')}), {data.get('started', '')} to {data.get('finished', '')}: "
            + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".\n\n")
    if data.get("aborted"):
        out += f"!!! warning \"Run aborted\"\n    {cell(data['aborted'])}\n\n"
    out += f"The sign-off sheet to fill in is `{path.parent.relative_to(ws.root).as_posix()}/signoff.xlsx`.\n"
    by_process: dict[str, list[dict]] = {}
    for s in scenarios:
        by_process.setdefault(s.get("feature", ""), []).append(s)
    signoff = [r for r in data.get("signoff") or [] if isinstance(r, dict)]
    out += "\n## Sign-off by process\n\n" + table(
        ["Process", "Result", "Role", "Name", "Date", "Decision"],
        [[r.get("process"), _process_result(by_process.get(r.get("process"), [])), r.get("role"),
          r.get("name") or "", r.get("date") or "", r.get("decision") or "to sign"] for r in signoff])
    ran = [s for s in scenarios if s.get("status") != "skipped"]
    if ran:
        out += "\n## Scenarios run\n\n" + table(
            ["Process", "Scenario", "Result", "Failed step"],
            [[s.get("feature"), _scenario_title(s), s.get("status"),
              next((f"{st.get('keyword')} {st.get('text')}: {_short(st.get('error'))}" for st in s.get("steps") or []
                    if isinstance(st, dict) and st.get("status") == "failed"), "")] for s in ran])
    return out


def _scenario_title(s: dict) -> str:
    example = s.get("example") or {}
    return s.get("name", "") + (" [" + ", ".join(f"{k}={v}" for k, v in example.items()) + "]" if example else "")
