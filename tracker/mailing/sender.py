"""Flask glue for sending the outbox after commit: builds the transport from the app's config
and runs the pure sender in tracker.domain.outbox.delivery, committing per claimed batch and per message.

Call `deliver_outbox()` after the transaction that queued mail has committed, from a job or a
command, never from a web request (a slow mail server would hold the worker). With MAIL_SERVER set, mail goes over SMTP; without it, each message is written as an .eml
file into app.config["OUTBOX_DIR"] (named after its Message-ID, so a re-send overwrites it).
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import socket
import uuid
from collections.abc import Collection
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import current_app

from tracker import clock
from tracker.core.account_emails import compose
from tracker.database import db_session
from tracker.domain.accounts.password_resets import answer_reset_requests
from tracker.domain.boundary import unscoped
from tracker.domain.outbox.delivery import (
    DeliveryReport,
    Transport,
    claim_batch,
    load_claims,
    send_claimed,
    waiting_for_lease,
)
from tracker.domain.private_files import private_folder, write_private

BATCH_SIZE = 100

__all__ = ["DeliveryReport", "FileTransport", "SMTPTransport", "deliver_outbox", "transport_for"]


class SMTPTransport:
    """One SMTP connection reused for a batch; reconnects after an error."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        use_tls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
    ) -> None:
        self.host, self.port, self.use_tls = host, port, use_tls
        self.username, self.password, self.timeout = username, password, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.use_tls:
            smtp.starttls()
        if self.username:
            smtp.login(self.username, self.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()  # the connection may already be gone
            self._smtp = None


class FileTransport:
    """Writes each message as an .eml file (the default when no MAIL_SERVER is configured)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        private_folder(self.directory)
        name = re.sub(r"[^A-Za-z0-9.-]", "", str(message["Message-ID"])) or uuid.uuid4().hex
        target = self.directory / f"{name}.eml"
        partial = target.with_suffix(".eml.part")
        write_private(partial, bytes(message))
        partial.replace(target)

    def close(self) -> None:
        return None


def transport_for(config: Any) -> SMTPTransport | FileTransport:
    """SMTP when MAIL_SERVER is set, otherwise .eml files in the instance outbox."""
    if config.get("MAIL_SERVER"):
        return SMTPTransport(
            config["MAIL_SERVER"],
            int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
        )
    return FileTransport(config["OUTBOX_DIR"])


def holder_name() -> str:
    """Who holds a claim: host, process and a random part, unique per delivery run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:80]


def deliver_outbox(
    limit: int | None = 100,
    *,
    now: datetime | None = None,
    transport: Transport | None = None,
    kinds: Collection[str] | None = None,
) -> DeliveryReport:
    """The outbox sender is installation plumbing: it sends every organisation's due rows, so
    it runs outside the organisation boundary (see _deliver_outbox)."""
    with unscoped(db_session()):
        return _deliver_outbox(limit, now=now, transport=transport, kinds=kinds)


def answer_password_resets() -> int:
    """Answer the stored forgotten-password requests (queue the reset emails of real accounts).

    The web worker only stores each request as typed, so its work and timing are the same for
    every address; this runs in the sender before each delivery run. Returns emails queued."""
    with unscoped(db_session()):
        return _answer_password_resets()


def _answer_password_resets() -> int:
    session = db_session()
    config = current_app.config
    queued = answer_reset_requests(session, secret_key=config["SECRET_KEY"], compose=compose)
    session.commit()
    return queued


def _deliver_outbox(
    limit: int | None = 100,
    *,
    now: datetime | None = None,
    transport: Transport | None = None,
    kinds: Collection[str] | None = None,
) -> DeliveryReport:
    """Send up to `limit` due messages (None: all that are due) and return what happened.

    `kinds` limits sending to those kinds of message (e.g. only account emails).

    Commits after claiming each batch and after each message; safe to run in several processes
    at once (each row is claimed by one of them).
    """
    config = current_app.config
    session = db_session()
    session.commit()  # never send on the back of an uncommitted transaction
    _answer_password_resets()
    owned: SMTPTransport | FileTransport | None = None
    if transport is None:
        transport = owned = transport_for(config)
    sending: Transport = transport
    holder = holder_name()
    report = DeliveryReport()
    started = now or clock.now()
    wall_start = clock.now()
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS") or 5)
    try:
        while limit is None or report.claimed < limit:
            size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - report.claimed)
            # Due rows are those due when the run started (a row retried during this run waits
            # for a later run); each batch's claim lease runs from when it is claimed.
            claimed_at = started + (clock.now() - wall_start)
            ids = claim_batch(
                session, now=started, holder=holder, limit=size, kinds=kinds, claimed_at=claimed_at
            )
            session.commit()
            if not ids:
                break
            report.claimed += len(ids)
            claims = load_claims(session, ids, sender=config["MAIL_DEFAULT_SENDER"], holder=holder)
            session.commit()
            for claim in claims:
                outcome = send_claimed(
                    session,
                    claim,
                    sending,
                    holder=holder,
                    now=now or clock.now(),
                    max_attempts=max_attempts,
                )
                session.commit()
                setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        if owned is not None:
            owned.close()
    report.waiting_for_lease, report.lease_ends_at = waiting_for_lease(session, now=clock.now())
    session.commit()
    return report
