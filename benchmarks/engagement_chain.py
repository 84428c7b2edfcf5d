"""The measure of the whole: an engagement from an empty Odoo database to sign-off, twice.

Runs, on a fresh copy of the sample engagement against the Odoo named by
ODOO_URL / ODOO_DB / ODOO_USER / ODOO_PASSWORD (use a database you can throw
away, ideally one with only `base` installed):

    blueprint apply -> migrate load (clean data) -> uat run -> governance audit -> docs build

then runs the chain a second time and checks that it changed nothing:
`blueprint plan --check` is empty, `migrate load` creates no record and the
reconciliation finds no difference. Prints the wall time of every step.

    python benchmarks/engagement_chain.py [--workspace DIR] [--skip-uat]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def odookit(ws: Path, *args: str, env: dict) -> tuple[int, str, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "odookit.cli", "-w", str(ws), *args], capture_output=True, text=True, env=env
    )
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="Where to create the sample workspace (default: a temp folder).")
    parser.add_argument("--skip-uat", action="store_true", help="Leave out `uat run` (the longest step).")
    args = parser.parse_args()
    settings = {k: os.environ.get(k) for k in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")}
    if not all(settings.values()):
        print("set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to a throw-away Odoo database", file=sys.stderr)
        return 2
    ws = args.workspace or Path(tempfile.mkdtemp(prefix="odookit-chain-")) / "engagement"
    env = {**os.environ, "ODOOKIT_PASSWORD_DEV": settings["ODOO_PASSWORD"]}
    code, out, _ = odookit(ws, "init", str(ws), "--example", "regional-distributor", "--force", env=env)
    assert code == 0, out
    config = (ws / "odookit.toml").read_text()
    config = config.replace('url = "http://127.0.0.1:8069"', f'url = "{settings["ODOO_URL"]}"', 1)
    config = config.replace('database = "odookit_test"', f'database = "{settings["ODOO_DB"]}"', 1)
    config = config.replace('login = "admin"', f'login = "{settings["ODOO_USER"]}"', 1)
    (ws / "odookit.toml").write_text(config)

    chain = [
        ("blueprint apply", ["blueprint", "apply", "-t", "dev", "--json"]),
        ("migrate load", ["migrate", "load", "-t", "dev", "--source", "migration/clean", "--json"]),
        ("uat run", ["uat", "run", "-t", "dev", "--json"]),
        ("governance audit", ["governance", "audit", "-t", "dev", "--json"]),
        ("docs build", ["docs", "build", "--json"]),
    ]
    if args.skip_uat:
        chain = [step for step in chain if step[0] != "uat run"]
    figures: list[tuple[str, str, float, str]] = []
    ok = True
    for run in ("first", "second"):
        for name, argv in chain:
            code, out, seconds = odookit(ws, *argv, env=env)
            # an audit that finds conflicts exits 1 by design: it still ran
            ran = code == 0 or (name == "governance audit" and code == 1)
            ok &= ran
            figures.append((run, name, seconds, "ok" if ran else f"exit {code}: {out.strip().splitlines()[-1] if out.strip() else ''}"))
            if name == "migrate load" and ran and run == "second":
                try:
                    created = sum(e.get("created", 0) for e in json.loads(out).get("entities", []))
                except (ValueError, AttributeError):
                    created = "?"
                figures.append((run, "  records created by the second load", 0.0, str(created)))
                ok &= created == 0
    code, out, seconds = odookit(ws, "blueprint", "plan", "-t", "dev", "--check", env=env)
    figures.append(("second", "blueprint plan --check", seconds, "empty" if code == 0 else out.strip().splitlines()[-1]))
    ok &= code == 0
    code, out, seconds = odookit(ws, "migrate", "reconcile", "-t", "dev", "--source", "migration/clean", env=env)
    figures.append(("second", "migrate reconcile", seconds, "no difference" if code == 0 else out.strip().splitlines()[-1]))
    ok &= code == 0

    print(f"engagement chain against {settings['ODOO_URL']} db={settings['ODOO_DB']} (workspace {ws})")
    width = max(len(f[1]) for f in figures)
    for run, name, seconds, status in figures:
        print(f"  {run:6}  {name:<{width}}  {seconds:7.1f} s  {status}")
    total = {r: sum(f[2] for f in figures if f[0] == r) for r in ("first", "second")}
    print(f"  total: first run {total['first']:.1f} s, second run {total['second']:.1f} s")
    print("second run changed nothing" if ok else "FAILED: see the statuses above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
