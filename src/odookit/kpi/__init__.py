"""Live KPIs from the client's Odoo: definitions -> reads -> compute -> targets -> outputs."""
