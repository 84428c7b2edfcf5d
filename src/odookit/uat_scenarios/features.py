"""Read feature files and check every step against the library before anything runs.

pytest-bdd only discovers an undefined step when it reaches it (and its
cucumber JSON may still say "passed"), so the plan is made here: every
scenario (every example row of an outline) with its steps resolved, or the
undefined/ambiguous steps and the closest known ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from odookit.errors import Problems, UatError
from odookit.uat_scenarios.library import StepDef, library, match, suggest

@dataclass
class PlannedStep:
    keyword: str
    text: str
    line: int
    problem: str = ""  # "" when exactly one step definition matches


@dataclass
class PlannedScenario:
    feature: str  # feature name (the business process)
    path: str
    name: str
    line: int
    tags: list[str]
    example: dict[str, str] = field(default_factory=dict)
    steps: list[PlannedStep] = field(default_factory=list)
    selected: bool = True

    @property
    def key(self) -> tuple:
        return (str(Path(self.path).resolve()), self.line, tuple(sorted(self.example.items())))

    @property
    def title(self) -> str:
        if not self.example:
            return self.name
        return f"{self.name} [" + ", ".join(f"{k}={v}" for k, v in self.example.items()) + "]"

    @property
    def problems(self) -> list[str]:
        return [f"{self.path}:{s.line}: {s.problem}" for s in self.steps if s.problem]


def parse_feature(path: Path):
    """pytest-bdd's own parser, its errors turned into one line with file:line."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.parser import FeatureParser

    path = Path(path)
    try:
        return FeatureParser(str(path.parent), path.name).parse()
    except GherkinParseError as exc:
        raise UatError(f"malformed feature: {exc.message}", where=f"{path}:{exc.line}", fix="Fix the Gherkin syntax (Feature:, Scenario:, Given/When/Then).") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UatError(f"cannot read feature file: {exc}", where=str(path)) from None
    except Exception as exc:  # the gherkin library raises its own types for odd input
        raise UatError(f"malformed feature: {exc}", where=str(path), fix="Fix the Gherkin syntax.") from None


def check_step(text: str, steps: list[StepDef]) -> str:
    found = match(text, steps)
    if found.defined:
        return ""
    if not found.found:
        hints = "; ".join(f'"{s}"' for s in suggest(text, steps))
        return f'undefined step "{text}". Closest known steps: {hints}'
    return f'ambiguous step "{text}" matches {len(found.found)} definitions: ' + "; ".join(f'"{s.example}"' for s in found.found)


def plan_feature(path: Path, steps: list[StepDef] | None = None) -> list[PlannedScenario]:
    steps = library() if steps is None else steps
    feature = parse_feature(path)
    planned: list[PlannedScenario] = []
    seen: set[str] = set()
    for name, template in feature.scenarios.items():
        seen.add(name)
        tags = sorted(template.tags | feature.tags)
        contexts = [ctx for ex in template.examples for ctx in ex.as_contexts()] or [{}]
        for context in contexts:
            scenario = template.render(context)
            item = PlannedScenario(feature.name, str(path), name, template.line_number, tags, dict(context))
            for step in scenario.steps:
                item.steps.append(PlannedStep(step.keyword, step.name, step.line_number, check_step(step.name, steps)))
            planned.append(item)
    return planned


def feature_files(ws=None, extra: list[Path] | None = None) -> list[Path]:
    """The workspace's uat_scenarios/**/*.feature (generated/ included), then any named explicitly.

    odookit ships no feature of its own: a client's suite is generated from its blueprint
    (`odookit uat generate`) or written by the consultant, never assumed.
    """
    files: list[Path] = []
    if ws is not None and ws.uat_scenarios.is_dir():
        files += sorted(ws.uat_scenarios.glob("**/*.feature"))
    for path in extra or []:
        path = Path(path)
        if path.is_dir():
            files += sorted(path.glob("**/*.feature"))
        elif path.is_file():
            files.append(path)
        else:
            raise UatError(f"no feature file at {path}", fix="Check the --feature path.")
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def plan(files: list[Path], tags: str | None = None) -> list[PlannedScenario]:
    """Every scenario of every file; all malformed files are reported at once."""
    steps = library()
    planned: list[PlannedScenario] = []
    errors: list[UatError] = []
    for path in files:
        try:
            planned += plan_feature(path, steps)
        except UatError as exc:
            errors.append(exc)
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise Problems(errors, f"{len(errors)} feature file(s) cannot be read")
    if tags:
        select = tag_filter(tags)
        for item in planned:
            item.selected = select(item.tags)
    return planned


def tag_filter(expression: str):
    """pytest's marker expression language over the scenario's tags: "credit and not slow"."""
    from _pytest.mark.expression import Expression

    try:
        compiled = Expression.compile(expression.replace("@", ""))
    except Exception as exc:  # ParseError (pytest 8) or SyntaxError-like (9): both mean a bad expression
        raise UatError(f"invalid tag expression {expression!r}: {exc}", fix='Use e.g. --tags "credit and not slow".') from None

    def select(tags: list[str]) -> bool:
        names = set(tags)
        return compiled.evaluate(lambda name, **_: name in names)

    return select
