"""`python -m odookit`: the same as the `odookit` command."""

from odookit.cli import main

main()
