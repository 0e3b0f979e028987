"""The front-end build: `make assets` runs it (and `make run` and `make test` through it).

From the npm packages pinned in package-lock.json (installed with `npm ci` when the lock changed),
it writes build/static/:
- css/site.css: the Bootstrap Italia components assets/site.scss imports (from the package's SCSS
  sources, not its 600 KB bundle), the fonts and assets/portal.css, compiled by Dart Sass;
  css/fonts.css: the fonts alone, for the PDFs;
- js/site.js: the Bootstrap Italia scripts assets/site.js imports, bundled by esbuild;
- fonts/: the WOFF2 faces assets/_font-faces.scss declares;
- icons.svg: the symbols of Bootstrap Italia's sprite that ICONS names;
- everything in portal/static/ (the portal's own scripts, the favicon) as it is.
Every file is written twice: under its name, and under a name carrying a hash of its content
(css/site.3f9c0a1b2d4e.css), which never changes meaning and is served with immutable caching;
the url()s of stylesheets point to hashed names. Compressible files get .gz and .br companions
made ahead of time (WhiteNoise's compressor). build/manifest.json maps names to hashed names
(`portal/assets.py` reads it); build/root/ holds what browsers ask at the site's root.

The build is skipped when its inputs are what the last build was made from (a hash of them is
in the manifest), so running it is cheap: the test suite runs it at start.

    .venv/bin/python assets/build.py [--force]
"""

import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from whitenoise.compress import Compressor

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
STATIC_SOURCES = ROOT / "portal" / "static"
NODE_MODULES = ROOT / "node_modules"
BUILD = ROOT / "build"
OUTPUT = BUILD / "static"
SITE_ROOT = BUILD / "root"
MANIFEST = BUILD / "manifest.json"
LOCK = ROOT / "package-lock.json"
BOOTSTRAP_ITALIA = NODE_MODULES / "bootstrap-italia"

# The icons of Bootstrap Italia's sprite that templates use (`icons.svg#it-name`);
# tests/test_assets.py fails when a template names one that is not here.
ICONS = ("it-burger", "it-close-big", "it-expand")

# assets/_font-faces.scss names faces `<family>-<weight>[-italic].woff2`; the package's file names.
FONT_FILES = {
    "titillium-web": "Titillium_Web/titillium-web-v10-latin-ext_latin",
    "lora": "Lora/lora-v20-latin-ext_latin",
    "roboto-mono": "Roboto_Mono/roboto-mono-v13-latin-ext_latin",
}
FONT_NAME = re.compile(r"\.\./fonts/([a-z-]+)-(\d{3})(-italic)?\.woff2")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
SASS_FLAGS = ["--style=compressed", "--no-source-map", "--quiet-deps",
              "--silence-deprecation=import", "--silence-deprecation=global-builtin",
              "--silence-deprecation=color-functions", f"--load-path={NODE_MODULES}", f"--load-path={ASSETS}"]


def inputs_hash() -> str:
    """One hash of everything the build reads from the project (the npm packages through their lock)."""
    digest = hashlib.sha256()
    for folder in (ASSETS, STATIC_SOURCES):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update(LOCK.read_bytes())
    return digest.hexdigest()


def up_to_date() -> bool:
    if not MANIFEST.exists():
        return False
    return json.loads(MANIFEST.read_text()).get("inputs") == inputs_hash()


def install_packages() -> None:
    """`npm ci` when node_modules was not installed from the current lock."""
    installed = NODE_MODULES / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < LOCK.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)


def compile_styles(out: Path) -> None:
    for name in ("site", "fonts"):
        target = out / "css" / f"{name}.css"
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(NODE_MODULES / ".bin" / "sass"), *SASS_FLAGS, str(ASSETS / f"{name}.scss"), str(target)],
                       check=True)


def bundle_script(out: Path) -> None:
    subprocess.run([str(NODE_MODULES / ".bin" / "esbuild"), str(ASSETS / "site.js"), "--bundle", "--minify",
                    "--format=iife", "--target=es2019", "--log-level=warning", f"--outfile={out / 'js' / 'site.js'}"],
                   check=True)


def copy_fonts(out: Path) -> None:
    (out / "fonts").mkdir(parents=True, exist_ok=True)
    for family, weight, italic in set(FONT_NAME.findall((ASSETS / "_font-faces.scss").read_text())):
        style = {("400", ""): "regular", ("400", "-italic"): "italic"}.get((weight, italic), weight + italic.lstrip("-"))
        source = BOOTSTRAP_ITALIA / "dist" / "fonts" / f"{FONT_FILES[family]}-{style}.woff2"
        shutil.copyfile(source, out / "fonts" / f"{family}-{weight}{italic}.woff2")


def write_icons(out: Path) -> None:
    namespace = "http://www.w3.org/2000/svg"
    ET.register_namespace("", namespace)
    sprite = ET.parse(BOOTSTRAP_ITALIA / "dist" / "svg" / "sprites.svg").getroot()
    symbols = {symbol.get("id"): symbol for symbol in sprite.iter(f"{{{namespace}}}symbol")}
    missing = [icon for icon in ICONS if icon not in symbols]
    if missing:
        raise SystemExit(f"Bootstrap Italia has no icon {', '.join(missing)}")
    icons = ET.Element(f"{{{namespace}}}svg")
    icons.extend(symbols[icon] for icon in ICONS)
    ET.ElementTree(icons).write(out / "icons.svg", encoding="unicode")


def hashed_name(name: str, content: bytes) -> str:
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:12]}.{extension}" if dot else name


def point_to_hashed(css_name: str, css: str, hashed: dict[str, str]) -> str:
    """The stylesheet with its relative url()s pointing to the hashed names of the files they name."""
    folder = posixpath.dirname(css_name)

    def replace(match: re.Match) -> str:
        quote, url = match.groups()
        path, _, fragment = url.partition("#")
        target = posixpath.normpath(posixpath.join(folder, path))
        if ":" in url or url.startswith(("/", "#")) or target not in hashed:
            return match.group(0)
        relative = posixpath.join(posixpath.dirname(path), posixpath.basename(hashed[target]))
        return f"url({quote}{relative}{'#' + fragment if fragment else ''}{quote})"

    return CSS_URL.sub(replace, css)


def add_hashed_copies(out: Path) -> dict[str, str]:
    """Write each file under its hashed name too (stylesheets last, pointing to the others)."""
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    hashed = {}
    for name in sorted(names, key=lambda n: n.endswith(".css")):
        content = (out / name).read_bytes()
        if name.endswith(".css"):
            content = point_to_hashed(name, content.decode(), hashed).encode()
        hashed[name] = hashed_name(name, content)
        (out / hashed[name]).write_bytes(content)
    return hashed


def compress(out: Path) -> None:
    compressor = Compressor(quiet=True)
    for path in [p for p in out.rglob("*") if p.is_file()]:
        if compressor.should_compress(path.name):
            compressor.compress(str(path))


def build() -> None:
    BUILD.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD) as staging:
        out = Path(staging) / "static"
        shutil.copytree(STATIC_SOURCES, out)
        compile_styles(out)
        bundle_script(out)
        copy_fonts(out)
        write_icons(out)
        hashed = add_hashed_copies(out)
        compress(out)
        root = Path(staging) / "root"
        root.mkdir()
        shutil.copyfile(out / "favicon.ico", root / "favicon.ico")
        for done, target in ((out, OUTPUT), (root, SITE_ROOT)):
            shutil.rmtree(target, ignore_errors=True)
            done.rename(target)
    MANIFEST.write_text(json.dumps({"inputs": inputs_hash(), "files": hashed}, indent=1, sort_keys=True))


def main() -> int:
    install_packages()  # also what the tests read from node_modules (axe-core, the Nu HTML Checker)
    if "--force" not in sys.argv and up_to_date():
        return 0
    build()
    print(f"Front-end costruito in {OUTPUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
