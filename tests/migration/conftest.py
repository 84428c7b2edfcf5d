"""Small client workbooks built inline, in a copy of the sample engagement without its own workbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def mig_ws(example_ws) -> Path:
    folder = example_ws / "migration"
    shutil.rmtree(folder)
    folder.mkdir()
    return example_ws


def _make_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per key; the first row of each is the header."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def book():
    return _make_book
