"""Static assets: our own CSS/JS, and third-party browser code taken from node_modules.

Third-party scripts are never committed: `npm ci` installs them at the versions
package-lock.json pins, and this module copies the files the site serves.
"""

from __future__ import annotations

from pathlib import Path

from .paths import PACKAGE_DIR

OWN_ASSETS = PACKAGE_DIR / "assets"

# (package, path inside the package) -> path under assets/vendor/
VENDORED = {
    ("katex", "dist/katex.min.js"): "katex/katex.min.js",
    ("katex", "dist/katex.min.css"): "katex/katex.min.css",
    ("tablesort", "dist/tablesort.min.js"): "tablesort/tablesort.min.js",
    ("tablesort", "dist/sorts/tablesort.number.min.js"): "tablesort/tablesort.number.min.js",
    # Lets Material's search worker run from file:// in the offline export.
    ("iframe-worker", "shim/index.js"): "iframe-worker/shim.js",
}
IFRAME_WORKER_SHIM = "assets/vendor/iframe-worker/shim.js"
KATEX_FONTS = ("katex", "dist/fonts")


class MissingAssets(Exception):
    """Raised when node_modules lacks a package the site serves."""


def collect(root: Path) -> dict[str, bytes]:
    """Relative path under the docs tree -> bytes, for every static asset."""
    files: dict[str, bytes] = {}
    for path in sorted(OWN_ASSETS.rglob("*")):
        if path.is_file():
            files[f"assets/{path.relative_to(OWN_ASSETS).as_posix()}"] = path.read_bytes()
    modules = root / "node_modules"
    missing = sorted({pkg for pkg, _ in VENDORED if not (modules / pkg).is_dir()})
    if missing:
        raise MissingAssets(
            f"node_modules lacks {', '.join(missing)}: run `npm ci` (or `make site`) first"
        )
    for (pkg, inner), dest in VENDORED.items():
        files[f"assets/vendor/{dest}"] = (modules / pkg / inner).read_bytes()
    fonts = modules / KATEX_FONTS[0] / KATEX_FONTS[1]
    for font in sorted(fonts.glob("*.woff2")):
        files[f"assets/vendor/katex/fonts/{font.name}"] = font.read_bytes()
    return files
