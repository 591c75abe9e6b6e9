"""Build and validate the Teams app package (manifest.json + icons + translations) offline."""

from __future__ import annotations

import json
import re
import struct
import zipfile
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource

__all__ = ["ManifestError", "build_package", "validate_package"]

PACKAGE_NAME = "naervaer-teams-app.zip"
_TEMPLATE = "manifest.template.json"
_STATIC_FILES = ("color.png", "outline.png", "en.json")
_MANIFEST_SCHEMA = "MicrosoftTeams.schema.json"
_LOCALIZATION_SCHEMA = "MicrosoftTeams.Localization.schema.json"
_SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.30/"

# Same pattern as the schema's #/definitions/guid.
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
# Teams rejects app versions that are not plain MAJOR.MINOR.PATCH (schema #/definitions/semver).
_SEMVER = re.compile(r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)$")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_ALPHA_COLOUR_TYPES = {4, 6}  # greyscale+alpha, RGBA
# icons key -> required (width, height), from the schema's descriptions.
_ICON_SIZES = {"color": (192, 192), "outline": (32, 32), "color32x32": (32, 32)}
# Fixed timestamp so the same inputs always give a byte-identical zip.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ManifestError(Exception):
    """The app package could not be built or is not valid."""


def build_package(app_id: str, host: str, out_dir: Path, version: str = "1.0.0") -> Path:
    """Render the manifest for ``app_id``/``host`` and write a validated Teams app zip."""
    if not _GUID.fullmatch(app_id):
        raise ManifestError(
            f"app_id must be a GUID like 00000000-0000-0000-0000-000000000000, got {app_id!r}"
        )
    if not _HOSTNAME.fullmatch(host):
        raise ManifestError(
            "host must be a bare hostname like 'naervaer.example.dk' "
            f"(no scheme, port, path or spaces), got {host!r}"
        )
    if not _SEMVER.fullmatch(version):
        raise ManifestError(f"version must be MAJOR.MINOR.PATCH like 1.0.0, got {version!r}")

    template = json.loads(_data_file(_TEMPLATE).read_text(encoding="utf-8"))
    # Substitute inside parsed strings rather than in raw text, so values can never break JSON.
    manifest = _substitute(
        template, {"{{APP_ID}}": app_id, "{{HOST}}": host.lower(), "{{VERSION}}": version}
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    zip_path = out_dir / PACKAGE_NAME
    files = {"manifest.json": (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()}
    files.update((name, _data_file(name).read_bytes()) for name in _STATIC_FILES)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), data)

    problems = validate_package(zip_path)
    if problems:
        raise ManifestError(
            f"built package {zip_path} is invalid:\n" + "\n".join(f"- {p}" for p in problems)
        )
    return zip_path


def validate_package(zip_path: Path) -> list[str]:
    """Return human-readable problems with a Teams app zip; an empty list means valid."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            files = {info.filename: archive.read(info) for info in archive.infolist()}
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{zip_path}: cannot read zip: {exc}"]

    # Teams only looks at the zip root; nested files are silently ignored there.
    problems = [f"{name}: not at the zip root" for name in files if "/" in name or "\\" in name]

    manifest = _load_json(files, "manifest.json", problems)
    if not isinstance(manifest, dict):
        return problems
    problems += _schema_problems("manifest.json", manifest, _MANIFEST_SCHEMA)

    icons = manifest.get("icons")
    if isinstance(icons, dict):
        for key, expected in _ICON_SIZES.items():
            if isinstance(icons.get(key), str):
                problems += _icon_problems(files, f"icons.{key}", icons[key], expected, key)

    for name in _localization_files(manifest):
        strings = _load_json(files, name, problems)
        if strings is not None:
            problems += _schema_problems(name, strings, _LOCALIZATION_SCHEMA)
    return problems


def _data_file(name: str) -> Traversable:
    return resources.files(__package__ or "manifest").joinpath(name)


def _substitute(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        for placeholder, replacement in replacements.items():
            value = value.replace(placeholder, replacement)
        return value
    if isinstance(value, list):
        return [_substitute(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, replacements) for key, item in value.items()}
    return value


def _load_json(files: dict[str, bytes], name: str, problems: list[str]) -> Any:
    if name not in files:
        problems.append(f"{name}: missing from the zip")
        return None
    try:
        # Teams tolerates a UTF-8 BOM (Windows editors add one), so do the same.
        return json.loads(files[name].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{name}: not valid UTF-8 JSON: {exc}")
        return None


def _localization_files(manifest: dict[str, Any]) -> Iterator[str]:
    info = manifest.get("localizationInfo")
    if not isinstance(info, dict):
        return
    if isinstance(info.get("defaultLanguageFile"), str):
        yield info["defaultLanguageFile"]
    for language in info.get("additionalLanguages") or []:
        if isinstance(language, dict) and isinstance(language.get("file"), str):
            yield language["file"]


@cache
def _registry() -> Registry[Any]:
    # Register the vendored schemas under their public URLs so any $ref between them
    # resolves locally; the registry has no retriever, so nothing is ever fetched.
    resources_ = [
        (_SCHEMA_URL + name, Resource.from_contents(_load_schema(name)))
        for name in (_MANIFEST_SCHEMA, _LOCALIZATION_SCHEMA)
    ]
    return Registry().with_resources(resources_)


@cache
def _load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        _data_file("schema").joinpath(name).read_text(encoding="utf-8")
    )
    return schema


@cache
def _validator(name: str) -> Validator:
    schema = _load_schema(name)
    cls = validators.validator_for(schema)
    # Microsoft's schemas declare draft-04 yet pin manifestVersion with draft-06 "const", which
    # their own (ajv) validator enforces; draft-04 would silently ignore it.
    if "const" not in cls.VALIDATORS:
        cls = validators.extend(cls, {"const": Draft6Validator.VALIDATORS["const"]})
    validator: Validator = cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)
    return validator


def _schema_problems(file_name: str, instance: Any, schema_name: str) -> list[str]:
    errors = sorted(_validator(schema_name).iter_errors(instance), key=lambda e: list(e.path))
    return [f"{file_name}: {e.json_path}: {e.message}" for e in errors]


def _icon_problems(
    files: dict[str, bytes], field: str, name: str, expected: tuple[int, int], key: str
) -> list[str]:
    if name not in files:
        return [f"{field}: {name!r} is not in the zip root"]
    try:
        width, height, has_alpha = _png_info(files[name])
    except ValueError as exc:
        return [f"{name}: {exc}"]
    problems = []
    if (width, height) != expected:
        problems.append(
            f"{name}: {field} must be {expected[0]}x{expected[1]} pixels, got {width}x{height}"
        )
    if key == "outline" and not has_alpha:
        problems.append(f"{name}: {field} must have a transparent background (PNG with alpha)")
    return problems


def _png_info(data: bytes) -> tuple[int, int, bool]:
    """Width, height and whether the PNG can be transparent, read from its chunk headers."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    offset = len(_PNG_SIGNATURE)
    width = height = 0
    has_alpha = False
    while offset + 8 <= len(data):
        length, chunk_type = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        if chunk_type == b"IHDR":
            if len(body) < 13:
                raise ValueError("truncated PNG header")
            width, height, _depth, colour_type = struct.unpack(">IIBB", body[:10])
            has_alpha = colour_type in _PNG_ALPHA_COLOUR_TYPES
        elif chunk_type == b"tRNS":
            # Palette/greyscale/RGB images get transparency from a tRNS chunk instead.
            has_alpha = True
        elif chunk_type == b"IDAT":
            break  # tRNS must precede image data, so nothing after this matters
        offset += 12 + length  # length + type + body + CRC
    if not width or not height:
        raise ValueError("PNG has no IHDR header")
    return width, height, has_alpha
