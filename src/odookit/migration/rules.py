"""Validation of client workbooks: great-expectations suites per entity, plus the
checks a suite cannot express (cross-sheet references, likely duplicates,
types lost by Excel).

Every problem becomes a :class:`Finding` that names its workbook, sheet, row
and column, so the annotated copy, the terminal, the HTML and the JSON all
say the same thing. One GE validation run per sheet evaluates all of the
sheet's expectations with ``COMPLETE`` results, whose unexpected index lists
map straight back to cells.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from odookit.errors import MigrationError
from odookit.migration.compare import odoo_round
from odookit.migration.conventions import NEUTRAL_KEY, engaged, infer_shape, shapes, unsourced_columns
from odookit.migration.entities import BY_NAME, DEFAULT_DIGITS, ENTITIES, UOMS, Column, Entity, MapContext
from odookit.migration.mapping import check_codes, mapping_for, read_mappings
from odookit.migration.tuning import RulesConfig, Severity, build_expectation, load_rules
from odookit.migration.readers import collector_paused
from odookit.migration.workbook import Sheet, object_array, read_workbook, workbook_files

LABELS = {"warehouses": "warehouse", "categories": "category", "pricelists": "pricelist", "payment_terms": "payment term",
          "segments": "credit segment", "uoms": "unit of measure", "fiscal_positions": "fiscal position"}
EMAIL_RE = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"  # no capture group: GE warns on those
COUNTRY_RE = r"^[A-Z]{2}$"
_NOT_ALNUM = re.compile(r"[^0-9a-z ]+")
_NOT_VAT_KEY = re.compile(r"[^0-9A-Z]")
_NOT_ALNUM_LINE, _NOT_VAT_KEY_LINE = re.compile(r"[^0-9a-z \n]+"), re.compile(r"[^0-9A-Z\n]")  # the same, line by line of a joined text
_SPACES = re.compile(r" {2,}")
# inc, ltd, llc, co, corp, corporation, company, limited, gmbh, sa, the: as a tree of prefixes, a quarter faster to scan
LEGAL_SUFFIX = re.compile(r"\b(?:co(?:rp(?:oration)?|mpany)?|inc|l(?:td|lc|imited)|gmbh|sa|the)\b")


# -- findings ---------------------------------------------------------------
@dataclass
class Finding:
    severity: Severity
    rule: str
    entity: str
    file: str
    sheet: str
    row: int
    column: str
    cell: str
    message: str
    value: Any = None
    header: str = ""  # the client's header of the column, when a mapping renamed it

    def line(self) -> str:
        place = self.file if self.file.lower().endswith((".csv", ".tsv", ".txt")) else f"{self.file} sheet {self.sheet}"
        return f"{place}, row {self.row}, column {self.header or self.column} ({self.cell}): {self.severity}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        return data


@dataclass
class Validation:
    """Everything one validation run found, and the rows it read (typed)."""

    sheets: list[Sheet]
    frames: list[Any]  # typed DataFrames, aligned with ``sheets``
    findings: list[Finding]
    expectations: list[dict] = field(default_factory=list)  # one per GE expectation: entity, sheet, type, column, success, unexpected
    ctx: MapContext | None = None
    ignored: dict[str, list[str]] = field(default_factory=dict)  # rules.yaml ignore_columns: neither checked nor loaded
    digits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DIGITS))  # decimal precisions the checks used

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def bad_cells(self) -> set[tuple[str, str, int]]:
        return {(f.file, f.sheet, f.row) for f in self.errors}

    def rows(self, entity: str, *, valid_only: bool = True) -> list[dict]:
        """Typed rows of an entity across workbooks, each with its ``_where`` (file, sheet, row)."""
        bad = self.bad_cells() if valid_only else set()
        out: list[dict] = []
        for sheet, frame in zip(self.sheets, self.frames, strict=True):
            if sheet.entity.name != entity:
                continue
            records = frame.to_dict("records")
            for excel_row, record in zip(sheet.rows, records, strict=True):
                if (sheet.path.name, sheet.title, excel_row) in bad:
                    continue
                clean = {k: (None if _missing(v) else v) for k, v in record.items()}
                clean["_where"] = (str(sheet.path), sheet.title, excel_row)
                out.append(clean)
        return out

    def load_rows(self, entity: str, ctx: MapContext) -> tuple[list[dict], list[dict]]:
        """The valid rows of an entity and their ``load()`` rows, without the fields of ignored columns."""
        spec = BY_NAME[entity]
        source = self.rows(entity)
        mapped = [spec.to_load(r, ctx) for r in source]
        drop = spec.fields_of(self.ignored.get(entity, ()))
        if drop:
            mapped = [{k: v for k, v in m.items() if k not in drop} for m in mapped]
        return source, mapped

    def summary(self) -> list[dict]:
        table: dict[str, dict] = {}
        for sheet in self.sheets:
            entry = table.setdefault(sheet.entity.name, {"entity": sheet.entity.name, "rows": 0, "errors": 0, "warnings": 0, "bad_rows": 0})
            entry["rows"] += len(sheet.rows)
        bad_rows: dict[str, set] = defaultdict(set)
        for f in self.findings:
            entry = table.setdefault(f.entity, {"entity": f.entity, "rows": 0, "errors": 0, "warnings": 0, "bad_rows": 0})
            entry["errors" if f.severity == "error" else "warnings"] += 1
            if f.severity == "error":
                bad_rows[f.entity].add((f.file, f.sheet, f.row))
        for name, rows in bad_rows.items():
            table[name]["bad_rows"] = len(rows)
        order = {e.name: i for i, e in enumerate(ENTITIES)}
        return sorted(table.values(), key=lambda e: order.get(e["entity"], 99))

    def as_dict(self) -> dict:
        return {
            "summary": self.summary(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.as_dict() for f in self.findings],
            "expectations": self.expectations,
        }


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return value != value  # NaN / NaT
    except Exception:
        return False


# -- allowed values -----------------------------------------------------------
def map_context(blueprint, module: str, major: int = 18) -> MapContext:
    if blueprint is None:
        return MapContext(module=module, major=major)
    return MapContext(
        module=module,
        major=major,
        invoice_policy=blueprint.invoicing.policy,
        segment_limits={s.code: s.limit for s in blueprint.credit.segments},
        default_limit=blueprint.credit.default_limit,
        category_tracking={c.code: c.tracking for c in blueprint.product_categories},
        supplier_lead_days=blueprint.reorder.supplier_lead_days,
        reorder_limits={(r.warehouse, r.category): (r.min_qty, r.max_qty) for r in blueprint.reorder.rules},
        reorder_default=(blueprint.reorder.min_qty, blueprint.reorder.max_qty),
        category_parent={c.code: c.parent for c in blueprint.product_categories if c.parent},
        category_expiry={c.code: (c.expiry.expiration_days, c.expiry.use_days, c.expiry.removal_days, c.expiry.alert_days)
                         for c in blueprint.product_categories if c.expiry},
    )


def _workbook_context(ctx: MapContext, sheets, frames) -> MapContext:
    """Add what the workbooks say about categories and products, for blueprint defaults that depend on them."""
    import dataclasses

    parents, categories = dict(ctx.category_parent), {}  # the blueprint's tree, then the workbooks' sub-categories
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name == "categories" and {"code", "parent"} <= set(frame):
            parents.update(_text_pairs(frame["code"], frame["parent"]))
        if sheet.entity.name == "products" and {"sku", "category"} <= set(frame):
            categories.update(_text_pairs(frame["sku"], frame["category"]))
    return dataclasses.replace(ctx, category_parent=parents, product_category=categories)


def _text_pairs(keys, values) -> dict[str, str]:
    """key -> value of the rows where both cells are text (from lists: iterating pandas Series is 20 times slower)."""
    return {k: v for k, v in zip(keys.tolist(), values.tolist(), strict=True) if isinstance(k, str) and isinstance(v, str)}


def allowed_values(blueprint, sheets: list[Sheet]) -> dict[str, list[str]]:
    """Values of each dropdown source: the blueprint's codes, plus categories defined in the workbooks."""
    bp = blueprint
    extra_categories = []
    for sheet in sheets:
        if sheet.entity.name == "categories" and "code" in sheet.headers:
            extra_categories += [str(v).strip() for v in sheet.column("code") if v not in (None, "")]
    return {
        "warehouses": [w.code for w in bp.warehouses] if bp else [],
        "categories": ([c.code for c in bp.product_categories] if bp else []) + extra_categories,
        "pricelists": [p.code for p in bp.pricelists] if bp else [],
        "payment_terms": [t.code for t in bp.payment_terms] if bp else [],
        "segments": [s.code for s in bp.credit.segments] if bp else [],
        "fiscal_positions": [fp.code for c in bp.companies for fp in c.fiscal_positions] if bp else [],
        "uoms": list(UOMS),
    }


# -- typing the raw cells ------------------------------------------------------
MOMENTS = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)  # what a reader gives for a date cell


def _date_number_message(value) -> str:
    """A number in a date column is most often a date Excel shows as its day number (45292 is 1 January 2024)."""
    try:
        day = (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(value)))).isoformat()
    except (OverflowError, ValueError):
        return f"'{value}' is a number, not a date: enter it as a date cell"
    return f"'{value}' is a number, not a date: enter it as a date cell (as Excel's day number it is {day})"


def _typed(sheet: Sheet, rules: RulesConfig, emit, digits: dict[str, int] | None = None) -> Any:
    """A DataFrame of the sheet with each column in its declared type.

    Values Excel mangled (numbers as text, codes that lost their zeros, dates
    as text) are reported here and repaired where the intent is clear, so
    that one defect does not cascade into reference errors downstream.
    """
    import pandas as pd

    index = pd.RangeIndex(len(sheet.rows))
    out = {}
    ignored = set(rules.ignore_columns.get(sheet.entity.name, []))
    for name, values in zip(sheet.headers, sheet.columns, strict=True):
        column = sheet.entity.column(name)
        if column.kind in ("number", "integer", "date"):
            series = pd.Series(values, index=index, dtype=object)
            types = series.map(type)
            is_str = types.eq(str)
        if column.kind in ("number", "integer"):
            numeric = pd.to_numeric(series.where(~is_str), errors="coerce")
            bools = types.eq(bool)
            texty = _nonblank(series, is_str)
            if name not in ignored and texty.any():
                parsed = pd.to_numeric(series.where(texty).astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce")
                emit(sheet, name, "text_number", texty, lambda v: f"'{v}' is text, not a number: retype it as a number")
                numeric = numeric.where(~texty, parsed)
            numeric = numeric.where(~bools)
            moments = types.isin(MOMENTS)
            if name not in ignored and moments.any():
                emit(sheet, name, "format", moments, lambda v: f"'{v}' is a date, not a number: enter the number itself")
            if column.digits and name not in ignored:
                _precision(sheet, column, numeric, (digits or DEFAULT_DIGITS).get(column.digits, DEFAULT_DIGITS.get(column.digits, 2)), emit)
            if column.kind == "integer" and name not in ignored:
                fractional = numeric.notna() & numeric.astype(float).mod(1).ne(0)
                if fractional.any():
                    emit(sheet, name, "format", fractional, lambda v: f"'{v}' is not a whole number")
            out[name] = numeric.astype(float)
        elif column.kind == "date":
            # a bare number is not a date: pandas would read 45292 as a moment of 1 January 1970 (nanoseconds)
            numbers = types.isin((int, float)) & series.notna()
            dates = pd.to_datetime(series.where(~is_str & ~numbers), errors="coerce")
            texty = _nonblank(series, is_str)
            if name not in ignored and texty.any():
                emit(sheet, name, "date_text", texty, lambda v: f"'{v}' is text, not a date: enter it as a date cell")
            if name not in ignored and numbers.any():
                emit(sheet, name, "date_number", numbers, _date_number_message)
            out[name] = dates
        else:
            flags, texts = (None, values) if name in sheet.plain else _as_text(values, sheet.mixed.get(name))
            as_text = pd.Series(texts, index=index, dtype=object)
            width = column.width or (13 if column.kind == "barcode" else None)
            is_num = pd.Series(flags, index=index, dtype=bool) if flags is not None else None
            if width and is_num is not None and is_num.any() and name not in ignored:
                short = is_num.copy()
                short[is_num] = as_text[is_num].str.len().lt(width)
                if short.any():
                    emit(sheet, name, "leading_zeros", short,
                         lambda v: f"{_num_text(v)} lost its leading zeros: write it as text '{_num_text(v).zfill(width)}'")
                    as_text = _padded(as_text, short, width)
            if column.kind == "code" and not column.pattern and not column.width and name not in ignored:
                as_text = _shape_outliers(sheet, name, as_text, emit)
            out[name] = as_text
    return pd.DataFrame(out, index=index, columns=list(sheet.headers))


def _padded(as_text, short, width: int):
    """The column with its ``short`` codes zero-padded to ``width`` (only those are touched)."""
    as_text = as_text.copy()
    as_text[short] = as_text[short].str.zfill(width)
    return as_text


def _nonblank(series, is_str):
    """Which cells hold text that is not blank; only the text cells of a number or date column are looked at."""
    texty = is_str.copy()
    if is_str.any():
        texty[is_str] = [bool(v.strip()) for v in series[is_str]]
    return texty


def _as_text(values: list, others: list[int] | None = None) -> tuple[list[bool], list]:
    """Which cells hold numbers, and every cell as stripped text (numbers without a spurious ``.0``;
    empty text and NaN as NaN, None kept): one pass over the column instead of six pandas ones.

    A column the reader found to be stripped text and empty cells only (``Sheet.plain``, most columns)
    is that already and never comes here; of one with stripped text and numbers (``Sheet.mixed``) only
    the ``others`` rows, those of the cells that were not text, are looked at."""
    nan = float("nan")
    if others is not None:
        flags, texts = [False] * len(values), list(values)
        for row in others:
            value = values[row]
            flags[row] = isinstance(value, int | float) and not isinstance(value, bool)
            texts[row] = (value.strip() or nan) if type(value) is str else _cell_text(value, flags[row], nan)
        return flags, texts
    flags = [False if type(v) is str else isinstance(v, int | float) and not isinstance(v, bool) for v in values]
    texts = [(v.strip() or nan) if type(v) is str else None if v is None else _cell_text(v, number, nan)
             for v, number in zip(values, flags, strict=True)]
    return flags, texts


def _cell_text(value, number: bool, nan: float):
    if number and value != value:
        return nan
    return (_num_text(value) if number else str(value)).strip() or nan


def _precision(sheet: Sheet, column: Column, numeric, places: int, emit) -> None:
    """Numbers with more decimals than the Odoo field keeps: Odoo rounds them silently at load."""
    present = numeric.notna()
    if not present.any():
        return
    rounded = numeric.round(places)
    finer = present & (numeric - rounded).abs().gt(1e-9 * numeric.abs().clip(lower=1))
    if finer.any():
        field = column.loads[0] if column.loads else column.name
        emit(sheet, column.name, "precision", finer,
             lambda v, places=places: f"{_num_text(v)} has more decimals than Odoo keeps for {field} ({column.digits}: {places}): "
                                      f"{_rounded_text(v, places)} will be stored")


def _rounded_text(value, places: int) -> str:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return str(value)
    return f"{odoo_round(number, places):.{places}f}"


def _shape_outliers(sheet: Sheet, name: str, as_text, emit):
    """Codes unlike the shape a strong majority of their column shares; numeric codes that lost zeros are re-padded."""
    import pandas as pd

    value_shapes = shapes(as_text)
    inferred = infer_shape(as_text, value_shapes)
    if inferred is None:
        return as_text
    odd = as_text.notna() & value_shapes.ne(inferred.pattern)
    width = inferred.digits_only
    if width:
        short = pd.Series(False, index=as_text.index)  # the few odd codes, not the whole column, are looked at
        candidates = as_text[odd]
        short[odd] = candidates.str.fullmatch(r"\d+").fillna(False).astype(bool) & candidates.str.len().lt(width)
        if short.any():
            emit(sheet, name, "leading_zeros", short,
                 lambda v: f"{_num_text(v)} lost its leading zeros ({inferred.share:,} of {inferred.total:,} codes of the column have "
                           f"{width} digits, e.g. {inferred.example}): write it as text '{_num_text(v).strip().zfill(width)}'")
            as_text = _padded(as_text, short, width)
            odd = odd & ~short
    if odd.any():
        emit(sheet, name, "format", odd,
             lambda v: f"'{_num_text(v)}' is unlike the other codes of the column ({inferred.share:,} of {inferred.total:,} look like "
                       f"{inferred.example}): check it lost nothing, or declare the format in rules.yaml conventions")
    return as_text


def _num_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- great-expectations ----------------------------------------------------------
_GX = {}


def _gx_context():
    """One ephemeral GE context per process: building one costs more than validating a sheet."""
    if "ctx" not in _GX:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import logging

        import great_expectations as gx

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        _no_fingerprints()
        ctx = gx.get_context(mode="ephemeral")
        try:
            ctx.variables.progress_bars = {"globally": False, "metric_calculations": False}
        except Exception:  # older GE: progress bars stay on stderr, harmless
            pass
        source = ctx.data_sources.add_pandas("odookit")
        asset = source.add_dataframe_asset("sheet")
        _GX.update(ctx=ctx, batch=asset.add_batch_definition_whole_dataframe("whole"), n=0)
    return _GX["ctx"], _GX["batch"]


def _no_fingerprints() -> None:
    """GE hashes every cell of each batch under 1 GB into a "pandas_data_fingerprint" batch marker, metadata
    that identifies a batch it may meet again. Each sheet is one batch validated once and the marker is never
    read, but the hash cost 40 % of a 100,000-row sheet's validation: its threshold is set to 0 (GE's own switch,
    the one it uses to skip large frames), so no batch is fingerprinted."""
    from great_expectations.execution_engine import pandas_execution_engine

    if hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        pandas_execution_engine.HASH_THRESHOLD = 0


def _suite_for(entity: Entity, headers: list[str], allowed: dict[str, list[str]], rules: RulesConfig):
    """The expectations of one sheet, each tagged with the odookit rule it stands for."""
    import great_expectations.expectations as gxe

    ignored = set(rules.ignore_columns.get(entity.name, []))
    present = [c for c in entity.columns if c.name in headers and c.name not in ignored]
    specs: list[tuple[Any, str, str | None, str, Severity | None]] = []  # (expectation, rule, column, message, severity)
    for col in present:
        if col.required:
            specs.append((gxe.ExpectColumnValuesToNotBeNull(column=col.name), "required", col.name, f"{col.name} is required", None))
        elif col.recommended:
            specs.append((gxe.ExpectColumnValuesToNotBeNull(column=col.name), "missing", col.name, f"{col.name} is empty", None))
        regex = col.pattern or (EMAIL_RE if col.kind == "email" else COUNTRY_RE if col.kind == "country" else NEUTRAL_KEY if col.kind == "code" else None)
        if regex:
            if col.pattern:
                what = f"of the form {regex}" + (f" (e.g. {col.example})" if col.example else "")
            else:
                what = {"email": "an e-mail address", "country": "an ISO country code (US)"}.get(col.kind, "a usable code (1 to 64 characters, with a letter or digit)")
            specs.append((gxe.ExpectColumnValuesToMatchRegex(column=col.name, regex=regex), "format", col.name, f"'{{value}}' is not {what}", None))
        values = list(col.choices) or (allowed.get(col.source) if col.source else None)
        if values is not None and (col.choices or col.source):
            shown = ", ".join(values[:12]) + (", ..." if len(values) > 12 else "")
            specs.append((gxe.ExpectColumnValuesToBeInSet(column=col.name, value_set=values), "allowed", col.name, f"'{{value}}' is not a known {LABELS.get(col.source or '', col.name)} ({shown})", None))
        if col.min is not None or col.max is not None:
            specs.append((gxe.ExpectColumnValuesToBeBetween(column=col.name, min_value=col.min, max_value=col.max), "range", col.name, f"{{value}} is outside {col.min:g}..{col.max:g}", None))
        if col.kind == "barcode":
            specs.append((gxe.ExpectColumnValuesToBeUnique(column=col.name), "unique", col.name,
                          "'{value}' is also the barcode of another row (Odoo refuses duplicate barcodes)", None))
    keys = [k for k in entity.key if k in headers]
    if len(keys) == 1 and keys[0] not in ignored:
        specs.append((gxe.ExpectColumnValuesToBeUnique(column=keys[0]), "unique", keys[0], f"'{{value}}' appears more than once", None))
    elif len(keys) > 1:
        specs.append((gxe.ExpectCompoundColumnsToBeUnique(column_list=keys), "unique", keys[0], f"{' + '.join(keys)} appears more than once", None))
    for extra in rules.extra_expectations:
        if extra.entity != entity.name or (extra.column and extra.column not in headers):
            continue
        specs.append((build_expectation(extra, where="rules.yaml"), "extra", extra.column or keys[0],
                      extra.message or f"{extra.expectation} failed for '{{value}}'", extra.severity))
    return specs


def _run_suite(sheet: Sheet, frame, specs) -> list[tuple]:
    """Validate every expectation of a sheet in one GE run; returns (spec..., unexpected indexes, success)."""
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    if not specs:
        return []
    _, batch_definition = _gx_context()
    _GX["n"] += 1
    # never added to the context's store: saving each expectation there costs more than evaluating it
    suite = gx.ExpectationSuite(name=f"{sheet.entity.name}_{_GX['n']}")
    for position, (expectation, *_) in enumerate(specs):
        expectation.meta = {**(expectation.meta or {}), "odookit_spec": position}
        suite.add_expectation(expectation)
    # the validator loads the batch itself: going through get_batch() first loaded (and fingerprinted) it twice
    validator = Validator(batch_definition, batch_parameters={"dataframe": _batch(sheet.entity, frame, specs)},
                          result_format={"result_format": "COMPLETE", "include_unexpected_rows": False, "partial_unexpected_count": 0,
                                         "return_unexpected_index_query": False})  # the index list maps to cells; the query repeats it
    result = validator.validate_expectation_suite(suite)
    out = []
    by_spec = {res.expectation_config.meta["odookit_spec"]: res for res in result.results}
    for position, spec in enumerate(specs):
        res = by_spec[position]
        indexes = res.result.get("unexpected_index_list") or []
        indexes = [i if isinstance(i, int) else i.get("index", i) for i in indexes] if indexes else []
        out.append((*spec, indexes, bool(res.success)))
    return out


def _batch(entity: Entity, frame, specs):
    """The frame GE validates: only the columns the expectations name, coded columns as categoricals.

    GE filters every column of the batch for each expectation (its domain) and tests it for nulls
    several times: columns no expectation reads (street, phone...) only cost time, and a column of a
    few codes (a country, a payment term) is cheaper as integer codes. A rules.yaml expectation may
    read any column in any way: with one, the batch is the typed frame as it is."""
    import pandas as pd

    if any(rule == "extra" for _, rule, *_ in specs):
        return frame
    named = set()
    for expectation, *_ in specs:
        named.add(getattr(expectation, "column", None))
        named.update(getattr(expectation, "column_list", None) or ())
    batch = {}
    for name in frame.columns:
        if name not in named:
            continue
        column, series = entity.column(name), frame[name]
        if series.dtype == object and (column.choices or column.source or column.kind == "country"):
            codes, uniques = pd.factorize(series, sort=False)  # unsorted: sorting the categories is wasted work here
            series = pd.Series(pd.Categorical.from_codes(codes, categories=uniques), index=series.index, name=name)
        elif series.dtype == object and (text := _text_dtype()) is not None and pd.api.types.infer_dtype(series) in ("string", "empty"):
            series = series.astype(text)  # GE's regex check casts to it: one cast here, not one per expectation
        batch[name] = series
    return pd.DataFrame(batch, index=frame.index)


@functools.cache
def _text_dtype():
    """pandas' own dtype of text with NaN for empty cells ("str", pandas 3), or None where "str" is still Python
    objects (pandas 2)."""
    import pandas as pd

    dtype = pd.api.types.pandas_dtype("str")
    return None if dtype == object else dtype


# -- the run ------------------------------------------------------------------------
class _Collector:
    def __init__(self, rules: RulesConfig):
        self.rules = rules
        self.findings: list[Finding] = []

    def add(self, sheet: Sheet, column: str, rule: str, positions, message, severity: Severity | None = None) -> None:
        """Report ``rule`` on every data row position of ``positions`` (a bool Series or index list)."""
        if hasattr(positions, "dtype") and positions.dtype == bool:
            positions = positions[positions].index.tolist()
        if not positions:
            return
        severity = severity or self.rules.severity_of(sheet.entity.name, column, rule)
        raw = sheet.column(column) if column in sheet.headers else None
        letter = sheet.letters.get(column, "?")
        for i in positions:
            value = raw[i] if raw is not None else None
            text = message(value) if callable(message) else message.replace("{value}", "" if value is None else str(value))
            row = sheet.rows[i]
            self.findings.append(Finding(severity, rule, sheet.entity.name, sheet.path.name, sheet.title, row, column, f"{letter}{row}", text, value,
                                         sheet.source.get(column, "")))


def validate_files(paths: list[Path], *, blueprint, rules: RulesConfig | None = None, module: str = "odookit", only: set[str] | None = None,
                   digits: dict[str, int] | None = None, mappings: dict | None = None) -> Validation:
    """Read and validate workbooks; structural problems raise, value problems become findings.

    ``mappings``: file path -> its mapping (``mapping.Mapping``), for legacy exports read through one.

    ``digits`` are the target's decimal precisions by name (Odoo's defaults when None).

    Python's cycle collector is paused for the run (:func:`readers.collector_paused`): it would walk the
    read cells again and again while typing and great-expectations allocate, and nothing they hold is
    garbage before the run ends.
    """
    with collector_paused():
        return _validate_files(paths, blueprint, rules or RulesConfig(), module, only, digits, mappings)


def _validate_files(paths: list[Path], blueprint, rules: RulesConfig, module: str, only: set[str] | None,
                    digits: dict[str, int] | None, mappings: dict | None) -> Validation:
    sheets: list[Sheet] = []
    for path in paths:
        sheets += read_workbook(path, only=only, mapping=mappings.get(Path(path)) if mappings else None)
    allowed = allowed_values(blueprint, sheets)
    for mapping in {id(m): m for m in (mappings or {}).values()}.values():
        check_codes(mapping, allowed)
    rules = _engage(sheets, rules, allowed)
    collect = _Collector(rules)
    _unsourced_warnings(sheets, allowed, collect)
    frames = []
    expectations: list[dict] = []
    for sheet in sheets:
        frame = _typed(sheet, rules, collect.add, digits)
        frames.append(frame)
        if not len(frame):
            continue
        specs = _suite_for(sheet.entity, sheet.headers, allowed, rules)
        for expectation, rule, column, message, severity, indexes, success in _run_suite(sheet, frame, specs):
            expectations.append({"entity": sheet.entity.name, "file": sheet.path.name, "sheet": sheet.title,
                                 "expectation": expectation.expectation_type, "column": column, "rule": rule,
                                 "success": success, "unexpected": len(indexes)})
            collect.add(sheet, column, rule, indexes, message, severity)
        _format_checks(sheet, frame, rules, collect)
    ctx = _workbook_context(map_context(blueprint, module), sheets, frames)
    _cross_sheet(sheets, frames, ctx, rules, collect)
    _duplicates(sheets, frames, collect)
    _unique_across_sheets(sheets, frames, collect)
    _min_above_max(sheets, frames, ctx, collect)
    from odookit.migration.kit_components import kit_problems

    kit_problems(sheets, frames, collect)
    findings = _dedupe(collect.findings)
    return Validation(sheets, frames, findings, expectations, ctx, dict(rules.ignore_columns), dict(digits or DEFAULT_DIGITS))


def _engage(sheets: list[Sheet], rules: RulesConfig, allowed: dict[str, list[str]]) -> RulesConfig:
    """Give each sheet the engagement's columns (rules.yaml conventions, the blueprint's codes).

    Returns the rules with the columns of blueprint codes the blueprint does not define added to
    ``ignore_columns``: neither checked nor loaded, and said once per sheet (:func:`_unsourced_warnings`).
    """
    ignored = {name: list(columns) for name, columns in rules.ignore_columns.items()}
    for sheet in sheets:
        sheet.entity = engaged(BY_NAME[sheet.entity.name], rules.conventions, allowed)
        missing = [c.name for c in sheet.entity.columns if c.required and c.name not in sheet.headers]
        if missing and sheet.mapping is not None:
            raise MigrationError(
                f"required column '{missing[0]}' of {sheet.entity.name} has no header mapped to it"
                + (f" (nor {', '.join(missing[1:])})" if missing[1:] else ""),
                where=f"mappings/{sheet.mapping.name}, sheet {sheet.title}",
                fix="Map the client's header for it under columns: (migration/rules.yaml conventions require it), "
                    "or ask for an export that has it.",
            )
        if missing:
            from openpyxl.utils import column_index_from_string, get_column_letter

            after = get_column_letter(max((column_index_from_string(v) for v in sheet.letters.values()), default=0) + 1)
            raise MigrationError(
                f"required column '{missing[0]}' is missing" + (f" (and {', '.join(missing[1:])})" if missing[1:] else ""),
                where=f"{sheet.path.name} sheet {sheet.title}, row 1, column {after}",
                fix=f"Add a '{missing[0]}' header (migration/rules.yaml conventions require it); "
                    f"`odookit migrate template {sheet.entity.name}` shows the expected layout.",
            )
        for column in unsourced_columns(sheet.entity, allowed):
            if column not in ignored.setdefault(sheet.entity.name, []):
                ignored[sheet.entity.name].append(column)
    return rules.model_copy(update={"ignore_columns": {k: v for k, v in ignored.items() if v}})


def _unsourced_warnings(sheets: list[Sheet], allowed: dict[str, list[str]], collect: _Collector) -> None:
    """One warning per sheet column that holds blueprint codes of a kind the blueprint does not define."""
    for sheet in sheets:
        for name in unsourced_columns(sheet.entity, allowed):
            if name not in sheet.headers:
                continue
            filled = [i for i, value in enumerate(sheet.column(name)) if value not in (None, "")]
            if filled:
                label = LABELS.get(sheet.entity.column(name).source or "", name)
                collect.add(sheet, name, "allowed", filled[:1],
                            f"the blueprint defines no {label} codes: the {len(filled)} values of column {name} are neither checked nor loaded",
                            severity="warning")


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per cell and rule (a missing key is not also a non-unique key), in reading order."""
    seen, out = set(), []
    for f in findings:
        key = (f.file, f.sheet, f.row, f.column, f.rule)
        if key not in seen:
            seen.add(key)
            out.append(f)
    out.sort(key=lambda f: (f.file, f.sheet, f.row, f.cell))
    return out


def _format_checks(sheet: Sheet, frame, rules: RulesConfig, collect: _Collector) -> None:
    """Checksums GE has no expectation for: tax IDs and EAN barcodes, once per distinct value."""
    ignored = set(rules.ignore_columns.get(sheet.entity.name, []))
    for col in sheet.entity.columns:
        if col.name not in frame or col.name in ignored or col.kind not in ("vat", "barcode"):
            continue
        series = frame[col.name]
        present = series.notna()
        if not present.any():
            continue
        if col.kind == "barcode":
            bad = ean_invalid(series[present].unique().tolist())
            mask = series.isin(bad)
            collect.add(sheet, col.name, "barcode", mask, lambda v: f"'{v}' is not a valid EAN barcode (length or check digit)")
        else:
            countries = frame["country"][present].tolist() if "country" in frame else [None] * int(present.sum())
            values, indexes = series[present].tolist(), series.index[present].tolist()
            verdicts: dict[tuple, tuple[str | None, str]] = {}  # (tax ID, country) -> verdict, each pair once
            for position in (~_confirmed_valid(values, countries)).nonzero()[0].tolist():  # the rest are valid
                index, value, country = indexes[position], values[position], countries[position]
                verdict = verdicts.get((value, country))
                if verdict is None:
                    verdict = verdicts[(value, country)] = _vat_verdict(value, country)
                if verdict[0]:
                    collect.add(sheet, col.name, verdict[0], [index], verdict[1])


EAN_LENGTHS = (8, 12, 13, 14)  # the lengths stdnum's EAN check accepts (EAN-8, UPC-A, EAN-13, GTIN-14)


def ean_invalid(values: list) -> set:
    """The distinct ``values`` that stdnum's EAN check refuses.

    Values of plain ASCII digits at an EAN length (nearly all of them) are checked at once: their
    GS1 check digit, weights 1, 3, 1, 3... from the right, is a matrix product with numpy. stdnum
    (~5 µs a value) checks the others, those with separators or another length.
    """
    import numpy as np
    from stdnum import ean

    texts = object_array(values)
    checked, bad = np.zeros(len(values), dtype=bool), set()
    for length in EAN_LENGTHS:
        rows, chars = _digit_matrix(texts, length)
        digits = chars - ord("0")
        plain = ((digits >= 0) & (digits <= 9)).all(axis=1)
        valid = (digits @ np.where(np.arange(length)[::-1] % 2 == 1, 3, 1)) % 10 == 0
        checked[rows[plain]] = True
        bad.update(texts[rows[plain & ~valid]].tolist())
    bad.update(v for v in texts[~checked].tolist() if not ean.is_valid(v))
    return bad


_VAT_MODULES: dict[str, list] = {}


def _vat_modules(cc: str) -> list:
    """The country's VAT module, or its business-number schemes where there is no VAT (US EIN, CA BN)."""
    import stdnum

    if cc not in _VAT_MODULES:
        mods = []
        for kind in ("vat", "ein", "bn", "tin"):
            try:
                module = stdnum.get_cc_module(cc, kind)
            except Exception:
                module = None
            if module is not None and module not in mods:  # stdnum.ca's vat is its bn: one check, not two
                mods.append(module)
        _VAT_MODULES[cc] = mods
    return _VAT_MODULES[cc]


def _valid_for(text: str, cc: str) -> bool:
    if text[:2].lower() == cc or (cc == "gr" and text[:2].lower() == "el"):
        text = text[2:].lstrip("- ")
    for module in _vat_modules(cc):
        if _ein_valid(text) if module.__name__ == "stdnum.us.ein" else module.is_valid(text):
            return True
    return False


_TO_ZERO = str.maketrans("123456789", "000000000")
_TWO_DIGITS = re.compile(r"[^0-9]*[0-9][^0-9]*[0-9]")


def _ein_valid(text: str) -> bool:
    """stdnum's EIN check, once per campus prefix and layout: it costs ~60 µs a number (a campus table
    lookup), and an EIN's validity depends only on its layout and its first two digits (the campus), so
    ``12-3456789`` is valid exactly when ``12-0000000`` is."""
    campus = _TWO_DIGITS.match(text)
    if campus is None:
        return _ein_layout_valid(text)
    return _ein_layout_valid(text[:campus.end()] + text[campus.end():].translate(_TO_ZERO))


@functools.lru_cache(maxsize=4096)
def _ein_layout_valid(text: str) -> bool:
    from stdnum.us import ein

    return ein.is_valid(text)


def _confirmed_valid(values: list, countries: list):
    """Which tax IDs are known valid for their row's country without a call to stdnum per value (a numpy bool array).

    Two layouts make up most North American exports and cost most under stdnum: a Canadian business
    number of nine plain digits (stdnum's check is the Luhn sum, ~9 µs a number) and a US EIN (valid
    exactly when its layout with the campus prefix alone is, see :func:`_ein_valid`). Both are checked
    for a whole column at once with numpy. Only confirmations come from here: any other value, and any
    of these that fails, goes to :func:`_vat_verdict`, which says why.
    """
    import numpy as np
    import pandas as pd

    confirmed = np.zeros(len(values), dtype=bool)
    codes, uniques = pd.factorize(pd.Series(countries, dtype=object))
    texts = object_array(values)
    for code, country in enumerate(uniques):
        check = _BATCH_CHECKS.get(country.strip().lower()) if isinstance(country, str) else None
        if check is not None:
            rows = np.flatnonzero(codes == code)
            confirmed[rows] = check(texts[rows])
    return confirmed


def _digit_matrix(texts, length: int):
    """The texts of ``length`` characters as a (rows, length) array of their character codes (a non-ASCII
    character as '?'), with their positions."""
    import numpy as np

    try:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))  # text only, nearly always
    except TypeError:
        lengths = np.fromiter((len(t) if t.__class__ is str else -1 for t in texts), dtype=np.int64, count=len(texts))
    rows = np.flatnonzero(lengths == length)
    text = "".join(texts[rows].tolist()).encode("ascii", "replace")
    return rows, np.frombuffer(text, dtype=np.uint8).reshape(len(rows), length).astype(np.int64)


def _bn_valid(texts):
    """Nine ASCII digits whose Luhn sum is 0: stdnum's BN check of such a number (every second digit from the
    right doubled, its digits summed)."""
    import numpy as np

    ok = np.zeros(len(texts), dtype=bool)
    rows, chars = _digit_matrix(texts, 9)
    digits = chars - ord("0")
    doubled = digits[:, 1::2] * 2
    total = digits[:, ::2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    ok[rows] = ((digits >= 0) & (digits <= 9)).all(axis=1) & (total % 10 == 0)
    return ok


@functools.cache
def _ein_prefix_valid(dash: bool):
    """stdnum's EIN verdict for each two-digit campus prefix (index 0..99) in the layout with or without its dash."""
    import numpy as np

    return np.array([_ein_layout_valid(f"{prefix:02d}{'-' if dash else ''}0000000") for prefix in range(100)])


def _ein_valid_batch(texts):
    """EINs written NN-NNNNNNN or NNNNNNNNN (ASCII digits) whose campus prefix is valid in that layout."""
    import numpy as np

    ok = np.zeros(len(texts), dtype=bool)
    for length, dash in ((9, False), (10, True)):
        rows, chars = _digit_matrix(texts, length)
        digits = chars - ord("0")
        plain = ((digits >= 0) & (digits <= 9)).sum(axis=1) == 9
        if dash:
            plain &= chars[:, 2] == ord("-")
        prefix = np.where(plain, digits[:, 0] * 10 + digits[:, 1], 0)
        ok[rows] = plain & _ein_prefix_valid(dash)[prefix]
    return ok


_BATCH_CHECKS = {"ca": _bn_valid, "us": _ein_valid_batch}


def _countries_of(text: str) -> list[str]:
    """The countries a tax ID is valid for: its own prefix's, and every EU country's it passes."""
    from stdnum.eu import vat as eu_vat

    found = []
    prefix = text[:2].lower()
    if prefix.isalpha() and _vat_modules(prefix) and _valid_for(text, prefix):
        found.append(prefix)
    try:
        found += sorted(c for c in eu_vat.guess_country(text) if c not in found)  # stdnum's set: its order moves with the hash seed
    except Exception:  # noqa: BLE001 - a value stdnum cannot even parse is valid nowhere
        pass
    return ["gr" if c == "el" else c for c in found]


def country_name(cc: str) -> str:
    """``Netherlands (NL)``: the English name where babel knows it."""
    try:
        from babel import Locale

        name = Locale("en").territories.get(cc.upper())
    except Exception:  # noqa: BLE001 - babel missing or a code it lacks: the code alone says it
        name = None
    return f"{name} ({cc.upper()})" if name else cc.upper()


def _vat_verdict(value, country) -> tuple[str | None, str]:
    """(None, "") when the tax ID is valid for the row's country; ("vat_country", why) when it is valid for another
    country only; ("vat", why) when it is valid for none."""
    cc = str(country or "").strip().lower()
    text = str(value).strip()
    schemes = _vat_modules(cc) if cc else []
    if cc and not schemes and not text[:2].isalpha():
        return None, ""  # no scheme known for that country and no country prefix: nothing to check against
    if schemes and _valid_for(text, cc):
        return None, ""
    elsewhere = [c for c in _countries_of(text) if c != cc]
    if elsewhere:
        where = ", ".join(country_name(c) for c in elsewhere)
        if not cc:
            return None, ""
        return "vat_country", f"'{text}' is a valid tax ID of {where}, but the address is in {country_name(cc)}: check the number or the country"
    if not cc:
        return "vat", f"'{text}' is not a valid tax ID of any country (the row has no country)"
    return "vat", f"'{text}' is not a valid tax ID for {country_name(cc)}, nor for any other country"


def _keys(sheets, frames, entity: str, column: str) -> set[str]:
    out = set()
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name == entity and column in frame:
            out.update(map(str, frame[column].dropna().tolist()))  # (iterating a pandas str array is 20 times slower)
    return out


def _cross_sheet(sheets, frames, ctx: MapContext, rules: RulesConfig, collect: _Collector) -> None:
    import pandas as pd

    present = {s.entity.name for s in sheets}
    key_of = {"customers": "code", "suppliers": "code", "products": "sku"}  # the entities other sheets refer to
    known: dict[str, set[str]] = {}  # their keys, gathered when a sheet refers to them
    tracking: dict[str, str] = {}  # what opening stock needs of the products
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name == "products" and "sku" in frame and "opening_stock" in present:
            cats = frame["category"] if "category" in frame else pd.Series([None] * len(frame))
            track = frame["tracking"] if "tracking" in frame else pd.Series([None] * len(frame))
            for sku, cat, tr in zip(frame["sku"], cats, track, strict=True):
                if isinstance(sku, str):
                    tracking[sku] = tr if isinstance(tr, str) else ctx.category_tracking.get(cat, "none")
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name == "categories" and "code" in frame:
            # same external ID as the blueprint's category: loading the row would rename or re-parent it
            taken = frame["code"].isin(list(ctx.category_tracking))
            collect.add(sheet, "code", "unique", taken, lambda v: f"'{v}' is a blueprint category: change it in blueprints/, not here")
        ignored = set(rules.ignore_columns.get(sheet.entity.name, []))
        for col in sheet.entity.columns:
            if not col.ref or col.ref not in key_of or col.name not in frame or col.name in ignored:
                continue
            if col.ref == sheet.entity.name:
                continue
            if col.ref not in present:
                what = f"is unknown: no {col.ref} sheet was read"
            else:
                what = f"is not in the {col.ref} sheet"
            series = frame[col.name]
            if col.ref not in known:
                known[col.ref] = _keys(sheets, frames, col.ref, key_of[col.ref])
            mask = series.notna() & ~series.isin(known[col.ref])
            collect.add(sheet, col.name, "reference", mask, lambda v, what=what: f"'{v}' {what}")
        if sheet.entity.name == "opening_stock" and {"location", "warehouse"} <= set(frame):
            # Odoo names a warehouse's locations after its code: CHI/Stock/Shelf 1
            elsewhere = [i for i, (loc, wh) in enumerate(zip(frame["location"], frame["warehouse"], strict=True))
                         if isinstance(loc, str) and isinstance(wh, str) and not loc.startswith(f"{wh}/")]
            collect.add(sheet, "location", "reference", elsewhere, lambda v: f"'{v}' is not a location of the row's warehouse (its full name starts with the warehouse code)")
        if sheet.entity.name == "opening_stock" and "sku" in frame:
            lots = frame["lot"] if "lot" in frame else pd.Series([None] * len(frame), index=frame.index)
            tracked = frame["sku"].map(lambda s: tracking.get(s, "none") in ("lot", "serial"))
            mask = tracked & lots.isna()
            column = "lot" if "lot" in frame else "sku"
            collect.add(sheet, column, "lot_required", mask, lambda v: "this product is tracked by lot/serial: give the lot number")
            if "quantity" in frame:
                serial = frame["sku"].map(lambda s: tracking.get(s) == "serial") & frame["quantity"].gt(1)
                collect.add(sheet, "quantity", "range", serial, lambda v: f"{v} units of a serial-tracked product in one row: one row per serial number")


def _unique_across_sheets(sheets, frames, collect: _Collector) -> None:
    """A key is one record's external ID, whichever workbook holds it: given in two sheets of one entity (two
    customer exports, two stock counts), the later row would overwrite the first in Odoo, or a quant be counted
    twice. Each repeat after the first sheet is a ``unique`` error naming where the key was first given; repeats
    within one sheet are that sheet's own ``unique`` check."""
    counts = Counter(sheet.entity.name for sheet in sheets)
    first: dict[tuple, tuple[Sheet, int]] = {}
    for sheet, frame in zip(sheets, frames, strict=True):
        keys = list(sheet.entity.key)
        if counts[sheet.entity.name] < 2 or not len(frame) or keys[0] not in frame:
            continue
        columns = [frame[k].tolist() if k in frame else [None] * len(frame) for k in keys]  # a lot column is optional
        for i, values in enumerate(zip(*columns, strict=True)):
            key = tuple(None if _missing(v) else v for v in values)  # a lot or sub-location may be left empty
            if key[0] is None:
                continue
            seen = first.setdefault((sheet.entity.name, key), (sheet, i))
            if seen[0] is not sheet:
                where, row = seen[0], seen[0].rows[seen[1]]
                what = " + ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in key if v is not None)
                collect.add(sheet, keys[0], "unique", [i], f"'{what}' is also in {where.path.name} sheet {where.title}, row {row}: "
                            "a key is one record, so give it in one workbook only")


def _min_above_max(sheets, frames, ctx: MapContext, collect: _Collector) -> None:
    """A reorder rule whose min (given, or the blueprint's) exceeds its max: Odoo refuses it at load."""
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name != "reorder_rules" or not {"warehouse", "sku"} <= set(frame):
            continue
        bad = []
        empty = [None] * len(frame)
        given = zip(frame["warehouse"], frame["sku"], frame.get("min_qty", empty), frame.get("max_qty", empty), strict=True)
        for position, (warehouse, sku, given_low, given_high) in enumerate(given):
            low, high = ctx.reorder_min_max(str(warehouse), str(sku))
            low = low if _missing(given_low) else given_low
            high = high if _missing(given_high) else given_high
            if low > high:
                bad.append((position, low, high))
        column = "max_qty" if "max_qty" in frame else "min_qty" if "min_qty" in frame else "sku"
        for position, low, high in bad:
            collect.add(sheet, column, "range", [position], f"min {low:g} is above max {high:g} (blueprint defaults fill empty cells)")


def _normal_name(series):
    """Lower case, punctuation and legal suffixes dropped, spaces collapsed ('' for an empty cell): the whole column
    in a few C-level passes over its joined text (one Python call per value cost more than the regexes)."""
    import pandas as pd

    texts = series.fillna("").tolist()
    folded = _each_line(texts, lambda text: _SPACES.sub(" ", LEGAL_SUFFIX.sub(" ", _NOT_ALNUM_LINE.sub(" ", text.lower()))),
                        lambda v: " ".join(LEGAL_SUFFIX.sub(" ", _NOT_ALNUM.sub(" ", v.lower())).split()))
    return pd.Series(folded, index=series.index, dtype=object)


def _vat_keys(series):
    """Tax IDs compared as upper-case letters and digits only ('' for an empty cell), the column at once."""
    import pandas as pd

    texts = series.fillna("").tolist()  # empty cells (None, NaN) key to ''
    keys = _each_line(texts, lambda text: _NOT_VAT_KEY_LINE.sub("", text.upper()), lambda v: _NOT_VAT_KEY.sub("", v.upper()))
    return pd.Series(keys, index=series.index, dtype=object)


def _each_line(texts: list, joined, single) -> list[str]:
    """``single`` applied to each text, computed as ``joined`` over all of them joined by newlines: one regex pass
    over the whole column instead of one call per value. ``joined`` keeps newlines and works within a line; a text
    that holds a newline itself takes ``single``, like every text of its batch. A value that is not text is taken
    as its ``str()``: converting only when the join meets one spares a pass over every cell of a column of text."""
    try:
        text = "\n".join(texts)
    except TypeError:
        texts = list(map(str, texts))
        text = "\n".join(texts)
    if text.count("\n") != len(texts) - 1:
        return [single(t) for t in texts]
    return [line.strip(" ") for line in joined(text).split("\n")]


def _duplicates(sheets, frames, collect: _Collector) -> None:
    """Likely duplicate partners: same tax ID, or the same name and address once normalised.

    Only rows whose normalised name repeats can share a name and address, so only their streets and
    postcodes are normalised."""
    import pandas as pd

    vats: dict[str, dict[str, str]] = {"customers": {}, "suppliers": {}}  # normalised tax ID -> code, per role
    both_roles = {"customers", "suppliers"} <= {s.entity.name for s in sheets}
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name not in ("customers", "suppliers") or not len(frame):
            continue
        rows = pd.Series(sheet.rows, index=frame.index)
        keys = []
        if "vat" in frame:
            vat = _vat_keys(frame["vat"])
            keys.append(("vat", vat.where(vat.ne("")), "same tax ID as row {other}"))
            if both_roles and "code" in frame:
                vats[sheet.entity.name].update({v: c for v, c in zip(vat, frame["code"], strict=True) if v and isinstance(c, str)})
        if "name" in frame:
            name = _normal_name(frame["name"])
            repeated = name.ne("") & name.duplicated(keep=False)
            key = pd.Series(None, index=frame.index, dtype=object)
            if repeated.any():
                address = [_normal_name(frame[c][repeated]) for c in ("street", "zip") if c in frame]
                key[repeated] = name[repeated].str.cat(address, sep="|") if address else name[repeated]
            keys.append(("name", key, "same name and address as row {other}"))
        for column, key, message in keys:
            dup = key.notna() & key.duplicated(keep=False)
            if not dup.any():
                continue
            groups = rows[dup].groupby(key[dup])
            first, last = groups.transform("min"), groups.transform("max")
            other = first.where(first.ne(rows[dup]), last)
            for position, other_row in other.items():
                collect.add(sheet, column, "duplicate", [position], message.replace("{other}", str(other_row)))
    _customer_also_supplier(sheets, frames, vats, collect)


def _customer_also_supplier(sheets, frames, vats: dict[str, dict[str, str]], collect: _Collector) -> None:
    """A company that is both customer and supplier would become two partners; Odoo keeps one with both roles."""
    both = set(vats["customers"]) & set(vats["suppliers"])
    if not both:
        return
    for sheet, frame in zip(sheets, frames, strict=True):
        if sheet.entity.name not in vats or "vat" not in frame:
            continue
        other = "suppliers" if sheet.entity.name == "customers" else "customers"
        for position, value in enumerate(_vat_keys(frame["vat"])):
            if value in both:
                collect.add(sheet, "vat", "duplicate", [position],
                            f"same tax ID as {other[:-1]} {vats[other][value]}: two partners in Odoo for one company")


def validate_workspace(ws, *, source: Path | None = None, only: set[str] | None = None, digits: dict[str, int] | None = None) -> Validation:
    """Validate the workbooks of ``source`` (a file or folder; the workspace's migration/ by default).

    ``digits``: the target's decimal precisions (:func:`target_digits`); Odoo's defaults when None.
    """
    from odookit.blueprints.loader import load_workspace_blueprint

    paths = source_files(ws, source)
    blueprint = load_workspace_blueprint(ws)
    rules = load_rules(ws.migration / "rules.yaml")
    return validate_files(paths, blueprint=blueprint, rules=rules, module=ws.module, only=only, digits=digits,
                          mappings=workspace_mappings(ws, paths))


def workspace_mappings(ws, paths: list[Path]) -> dict[Path, Any]:
    """The mapping of each file that has one in migration/mappings/ (matched by its ``file:``)."""
    found = read_mappings(ws.migration)
    return {Path(p): m for p in paths if (m := mapping_for(found, Path(p), ws.migration)) is not None}


def target_digits(gateway) -> dict[str, int]:
    """The target's decimal precisions by name (one read), over Odoo's defaults for any it lacks."""
    rows = gateway.search_read("decimal.precision", [], ["name", "digits"])
    return {**DEFAULT_DIGITS, **{r["name"]: int(r["digits"]) for r in rows if isinstance(r.get("digits"), int)}}


def source_files(ws, source: Path | None) -> list[Path]:
    folder = Path(source) if source else ws.migration
    if not folder.is_absolute() and not folder.exists():
        folder = ws.root / folder
    if folder.is_file() or folder.suffix:
        return [folder]
    if not folder.is_dir():
        raise MigrationError(f"{folder} does not exist", fix="Create it and put the client's workbooks in it, or pass --source.")
    files = workbook_files(folder)
    if not files:
        raise MigrationError(
            f"no workbook in {folder}",
            fix="Put the client's .xlsx files there; `odookit migrate template` writes empty ones.",
        )
    return files
