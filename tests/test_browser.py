"""The player and the explorer in a real JupyterLab, driven in Debian's Chromium.

The test writes its own notebook, serves it with a JupyterLab it starts on a
free local port, runs all cells in headless Chromium through Playwright, then
moves sliders and presses buttons the way a learner would and checks that the
lanes redraw. The server, its kernel and the browser are stopped on every way
out. A screenshot is saved under the test's temp dir (path printed).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from support.browser_support import CHROMIUM, CHROMIUM_ARGS, jupyter_lab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(180),
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} is missing: run scripts/install-system-deps.sh"),
]

NOTEBOOK_CELLS = [
    "from framinglib.visual import ChunkExplorer, ReassemblyPlayer\n"
    "from framinglib import WORKED_EXAMPLE_CHUNKS",
    "player = ReassemblyPlayer(WORKED_EXAMPLE_CHUNKS, header_size=1)\n"
    "player.add_class('under-test-player')\n"
    "player",
    "explorer = ChunkExplorer()\n"
    "explorer.add_class('under-test-explorer')\n"
    "explorer",
]

PLAYER = ".under-test-player"
EXPLORER = ".under-test-explorer"
# The lanes of the player's own picture (the explorer holds a player of its own).
PLAYER_BUFFER = f"{PLAYER} > .widget-html .fcv [aria-label^='Reassembly buffer']"
PLAYER_FRAMES = f"{PLAYER} > .widget-html .fcv [aria-label^='Completed frames']"
PLAYER_WHY = f"{PLAYER} > .widget-html .fcv .fcv-why"


def _write_notebook(path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def _wait_for_change(page, selector: str, before: str, timeout_ms: int = 10_000) -> str:
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel);"
        " return el !== null && el.innerText !== old; }",
        arg=[selector, before], timeout=timeout_ms,
    )
    return _text(page, selector)


def _wait_for_text(page, selector: str, needle: str, timeout_ms: int = 10_000) -> str:
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel);"
        " return el !== null && el.innerText.includes(text); }",
        arg=[selector, needle], timeout=timeout_ms,
    )
    return _text(page, selector)


def _run_all(page, attempts: int = 4) -> None:
    """Run every cell. A Run All that lands before the kernel has connected runs nothing
    (the indicator can say idle a moment early), so it is repeated until the first cell's
    prompt shows it queued or ran."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        page.locator(".jp-Cell .jp-InputArea-editor").first.click()
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            page.wait_for_function(
                "() => /\\[[*0-9]/.test("
                "document.querySelector('.jp-Cell .jp-InputPrompt').innerText)",
                timeout=10_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"Run All did not start the cells in {attempts} attempts")


def _drive(page, url: str, screenshot: Path) -> None:
    """Open the notebook, run it, and use the widgets as a learner would."""
    page.goto(url)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    _run_all(page)

    page.wait_for_selector(PLAYER_BUFFER)
    page.wait_for_selector(f"{EXPLORER} .fcv [aria-label^='Stream as sent']")
    page.wait_for_timeout(1000)  # widgets take keys only once fully rendered

    # The live widgets hide their static twins, output area and all.
    assert page.locator(".fcv-fallback").count() == 2
    displays = page.eval_on_selector_all(
        ".jp-OutputArea-child:has(.fcv-fallback)",
        "nodes => nodes.map(node => getComputedStyle(node).display)")
    assert displays == ["none", "none"]

    # Step 1: recv() 1 brings \x03ab; nothing is complete yet.
    assert "recv() 1 brings 3 bytes" in _text(page, PLAYER_WHY)
    assert "none yet" in _text(page, PLAYER_FRAMES)
    buffer_before = _text(page, PLAYER_BUFFER)

    # Three arrow presses on the step slider: step 4 of 13, frame 1 (abc) emitted.
    handle = page.locator(f"{PLAYER} .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    _wait_for_text(page, PLAYER_WHY, "emit frame 1")
    assert _text(page, PLAYER_BUFFER) != buffer_before
    frames = _text(page, PLAYER_FRAMES)
    assert "abc" in frames and "just emitted" in frames

    # The Step button moves one decision on: the leftover is kept.
    why_before = _text(page, PLAYER_WHY)
    page.locator(f"{PLAYER} button", has_text="Step").first.click()
    assert "left over" in _wait_for_change(page, PLAYER_WHY, why_before)

    # Play advances on its own (it is linked to the slider), and pauses.
    position = f"{PLAYER} .widget-hbox > .widget-html"
    position_before = _text(page, position)
    play_button = page.locator(f"{PLAYER} .widget-play button").first
    play_button.click()
    assert _wait_for_change(page, position, position_before) != position_before
    play_button.click()  # while playing, the same button pauses

    # The explorer: moving the first cut re-cuts the stream at once.
    stream = f"{EXPLORER} .fcv [aria-label^='Stream as sent']"
    stream_before = _text(page, stream)
    cut = page.locator(f"{EXPLORER} .widget-slider .noUi-handle").first
    cut.focus()
    cut.press("ArrowRight")
    assert _wait_for_change(page, stream, stream_before) != stream_before

    # The broken switch replays the same cutting without the while loop.
    verdict = f"{EXPLORER} .fcv [aria-label^='Frames out']"
    page.locator(f"{EXPLORER} .widget-checkbox input").first.click()
    _wait_for_text(page, f"{EXPLORER} .fcv-title", "broken decoder")
    assert "All 3 frames match" in _text(page, verdict)  # this cutting hides the bug
    cut_text = page.locator(f"{EXPLORER} .widget-text input").first
    cut_text.fill("7")
    cut_text.press("Enter")
    _wait_for_text(page, verdict, "frame 3 never came out")
    assert page.locator(f"{EXPLORER} .fcv-stuck").count() >= 1

    page.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot: {screenshot}")


def test_player_and_explorer_redraw_in_jupyterlab(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    root = tmp_path / "notebooks"
    root.mkdir()
    _write_notebook(root / "visuals.ipynb")
    screenshot = tmp_path / "visuals.png"

    with jupyter_lab(root, tmp_path / "jupyter") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2200})
            page.set_default_timeout(30_000)
            try:
                _drive(page, f"{base}/lab/tree/visuals.ipynb", screenshot)
            except Exception:
                # Leave evidence: what the page looked like and what the cells printed.
                page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
                print(f"failure screenshot: {tmp_path / 'failure.png'}")
                print("cell outputs:", page.locator(".jp-OutputArea-output").all_inner_texts())
                raise
        finally:
            browser.close()
    assert screenshot.stat().st_size > 10_000
