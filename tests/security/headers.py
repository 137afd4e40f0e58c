"""Checking a response's security headers, for the tests of every route and of error pages."""

from __future__ import annotations

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": None,  # any value, as long as it is set
}


def header_problems(path: str, headers: object, *, https: bool) -> list[str]:
    """Everything wrong with one response's security headers, in words."""
    problems = []
    csp = headers.get("Content-Security-Policy", "")  # type: ignore[attr-defined]
    directives = {
        part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()
    }
    if not csp:
        problems.append(f"{path}: no Content-Security-Policy")
    else:
        script = directives.get("script-src", directives.get("default-src", ""))
        if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
            problems.append(f"{path}: CSP allows inline or eval'd script ({script!r})")
        if directives.get("frame-ancestors") != "frame-ancestors 'none'":
            problems.append(f"{path}: CSP lacks frame-ancestors 'none'")
    for name, value in REQUIRED_HEADERS.items():
        got = headers.get(name)  # type: ignore[attr-defined]
        if not got or (value is not None and got != value):
            problems.append(f"{path}: {name} is {got!r}")
    hsts = headers.get("Strict-Transport-Security")  # type: ignore[attr-defined]
    if https and not (hsts and "max-age=" in hsts):
        problems.append(f"{path}: no Strict-Transport-Security over HTTPS")
    if not https and hsts:
        problems.append(f"{path}: Strict-Transport-Security sent over plain HTTP")
    return problems
