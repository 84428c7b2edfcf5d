"""Read blueprint YAML files, keeping the position of every value.

Several files in blueprints/ merge into one document: top-level lists are
concatenated and top-level mappings are merged, in file-name order. Each
value keeps the file, line and column it came from, so that every schema or
reference problem can be reported as ``file:line:col: message``.
"""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from odookit.blueprints.schema import Blueprint
from odookit.errors import BlueprintError, Problems

Loc = tuple  # a path of keys and list indexes into the merged document


@dataclass(frozen=True)
class Mark:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class SourceMap:
    """Where each path of the merged document was written."""

    def __init__(self) -> None:
        self.marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}

    def at(self, loc: Loc) -> Mark | None:
        """The closest known position for ``loc`` (walking up to its parents)."""
        loc = tuple(loc)
        while loc:
            if loc in self.key_marks:
                return self.key_marks[loc]
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get(())


def _mark(file: str, node: yaml.Node) -> Mark:
    return Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Reader:
    """Builds the merged document of several files, collecting every problem instead of stopping at the first.

    Each file is read into its own source map; only the positions of values
    that make it into the merged document are kept, so every later message
    points at the file the checked value really came from.
    """

    def __init__(self) -> None:
        self.smap = SourceMap()
        self.problems: list[BlueprintError] = []
        self.broken_files = False
        self.bad_values: set[Loc] = set()  # already reported; the schema check stays quiet about them

    def problem(self, message: str, where: Mark | str, fix: str | None = None) -> None:
        self.problems.append(BlueprintError(message, where=str(where), fix=fix))

    def construct(self, node: yaml.Node, file: str, loc: Loc, smap: SourceMap, shift: dict[Loc, int]):
        """Plain Python value of ``node``, recording positions. ``shift`` offsets list indexes
        for top-level lists that continue a list from an earlier file."""
        smap.marks[loc] = _mark(file, node)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem("a key must be a plain word, not a list or mapping", _mark(file, key_node))
                    continue
                key = key_node.value
                if key in out:
                    first = smap.key_marks[(*loc, key)]
                    self.problem(
                        f"duplicate key '{key}' (first set at line {first.line})",
                        _mark(file, key_node),
                        fix="Keep one of the two entries.",
                    )
                    continue
                smap.key_marks[(*loc, key)] = _mark(file, key_node)
                out[key] = self.construct(value_node, file, (*loc, key), smap, shift)
            return out
        if isinstance(node, yaml.SequenceNode):
            offset = shift.get(loc, 0)
            return [self.construct(item, file, (*loc, i + offset), smap, shift) for i, item in enumerate(node.value)]
        try:
            return yaml.safe_load(yaml.serialize(node))
        except yaml.YAMLError:
            self.problem(f"unsupported YAML value (tag {node.tag})", _mark(file, node), fix="Write a plain value.")
            self.bad_values.add(loc)
            return None

    def parse(self, path: Path, name: str) -> yaml.Node | None:
        try:
            return yaml.compose(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
            self.problem(f"malformed YAML: {exc.problem or exc.context}", where, fix="Fix the YAML syntax.")
        except yaml.YAMLError as exc:
            self.problem(f"malformed YAML: {exc}", name, fix="Fix the YAML syntax.")
        except UnicodeDecodeError:
            self.problem("not UTF-8 text", name, fix="Save the file as UTF-8.")
        self.broken_files = True
        return None

    def keep(self, local: SourceMap, prefix: Loc, *, except_self: bool = False) -> None:
        """Copy the positions under ``prefix`` from one file's map into the merged map."""
        n = len(prefix)
        for source, target in ((local.marks, self.smap.marks), (local.key_marks, self.smap.key_marks)):
            for loc, mark in source.items():
                if loc[:n] == prefix and not (except_self and len(loc) == n):
                    target[loc] = mark

    def merge(self, merged: dict, doc: dict, local: SourceMap) -> None:
        for key, value in doc.items():
            if key not in merged:
                merged[key] = value
                self.keep(local, (key,))
            elif isinstance(merged[key], list) and isinstance(value, list):
                merged[key] = merged[key] + value  # indexes were shifted while reading
                self.keep(local, (key,), except_self=True)
            elif isinstance(merged[key], dict) and isinstance(value, dict):
                for sub, sub_value in value.items():
                    if sub in merged[key]:
                        self.problem(
                            f"'{key}.{sub}' is set in two blueprint files (first in {self.smap.key_marks[(key, sub)]})",
                            local.key_marks[(key, sub)],
                            fix="Set it in one file only.",
                        )
                    else:
                        merged[key][sub] = sub_value
                        self.keep(local, (key, sub))
            else:
                self.problem(
                    f"section '{key}' is set in two blueprint files (first in {self.smap.key_marks[(key,)]})",
                    local.key_marks[(key,)],
                    fix="Set it in one file only.",
                )

    def read(self, paths: list[Path], root: Path | None) -> dict:
        merged: dict = {}
        for path in paths:
            name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
            node = self.parse(path, name)
            if node is None:
                continue
            if not isinstance(node, yaml.MappingNode):
                self.problem(
                    "a blueprint file must be a mapping of sections (companies:, warehouses:, ...)", _mark(name, node)
                )
                self.broken_files = True
                continue
            local = SourceMap()
            shift = {(k,): len(v) for k, v in merged.items() if isinstance(v, list)}
            doc = self.construct(node, name, (), local, shift)
            self.smap.marks.setdefault((), local.marks[()])
            self.merge(merged, doc, local)
        return merged


def read_documents(paths: list[Path], root: Path | None = None) -> tuple[dict, SourceMap]:
    """The merged document and its positions; raises ``Problems`` listing every reading problem."""
    reader = _Reader()
    merged = reader.read(paths, root)
    if reader.problems:
        raise Problems(sort_problems(reader.problems), f"{len(reader.problems)} problem(s) in the blueprint")
    return merged, reader.smap


def sort_problems(problems: list[BlueprintError]) -> list[BlueprintError]:
    """One line per distinct problem, in file and line order."""

    def key(problem: BlueprintError):
        file, line, col = (problem.where or "").rsplit(":", 2) if (problem.where or "").count(":") >= 2 else (problem.where or "", "0", "0")
        return (file, int(line) if line.isdigit() else 0, int(col) if col.isdigit() else 0, problem.message)

    seen: set[str] = set()
    unique = []
    for problem in sorted(problems, key=key):
        if problem.line() not in seen:
            seen.add(problem.line())
            unique.append(problem)
    return unique


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of ``loc`` (for did-you-mean)."""
    model: typing.Any = Blueprint
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = model.model_fields[part].annotation
        while typing.get_origin(model) in (list, typing.Union, typing.Optional) or str(typing.get_origin(model)) == "types.UnionType":
            args = [a for a in typing.get_args(model) if a is not type(None)]
            model = args[0] if args else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def suggest(word, choices) -> str:
    """A did-you-mean hint: a case-only difference first, then the closest spelling."""
    choices = [str(c) for c in choices]
    word = str(word)
    folded = [c for c in choices if c.casefold() == word.casefold()]
    prefixed = [c for c in choices if len(word) >= 3 and c.casefold().startswith(word.casefold())]
    match = folded or difflib.get_close_matches(word, choices, n=1, cutoff=0.6) or prefixed[:1]
    return f" (did you mean '{match[0]}'?)" if match else ""


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def schema_problems(exc: ValidationError, smap: SourceMap, skip: set[Loc] = frozenset()) -> list[BlueprintError]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if loc in skip:
            continue
        where = str(smap.at(loc) or "blueprints")
        field = _dotted(loc)
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc[:-1])
            hint = suggest(loc[-1], owner.model_fields) if owner else ""
            problems.append(BlueprintError(f"unknown key '{loc[-1]}'{hint}", where=where))
        elif err["type"] == "missing":
            problems.append(BlueprintError(f"missing required key '{field}'", where=where))
        else:
            got = err.get("input")
            shown = f" (got {got!r})" if got is not None and not isinstance(got, dict | list) else ""
            hint = ""
            if err["type"] == "literal_error" and got is not None:
                expected = str(err.get("ctx", {}).get("expected", ""))
                hint = suggest(got, [a or b for a, b in re.findall(r"'([^']*)'|(\d+)", expected)])
            message = err["msg"].replace("\n", " ")
            problems.append(BlueprintError(f"{field}: {message}{shown}{hint}", where=where))
    return problems


def blueprint_files(folder: Path) -> list[Path]:
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise BlueprintError(
            f"no blueprint files in {folder}", fix="Add at least one .yaml file, or run `odookit init --example`."
        )
    return files


def load_blueprint(folder: Path, root: Path | None = None) -> tuple[Blueprint, SourceMap]:
    """Load and fully check the blueprint; raise ``Problems`` listing every problem at once.

    Reading, schema and cross-reference checks all run on the same merged
    document, so a file with a type error and a dangling reference gets both
    reported in one pass. Only a file that cannot be parsed at all stops the
    later checks (its absence would make every reference into it look broken).
    """
    from odookit.blueprints.references import reference_problems

    reader = _Reader()
    data = reader.read(blueprint_files(folder), root)
    smap = reader.smap
    problems = list(reader.problems)
    blueprint = None
    if not reader.broken_files:
        try:
            blueprint = Blueprint.model_validate(data)
        except ValidationError as exc:
            problems += schema_problems(exc, smap, reader.bad_values)
        problems += reference_problems(data, smap)
    if problems or blueprint is None:
        problems = sort_problems(problems)
        raise Problems(problems, f"{len(problems)} problem(s) in the blueprint")
    return blueprint, smap


def load_workspace_blueprint(ws) -> Blueprint:
    return load_blueprint(ws.blueprints, root=ws.root)[0]
