"""The CDN files the pages load, fetched from the npm registry, for browser tests and screenshots.

The machines that run the tests reach package registries but no CDN. `npm pack` gives the very files
jsDelivr serves (jsDelivr's /npm/ URLs are the npm packages' files), so the tests answer the CDN URL with
them and the browser's Subresource-Integrity check stays on. The packages are cached in .cache/npm
(outside git).
"""

import base64
import hashlib
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "npm"

# CDN URL prefix -> (npm package spec, path inside the package's "package/" folder prefix)
PACKAGES = {
    "https://cdn.jsdelivr.net/npm/chart.js@4.6.1/": "chart.js@4.6.1",
}

# Tools the browser tests inject into pages (never served to users): npm package spec -> the tarball's integrity
# (npm's dist.integrity), checked before the tarball is unpacked. axe-core: the accessibility rules
# (tests/browser/test_accessibility.py). To update: `npm view axe-core@VERSION dist.integrity`.
AXE_CORE = "axe-core@4.14.1"
TOOLS = {
    AXE_CORE: "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
}


class IntegrityError(RuntimeError):
    """The tarball npm gave is not the one pinned."""


def integrity(path, algorithm="sha512"):
    """A file's Subresource-Integrity string, as npm writes dist.integrity (``sha512-<base64>``)."""
    digest = hashlib.new(algorithm, Path(path).read_bytes()).digest()
    return f"{algorithm}-" + base64.b64encode(digest).decode()


def all_packages():
    """Every npm package the browser tests need: the CDN copies and the tools."""
    return [*PACKAGES.values(), *TOOLS]


def package_dir(spec):
    """Unpack ``npm pack spec`` into the cache once and return the folder holding the package."""
    target = CACHE / spec.replace("/", "_")
    if (target / "package" / "package.json").exists():
        return target / "package"
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(target)], capture_output=True, text=True, check=True
    )
    tarball = target / result.stdout.strip().splitlines()[-1]
    expected = TOOLS.get(spec)
    if expected is not None:
        algorithm = expected.split("-", 1)[0]
        found = integrity(tarball, algorithm)
        if found != expected:
            tarball.unlink()
            raise IntegrityError(f"npm pack {spec}: integrity {found}, pinned {expected}")
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    tarball.unlink()
    return target / "package"


def local_file(url):
    """The local copy of a CDN ``url``, or None when the URL is not one of ours."""
    for prefix, spec in PACKAGES.items():
        if url.startswith(prefix):
            return package_dir(spec) / url[len(prefix) :].split("?")[0]
    return None


def sri(path):
    digest = hashlib.sha384(Path(path).read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


def route_cdn(page_or_context):
    """Answer our CDN URLs from the npm copies (with CORS, since the tags use crossorigin) in Playwright."""

    def handle(route):
        path = local_file(route.request.url)
        if path is None or not path.exists():
            route.abort()
            return
        route.fulfill(
            status=200,
            body=path.read_bytes(),
            content_type="application/javascript",
            headers={"Access-Control-Allow-Origin": "*"},
        )

    for prefix in PACKAGES:
        page_or_context.route(prefix + "**", handle)
