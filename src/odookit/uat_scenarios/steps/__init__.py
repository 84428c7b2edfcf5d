"""The step library, one module per business area. Importing a module registers its steps."""
