"""Synthetic client workbooks with a controlled set of planted defects.

Used for the sample engagement's workbooks (tens of rows) and for the
benchmarks (100,000 customers): the same generator, so the sample's defects
are exactly the kinds the validation is measured on. Every planted defect is
recorded as (entity, row, rule), so a run can report found against planted.

Its rows speak the regional-distributor sample's codes (its categories, warehouses,
pricelists and payment terms), so it lives beside the benchmarks, not in the package.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from odookit.migration.entities import BY_NAME
from odookit.migration.escape import row as escaped

WORDS = ("Lakeside", "Prairie", "Summit", "Harbor", "Granite", "Cedar", "Northern", "Riverside", "Keystone", "Iron",
         "Badger", "Beacon", "Pioneer", "Midwest", "Frontier", "Atlas", "Union", "Eagle", "Maple", "Superior")
TRADES = ("Machining", "Fabrication", "Hydraulics", "Equipment", "Tooling", "Industries", "Mechanical", "Supply",
          "Assembly", "Controls", "Conveyors", "Welding")
STREETS = ("Main St", "Oak Ave", "Industrial Pkwy", "Commerce Dr", "Lake Shore Rd", "Factory Ln", "Harbor Blvd")
CITIES = (("Chicago", "60607", "US"), ("Milwaukee", "53204", "US"), ("Waukegan", "60085", "US"),
          ("Boston", "02134", "US"), ("Vancouver", "V6B 1A1", "CA"), ("Surrey", "V3T 0A3", "CA"))
CATEGORIES = {"FAST": "Fastener", "BRG": "Bearing", "HYD": "Hydraulic fitting", "SAFE": "Safety glove", "TOOL": "Cordless drill"}
TRACKING = {"BRG": "lot", "HYD": "lot", "TOOL": "serial"}
EIN_PREFIXES = ("27", "36", "38", "39", "41", "45", "46", "47", "51", "52", "61", "81", "83", "84", "86", "87", "88", "91")


@dataclass
class Dataset:
    sheets: dict[str, list[dict]] = field(default_factory=dict)
    planted: set[tuple[str, int, str]] = field(default_factory=set)  # (entity, excel row, rule)

    def plant(self, entity: str, index: int, rule: str) -> None:
        self.planted.add((entity, index + 2, rule))  # data starts on Excel row 2


def _vat(n: int, country: str) -> str:
    """A valid tax ID, unique per ``n`` so that duplicates are only the planted ones."""
    from stdnum import luhn

    if country == "CA":
        base = f"{10**7 + n:08d}"
        return base + luhn.calc_check_digit(base)
    return f"{EIN_PREFIXES[n % len(EIN_PREFIXES)]}-{n:07d}"


def _ean(n: int) -> str:
    from stdnum import ean

    body = f"0{760000000000 + n:011d}"[-12:]
    return body + ean.calc_check_digit(body)


def generate(customers: int = 30, products: int = 40, *, defects: bool = True, rate: float = 0.0, seed: int = 7) -> Dataset:
    """A consistent dataset; with ``defects`` a few of each kind (or ``rate`` of the rows) are planted."""
    rng = random.Random(seed)
    data = Dataset()
    cust = []
    for i in range(1, customers + 1):
        city, zip_, country = CITIES[i % len(CITIES)]
        name = f"{WORDS[i % len(WORDS)]} {TRADES[(i // len(WORDS)) % len(TRADES)]} {i:05d}"
        segment = ("KEY", "OEM", "CASH")[i % 3]
        cust.append({
            "code": f"{i:06d}", "name": name, "vat": _vat(i, country),
            "street": f"{100 + i} {STREETS[i % len(STREETS)]}", "city": city, "zip": zip_, "country": country,
            "email": f"ap{i}@{name.split()[0].lower()}-{i}.example.com", "phone": f"+1 312 555 {i % 10000:04d}",
            "segment": segment, "credit_limit": {"KEY": 50000, "OEM": 25000, "CASH": 0}[segment] if i % 4 else None,
            "payment_term": ("NET30", "NET60", "SPLIT3060")[i % 3], "pricelist": ("LIST", "CONTRACT_A", "CONTRACT_B")[i % 3],
        })
    contacts = [
        {"code": f"D{c['code']}", "customer": c["code"], "type": "delivery", "name": f"{c['name']} - Receiving",
         "street": f"{200 + i} Dock Rd", "city": c["city"], "zip": c["zip"], "country": c["country"], "email": None, "phone": None}
        for i, c in enumerate(cust[: max(2, customers // 5)])
    ]
    sups = []
    for i in range(1, max(3, customers // 10) + 1):
        city, zip_, country = CITIES[(i + 2) % len(CITIES)]
        sups.append({"code": f"S{i:04d}", "name": f"{WORDS[-i % len(WORDS)]} Manufacturing {i:04d}", "vat": _vat(5_000_000 + i, country),
                     "street": f"{10 + i} Mill Rd", "city": city, "zip": zip_, "country": country,
                     "email": f"orders@supplier{i}.example.com", "phone": None, "payment_term": "NET60"})
    cats = [{"code": "FAST_MET", "name": "Metric Fasteners", "parent": "FAST"}, {"code": "SAFE_PPE", "name": "Personal Protection", "parent": "SAFE"}]
    prods = []
    codes = list(CATEGORIES) + ["FAST_MET"]
    for i in range(1, products + 1):
        cat = codes[i % len(codes)]
        base = cat.split("_")[0]
        prods.append({
            "sku": f"{base}-{i:05d}", "name": f"{CATEGORIES[base]} {i}", "barcode": _ean(i), "type": "storable",
            "category": cat, "uom": "Units", "tracking": TRACKING.get(base, "none"),
            "sale_price": round(5 + (i * 7.31) % 400, 2), "cost": round(3 + (i * 4.17) % 250, 2), "weight": round(0.1 + (i % 50) / 10, 2),
            "invoice_policy": "delivery",
        })
    prices, items, stock, rules = [], [], [], []
    for i, p in enumerate(prods):
        prices.append({"supplier": sups[i % len(sups)]["code"], "sku": p["sku"], "min_qty": 1, "price": p["cost"], "lead_days": 7 + i % 7,
                       "valid_from": date(2025, 1, 1)})
        if i % 4 == 0:
            items.append({"pricelist": "CONTRACT_A", "sku": p["sku"], "min_qty": 0, "price": round(p["sale_price"] * 0.9, 2)})
        tracking = p["tracking"]
        if tracking == "serial":
            for n in range(2):
                stock.append({"warehouse": "CHI", "sku": p["sku"], "lot": f"SN{i:05d}{n}", "quantity": 1})
        else:
            stock.append({"warehouse": "CHI", "sku": p["sku"], "lot": f"L{i:05d}" if tracking == "lot" else None, "quantity": 10 + i % 90})
            if i % 3 == 0:
                stock.append({"warehouse": "MKE", "sku": p["sku"], "lot": f"L{i:05d}" if tracking == "lot" else None, "quantity": 5 + i % 20})
        if p["category"].startswith("FAST"):
            rules.append({"warehouse": "CHI", "sku": p["sku"], "min_qty": 200, "max_qty": 1000, "multiple": 50})
    data.sheets = {"categories": cats, "customers": cust, "contacts": contacts, "suppliers": sups, "products": prods,
                   "supplier_prices": prices, "pricelist_items": items, "opening_stock": stock, "reorder_rules": rules}
    if defects:
        _plant(data, rng, rate)
    return data


def _plant(data: Dataset, rng: random.Random, rate: float) -> None:
    """The usual defects of client data, each on rows chosen so that no two defects share a row."""
    cust, prods, prices = data.sheets["customers"], data.sheets["products"], data.sheets["supplier_prices"]

    def pick(rows: list, k: int, used: set[int]) -> list[int]:
        free = [i for i in range(len(rows)) if i not in used]
        chosen = rng.sample(free, min(k, len(free)))
        used.update(chosen)
        return chosen

    count = (lambda n: max(2, int(n * rate))) if rate else (lambda n: 2)
    used_c: set[int] = set()
    for i in pick(cust, count(len(cust)), used_c):
        cust[i]["code"] = int(cust[i]["code"])
        data.plant("customers", i, "leading_zeros")
    for i in pick(cust, count(len(cust)) + 1, used_c):
        cust[i]["vat"] = None
        data.plant("customers", i, "missing")
    for i in pick(cust, count(len(cust)), used_c):
        cust[i]["email"] = cust[i]["email"].replace("@", ".")
        data.plant("customers", i, "format")
    for i in pick(cust, count(len(cust)), used_c):
        copy = dict(cust[i], code=f"{len(cust) + 1:06d}", name=cust[i]["name"].upper() + " Inc.", email=None)
        used_c.add(len(cust))
        cust.append(copy)
        data.plant("customers", i, "duplicate")
        data.plant("customers", len(cust) - 1, "duplicate")
    used_p: set[int] = set()
    for i in pick(prods, count(len(prods)), used_p):
        prods[i]["category"] = "FASTENERS"
        data.plant("products", i, "allowed")
    for i in pick(prods, count(len(prods)), used_p):
        prods[i]["sale_price"] = f"{prods[i]['sale_price']:.2f}"
        data.plant("products", i, "text_number")
    for i in pick(prods, count(len(prods)), used_p):
        code = prods[i]["barcode"]
        prods[i]["barcode"] = code[:-1] + str((int(code[-1]) + 1) % 10)
        data.plant("products", i, "barcode")
    used_s: set[int] = set()
    for i in pick(prices, count(len(prices)), used_s):
        prices[i]["valid_from"] = prices[i]["valid_from"].strftime("%d/%m/%Y")
        data.plant("supplier_prices", i, "date_text")


def write_workbook(data: Dataset, path: Path, *, entities: list[str] | None = None) -> Path:
    """One sheet per entity, header in row 1, in a streaming workbook (atomic write)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in data.sheets.items():
        if entities and name not in entities:
            continue
        sheet = book.create_sheet(name)
        columns = BY_NAME[name].column_names
        sheet.append(columns)
        for row in rows:
            sheet.append(escaped(sheet, [row.get(c) for c in columns]))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    tmp.replace(path)
    return path
