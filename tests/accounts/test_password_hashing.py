"""Password hashes: the stored text form stays the one existing accounts hold."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from tracker.domain.accounts.password_hashing import hash_matches, hash_password


def test_a_new_hash_matches_its_password_only() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt:32768:8:1$")
    assert hash_matches(stored, "correct horse battery")
    assert not hash_matches(stored, "correct horse battery ")
    assert hash_password("correct horse battery") != stored  # salted


def test_hashes_stored_before_still_match_and_new_ones_read_the_same_way() -> None:
    for method in ("scrypt", "pbkdf2:sha256:1000"):
        older = generate_password_hash("a long passphrase", method=method)
        assert hash_matches(older, "a long passphrase")
        assert not hash_matches(older, "another passphrase")
    assert check_password_hash(hash_password("a long passphrase"), "a long passphrase")


def test_a_malformed_or_unknown_hash_matches_nothing() -> None:
    for stored in ("", "scrypt", "plain$text", "md5$salt$abc", "scrypt:x:8:1$salt$00"):
        assert not hash_matches(stored, "anything")
