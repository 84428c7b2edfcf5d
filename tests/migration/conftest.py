"""Small client workbooks built inline, in a copy of the sample engagement without its own workbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def mig_ws(example_ws) -> Path:
    """The sample engagement with its conventions (migration/rules.yaml) and no workbooks."""
    folder = example_ws / "migration"
    rules = (folder / "rules.yaml").read_text(encoding="utf-8")
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    return example_ws


@pytest.fixture
def neutral_ws(mig_ws) -> Path:
    """The sample engagement without its conventions: what odookit assumes of any client."""
    (mig_ws / "migration" / "rules.yaml").unlink()
    return mig_ws
