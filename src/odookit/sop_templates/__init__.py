"""Shipped SOP templates (Jinja2 Markdown) and their sandboxed renderer."""
