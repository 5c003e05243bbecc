#!/usr/bin/env python
"""Take the README's screenshots in Chinese with headless Chromium: overview, an indicator page, a table, the
overview on a phone.

Usage: make screenshots   (uses a fresh SQLite database in a temporary folder with the seed and demo data)
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.cdn_assets import route_cdn  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("PARKDASH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    from playwright.sync_api import sync_playwright

    workdir = tempfile.mkdtemp(prefix="parkdash-shots-")
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "-v0"],
        ["loaddata", "seed", "-v0"],
        ["generate_demo_data"],
        ["ensure_demo_admin", "--password", "screenshots-only"],
    ):
        subprocess.run(manage + args, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(
                locale="zh-CN",
                viewport={"width": 1400, "height": 900},
                extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
            )
            route_cdn(context)
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", "admin")
            page.fill("#id_password", "screenshots-only")
            page.click(".login-card button[type=submit]")
            page.wait_for_url(base + "/")
            shots = [
                ("overview.png", "/"),
                ("overview-demo.png", f"/?park={demo_park_id(env)}"),
                ("indicator.png", f"/indicators/fixed_asset_investment/?park={demo_park_id(env)}"),
                ("table.png", "/enterprises/"),
            ]
            for name, path in shots:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / name), full_page=True)
                print("wrote", OUT / name)
            # A phone (390 x 844): the first screen of the demo park's overview, as one sees it.
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(base + f"/?park={demo_park_id(env)}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "overview-phone.png"))
            print("wrote", OUT / "overview-phone.png")
            browser.close()
    finally:
        server.terminate()
        server.wait()


def demo_park_id(env):
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from parkdash.parks.models import Park; print(Park.objects.filter(is_demo=True)"
            ".order_by('code').values_list('pk', flat=True).first() or 1)",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
