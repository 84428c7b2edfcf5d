"""The built SOP site in headless Chromium: pages render with tables and diagrams, search works.

Offline by construction: the site is served from 127.0.0.1 and loads nothing
else. Screenshots go to the test's tmp folder, or to $ODOOKIT_SCREENSHOTS.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from odookit.cli import cli

pytestmark = pytest.mark.browser

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def Quiet(handler):
    """The request handler without its per-request log lines."""
    class Handler(handler.func):
        def log_message(self, *args):
            pass

    return functools.partial(Handler, *handler.args, **handler.keywords)


@pytest.fixture
def site(example_ws):
    result = CliRunner().invoke(cli, ["-w", str(example_ws), "docs", "build"])
    assert result.exit_code == 0, result.output
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(example_ws / "docs" / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet(handler))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser(tmp_path):
    paths = chromium_paths()
    if paths is None:
        pytest.skip("browser test: Debian's chromium and chromium-driver are not installed "
                    "(scripts/test.sh installs them: apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="browser test: selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("ODOOKIT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def poll(driver, script: str, done, timeout: float = 10):
    """The value of ``script`` once ``done(value)`` holds (or the last value at the timeout)."""
    import time

    deadline = time.monotonic() + timeout
    value = driver.execute_script(script)
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.2)
        value = driver.execute_script(script)
    return value


def wait_for(driver, css: str, timeout: float = 10):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, css)))


def test_site_renders_sops_role_matrix_and_search(site, browser, tmp_path, example_ws):
    from selenium.webdriver.common.by import By

    from odookit.docs.site import find_mermaid
    from odookit.workspace import Workspace

    out = shots(tmp_path)
    browser.get(f"{site}/sop-pick-pack-ship.html")
    assert "Pick, pack and ship" in browser.title
    tables = browser.find_elements(By.CSS_SELECTOR, "article table")
    assert len(tables) >= 2
    assert "Warehouse Operator" in tables[0].text
    wait_for(browser, "pre.diagram-source, div.mermaid")
    # read through JavaScript, not element handles: mermaid replaces the nodes as it draws
    diagrams = poll(browser, """return [...document.querySelectorAll('pre.diagram-source, div.mermaid')]
        .map(d => [d.tagName, d.textContent, d.getBoundingClientRect().height])""",
                    lambda found: found and (found[0][0] == "PRE" or all(h > 20 for _, _, h in found)))
    # which way the diagrams must show is decided by the workspace, not by what the page happens to hold
    if find_mermaid(Workspace.find(example_ws)) is None:  # no local mermaid.js: the diagram is shown as its source
        assert {tag for tag, _, _ in diagrams} == {"PRE"}
        assert any("CHI/Packing Zone" in text for _, text, _ in diagrams)
    else:  # drawn by the bundled mermaid.js into a closed shadow root: it takes room on the page
        assert {tag for tag, _, _ in diagrams} == {"DIV"}
        assert all(height > 20 for _, _, height in diagrams)
    tabs = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".md-tabs__link")]
    assert {"SOPs", "Governance"} <= set(tabs)
    browser.save_screenshot(str(out / "sop-pick-pack-ship.png"))

    browser.get(f"{site}/role-matrix.html")
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article h2")]
    assert "RACI by process" in " ".join(headings)
    matrix = browser.find_elements(By.CSS_SELECTOR, "article table")
    assert len(matrix) >= 5
    assert "Credit Controller" in browser.find_element(By.CSS_SELECTOR, "article").text
    browser.save_screenshot(str(out / "role-matrix.png"))

    browser.get(f"{site}/index.html")
    wait_for(browser, "label.md-search__icon, .md-search__input")
    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()  # the search box is shown in the header at this window width
    box.send_keys("backorder")
    # the result list is re-rendered while the query is typed: poll its text, hold no handles
    results = poll(browser, "return [...document.querySelectorAll('.md-search-result__item')].map(r => r.textContent)",
                   lambda found: any("backorder" in text.lower() for text in found or []), timeout=15)
    assert any("backorder" in text.lower() for text in results)
    browser.save_screenshot(str(out / "search.png"))
    assert (out / "sop-pick-pack-ship.png").stat().st_size > 10_000
