"""Hypothesis drives every form the app offers with hostile input: no answer is a 500 and no
user text comes back unescaped.

Forms are discovered, not listed: every GET route is fetched (with the sample world's ids) as
admin, the leading director and the action's owner, and each <form> found (POST forms with the
page's real CSRF token, GET forms such as filters through the query string) is fuzzed by the
user who was shown it.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.forms import Form, FormField, find_forms
from tests.support.proof import build_url, build_world, fetch, methods_of, routes, signed_in_client

EXAMPLES_PER_FORM = 8
SKIPPED_ACTIONS = ("/sign-out",)  # would end the fuzzing user's session
# Markers that can only appear in a page if user text was rendered without escaping.
UNESCAPED_MARKERS = ("<script>alert(", "<img src=x onerror", "<svg/onload", "<b data-fuzz")
HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "<b data-fuzz>bold</b>",
    "' OR 1=1 --",
    "'; DROP TABLE action; --",
    "Robert'); DELETE FROM user_account WHERE ('1'='1",
    "%00%0d%0a",
    "\x00\x01\x02\x1b[31m",
    "\u202eevil\u202c",
    "\u200b\u200d\ufeff",
    "Z\u0351\u0352\u0357\u035b\u0366",
    "😀" * 50,
    '=HYPERLINK("http://x")',
    "{{ 7*7 }}",
    "${7*7}",
    "../../etc/passwd",
    "a" * 5000,
    "-1",
    "99999999999999999999999",
    "NaN",
    "1e309",
    "2026-02-30",
    "0000-00-00",
    "",
    " ",
]
VALID_BY_KIND = {"date": "2027-06-30", "number": "50", "email": "someone@example.nhs.uk"}
hostile_text = (
    st.sampled_from(HOSTILE)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
    | st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=20))
)


def value_for(field: FormField) -> st.SearchStrategy[object]:
    """A valid-looking value some of the time, a hostile one the rest."""
    if field.kind == "file":
        return st.tuples(
            st.binary(max_size=2048).map(io.BytesIO),
            st.sampled_from(["evidence.pdf", "../../x.txt", "<script>.csv", "a" * 300 + ".txt"])
            | hostile_text.map(lambda t: t + ".txt"),
        )
    if field.options:
        return st.sampled_from(field.options) | hostile_text
    if field.kind == "date":
        return st.dates().map(str) | hostile_text
    if field.kind == "number":
        return st.integers(-(10**12), 10**12).map(str) | hostile_text
    if field.kind == "hidden" and field.value:
        return st.just(field.value) | hostile_text
    return hostile_text


def discover_forms(app, world) -> list[tuple[str, Form, object]]:
    """(role, form, client) for every distinct POST form on every GET page."""
    found: dict[tuple, tuple[str, Form, object]] = {}
    for role in ("admin", "director_leading", "owner_own"):
        client = signed_in_client(app, world.users[role])
        for rule in routes(app):
            if "GET" not in methods_of(rule):
                continue
            path = build_url(app, rule, world.url_values())
            response = fetch(client, "GET", path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in find_forms(path, response.get_data(as_text=True)):
                if form.action.startswith(SKIPPED_ACTIONS):
                    continue
                if form.method == "POST" and form.token_field is None:
                    continue
                found.setdefault(form.key, (role, form, client))
    return list(found.values())


def check(response: object, where: str) -> None:
    assert response.status_code < 500, f"{response.status_code} from {where}"  # type: ignore[attr-defined]
    if response.mimetype == "text/html":  # type: ignore[attr-defined]
        page = response.get_data(as_text=True)  # type: ignore[attr-defined]
        leaked = [marker for marker in UNESCAPED_MARKERS if marker in page]
        assert not leaked, f"unescaped {leaked} in the page after {where}"


def submit(client: object, form: Form, data: dict[str, object]) -> object:
    """Send the form as a browser would: POST body, or GET query string (files left out)."""
    if form.method == "GET":
        query = {k: v for k, v in data.items() if isinstance(v, str)}
        return fetch(client, "GET", form.action, query_string=query, follow_redirects=True)
    return fetch(client, "POST", form.action, data=data, follow_redirects=True)


def every_payload(role: str, form: Form, client: object) -> None:
    """Each hostile payload once in every free-text field (selects keep a real option), so the
    classics are always tried, whatever Hypothesis draws."""
    for payload in HOSTILE:
        data: dict[str, object] = {}
        for name, field in form.fields.items():
            if name == form.token_field or field.kind == "hidden":
                data[name] = field.value
            elif field.options:
                data[name] = field.options[-1]
            elif field.kind in VALID_BY_KIND:
                data[name] = VALID_BY_KIND[field.kind]  # so the text fields reach the domain
            elif field.kind == "file":
                data[name] = (io.BytesIO(payload.encode()), payload[:50] + ".txt")
            else:
                data[name] = payload
        check(submit(client, form, data), f"{form.method} {form.action} as {role}: {payload!r:.80}")


def fuzz_form(role: str, form: Form, client: object) -> None:
    every_payload(role, form, client)
    names = [name for name in form.fields if name != form.token_field]

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=st.fixed_dictionaries({n: value_for(form.fields[n]) for n in names}))
    def post(values: dict[str, object]) -> None:
        data = dict(values)
        if form.token_field:
            data[form.token_field] = form.fields[form.token_field].value
        response = submit(client, form, data)
        check(response, f"{form.method} {form.action} (on {form.page}, as {role}): {values!r:.400}")

    post()


def test_every_form_survives_hostile_input(app, session, framework):
    world = build_world(session, app.config["UPLOAD_DIR"])
    forms = discover_forms(app, world)
    assert len(forms) >= 3, f"only found {[f.action for _, f, _ in forms]}"
    for role, form, client in forms:
        fuzz_form(role, form, client)


def test_the_form_finder_sees_fields_options_and_tokens():
    html = """<form method="post" action="/x" enctype="multipart/form-data">
      <input type="hidden" name="csrf_token" value="tok"><input name="title">
      <select name="owner"><option value="1">A</option><option value="2">B</option></select>
      <input type="radio" name="kind" value="file"><input type="radio" name="kind" value="link">
      <textarea name="note"></textarea><input type="file" name="upload">
      <button type="submit">Save</button></form><form method="get"><input name="q"></form>"""
    form, search = find_forms("/page", html)
    assert (form.method, form.action) == ("POST", "/x")
    assert (search.method, search.action, list(search.fields)) == ("GET", "/page", ["q"])
    assert form.fields["csrf_token"].value == "tok"
    assert form.fields["owner"].options == ["1", "2"]
    assert form.fields["kind"].options == ["file", "link"]
    assert {f.kind for f in form.fields.values()} >= {"hidden", "text", "select", "file"}
