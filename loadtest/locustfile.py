"""Load test: owners browsing and updating their actions, directors assigning in their domain.

Run by scripts/loadtest.sh against gunicorn on a throwaway PostgreSQL with the demo loaded
(`flask demo load`). Every request that errors fails the run, and so does a 95th percentile
response time over P95_BUDGET_MS (default 500 ms) on any page (sign-in aside): the process exits non-zero.

Directors give unassigned actions an owner and re-date assigned ones (keeping their owner, so
an owner never loses an action mid-visit). A 409 (someone else saved the action first) is the optimistic lock doing its job when several
simulated users share one demo account, so it counts as a success.
"""

from __future__ import annotations

import os
import random
import re
from datetime import date, timedelta
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "impact-demo-passphrase")
OWNERS = ["olivia", "samuel", "chloe", "ibrahim"]
DIRECTORS = ["priya", "tom", "grace", "daniel", "fatima"]
P95_BUDGET_MS = float(os.environ.get("P95_BUDGET_MS", "500"))
ACTION_LINK = re.compile(r'href="(/actions/\d+)"')
DOMAIN_LINK = re.compile(r'href="(/domains/\d+)"')


class Forms(HTMLParser):
    """Every POST form on a page: its action and the values it would submit by default."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str], dict[str, list[str]]]] = []
        self._form: tuple[str, dict[str, str], dict[str, list[str]]] | None = None
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = (a.get("action", ""), {}, {})
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") not in ("checkbox", "radio", "submit"):
                self._form[1][a["name"]] = a.get("value", "")
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form[2][self._select] = []
        elif self._form is not None and tag == "option" and self._select and a.get("value"):
            self._form[2][self._select].append(a["value"])
            if "selected" in a:
                self._form[1][self._select] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None

    def find(self, suffix: str) -> tuple[str, dict[str, str], dict[str, list[str]]] | None:
        return next((f for f in self.forms if f[0].endswith(suffix)), None)


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    accounts: list[str] = []
    role = ""

    def on_start(self) -> None:
        email = f"{random.choice(self.accounts)}.{self.role}@demo.nhs.uk"
        page = self.page("/sign-in", "/sign-in")
        token = Forms(page).forms[0][1]["csrf_token"]
        with self.client.post(
            "/sign-in",
            data={"csrf_token": token, "email": email, "password": PASSWORD},
            name="/sign-in [POST]",
            catch_response=True,
        ) as response:
            if "Sign out" not in response.text:
                response.failure(f"could not sign in as {email}")

    def page(self, path: str, name: str) -> str:
        """GET a page; landing on the sign-in page instead counts as a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if "/sign-in" in response.url and "/sign-in" not in path:
                response.failure("signed out: sent to the sign-in page")
            return response.text

    def post_form(self, page: str, suffix: str, name: str, **values: str) -> None:
        """Submit the page's form whose action ends with `suffix`, with a random real option
        in each select and `values` for the named fields (their prefix ignored)."""
        form = Forms(page).find(suffix)
        if form is None:
            return
        action, data, selects = form
        for field, options in selects.items():
            chosen = [o for o in options if o not in ("", "0")]  # "0": "Choose a person"
            if chosen and data.get(field) in (None, "", "0"):
                data[field] = random.choice(chosen)  # keep what is selected already
        for suffix, value in values.items():  # fields may carry a prefix, e.g. assign-due_on
            names = [f for f in [*data, *selects] if f == suffix or f.endswith("-" + suffix)]
            for field in names or [suffix]:
                data[field] = value
        with self.client.post(action, data=data, name=name, catch_response=True) as response:
            if response.status_code == 409:
                response.success()

    def some_action(self, page: str, name: str) -> str | None:
        links = ACTION_LINK.findall(page)
        if not links:
            return None
        return self.page(random.choice(links), name)


class Owner(SignedInUser):
    weight = 3
    accounts = OWNERS
    role = "owner"

    @task(3)
    def browse(self) -> None:
        self.page("/dashboard", "/dashboard")
        page = self.page("/my-actions", "/my-actions")
        self.some_action(page, "/actions/[id]")

    @task(2)
    def update_progress(self) -> None:
        page = self.page("/my-actions", "/my-actions")
        action = self.some_action(page, "/actions/[id]")
        if action:
            self.post_form(
                action,
                "/progress",
                "/actions/[id]/progress",
                percent=str(random.randint(0, 100)),
                note="Load test update: on track.",
            )

    @task(1)
    def readiness(self) -> None:
        self.page("/readiness", "/readiness")


class Director(SignedInUser):
    weight = 1
    accounts = DIRECTORS
    role = "director"

    @task(2)
    def browse_domain(self) -> None:
        page = self.page("/domains", "/domains")
        links = DOMAIN_LINK.findall(page)
        if links:
            self.page(random.choice(links), "/domains/[id]")

    @task(1)
    def assign(self) -> None:
        page = self.page("/domains", "/domains")
        links = DOMAIN_LINK.findall(page)
        if not links:
            return
        domain = self.page(random.choice(links), "/domains/[id]")
        action = self.some_action(domain, "/actions/[id]")
        if action:
            due = (date.today() + timedelta(days=random.randint(30, 120))).isoformat()
            self.post_form(action, "/assign", "/actions/[id]/assign", due_on=due)


@events.quitting.add_listener
def enforce_budget(environment, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Fail the run on any error, or when the 95th percentile is over budget."""
    total = environment.stats.total
    # Signing in is deliberately slow (scrypt) and happens once per user: the budget is for
    # the pages people then use.
    browsing = [
        entry
        for (name, _method), entry in environment.stats.entries.items()
        if not name.startswith("/sign-in")
    ]
    p95 = max((e.get_response_time_percentile(0.95) or 0 for e in browsing), default=0)
    problems = []
    if total.num_failures:
        problems.append(f"{total.num_failures} of {total.num_requests} requests failed")
    if p95 > P95_BUDGET_MS:
        problems.append(
            f"a page's p95 of {p95:.0f} ms is over the budget of {P95_BUDGET_MS:.0f} ms"
        )
    if total.num_requests == 0:
        problems.append("no requests were made")
    verdict = "FAILED: " + "; ".join(problems) if problems else "passed"
    print(
        f"Load test {verdict} ({total.num_requests} requests, "
        f"worst page p95 {p95:.0f} ms, budget {P95_BUDGET_MS:.0f} ms)"
    )
    environment.process_exit_code = 1 if problems else 0
