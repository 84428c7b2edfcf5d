"""Blueprint -> Odoo configuration: schema, loader, compile, plan, apply, export."""
