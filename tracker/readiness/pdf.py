"""The board pack as a PDF: WeasyPrint on a document of its own (no navigation), with a print
stylesheet and no fetching of anything (so a PDF never calls back into the web server or the
network).

The PDF is tagged (PDF/UA-1: a structure tree, so a screen reader reads headings, tables and
paragraphs in order), its text layer reads in the order printed (nothing visually hidden is in
it: the responsive-table labels and screen-reader-only text are left out of print), and it fits
A4 (tables wrap within the margins and repeat their headings on each page).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tracker.domain.private_files import private_folder, write_private

PDF_VARIANT = "pdf/ua-1"

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-left { content: string(board-title); font-size: 8pt; color: #4c6272; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #4c6272; } }
html { font-family: Arial, Helvetica, "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #212b32; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 4pt; color: #005eb8; string-set: board-title content(); }
h2 { font-size: 13pt; margin: 14pt 0 4pt; color: #005eb8; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; break-after: avoid; }
p { margin: 0 0 6pt; orphans: 2; widows: 2; }
.nhsuk-lede-text { font-size: 10.5pt; }
#board-summary { font-size: 10.5pt; border-left: 3pt solid #005eb8; padding: 2pt 0 2pt 8pt; }
.nhsuk-u-visually-hidden, .nhsuk-table-responsive__heading { display: none; }
a { color: inherit; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 8pt; table-layout: auto; }
thead { display: table-header-group; }
caption { text-align: left; font-weight: bold; padding: 2pt 0 3pt; caption-side: top; }
th, td { border-bottom: 0.5pt solid #aeb7bd; padding: 2.5pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: break-word; hyphens: manual; }
thead th { border-bottom: 1pt solid #212b32; font-size: 8.5pt; }
tr { break-inside: avoid; }
.app-group-row th { background: #f0f4f5; font-weight: bold; padding-top: 4pt; }
.app-total-row th, .app-total-row td { font-weight: bold; border-top: 1pt solid #212b32; }
.app-question { font-weight: normal; width: 40%; }
.app-level-words { font-size: 8pt; color: #4c6272; }
td .app-level-words, th .app-level-words { display: block; }
p .app-level-words { font-size: inherit; color: inherit; }
.app-table-numeric { text-align: right; }
.nhsuk-tag { display: inline-block; border: 0.5pt solid #212b32; padding: 0.5pt 2pt; font-weight: bold; font-size: 8pt; line-height: 1.2; white-space: nowrap; }
figure { margin: 4pt 0 10pt; break-inside: avoid; }
figcaption { font-size: 8.5pt; color: #4c6272; }
svg.app-chart { width: 100%; height: auto; max-height: 200mm; }
ul { margin: 0 0 6pt; padding-left: 14pt; } li { margin-bottom: 2pt; }
"""


def refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """WeasyPrint URL fetcher that fetches nothing: the report is self-contained."""
    raise ValueError(f"not fetched for the PDF: {url}")


def render_pdf(html: str) -> bytes:
    """The tagged A4 PDF of a self-contained HTML document."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, url_fetcher=refuse_fetch)
    return document.write_pdf(
        stylesheets=[CSS(string=PRINT_CSS, url_fetcher=refuse_fetch)],
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )


CACHE_KEEP = 20  # PDFs kept in the cache folder; older ones are removed


def cache_key(html: str) -> str:
    """What a cached PDF is known by: the page it renders, so a new snapshot, new numbers or
    a partner's new sharing choice (even on the same day) gives a new PDF."""
    return hashlib.sha256(html.encode()).hexdigest()


def cached_pdf(html: str, cache_dir: str | Path) -> bytes:
    """The PDF of `html`, rendered only the first time that exact page is asked for and then
    read from the cache folder: a click no longer costs a second of a web worker. Files are
    owner-only; two workers rendering the same page at once both write the same bytes and the
    later rename wins."""
    folder = private_folder(cache_dir)
    path = folder / f"board-report-{cache_key(html)}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = render_pdf(html)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    write_private(partial, pdf)
    partial.replace(path)
    cached = sorted(folder.glob("board-report-*.pdf"), key=lambda p: p.stat().st_mtime)
    for old in cached[:-CACHE_KEEP]:
        old.unlink(missing_ok=True)
    return pdf
