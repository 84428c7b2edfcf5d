"""Regenerate the sample engagement's workbooks (run from the repository root).

    python3 benchmarks/make_sample.py

migration/northwind-master-data.xlsx carries the usual client defects, so a
first `odookit build` has findings to show; migration/clean/ holds the same
data as the client sends it back once fixed, which loads with no rejects.
"""

from pathlib import Path

from synthetic import generate, write_workbook

ROOT = Path(__file__).resolve().parents[1] / "src/odookit/examples/regional-distributor/migration"

if __name__ == "__main__":
    dirty = generate(customers=30, products=40, defects=True)
    print(write_workbook(dirty, ROOT / "northwind-master-data.xlsx"), f"{len(dirty.planted)} planted defects")
    print(write_workbook(generate(customers=30, products=40, defects=False), ROOT / "clean" / "northwind-master-data.xlsx"))
