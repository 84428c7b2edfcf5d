"""odookit: blueprint-driven Odoo configuration, migration, UAT and governance for distributors."""

__version__ = "0.1.0"
