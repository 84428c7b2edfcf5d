"""Mapping files: which template column each of a client's headers is, and which blueprint code each label is.

A legacy export says "Item No", "Qty", "30 Days", "Lot Tracked: Y"; the
template says ``sku``, ``quantity``, ``NET30``, ``lot``. A mapping file,
``migration/mappings/<file stem>.yaml``, holds that translation for one
client file; ``odookit migrate map`` proposes it (see ``proposal``), the
consultant reviews and commits it, and validate, load and reconcile read the
file through it. Every mistake in a mapping is reported with its
``file:line:col`` before any workbook is read.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from odookit.errors import MigrationError
from odookit.migration.entities import BY_NAME

TOP_KEYS = ("file", "sheets")
SHEET_KEYS = ("entity", "columns", "values")


@dataclass
class SheetMapping:
    title: str  # the client's sheet name (a CSV's file stem)
    entity: str | None  # None: the sheet is left out
    columns: dict[str, str | None] = field(default_factory=dict)  # client header -> template column (None: left out)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)  # template column -> client label -> code


@dataclass
class Mapping:
    """One mapping file as read, with the line and column of each entry for messages."""

    path: Path
    file: str  # the client file, relative to migration/
    sheets: dict[str, SheetMapping] = field(default_factory=dict)
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # ("sheets", title, "columns", header) -> (line, col)
    shown: str = ""  # the path as messages show it (mappings/customers.yaml)

    def where(self, loc: tuple) -> str:
        while loc and loc not in self.marks:
            loc = loc[:-1]
        line, col = self.marks.get(loc, (1, 1))
        return f"{self.shown}:{line}:{col}"

    def source(self, migration: Path) -> Path:
        return (migration / self.file).resolve()


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(options)}."


def coded(entity: str, column: str) -> bool:
    """A column whose values are codes (choices or the blueprint's), so its labels can be mapped."""
    spec = BY_NAME[entity].column(column)
    return bool(spec.choices or spec.source)


# -- reading -------------------------------------------------------------------------------
def read_mapping(path: Path, *, shown: str | None = None) -> Mapping:
    """A mapping file, checked against the template (entities, columns, choice codes)."""
    import yaml

    shown = shown or path.name
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MigrationError(f"YAML error: {problem}", where=where, fix="Fix the YAML syntax (indentation, quotes, colons).") from None
    except UnicodeDecodeError:
        raise MigrationError("the mapping is not UTF-8 text", where=shown, fix="Save it as UTF-8.") from None
    mapping = Mapping(path=path, file="", shown=shown)
    reader = _Reader(mapping)
    reader.top(root)
    return mapping


class _Reader:
    """Walks the composed YAML nodes, so that every entry keeps its line and column."""

    def __init__(self, mapping: Mapping):
        self.m = mapping

    def fail(self, node, message: str, fix: str) -> MigrationError:
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        return MigrationError(message, where=f"{self.m.shown}:{line}:{col}", fix=fix)

    def mark(self, loc: tuple, node) -> None:
        self.m.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)

    def pairs(self, node, what: str):
        import yaml

        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return []
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value lines)", "Indent its entries under it as 'key: value'.")
        seen = set()
        out = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f"a key of {what} must be plain text", "Quote it.")
            if key.value in seen:
                raise self.fail(key, f"'{key.value}' appears twice in {what}", "Keep one entry.")
            seen.add(key.value)
            out.append((key, value))
        return out

    def scalar(self, node, what: str) -> str | None:
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a single value", "Write a plain value, or null.")
        if node.tag.endswith(":null"):
            return None
        return str(node.value).strip()

    def top(self, root) -> None:
        if root is None:
            raise MigrationError("the mapping file is empty", where=f"{self.m.shown}:1:1", fix="Run `odookit migrate map FILE` to write one.")
        self.mark((), root)
        for key, value in self.pairs(root, "the mapping"):
            if key.value not in TOP_KEYS:
                raise self.fail(key, f"unknown key '{key.value}'", _did_you_mean(key.value, TOP_KEYS))
            self.mark((key.value,), key)
            if key.value == "file":
                self.m.file = self.scalar(value, "file") or ""
            else:
                for title, sheet in self.pairs(value, "sheets"):
                    self.sheet(title, sheet)
        if not self.m.file:
            raise self.fail(root, "the mapping names no client file", "Add 'file: <the client file, relative to migration/>'.")

    def sheet(self, title_node, node) -> None:
        title = title_node.value
        loc = ("sheets", title)
        self.mark(loc, title_node)
        spec = SheetMapping(title=title, entity=None)
        parts = dict()
        for key, value in self.pairs(node, f"sheet '{title}'"):
            if key.value not in SHEET_KEYS:
                raise self.fail(key, f"unknown key '{key.value}' in sheet '{title}'", _did_you_mean(key.value, SHEET_KEYS))
            self.mark((*loc, key.value), key)
            parts[key.value] = (key, value)
        if "entity" in parts:
            spec.entity = self.scalar(parts["entity"][1], "entity")
            if spec.entity is not None and spec.entity not in BY_NAME:
                raise self.fail(parts["entity"][1], f"unknown entity '{spec.entity}'", _did_you_mean(spec.entity, BY_NAME))
        elif "columns" in parts:
            raise self.fail(title_node, f"sheet '{title}' names no entity", f"Add 'entity: <one of {', '.join(BY_NAME)}>' (null leaves the sheet out).")
        self.m.sheets[title] = spec
        if spec.entity is None:
            return
        entity = BY_NAME[spec.entity]
        taken: dict[str, str] = {}
        for key, value in self.pairs(parts.get("columns", (None, None))[1], f"the columns of sheet '{title}'"):
            header = key.value.strip()
            self.mark((*loc, "columns", header), value)
            column = self.scalar(value, f"column '{header}'")
            if column is not None and column not in entity.column_names:
                raise self.fail(value, f"'{column}' is not a column of {entity.name}",
                                f"{_did_you_mean(column, entity.column_names)} (null leaves the header out)")
            if column is not None and column in taken:
                raise self.fail(value, f"'{column}' is already mapped from header '{taken[column]}'",
                                "Map one header to each column; set the other to null.")
            if column is not None:
                taken[column] = header
            spec.columns[header] = column
        for key, labels in self.pairs(parts.get("values", (None, None))[1], f"the values of sheet '{title}'"):
            column = key.value.strip()
            self.mark((*loc, "values", column), key)
            if column not in entity.column_names:
                raise self.fail(key, f"'{column}' is not a column of {entity.name}", _did_you_mean(column, entity.column_names))
            if not coded(entity.name, column):
                raise self.fail(key, f"column '{column}' of {entity.name} holds no codes: its values are not mapped",
                                "Remove this entry under values:.")
            choices = entity.column(column).choices
            codes: dict[str, str | None] = {}
            for label_node, code_node in self.pairs(labels, f"the values of column '{column}'"):
                label = label_node.value
                code = self.scalar(code_node, f"the code of '{label}'")
                self.mark((*loc, "values", column, label), code_node)
                if code is not None and choices and code not in choices:
                    raise self.fail(code_node, f"'{code}' is not a value of {entity.name}.{column} ({', '.join(choices)})",
                                    _did_you_mean(code, choices))
                codes[label] = code
            spec.values[column] = codes


def check_codes(mapping: Mapping, allowed: dict[str, list[str]]) -> None:
    """Every code a mapping gives must exist: in the blueprint, or a category of the workbooks."""
    for title, spec in mapping.sheets.items():
        if spec.entity is None:
            continue
        entity = BY_NAME[spec.entity]
        for column, codes in spec.values.items():
            source = entity.column(column).source
            if not source:
                continue
            options = allowed.get(source, [])
            for label, code in codes.items():
                if code is not None and code not in options:
                    what = source.replace("_", " ").rstrip("s")
                    hint = _did_you_mean(code, options) if options else f"The blueprint defines no {source.replace('_', ' ')}."
                    raise MigrationError(f"'{code}' (for '{label}') is not a {what} code of the blueprint",
                                         where=mapping.where(("sheets", title, "values", column, label)), fix=hint)


def read_mappings(migration: Path) -> list[Mapping]:
    """Every mapping file of migration/mappings/, in name order."""
    folder = migration / "mappings"
    if not folder.is_dir():
        return []
    return [read_mapping(p, shown=f"mappings/{p.name}") for p in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))]


def mapping_for(mappings: list[Mapping], path: Path, migration: Path) -> Mapping | None:
    """The mapping whose ``file:`` is ``path``; else one naming a file of the same name (a copy elsewhere),
    or whose annotated copy ``path`` is (``<stem>.annotated.xlsx``, the file the client sends back fixed)."""
    resolved = Path(path).resolve()
    for mapping in mappings:
        if mapping.source(migration) == resolved:
            return mapping
    name = Path(path).name
    for mapping in mappings:
        if name in (Path(mapping.file).name, f"{Path(mapping.file).stem}.annotated.xlsx"):
            return mapping
    return None


def relative_to_migration(path: Path, migration: Path) -> str:
    """How a mapping's ``file:`` names a client file: relative to migration/, with forward slashes."""
    return Path(os.path.relpath(Path(path).resolve(), migration.resolve())).as_posix()
