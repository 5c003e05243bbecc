#!/usr/bin/env python
"""Take the README's screenshots with headless Chromium, in Chinese and in English: the overview (the seed park, and
the first screen of a demo park), an indicator page, a table, the data-quality page, the review of the seed work
summary, the three reports (completion table, city bulletin, summary draft), and the overview and a table on a phone
(390 × 844).

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


# The screens taken in English too (their files end in -en): the ones a reader compares.
ENGLISH = ("overview-demo.png", "overview-phone.png", "review.png", "report-completion.png", "report-summary.png")


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
            demo, summary = demo_park_id(env), seed_summary_id(env)
            desktop, phone = {"width": 1400, "height": 900}, {"width": 390, "height": 844}
            # (file, path, viewport, whole page?) for each language; English files end in -en.
            shots = [
                ("overview.png", "/", desktop, True),
                ("overview-demo.png", f"/?park={demo}", desktop, False),
                ("indicator.png", f"/indicators/fixed_asset_investment/?park={demo}", desktop, True),
                ("table.png", "/enterprises/", desktop, False),
                ("quality.png", f"/quality/?park={demo}", desktop, False),
                ("review.png", f"/admin/intake/worksummary/{summary}/review/", desktop, False),
                ("report-completion.png", f"/reports/completion/?park={demo}", desktop, True),
                ("report-bulletin.png", "/reports/bulletin/", desktop, True),
                ("report-summary.png", f"/reports/summary/?park={demo}", desktop, False),
                ("overview-phone.png", f"/?park={demo}", phone, False),
                ("table-phone.png", "/projects/", phone, False),
            ]
            for language, suffix in (("zh-hans", ""), ("en", "-en")):
                context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                for name, path, viewport, whole in shots:
                    if suffix and name not in ENGLISH:
                        continue  # English: the screens a reader compares
                    page.set_viewport_size(viewport)
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = OUT / name.replace(".png", suffix + ".png")
                    page.screenshot(path=str(target), full_page=whole)
                    print("wrote", target)
            browser.close()
    finally:
        server.terminate()
        server.wait()


def manage_shell(env, code):
    """The last line ``manage.py shell -c code`` prints."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def seed_summary_id(env):
    """The seed's work summary (tests/intake/samples/seed_000.txt) stored for the seed park, for its review screen."""
    return manage_shell(
        env,
        "from pathlib import Path; from parkdash.intake import services; from parkdash.parks.models import Park; "
        "park = Park.objects.filter(is_demo=False).order_by('pk').first(); "
        f"text = Path({str(ROOT / 'tests' / 'intake' / 'samples' / 'seed_000.txt')!r}).read_text(encoding='utf-8'); "
        "print(services.create_summary(park=park, year=2023, month=10, text=text, title='2023年1-10月工作总结').pk)",
    )


def demo_park_id(env):
    return manage_shell(
        env,
        "from parkdash.parks.models import Park; print(Park.objects.filter(is_demo=True)"
        ".order_by('code').values_list('pk', flat=True).first() or 1)",
    )


if __name__ == "__main__":
    main()
