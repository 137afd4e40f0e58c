"""Evidence named in any script downloads through a real HTTP server (not only the test client,
which never encodes headers): Polish, Cyrillic, Japanese and emoji names keep their name in
`filename*` and get an ASCII `filename` fallback."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from werkzeug.serving import make_server

from tests.support.proof import build_world, signed_in_client
from tracker.core.downloads import ascii_fallback, content_disposition

NAMES = ["Łódź plan.pdf", "Отчёт.pdf", "日本語.pdf", "🎉 celebration.pdf", 'quote " and ;.txt']


@pytest.fixture
def server(app) -> Iterator[int]:
    """The app served by werkzeug's HTTP server on a free loopback port, in a thread."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        thread.join(timeout=5)


def filename_star(header: str) -> str:
    """The name an RFC 6266 client reads: filename*'s UTF-8, percent-decoded."""
    found = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert found, header
    return unquote(found[1], encoding="utf-8", errors="strict")


@pytest.mark.parametrize("name", NAMES)
def test_download_keeps_any_name_through_a_real_server(app, session, framework, server, name):
    world = build_world(session, app.config["UPLOAD_DIR"])
    world.evidence.original_filename = name
    session.commit()
    client = signed_in_client(app, world.users["owner_own"])
    cookie = client.get_cookie("session")
    assert cookie is not None
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request(
        "GET",
        f"/evidence/{world.evidence.id}/download",
        # The same user agent as the test client: sessions are bound to it.
        headers={
            "Cookie": f"session={cookie.value}",
            "User-Agent": client.environ_base["HTTP_USER_AGENT"],
        },
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200
    assert body == world.evidence_bytes
    header = response.getheader("Content-Disposition") or ""
    assert header.isascii()
    assert header.startswith(f'attachment; filename="{ascii_fallback(name)}"')
    assert filename_star(header) == name
    assert response.getheader("Content-Security-Policy")


def test_ascii_fallbacks_keep_the_extension_and_what_can_be_kept() -> None:
    assert ascii_fallback("Łódź plan.pdf") == "Lodz plan.pdf"
    assert ascii_fallback("Отчёт.pdf") == "download.pdf"
    assert ascii_fallback("日本語.pdf") == "download.pdf"
    assert ascii_fallback("Café.docx") == "Cafe.docx"


def test_names_cannot_break_the_header_or_carry_a_path() -> None:
    assert content_disposition("minutes.txt") == 'attachment; filename="minutes.txt"'
    header = content_disposition("../../x\r\nSet-Cookie: a=b.pdf")
    assert "\r" not in header and "\n" not in header
    assert 'filename="xSet-Cookie_ a=b.pdf"' in header
