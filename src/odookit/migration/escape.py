"""Formula-injection escaping for every value odookit writes into a workbook.

A client's cell that reads ``=HYPERLINK(...)`` is data to us; written back
as-is it would become a live formula in the annotated copy, the rejects
workbook or a template. Such text is written the way Excel stores a value
typed with a leading apostrophe: a text cell with the *quote prefix* style.
The apostrophe is not part of the value, so a phone number ``+1 312 555``
that goes out in an annotated copy and comes back corrected is still
``+1 312 555``, not ``'+1 312 555`` loaded into Odoo.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: Any) -> bool:
    """Text a spreadsheet would evaluate as a formula if it were typed in."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def unescape(value: Any) -> Any:
    """A read value without the literal apostrophe that other tools (and older odookit) put before a trigger."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in "=+-@":
        return value[1:]
    return value


def _as_text(cell) -> Any:
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def cell(ws, value: Any) -> Any:
    """What to ``append`` to a write-only worksheet: the value, or a quote-prefixed text cell when risky."""
    if not risky(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    return _as_text(WriteOnlyCell(ws, value=value))


def escape_cell(written) -> Any:
    """Make an already built cell (write-only or not) safe; returns it."""
    if risky(written.value):
        _as_text(written)
    elif isinstance(written.value, str):
        written.data_type = "s"
    return written


def row(ws, values) -> list:
    """A whole row for ``append``, every risky value escaped."""
    return [cell(ws, v) for v in values]


def put(ws, row_number: int, column: int, value: Any):
    """Set a cell of a normal worksheet for a report only people read (the governance audit).

    Risky text gets a literal leading apostrophe, visible in every viewer;
    workbooks odookit reads back use :func:`cell` / :func:`escape_cell` instead.
    """
    written = ws.cell(row=row_number, column=column, value="'" + value if risky(value) else value)
    if isinstance(written.value, str):
        written.data_type = "s"
    return written
