"""The accounts tests send mail into their own outbox folder, not the session's shared one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def own_outbox(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path / "outbox"))
