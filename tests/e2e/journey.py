"""A journey through the app in the browser: navigation helpers that scan every page they land
on with axe (WCAG 2.0/2.1/2.2 A and AA) and fail at once on a serious or critical violation."""

from __future__ import annotations

from typing import Any

from tests.support.helpers import PASSWORD

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return [el.innerText, label, el.getAttribute("aria-label"), el.value, el.name]
    .filter(Boolean).join(" | ").replace(/\\s+/g, " ").trim();
}"""


class AccessibilityError(AssertionError):
    """A page a journey visited has serious or critical axe violations."""


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """One readable paragraph per violated rule, with the first few offending elements."""
    lines = [f"Accessibility violations on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


class Journey:
    """Wraps a Playwright page; every navigation goes through `settle`, which scans the page."""

    def __init__(self, page: Any, base_url: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.base_url = base_url
        self.axe = Axe()
        self.scanned: list[str] = []
        self._seen: set[tuple[str, str]] = set()
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message: Any) -> None:
        """Content-Security-Policy refusals (inline script or style) and script errors."""
        text = message.text
        if "Content Security Policy" in text or (message.type == "error" and "Refused" in text):
            self.problems.append(f"{self.page.url}: {text}")

    # navigation -------------------------------------------------------------------------
    def goto(self, path: str) -> Any:
        response = self.page.goto(path)
        self.settle()
        return response

    def click(self, selector_or_locator: Any) -> None:
        """Click a link or button (a selector or a Playwright locator) and scan where it leads."""
        locator = (
            self.page.locator(selector_or_locator)
            if isinstance(selector_or_locator, str)
            else selector_or_locator
        )
        locator.click()
        self.settle()

    def press(self, key: str) -> None:
        """Press a key on the focused link or button (keyboard-only journeys), wait for the
        page it leads to and scan it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.settle()

    def tab_to(self, pattern: str, limit: int = 120) -> str:
        """Press Tab until the focused element's name (text, label or value) contains
        `pattern`; fail if it never gets focus, which means it cannot be reached by keyboard."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            name = self.page.evaluate(FOCUSED_NAME)
            if pattern.lower() in name.lower():
                return name
            seen.append(name)
        raise AssertionError(f"Tab never reached {pattern!r}; it visited: {seen[:40]}")

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        self.goto("/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.click(self.page.get_by_role("button", name="Sign in"))

    def sign_out(self) -> None:
        self.click(self.page.get_by_role("button", name="Sign out"))

    # checks ------------------------------------------------------------------------------
    def settle(self) -> None:
        """Wait for the page to load, then scan it unless this exact page was scanned already."""
        self.page.wait_for_load_state("load")
        key = (self.page.url, self.page.title())
        if key in self._seen:
            return
        self._seen.add(key)
        self.scanned.append(self.page.url)
        self.check_accessibility()
        self.check_console()

    def check_console(self) -> None:
        """Fail on a CSP violation or a script error seen since the last check."""
        problems, self.problems = self.problems, []
        assert not problems, "Browser console:\n" + "\n".join(problems)

    def check_accessibility(self) -> None:
        results = self.axe.run(
            self.page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        blocking = [
            violation
            for violation in results.response.get("violations", [])
            if violation.get("impact") in BLOCKING_IMPACTS
        ]
        if blocking:
            raise AccessibilityError(describe_violations(self.page.url, blocking))

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()
