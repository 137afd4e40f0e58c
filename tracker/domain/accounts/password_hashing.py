"""Password hashes: salted scrypt, stored as "scrypt:N:r:p$salt$hex".

That text form is the one the app has always stored (werkzeug's), so existing accounts keep
working; PBKDF2 hashes in the same form ("pbkdf2:sha256:ITERATIONS$salt$hex") are still
accepted for accounts created by an older setting. Comparison takes constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SALT_LENGTH = 16
SALT_ALPHABET = string.ascii_letters + string.digits


def _derive(method: str, salt: str, password: str) -> str | None:
    """The hex digest for a stored method and salt; None when the method is not one we know."""
    name, *params = method.split(":")
    try:
        if name == "scrypt" and len(params) in (0, 3):
            n, r, p = (int(x) for x in params) if params else (SCRYPT_N, SCRYPT_R, SCRYPT_P)
            return hashlib.scrypt(
                password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p
            ).hex()
        if name == "pbkdf2" and len(params) == 2:
            digest, iterations = params[0], int(params[1])
            return hashlib.pbkdf2_hmac(digest, password.encode(), salt.encode(), iterations).hex()
    except ValueError:
        return None
    return None


def hash_password(password: str) -> str:
    """A new salted scrypt hash of `password`, in the stored text form."""
    salt = "".join(secrets.choice(SALT_ALPHABET) for _ in range(SALT_LENGTH))
    method = f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}"
    return f"{method}${salt}${_derive(method, salt, password)}"


def hash_matches(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` was made from (False for a malformed hash)."""
    if stored.count("$") < 2:
        return False
    method, salt, expected = stored.split("$", 2)
    actual = _derive(method, salt, password)
    return actual is not None and hmac.compare_digest(actual, expected)
