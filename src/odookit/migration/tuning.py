"""migration/rules.yaml: per-engagement tuning of validation (severities, ignored columns, extra expectations).

Every mistake in the file is found when it is read, before any workbook is:
one line with the file, the line and a did-you-mean, never a traceback from
great-expectations halfway through a 100,000-row validation.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from odookit.errors import MigrationError
from odookit.migration.conventions import ColumnConvention, EntityConventions
from odookit.migration.entities import BY_NAME

Severity = Literal["error", "warning"]

KEY_RULES = ("required", "unique")  # always errors on a key column, whatever rules.yaml says
RULES: dict[str, tuple[Severity, str]] = {
    "required": ("error", "a value is required"),
    "missing": ("warning", "recommended value is empty"),
    "unique": ("error", "key must be unique in the sheet"),
    "format": ("error", "value does not have the expected format"),
    "allowed": ("error", "value is not one of the allowed values"),
    "range": ("error", "number out of the allowed range"),
    "reference": ("error", "names a record that no sheet defines"),
    "text_number": ("error", "number stored as text"),
    "leading_zeros": ("error", "code lost its leading zeros"),
    "date_text": ("error", "date stored as text"),
    "date_number": ("error", "date stored as a number"),
    "vat": ("error", "tax ID is valid for no country"),
    "vat_country": ("warning", "tax ID is valid for another country than the address"),
    "precision": ("warning", "more decimals than Odoo keeps for the field"),
    "barcode": ("error", "barcode check digit is wrong"),
    "lot_required": ("error", "tracked product needs a lot/serial number"),
    "duplicate": ("warning", "likely duplicate record"),
    "extra": ("error", "engagement rule (rules.yaml)"),
}


class ExtraExpectation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: str
    column: str | None = None
    expectation: str = Field(description="A great-expectations expectation, e.g. expect_column_value_lengths_to_be_between")
    kwargs: dict[str, Any] = Field(default_factory=dict)
    severity: Severity = "error"
    message: str | None = None


class RulesConfig(BaseModel):
    """migration/rules.yaml: per-engagement tuning of validation."""

    model_config = ConfigDict(extra="forbid")

    severity: dict[str, Severity] = Field(
        default_factory=dict, description="rule, entity.rule or entity.column.rule -> error|warning"
    )
    ignore_columns: dict[str, list[str]] = Field(default_factory=dict, description="entity -> columns neither checked nor loaded")
    extra_expectations: list[ExtraExpectation] = Field(default_factory=list)
    conventions: dict[str, EntityConventions] = Field(
        default_factory=dict, description="entity -> the engagement's key formats, required and recommended columns"
    )

    def severity_of(self, entity: str, column: str | None, rule: str) -> Severity:
        if rule in KEY_RULES and entity in BY_NAME and column in BY_NAME[entity].key:
            return "error"  # a row without a key of its own would load under another row's external ID
        for key in (f"{entity}.{column}.{rule}", f"{entity}.{rule}", rule):
            if key in self.severity:
                return self.severity[key]
        return RULES[rule][0]


def _line_of(text: str, token: str, *within: str) -> int:
    """The first line holding ``token`` after the lines holding each of ``within`` in turn (a YAML path)."""
    start = 0
    lines = text.splitlines()
    for anchor in within:
        start = next((i for i in range(start, len(lines)) if anchor in lines[i]), start)
    for number in range(start, len(lines)):
        if token in lines[number]:
            return number + 1
    return 1


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(sorted(options))}."


def load_rules(path: Path) -> RulesConfig:
    """Parse rules.yaml; a typo is one line with the file, line and a did-you-mean."""
    import yaml

    if not path.is_file():
        return RulesConfig()
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise MigrationError(f"invalid YAML ({getattr(exc, 'problem', exc)})", where=where, fix="Fix the YAML syntax.") from None
    if not isinstance(data, dict):
        raise MigrationError("rules.yaml must be a mapping", where=f"{path}:1:1", fix="Start with `severity:`, `ignore_columns:` or `extra_expectations:`.")
    _check_convention_names(data, path, text)
    try:
        config = RulesConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        token = next((p for p in reversed(loc) if not p.isdigit()), loc[0] if loc else "")
        where = f"{path}:{_line_of(text, token, *[p for p in loc if not p.isdigit()][:-1])}"
        if err["type"] == "extra_forbidden":
            options = (RulesConfig.model_fields if len(loc) == 1 else ColumnConvention.model_fields if loc[0] == "conventions"
                       else ExtraExpectation.model_fields)
            raise MigrationError(f"unknown key '{token}'", where=where, fix=_did_you_mean(token, options)) from None
        raise MigrationError(f"{'.'.join(loc)}: {err['msg']}", where=where, fix="See docs/migration.md for the rules.yaml format.") from None
    for key in config.severity:
        parts = key.split(".")
        rule = parts[-1]
        if rule not in RULES:
            raise MigrationError(f"unknown rule '{rule}' in severity key '{key}'", where=f"{path}:{_line_of(text, key)}", fix=_did_you_mean(rule, RULES))
        if len(parts) >= 2:
            _check_entity_column(parts[0], parts[1] if len(parts) == 3 else None, path, text, key)
        if len(parts) == 3 and rule in KEY_RULES and parts[1] in BY_NAME[parts[0]].key and config.severity[key] != "error":
            raise MigrationError(
                f"'{key}' cannot be a warning: {parts[1]} identifies the row",
                where=f"{path}:{_line_of(text, key)}",
                fix="Fix the rows instead; a row without a key of its own cannot be loaded.",
            )
    for name, columns in config.ignore_columns.items():
        for column in columns:
            _check_entity_column(name, column, path, text, column)
            if column in BY_NAME[name].key or (name, column) == ("opening_stock", "quantity"):
                raise MigrationError(
                    f"column '{column}' of {name} cannot be ignored: every row needs it",
                    where=f"{path}:{_line_of(text, column)}",
                    fix="Remove it from ignore_columns; use `severity:` to turn its checks into warnings instead.",
                )
    _check_conventions(config, path, text)
    for extra in config.extra_expectations:
        _check_entity_column(extra.entity, extra.column, path, text, extra.expectation)
        build_expectation(extra, where=f"{path}:{_line_of(text, extra.expectation)}")
    return config


def _check_convention_names(data: dict, path: Path, text: str) -> None:
    """Entity and column names under ``conventions:`` exist (checked before types: a typo is a did-you-mean, not a type error)."""
    conventions = data.get("conventions")
    if not isinstance(conventions, dict):
        return
    for name, conv in conventions.items():
        if name not in BY_NAME:
            raise MigrationError(f"unknown entity '{name}' in conventions", where=f"{path}:{_line_of(text, f'{name}:', 'conventions:')}",
                                 fix=_did_you_mean(str(name), BY_NAME))
        columns = BY_NAME[name].column_names
        keys = list(EntityConventions.model_fields)
        for key, value in (conv or {}).items() if isinstance(conv, dict) else ():
            if key not in keys and key not in columns:
                raise MigrationError(f"unknown key '{key}' in conventions.{name}", where=f"{path}:{_line_of(text, f'{key}:', 'conventions:', f'{name}:')}",
                                     fix=_did_you_mean(str(key), [*keys, *columns]))
            for column in value if key in keys and isinstance(value, list) else ():
                if column not in columns:
                    raise MigrationError(f"unknown column '{column}' of {name} in conventions.{name}.{key}",
                                         where=f"{path}:{_line_of(text, str(column), 'conventions:', f'{name}:', f'{key}:')}",
                                         fix=_did_you_mean(str(column), columns))


def _check_conventions(config: RulesConfig, path: Path, text: str) -> None:
    """Patterns compile and examples match them."""
    for name, conv in config.conventions.items():
        for column, fmt in conv.formats.items():
            where = f"{path}:{_line_of(text, column + ':', 'conventions:', name + ':')}"
            if fmt.pattern is None:
                continue
            try:
                compiled = re.compile(fmt.pattern)
            except re.error as exc:
                raise MigrationError(f"conventions.{name}.{column}.pattern is not a valid regular expression ({exc})", where=where,
                                     fix="Write it in single quotes, e.g. pattern: '^\\d{6}$'.") from None
            if fmt.example is not None and not compiled.search(fmt.example):
                raise MigrationError(f"conventions.{name}.{column}: example '{fmt.example}' does not match {fmt.pattern}", where=where,
                                     fix="Give an example of the right form, or fix the pattern.")


def _check_entity_column(entity: str, column: str | None, path: Path, text: str, token: str) -> None:
    where = f"{path}:{_line_of(text, token)}"
    if entity not in BY_NAME:
        raise MigrationError(f"unknown entity '{entity}'", where=where, fix=_did_you_mean(entity, BY_NAME))
    if column is not None and column not in BY_NAME[entity].column_names:
        raise MigrationError(f"unknown column '{column}' of {entity}", where=where, fix=_did_you_mean(column, BY_NAME[entity].column_names))


def build_expectation(extra: ExtraExpectation, where: str):
    """The great-expectations object of a rules.yaml entry; wrong arguments are one line, not a traceback."""
    cls = _expectation_class(extra.expectation, where=where)
    kwargs = dict(extra.kwargs)
    if extra.column:
        kwargs.setdefault("column", extra.column)
    try:
        return cls(**kwargs)
    except Exception as exc:
        errors = exc.errors() if callable(getattr(exc, "errors", None)) else []
        detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()) if p != '__root__') or 'arguments'}: {e.get('msg')}" for e in errors)
        raise MigrationError(
            f"invalid arguments for {extra.expectation} ({detail or str(exc).strip().splitlines()[0]})",
            where=where,
            fix="Check `kwargs:` against the expectation's arguments in the great-expectations reference.",
        ) from None


def _expectation_class(name: str, where: str):
    import great_expectations.expectations as gxe

    class_name = "".join(part.capitalize() for part in name.split("_"))
    cls = getattr(gxe, class_name, None)
    if cls is None:
        options = {re.sub(r"(?<!^)(?=[A-Z])", "_", n).lower() for n in dir(gxe) if n.startswith("Expect")}
        raise MigrationError(f"unknown expectation '{name}'", where=where, fix=_did_you_mean(name, options))
    return cls
