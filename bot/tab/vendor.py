"""Browser files the tab serves itself (no CDN): our own under static/, and files from npm
packages pinned by bot/tab/package-lock.json. The shell page loads SCRIPTS and STYLES in order."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
MODULES = HERE / "node_modules"

# Served name -> file inside node_modules (installed by `make install`, npm ci in bot/tab).
VENDOR: dict[str, Path] = {
    "teams.js": MODULES / "@microsoft" / "teams-js" / "dist" / "umd" / "MicrosoftTeams.min.js",
    # Chart.js draws the trend and check-in charts (static/charts.js hands it the data).
    "chart.umd.js": MODULES / "chart.js" / "dist" / "chart.umd.min.js",
}

SCRIPTS: list[str] = ["teams.js", "chart.umd.js", "charts.js", "tab.js"]
STYLES: list[str] = ["tab.css", "charts.css"]
