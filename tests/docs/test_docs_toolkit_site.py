"""odookit's own documentation builds strictly, and its generated reference pages are complete.

One strict build is shared by the tests. Each reference test compares a built page with
the code it is generated from, walked here independently of the mkdocs hook, so a command,
field, step or rule the hook drops fails a test instead of quietly thinning the page.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("toolkit-docs") / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr}"
    return out


def text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def words(markdown: str) -> str:
    """Source text as the page shows it: code spans lose their backticks, whitespace collapsed."""
    return " ".join(markdown.replace("`", "").split())


def article(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    match = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    assert match, f"{page}: no article element"
    return match.group(1)


def sections(html: str) -> dict[str, str]:
    """Heading text (h2 to h4) -> the HTML up to the next such heading."""
    parts = re.split(r"(<h[2-4][^>]*>.*?</h[2-4]>)", html, flags=re.S)
    return {text(re.sub(r'<a class="headerlink".*?</a>', "", head)): body for head, body in zip(parts[1::2], parts[2::2], strict=True)}


def command_tree():
    """(path, command) for the root and every subcommand of `odookit`, groups' subcommands included."""
    import click

    from odookit.cli import cli

    def walk(cmd, ctx, path):
        yield " ".join(path), cmd
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None, f"{' '.join(path)} lists {name!r} but cannot load it"
                yield from walk(sub, click.Context(sub, info_name=name, parent=ctx), [*path, name])

    yield from walk(cli, click.Context(cli, info_name="odookit"), ["odookit"])


def test_every_page_of_the_nav_is_built(site):
    nav = re.findall(r":\s+(\S+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert "run.md" in nav and "sod-rules.md" in nav, nav
    missing = [page for page in nav if not (site / page.replace(".md", ".html")).is_file()]
    assert not missing, f"pages in the nav but not built: {missing}"


def test_command_reference_has_every_command_of_the_cli(site):
    headings = sections(article(site, "commands.html"))
    paths = [path for path, _ in command_tree()]
    assert len(paths) > 20 and "odookit blueprint plan" in paths, paths
    missing = [path for path in paths if path not in headings]
    assert not missing, f"commands missing from docs/commands.md's generated reference: {missing}"
    for path, cmd in command_tree():
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in text(headings[path]), f"{path}: option {opt} missing from its reference section"


def test_every_command_has_help_text():
    no_help = [path for path, cmd in command_tree() if not (cmd.help or "").strip()]
    assert not no_help, f"commands without help text (give them a docstring): {no_help}"


def test_every_option_has_help_text():
    import click

    no_help = [f"{path} {param.opts[0]}" for path, cmd in command_tree() for param in cmd.params
               if isinstance(param, click.Option) and param.name != "help" and not (param.help or "").strip()]
    assert not no_help, f"options without help text: {no_help}"


def test_blueprint_reference_has_every_field_and_description(site):
    from odookit.blueprints.schema import Blueprint

    schema = Blueprint.model_json_schema()
    html = article(site, "blueprint-reference.html")
    by_heading = sections(html)
    top = by_heading.get("Top level", "")
    missing = [f for f in Blueprint.model_fields if f"<code>{f}</code>" not in top]
    assert not missing, f"top-level blueprint fields missing from the reference: {missing}"
    page = text(html)
    for name, model in schema["$defs"].items():
        for field, prop in model["properties"].items():
            assert f"<code>{field}</code>" in html, f"{name}.{field} missing from the blueprint reference"
            if prop.get("description"):
                assert words(prop["description"]) in page, f"{name}.{field}: description missing"
    assert "<code>double_validation_above</code>" in by_heading.get("approvals.purchase[]", ""), by_heading.keys()
    assert "<code>days</code>" in by_heading.get("payment_terms[].lines[]", ""), by_heading.keys()


def test_uat_page_has_every_step_example(site):
    from odookit.uat_scenarios.library import vocabulary

    page = text(article(site, "uat-steps.html"))
    steps = vocabulary()
    assert len(steps) >= 40
    missing = [v["example"] for v in steps if words(v["example"]) not in page]
    assert not missing, f"step examples missing from the UAT step vocabulary page: {missing}"


def test_sod_page_has_every_shipped_rule(site):
    from odookit.governance.policy import shipped_rules

    by_heading = sections(article(site, "sod-rules.html"))
    rules = shipped_rules()
    assert len(rules) >= 10
    missing = [r.code for r in rules if r.code not in by_heading]
    assert not missing, f"shipped SoD rules missing from the SoD rule set page: {missing}"
    for r in rules:
        body = text(by_heading[r.code])
        for what, value in (("rationale", r.rationale), ("mitigation", r.mitigation or ""), ("title", r.title),
                            *((f"group of {d.name}", g) for d in (r.duty_a, r.duty_b) for g in d.groups)):
            assert words(value) in body, f"{r.code}: {what} missing from its section"


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
