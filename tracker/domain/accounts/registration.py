"""Creating users and checking passwords: the rules shared by the CLI and the admin pages."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from tracker.domain import audit
from tracker.domain.accounts.password_hashing import hash_matches
from tracker.domain.accounts.password_hashing import hash_password as new_password_hash
from tracker.domain.errors import DomainError
from tracker.models import Organisation, Role, User

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# zxcvbn's guess-count estimate, 0 (guessed at once) to 4; 3 means "safely unguessable" against
# an online attacker and resistant to an offline one (about 10^10 guesses).
MIN_STRENGTH_SCORE = 3
ESTIMATED_CHARACTERS = 100  # the estimator's cost grows with length; a longer tail only helps
ORGANISATION_WORDS = ["nhs", "impact", "tracker", "trust", "improvement"]


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
    """Refuse passwords that are short, guessable or built from the user's own name, saying why.

    Guessability is estimated with zxcvbn (Dropbox's maintained estimator, ported to Python):
    it knows tens of thousands of the most common passwords, words and names, and sees through
    the usual disguises (capitals, digits and a year added, "@" for "a", keyboard runs), which a
    deny list of exact passwords cannot. This follows the NCSC's advice to block the most
    common passwords rather than to demand mixtures of character types.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer", "password")
    lowered = password.lower()
    personal = [email.split("@")[0].lower()] + [
        part.lower() for part in name.split() if len(part) > 3
    ]
    if any(part and len(part) > 3 and part in lowered for part in personal):
        raise DomainError("Password must not contain your name or email address", "password")
    result = zxcvbn(password[:ESTIMATED_CHARACTERS], user_inputs=personal + ORGANISATION_WORDS)
    if result["score"] < MIN_STRENGTH_SCORE:
        raise DomainError(weak_password_message(result["feedback"]), "password")


def weak_password_message(feedback: dict[str, object]) -> str:
    """The estimator's reason and first suggestion, as one plain sentence pair."""
    message = "Password is too easy to guess"
    warning = str(feedback.get("warning") or "").rstrip(".")
    if warning:
        message += f": {warning[0].lower()}{warning[1:]}"
    suggestions = feedback.get("suggestions")
    hint = (
        str(suggestions[0])
        if isinstance(suggestions, list) and suggestions
        else "Add another word or two. Uncommon words are better."
    )
    return f"{message}. {hint} A phrase of three or four unrelated words works well."


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
