"""The shipped gunicorn configuration survives slow clients: with 2 workers (sync workers
would have 2 request slots), 8 connections that never finish their request do not stop
/healthz from answering, because each slow client holds one thread, not a worker (even if
one worker accepted all 8, it has threads left)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz(port: int, timeout: float) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.slow
def test_slow_clients_do_not_block_the_workers(tmp_path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_ENV": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_ERROR_LOG": str(tmp_path / "gunicorn.log"),
        "PYTHONPATH": str(ROOT),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env
    )
    slow: list[socket.socket] = []
    try:
        for _ in range(100):  # wait for it to listen (up to 20 s on a busy machine)
            try:
                if healthz(port, timeout=1) == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
        for _ in range(8):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x")  # ...and never finishes
            slow.append(client)
        assert healthz(port, timeout=10) == 200
    finally:
        for client in slow:
            client.close()
        server.terminate()
        server.wait(timeout=30)
