"""A streaming .xlsx writer for annotated copies: plain values, two fills, comments, nothing else.

openpyxl and XlsxWriter both spend several microseconds on every cell they
write; an annotated copy of a 150,000-row export is millions of cells, almost
all of them written back unchanged. This writer builds the rows a block at a
time, column by column: a column of plain text is escaped in one pass and each
of its cells is one f-string (inline strings, no shared-string table), so a
copy costs about what reading the file costs. It writes only what an annotated copy needs:
values (text, numbers, booleans, dates), a bold header row frozen at A2,
red/amber fills on flagged cells, a comment on each, and text that looks
like a formula as a quote-prefixed text cell, the way Excel stores a value
typed with a leading apostrophe. Anything richer stays with openpyxl.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from odookit.migration.escape import TRIGGERS
from odookit.migration.readers import column_index, column_letter

# cellXfs indexes of STYLES
PLAIN, BOLD, TEXT, DATE, DATETIME = 0, 1, 2, 3, 4
FILLED = {"error": 5, "warning": 8}  # + 0 plain, + 1 quote-prefixed text, + 2 date
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0: dropped
EPOCH = datetime(1899, 12, 30)

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FF{error}"/><bgColor rgb="FF{error}"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FF{warning}"/><bgColor rgb="FF{warning}"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="11">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" quotePrefix="1"/>
<xf numFmtId="22" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" quotePrefix="1"/>
<xf numFmtId="22" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _text(value: str) -> str:
    if ILLEGAL.search(value):
        value = ILLEGAL.sub("", value)
    return escape(value)


def _cell(ref: str, value: Any, fill: str | None = None) -> str:
    """One <c> element; an empty string for an empty cell without a fill."""
    base = FILLED[fill] if fill else 0
    if value is None or value == "":
        return f'<c r="{ref}" s="{base}"/>' if fill else ""
    kind = value.__class__
    if kind is str:
        style = (base + 1 if fill else TEXT) if value.startswith(TRIGGERS) else base
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}" s="{base}" t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return f'<c r="{ref}" s="{base}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{ref}" s="{base}"><v>{value!r}</v></c>'
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        serial = (moment.replace(tzinfo=None) - EPOCH) / timedelta(days=1)
        style = (base + 2) if fill else (DATETIME if isinstance(value, datetime) and moment.time() != time() else DATE)
        return f'<c r="{ref}" s="{style}"><v>{serial!r}</v></c>'
    return _cell(ref, str(value), fill)


class Sheet:
    """Rows appended in order; flagged cells carry a fill and a comment."""

    def __init__(self, title: str):
        self.title = title
        self.parts: list[str] = []
        self.comments: list[tuple[str, str]] = []  # (ref, text)
        self.number = 0

    def header(self, values: list) -> None:
        self.number += 1
        n = self.number
        cells = "".join(f'<c r="{column_letter(i)}{n}" s="{BOLD}" t="inlineStr"><is><t>{_text(str(v))}</t></is></c>'
                        for i, v in enumerate(values, start=1) if v not in (None, ""))
        self.parts.append(f'<row r="{n}">{cells}</row>')

    def rows(self, rows: list[list], flags: dict[int, dict[int, tuple[str, str]]] | None = None,
             numbers: list[int] | None = None) -> None:
        """Many rows at once; ``flags``: row offset -> position -> (error|warning, comment).

        ``numbers``: the row number each row is written at (ascending, after the rows already
        written), so a copy keeps the blank rows of the file it copies and "C7" stays C7;
        the next free rows when omitted.

        The rows are built a block at a time, column by column: a column of plain text (most
        of them) is escaped in one pass over the block's values and each cell is one f-string;
        any other value goes through :func:`_cell`. The XML is the same as writing the rows one
        by one (``flagged_row`` for the flagged ones)."""
        flags = flags or {}
        if numbers is None:
            numbers = range(self.number + 1, self.number + 1 + len(rows))
        elif len(numbers) != len(rows) or any(b <= a for a, b in zip(numbers, numbers[1:])) or (numbers and numbers[0] <= self.number):
            raise ValueError("row numbers must ascend after the rows already written, one per row")
        for start in range(0, len(rows), BLOCK):
            block = rows[start:start + BLOCK]
            self._block(block, {o - start: f for o, f in flags.items() if start <= o < start + len(block)},
                        numbers[start:start + BLOCK])

    def _block(self, rows: list[list], flags: dict[int, dict[int, tuple[str, str]]], numbers) -> None:
        width = max(max(len(r) for r in rows), max((max(f) + 1 for f in flags.values() if f), default=0))
        columns = _columns(rows, width)
        fragments = [_column_xml(column_letter(i + 1), numbers, values) for i, values in enumerate(columns)]
        for offset in sorted(flags):
            for position in sorted(flags[offset]):
                severity, comment = flags[offset][position]
                ref = f"{column_letter(position + 1)}{numbers[offset]}"
                fragments[position][offset] = _cell(ref, columns[position][offset], severity)
                self.comments.append((ref, comment))
        self.parts.extend(f'<row r="{n}">' + "".join(cells) + "</row>" for n, cells in zip(numbers, zip(*fragments, strict=True), strict=True))
        self.number = numbers[-1]

    def flagged_row(self, values: list, flags: dict[int, tuple[str, str]]) -> None:
        """A row with some cells flagged: position -> (error|warning, comment text)."""
        self.number += 1
        n = self.number
        cells = []
        for i, value in enumerate(values):
            ref = f"{column_letter(i + 1)}{n}"
            flag = flags.get(i)
            cells.append(_cell(ref, value, flag[0] if flag else None))
            if flag:
                self.comments.append((ref, flag[1]))
        self.parts.append(f'<row r="{n}">' + "".join(cells) + "</row>")


BLOCK = 4096  # rows built at once: large enough for one escape per column, small enough to stay in cache


def _columns(rows: list[list], width: int) -> list[list]:
    """The rows' columns (``width`` of them), short rows padded with None: numpy's object array transposes
    them in C."""
    import numpy as np

    if any(len(r) != width for r in rows):
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = rows
    return [grid[:, i].tolist() for i in range(width)]


_TEXT_KINDS = {str, type(None)}
_NUMBER_KINDS = {int, float, type(None)}
_TRIGGER_AFTER_BREAK = re.compile(r"\n[=+\-@]")  # a value of a joined column starting with a formula trigger


def _column_xml(letter: str, numbers: range, values: list) -> list[str]:
    """The <c> elements of one column, one per row ('' for an empty cell), exactly as :func:`_cell` writes them."""
    kinds = set(map(type, values))
    if kinds <= _NUMBER_KINDS and all(map(math.isfinite, [v for v in values if v.__class__ is float])):  # NaN, inf: as text
        return [f'<c r="{letter}{n}" s="0"><v>{v!r}</v></c>' if v is not None else "" for n, v in zip(numbers, values, strict=True)]
    if not kinds <= _TEXT_KINDS:
        return [_cell(f"{letter}{n}", v) for n, v in zip(numbers, values, strict=True)]
    present = list(filter(None, values))
    joined = "\n".join(present)
    if joined.count("\n") != len(present) - 1 or ILLEGAL.search(joined):  # a line break or a control character in a value
        return [_cell(f"{letter}{n}", v) for n, v in zip(numbers, values, strict=True)]
    escaped = iter(escape(joined).split("\n") if present else ())
    # plain: no value starts or ends with whitespace (str.strip returns the very string) or starts with a trigger
    if list(map(str.strip, present)) == present and not (joined.startswith(TRIGGERS) or _TRIGGER_AFTER_BREAK.search(joined)):
        return [f'<c r="{letter}{n}" s="0" t="inlineStr"><is><t>{next(escaped)}</t></is></c>' if v else ""
                for n, v in zip(numbers, values, strict=True)]
    out = []
    for n, v in zip(numbers, values, strict=True):
        if not v:
            out.append("")
            continue
        text = next(escaped)
        special = v.startswith(TRIGGERS) or v[0].isspace() or v[-1].isspace()
        out.append(_cell(f"{letter}{n}", v) if special else f'<c r="{letter}{n}" s="0" t="inlineStr"><is><t>{text}</t></is></c>')
    return out


def _sheet_xml(sheet: Sheet) -> str:
    drawing = '<legacyDrawing r:id="rIdVml"/>' if sheet.comments else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '</sheetView></sheetViews><sheetData>' + "".join(sheet.parts) + f"</sheetData>{drawing}</worksheet>")


def _comments_xml(sheet: Sheet) -> str:
    items = "".join(f'<comment ref="{ref}" authorId="0"><text><t xml:space="preserve">{_text(text)}</t></text></comment>'
                    for ref, text in sheet.comments)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<authors><author>odookit</author></authors><commentList>{items}</commentList></comments>")


def _vml(sheet: Sheet) -> str:
    """The legacy drawing Excel needs to show comments: one hidden note shape per comment."""
    shapes = []
    for number, (ref, _) in enumerate(sheet.comments, start=1):
        letters = ref.rstrip("0123456789")
        row = int(ref[len(letters):]) - 1
        col = column_index(letters)
        shapes.append(
            f'<v:shape id="_x0000_s{1024 + number}" type="#_x0000_t202" style="position:absolute;width:240pt;height:70pt;'
            f'z-index:{number};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"/>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f"<x:Row>{row}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
        )
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/>'
            '</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>")


def save(sheets: list[Sheet], path: Path, *, fills: dict[str, str]) -> Path:
    """Write the workbook through a temp file, so a crash never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    overrides = ['<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
                 '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
    book_sheets, book_rels = [], []
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for index, sheet in enumerate(sheets, start=1):
                zf.writestr(f"xl/worksheets/sheet{index}.xml", _sheet_xml(sheet))
                overrides.append(f'<Override PartName="/xl/worksheets/sheet{index}.xml" '
                                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
                book_sheets.append(f'<sheet name="{escape(sheet.title, {chr(34): "&quot;"})}" sheetId="{index}" r:id="rId{index}"/>')
                book_rels.append(f'<Relationship Id="rId{index}" Type="{REL}/worksheet" Target="worksheets/sheet{index}.xml"/>')
                if sheet.comments:
                    zf.writestr(f"xl/comments{index}.xml", _comments_xml(sheet))
                    zf.writestr(f"xl/drawings/vmlDrawing{index}.vml", _vml(sheet))
                    overrides.append(f'<Override PartName="/xl/comments{index}.xml" '
                                     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>')
                    zf.writestr(f"xl/worksheets/_rels/sheet{index}.xml.rels",
                                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
                                f'<Relationship Id="rIdComments" Type="{REL}/comments" Target="../comments{index}.xml"/>'
                                f'<Relationship Id="rIdVml" Type="{REL}/vmlDrawing" Target="../drawings/vmlDrawing{index}.vml"/>'
                                "</Relationships>")
            book_rels.append(f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>')
            zf.writestr("xl/styles.xml", STYLES.format(**fills))
            zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {NS}>'
                                           f'<sheets>{"".join(book_sheets)}</sheets></workbook>')
            zf.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                                      f'<Relationships xmlns="{PKG_REL}">{"".join(book_rels)}</Relationships>')
            zf.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
                                       f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
            zf.writestr("[Content_Types].xml",
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                        '<Default Extension="xml" ContentType="application/xml"/>'
                        '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
                        + "".join(overrides) + "</Types>")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
