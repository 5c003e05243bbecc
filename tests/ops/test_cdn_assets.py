"""The npm copies the browser tests use (scripts/cdn_assets.py): a pinned tool is unpacked only when the tarball npm
gives has the pinned integrity."""

import io
import subprocess
import tarfile

import pytest

from scripts import cdn_assets


def fake_npm_pack(body):
    """A stand-in for ``npm pack SPEC --pack-destination DIR``: writes a tarball holding package/axe.min.js
    (uncompressed, so that the same body gives the same bytes)."""

    def run(command, **kwargs):
        destination = command[command.index("--pack-destination") + 1]
        with tarfile.open(f"{destination}/tool-1.0.0.tgz", "w") as archive:
            for name, data in (("package/package.json", b"{}"), ("package/axe.min.js", body)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return subprocess.CompletedProcess(command, 0, stdout="tool-1.0.0.tgz\n", stderr="")

    return run


@pytest.fixture
def pinned(tmp_path, monkeypatch):
    """A tool pinned to the integrity of one tarball, a cache in tmp_path; returns that tarball's body."""
    monkeypatch.setattr(cdn_assets, "CACHE", tmp_path / "npm")
    monkeypatch.setattr(subprocess, "run", fake_npm_pack(b"window.axe = {};"))
    probe = tmp_path / "probe"
    probe.mkdir()
    fake_npm_pack(b"window.axe = {};")(["npm", "pack", "tool@1.0.0", "--pack-destination", str(probe)])
    monkeypatch.setattr(cdn_assets, "TOOLS", {"tool@1.0.0": cdn_assets.integrity(probe / "tool-1.0.0.tgz")})
    return tmp_path


def test_a_pinned_tool_with_its_integrity_is_unpacked(pinned):
    folder = cdn_assets.package_dir("tool@1.0.0")
    assert (folder / "axe.min.js").read_bytes() == b"window.axe = {};"
    assert not list(folder.parent.glob("*.tgz"))  # the tarball is not kept


def test_a_pinned_tool_whose_tarball_changed_is_refused(pinned, monkeypatch):
    monkeypatch.setattr(subprocess, "run", fake_npm_pack(b"window.axe = {evil: true};"))
    with pytest.raises(cdn_assets.IntegrityError, match="tool@1.0.0"):
        cdn_assets.package_dir("tool@1.0.0")
    assert not (cdn_assets.CACHE / "tool@1.0.0" / "package").exists()


def test_axe_core_is_pinned_with_a_sha512_integrity():
    assert cdn_assets.AXE_CORE.startswith("axe-core@") and cdn_assets.AXE_CORE in cdn_assets.all_packages()
    assert cdn_assets.TOOLS[cdn_assets.AXE_CORE].startswith("sha512-")
