"""Write the generated suite into uat_scenarios/generated/ without losing the consultant's edits.

Like copier's answers file, a manifest (.odookit-generated.json) keeps the
content hash of each file as it was last generated. A file whose content
no longer has that hash was edited by someone: it is kept unless --force.
A file the blueprint no longer calls for is left where it is and reported.
The dry run (--check) shares this code path and only skips the writes.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from odookit.errors import UatError
from odookit.uat_scenarios.suite import Finding, generate_suite

FOLDER = "generated"
MANIFEST = ".odookit-generated.json"
# what a status means for --check: the suite on disk is not what the blueprint gives
OUT_OF_DATE = {"created", "updated", "removed-from-blueprint"}


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class FileChange:
    file: str
    status: str  # created | updated | unchanged | kept | removed-from-blueprint
    added: int = 0
    removed: int = 0
    overwrote_edits: bool = False

    def line(self) -> str:
        if self.status == "updated":
            extra = ", your edits overwritten (--force)" if self.overwrote_edits else ""
            return f"updated   {self.file} (+{self.added} -{self.removed} lines{extra})"
        if self.status == "kept":
            return f"kept      {self.file} (edited by you; --force to overwrite)"
        if self.status == "removed-from-blueprint":
            return f"removed-from-blueprint  {self.file} (no longer generated; left in place, delete it if it is not yours)"
        return f"{self.status:<9} {self.file}"

    def as_dict(self) -> dict:
        return {"file": self.file, "status": self.status, "added": self.added, "removed": self.removed,
                "overwrote_edits": self.overwrote_edits}


@dataclass
class GenerateResult:
    folder: Path
    changes: list[FileChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    scenarios: int = 0
    written: bool = True

    @property
    def out_of_date(self) -> list[FileChange]:
        return [c for c in self.changes if c.status in OUT_OF_DATE]

    def as_dict(self) -> dict:
        return {"folder": str(self.folder), "written": self.written, "scenarios": self.scenarios,
                "files": [c.as_dict() for c in self.changes], "findings": [f.as_dict() for f in self.findings],
                "out_of_date": [c.file for c in self.out_of_date]}


def read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError):
        raise UatError("the generated suite's manifest cannot be read", where=str(path),
                       fix="Delete it and run `odookit uat generate --force` (every generated file is then rewritten).") from None


def _write(path: Path, text: str) -> None:
    """Whole file or nothing: written beside and renamed into place."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def _diff_counts(old: str, new: str) -> tuple[int, int]:
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed


def generate(ws, *, force: bool = False, check: bool = False) -> GenerateResult:
    """Compare what the blueprint gives with what is on disk, file by file; write unless ``check``."""
    from odookit.blueprints.loader import load_workspace_blueprint

    suite = generate_suite(load_workspace_blueprint(ws), ws.module)
    folder = ws.uat_scenarios / FOLDER
    manifest = read_manifest(folder)
    wanted = suite.files()
    result = GenerateResult(folder, findings=suite.findings, scenarios=suite.scenario_count, written=not check)
    new_manifest: dict[str, str] = {}
    writes: dict[str, str] = {}
    for name, text in wanted.items():
        path = folder / name
        new_hash = digest(text)
        if not path.is_file():
            result.changes.append(FileChange(name, "created", added=len(text.splitlines())))
            writes[name] = text
            new_manifest[name] = new_hash
            continue
        current = path.read_text(encoding="utf-8")
        current_hash = digest(current)
        if current_hash == new_hash:
            result.changes.append(FileChange(name, "unchanged"))
            new_manifest[name] = new_hash
            continue
        edited = manifest.get(name) != current_hash
        if edited and not force:
            result.changes.append(FileChange(name, "kept"))
            if name in manifest:
                new_manifest[name] = manifest[name]  # still the last generated text: stays "kept" until --force
            continue
        added, removed = _diff_counts(current, text)
        result.changes.append(FileChange(name, "updated", added, removed, overwrote_edits=edited))
        writes[name] = text
        new_manifest[name] = new_hash
    for name in sorted(set(manifest) - set(wanted)):
        if (folder / name).is_file():
            result.changes.append(FileChange(name, "removed-from-blueprint"))
            new_manifest[name] = manifest[name]
    if not check:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in writes.items():
            _write(folder / name, text)
        body = json.dumps({"generator": "odookit uat generate", "files": dict(sorted(new_manifest.items()))}, indent=2)
        if body + "\n" != ((folder / MANIFEST).read_text(encoding="utf-8") if (folder / MANIFEST).is_file() else None):
            _write(folder / MANIFEST, body + "\n")
    return result
