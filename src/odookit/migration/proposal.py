"""``odookit migrate map``: propose a mapping for a client file, and keep the consultant's edits on a re-run.

Like Odoo's own import screen: a sheet is matched to an entity by its name
(or the file's), a header to a template column by its normalised name, then
by the synonyms consultants meet in legacy exports, then by a fuzzy match
whose confidence is shown. A label is matched to a blueprint code by the
blueprint's codes and names. Nothing is guessed below a threshold: what
matches nothing is written as ``null`` and listed, for the consultant to
decide. The synonyms are generic vocabulary of ERP exports, never one
client's.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from odookit.errors import MigrationError
from odookit.migration.entities import BY_NAME, UOMS
from odookit.migration.mapping import Mapping, coded, mapping_for, read_mapping, relative_to_migration
from odookit.migration.readers import read_tables
from odookit.migration.workbook import label_text, normalise_label

HEADER_THRESHOLD = 0.8  # below this a fuzzy header match is not proposed
LABEL_THRESHOLD = 0.75
MAX_LABELS = 200  # more distinct values than this: not a coded column, nothing proposed

# sheet or file name -> entity
ENTITY_WORDS: dict[str, tuple[str, ...]] = {
    "customers": ("customer", "customers", "client", "clients", "debtor", "debtors", "debitor", "debitoren", "kunde", "kunden",
                  "accounts receivable", "clientes", "klanten"),
    "suppliers": ("supplier", "suppliers", "vendor", "vendors", "creditor", "creditors", "kreditor", "kreditoren", "lieferant",
                  "lieferanten", "proveedores", "leveranciers"),
    "contacts": ("contact", "contacts", "address", "addresses", "ansprechpartner", "kontakte", "adressen"),
    "categories": ("category", "categories", "product group", "product groups", "item group", "item groups", "warengruppe",
                   "warengruppen"),
    "products": ("product", "products", "item", "items", "article", "articles", "artikel", "material", "materials", "part",
                 "parts", "sku", "skus", "item master", "productos", "artikelen"),
    "supplier_prices": ("supplier price", "supplier prices", "vendor price", "vendor prices", "purchase price", "purchase prices",
                        "einkaufspreise", "supplierinfo"),
    "pricelist_items": ("price list", "price lists", "pricelist", "pricelists", "customer price", "customer prices", "sales prices",
                        "preisliste", "preislisten"),
    "opening_stock": ("stock", "stocks", "inventory", "on hand", "onhand", "stock levels", "opening stock", "bestand",
                      "lagerbestand", "quants"),
    "reorder_rules": ("reorder", "reorder rules", "reorder points", "replenishment", "min max", "minmax", "meldebestand",
                      "orderpoints"),
    "kit_components": ("kit", "kits", "kit components", "bill of materials", "bills of materials", "bom", "boms", "stückliste",
                       "stücklisten"),
}

# template column -> headers a legacy system exports for it ("code" depends on the entity)
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "sku": ("item no", "item code", "item", "article", "article no", "artikel no", "artikelnummer", "sku", "part no",
            "product code", "product no", "material no", "material", "default code", "internal reference", "item id", "product id"),
    "name": ("name", "description", "item name", "item description", "product name", "customer name", "company", "company name",
             "supplier name", "vendor name", "account name", "bezeichnung", "firma", "category name", "group name", "contact name"),
    "vat": ("vat", "vat no", "vat id", "vat reg no", "tax id", "tax no", "tax identification no", "ust id", "ust idnr", "ustid",
            "ustidnr", "tva", "btw", "ein", "nif", "cif"),
    "quantity": ("qty", "quantity", "on hand", "qty on hand", "quantity on hand", "onhand", "stock", "stock qty", "menge",
                 "bestand", "available", "count"),
    "pricelist": ("price list", "pricelist", "price group", "preisliste", "tariff"),
    "payment_term": ("payment terms", "payment term", "terms", "terms of payment", "zahlungsbedingung", "zahlungsbedingungen",
                     "payment conditions", "zahlungsziel"),
    "segment": ("segment", "customer segment", "credit segment", "customer group", "customer class", "credit class", "class",
                "kundengruppe"),
    "credit_limit": ("credit limit", "kreditlimit", "credit line", "credit"),
    "category": ("product group", "category", "item group", "product category", "item category", "warengruppe", "group"),
    "tracking": ("lot tracked", "lot tracking", "tracked", "tracking", "batch managed", "batch tracked", "serial tracked",
                 "serialised", "serialized", "chargenpflicht", "lot controlled"),
    "uom": ("uom", "unit", "unit of measure", "units", "base unit", "einheit", "mengeneinheit", "sales unit"),
    "sale_price": ("sales price", "sale price", "price", "list price", "selling price", "unit price", "retail price",
                   "verkaufspreis", "vk preis"),
    "cost": ("cost", "cost price", "standard cost", "std cost", "unit cost", "purchase price", "einstandspreis", "ek preis", "avg cost"),
    "weight": ("weight", "weight kg", "gross weight", "net weight", "gewicht"),
    "barcode": ("barcode", "ean", "ean13", "ean code", "gtin", "upc"),
    "warehouse": ("warehouse", "warehouse code", "site", "depot", "lager", "plant", "branch"),
    "location": ("location", "bin", "bin location", "lagerplatz", "shelf", "storage location"),
    "lot": ("lot", "lot no", "batch", "batch no", "serial no", "serial", "charge", "chargennummer"),
    "street": ("street", "address", "address 1", "address line 1", "street address", "strasse", "adresse"),
    "city": ("city", "town", "ort", "stadt"),
    "zip": ("zip", "zip code", "postal code", "postcode", "post code", "plz"),
    "country": ("country", "country code", "land", "iso country", "country iso"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "phone": ("phone", "telephone", "tel", "phone no", "telefon"),
    "parent": ("parent", "parent category", "parent group", "parent code"),
    "customer": ("customer", "customer code", "customer no", "customer id", "account", "account no", "kundennummer"),
    "supplier": ("supplier", "vendor", "supplier code", "vendor code", "supplier no", "vendor no", "kreditor"),
    "min_qty": ("min qty", "min", "minimum", "minimum qty", "min order qty", "moq", "reorder point", "from qty"),
    "max_qty": ("max qty", "max", "maximum", "maximum qty", "max stock"),
    "price": ("price", "unit price", "purchase price", "net price", "cost", "fixed price"),
    "lead_days": ("lead time", "lead days", "lead time days", "delivery time", "delivery days", "lieferzeit"),
    "valid_from": ("valid from", "start date", "effective date", "date from", "gueltig ab"),
    "type": ("type", "product type", "item type", "address type"),
    "invoice_policy": ("invoice policy", "invoicing policy", "invoicing"),
    "multiple": ("multiple", "order multiple", "qty multiple", "pack size", "rounding"),
}
KEY_WORDS: dict[str, tuple[str, ...]] = {
    "customers": ("code", "customer code", "customer no", "customer id", "account", "account no", "kundennummer", "debitor no",
                  "debtor no", "cust no", "id"),
    "suppliers": ("code", "supplier code", "supplier no", "supplier id", "vendor code", "vendor no", "vendor id", "kreditor no",
                  "creditor no", "id"),
    "contacts": ("code", "contact code", "contact no", "contact id", "address code", "address no", "address id", "id"),
    "categories": ("code", "category code", "group code", "category id", "group no", "id"),
}

# label vocabulary of the template's fixed choices, and of Odoo's standard units
CHOICE_WORDS: dict[str, tuple[str, ...]] = {
    "storable": ("stockable", "stocked", "stock", "inventory", "storable product", "goods", "lagerartikel"),
    "consumable": ("consumable", "consumables", "non stock", "non stocked", "verbrauchsmaterial"),
    "service": ("service", "services", "dienstleistung"),
    "order": ("ordered", "ordered quantities", "on order", "order"),
    "delivery": ("delivered", "delivered quantities", "on delivery", "delivery"),
    "invoice": ("invoice", "invoicing", "billing", "bill to", "rechnungsadresse"),
    "delivery_address": ("delivery", "ship to", "shipping", "lieferadresse"),
}
UOM_WORDS: dict[str, tuple[str, ...]] = {
    "Units": ("unit", "units", "ea", "each", "pc", "pcs", "pce", "piece", "pieces", "stk", "stueck", "stuck", "st", "un", "ct", "count"),
    "Dozens": ("dozen", "dozens", "dz", "doz"),
    "kg": ("kg", "kgs", "kilogram", "kilograms", "kilo"),
    "g": ("g", "gram", "grams", "gr"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "m": ("m", "meter", "meters", "metre", "metres", "mtr"),
    "cm": ("cm", "centimeter", "centimetre"),
    "ft": ("ft", "foot", "feet"),
    "L": ("l", "litre", "liter", "litres", "liters", "ltr"),
    "gal": ("gal", "gallon", "gallons"),
}
YES = {"y", "yes", "true", "1", "x", "j", "ja", "oui", "si", "t", "wahr", "on"}
NO = {"n", "no", "false", "0", "nein", "non", "f", "off", "-"}
TOKENS = {"nr": "no", "number": "no", "num": "no", "nbr": "no"}


def normalise(text: object) -> str:
    """A header as compared: accents, case, punctuation and the spelling of 'number' ignored."""
    raw = unicodedata.normalize("NFKD", str(text).replace("ß", "ss")).encode("ascii", "ignore").decode().lower()
    raw = raw.replace("#", " no ")
    words = re.sub(r"[^0-9a-z]+", " ", raw).split()
    return " ".join(TOKENS.get(w, w) for w in words)


@dataclass
class Match:
    target: str | None  # a template column, a code, or an entity; None: no match
    confidence: float
    how: str  # exact, synonym, code, name, fuzzy, yes/no, kept, given, no match

    def comment(self, *, label: bool = False) -> str:
        if self.how == "kept":
            return "kept (your entry)"
        if self.target is None and self.how == "no match":
            return "no match: write its code here (validation reports it until then)" if label else "no match: left out"
        if self.target is None:
            return self.how
        return f"{self.how}, {self.confidence:.2f}" if self.how == "fuzzy" or self.confidence < 1 else self.how


@dataclass
class SheetProposal:
    title: str
    entity: str | None
    entity_how: str
    rows: int
    columns: dict[str, Match] = field(default_factory=dict)  # client header -> column
    values: dict[str, dict[str, Match]] = field(default_factory=dict)  # column -> label -> code
    gone: dict[str, str | None] = field(default_factory=dict)  # entries of the old mapping whose header is not in the file


@dataclass
class Proposal:
    path: Path  # the client file
    file: str  # relative to migration/
    detected: str
    mapping_path: Path
    sheets: list[SheetProposal] = field(default_factory=list)
    merged: bool = False  # an existing mapping was kept and extended

    def as_dict(self) -> dict:
        data = asdict(self)
        data["path"], data["mapping_path"] = str(self.path), str(self.mapping_path)
        return data


# -- matching --------------------------------------------------------------------------------
def guess_entity(name: str) -> tuple[str | None, str]:
    """The entity a sheet or file name names: the longest entity word found in it, if only one entity has it."""
    words = f" {normalise(name)} "
    if normalise(name).replace(" ", "_") in BY_NAME:
        return normalise(name).replace(" ", "_"), "exact"
    best: dict[str, int] = {}
    for entity, options in ENTITY_WORDS.items():
        for option in options:
            if f" {option} " in words:
                best[entity] = max(best.get(entity, 0), len(option))
    if not best:
        return None, "no match"
    top = max(best.values())
    winners = [e for e, n in best.items() if n == top]
    return (winners[0], "name") if len(winners) == 1 else (None, f"ambiguous: {' or '.join(sorted(winners))}")


def column_words(entity: str, column: str) -> tuple[str, ...]:
    if column == "code" and entity in KEY_WORDS:
        return KEY_WORDS[entity]
    return (column.replace("_", " "), *COLUMN_WORDS.get(column, ()))


def match_header(header: str, entity: str) -> Match:
    """The template column of a client header, with how it matched."""
    norm = normalise(header)
    columns = BY_NAME[entity].column_names
    if norm.replace(" ", "_") in columns:
        return Match(norm.replace(" ", "_"), 1.0, "exact")
    for column in columns:
        if norm in {normalise(w) for w in column_words(entity, column)}:
            return Match(column, 0.95, "synonym")
    best, score = _closest(norm, [(column, [normalise(w) for w in column_words(entity, column)]) for column in columns])
    if best and score >= HEADER_THRESHOLD:
        return Match(best, round(score, 2), "fuzzy")
    return Match(None, round(score, 2), "no match")


def _closest(text: str, candidates: list[tuple[str, list[str]]]) -> tuple[str | None, float]:
    """The candidate one of whose texts is most like ``text`` (difflib's ratio), and that ratio."""
    best, score = None, 0.0
    for target, texts in candidates:
        for other in texts:
            ratio = difflib.SequenceMatcher(None, text, other).ratio()
            if ratio > score:
                best, score = target, ratio
    return best, score


def match_headers(headers: list[str], entity: str) -> dict[str, Match]:
    """Each header's column; when two headers want one column, the better match keeps it."""
    found = {h: match_header(h, entity) for h in headers}
    owner: dict[str, str] = {}
    for header in sorted(found, key=lambda h: -found[h].confidence):
        match = found[header]
        if match.target is None:
            continue
        if match.target in owner:
            found[header] = Match(None, match.confidence, f"no match: '{match.target}' is taken by '{owner[match.target]}'")
        else:
            owner[match.target] = header
    return found


def code_options(entity: str, column: str, blueprint) -> list[tuple[str, tuple[str, ...]]]:
    """(code, the texts a label may say for it) for a coded column: blueprint codes and names, choices, units."""
    spec = BY_NAME[entity].column(column)
    if spec.choices:
        words = dict(CHOICE_WORDS)
        if column == "type" and entity == "contacts":
            words["delivery"] = CHOICE_WORDS["delivery_address"]
        return [(c, (c, *words.get(c, ()))) for c in spec.choices]
    if spec.source == "uoms":
        return [(code, (code, *UOM_WORDS.get(code, ()))) for code in UOMS]
    records = {
        "warehouses": "warehouses", "categories": "product_categories", "pricelists": "pricelists",
        "payment_terms": "payment_terms",
    }
    if blueprint is None:
        return []
    if spec.source == "segments":
        items = blueprint.credit.segments
    else:
        items = getattr(blueprint, records.get(spec.source, ""), [])
    return [(item.code, (item.code, item.name)) for item in items]


def match_label(label: str, options: list[tuple[str, tuple[str, ...]]], *, flag: str | None = None) -> Match:
    """The code of a client label; ``flag`` is the code a yes means for a yes/no column (lot, serial)."""
    norm = normalise_label(label)
    if flag is not None:
        if norm in YES:
            return Match(flag, 1.0, "yes/no")
        if norm in NO or norm == "":
            return Match("none", 1.0, "yes/no")
    for code, texts in options:
        if norm == normalise_label(code):
            return Match(code, 1.0, "code")
    for code, texts in options:
        if norm in {normalise_label(t) for t in texts[1:]}:
            return Match(code, 1.0, "name")
    best, score = _closest(norm, [(code, [normalise_label(t) for t in texts]) for code, texts in options])
    if best and score >= LABEL_THRESHOLD:
        return Match(best, round(score, 2), "fuzzy")
    return Match(None, round(score, 2), "no match")


def _flag_code(header: str, column: str) -> str | None:
    """A tracking column exported as a yes/no flag: yes means lot, or serial when the header says so."""
    if column != "tracking":
        return None
    return "serial" if "serial" in normalise(header) else "lot"


# -- proposing ---------------------------------------------------------------------------------
def propose(path: Path, *, migration: Path, blueprint, entities: dict[str, str | None] | None = None,
            existing: Mapping | None = None) -> Proposal:
    """A mapping for one client file; ``existing`` entries win over what is proposed."""
    entities = entities or {}
    path = Path(path)
    tables = read_tables(path)
    proposal = Proposal(path=path, file=relative_to_migration(path, migration), detected=tables[0].detected if tables else "",
                        mapping_path=migration / "mappings" / f"{path.stem}.yaml", merged=existing is not None)
    for table in tables:
        headers = [label_text(h) for h in table.header if h not in (None, "")]
        if not headers:
            continue  # an empty sheet: nothing to map
        old = existing.sheets.get(table.title) if existing else None
        given = entities.get(table.title, entities.get(path.name, entities.get(path.stem, "")))
        if given != "":
            entity, how = given, "given"
        elif old is not None:
            entity, how = old.entity, "kept"
        else:
            entity, how = guess_entity(table.title)
            if entity is None and len(tables) == 1:
                entity, how = guess_entity(path.stem)
                how = "file name" if entity else how
        if entity is None and how != "given" and how != "kept":
            kind = "file" if table.is_csv else f"sheet '{table.title}'"
            detail = f" ({how})" if how.startswith("ambiguous") else ""
            raise MigrationError(
                f"{kind} names no entity{detail}",
                where=str(path) if table.is_csv else f"{path.name} sheet {table.title}",
                fix=f"Say which with --entity '{table.title}=ENTITY' (one of {', '.join(BY_NAME)}; '-' leaves the sheet out).",
            )
        sheet = SheetProposal(table.title, entity, how, len(table.rows))
        proposal.sheets.append(sheet)
        if entity is None:
            continue
        sheet.columns = match_headers(headers, entity)
        if old is not None and old.entity == entity:
            _keep_columns(sheet, old.columns)
        index = {label_text(h): i for i, h in enumerate(table.header) if h not in (None, "")}
        for header, match in sheet.columns.items():
            if match.target is None or not coded(entity, match.target):
                continue
            labels = _labels(table, index[header])
            if labels is None:
                continue
            options = code_options(entity, match.target, blueprint)
            flag = _flag_code(header, match.target)
            found = {label: match_label(label, options, flag=flag) for label in sorted(labels, key=str.casefold)}
            kept = (old.values.get(match.target, {}) if old is not None and old.entity == entity else {})
            for label, code in kept.items():
                if label not in found or found[label].target != code:
                    found[label] = Match(code, 1.0, "kept")
            sheet.values[match.target] = found
    if not proposal.sheets:
        raise MigrationError("the file has no sheet with a header row", where=str(path), fix="Export it again with column names in row 1.")
    return proposal


def _keep_columns(sheet: SheetProposal, old: dict[str, str | None]) -> None:
    """The old mapping's columns win; a new header proposed for a column an old entry has is left out."""
    for header, column in old.items():
        if header not in sheet.columns:
            sheet.gone[header] = column
        elif sheet.columns[header].target != column:
            sheet.columns[header] = Match(column, 1.0, "kept")
    owners = {column: header for header, column in old.items() if column is not None}
    for header, match in sheet.columns.items():
        if header not in old and match.target in owners:
            sheet.columns[header] = Match(None, match.confidence, f"no match: '{match.target}' is mapped from '{owners[match.target]}'")


def _labels(table, position: int) -> list[str] | None:
    seen: dict[str, None] = {}
    for row in table.cells:
        value = row[position]
        if value in (None, ""):
            continue
        text = label_text(value)
        seen.setdefault(text, None)
        if len(seen) > MAX_LABELS:
            return None
    return list(seen)


def propose_files(paths: list[Path], *, ws, entities: dict[str, str | None]) -> list[Proposal]:
    """Proposals for several files, each merged with its mapping file when there is one; nothing is written."""
    from odookit.blueprints.loader import load_workspace_blueprint

    blueprint = load_workspace_blueprint(ws)
    migration = ws.migration
    proposals, targets = [], {}
    for path in paths:
        path = _resolve(path, ws)
        target = migration / "mappings" / f"{path.stem}.yaml"
        if target in targets:
            raise MigrationError(f"'{path.name}' and '{targets[target].name}' would share the mapping file {target.name}",
                                 where=str(path), fix="Rename one of the two files (their stems must differ).")
        targets[target] = path
        existing = read_mapping(target, shown=f"mappings/{target.name}") if target.is_file() else None
        if existing is not None and mapping_for([existing], path, migration) is None:
            raise MigrationError(f"mappings/{target.name} maps another file ({existing.file})", where=f"mappings/{target.name}:1:1",
                                 fix=f"Rename {path.name}, or move the old mapping aside.")
        proposals.append(propose(path, migration=migration, blueprint=blueprint, entities=entities, existing=existing))
    known = {s.title for p in proposals for s in p.sheets} | {p.path.stem for p in proposals} | {p.path.name for p in proposals}
    for sheet in entities:
        if sheet not in known:
            raise MigrationError(f"--entity names sheet '{sheet}', which none of the files has",
                                 fix=f"Sheets read: {', '.join(sorted(known))}.")
    return proposals


def _resolve(path: Path, ws) -> Path:
    path = Path(path)
    if path.exists() or path.is_absolute():
        return path
    for base in (ws.migration, ws.root):
        if (base / path).exists():
            return base / path
    return path


# -- writing ----------------------------------------------------------------------------------
def _plain_ok(text: str, *, key: bool) -> bool:
    import yaml

    if not text or text != text.strip() or any(c in text for c in "#:{}[],&*!|>'\"%@`\n\t"):
        return False
    try:
        return yaml.safe_load(f"{text}: x" if key else f"k: {text}") == ({text: "x"} if key else {"k": text})
    except yaml.YAMLError:
        return False


def scalar(text: str | None, *, key: bool = False) -> str:
    """A YAML scalar that reads back as exactly ``text`` (null for None)."""
    if text is None:
        return "null"
    return text if _plain_ok(text, key=key) else json.dumps(text, ensure_ascii=False)


def render(proposal: Proposal) -> str:
    """The mapping file's text: the structure of ``mapping.read_mapping``, with how each entry matched as a comment."""
    lines = [
        f"# Proposed by `odookit migrate map` from {proposal.file}"
        + (f" ({proposal.detected})" if proposal.detected else "") + "; review, edit, commit.",
        "# Re-running it keeps your entries and adds new headers and labels; these comments are regenerated.",
        "# columns: client header -> template column (null: left out). values: client label -> code (null: no code).",
        f"file: {scalar(proposal.file)}",
        "sheets:",
    ]
    for sheet in proposal.sheets:
        lines.append(f"  {scalar(sheet.title, key=True)}:")
        if sheet.entity is None:
            lines.append("    entity: null  # left out")
            continue
        lines.append(f"    entity: {sheet.entity}  # {sheet.entity_how}, {sheet.rows} rows")
        lines.append("    columns:")
        for header, match in sheet.columns.items():
            lines.append(f"      {scalar(header, key=True)}: {scalar(match.target)}  # {match.comment()}")
        for header, column in sheet.gone.items():
            lines.append(f"      {scalar(header, key=True)}: {scalar(column)}  # kept, but the file has no such header now")
        if sheet.values:
            lines.append("    values:")
            for column, labels in sheet.values.items():
                lines.append(f"      {column}:")
                for label, match in labels.items():
                    lines.append(f"        {scalar(label, key=True)}: {scalar(match.target)}  # {match.comment(label=True)}")
    return "\n".join(lines) + "\n"


def write_proposals(proposals: list[Proposal]) -> list[Path]:
    """Write every mapping file (through a temp file each), after all of them were proposed."""
    from odookit.migration.report import atomic_text

    out = []
    for proposal in proposals:
        text = render(proposal)
        read_back_check(text, proposal)
        out.append(atomic_text(proposal.mapping_path, text))
    return out


def read_back_check(text: str, proposal: Proposal) -> None:
    """The rendered file must read back as the proposal (a label YAML would misread is a bug, not a file to write)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.yaml"
        probe.write_text(text, encoding="utf-8")
        back = read_mapping(probe)
    for sheet in proposal.sheets:
        got = back.sheets[sheet.title]
        same = got.entity == sheet.entity and (sheet.entity is None or (
            got.columns == {**{h: m.target for h, m in sheet.columns.items()}, **sheet.gone}
            and got.values == {c: {lb: m.target for lb, m in labels.items()} for c, labels in sheet.values.items()}))
        if not same:
            raise RuntimeError(f"the mapping written for {proposal.file} sheet {sheet.title} would not read back as proposed")
