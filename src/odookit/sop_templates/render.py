"""Render SOP templates in a Jinja2 sandbox with StrictUndefined.

Templates may come from the client (``<ws>/sop_templates/<name>`` overrides
the shipped file of the same name), so they are untrusted: the sandbox stops
any reach into Python internals, and StrictUndefined turns a misspelt
variable into an error naming the template, its line and the variable instead
of a silently blank SOP. Errors are one-line ``TemplateError``s.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from odookit.errors import TemplateError

SHIPPED = "templates"


def shipped_dir() -> Path:
    return Path(str(resources.files("odookit.sop_templates").joinpath(SHIPPED)))


def shipped_names() -> list[str]:
    return sorted(p.name for p in shipped_dir().glob("*.md.j2") if not p.name.startswith("_"))


def environment(override_dir: Path | None = None):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders = []
    if override_dir is not None and override_dir.is_dir():
        loaders.append(FileSystemLoader(str(override_dir)))
    loaders.append(FileSystemLoader(str(shipped_dir())))
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mermaid_id"] = lambda text: re.sub(r"[^A-Za-z0-9_]", "_", str(text))
    env.filters["pct"] = lambda value: f"{float(value):g}%"
    env.filters["money"] = lambda value, currency="": f"{float(value):,.0f}{(' ' + currency) if currency else ''}"
    return env


def source_of(env, name: str) -> str:
    """Where a template came from, for messages: the workspace override or the shipped file."""
    try:
        _, filename, _ = env.loader.get_source(env, name)
    except Exception:  # the name itself is what is wrong; report it as given
        return name
    return filename


def _template_where(exc: BaseException, fallback: str) -> str:
    """``file:line`` of the innermost template frame (Jinja2 maps its frames to template lines),
    so an error inside an imported macro names the macro file, not its caller."""
    where = fallback
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == fallback:
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render(name: str, context: dict, override_dir: Path | None = None, env=None) -> str:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    env = env or environment(override_dir)
    try:
        template = env.get_template(name)
    except TemplateNotFound as exc:
        raise TemplateError(f"template '{exc.name}' not found", where=name,
                            fix="Name a shipped template or add the file to sop_templates/.") from None
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or source_of(env, name)}:{exc.lineno}"
        raise TemplateError(f"template syntax error: {exc.message}", where=where, fix="Fix the Jinja2 syntax.") from None
    filename = template.filename or name
    try:
        return template.render(**context)
    except SecurityError as exc:
        raise TemplateError(
            f"template tries to reach Python internals ({_short(exc)}); templates may only use the SOP variables",
            where=_template_where(exc, filename),
            fix="Remove that expression.",
        ) from None
    except UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {_undefined_name(exc)}",
            where=_template_where(exc, filename),
            fix="Use one of the variables listed in the SOP template reference (docs), or define it with {% set %}.",
        ) from None
    except TemplateSyntaxError as exc:  # from an included template
        raise TemplateError(f"template syntax error: {exc.message}", where=f"{exc.filename}:{exc.lineno}",
                            fix="Fix the Jinja2 syntax.") from None
    except TemplateNotFound as exc:
        raise TemplateError(f"included template '{exc.name}' not found", where=filename) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as exc:
        raise TemplateError(f"template failed: {exc.__class__.__name__}: {exc}",
                            where=_template_where(exc, filename)) from None


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text[:120]


def _undefined_name(exc: BaseException) -> str:
    text = str(exc)
    match = re.match(r"'(.+?)' is undefined", text)
    if match:
        return f"'{match.group(1)}'"
    match = re.match(r"'(.+?)' has no attribute '(.+?)'", text)
    if match:
        return f"'{match.group(2)}' (no such attribute on {match.group(1)})"
    return text
