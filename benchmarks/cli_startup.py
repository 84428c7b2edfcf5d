"""How fast `odookit --help` answers, and which heavy modules it drags in.

Prints the median wall time of N fresh `odookit --help` processes (the goal of
issue 2 is under 0.3 s), the same for `odookit blueprint --help`, and, from
`python -X importtime`, the heavy modules each one imported (there must be
none) and the slowest imports, to show where the time goes.

    python3 benchmarks/cli_startup.py [-n 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HEAVY = ("pandas", "great_expectations", "openpyxl", "pytest", "_pytest", "mkdocs")
GOAL_SECONDS = 0.3


def command(args: list[str]) -> list[str]:
    script = shutil.which("odookit")
    if script:
        return [script, *args]
    return [sys.executable, "-c", "from odookit.cli import main; main()", *args]


def wall_times(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command(args), check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def import_profile(args: list[str]) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) for every module imported while answering ``args``."""
    code = f"import sys; sys.argv = ['odookit', *{args!r}]\nfrom odookit.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env, check=True
    )
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        rows.append((int(cumulative), name.strip()))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=15)
    opts = parser.parse_args()
    failed = False
    for args in (["--help"], ["blueprint", "--help"]):
        label = "odookit " + " ".join(args)
        wall_times(args, 2)  # warm the file cache and .pyc files
        times = wall_times(args, opts.runs)
        median = statistics.median(times)
        profile = import_profile(args)
        heavy = sorted({name.split(".")[0] for _, name in profile if name.split(".")[0] in HEAVY})
        verdict = "ok" if median < GOAL_SECONDS else f"SLOWER than the {GOAL_SECONDS} s goal"
        print(f"{label}: median {median * 1000:.0f} ms over {opts.runs} runs (min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms) - {verdict}")
        print(f"  modules imported: {len(profile)}; heavy modules imported: {', '.join(heavy) or 'none'}")
        top = sorted((row for row in profile if "." not in row[1]), reverse=True)[:6]
        print("  slowest top-level imports: " + ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in top))
        failed |= bool(heavy) or median >= GOAL_SECONDS
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
