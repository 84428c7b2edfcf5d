"""Mutation score of odookit's core modules: how many small code changes the unit suite notices.

    python3 benchmarks/mutation_score.py [--repo PATH] [--module governance/sod ...] [--tests PATH ...] [--timeout SECONDS] [--jobs N]

mutmut (3.x, from the package index; installed on first use) changes one
operator, constant or call at a time in the named modules and runs the
unit tests that cover the changed function. A mutant the tests notice is
*killed*; one they do not is a *survivor*: either a missing test or an
equivalent change (named, with its reason, in docs/testing.md).

The run happens in a scratch copy of the checkout (``--repo``, by default
this one), so neither the work tree nor its pyproject.toml is touched: the
copy's pyproject gets the ``[tool.mutmut]`` section naming the modules.
Integration and browser tests are left out (they skip without a server
anyway). This is a benchmark, not a CI step: a full run takes long on a
small machine; ``--timeout`` bounds it and prints what finished.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

CORE = (
    "blueprints/plan", "blueprints/apply", "blueprints/automation", "blueprints/compile",
    "migration/entities", "migration/load", "migration/reconcile", "migration/rules",
    "uat_scenarios/evidence", "engagement/stages", "governance/sod",
)
# The tests that guard each module: mutmut runs, for each mutant, those of them that call the changed function.
# Running the whole suite for each mutant would take hours on a small machine (the docs-site and CLI tests
# reach every module and build a site each time); a module is guarded by the tests of its own area.
BLUEPRINT_TESTS = ("tests/test_blueprint_pipeline.py", "tests/test_catch_blueprint.py", "tests/test_catch_apply.py",
                   "tests/test_blueprint_loader.py", "tests/test_catch_drift.py", "tests/test_catch_plan.py")
# Every workbook test maps rows, so each surviving mutant of entities would run all of them (4 minutes on a
# loaded 2-core machine): the mapping is guarded by the tests written for it. A narrower selection can only
# lower the score (a mutant another test would catch counts as a survivor), never raise it.
ENTITY_TESTS = ("tests/migration/test_catch_entities_units.py", "tests/migration/test_catch_mapping.py")
AREA_TESTS: dict[str, tuple[str, ...]] = {
    **{f"blueprints/{m}": BLUEPRINT_TESTS for m in ("plan", "apply", "automation")},
    # Every blueprint test compiles a whole example (5 to 30 s a mutant): compile is guarded by its small blueprints.
    "blueprints/compile": ("tests/test_catch_compile.py",),
    # rules is guarded by its checks on sheets built in memory and a few tiny great-expectations runs (one context per process)
    "migration/rules": ("tests/migration/test_catch_rules_units.py", "tests/migration/test_catch_rules_suite.py",
                        "tests/migration/test_checksums.py"),
    # Each workbook test validates with great-expectations (5 to 10 s a mutant): load and reconcile are
    # guarded by their fast tests on rows and validation results built in memory, and a few workbook ones.
    "migration/load": ("tests/migration/test_catch_load_units.py", "tests/migration/test_catch_load.py",
                       "tests/migration/test_delta_load.py"),
    "migration/reconcile": ("tests/migration/test_catch_reconcile_units.py", "tests/migration/test_catch_reconcile.py"),
    "migration/entities": ENTITY_TESTS,
    "uat_scenarios/evidence": ("tests/uat", "tests/test_catch_uat_status.py"),
    "engagement/stages": ("tests/test_run.py", "tests/test_catch_uat_status.py", "tests/test_catch_stages.py",
                          "tests/test_catch_stages_units.py"),
    "governance/sod": ("tests/governance",),
}
TESTS_LEFT_OUT = ("tests/integration", "tests/uat/test_uat_odoo.py", "tests/docs/test_docs_browser.py",
                  "tests/docs/test_docs_toolkit_site.py")
# how mutmut records a mutant's fate (exit codes of the test run, as mutmut 3 maps them)
STATUS = {0: "survived", 1: "killed", 3: "killed", -24: "timeout", 24: "timeout", 33: "no tests", 34: "skipped",
          35: "suspicious", 36: "timeout", 37: "caught by type check", -11: "segfault", 5: "no tests"}


def ensure_mutmut() -> None:
    if importlib.util.find_spec("mutmut") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mutmut>=3.2,<4"], check=True)


def scratch_copy(repo: Path, modules: list[str], tests: list[str]) -> Path:
    work = Path(tempfile.mkdtemp(prefix="odookit-mutmut-"))
    for name in ("src", "tests"):
        shutil.copytree(repo / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for left_out in TESTS_LEFT_OUT:
        target = work / left_out
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    pyproject = (repo / "pyproject.toml").read_text(encoding="utf-8")
    only = ", ".join(json.dumps(f"src/odookit/{m}.py") for m in modules)
    pyproject += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = [{only}]\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
        f"pytest_add_cli_args_test_selection = [{', '.join(json.dumps(t) for t in tests)}]\n"
        "use_git_change_detection = false\n"
        'also_copy = ["mkdocs.yml", "docs", "README.md"]\n'  # tests that build the docs site read them in mutants/
    )
    (work / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (work / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    for extra in ("docs", "README.md"):  # tests that build the docs site read them
        source = repo / extra
        if source.is_dir():
            shutil.copytree(source, work / extra, ignore=shutil.ignore_patterns("site"))
        elif source.exists():
            shutil.copy2(source, work / extra)
    return work


def statuses(work: Path) -> dict[str, str]:
    """mutant name -> status, read from the .meta files mutmut keeps beside each mutated module."""
    out: dict[str, str] = {}
    for meta in (work / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in (data.get("exit_code_by_key") or {}).items():
            out[name] = "not run" if code is None else STATUS.get(code, f"exit {code}")
    return out


def module_of(mutant: str) -> str:
    """odookit.governance.sod.x_check__mutmut_12 (or .xǁClassǁmethod__mutmut_3) -> governance/sod"""
    return "/".join(re.sub(r"\.x[ǁ_].*$", "", mutant).split(".")[1:3])


def report(results: dict[str, str], modules: list[str], seconds: float) -> dict:
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, status in sorted(results.items()):
        mod = module_of(name)
        per[mod][status] += 1
        if status == "survived":
            survivors[mod].append(name)
    rows = {}
    print(f"{'module':28} {'mutants':>8} {'killed':>7} {'survived':>9} {'other':>6} {'score':>7}")
    for mod in modules:
        counts = per.get(mod, {})
        total = sum(counts.values())
        killed = counts.get("killed", 0) + counts.get("caught by type check", 0) + counts.get("timeout", 0)
        judged = killed + counts.get("survived", 0)
        score = 100.0 * killed / judged if judged else float("nan")
        other = total - judged
        rows[mod] = {"mutants": total, "killed": killed, "survived": counts.get("survived", 0), "other": other,
                     "score": round(score, 1)}
        print(f"{mod:28} {total:8} {killed:7} {counts.get('survived', 0):9} {other:6} {score:6.1f}%")
    all_killed = sum(r["killed"] for r in rows.values())
    all_judged = all_killed + sum(r["survived"] for r in rows.values())
    print(f"{'all':28} {sum(r['mutants'] for r in rows.values()):8} {all_killed:7} {all_judged - all_killed:9} "
          f"{'':6} {100.0 * all_killed / all_judged if all_judged else float('nan'):6.1f}%   (anchor: 85% killed)")
    print(f"run took {seconds:.0f} s")
    for mod in modules:
        for name in survivors.get(mod, []):
            print(f"  survived: {name}")
    return {"modules": rows, "survivors": {m: survivors.get(m, []) for m in modules}, "seconds": round(seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1], help="checkout to measure")
    parser.add_argument("--module", action="append", help=f"module under src/odookit, e.g. governance/sod (default: {len(CORE)} core modules)")
    parser.add_argument("--timeout", type=float, default=3600, help="stop mutmut after this many seconds")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run in parallel (the machine is shared)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy (to browse with `mutmut browse`)")
    parser.add_argument("--tests", action="append", metavar="PATH",
                        help="guard the modules with these tests instead of their area's (to try a narrower selection)")
    args = parser.parse_args()
    modules = args.module or list(CORE)
    unknown = sorted(set(modules) - set(CORE))
    if unknown:
        parser.error(f"not a core module: {', '.join(unknown)} (known: {', '.join(CORE)})")
    ensure_mutmut()
    repo = args.repo.resolve()
    deadline = time.monotonic() + args.timeout
    results: dict[str, str] = {}
    seconds: dict[str, float] = {}
    for module in modules:
        left = deadline - time.monotonic()
        if left <= 0:
            print(f"{module}: not run, --timeout reached", flush=True)
            continue
        tests = [t for t in (args.tests or AREA_TESTS[module]) if (repo / t).exists()]
        started = time.monotonic()
        results |= mutate(repo, module, tests, jobs=args.jobs, timeout=left, keep=args.keep)
        seconds[module] = time.monotonic() - started
        print(f"{module}: {seconds[module]:.0f} s with {' '.join(tests)}", flush=True)
    figures = report(results, modules, sum(seconds.values()))
    figures["seconds_per_module"] = {m: round(t) for m, t in seconds.items()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


def mutate(repo: Path, module: str, tests: list[str], *, jobs: int, timeout: float, keep: bool) -> dict[str, str]:
    """Run mutmut on one module in its own scratch copy; mutant name -> status."""
    work = scratch_copy(repo, [module], tests)
    # The mutated copy must come before the editable install's path, also in the CLI subprocesses some tests start.
    # The folder exists before Python starts: a PYTHONPATH entry missing at start-up is never looked at again.
    (work / "mutants" / "src").mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(work / "mutants" / "src")}
    for var in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD", "ODOO_API_KEY"):
        env.pop(var, None)  # the unit suite only
    try:
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)], cwd=work, env=env,
                       timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        print(f"{module}: stopped by --timeout; the figures cover the mutants that ran", flush=True)
    found = statuses(work)
    if keep:
        print(f"{module}: scratch copy kept in {work} (`mutmut browse` there)", flush=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return found

if __name__ == "__main__":
    sys.exit(main())
