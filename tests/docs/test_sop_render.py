"""SOP templates: sandboxed rendering, workspace overrides, clear errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from odookit.cli import cli
from odookit.errors import TemplateError
from odookit.sop_templates.render import render


def test_missing_variable_names_template_line_and_variable(tmp_path):
    (tmp_path / "t.md.j2").write_text("# Title\n\nHello {{ engagement.name }} and {{ nope }}\n")
    with pytest.raises(TemplateError) as err:
        render("t.md.j2", {"engagement": {"name": "X"}}, override_dir=tmp_path)
    assert err.value.where == f"{tmp_path}/t.md.j2:3"
    assert err.value.message == "undefined variable: 'nope'"


def test_missing_attribute_names_the_attribute(tmp_path):
    (tmp_path / "t.md.j2").write_text("{{ thresholds.discount.abvoe }}\n")
    with pytest.raises(TemplateError) as err:
        render("t.md.j2", {"thresholds": {"discount": {"above": 15}}}, override_dir=tmp_path)
    assert err.value.where.endswith("t.md.j2:1")
    assert "'abvoe'" in err.value.message


def test_syntax_error_names_template_and_line(tmp_path):
    (tmp_path / "t.md.j2").write_text("ok\n{% if %}\n{% endif %}\n")
    with pytest.raises(TemplateError) as err:
        render("t.md.j2", {}, override_dir=tmp_path)
    assert err.value.where == f"{tmp_path}/t.md.j2:2"
    assert err.value.message.startswith("template syntax error:")


@pytest.mark.parametrize(("expr", "refused"), [
    ("''.__class__.__mro__", "'__class__' of 'str'"),
    ("().__class__.__base__.__subclasses__()", "'__class__' of 'tuple'"),
    ("cycler.__init__.__globals__", "'__init__' of 'type'"),
])
def test_sandbox_escape_is_refused_without_leaking(tmp_path, expr, refused):
    (tmp_path / "t.md.j2").write_text("line one\n{{ " + expr + " }}\n")
    with pytest.raises(TemplateError) as err:
        render("t.md.j2", {}, override_dir=tmp_path)
    assert err.value.line() == (
        f"{tmp_path}/t.md.j2:2: template tries to reach Python internals (access to attribute {refused} object is unsafe.); "
        "templates may only use the SOP variables. Remove that expression.")


def test_workspace_template_overrides_the_shipped_one(example_ws):
    (example_ws / "sop_templates").mkdir(exist_ok=True)
    (example_ws / "sop_templates" / "returns.md.j2").write_text(
        "# Returns at {{ engagement.client }}\n\nCall {{ accountable | join(', ') }} first.\n")
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "docs", "build"])
    assert result.exit_code == 0, result.output
    page = (example_ws / "docs" / "pages" / "sop-returns.md").read_text()
    assert page == "# Returns at Northwind Industrial Supply\n\nCall Sales Manager first.\n"
    # the other SOPs still come from the shipped templates
    assert "Pick, pack and ship" in (example_ws / "docs" / "pages" / "sop-pick-pack-ship.md").read_text()


def test_broken_override_fails_the_build_and_keeps_the_previous_site(example_ws):
    runner = CliRunner()
    assert runner.invoke(cli, ["-w", str(example_ws), "docs", "build"]).exit_code == 0
    before = (example_ws / "docs" / "site" / "sop-returns.html").read_text()
    (example_ws / "sop_templates").mkdir(exist_ok=True)
    (example_ws / "sop_templates" / "returns.md.j2").write_text("# Returns\n\n{{ ''.__class__.__mro__ }}\n")
    result = runner.invoke(cli, ["-w", str(example_ws), "docs", "build"])
    assert result.exit_code == 2
    assert "sop_templates/returns.md.j2:3: template tries to reach Python internals" in result.output
    assert "Traceback" not in result.output
    assert (example_ws / "docs" / "site" / "sop-returns.html").read_text() == before
    assert not [p for p in (example_ws / "docs").iterdir() if p.name.startswith(".build-")]
