"""Great Expectations Data Docs that open anywhere: their CDN assets as local files.

GX's page templates load Bootstrap, jQuery, bootstrap-table, Font Awesome and more from public
CDNs, and its logo from S3: offline, a page renders unstyled and the tables that bootstrap-table
draws from data stay empty. `make_self_contained` copies local copies of those assets into the
docs folder once and points every page at them by relative paths, so the folder also works when
moved or opened via file://. Bootstrap, jQuery and Font Awesome come from the XStatic packages;
the rest is vendored from npm in tasks/data_docs_assets/ (no PyPI package ships it).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from xstatic.pkg import bootstrap, font_awesome, jquery

VENDOR_DIR = "static/vendor"  # under the docs folder, beside GX's own static/images
VENDORED = Path(__file__).with_name("data_docs_assets")

# Each resource that GX 1.x's templates load from a CDN, and its copy under VENDOR_DIR.
LOCAL_COPIES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap/bootstrap.min.css"
    ),
    # The bundle holds the Popper release Bootstrap 4.5 is built for (GX's Popper 1.12.9 is older).
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap/bootstrap.bundle.min.js"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "font-awesome/css/all.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table/bootstrap-table-filter-control.min.js"
    ),
    # GX links 1.19.0's filter-control stylesheet beside 1.19.1's script: the script's own matches.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": "bootstrap-datepicker/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": "bootstrap-datepicker/bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "bootstrap-dark/bootstrap-prefers-dark.min.css",
}
POPPER = "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"
# Vega only draws GX's charts (graph blocks, which call vegaEmbed); the suites render none.
VEGA = (
    "https://cdn.jsdelivr.net/npm/vega@5",
    "https://cdn.jsdelivr.net/npm/vega-lite@5",
    "https://cdn.jsdelivr.net/npm/vega-embed@6",
)
# GX copies its logo into static/images but links the copy on S3; its dark-mode logo is on S3
# only, so dark mode shows the same logo.
LOCAL_IMAGES = {"logo-long.png": "logo-long.png", "full_logo_dark.png": "logo-long.png"}

_EXTERNAL_TAG = re.compile(
    r'<(?P<tag>script|link)\b[^>]*?\b(?:src|href)="(?P<url>https?://[^"]+)"[^>]*>'
    r"(?:\s*</script>)?\s*"
)
# GX links a validation page's favicon one folder too high.
_FAVICON = re.compile(r'href="[./]*static/images/favicon\.ico"')
_WEB_ASSET = re.compile(
    r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/"
    r"(?P<name>[\w.-]+)(?:\?[^\"')\s]*)?"
)


def make_self_contained(docs: Path) -> None:
    """Point every page and stylesheet GX rendered under `docs` at local copies of its CDN
    assets (copied to `docs`/VENDOR_DIR), by paths relative to the page."""
    for page in docs.rglob("*"):
        if page.suffix in (".html", ".css"):
            to_root = "../" * (len(page.relative_to(docs).parts) - 1)
            page.write_text(_localised(page.read_text(encoding="utf-8"), to_root), "utf-8")
    for name, source in _vendor_sources().items():
        # Copied file by file, without the installed files' modes: the output's files follow
        # the user's umask, as every other file a run writes does.
        for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
            if path.is_file():
                target = docs / VENDOR_DIR / name / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def _localised(text: str, to_root: str) -> str:
    """`text` (a page or stylesheet) loading local files, found at `to_root` + their path."""
    local = _EXTERNAL_TAG.sub(lambda tag: _local_tag(tag, text, to_root), text)
    local = _FAVICON.sub(f'href="{to_root}static/images/favicon.ico"', local)
    return _WEB_ASSET.sub(lambda url: _local_image(url, to_root), local)


def _local_tag(tag: re.Match, page: str, to_root: str) -> str:
    """The <script> or <link> element `tag` loading its local copy; "" when the page does not
    need it; unchanged when there is no local copy."""
    url = tag["url"]
    if url == POPPER or (url in VEGA and "vegaEmbed(" not in page):
        return ""
    if url not in LOCAL_COPIES:
        return tag[0]
    path = f"{to_root}{VENDOR_DIR}/{LOCAL_COPIES[url]}"
    # No integrity attribute: its hash is of the CDN's file.
    if tag["tag"] == "script":
        return f'<script src="{path}"></script>\n'
    return f'<link rel="stylesheet" href="{path}">\n'


def _local_image(url: re.Match, to_root: str) -> str:
    name = LOCAL_IMAGES.get(url["name"])
    return url[0] if name is None else f"{to_root}static/images/{name}"


def _vendor_sources() -> dict[str, Path]:
    """Each file or folder under VENDOR_DIR and the installed one it is copied from."""
    bootstrap_dir = Path(bootstrap.BASE_DIR)
    font_awesome_dir = Path(font_awesome.BASE_DIR)
    return {
        "bootstrap/bootstrap.min.css": bootstrap_dir / "css" / "bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js": bootstrap_dir / "js" / "bootstrap.bundle.min.js",
        "jquery/jquery.min.js": Path(jquery.BASE_DIR) / "jquery.min.js",
        "font-awesome/css/all.min.css": font_awesome_dir / "css" / "all.min.css",
        "font-awesome/webfonts": font_awesome_dir / "webfonts",  # all.min.css loads ../webfonts/
        "font-awesome/LICENSE.txt": font_awesome_dir / "LICENSE.txt",
        **{folder.name: folder for folder in VENDORED.iterdir() if folder.is_dir()},
    }
