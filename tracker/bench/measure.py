"""Measurements: SQL queries and latency per page, readiness, reminders and import timings."""

from __future__ import annotations

import socket
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask import session as flask_session
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tracker import clock
from tracker.bench.build import Org
from tracker.core.signed_in import begin, session_lasts
from tracker.database import db_session
from tracker.domain.accounts.live_sessions import start_session
from tracker.extensions import db
from tracker.models import Action, SignInMethod, User

NOT_BUILT = "n/a (not built)"


@dataclass
class Page:
    label: str
    endpoint: str
    who: str  # admin, viewer, director, owner or anonymous
    values: Callable[[Org], dict[str, Any]] = lambda org: {}


PAGES = [
    Page("/healthz", "home.healthz", "anonymous"),
    Page("/dashboard", "dashboard.index", "admin"),
    Page("/my-actions (owner)", "actions.mine", "owner"),
    Page("/actions", "actions.index", "admin"),
    Page("/actions/<id> (owner)", "actions.show", "owner", lambda o: {"action_id": o.extra["a"]}),
    Page("/domains", "domains.index", "director"),
    Page("/domains/<id>", "domains.show", "director", lambda o: {"component_id": o.extra["c"]}),
    Page("/readiness", "readiness.index", "viewer"),
    Page("/readiness/board-report", "readiness.board_report", "viewer"),
    Page("/admin/users", "admin.users", "admin"),
    Page("/admin/audit", "admin.audit_trail", "admin"),
    Page("/admin/notifications", "notifications.index", "admin"),
]


@dataclass
class PageResult:
    label: str
    queries: dict[int, int | str] = field(default_factory=dict)  # actions -> queries
    median_ms: float | None = None
    status: int | None = None


class QueryCounter:
    """Counts statements sent to the database (a before_cursor_execute listener)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: Any) -> None:
        self.count += 1

    @contextmanager
    def listening(self, app: Flask) -> Iterator[None]:
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", self)
        try:
            yield
        finally:
            event.remove(engine, "before_cursor_execute", self)


def client_for(app: Flask, user_id: int | None) -> FlaskClient:
    """A test client signed in as the user (session written as Flask-Login writes it)."""
    client = app.test_client()
    if user_id is None:
        return client
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        with (
            client.session_transaction() as stored,
            app.test_request_context(environ_base=client.environ_base),
        ):
            token = start_session(
                db_session(), user, method=SignInMethod.PASSWORD, now=clock.now(),
                lasts=session_lasts(remember=False),
            )  # fmt: skip
            db.session.commit()
            begin(user, token, remember=False)
            stored.update(dict(flask_session))
        db.session.remove()
    return client


def clients(app: Flask, org: Org) -> dict[str, FlaskClient]:
    owner = org.owner_ids[0]
    with app.app_context():
        org.extra["a"] = db.session.scalar(
            select(Action.id).where(Action.owner_id == owner).order_by(Action.id).limit(1)
        )
        db.session.remove()
    org.extra["c"] = org.component_ids[0]
    return {
        "anonymous": client_for(app, None),
        "admin": client_for(app, org.admin_id),
        "viewer": client_for(app, org.viewer_id),
        "director": client_for(app, org.director_ids[0]),
        "owner": client_for(app, owner),
    }


def url_of(app: Flask, page: Page, org: Org) -> str | None:
    if page.endpoint not in app.view_functions:
        return None
    from flask import url_for

    with app.test_request_context():
        return url_for(page.endpoint, **page.values(org))


def count_queries(app: Flask, org: Org, results: dict[str, PageResult]) -> None:
    """Queries for one request of each page (after one warm-up request)."""
    signed_in = clients(app, org)
    counter = QueryCounter()
    for page in PAGES:
        result = results.setdefault(page.label, PageResult(page.label))
        url = url_of(app, page, org)
        if url is None:
            result.queries[org.actions] = NOT_BUILT
            continue
        client = signed_in[page.who]
        client.get(url)
        with counter.listening(app):
            counter.count = 0
            response = client.get(url)
        result.status = response.status_code
        result.queries[org.actions] = counter.count


def time_pages(app: Flask, org: Org, results: dict[str, PageResult], repeats: int) -> None:
    """Median wall time of `repeats` requests per page, interleaved so drift hits all alike."""
    signed_in = clients(app, org)
    urls = {page.label: (url_of(app, page, org), signed_in[page.who]) for page in PAGES}
    samples: dict[str, list[float]] = {label: [] for label in urls}
    for _ in range(repeats):
        for label, (url, client) in urls.items():
            if url is None:
                continue
            started = time.perf_counter()
            client.get(url)
            samples[label].append((time.perf_counter() - started) * 1000)
    for label, values in samples.items():
        if values:
            results[label].median_ms = statistics.median(values)


def timed(function: Callable[[], Any], repeats: int = 1) -> tuple[float, Any]:
    """Median seconds over `repeats` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CountingHandler:
    """aiosmtpd handler that accepts every message and counts them."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[int, CountingHandler]]:
    """A local SMTP server on a free loopback port (aiosmtpd cannot take port 0)."""
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()
