"""Client files as entity sheets: the template's own layout, or a legacy export through its mapping.

``readers`` turns any file into plain tables; here each table becomes a
:class:`Sheet` of one entity. A sheet named after an entity with the
template's headers is read as it is; any other sheet is read through the
mapping ``odookit migrate map`` proposed (client header -> template column,
client label -> blueprint code). Either way the sheet remembers the client's
own header and column letter of every column, so a finding points at the
cell the client sees.

Structural problems (an unknown or missing header, a header the mapping does
not know) stop the read with one line naming the file, sheet, row and column:
nothing after them can be trusted. Problems of values are left to ``rules``,
which reports them all.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from odookit.errors import MigrationError
from odookit.migration.entities import BY_NAME, Column, Entity
from odookit.migration.readers import SUFFIXES, Table, check_file, collector_paused, column_letter, iter_tables, sheet_titles

if TYPE_CHECKING:
    from odookit.migration.mapping import Mapping, SheetMapping


@dataclass
class Sheet:
    """One entity sheet as read: raw cell values, their rows and the client's columns."""

    entity: Entity
    path: Path
    title: str
    headers: list[str]  # entity column names, in sheet order
    letters: dict[str, str]  # column name -> the client's column letter
    rows: list[int] = field(default_factory=list)  # the file's row number of each data row
    columns: list[list] = field(default_factory=list)  # raw values, one list per column of ``headers``, one item per data row
    source: dict[str, str] = field(default_factory=dict)  # column name -> the client's header, when it differs
    table: Table | None = None  # the client's table, every column: what the annotated copy shows
    mapping: Path | None = None  # the mapping file the sheet was read through
    detected: str = ""  # what the reader detected (CSV encoding and delimiter)
    plain: set[str] = field(default_factory=set)  # columns of stripped text and empty cells only: their text needs no typing
    mixed: dict[str, list[int]] = field(default_factory=dict)  # columns of stripped text with other cells too: the rows of those

    @property
    def place(self) -> str:
        """The file and sheet, as a finding names them (a CSV has no sheet)."""
        return self.path.name if self.table is not None and self.table.is_csv else f"{self.path.name} sheet {self.title}"

    def header_of(self, column: str) -> str:
        return self.source.get(column, column)

    def where(self, row: int, column: str) -> str:
        return f"{self.place}, row {row}, column {self.header_of(column)} ({self.letters.get(column, '?')}{row})"

    @property
    def values(self) -> list[tuple]:
        """The raw values row by row, one tuple per data row in ``headers`` order (built on demand:
        every check works on columns)."""
        return list(zip(*self.columns)) if self.columns else [() for _ in self.rows]

    def column(self, name: str) -> list:
        """The raw values of one column, one per data row."""
        return self.columns[self.headers.index(name)]

    def frame(self):
        import pandas as pd

        return pd.DataFrame(dict(zip(self.headers, self.columns, strict=True)), index=pd.RangeIndex(len(self.rows)), dtype=object)


def norm_header(value: object) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(value).strip().lower()).strip("_")


def read_workbook(path: Path, *, only: set[str] | None = None, mapping: Mapping | None = None) -> list[Sheet]:
    """Every entity sheet of one client file, validated structurally, through ``mapping`` when given."""
    with collector_paused():
        return list(_sheets(Path(path), only, mapping))


def _sheets(path: Path, only: set[str] | None, mapping: Mapping | None) -> Iterator[Sheet]:
    """Each sheet is made from its table while the reader parses the next one (:func:`readers.iter_tables`)."""
    check_file(path)

    def entity_of(title: str) -> str | None:
        if mapping is not None and title in mapping.sheets:
            return mapping.sheets[title].entity
        name = norm_header(title)
        return name if name in BY_NAME else None

    titles = sheet_titles(path)
    if not any(entity_of(t) for t in titles):
        raise _no_entity(path, titles, mapping)
    for table in iter_tables(path, only=lambda t: (e := entity_of(t)) is not None and (only is None or e in only)):
        if mapping is not None and table.title in mapping.sheets:
            yield _mapped_sheet(table, mapping, mapping.sheets[table.title])
        else:
            yield _template_sheet(table, BY_NAME[norm_header(table.title)])


def _no_entity(path: Path, titles: list[str], mapping: Mapping | None) -> MigrationError:
    what = f"sheet '{titles[0]}'" if len(titles) == 1 else f"sheets {', '.join(repr(t) for t in titles) or 'none'}"
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        what = f"the file name '{path.stem}'"
    if mapping is not None:
        return MigrationError(f"no sheet of the file is in its mapping ({what})", where=str(path),
                              fix=f"Run `odookit migrate map {path.name}` again, or fix the sheet names in {mapping.path.name}.")
    close = difflib.get_close_matches(norm_header(titles[0]), BY_NAME, n=1) if titles else []
    rename = f", or rename it '{close[0]}'" if close else ""
    return MigrationError(
        f"{what} names no entity",
        where=str(path),
        fix=f"Run `odookit migrate map {path.name}` to map this export to the template{rename}.",
    )


def _template_sheet(table: Table, entity: Entity) -> Sheet:
    """A sheet in the template's layout: its headers are the entity's column names."""
    where = f"{table.path.name}" if table.is_csv else f"{table.path.name} sheet {table.title}"
    if not any(v not in (None, "") for v in table.header):
        raise MigrationError(
            "the sheet has no header row",
            where=f"{where}, row 1",
            fix=f"Put the column names in row 1 ({', '.join(entity.column_names)}); `odookit migrate template {entity.name}` writes one.",
        )
    picked: list[tuple[str, int, str]] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(table.header):
        if raw in (None, ""):
            continue
        name, letter = norm_header(raw), column_letter(index + 1)
        if name not in entity.column_names:
            close = difflib.get_close_matches(name, entity.column_names, n=1)
            hint = f"Rename it to '{close[0]}'" if close else f"Known columns: {', '.join(entity.column_names)}"
            raise MigrationError(
                f"unknown column header '{raw}'", where=f"{where}, row 1, column {letter}",
                fix=f"{hint}. Or run `odookit migrate map {table.path.name}` to map the client's headers.",
            )
        if name in seen:
            raise MigrationError(f"column '{name}' appears twice (also in {seen[name]})", where=f"{where}, row 1, column {letter}",
                                 fix="Keep one column per field.")
        seen[name] = letter
        picked.append((name, index, str(raw)))
    missing = [c.name for c in entity.columns if c.required and c.name not in seen]
    if missing:
        raise MigrationError(
            f"required column '{missing[0]}' is missing" + (f" (and {', '.join(missing[1:])})" if missing[1:] else ""),
            where=f"{where}, row 1, column {column_letter(len(table.header) + 1)}",
            fix=f"Add a '{missing[0]}' header; `odookit migrate template {entity.name}` shows the expected layout.",
        )
    return _build(table, entity, picked, {})


def _mapped_sheet(table: Table, mapping: Mapping, spec: SheetMapping) -> Sheet:
    """A legacy export's sheet: each client header is looked up in the mapping, unknown ones refused."""
    entity = BY_NAME[spec.entity]
    where = f"{table.path.name}" if table.is_csv else f"{table.path.name} sheet {table.title}"
    picked: list[tuple[str, int, str]] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(table.header):
        if raw in (None, ""):
            continue
        header, letter = label_text(raw), column_letter(index + 1)
        if header in seen:
            raise MigrationError(f"header '{header}' appears twice (also in {seen[header]})", where=f"{where}, row 1, column {letter}",
                                 fix="Rename one of the two columns in the export, then run `odookit migrate map` again.")
        seen[header] = letter
        if header not in spec.columns:
            raise MigrationError(
                f"header '{header}' is not in the mapping {mapping.shown}", where=f"{where}, row 1, column {letter}",
                fix=f"Run `odookit migrate map {table.path.name}` again to add it and review it (null leaves it out).",
            )
        column = spec.columns[header]
        if column is not None:
            picked.append((column, index, header))
    mapped = {name for name, _, _ in picked}
    missing = [c.name for c in entity.columns if c.required and c.name not in mapped]
    if missing:
        raise MigrationError(
            f"required column '{missing[0]}' of {entity.name} has no header mapped to it"
            + (f" (nor {', '.join(missing[1:])})" if missing[1:] else ""),
            where=mapping.where(("sheets", spec.title, "columns")),
            fix=f"Map the client's header for it under columns: (e.g. \"Their Header: {missing[0]}\"), or ask for an export that has it.",
        )
    sheet = _build(table, entity, picked, spec.values)
    sheet.mapping = mapping.path
    return sheet


def _build(table: Table, entity: Entity, picked: list[tuple[str, int, str]], labels: dict[str, dict[str, Any]]) -> Sheet:
    """Cut the picked columns out of the table (one numpy grid of the cells), then clean each column."""
    letters = {name: column_letter(index + 1) for name, index, _ in picked}
    source = {name: header for name, _, header in picked if header != name}
    grid, survey = _grid(table.cells, max((index for _, index, _ in picked), default=-1) + 1)
    columns, plain, mixed = [], set(), {}
    for name, index, _ in picked:
        others = survey.others.get(index, [])
        values = _clean(grid[:, index], entity.column(name), typed=table.typed, labels=labels.get(name), others=others,
                        quoted=survey.quoted)
        columns.append(values)
        if survey.stripped[index] and (table.typed or entity.column(name).kind not in ("number", "integer", "date")):
            # its text as typing wants it (mapped codes and unescaped values stay stripped); a CSV's parsed numbers aside
            if others:
                mixed[name] = others
            else:
                plain.add(name)
    return Sheet(entity, table.path, table.title, [p[0] for p in picked], letters, list(table.rows), columns,
                 source=source, table=table, detected=table.detected, plain=plain, mixed=mixed)


@dataclass
class _Survey:
    """What one walk over a sheet's cells found, per grid column."""

    stripped: list[bool]  # all its text is stripped
    others: dict[int, list[int]]  # the data rows of its cells that are neither text nor empty (numbers, dates, booleans)
    quoted: bool  # some text of the sheet starts with an apostrophe


def _grid(cells: list[list], width: int):
    """The table's cells as a numpy object array (at least ``width`` columns; short rows padded), empty cells
    as None, and what a walk over its cells found (:class:`_Survey`).

    The cells are walked row by row, the order the reader made them in: a column's values lie a row's width apart
    in memory, so walking one column at a time reaches every cell from far away (three times slower per pass).
    ``str.strip`` returns the very string when there is nothing to strip, so comparing the stripped cells with the
    cells compares identical objects.
    """
    import numpy as np

    lengths = set(map(len, cells))
    longest = max(max(lengths, default=0), width)
    if len(lengths) > 1 or longest > min(lengths, default=longest):
        cells = [row if len(row) == longest else list(row) + [""] * (longest - len(row)) for row in cells]
    # the cells one after the other into an object array (numpy guesses no dtype from the values; a sheet of
    # headers only, a fresh template, has no cell at all)
    flat = np.fromiter(itertools.chain.from_iterable(cells), dtype=object, count=len(cells) * longest)
    grid = flat.reshape(len(cells), longest)  # a view: the flat cells stay its row order
    kinds = np.fromiter(map(type, flat), dtype=object, count=flat.size)  # (assigning a list of types is 25 times slower)
    is_text = kinds == str
    at = np.flatnonzero(is_text)
    text = flat[at]
    strings = text.tolist()
    flat[at[text == ""]] = None  # an empty cell reads as ""
    other = np.flatnonzero(~is_text)
    other = other[kinds[other] != type(None)]
    rows, columns = np.divmod(other, longest)
    others = {column: rows[columns == column].tolist() for column in np.unique(columns).tolist()}
    stripped = [True] * longest
    if list(map(str.strip, strings, itertools.repeat(SPACE_OR_QUOTE))) == strings:
        return grid, _Survey(stripped, others, False)  # no text has a space or an apostrophe at an end: one pass told
    as_stripped = list(map(str.strip, strings))
    if as_stripped != strings:
        changed = object_array(as_stripped)
        for column in set((at[changed != text] % longest).tolist()):
            stripped[column] = False
    joined = "\n".join(strings)
    quoted = "'" in joined and (joined.startswith("'") or "\n'" in joined)  # C-level scans for a leading apostrophe
    return grid, _Survey(stripped, others, quoted)


# what str.strip() takes off (every character str.isspace() is true for), and the apostrophe of escaped text
SPACE_OR_QUOTE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                  "\u2009\u200a\u2028\u2029\u202f\u205f\u3000'")


def _clean(cells, column: Column, *, typed: bool, labels: dict[str, Any] | None, others: list[int], quoted: bool) -> list:
    """One column's values (a numpy column of the grid, empty cells None): labels as codes, a CSV's numbers and dates
    parsed. ``others`` are the rows of its cells that are not text, ``quoted`` whether any text of the sheet starts
    with an apostrophe (:func:`_grid` found both).

    Text is taken as it is; only the cells found to hold numbers are looked at one by one.
    """
    from odookit.migration.escape import unescape

    out = cells.tolist()
    for row in others:  # calamine reads every number as a float: a whole one is shown as Excel shows it (5, not 5.0)
        value = out[row]
        if value.__class__ is float and value.is_integer():
            out[row] = int(value)
    if quoted:
        joined = "\n".join([v for v in out if v.__class__ is str])
        if joined.startswith("'") or "\n'" in joined:
            out = [unescape(v) for v in out]
    # a label as the mapping lists it becomes its code; any other (a new one, one mapped to null) stays and is reported
    labels = {k: v for k, v in (labels or {}).items() if v is not None}
    if labels:
        out = _as_codes(out, labels)
    if not typed and column.kind in ("number", "integer"):
        out = [parse_number(v) for v in out]
    elif not typed and column.kind == "date":
        out = [parse_date(v) for v in out]
    return out


def object_array(values: list):
    """``values`` as a one-dimensional numpy array of the very objects (filled into an empty object array: given
    the list, numpy would guess a dtype, or a second dimension from tuples)."""
    import numpy as np

    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _as_codes(values: list, labels: dict[str, Any]) -> list:
    """Each value that the mapping lists as a label, as its code: each distinct value looked up once (pandas'
    hash table numbers them in C), then the codes taken by those numbers; empty cells (None, NaN) kept."""
    import numpy as np
    import pandas as pd

    cells = object_array(values)
    numbers, distinct = pd.factorize(cells)
    codes = np.empty(len(distinct) + 1, dtype=object)
    codes[:-1] = [labels.get(label_text(v), v) for v in distinct.tolist()]
    out = codes[numbers]  # an empty cell is numbered -1: the last slot, filled from the cells below
    empty = numbers == -1
    out[empty] = cells[empty]
    return out.tolist()


def label_text(value: Any) -> str:
    """A cell as a mapping names it (a header or a label): text, stripped; a whole number without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_label(value: object) -> str:
    """A label as compared with codes and names: case, spacing and punctuation ignored."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(value).replace("ß", "ss")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


NUMBER_RE = re.compile(r"^[-+]?[0-9][0-9.,' ]*$")


def parse_number(value: Any) -> Any:
    """A CSV's number text as a float: 12.5, 12,5 (decimal comma), 1.234,56, 1,234.56, 1 234; anything else as it was.

    With both separators the last one is the decimal point; a single comma is
    a decimal comma (the ';' exports of continental Europe).
    """
    if not isinstance(value, str):
        return value
    try:
        return float(value)
    except ValueError:
        pass
    text = value.strip()
    if not NUMBER_RE.match(text):
        return value
    text = text.replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        point = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if point == "," else ",", "").replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    try:
        return float(text)
    except ValueError:
        return value


def parse_date(value: Any) -> Any:
    """A CSV's date text (2024-01-31, 31.01.2024) as a datetime; anything else as it was."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d.%m.%Y")
    except ValueError:
        return value


def workbook_files(folder: Path) -> list[Path]:
    """The client files of a migration folder: its top-level spreadsheets and CSV exports, Excel lock files aside."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                  and p.suffix.lower() != ".txt" and not p.name.startswith(("~$", ".")))
