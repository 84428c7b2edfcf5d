"""The measure of the whole: `odookit run` of the sample engagement, twice, from an empty Odoo database.

Point ODOO_URL / ODOO_DB / ODOO_USER / ODOO_PASSWORD (Odoo 18) or ODOO_API_KEY
(Odoo 19) at a database you can throw away, ideally one with only `base` installed. The script creates a fresh
copy of the sample engagement, runs

    odookit run -t dev        (blueprint apply, migrate load, uat run, governance audit, docs build)

twice, prints each stage's wall time from the engagement report, and checks
that the second run changed nothing: 0 changes applied, 0 records created, the
same audit findings. Then `blueprint plan --check` must be empty.

    python benchmarks/engagement_chain.py [--workspace DIR] [--clean]

--clean loads the sample's fixed workbooks (migration/clean) instead of the
ones with planted defects, whose bad rows are held back.
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
    proc = subprocess.run([sys.executable, "-m", "odookit.cli", "-w", str(ws), *args], capture_output=True, text=True, env=env)
    return proc.returncode, proc.stdout, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="Where to create the sample workspace (default: a temp folder).")
    parser.add_argument("--clean", action="store_true", help="Load migration/clean instead of the defective workbooks.")
    args = parser.parse_args()
    settings = {k: os.environ.get(k) for k in ("ODOO_URL", "ODOO_DB", "ODOO_USER")}
    secret = {"ODOOKIT_PASSWORD_DEV": os.environ.get("ODOO_PASSWORD"), "ODOOKIT_API_KEY_DEV": os.environ.get("ODOO_API_KEY")}
    if not all(settings.values()) or not any(secret.values()):
        print("set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD (Odoo 18) or ODOO_API_KEY (Odoo 19) "
              "to a throw-away Odoo database", file=sys.stderr)
        return 2
    from odookit.odoo.connect import major_of, probe_version

    major = major_of(probe_version(settings["ODOO_URL"]))
    ws = args.workspace or Path(tempfile.mkdtemp(prefix="odookit-chain-")) / "engagement"
    env = {**os.environ, **{var: value for var, value in secret.items() if value}}
    code, out, _ = odookit(ws, "init", str(ws), "--example", "regional-distributor", "--force", env=env)
    assert code == 0, out
    config = (ws / "odookit.toml").read_text()
    config = config.replace('url = "http://127.0.0.1:8069"', f'url = "{settings["ODOO_URL"]}"', 1)
    config = config.replace('database = "odookit_test"', f'database = "{settings["ODOO_DB"]}"', 1)
    config = config.replace('login = "admin"', f'login = "{settings["ODOO_USER"]}"', 1)
    config = config.replace('version = "18.0"', f'version = "{major}.0"', 1)
    (ws / "odookit.toml").write_text(config)

    argv = ["run", "-t", "dev", "--json"] + (["--source", "migration/clean"] if args.clean else [])
    reports, walls = [], []
    for _ in range(2):
        code, out, seconds = odookit(ws, *argv, env=env)
        if code != 0:
            print(f"odookit run exited {code}:\n{out[-2000:]}", file=sys.stderr)
            return 1
        reports.append(json.loads(out))
        walls.append(seconds)

    print(f"odookit run twice against {settings['ODOO_URL']} db={settings['ODOO_DB']} "
          f"(Odoo {reports[0].get('odoo_version')}, workspace {ws})")
    print(f"  {'stage':<11} {'first run':>10} {'second run':>11}  second run's result")
    for first, second in zip(reports[0]["stages"], reports[1]["stages"], strict=True):
        print(f"  {first['stage']:<11} {first['seconds']:>8.1f} s {second['seconds']:>9.1f} s  {second['summary']}")
    print(f"  {'total':<11} {reports[0]['seconds']:>8.1f} s {reports[1]['seconds']:>9.1f} s"
          f"  (wall time with start-up: {walls[0]:.1f} s, {walls[1]:.1f} s)")

    stage = [{s["stage"]: s for s in r["stages"]} for r in reports]
    checks = {
        "second apply changed nothing": stage[1]["blueprint"]["facts"].get("changes") == 0,
        "second load created no record": stage[1]["migration"]["facts"].get("created") == 0,
        "same audit findings": stage[0]["governance"]["facts"].get("findings") == stage[1]["governance"]["facts"].get("findings"),
        # "findings" may only say the generated suite is out of date with the blueprint
        "every scenario passed, both runs": all(
            s["uat"]["status"] in ("ok", "findings") and s["uat"]["facts"]["counts"]["passed"] > 0
            and s["uat"]["facts"]["counts"]["failed"] == s["uat"]["facts"]["counts"]["not run"] == 0 for s in stage),
    }
    code, out, seconds = odookit(ws, "blueprint", "plan", "-t", "dev", "--check", env=env)
    checks[f"blueprint plan --check empty ({seconds:.1f} s)"] = code == 0
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
