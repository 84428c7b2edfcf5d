"""The step vocabulary: every step a feature may use, with an example each.

Steps are registered here as well as with pytest-bdd so that the vocabulary
can be listed, published and checked (undefined, ambiguous, closest match)
without starting pytest or reaching a server. A step matches whatever its
keyword (Given/When/Then/And): consultants should not fail on grammar.
"""

from __future__ import annotations

import difflib
import importlib
import re
from dataclasses import dataclass, field
from typing import Callable

STEP_MODULES = (
    "odookit.uat_scenarios.steps.setup",
    "odookit.uat_scenarios.steps.sales",
    "odookit.uat_scenarios.steps.warehouse",
    "odookit.uat_scenarios.steps.procurement",
    "odookit.uat_scenarios.steps.invoicing",
    "odookit.uat_scenarios.steps.kits",
    "odookit.uat_scenarios.steps.landed_costs",
    "odookit.uat_scenarios.steps.crm",
    "odookit.uat_scenarios.steps.maintenance",
    "odookit.uat_scenarios.steps.exceptions",
)

AREAS = ("set-up", "sales", "leads", "warehouse", "procurement", "returns", "invoicing", "assertions")


@dataclass(frozen=True)
class StepDef:
    pattern: str  # a regular expression matched against the whole step text
    example: str
    area: str
    doc: str
    func: Callable = field(compare=False, repr=False)
    module: str = ""

    @property
    def regex(self) -> re.Pattern:
        return re.compile(self.pattern)

    def matches(self, text: str) -> bool:
        return self.regex.fullmatch(text) is not None

    @property
    def shape(self) -> str:
        """The pattern as a consultant reads it: <value>, [optional words], this/that."""
        return readable(self.pattern)


# -- the pattern as a reader sees it ----------------------------------------------
# Step patterns use a small part of the regex language (literals, groups,
# alternatives, "?" and value placeholders). It is parsed here rather than with
# re's internal parser, which rewrites alternatives ("pick|pack" -> "p(ick|ack)").


def readable(pattern: str) -> str:
    pos, node = _alternatives(pattern, 0)
    if pos != len(pattern):
        raise ValueError(f"unbalanced step pattern {pattern!r}")
    return "  or  ".join(_render_seq(seq).strip() for seq in node)


def _alternatives(p: str, i: int):
    seqs, seq = [], []
    while i < len(p) and p[i] != ")":
        if p[i] == "|":
            seqs.append(seq)
            seq = []
            i += 1
            continue
        i, atom = _atom(p, i)
        if i < len(p) and p[i] in "?+*":
            atom = ("rep", atom, p[i])
            i += 1
        seq.append(atom)
    seqs.append(seq)
    return i, seqs


def _atom(p: str, i: int):
    c = p[i]
    if c == "(":
        name = None
        if p.startswith("(?P<", i):
            end = p.index(">", i)
            name, i = p[i + 4 : end], end + 1
        elif p.startswith("(?:", i):
            i += 3
        else:
            i += 1
        i, alts = _alternatives(p, i)
        return i + 1, ("group", name, alts)
    if c == "[":
        end = p.index("]", i + 2)
        return end + 1, ("class", p[i : end + 1])
    if c == "\\":
        nxt = p[i + 1]
        return i + 2, ("class", c + nxt) if nxt.isalpha() else ("lit", nxt)
    if c == ".":
        return i + 1, ("class", c)
    return i + 1, ("lit", c)


def _is_value(node) -> bool:
    """A group whose content is free text or a number: shown as <name>."""
    kind = node[0]
    if kind == "class" or (kind == "rep" and node[2] in "+*"):
        return True
    if kind == "rep":
        return _is_value(node[1])
    if kind == "group":
        return any(_is_value(a) for seq in node[2] for a in seq)
    return False


def _render_seq(seq) -> str:
    return "".join(_render(node) for node in seq)


def _bracket(text: str, left: str, right: str) -> str:
    """Brackets hug the words: " with a discount" -> " [with a discount]"."""
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{left}{core}{right}{trail}"


def _render(node) -> str:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "class":
        return "…"
    if kind == "rep":
        inner = node[1]
        if node[2] != "?":
            return _render(inner)
        if inner[0] == "lit":
            return f"({inner[1]})"  # units? -> unit(s), an? -> a(n)
        return _bracket(_render(inner), "[", "]")
    _, name, alts = node
    if name and _is_value(node):
        return f"<{name.rstrip('0123456789')}>"
    texts = [_render_seq(seq) for seq in alts]
    if len(texts) == 1:
        return texts[0]
    lead = texts[0][: len(texts[0]) - len(texts[0].lstrip())]
    trail = texts[-1][len(texts[-1].rstrip()) :]
    cores = [t.strip() for t in texts]
    if all(" " not in t for t in cores):
        return lead + "/".join(cores) + trail
    return lead + "(" + " | ".join(cores) + ")" + trail


_REGISTRY: list[StepDef] = []


def uat_step(pattern: str, *, example: str, area: str, doc: str = ""):
    """Declare a step: registered for pytest-bdd (any keyword) and in the vocabulary.

    The example must match the pattern: it is what `odookit uat steps` and the
    docs show, and a unit test checks that every example parses.
    """
    from pytest_bdd import parsers, step

    if area not in AREAS:
        raise ValueError(f"unknown step area {area!r}")

    def decorator(func):
        definition = StepDef(pattern, example, area, doc or (func.__doc__ or "").strip(), func, func.__module__)
        _REGISTRY.append(definition)
        return step(parsers.re(pattern), stacklevel=2)(func)

    return decorator


def library() -> list[StepDef]:
    """Every step, imported on first use (the step modules pull in pytest-bdd)."""
    for name in STEP_MODULES:
        importlib.import_module(name)
    return list(_REGISTRY)


@dataclass
class Match:
    text: str
    found: list[StepDef]

    @property
    def defined(self) -> bool:
        return len(self.found) == 1


def match(text: str, steps: list[StepDef] | None = None) -> Match:
    steps = library() if steps is None else steps
    return Match(text, [s for s in steps if s.matches(text)])


def suggest(text: str, steps: list[StepDef] | None = None, n: int = 3) -> list[str]:
    """Closest known steps to ``text``, as examples a consultant can copy."""
    steps = library() if steps is None else steps
    # Compare on the words, not the quoted values, which are the user's own.
    def words(s: str) -> str:
        return re.sub(r'"[^"]*"', '""', re.sub(r"\d+(?:\.\d+)?", "0", s)).lower()

    def score(step: StepDef) -> float:
        a, b = words(text), words(step.example)
        # Examples show every optional clause; a short step should still find its long example.
        return max(difflib.SequenceMatcher(None, a, b).ratio(), difflib.SequenceMatcher(None, a, b[: len(a) + 4]).ratio() - 0.05)

    scored = sorted(steps, key=lambda s: -score(s))
    best = [s for s in scored if score(s) > 0.45]
    return [s.example for s in (best or scored)[:n]]


def vocabulary() -> list[dict]:
    return [
        {"area": s.area, "step": s.shape, "example": s.example, "doc": s.doc}
        for area in AREAS
        for s in library()
        if s.area == area
    ]


def _md_cell(text: str) -> str:
    """<qty> would be swallowed as an HTML tag by Markdown; a bare | would split the cell."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def vocabulary_markdown() -> str:
    """The step vocabulary page: generated from the library (at docs build time) so it cannot drift from the code."""
    lines = [
        "# UAT step vocabulary",
        "",
        "<!-- generated by `odookit uat steps --markdown`; do not edit by hand -->",
        "",
        "Every step works with any keyword (Given, When, Then, And, But). Quoted values are",
        "your own names: customers, products and suppliers are created for the run under a",
        "unique prefix; warehouses, categories, pricelists, payment terms, credit segments and",
        "roles are the blueprint's (by code or name).",
        "",
        "How to read a step: `<qty>` and `\"<product>\"` are your values, `[with a discount]` may be",
        "left out, `create/decline` and `(stock | location ...)` mean one of the choices.",
        "",
    ]
    for area in AREAS:
        rows = [v for v in vocabulary() if v["area"] == area]
        if not rows:
            continue
        lines += [f"## {area.capitalize()}", "", "| step | example | what it does |", "| --- | --- | --- |"]
        for v in rows:
            cells = [v["step"], v["example"], v["doc"].splitlines()[0] if v["doc"] else ""]
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
