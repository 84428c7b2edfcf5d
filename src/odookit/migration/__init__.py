"""Master data migration: templates, workbook reading, validation, load, reconciliation.

Heavy libraries (pandas, great-expectations, openpyxl) are imported inside
the functions that need them, so importing this package stays cheap.
"""
