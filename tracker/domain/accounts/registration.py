"""Creating users and checking passwords: the rules shared by the CLI and the admin pages."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain import audit
from tracker.domain.accounts.password_hashing import hash_matches
from tracker.domain.accounts.password_hashing import hash_password as new_password_hash
from tracker.domain.errors import DomainError
from tracker.models import Organisation, Role, User

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "123456789012",
        "qwertyuiop12",
        "passwordpassword",
        "letmein12345",
        "welcome12345",
        "nhspassword1",
        "changeme1234",
        "administrator",
        "iloveyou1234",
    }
)


def normalise_email(email: str) -> str:
    """Check an address's syntax and return it lower-cased (uniqueness ignores case)."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError(
            f"Enter an email address in the correct format, like name@nhs.net ({error})", "email"
        ) from None
    return result.normalized.lower()


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse passwords that are short, common, repetitive or built from the user's own name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters", "password")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 5:
        raise DomainError("Password is too easy to guess: choose a longer phrase", "password")
    personal = [email.split("@")[0].lower()] + [
        part.lower() for part in name.split() if len(part) > 3
    ]
    if any(part and len(part) > 3 and part in lowered for part in personal):
        raise DomainError("Password must not contain your name or email address", "password")


def hash_password(password: str) -> str:
    """A salted scrypt hash (tracker.domain.accounts.password_hashing)."""
    return new_password_hash(password)


def password_matches(user: User, password: str) -> bool:
    return bool(user.password_hash) and hash_matches(user.password_hash or "", password)


SEVERAL_ORGANISATIONS = (
    "This installation has several organisations: say which one with --organisation CODE"
)


def default_organisation(session: Session) -> Organisation:
    """The organisation being acted on: the one the session is scoped to, else the only one
    (created on first use, so a new installation needs no set-up). With several organisations
    and no scope, nothing is guessed: the caller must name one."""
    organisations = list(session.scalars(select(Organisation).order_by(Organisation.id).limit(2)))
    if len(organisations) > 1:
        raise DomainError(SEVERAL_ORGANISATIONS, "organisation")
    if organisations:
        return organisations[0]
    organisation = Organisation(ods_code="LOCAL", name="My NHS trust")
    session.add(organisation)
    session.flush()
    return organisation


def create_user(
    session: Session,
    actor: User | None,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None,
    now: datetime,
    organisation: Organisation | None = None,
) -> User:
    """Add a user. Without a password the account waits for an invitation link."""
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's name", "name")
    if role not in {r.value for r in Role}:
        raise DomainError(f"Role must be one of: {', '.join(r.value for r in Role)}", "role")
    platform = role == Role.PLATFORM_ADMIN
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise DomainError(f"A user with the email address {email} already exists", "email")
    if password is not None:
        check_password_strength(password, email=email, name=name)
    if platform and organisation is not None:
        raise DomainError("A platform admin belongs to no organisation", "organisation")
    if not platform:
        organisation = organisation or default_organisation(session)
    user = User(
        organisation=organisation,
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user",
        user.id,
        "created",
        at=now,
        after={"email": email, "name": name, "role": role},
    )
    return user
