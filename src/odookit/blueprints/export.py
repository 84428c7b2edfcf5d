"""The desired state as an installable Odoo data module.

Installing the module and applying the blueprint over RPC give the same
records under the same external IDs, so either path can be followed by the
other with an empty plan. XML is produced with lxml, never by string
concatenation.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from odookit.blueprints.desired import Desired, DesiredState, is_chart_ref, is_chart_refs, is_lines, is_ref, is_refs
from odookit.errors import UserError

MODULE_FILES = {
    "security": "security/groups.xml",
    "automation": "data/automation.xml",
    "configuration": "data/configuration.xml",
}


class ExportError(UserError):
    pass


def _py(value: Any) -> str:
    """A Python literal for ``eval=`` attributes; refs become ref() calls."""
    if is_ref(value):
        return f"ref({value['$ref']!r})"
    if is_chart_ref(value):  # account.<company id>_<name>, the company known once it is loaded
        return f"ref('account.%d_{value['$chart']}' % ref({value['$company']!r}))"
    if is_chart_refs(value):
        return "[Command.set([" + ", ".join(_py({"$chart": n, "$company": value["$company"]}) for n in value["$charts"]) + "])]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    return repr(value)


def _field(parent: etree._Element, name: str, value: Any) -> None:
    el = etree.SubElement(parent, "field", name=name)
    if is_chart_ref(value) or is_chart_refs(value):
        el.set("eval", _py(value))
    elif is_ref(value):
        el.set("ref", value["$ref"])
    elif is_refs(value):
        ids = ", ".join(f"ref({x!r})" for x in value["$refs"])
        if value["$exact"]:
            el.set("eval", f"[Command.set([{ids}])]")
        else:
            el.set("eval", "[" + ", ".join(f"Command.link(ref({x!r}))" for x in value["$refs"]) + "]")
    elif is_lines(value):
        rows = ", ".join(f"Command.create({_py(r)})" for r in value["$lines"])
        el.set("eval", f"[Command.clear(), {rows}]" if rows else "[Command.clear()]")
    elif isinstance(value, bool) or isinstance(value, int | float) or value is None:
        el.set("eval", repr(value if value is not None else False))
    else:
        el.text = str(value)


def _local(xmlid: str, module: str) -> str:
    return xmlid.split(".", 1)[1] if xmlid.startswith(module + ".") else xmlid


def _binding(root: etree._Element, rec: Desired, module: str) -> etree._Element:
    """An ir.model.data row naming an adopted record with odookit's external ID.

    noupdate keeps Odoo's end-of-install cleanup from deleting the adopted
    record: the row itself is data, not an external ID the loader tracks.
    """
    name = _local(rec.xmlid, module)
    el = etree.SubElement(root, "record", id=f"bind_{name}", model="ir.model.data")
    _field(el, "module", module)
    _field(el, "name", name)
    _field(el, "model", rec.model)
    _field(el, "noupdate", True)
    res = etree.SubElement(el, "field", name="res_id")
    if "/" in rec.adopt:
        parent, field = rec.adopt.split("/", 1)
        res.set("model", _parent_model(parent))
        res.set("eval", f"obj(ref({parent!r})).{field}.id")
    else:
        res.set("ref", rec.adopt)
    return el


def _parent_model(xmlid: str) -> str:
    kind = xmlid.split(".", 1)[1].split("_", 1)[0]
    return {"warehouse": "stock.warehouse", "company": "res.company"}[kind]


def _record(root: etree._Element, rec: Desired, module: str) -> None:
    if rec.company:
        # company-dependent values: written as that company, on the record declared earlier
        fn = etree.SubElement(root, "function", model=rec.model, name="write", context=f"{{'allowed_company_ids': [ref({rec.company!r})]}}")
        etree.SubElement(fn, "value", eval=f"[ref({rec.xmlid!r})]")
        etree.SubElement(fn, "value", eval=_py(rec.values))
        return
    if rec.adopt and "/" in rec.adopt:
        _binding(root, rec, module)
        if rec.values:
            parent, field = rec.adopt.split("/", 1)
            fn = etree.SubElement(root, "function", model=rec.model, name="write")
            etree.SubElement(fn, "value", model=_parent_model(parent), eval=f"obj(ref({parent!r})).{field}.ids")
            etree.SubElement(fn, "value", eval=_py(rec.values))
        return
    if rec.adopt:
        el = etree.SubElement(root, "record", id=rec.adopt, model=rec.model)
        for name, value in rec.values.items():
            _field(el, name, value)
        _binding(root, rec, module)
        return
    el = etree.SubElement(root, "record", id=_local(rec.xmlid, module), model=rec.model)
    for name, value in rec.values.items():
        _field(el, name, value)


def _section(rec: Desired) -> str:
    if rec.model == "res.groups" and rec.xmlid.split(".", 1)[0] != "base" and "group_account" not in rec.xmlid:
        return "security"
    if rec.model in ("base.automation", "ir.actions.server"):
        return "automation"
    return "configuration"


def module_files(state: DesiredState, version: str = "18.0") -> dict[str, bytes]:
    """Relative path -> content of every file of the module."""
    roots = {key: etree.Element("odoo") for key in MODULE_FILES}
    for rec in state.ordered():
        if not rec.retire:  # upgrading the module deletes what it no longer declares
            _record(roots[_section(rec)], rec, state.module)
        if rec.model == "res.company" and not rec.company and rec.xmlid in state.charts:
            from odookit.blueprints.localization import chart_load_element

            # the chart right after its company (country set), before anything needs its accounts
            roots[_section(rec)].append(chart_load_element(rec.xmlid, state.charts[rec.xmlid]))
    order = ["configuration", "security", "automation"]
    manifest = {
        "name": f"{state.module} (generated by odookit)",
        "version": f"{version}.1.0.0",
        "summary": "Engagement configuration generated from the blueprint by odookit",
        "category": "Hidden",
        "license": "LGPL-3",
        "depends": sorted(state.modules),
        "data": [MODULE_FILES[k] for k in order if len(roots[k])],
        "installable": True,
        "auto_install": False,
    }
    files: dict[str, bytes] = {
        "__manifest__.py": ("# Generated by odookit from the blueprint: do not edit, re-export.\n" + _pretty(manifest) + "\n").encode(),
        "__init__.py": b"",
    }
    for key in order:
        if len(roots[key]):
            files[MODULE_FILES[key]] = etree.tostring(roots[key], pretty_print=True, xml_declaration=True, encoding="utf-8")
    return files


def _pretty(manifest: dict) -> str:
    import pprint

    return pprint.pformat(manifest, sort_dicts=False, width=100)


def export_module(state: DesiredState, out: Path, version: str = "18.0") -> Path:
    """Write the module folder ``out/<module>`` atomically; returns its path."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file", fix="Give a folder for --out.")
    out.mkdir(parents=True, exist_ok=True)
    target = out / state.module
    staging = Path(tempfile.mkdtemp(prefix=f".{state.module}-", dir=out))
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the module from an Odoo running as another user
    try:
        for rel, content in module_files(state, version).items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def module_zip(state: DesiredState, version: str = "18.0") -> bytes:
    """The module as a zip, the form Odoo's module import takes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, content in module_files(state, version).items():
            zf.writestr(f"{state.module}/{rel}", content)
    return buffer.getvalue()
