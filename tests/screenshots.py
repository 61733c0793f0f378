"""Pictures of the real site for the handbook: `make screenshots`.

Builds the example content at a fixed date and photographs one value file in
Debian's Chromium: desktop, phone, dark scheme and the first printed page.
The pictures go to docs/images/, where the handbook pages show them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "images"
AS_OF = "2026-11-23"
CUSTOMER = "corvane-auto"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def build(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "csvf_build.cli", "build", "--as-of", AS_OF, "--site-dir", str(site)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        page_url = (site / "customers" / CUSTOMER / "index.html").as_uri()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            shots = {
                "value-file-desktop.png": ({"width": 1280, "height": 1000}, "light", ""),
                "value-file-phone.png": ({"width": 390, "height": 844}, "light", ""),
                "value-file-dark.png": ({"width": 1280, "height": 1000}, "dark", "#charts"),
            }
            for name, (viewport, scheme, anchor) in shots.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
                tab = context.new_page()
                tab.goto(page_url + anchor)
                tab.wait_for_load_state("load")
                tab.screenshot(path=str(OUT / name))
                context.close()
            context = browser.new_context()
            tab = context.new_page()
            tab.goto(page_url)
            tab.wait_for_load_state("load")
            tab.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
            pdf = Path(folder) / "print.pdf"
            tab.pdf(path=str(pdf), format="A4", print_background=True)
            context.close()
            browser.close()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUT / "value-file-print")], check=True
        )
    for picture in sorted(OUT.glob("value-file-*.png")):
        print(f"{picture.relative_to(REPO)}: {picture.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
