"""Roles, segregation of duties, role matrix and live audit."""
