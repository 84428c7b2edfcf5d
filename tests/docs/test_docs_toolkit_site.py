"""odookit's own documentation builds strictly, with the command reference generated from the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_own_docs_build_strictly_with_generated_command_reference(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    commands = (tmp_path / "site" / "commands.html").read_text()
    for path in ("odookit governance check", "odookit governance audit", "odookit docs build", "odookit blueprint validate"):
        assert path in commands, path
    for page in ("migration.html", "uat.html", "blueprint.html", "getting-started.html"):
        assert (tmp_path / "site" / page).is_file()


def test_audit_workbook_escapes_formula_like_text(tmp_path):
    from openpyxl import load_workbook

    from odookit.governance.audit import AuditResult, UserFinding, write_workbook

    user = UserFinding(login="=HYPERLINK(\"http://x\")", name="+cmd", active=True, last_login=None, roles=[],
                       admin=["base.group_system"], conflicts=[], beyond_role=["-x.group"], unused=True)
    path = write_workbook(AuditResult("dev", "db", "2024-01-01T00:00:00", 90, [user]), tmp_path / "a.xlsx")
    sheet = load_workbook(path)["Users"]
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "'+cmd"
    assert load_workbook(path)["Beyond role"]["B2"].value == "'-x.group"
