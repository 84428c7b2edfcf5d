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
