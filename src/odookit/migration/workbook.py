"""Reading client workbooks: streaming, and refusing what is not a usable .xlsx.

Structural problems (not an .xlsx, encrypted, an XML bomb, an unknown or
missing header, merged cells, formulas with no cached value) stop the read
with one line naming the file, sheet, row and column: nothing after them can
be trusted. Problems of values are left to ``rules``, which reports them all.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from odookit.errors import MigrationError
from odookit.migration.entities import BY_NAME, Entity
from odookit.migration.escape import unescape

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
MAX_SHEET_XML = 2 * 1024**3  # a declared uncompressed size above this is a zip bomb, not a client file
RANGE_RE = re.compile(rb'<mergeCell[^>]*ref="([A-Z]+)(\d+)(?::[A-Z]+\d+)?"')
FORMULA_NO_VALUE_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')


@dataclass
class Sheet:
    """One entity sheet as read: raw cell values, their rows and column letters."""

    entity: Entity
    path: Path
    title: str
    headers: list[str]  # entity column names, in sheet order
    letters: dict[str, str]  # column name -> column letter
    rows: list[int] = field(default_factory=list)  # Excel row number of each data row
    values: list[tuple] = field(default_factory=list)  # raw values, one tuple per data row, in ``headers`` order

    def where(self, row: int, column: str) -> str:
        return f"{self.path.name} sheet {self.title}, row {row}, column {column} ({self.letters.get(column, '?')}{row})"

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.values, columns=self.headers, dtype=object)


def norm_header(value: object) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(value).strip().lower()).strip("_")


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def check_file(path: Path) -> None:
    """Refuse files that are not a plain .xlsx, before any parser touches them."""
    if not path.is_file():
        raise MigrationError(f"{path} does not exist", fix="Check the path, or run `odookit migrate template`.")
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size == 0:
        raise MigrationError("the file is empty (0 bytes)", where=str(path), fix="Save the workbook again from Excel as .xlsx.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix == ".csv" or (suffix not in (".xlsx", ".xlsm") and head[:2] != b"PK" and head != OLE_MAGIC):
        raise MigrationError(
            f"'{path.name}' is not an Excel workbook ({suffix or 'no extension'})",
            where=str(path),
            fix="Open it in Excel and save it as an .xlsx workbook (File > Save As > Excel Workbook).",
        )
    if head == OLE_MAGIC:
        data = path.read_bytes()
        if ENCRYPTED_MARK in data:
            raise MigrationError(
                "the workbook is password-protected (encrypted)",
                where=str(path),
                fix="Remove the password in Excel (File > Info > Protect Workbook) and save it again.",
            )
        raise MigrationError(
            "this is an old .xls (Excel 97-2003) file",
            where=str(path),
            fix="Open it in Excel and save it as an .xlsx workbook.",
        )
    if not zipfile.is_zipfile(path):
        raise MigrationError(
            "the file is not an .xlsx workbook (not a zip archive)",
            where=str(path),
            fix="Save it from Excel as an .xlsx workbook; a renamed .csv or .xls does not work.",
        )


def _sheet_members(path: Path) -> dict[str, str]:
    """Sheet title -> xml member, read from the workbook's own parts (safely)."""
    from defusedxml import ElementTree as SafeET

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.file_size > MAX_SHEET_XML:
                raise MigrationError(
                    f"part {info.filename} expands to {info.file_size // 1024**2} MiB (a zip bomb?)",
                    where=str(path),
                    fix="Do not use this file; ask the client to export the data again.",
                )
            if info.filename.endswith((".xml", ".rels")) and not info.filename.startswith("xl/worksheets/"):
                _refuse_dtd(zf.read(info.filename), path, None)
        try:
            book = SafeET.fromstring(zf.read("xl/workbook.xml"))
            rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        except KeyError:
            raise MigrationError("the archive has no Excel workbook inside", where=str(path), fix="Save it from Excel as .xlsx.") from None
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        target = target.lstrip("/")
        out[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _refuse_dtd(data: bytes, path: Path, sheet: str | None) -> None:
    """No part of a genuine .xlsx declares a DTD; one that does is an entity-expansion attack."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise _unreadable(path, ValueError("entities declared"), sheet=sheet or "")


def _scan_structure(path: Path, member: str, title: str, wanted_rows: int | None = None) -> None:
    """Merged cells and formulas without a cached value, found in the raw sheet XML.

    openpyxl's streaming reader hides both; a byte search keeps the common
    case (neither present) nearly free.
    """
    with zipfile.ZipFile(path) as zf:
        data = zf.read(member)
    _refuse_dtd(data, path, title)
    if b"<mergeCell " in data:
        match = RANGE_RE.search(data)
        col, row = (match.group(1).decode(), match.group(2).decode()) if match else ("?", "?")
        raise MigrationError(
            f"merged cells at {col}{row}",
            where=f"{path.name} sheet {title}, row {row}, column {col}",
            fix="Unmerge all cells (Home > Merge & Center > Unmerge) and fill every row.",
        )
    if b"<f" in data:
        match = FORMULA_NO_VALUE_RE.search(data)
        if match:
            col, row = match.group(1).decode(), match.group(2).decode()
            raise MigrationError(
                f"formula in {col}{row} has no computed value (the file was not saved by Excel after editing)",
                where=f"{path.name} sheet {title}, row {row}, column {col}",
                fix="Open the workbook in Excel, let it recalculate and save it, or paste values only.",
            )


def read_workbook(path: Path, *, only: set[str] | None = None) -> list[Sheet]:
    """Every entity sheet of one workbook, validated structurally."""
    import openpyxl

    path = Path(path)
    check_file(path)
    members = _sheet_members(path)
    known = [t for t in members if norm_header(t) in BY_NAME]
    if not known:
        names = ", ".join(members) or "none"
        close = difflib.get_close_matches(norm_header(next(iter(members), "")), BY_NAME, n=1) if members else []
        hint = f"Rename sheet '{next(iter(members))}' to '{close[0]}'." if close else f"Name sheets after the entities: {', '.join(BY_NAME)}."
        raise MigrationError(f"no entity sheet in the workbook (sheets: {names})", where=str(path), fix=hint)
    for title in known:
        if only is None or norm_header(title) in only:
            _scan_structure(path, members[title], title)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable(path, exc) from None
    sheets = []
    try:
        for title in members:
            name = norm_header(title)
            if name not in BY_NAME:
                continue
            if only is not None and name not in only:
                continue
            try:
                sheets.append(_read_sheet(path, book[title], BY_NAME[name]))
            except MigrationError:
                raise
            except Exception as exc:
                raise _unreadable(path, exc, sheet=title) from None
    finally:
        book.close()
    return sheets


def _unreadable(path: Path, exc: Exception, sheet: str | None = None) -> MigrationError:
    kind = exc.__class__.__name__
    where = f"{path.name} sheet {sheet}" if sheet else f"{path.name}" if sheet == "" else str(path)
    if "Entities" in kind or "DTD" in kind or "entit" in str(exc).lower():
        return MigrationError(
            "the workbook declares XML entities (an XML bomb?) and was not read",
            where=where,
            fix="Do not use this file; ask the client to export the data again from Excel.",
        )
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else kind
    return MigrationError(f"the workbook cannot be read ({kind}: {detail})", where=where, fix="Open it in Excel and save it again as .xlsx.")


def _read_sheet(path: Path, ws, entity: Entity) -> Sheet:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    title = ws.title
    if header is None or all(v is None for v in header):
        raise MigrationError(
            "the sheet has no header row",
            where=f"{path.name} sheet {title}, row 1",
            fix=f"Put the column names in row 1 ({', '.join(entity.column_names)}); `odookit migrate template {entity.name}` writes one.",
        )
    headers: list[str] = []
    letters: dict[str, str] = {}
    positions: list[int] = []
    for index, raw in enumerate(header, start=1):
        if raw is None:
            continue
        name = norm_header(raw)
        letter = _col_letter(index)
        if name not in entity.column_names:
            close = difflib.get_close_matches(name, entity.column_names, n=1)
            hint = f"Rename it to '{close[0]}'." if close else f"Known columns: {', '.join(entity.column_names)}."
            raise MigrationError(
                f"unknown column header '{raw}'", where=f"{path.name} sheet {title}, row 1, column {letter}", fix=hint
            )
        if name in letters:
            raise MigrationError(
                f"column '{name}' appears twice (also in {letters[name]})",
                where=f"{path.name} sheet {title}, row 1, column {letter}",
                fix="Keep one column per field.",
            )
        headers.append(name)
        letters[name] = letter
        positions.append(index - 1)
    missing = [c.name for c in entity.columns if c.required and c.name not in letters]
    if missing:
        after = _col_letter(len(header) + 1)
        raise MigrationError(
            f"required column '{missing[0]}' is missing" + (f" (and {', '.join(missing[1:])})" if missing[1:] else ""),
            where=f"{path.name} sheet {title}, row 1, column {after}",
            fix=f"Add a '{missing[0]}' header; `odookit migrate template {entity.name}` shows the expected layout.",
        )
    sheet = Sheet(entity, path, title, headers, letters)
    width = len(header)
    simple = positions == list(range(len(positions)))
    for number, values in enumerate(rows, start=2):
        if values is None or not any(v is not None and v != "" for v in values):
            continue
        if len(values) < width:
            values = tuple(values) + (None,) * (width - len(values))
        picked = tuple(values[: len(positions)]) if simple else tuple(values[p] for p in positions)
        if any(v.__class__ is str and v[:1] == "'" for v in picked):
            picked = tuple(unescape(v) for v in picked)
        sheet.rows.append(number)
        sheet.values.append(picked)
    return sheet


def workbook_files(folder: Path) -> list[Path]:
    """The client workbooks of a migration folder: its top-level spreadsheet files, Excel lock files aside.

    .xls and .csv files are listed too, so that one dropped in by mistake is
    refused with a clear message instead of being silently skipped.
    """
    suffixes = {".xlsx", ".xlsm", ".xls", ".csv"}
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith("~$"))
