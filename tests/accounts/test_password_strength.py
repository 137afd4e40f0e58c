"""Passwords are checked with a strength estimator (zxcvbn) that knows the most common
passwords and their usual disguises, and the person is told why theirs was refused."""

from __future__ import annotations

import pytest

from tracker.domain.accounts.registration import check_password_strength
from tracker.domain.errors import DomainError

# Twenty passwords people commonly choose when told "at least 12 characters": all refused.
COMMON = [
    "Password12345", "P@ssw0rd1234", "qwerty123456", "Welcome2024!", "password1234",
    "123456789012", "Passw0rd!234", "Qwertyuiop12", "letmein12345", "Liverpool123",
    "iloveyou1234", "abcdefgh1234", "Football2024", "Monkey123456", "Sunshine2023",
    "Welcome12345", "Admin1234567", "Changeme1234", "Password2025", "1q2w3e4r5t6y",
]  # fmt: skip


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_with_the_reason(password: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_password_strength(password)
    message = refused.value.message
    assert message.startswith("Password is too easy to guess")
    assert "A phrase of three or four unrelated words works well." in message
    assert refused.value.field == "password"


def test_the_estimators_own_reason_is_shown() -> None:
    with pytest.raises(DomainError, match="this is a very common password"):
        check_password_strength("qwerty123456")


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "plum-ledger-orbit-42", "a-long-test-passphrase"]
)
def test_phrases_of_unrelated_words_are_accepted(password: str) -> None:
    check_password_strength(password, email="dana.director@nhs.net", name="Dana Director")


def test_names_and_length_are_still_checked() -> None:
    with pytest.raises(DomainError, match="must not contain your name"):
        check_password_strength("directorial-plum-ledger", name="Dana Director")
    with pytest.raises(DomainError, match="at least 12 characters"):
        check_password_strength("plum-ledger")
    with pytest.raises(DomainError, match="256 characters or fewer"):
        check_password_strength("x" * 257)
