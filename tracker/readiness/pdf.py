"""The board report as a PDF: WeasyPrint on the same HTML, with a small print stylesheet and
no fetching of anything (so a PDF never calls back into the web server or the network)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from tracker.domain.private_files import private_folder, write_private

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #212b32; }
h1 { font-size: 18pt; margin: 0 0 6pt; } h2 { font-size: 13pt; margin: 14pt 0 4pt; }
.nhsuk-header, .nhsuk-footer, .nhsuk-skip-link, .app-header-signout, .nhsuk-warning-callout { display: none; }
.nhsuk-u-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; page-break-inside: auto; }
caption { text-align: left; font-weight: bold; padding: 2pt 0; }
th, td { border-bottom: 0.5pt solid #aeb7bd; padding: 2pt 4pt; text-align: left; vertical-align: top; }
tr { page-break-inside: avoid; }
.app-table-numeric { text-align: right; }
.nhsuk-tag { border: 0.5pt solid #212b32; padding: 0 2pt; font-weight: bold; white-space: nowrap; }
figure { margin: 4pt 0; page-break-inside: avoid; } svg.app-chart { width: 100%; height: auto; max-height: 120mm; }
"""


def refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """WeasyPrint URL fetcher that fetches nothing: the report is self-contained."""
    raise ValueError(f"not fetched for the PDF: {url}")


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(string=html, url_fetcher=refuse_fetch)
    return document.write_pdf(stylesheets=[CSS(string=PRINT_CSS, url_fetcher=refuse_fetch)])


CACHE_KEEP = 20  # PDFs kept in the cache folder; older ones are removed


def cached_pdf(key: str, cache_dir: str | Path, html: Callable[[], str]) -> bytes:
    """The PDF of the report identified by `key` (its data, so a new snapshot or a new day
    gives a new PDF), rendered only the first time it is asked for and then read from the
    cache folder: a click no longer costs a second of a web worker. `html` renders the page
    only when a PDF has to be made. Files are owner-only; two workers rendering the same
    report at once both write the same bytes and the later rename wins."""
    folder = private_folder(cache_dir)
    path = folder / f"board-report-{hashlib.sha256(key.encode()).hexdigest()}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = render_pdf(html())
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    write_private(partial, pdf)
    partial.replace(path)
    cached = sorted(folder.glob("board-report-*.pdf"), key=lambda p: p.stat().st_mtime)
    for old in cached[:-CACHE_KEEP]:
        old.unlink(missing_ok=True)
    return pdf
