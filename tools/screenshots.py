"""Take screenshots of every page in both languages (README images, and for looking at).

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--width 1280 --height 720]

Starts the app on a free port, opens each view in headless Debian chromium and saves PNGs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from e2e_harness import StreamlitServer, launch_chromium, new_context, open_app  # noqa: E402

VIEWS = {
    "home": "/?lang={lang}",
    "explorer": "/explorer?lang={lang}",
    "explorer_compare": "/explorer?loss=huber&compare=mse,mae,log_cosh&lang={lang}",
    "explorer_bce_prob": "/explorer?loss=bce&axis=prob&logit=-1&lang={lang}",
    "explorer_focal": "/explorer?loss=focal&compare=bce&lang={lang}",
    "explorer_ce": "/explorer?loss=cross_entropy&label_smoothing=0.1&lang={lang}",
    "explorer_custom": "/explorer?loss=huber&compare=mse,custom&expr=abs(y%20-%20p)**q&params=q:1.5:0.5:4&lang={lang}",
    "training_custom": "/training?dataset=regression&outliers=0.2&loss=custom&expr=abs(y%20-%20p)**q"
                       "&params=q:1.5:0.5:4&lr=0.03&lang={lang}",  # the README's shows it after 6 steps
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--only", nargs="*", help="view names to take")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with StreamlitServer() as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = new_context(browser, viewport={"width": args.width, "height": args.height})
        page = context.new_page()
        for name, path in VIEWS.items():
            if args.only and name not in args.only:
                continue
            for lang in ("en", "zh"):
                open_app(page, server.url + path.format(lang=lang))
                page.wait_for_timeout(300)
                target = out / f"{name}_{lang}.png"
                page.screenshot(path=str(target), full_page=args.full_page)
                print(target)
        browser.close()


if __name__ == "__main__":
    main()
