"""A client's SOP template can neither change the data it is given nor hide where it went wrong.

Templates render in Jinja2's immutable sandbox: a call that would modify a
list or a dict is refused and the context is left as it was. An error in an
included template or an imported macro names that file and line, not the
page that included it.
"""

from __future__ import annotations

import copy

import pytest

from odookit.errors import TemplateError
from odookit.sop_templates.render import render

CONTEXT = {"engagement": {"name": "Acme", "client": "Acme Ltd"}, "roles": ["Sales", "Stores"], "thresholds": {"discount": 15}}


@pytest.mark.parametrize(("expr", "refused"), [
    ("roles.append('Intruder')", "'append' of 'list'"),
    ("roles.pop()", "'pop' of 'list'"),
    ("engagement.update({'name': 'Hacked'})", "'update' of 'dict'"),
    ("thresholds.__setitem__('discount', 99)", "'__setitem__' of 'dict'"),
    ("engagement.clear()", "'clear' of 'dict'"),
])
def test_a_template_that_tries_to_change_its_data_is_refused_and_changes_nothing(tmp_path, expr, refused):
    (tmp_path / "t.md.j2").write_text("# {{ engagement.name }}\n{% set _ = " + expr + " %}\n{{ roles | join(', ') }}\n")
    context = copy.deepcopy(CONTEXT)
    with pytest.raises(TemplateError) as err:
        render("t.md.j2", context, override_dir=tmp_path)
    assert err.value.line() == (
        f"{tmp_path}/t.md.j2:2: template tries to reach Python internals (access to attribute {refused} object is unsafe.); "
        "templates may only use the SOP variables. Remove that expression.")
    assert context == CONTEXT


def test_an_undefined_variable_in_an_included_template_names_the_included_file(tmp_path):
    (tmp_path / "page.md.j2").write_text("# {{ engagement.name }}\n\n{% include 'part.md.j2' %}\n")
    (tmp_path / "part.md.j2").write_text("Owner: {{ roles | first }}\n\nEscalate to {{ escalation }}\n")
    with pytest.raises(TemplateError) as err:
        render("page.md.j2", CONTEXT, override_dir=tmp_path)
    assert (err.value.where, err.value.message) == (f"{tmp_path}/part.md.j2:3", "undefined variable: 'escalation'")


def test_an_error_inside_an_imported_macro_names_the_macro_file_and_line(tmp_path):
    (tmp_path / "macros.md.j2").write_text(
        "{% macro owner(process) %}\n{{ process.owner.name }} owns {{ process.title }}\n{% endmacro %}\n")
    (tmp_path / "page.md.j2").write_text("{% import 'macros.md.j2' as m %}\n# SOP\n\n{{ m.owner({'title': 'Returns'}) }}\n")
    with pytest.raises(TemplateError) as err:
        render("page.md.j2", CONTEXT, override_dir=tmp_path)
    assert err.value.where == f"{tmp_path}/macros.md.j2:2"
    assert err.value.message.startswith("undefined variable: ")
    assert "owner" in err.value.message


def test_a_division_by_zero_in_a_macro_is_one_line_naming_the_macro(tmp_path):
    (tmp_path / "macros.md.j2").write_text("{% macro share(part, total) %}\n{{ part / total }}\n{% endmacro %}\n")
    (tmp_path / "page.md.j2").write_text("{% from 'macros.md.j2' import share %}\n{{ share(1, 0) }}\n")
    with pytest.raises(TemplateError) as err:
        render("page.md.j2", CONTEXT, override_dir=tmp_path)
    assert err.value.line() == f"{tmp_path}/macros.md.j2:2: template failed: ZeroDivisionError: division by zero"


def test_a_syntax_error_or_a_missing_file_in_an_include_names_it(tmp_path):
    (tmp_path / "page.md.j2").write_text("# SOP\n{% include 'part.md.j2' %}\n")
    (tmp_path / "part.md.j2").write_text("ok\nok\n{% for r in roles %}\n")
    with pytest.raises(TemplateError) as err:
        render("page.md.j2", CONTEXT, override_dir=tmp_path)
    assert err.value.where == f"{tmp_path}/part.md.j2:3"
    assert err.value.message.startswith("template syntax error: Unexpected end of template.")
    (tmp_path / "page.md.j2").write_text("# SOP\n{% include 'gone.md.j2' %}\n")
    with pytest.raises(TemplateError) as err:
        render("page.md.j2", CONTEXT, override_dir=tmp_path)
    assert err.value.message == "included template 'gone.md.j2' not found"
