#!/usr/bin/env bash
# Install odookit with its test dependencies and run the test suite.
# Integration tests (marked `odoo`) skip unless ODOO_URL, ODOO_DB, ODOO_USER
# and ODOO_PASSWORD name a real Odoo.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
# Headless Chromium for the browser test of the SOP site (tests marked `browser`),
# from Debian's packages; installed only when missing and apt-get can do it.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
        || echo "warning: could not install chromium; the browser test will be skipped" >&2
fi
# Mermaid, from the npm registry, so that the browser test sees the SOP diagrams
# drawn (without it the site shows their source); cached outside the repository.
MERMAID_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/odookit-mermaid"
if [ -z "${ODOOKIT_MERMAID_JS:-}" ] && command -v npm >/dev/null 2>&1; then
    if [ ! -f "$MERMAID_DIR/node_modules/mermaid/dist/mermaid.min.js" ]; then
        npm install --silent --no-audit --no-fund --prefix "$MERMAID_DIR" mermaid@11 >/dev/null 2>&1 \
            || echo "warning: could not install mermaid; SOP diagrams stay as source in the browser test" >&2
    fi
    if [ -f "$MERMAID_DIR/node_modules/mermaid/dist/mermaid.min.js" ]; then
        export ODOOKIT_MERMAID_JS="$MERMAID_DIR/node_modules/mermaid/dist/mermaid.min.js"
    fi
fi
exec python3 -m pytest "$@"
