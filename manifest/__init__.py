"""Teams app package for naervaer: manifest template, icons, vendored schemas, builder."""

from manifest.build import ManifestError, build_package, validate_package

__all__ = ["ManifestError", "build_package", "validate_package"]
