"""Validation throughput and accuracy on a large synthetic workbook.

    python3 benchmarks/bench_validate.py [CUSTOMERS] [PRODUCTS]   (default 100000 50000)

Prints: planted vs found defects per rule, the time of a bare
``pandas.read_excel`` of the same file, and odookit's read + validate +
annotate time, in rows per second.
"""

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from odookit.blueprints.loader import load_blueprint
from odookit.migration.report import annotate
from odookit.migration.rules import validate_files
from odookit.migration.synthetic import generate, write_workbook

BLUEPRINT = Path(__file__).resolve().parents[1] / "src/odookit/examples/regional-distributor/blueprints"


def main(customers: int, products: int) -> None:
    import pandas as pd

    blueprint = load_blueprint(BLUEPRINT)[0]
    tmp = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    data = generate(customers=customers, products=products, rate=0.01, seed=11)
    path = write_workbook(data, tmp / "synthetic.xlsx", entities=["categories", "customers", "products"])
    rows = sum(len(data.sheets[n]) for n in ("categories", "customers", "products"))
    print(f"generated {rows} rows ({customers} customers, {products} products) in {time.perf_counter() - t:.1f}s: {path}")

    t = time.perf_counter()
    pd.read_excel(path, sheet_name=None, engine="openpyxl")
    bare = time.perf_counter() - t
    print(f"pandas.read_excel (all sheets): {bare:.1f}s, {rows / bare:,.0f} rows/s")

    t = time.perf_counter()
    validation = validate_files([path], blueprint=blueprint, module="bench")
    checked = time.perf_counter() - t
    annotate(validation, tmp / "reports")
    total = time.perf_counter() - t
    print(f"odookit read + validate: {checked:.1f}s; + annotated copy: {total:.1f}s, {rows / total:,.0f} rows/s, "
          f"{total / bare:.2f}x the bare read")

    found = {(f.entity, f.row, f.rule) for f in validation.findings}
    planted = {p for p in data.planted if p[0] in ("customers", "products")}
    by_rule_planted = Counter(rule for _, _, rule in planted)
    by_rule_found = Counter(rule for _, _, rule in found & planted)
    print(f"{'rule':<14}{'planted':>9}{'found':>9}")
    for rule in sorted(by_rule_planted):
        print(f"{rule:<14}{by_rule_planted[rule]:>9}{by_rule_found[rule]:>9}")
    unplanted = found - planted
    print(f"total planted {len(planted)}, found {len(found & planted)}, findings not planted {len(unplanted)}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [100_000, 50_000][len(args):]))
