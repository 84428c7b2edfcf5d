"""The whole engagement in one command: ``odookit run`` (chain.py), its stages (stages.py) and report (report.py)."""
