#!/usr/bin/env bash
# Install odookit with its test dependencies and run the test suite.
# Integration tests (marked `odoo`) skip unless ODOO_URL, ODOO_DB, ODOO_USER
# and ODOO_PASSWORD name a real Odoo.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec python3 -m pytest "$@"
