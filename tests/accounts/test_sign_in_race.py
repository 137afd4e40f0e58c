"""Thirty simultaneous wrong passwords for one account from one address: every attempt is
counted (30), and no more passwords are checked than the limit allows (5). Each attempt runs
in its own thread with its own database session, like thirty web workers."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.support.helpers import NOW
from tracker.domain.accounts import sign_in
from tracker.domain.accounts.sign_in import Limits, SignInRefused, authenticate
from tracker.extensions import db
from tracker.models import LoginThrottle

ATTEMPTS = 30
LIMITS = Limits(per_account=5, per_address=100, lockout_minutes=15, account_slowdown_after=100)


def test_thirty_simultaneous_guesses_count_thirty(app, session, make_user, monkeypatch):
    email = make_user("owner").email  # read here: the threads must not touch this session
    session.commit()
    checked = []
    real_check = sign_in.hash_matches

    def counting(stored: str, password: str) -> bool:
        checked.append(password)
        return real_check(stored, password)

    monkeypatch.setattr(sign_in, "hash_matches", counting)
    engine = db.engine
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[object] = []

    def guess(n: int) -> None:
        with app.app_context(), Session(engine) as own:
            start.wait()
            try:
                authenticate(own, email=email, password=f"guess {n}",
                             address="192.0.2.7", now=NOW, limits=LIMITS)  # fmt: skip
            except SignInRefused as refusal:
                outcomes.append(refusal)
            except Exception as error:  # noqa: BLE001 - reported below
                outcomes.append(error)
            own.commit()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(outcome, SignInRefused) for outcome in outcomes), outcomes
    assert len(outcomes) == ATTEMPTS
    session.expire_all()
    counts = {row.scope: row.failures for row in session.scalars(select(LoginThrottle))}
    assert counts == {"pair": ATTEMPTS, "address": ATTEMPTS, "account": ATTEMPTS}
    assert len(checked) == LIMITS.per_account
