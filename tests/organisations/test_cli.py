"""`flask organisations …`, `flask systems create`, `flask users create --organisation` and
`--organisation` on other commands: each refusal has a clear message and writes nothing."""

from __future__ import annotations

import pytest

from tests.support.helpers import table_counts
from tracker.models import Organisation, User

GOOD = "correct horse battery staple"


def run(app, *args, password=None):
    return app.test_cli_runner().invoke(
        args=list(args), input=(password + "\n") if password else None
    )


def test_systems_and_organisations_are_created_and_listed(app, session):
    result = run(app, "systems", "create", "qt1", "--name", "Nottingham and Nottinghamshire ICS")
    assert result.exit_code == 0, result.output
    result = run(app, "organisations", "create", "RX1", "--name", "Nottingham University Hospitals",
                 "--system", "QT1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "in Nottingham and Nottinghamshire ICS" in result.output
    result = run(app, "users", "create", "ada@nhs.net", "--name", "Ada Admin", "--role", "admin",
                 "--organisation", "rx1", password=GOOD)  # fmt: skip
    assert result.exit_code == 0, result.output
    listing = run(app, "organisations", "list").output
    assert "RX1" in listing and "1 person, 1 active admin" in listing
    user = session.query(User).one()
    assert user.organisation.ods_code == "RX1"


def test_a_platform_admin_belongs_to_no_organisation(app, session):
    result = run(app, "users", "create", "pat@nhs.net", "--name", "Pat Platform",
                 "--role", "platform-admin", password=GOOD)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert session.query(User).one().organisation_id is None
    refused = run(app, "users", "create", "pam@nhs.net", "--name", "Pam Platform",
                  "--role", "platform-admin", "--organisation", "RX1", password=GOOD)  # fmt: skip
    assert refused.exit_code == 1 and "belongs to no organisation" in refused.output


@pytest.fixture
def two_organisations(session):
    session.add_all(
        [Organisation(ods_code="RX1", name="Trust one"), Organisation(ods_code="RHA", name="Two")]
    )
    session.commit()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("organisations", "create", "RX1", "--name", "Another"), "code RX1 already exists"),
        (("organisations", "create", "NEW", "--name", "Trust one"), "called Trust one already"),
        (("organisations", "create", "R X", "--name", "Spaced"), "is not an ODS code"),
        (("organisations", "create", "NEW", "--name", "N", "--system", "QQ9"), "no system"),
        (("users", "create", "a@nhs.net", "--name", "A Person", "--role", "admin"),
         "several organisations: say which one with --organisation CODE"),
        (("users", "create", "a@nhs.net", "--name", "A Person", "--role", "admin",
          "--organisation", "ZZZ"), "no organisation with the code 'ZZZ'"),
        (("assessments", "list"), "several organisations"),
        (("actions", "export", "--format", "csv"), "several organisations"),
        (("readiness", "show"), "several organisations"),
        (("readiness", "show", "--organisation", "ZZZ"), "no organisation with the code"),
    ],
)  # fmt: skip
def test_refusals_say_why_and_write_nothing(app, session, two_organisations, args, message):
    before = table_counts(session)
    result = run(app, *args, password=GOOD)
    assert result.exit_code == 1, result.output
    assert message in result.output
    session.expire_all()
    assert table_counts(session) == before


def test_a_duplicate_system_code_is_refused(app, session):
    assert run(app, "systems", "create", "QT1", "--name", "Notts").exit_code == 0
    before = table_counts(session)
    result = run(app, "systems", "create", "qt1", "--name", "Other")
    assert result.exit_code == 1 and "code QT1 already exists" in result.output
    assert table_counts(session) == before


def test_the_only_organisation_is_the_default(app, session):
    session.add(Organisation(ods_code="RX1", name="Trust one"))
    session.commit()
    result = run(app, "users", "create", "a@nhs.net", "--name", "A Person", "--role", "viewer",
                 password=GOOD)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "in Trust one (RX1)" in result.output
