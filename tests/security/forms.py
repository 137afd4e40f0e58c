"""Finding the forms a page offers (for the fuzzer): each <form> with its method and fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, file, number, date, email, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    enctype: str
    method: str = "POST"
    fields: dict[str, FormField] = field(default_factory=dict)

    @property
    def token_field(self) -> str | None:
        """The CSRF token's field (a prefixed form names it e.g. "assign-csrf_token")."""
        return next((name for name in self.fields if name.endswith("csrf_token")), None)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.method, self.action, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(
                page=self.page,
                action=a.get("action") or self.page.split("?")[0],
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
                method=(a.get("method") or "get").upper(),
            )
            return
        if self.current is None or not a.get("name"):
            if tag == "option" and self.select is not None:
                self.select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            existing = self.current.fields.get(name)
            if existing is not None and kind in {"radio", "checkbox"}:
                existing.options.append(a.get("value", "on"))
                return
            self.current.fields[name] = FormField(
                name,
                kind,
                a.get("value", ""),
                [a.get("value", "on")] if kind in {"radio", "checkbox"} else [],
            )
        elif tag == "textarea":
            self.current.fields[name] = FormField(name, "textarea")
        elif tag == "select":
            self.select = FormField(name, "select")
            self.current.fields[name] = self.select
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None


def find_forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms
