"""A legacy export set, as a client's old system writes it, for `odookit migrate map` on the sample engagement.

    python3 benchmarks/legacy_exports.py FOLDER [CUSTOMERS] [PRODUCTS]   (default 2000 1000)

Writes FOLDER/customers.csv (Windows-1252, ';', decimal commas), FOLDER/products.xlsx
(sheet "Items": "Item No", "Description", "Product Group", "Lot Tracked" Y/N, "Unit" PCE/EA)
and FOLDER/stock.csv (UTF-8 with BOM, ','; "Qty", warehouse by name or code). Its labels
are the sample blueprint's names (Net 30, Key Account, Bearings, Chicago Distribution
Center), so that map can propose every code; two columns (Fax, Colour) map to nothing.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from synthetic import _vat

TERMS = ("Net 30", "Net 60", "50% at 30 days, 50% at 60 days")
PRICELISTS = ("List Price (USD)", "Contract A - Key Accounts", "Contract B - OEM Accounts")
SEGMENTS = ("Key Account", "OEM Account", "Cash Customer")
GROUPS = ("Fasteners", "Bearings", "Hydraulics", "Safety Equipment")
LOT_GROUPS = ("Bearings", "Hydraulics")


def write_legacy(folder: Path, customers: int = 2000, products: int = 1000) -> list[Path]:
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    out.writerow(["Customer Code", "Customer Name", "VAT Number", "Street", "City", "Postcode", "Country", "E-Mail", "Telephone",
                  "Customer Group", "Credit Limit", "Payment Terms", "Price List", "Fax"])
    for i in range(1, customers + 1):
        out.writerow([f"{i:06d}", f"Müller & Söhne Werkzeuge {i}", _vat(i, "US"), f"{100 + i} Lake Shore Rd", "Chicago", "60607", "US",
                      f"ap{i}@kunde{i}.example.com", f"+1 312 555 {i % 10000:04d}", SEGMENTS[i % 3], f"{(i % 5) * 1000 + 500},00",
                      TERMS[i % 3], PRICELISTS[i % 3], "+1 312 555 0199"])
    customers_csv = folder / "customers.csv"
    customers_csv.write_bytes(buf.getvalue().encode("cp1252"))

    book = openpyxl.Workbook(write_only=True)
    items = book.create_sheet("Items")
    items.append(["Item No", "Description", "Product Group", "Lot Tracked", "Unit", "Sales Price", "Std Cost", "Weight", "Colour"])
    for i in range(1, products + 1):
        group = GROUPS[i % len(GROUPS)]
        items.append([f"IT-{i:05d}", f"{group[:-1]} {i}", group, "Y" if group in LOT_GROUPS else "N", "PCE" if i % 2 else "EA",
                      round(10 + i * 0.37, 2), round(4 + i * 0.11, 2), round(0.5 + (i % 40) / 8, 2), "grey"])
    products_xlsx = folder / "products.xlsx"
    book.save(products_xlsx)

    buf = io.StringIO()
    out = csv.writer(buf, delimiter=",", lineterminator="\n")
    out.writerow(["Item No", "Warehouse", "Batch", "Qty"])
    for i in range(1, products + 1):
        group = GROUPS[i % len(GROUPS)]
        out.writerow([f"IT-{i:05d}", "Chicago Distribution Center" if i % 2 else "MKE", f"B{i:05d}" if group in LOT_GROUPS else "", 5 + i % 50])
    stock_csv = folder / "stock.csv"
    stock_csv.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return [customers_csv, products_xlsx, stock_csv]


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    sizes = [int(a) for a in args[1:3]]
    for path in write_legacy(Path(args[0]), *sizes):
        print(path)
