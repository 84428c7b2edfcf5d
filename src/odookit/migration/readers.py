"""Reading what legacy systems export: .xlsx, .xls, .ods and .csv, as plain tables.

A client's old system rarely writes odookit's template: it exports CSV in
the locale's code page and delimiter, old .xls files, LibreOffice .ods. Every
format becomes the same :class:`Table` (row 1 is the header, every other row
as the file holds it, empty cells as ``""``), which ``workbook`` then turns
into entity sheets, through a mapping when there is one.

Cell values are read by python-calamine (Rust), the only part of reading that
grows with the file. What calamine does not report, an .xlsx's structure, is
found in the raw parts: a DTD or a zip bomb before any parser reads the file;
merged cells and formulas saved without a value by a byte scan of the sheet XML,
on a thread of its own beside the parser, raised before anything read from that
sheet is used.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from odookit.errors import MigrationError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
MAX_PART = 2 * 1024**3  # a declared uncompressed size above this is a zip bomb, not a client file
RANGE_RE = re.compile(rb'<mergeCell[^>]*ref="([A-Z]+)(\d+)(?::[A-Z]+\d+)?"')
FORMULA_START = re.compile(rb"<f[\s>/]")  # a <f> element; as a regex: twice as fast as `b"<f" in` on a sheet of '<'s
FORMULA_NO_VALUE_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')
SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "csv", ".tsv": "csv", ".txt": "csv"}
DELIMITERS = {";": "';'", ",": "','", "\t": "tab", "|": "'|'"}
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)  # what a damaged archive member raises as it is inflated


@dataclass
class Table:
    """One sheet of a client file, every column as the client wrote it."""

    path: Path
    title: str  # the sheet's name; a CSV's is its file stem
    header: list  # row 1, as read
    rows: list[int] = field(default_factory=list)  # the file's row number of each data row (blank rows skipped)
    cells: list[list] = field(default_factory=list)  # one list per data row, "" for an empty cell
    typed: bool = True  # False for CSV: every cell is text, numbers and dates included
    detected: str = ""  # what was detected about the file, e.g. "CSV, Windows-1252, delimiter ';'"

    @property
    def is_csv(self) -> bool:
        return not self.typed


def kind_of(path: Path) -> str:
    """xlsx, xls, ods or csv, by extension and then by content."""
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        return "xls"  # or an encrypted .xlsx: both are OLE containers, told apart in read_tables
    if head[:2] == b"PK":
        return "ods" if suffix == ".ods" or _zip_has(path, "content.xml") else "xlsx"
    return SUFFIXES.get(suffix, "csv")


def _zip_has(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return member in zf.namelist()
    except zipfile.BadZipFile:
        return False


def check_file(path: Path) -> str:
    """Refuse what is not a readable client file before any parser touches it; returns its kind."""
    if not path.is_file():
        raise MigrationError(f"{path} does not exist", fix="Check the path, or run `odookit migrate template`.")
    if path.stat().st_size == 0:
        fix = "Export it again from the client's system." if path.suffix.lower() in (".csv", ".tsv", ".txt") else \
            "Save the workbook again from Excel as .xlsx."
        raise MigrationError("the file is empty (0 bytes)", where=str(path), fix=fix)
    kind = kind_of(path)
    if kind == "xls" and ENCRYPTED_MARK in path.read_bytes():
        raise MigrationError(
            "the workbook is password-protected (encrypted)",
            where=str(path),
            fix="Remove the password in Excel (File > Info > Protect Workbook) and save it again.",
        )
    if kind in ("xlsx", "ods"):
        if not zipfile.is_zipfile(path):
            raise MigrationError(
                f"the file is not an .{kind} workbook (not a zip archive)",
                where=str(path),
                fix=f"Save it from {'Excel' if kind == 'xlsx' else 'LibreOffice'} as an .{kind} workbook; a renamed .csv or .xls does not work.",
            )
        _refuse_bombs(path)
    elif kind == "csv" and b"\x00" in path.read_bytes()[:4096] and not _utf16(path.read_bytes()[:2]):
        raise MigrationError(
            f"'{path.name}' is not a text (CSV) file",
            where=str(path),
            fix="Export the data again as CSV, .xlsx, .xls or .ods.",
        )
    return kind


def _utf16(head: bytes) -> bool:
    return head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _refuse_bombs(path: Path) -> None:
    """A part that expands past any real export, or an XML part declaring a DTD, is refused before any parser
    reads the file. A sheet's XML is named by its sheet's title, read from the workbook's own parts once the
    other parts passed."""
    with zipfile.ZipFile(path) as zf:
        sheets = []
        for info in zf.infolist():
            if info.file_size > MAX_PART:
                raise MigrationError(
                    f"part {info.filename} expands to {info.file_size // 1024**2} MiB (a zip bomb?)",
                    where=str(path),
                    fix="Do not use this file; ask the client to export the data again.",
                )
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                sheets.append(info.filename)
            elif info.filename.endswith((".xml", ".rels")):
                refuse_dtd(_head(zf, info.filename, path, None), path, None)
        titles = {member: title for title, member in xlsx_sheet_members(path).items()} if sheets else {}
        for member in sheets:
            refuse_dtd(_head(zf, member, path, titles.get(member)), path, titles.get(member))


def _head(zf: zipfile.ZipFile, member: str, path: Path, sheet: str | None) -> bytes:
    """The first bytes of a part, where a DTD must stand (only those are inflated)."""
    try:
        with zf.open(member) as fh:
            return fh.read(4096)
    except DAMAGED as exc:
        raise unreadable(path, exc, sheet=sheet) from None


def refuse_dtd(data: bytes, path: Path, sheet: str | None) -> None:
    """No part of a genuine workbook declares a DTD; one that does is an entity-expansion attack."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise MigrationError(
            "the workbook declares XML entities (an XML bomb?) and was not read",
            where=f"{path.name} sheet {sheet}" if sheet else str(path),
            fix="Do not use this file; ask the client to export the data again from Excel.",
        )


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector paused while a file's cells become objects, and back on after.

    Reading a sheet makes a list per row and an object per cell, none of them part of a cycle; the collector
    still walks the young ones every 700 allocations and the whole heap whenever a quarter of it is new: a
    fifth of the CPU time of reading a 100,000-row sheet. Nothing read is garbage until the read is over.

    Back on, the collector would first walk everything made during the pause (0.15 s after a 151,000-row
    read) to find it alive: freezing and unfreezing moves it to the oldest generation unwalked instead, where
    a cycle made meanwhile waits for the next full collection. Skipped when the program froze objects of its own.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_tables(path: Path, *, only=None) -> list[Table]:
    """Every sheet of a client file (the one table of a CSV). ``only(title)`` picks sheets to read."""
    return list(iter_tables(path, only=only))


def iter_tables(path: Path, *, only=None) -> Iterator[Table]:
    """The sheets of a client file one after the other, as :func:`read_tables` lists them.

    While the caller turns one table into an entity sheet, the next sheet is already being parsed, and every
    sheet's XML scanned, on two threads of their own: python-calamine parses and zlib inflates without holding
    Python's lock, so on a machine with a second core a 100,000-row sheet costs its parse once, not parse plus
    scan plus the caller's work one after the other. Problems are raised in sheet order, a sheet's structure
    (merged cells, formulas without a value) before anything read from it.
    """
    path = Path(path)
    kind = check_file(path)
    if kind == "csv":
        yield read_csv(path)
        return
    yield from _read_calamine(path, kind, only)


def sheet_titles(path: Path) -> list[str]:
    """The names of a file's worksheets, without reading their cells (a CSV's one sheet is its stem)."""
    kind = kind_of(path)
    if kind == "csv":
        return [path.stem]
    if kind == "xlsx":
        return list(xlsx_sheet_members(path))
    import python_calamine as pc

    book = _open_calamine(path)
    try:
        return [m.name for m in book.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
    finally:
        book.close()


def _open_calamine(path: Path):
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise MigrationError("the workbook is password-protected (encrypted)", where=str(path),
                             fix="Remove the password and save it again.") from None
    except Exception as exc:
        raise unreadable(path, exc) from None


# -- .xlsx structure ------------------------------------------------------------------
def xlsx_sheet_members(path: Path) -> dict[str, str]:
    """Sheet title -> xml member, read from the workbook's own parts (with defusedxml)."""
    from defusedxml import ElementTree as SafeET

    with zipfile.ZipFile(path) as zf:
        try:
            book = SafeET.fromstring(zf.read("xl/workbook.xml"))
            rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        except KeyError:
            raise MigrationError("the archive has no Excel workbook inside", where=str(path), fix="Save it from Excel as .xlsx.") from None
        except Exception as exc:
            raise unreadable(path, exc) from None
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "").lstrip("/")
        out[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def scan_xlsx_sheet(path: Path, member: str, title: str) -> None:
    """Merged cells and formulas without a cached value, found in the raw sheet XML.

    Neither is visible in the values calamine returns (a formula nobody
    recalculated reads as an empty cell); a byte search keeps the common
    case, neither present, nearly free.
    """
    with zipfile.ZipFile(path) as zf:
        try:
            data = zf.read(member)
        except KeyError:
            return
        except DAMAGED as exc:  # a damaged copy: its sheet XML does not inflate, or not to what the archive says
            raise unreadable(path, exc, sheet=title) from None
    if b"<mergeCell " in data:
        match = RANGE_RE.search(data)
        col, row = (match.group(1).decode(), match.group(2).decode()) if match else ("?", "?")
        raise MigrationError(
            f"merged cells at {col}{row}",
            where=f"{path.name} sheet {title}, row {row}, column {col}",
            fix="Unmerge all cells (Home > Merge & Center > Unmerge) and fill every row.",
        )
    if FORMULA_START.search(data):
        match = FORMULA_NO_VALUE_RE.search(data)
        if match:
            col, row = match.group(1).decode(), match.group(2).decode()
            raise MigrationError(
                f"formula in {col}{row} has no computed value (the file was not saved by Excel after editing)",
                where=f"{path.name} sheet {title}, row {row}, column {col}",
                fix="Open the workbook in Excel, let it recalculate and save it, or paste values only.",
            )


# -- .xlsx / .xls / .ods values ----------------------------------------------------------
def _read_calamine(path: Path, kind: str, only) -> Iterator[Table]:
    import python_calamine as pc

    book = _open_calamine(path)
    try:
        names = [m.name for m in book.sheets_metadata
                 if m.typ == pc.SheetTypeEnum.WorkSheet and (only is None or only(m.name))]
        members = xlsx_sheet_members(path) if kind == "xlsx" else {}
        # the book is only ever touched by the parser thread (calamine refuses two threads at once); one sheet is
        # parsed ahead of the caller, so at most two sheets' cells are held at a time
        with ThreadPoolExecutor(1, "odookit-scan") as scanner, ThreadPoolExecutor(1, "odookit-parse") as parser:
            scans = [scanner.submit(scan_xlsx_sheet, path, members[n], n) if n in members else None for n in names]
            parsed = parser.submit(book.get_sheet_by_name, names[0]) if names else None
            try:
                for position, name in enumerate(names):
                    if scans[position] is not None:
                        scans[position].result()  # a structural problem of this sheet, raised here
                    try:
                        sheet = parsed.result()
                        parsed = parser.submit(book.get_sheet_by_name, names[position + 1]) if position + 1 < len(names) else None
                        if kind != "xlsx":
                            _refuse_merged(path, name, sheet)
                        grid = sheet.to_python(skip_empty_area=False)
                    except MigrationError:
                        raise
                    except Exception as exc:
                        raise unreadable(path, exc, sheet=name) from None
                    del sheet
                    yield _table(path, name, grid, typed=True, detected=kind.upper() if kind != "xlsx" else "")
            finally:  # the caller stopped early or a sheet was refused: nothing more is started
                for future in scans:
                    if future is not None:
                        future.cancel()
    finally:
        book.close()


def _refuse_merged(path: Path, title: str, sheet) -> None:
    """.xls and .ods have no sheet XML to scan; calamine reports their merged ranges."""
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # not reported for this format
        return
    if ranges:
        (row, col), _ = ranges[0]
        where = f"{column_letter(col + 1)}{row + 1}"
        raise MigrationError(
            f"merged cells at {where}",
            where=f"{path.name} sheet {title}, row {row + 1}, column {column_letter(col + 1)}",
            fix="Unmerge all cells and fill every row.",
        )


def _table(path: Path, title: str, grid: list[list], *, typed: bool, detected: str) -> Table:
    """Row 1 as the header, then the non-blank rows with their file row numbers."""
    header = list(grid[0]) if grid else []
    body = grid[1:]
    # a row's first cell is nearly always filled: the rest of the row is looked at only when it is not
    rows = [n for n, values in enumerate(body, start=2) if (values and values[0] != "" and values[0] is not None) or _filled(values)]
    cells = body if len(rows) == len(body) else [grid[n - 1] for n in rows]
    return Table(path, title, header, rows, cells, typed=typed, detected=detected)


def _filled(values) -> bool:
    """Whether any cell of a row holds something."""
    return any(v != "" and v is not None for v in values)


def unreadable(path: Path, exc: Exception, sheet: str | None = None) -> MigrationError:
    kind = exc.__class__.__name__
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else kind
    where = f"{path.name} sheet {sheet}" if sheet else str(path)
    return MigrationError(f"the file cannot be read ({kind}: {detail})", where=where,
                          fix="Open it in Excel or LibreOffice and save it again, or export it again.")


# -- .csv ----------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV export and the name of its encoding: a BOM, else UTF-8, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if _utf16(data[:2]):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1"), "ISO-8859-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of fields."""
    sample = text[:65536].splitlines()[:50]
    if len(sample) > 1 and not text[:65536].endswith(("\n", "\r")) and len(text) > 65536:
        sample = sample[:-1]  # a line cut by the sample's end would count fewer fields
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(sample)), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not counts or max(counts) < 2:
            continue
        width = counts[0]
        consistent = sum(1 for c in counts if c == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: Path) -> Table:
    """A CSV export: encoding and delimiter detected, every cell kept as text."""
    text, encoding = decode(path.read_bytes())
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        # Excel's own hint line ("sep=;"): Excel hides it, so rows are numbered as without it
        delimiter, text = first.strip()[4], rest
    else:
        delimiter = sniff_delimiter(text)
    try:
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise MigrationError(f"the CSV cannot be read ({exc})", where=str(path),
                             fix="Export it again; check that quotes are balanced.") from None
    width = max((len(r) for r in grid), default=0)
    grid = [[c.strip() for c in r] + [""] * (width - len(r)) for r in grid]
    detected = f"CSV, {encoding}, delimiter {DELIMITERS.get(delimiter, repr(delimiter))}"
    return _table(path, path.stem, grid, typed=False, detected=detected)


def column_index(letters: str) -> int:
    """A -> 1, AA -> 27: the inverse of :func:`column_letter`."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (openpyxl's helper, without importing openpyxl)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
