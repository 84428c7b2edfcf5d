"""Master data migration: templates, workbook reading, validation, load, reconciliation.

Heavy libraries (pandas, great-expectations, openpyxl) are imported inside
the functions that need them, so importing this package stays cheap.
"""

# entities first: it adds the kit_components entity, whose module builds on its columns
from odookit.migration import entities as _entities  # noqa: E402,F401
