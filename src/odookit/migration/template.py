"""Empty client workbooks: one sheet per entity, with the blueprint's codes as dropdowns.

A client who picks a warehouse or a category from a list cannot misspell it;
the header comments carry the column descriptions so the file explains itself.
"""

from __future__ import annotations

from pathlib import Path

from odookit.errors import MigrationError
from odookit.migration.conventions import describe, engaged
from odookit.migration.entities import ENTITIES, entity
from odookit.migration.escape import escape_cell
from odookit.migration.report import atomic_save
from odookit.migration.rules import allowed_values

MAX_ROWS = 100_000


def write_template(path: Path, names: list[str] | None, blueprint, *, force: bool = False, rules=None) -> Path:
    """``rules``: the engagement's RulesConfig, whose conventions (formats, required columns) the headers document."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    allowed = allowed_values(blueprint, [])
    conventions = rules.conventions if rules is not None else {}
    chosen = [engaged(entity(n), conventions, allowed) for n in names] if names else [engaged(e, conventions, allowed) for e in ENTITIES]
    if path.exists() and not force:
        raise MigrationError("the file already exists", where=str(path), fix="Pass --force to overwrite it, or choose another --output.")
    book = openpyxl.Workbook()
    book.remove(book.active)
    lists = book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}
    for index, (source, values) in enumerate(sorted(allowed.items()), start=1):
        letter = get_column_letter(index)
        escape_cell(lists.cell(row=1, column=index, value=source))
        for row, value in enumerate(values, start=2):
            escape_cell(lists.cell(row=row, column=index, value=value))
        list_ranges[source] = f"_lists!${letter}$2:${letter}${max(2, len(values) + 1)}"
    bold, required_fill = Font(bold=True), PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
    for spec in chosen:
        ws = book.create_sheet(spec.name, index=len(book.sheetnames) - 1)
        ws.freeze_panes = "A2"
        for col_index, column in enumerate(spec.columns, start=1):
            cell = escape_cell(ws.cell(row=1, column=col_index, value=column.name))
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            note = [describe(column), f"type: {column.kind}", "required" if column.required else "recommended" if column.recommended else "optional"]
            if column.choices:
                note.append("one of: " + ", ".join(column.choices))
            cell.comment = Comment("\n".join(note), "odookit", width=260, height=110)
            letter = get_column_letter(col_index)
            ws.column_dimensions[letter].width = max(12, len(column.name) + 4)
            target = f"{letter}2:{letter}{MAX_ROWS}"
            if column.choices or column.source:
                formula = f'"{",".join(column.choices)}"' if column.choices else list_ranges[column.source]
                dv = DataValidation(type="list", formula1=formula, allow_blank=not column.required, showErrorMessage=True)
                dv.error = f"Pick a value from the list ({column.source or column.name})"
                dv.add(target)
                ws.add_data_validation(dv)
            elif column.kind in ("number", "integer") and (column.min is not None):
                dv = DataValidation(type="decimal" if column.kind == "number" else "whole", operator="between",
                                    formula1=str(column.min), formula2=str(column.max), allow_blank=not column.required)
                dv.add(target)
                ws.add_data_validation(dv)
            if column.kind in ("code", "text", "vat", "barcode", "email", "country"):
                ws.column_dimensions[letter].number_format = "@"  # typed codes keep their leading zeros
    return atomic_save(book, path)
