"""The engagement's own conventions: key formats and which columns are required or recommended.

odookit ships neutral columns (``entities``): a key is non-empty text of a
reasonable length, nothing more. One client numbers its customers with six
digits, another with ``C`` and five; that is the engagement's, declared in
``migration/rules.yaml`` under ``conventions:``, and read here into the
columns every check, template and load uses. Columns also follow the
blueprint: a column whose values are blueprint codes (segments, pricelists)
is only checked, required and loaded when the blueprint defines some.

Without any convention a key unlike the others of its column is still
caught, from the shape inferred on the column (:func:`infer_shape`): when
1,990 codes are ``C`` and six digits, ``249`` lost something.
"""

from __future__ import annotations

import dataclasses
import itertools
import string

from pydantic import BaseModel, ConfigDict, Field

from odookit.migration.entities import BY_NAME, Column, Entity

KEY_MAX = 64  # a key longer than this is a description pasted into the wrong column
NEUTRAL_KEY = rf"^(?=.*[0-9A-Za-z]).{{1,{KEY_MAX}}}$"  # no capture group: GE warns on those
SHAPE_MIN_VALUES = 20  # fewer values say nothing about a column's shape
SHAPE_SHARE = 0.95  # the share of values that must have one shape before the others are outliers


class ColumnConvention(BaseModel):
    """The format of one column's values (a key, or a code that names a key)."""

    model_config = ConfigDict(extra="forbid")

    pattern: str | None = Field(None, description="Regular expression every value matches, e.g. '^\\d{6}$'")
    width: int | None = Field(None, ge=1, le=KEY_MAX, description="Digits of a numeric code: a shorter number lost its leading zeros and is re-padded")
    example: str | None = Field(None, description="A value of the right form, shown in findings and in the template")


class EntityConventions(BaseModel):
    """One entity's conventions: ``required``, ``recommended`` and a format per column name."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, ColumnConvention] = Field(init=False)

    required: list[str] = Field(default_factory=list, description="Columns that must have a value in every row")
    recommended: list[str] = Field(default_factory=list, description="Columns whose empty cells are reported (a warning by default)")

    @property
    def formats(self) -> dict[str, ColumnConvention]:
        return dict(self.__pydantic_extra__ or {})


def unsourced_columns(entity: Entity, allowed: dict[str, list[str]]) -> list[str]:
    """Optional columns naming blueprint codes of a kind the blueprint does not define: neither checked nor loaded."""
    return [c.name for c in entity.columns if c.source and not c.required and c.source != "categories" and not allowed.get(c.source)]


def engaged(entity: Entity, conventions: dict[str, EntityConventions], allowed: dict[str, list[str]] | None = None) -> Entity:
    """``entity`` with the engagement's conventions applied to its columns.

    A column that names another entity's key (``ref``) takes that key's
    format, so a customer number has the same form in the contacts sheet.
    """
    own = conventions.get(entity.name) or EntityConventions()
    skipped = set(unsourced_columns(entity, allowed)) if allowed is not None else set()
    columns = []
    for column in entity.columns:
        fmt = own.formats.get(column.name)
        if fmt is None and column.ref and column.ref in BY_NAME and column.ref != entity.name:
            target = BY_NAME[column.ref]
            fmt = (conventions.get(column.ref) or EntityConventions()).formats.get(target.key[0])
        changes: dict = {}
        if fmt is not None:
            changes.update(pattern=fmt.pattern or column.pattern, width=fmt.width or column.width, example=fmt.example)
        if column.name in own.required and column.name not in skipped:
            changes["required"] = True
        if column.name in own.recommended:
            changes["recommended"] = True
        columns.append(dataclasses.replace(column, **changes) if changes else column)
    return dataclasses.replace(entity, columns=tuple(columns))


def describe(column: Column) -> str:
    """The column's description with its convention, for template comments."""
    parts = [column.description or column.name]
    if column.pattern:
        parts.append(f"format: {column.pattern}" + (f", e.g. {column.example}" if column.example else ""))
    elif column.example:
        parts.append(f"e.g. {column.example}")
    if column.width:
        parts.append(f"{column.width} digits, as text (keep leading zeros)")
    return "\n".join(parts)


# -- shapes inferred on a column ------------------------------------------------
def shapes(values):
    """The shape of each value of a pandas Series of text: letters as ``A``, digits as ``9``, the rest kept
    (``C000123`` -> ``A999999``, ``BRG-62`` -> ``AAA-99``): two codes of one format have one shape; NaN for
    an empty cell. One ``str.translate`` of the whole column's joined text when it is all text (a call per value
    cost twice as much), one per value otherwise."""
    import pandas as pd

    texts = values.tolist()
    joined = "\n".join(texts) if set(map(type, texts)) <= {str} else None
    if joined is not None and joined.count("\n") == len(texts) - 1:  # no value holds a line break of its own
        found = joined.translate(_SHAPE_OF).split("\n")
    elif joined is not None:
        found = list(map(str.translate, texts, itertools.repeat(_SHAPE_OF)))
    else:
        found = [v.translate(_SHAPE_OF) if v.__class__ is str else float("nan") for v in texts]
    return pd.Series(found, index=values.index, dtype=object)


_SHAPE_OF = str.maketrans(string.ascii_letters + string.digits, "A" * len(string.ascii_letters) + "9" * len(string.digits))


@dataclasses.dataclass(frozen=True)
class Shape:
    """The shape most values of a column share, and one of them as an example."""

    pattern: str
    share: int  # values with this shape
    total: int
    example: str

    @property
    def digits_only(self) -> int | None:
        """The width when the shape is one run of digits (a numeric code)."""
        return len(self.pattern) if set(self.pattern) == {"9"} else None


def infer_shape(values, value_shapes=None) -> Shape | None:
    """The shape a strong majority of the values (a Series of text, NaN for empty) share, or None when the
    column has no dominant shape."""
    value_shapes = value_shapes if value_shapes is not None else shapes(values)
    counts = value_shapes.value_counts()  # NaN (empty cells) left out
    total = int(counts.sum())
    if total < SHAPE_MIN_VALUES:
        return None
    pattern, share = counts.index[0], int(counts.iloc[0])
    if share == total or share < SHAPE_SHARE * total:
        return None
    return Shape(pattern, share, total, str(values[value_shapes.eq(pattern)].iloc[0]))
