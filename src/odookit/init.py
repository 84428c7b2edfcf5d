"""Create an engagement workspace: the empty skeleton or a shipped example."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from odookit.errors import WorkspaceError

# The sample engagements shipped in odookit/examples/, one folder each, deliberately unlike
# each other so that nothing in odookit can quietly depend on one client's conventions.
EXAMPLES: dict[str, str] = {
    "regional-distributor": "US/Canadian industrial distributor: two companies, USD and CAD, credit holds",
    "building-supplies-wholesaler": "German building-supplies wholesaler: one company, EUR, credit warnings",
}

SKELETON_CONFIG = """\
# odookit engagement settings. Never put a password or API key here:
# set ODOOKIT_PASSWORD_<TARGET> in the environment, or use the OS keyring
# (`keyring set odookit <target>:<login>`).

[engagement]
name = "{name}"
module = "{module}"

[targets.dev]
url = "http://127.0.0.1:8069"
database = "{module}_dev"
login = "admin"
version = "18.0"
production = false
"""

SKELETON_BLUEPRINT = """\
# The client's blueprint. Split it over several files as it grows;
# `odookit blueprint schema` prints the JSON Schema for editor completion.
companies:
  - code: MAIN
    name: "{name}"
    country: US
    currency: USD
    main: true
warehouses:
  - code: WH
    name: Main Warehouse
    company: MAIN
    reception_steps: 1
    delivery_steps: ship_only
"""

GITIGNORE = """\
# run state and built outputs; the rest of the workspace belongs in git
.odookit/
docs/site/
migration/reports/
"""


def example_root(name: str):
    return resources.files("odookit").joinpath("examples", name)


def _copy_tree(src, dest: Path) -> None:
    for entry in src.iterdir():
        target = dest / entry.name
        if entry.is_dir():
            target.mkdir(exist_ok=True)
            _copy_tree(entry, target)
        else:
            target.write_bytes(entry.read_bytes())


def init_workspace(path: Path, *, example: str | None = None, force: bool = False) -> Path:
    from odookit.workspace import CONFIG_NAME, SUBFOLDERS  # pydantic: not needed for `init --help`

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise WorkspaceError(f"{path} is a file", fix="Choose a folder path.")
    if path.exists() and any(path.iterdir()) and not force:
        raise WorkspaceError(f"{path} is not empty", fix="Choose an empty folder, or add --force to write into it.")
    if example is not None and example not in EXAMPLES:
        raise WorkspaceError(f"unknown example '{example}'", fix=f"Choose one of: {', '.join(EXAMPLES)}.")
    path.mkdir(parents=True, exist_ok=True)
    if force and example is not None:
        for sub in ("blueprints",):
            if (path / sub).is_dir():
                shutil.rmtree(path / sub)
    for sub in SUBFOLDERS:
        (path / sub).mkdir(exist_ok=True)
    if example:
        _copy_tree(example_root(example), path)
    else:
        name = path.resolve().name.replace("-", " ").replace("_", " ").title()
        module = "".join(ch if ch.isalnum() else "_" for ch in path.resolve().name.lower()).strip("_") or "engagement"
        if not module[0].isalpha():
            module = f"e_{module}"
        (path / CONFIG_NAME).write_text(SKELETON_CONFIG.format(name=name, module=f"{module}_config"), encoding="utf-8")
        (path / "blueprints" / "blueprint.yaml").write_text(SKELETON_BLUEPRINT.format(name=name), encoding="utf-8")
    (path / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return path
