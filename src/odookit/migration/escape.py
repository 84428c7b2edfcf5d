"""Formula-injection escaping for every value odookit writes into a workbook.

A client's cell that reads ``=HYPERLINK(...)`` is data to us; written back
as-is it would become a live formula in the annotated copy, the rejects
workbook or a template. Every writer goes through :func:`safe`.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """The value to put in a cell: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def put(ws, row: int, column: int, value: Any):
    """Set a cell of a normal (not write-only) worksheet, escaped, and force it to stay text."""
    cell = ws.cell(row=row, column=column, value=safe(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
