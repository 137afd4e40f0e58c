"""Parameters for the NHS.UK pagination macro (`nhsuk/components/pagination`), for any list
split into numbered pages."""

from __future__ import annotations

from collections.abc import Callable


def numbered_pages(page: int, pages: int, href: Callable[[int], str]) -> dict[str, object] | None:
    """Previous/next and numbered links to the first, last and neighbouring pages (gaps shown
    as an ellipsis), `href(n)` giving page n's address; None when there is one page."""
    if pages < 2:
        return None
    wanted = sorted({1, page - 1, page, page + 1, pages})
    items: list[dict[str, object]] = []
    previous_number = 0
    for number in (n for n in wanted if 1 <= n <= pages):
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page})
        previous_number = number
    links: dict[str, object] = {"items": items}
    if page > 1:
        links["previous"] = {"href": href(page - 1)}
    if page < pages:
        links["next"] = {"href": href(page + 1)}
    return links
