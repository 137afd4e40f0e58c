"""The Content-Disposition header for a download, for any file name people give their files.

HTTP headers are Latin-1: a name such as "Łódź plan.pdf", "Отчёт.pdf" or "日本語.pdf" put in
`filename="…"` as it is makes the server refuse the response (a 500 page). RFC 6266 gives
every browser two forms: `filename*` (RFC 5987: UTF-8, percent-encoded) with the real name, and
a plain-ASCII `filename` fallback for clients that do not read `filename*`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

# RFC 5987 attr-char: the characters allowed unencoded in an ext-value.
ATTR_CHARS = "!#$&+-.^_`|~"
UNSAFE_IN_QUOTES = re.compile(r"[^A-Za-z0-9 !#$%&\'()+,\-.^_`{}~\[\]=@]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FALLBACK_STEM = "download"


def clean_name(filename: str) -> str:
    """The name without folders or control characters (never a path or a header break)."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    return CONTROL.sub("", name).strip() or FALLBACK_STEM


def ascii_fallback(filename: str) -> str:
    """An ASCII look-alike: accents dropped ("Łódź" -> "Lodz"), other letters replaced by "_",
    and the extension kept; a name with no ASCII letters left becomes "download.ext"."""
    name = clean_name(filename).replace("Ł", "L").replace("ł", "l")
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    if len(folded) < len(name):
        # Whole characters with no ASCII form (Cyrillic, Japanese, emoji) become "_".
        folded = "".join(
            char if char.isascii() else "_"
            for char in unicodedata.normalize("NFKD", name)
            if not unicodedata.combining(char)
        )
    folded = UNSAFE_IN_QUOTES.sub("_", folded)
    stem, dot, extension = folded.rpartition(".")
    if not dot:
        stem, extension = folded, ""
    if not stem.strip("_ ."):
        stem = FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''encoded` (RFC 6266 section 4.3)."""
    name = clean_name(filename)
    kind = "inline" if inline else "attachment"
    header = f'{kind}; filename="{ascii_fallback(name)}"'
    if not name.isascii() or ascii_fallback(name) != name:
        header += f"; filename*=UTF-8''{quote(name, safe=ATTR_CHARS)}"
    return header
