"""Teams app package: build output and proof that offline validation can fail."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.tab.links import TAB_ENTITY
from manifest import ManifestError, build_package, validate_package

APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
HOST = "naervaer.example.dk"
ROOT_FILES = {"manifest.json", "color.png", "outline.png", "en.json"}


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return build_package(APP_ID, HOST, tmp_path, version="1.2.3")


def _read(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(zip_path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(zip_path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return zip_path


def _png(width: int, height: int, colour_type: int) -> bytes:
    """Minimal valid 8-bit PNG, so tests need no Pillow."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\xff" * width * channels for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_built_package_is_valid(package: Path) -> None:
    assert package.name == "naervaer-teams-app.zip"
    assert validate_package(package) == []


def test_package_contents_are_substituted(package: Path) -> None:
    files = _read(package)
    assert set(files) == ROOT_FILES
    text = files["manifest.json"].decode()
    assert "{{" not in text
    manifest = json.loads(text)
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["bots"][0]["scopes"] == ["personal"]
    assert manifest["version"] == "1.2.3"
    assert manifest["validDomains"] == [HOST]
    assert manifest["developer"]["privacyUrl"] == f"https://{HOST}/privacy"
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "da"
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles == ["hjælp", "syg", "rask", "status"]
    # The chat first, then one insight tab for everyone: /tab lands each person on their page.
    conversations, insight = manifest["staticTabs"]
    assert conversations == {"entityId": "conversations", "scopes": ["personal"]}
    assert insight["entityId"] == TAB_ENTITY  # the entity the cards' deep links open
    assert insight["contentUrl"] == insight["websiteUrl"] == f"https://{HOST}/tab"
    assert insight["scopes"] == ["personal"] and insight["name"] == "Indsigt"
    assert json.loads(files["en.json"])["staticTabs[1].name"] == "Insight"
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://{HOST}/{APP_ID}"}


def test_build_is_reproducible(tmp_path: Path) -> None:
    first = build_package(APP_ID, HOST, tmp_path / "a").read_bytes()
    assert build_package(APP_ID, HOST, tmp_path / "b").read_bytes() == first


@pytest.mark.parametrize(
    ("app_id", "host", "version", "fragment"),
    [
        ("not-a-guid", HOST, "1.0.0", "app_id"),
        (APP_ID + "0", HOST, "1.0.0", "app_id"),
        (APP_ID, "https://naervaer.example.dk", "1.0.0", "host"),
        (APP_ID, "naervaer.example.dk/bot", "1.0.0", "host"),
        (APP_ID, "naervaer.example.dk:443", "1.0.0", "host"),
        (APP_ID, "", "1.0.0", "host"),
        (APP_ID, HOST, "1.0", "version"),
    ],
)
def test_bad_inputs_raise(
    tmp_path: Path, app_id: str, host: str, version: str, fragment: str
) -> None:
    with pytest.raises(ManifestError, match=fragment):
        build_package(app_id, host, tmp_path, version=version)
    assert not list(tmp_path.iterdir())


Mutation = Callable[[dict[str, bytes]], object]
# Every required localization key present, plus one the schema does not allow.
UNKNOWN_KEY_STRINGS = {
    "bogus": "x",
    "name.short": "x",
    "description.short": "x",
    "description.full": "x",
}


def _edit_manifest(edit: Callable[[dict[str, object]], object]) -> Mutation:
    def apply(files: dict[str, bytes]) -> None:
        manifest = json.loads(files["manifest.json"])
        edit(manifest)
        files["manifest.json"] = json.dumps(manifest).encode()

    return apply


def _set(name: str, data: bytes) -> Mutation:
    return lambda files: files.__setitem__(name, data)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_edit_manifest(lambda m: m.pop("developer")), "'developer' is a required property"),
        (_edit_manifest(lambda m: m.update(foo=1)), "'foo' was unexpected"),
        (_edit_manifest(lambda m: m.update(manifestVersion="1.29")), "'1.30' was expected"),
        (_edit_manifest(lambda m: m.update(id="nope")), "$.id"),
        (_set("color.png", _png(32, 32, 6)), "must be 192x192 pixels, got 32x32"),
        (_set("outline.png", _png(32, 32, 2)), "transparent background"),
        (_set("outline.png", b"GIF89a"), "not a PNG"),
        (lambda files: files.pop("outline.png"), "icons.outline"),
        (lambda files: files.pop("en.json"), "en.json: missing"),
        (_set("en.json", json.dumps({"name.short": "x"}).encode()), "is a required property"),
        (_set("en.json", json.dumps(UNKNOWN_KEY_STRINGS).encode()), "'bogus'"),
        (_set("manifest.json", b"{not json"), "manifest.json: not valid"),
        (_set("assets/extra.png", b""), "assets/extra.png: not at the zip root"),
    ],
)
def test_invalid_packages_are_reported(
    package: Path, tmp_path: Path, mutate: Mutation, expected: str
) -> None:
    files = _read(package)
    mutate(files)
    problems = validate_package(_write(tmp_path / "broken.zip", files))
    assert any(expected in problem for problem in problems), problems


def test_unreadable_zip_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert validate_package(bad)


def test_build_raises_when_result_is_invalid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manifest import build

    # Simulate a broken template: the rendered manifest lacks a required field.
    template = json.loads(build._data_file("manifest.template.json").read_text(encoding="utf-8"))
    del template["developer"]
    broken = tmp_path / "broken.template.json"
    broken.write_text(json.dumps(template), encoding="utf-8")
    real = build._data_file
    monkeypatch.setattr(
        build, "_data_file", lambda name: broken if name == build._TEMPLATE else real(name)
    )
    with pytest.raises(ManifestError, match=r"is invalid:\n- manifest.json: \$: 'developer'"):
        build_package(APP_ID, HOST, tmp_path / "out")
