"""The annotated copy's writer builds rows column by column; its XML is the same as writing each cell on its own."""

from __future__ import annotations

import random
from datetime import date, datetime

from odookit.migration import xlsx_writer


def _reference(rows, flags):
    """Row by row, cell by cell, with flagged_row for the flagged rows: what the writer must produce."""
    sheet = xlsx_writer.Sheet("ref")
    for offset, values in enumerate(rows):
        if offset in flags:
            width = max(len(values), max(flags[offset]) + 1)
            sheet.flagged_row(list(values) + [None] * (width - len(values)), flags[offset])
        else:
            sheet.number += 1
            n = sheet.number
            cells = "".join(xlsx_writer._cell(f"{xlsx_writer.column_letter(i + 1)}{n}", v) for i, v in enumerate(values))
            sheet.parts.append(f'<row r="{n}">' + cells + "</row>")
    return sheet.parts, sheet.comments


def test_rows_written_in_blocks_match_cell_by_cell(monkeypatch):
    monkeypatch.setattr(xlsx_writer, "BLOCK", 7)  # several blocks, flags in more than one
    rng = random.Random(3)
    texts = ["Müller & Söhne <GmbH>", "=SUM(A1)", "+1 312 555", "-5", "@home", " lead", "trail ", "\ttab", "a\nb", "bad\x01",
             "plain", "", "x" * 40, "O'Brien", "&amp;"]
    numbers = [0, 7, 1.5, -2.25, float("nan"), float("inf"), True, False, 10**20]
    others = [None, date(2025, 1, 31), datetime(2025, 2, 1, 13, 30)]
    columns = [texts + [None], texts[:3] + ["plain", None], numbers + [None], texts + numbers + others, ["A", "B", None]]
    rows = [[rng.choice(c) for c in columns[: rng.randint(1, len(columns))]] for _ in range(60)]
    rows += [[rng.choice(["plain", "text", None]) for _ in range(3)] for _ in range(20)]  # the all-plain fast path
    rows += [[rng.choice([1.5, 2, None]) for _ in range(3)] for _ in range(20)]  # the all-number fast path
    flags = {3: {0: ("error", "e1"), 6: ("warning", "past the row's end")}, 9: {2: ("warning", "w")}, 40: {1: ("error", "e2")}}
    sheet = xlsx_writer.Sheet("blocks")
    sheet.rows(rows, flags)
    parts, comments = _reference(rows, flags)
    assert sheet.parts == parts
    assert sheet.comments == comments == [("A4", "e1"), ("G4", "past the row's end"), ("C10", "w"), ("B41", "e2")]
    assert sheet.number == len(rows)
