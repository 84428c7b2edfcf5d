"""Read blueprint YAML files, keeping the position of every value.

Several files in blueprints/ merge into one document: top-level lists are
concatenated and top-level mappings are merged, in file-name order. Each
value keeps the file, line and column it came from, so that every schema or
reference problem can be reported as ``file:line:col: message``.
"""

from __future__ import annotations

import difflib
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


def _construct(node: yaml.Node, file: str, loc: Loc, smap: SourceMap, shift: dict[Loc, int]):
    """Plain Python value of ``node``, recording positions. ``shift`` offsets list indexes
    for top-level lists that continue a list from an earlier file."""
    smap.marks[loc] = _mark(file, node)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                raise BlueprintError(
                    f"duplicate key '{key}'", where=str(_mark(file, key_node)), fix="Keep one of the two entries."
                )
            smap.key_marks[(*loc, key)] = _mark(file, key_node)
            out[key] = _construct(value_node, file, (*loc, key), smap, shift)
        return out
    if isinstance(node, yaml.SequenceNode):
        offset = shift.get(loc, 0)
        return [_construct(item, file, (*loc, i + offset), smap, shift) for i, item in enumerate(node.value)]
    return yaml.safe_load(yaml.serialize(node))


def read_documents(paths: list[Path], root: Path | None = None) -> tuple[dict, SourceMap]:
    merged: dict = {}
    smap = SourceMap()
    for path in paths:
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
            raise BlueprintError(f"malformed YAML: {exc.problem or exc.context}", where=where, fix="Fix the YAML syntax.") from None
        except UnicodeDecodeError:
            raise BlueprintError("not UTF-8 text", where=name, fix="Save the file as UTF-8.") from None
        if node is None:
            continue
        if not isinstance(node, yaml.MappingNode):
            raise BlueprintError(
                "a blueprint file must be a mapping of sections (companies:, warehouses:, ...)",
                where=str(_mark(name, node)),
            )
        shift = {(k,): len(v) for k, v in merged.items() if isinstance(v, list)}
        doc = _construct(node, name, (), smap, shift)
        for key, value in doc.items():
            if key not in merged:
                merged[key] = value
            elif isinstance(merged[key], list) and isinstance(value, list):
                merged[key] = merged[key] + value
            elif isinstance(merged[key], dict) and isinstance(value, dict):
                clash = sorted(set(merged[key]) & set(value))
                if clash:
                    raise BlueprintError(
                        f"'{key}.{clash[0]}' is set in two blueprint files",
                        where=str(smap.at((key, clash[0]))),
                        fix="Set it in one file only.",
                    )
                merged[key] = {**merged[key], **value}
            else:
                raise BlueprintError(f"section '{key}' is set in two blueprint files", where=str(smap.at((key,))))
    return merged, smap


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


def suggest(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def schema_problems(exc: ValidationError, smap: SourceMap) -> list[BlueprintError]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = str(smap.at(loc) or "blueprints")
        field = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc[:-1])
            hint = suggest(loc[-1], owner.model_fields) if owner else ""
            problems.append(BlueprintError(f"unknown key '{loc[-1]}'{hint}", where=where))
        elif err["type"] == "missing":
            problems.append(BlueprintError(f"missing required key '{field}'", where=where))
        else:
            got = err.get("input")
            shown = f" (got {got!r})" if got is not None and not isinstance(got, dict | list) else ""
            problems.append(BlueprintError(f"{field}: {err['msg']}{shown}", where=where))
    return problems


def blueprint_files(folder: Path) -> list[Path]:
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise BlueprintError(
            f"no blueprint files in {folder}", fix="Add at least one .yaml file, or run `odookit init --example`."
        )
    return files


def load_blueprint(folder: Path, root: Path | None = None) -> tuple[Blueprint, SourceMap]:
    """Load and fully check the blueprint; raise ``Problems`` listing every problem."""
    from odookit.blueprints.references import reference_problems

    data, smap = read_documents(blueprint_files(folder), root=root)
    try:
        blueprint = Blueprint.model_validate(data)
    except ValidationError as exc:
        problems = schema_problems(exc, smap)
        raise Problems(problems, f"{len(problems)} problem(s) in the blueprint") from None
    problems = reference_problems(blueprint, smap)
    if problems:
        raise Problems(problems, f"{len(problems)} problem(s) in the blueprint")
    return blueprint, smap


def load_workspace_blueprint(ws) -> Blueprint:
    return load_blueprint(ws.blueprints, root=ws.root)[0]
