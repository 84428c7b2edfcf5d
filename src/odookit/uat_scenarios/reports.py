"""Reports made from a RunResult: cucumber JSON, JUnit XML, HTML sign-off (prints to PDF), xlsx sign-off sheet."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

from odookit.uat_scenarios.evidence import RunResult, write_atomic

CUCUMBER_STATUS = {"passed": "passed", "failed": "failed", "not run": "skipped", "skipped": "skipped"}


def cucumber_json(run: RunResult) -> str:
    """Cucumber's JSON shape, with undefined and not-run steps never reported as passed."""
    features = []
    for feature, scenarios in run.processes().items():
        elements = []
        for s in scenarios:
            steps = []
            for st in s.steps:
                status = "undefined" if st.error.startswith(("undefined step", "ambiguous step")) else CUCUMBER_STATUS[st.status]
                entry = {
                    "keyword": st.keyword + " ", "name": st.text, "line": st.line,
                    "result": {"status": status, "duration": int(st.seconds * 1e9)},
                }
                if st.error:
                    entry["result"]["error_message"] = st.error
                steps.append(entry)
            elements.append({
                "keyword": "Scenario", "id": f"{feature}:{s.line}", "name": s.title, "line": s.line,
                "type": "scenario", "tags": [{"name": "@" + t, "line": s.line} for t in s.tags], "steps": steps,
            })
        first = scenarios[0]
        features.append({"keyword": "Feature", "uri": first.path, "name": feature, "id": feature, "line": 1, "elements": elements})
    return json.dumps(features, indent=2)


def junit_xml(run: RunResult) -> str:
    counts = run.counts()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<testsuites name="odookit uat {escape(run.run)}" tests="{len(run.scenarios)}" failures="{counts["failed"]}" '
        f'skipped="{counts["not run"] + counts["skipped"]}">',
    ]
    for feature, scenarios in run.processes().items():
        fails = sum(s.status == "failed" for s in scenarios)
        skipped = sum(s.status in ("not run", "skipped") for s in scenarios)
        total = sum(s.seconds for s in scenarios)
        out.append(f'  <testsuite name="{escape(feature, {chr(34): "&quot;"})}" tests="{len(scenarios)}" failures="{fails}" skipped="{skipped}" time="{total:.3f}">')
        for s in scenarios:
            attrs = f'classname="{escape(feature, {chr(34): "&quot;"})}" name="{escape(s.title, {chr(34): "&quot;"})}" time="{s.seconds:.3f}"'
            if s.status == "passed":
                out.append(f"    <testcase {attrs}/>")
            elif s.status == "failed":
                out.append(f'    <testcase {attrs}><failure message="{escape(s.reason, {chr(34): "&quot;"})}"/></testcase>')
            else:
                out.append(f'    <testcase {attrs}><skipped message="{escape(s.reason or s.status, {chr(34): "&quot;"})}"/></testcase>')
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def html_report(run: RunResult) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return env.get_template("report.html.j2").render(run=run, counts=run.counts(), processes=run.processes())


def xlsx_report(run: RunResult) -> bytes:
    """Names come from feature files: text that looks like a formula is written as text (quote prefix), never evaluated."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from odookit.migration import escape as xlsx_escape

    wb = Workbook()
    ws = wb.active
    ws.title = "Scenarios"
    header = ["Process", "Scenario", "Tags", "Result", "Reason", "Seconds"]
    ws.append(header)
    fills = {"passed": "C6EFCE", "failed": "FFC7CE", "not run": "FFEB9C", "skipped": "EDEDED"}
    for s in run.scenarios:
        ws.append(xlsx_escape.row(ws, (s.feature, s.title, " ".join("@" + t for t in s.tags), s.status, s.reason, s.seconds)))
        ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=fills[s.status])
    ev = wb.create_sheet("Evidence")
    ev.append(["Process", "Scenario", "Step", "Result", "Seconds", "Acting as", "Model", "Record", "State", "Quantities", "Link", "Error"])
    for s in run.scenarios:
        for st in s.steps:
            rows = st.records or [None]
            for rec in rows:
                ev.append(xlsx_escape.row(ev, (
                    s.feature, s.title, f"{st.keyword} {st.text}", st.status, st.seconds, st.actor,
                    rec.model if rec else "", rec.name if rec else "", rec.state if rec else "",
                    "; ".join(rec.quantities) if rec else "", rec.url if rec else "", st.error,
                )))
    so = wb.create_sheet("Sign-off")
    so.append(["Process", "Result", "Role", "Name", "Date", "Decision"])
    results = {p: ("passed" if all(x.status in ("passed", "skipped") for x in ss) else "failed") for p, ss in run.processes().items()}
    dv = DataValidation(type="list", formula1='"Accepted,Accepted with remarks,Rejected"', allow_blank=True)
    so.add_data_validation(dv)
    for row in run.signoff:
        so.append(xlsx_escape.row(so, (row.process, results.get(row.process, ""), row.role, row.name, row.date, row.decision)))
        dv.add(so.cell(so.max_row, 6))
    for sheet in (ws, ev, so):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col in sheet.columns:
            width = max(len(str(c.value or "")) for c in col)
            sheet.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_reports(run: RunResult, out: Path) -> dict[str, Path]:
    out = Path(out)
    paths = {
        "run": out / "run.json",
        "cucumber": out / "cucumber.json",
        "junit": out / "junit.xml",
        "html": out / "signoff.html",
        "xlsx": out / "signoff.xlsx",
    }
    run.save(paths["run"])
    write_atomic(paths["cucumber"], cucumber_json(run))
    write_atomic(paths["junit"], junit_xml(run))
    write_atomic(paths["html"], html_report(run))
    write_atomic(paths["xlsx"], xlsx_report(run))
    return paths
