"""Every page of the feature renders for the roles that may see it."""

from __future__ import annotations


def test_pages_render_for_a_director(world, sign_in):
    client = sign_in(world.director)
    component_id = world.action.question.component_id
    for url in (
        "/dashboard",
        "/my-actions",
        "/actions",
        "/actions?status=not_started&overdue=1&awaiting_review=1",
        "/domains",
        f"/domains/{component_id}",
        "/domains/reassign-leaver",
        f"/actions/{world.action.id}",
        f"/actions/{world.action.id}/evidence/new",
        f"/actions/{world.action.id}/milestones/{world.milestone.id}/replan",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[-3000:])


def test_pages_have_unique_ids_and_labelled_fields(world, sign_in):
    """Several forms share the action page: their fields must not share ids (labels would
    point at the wrong field)."""
    import re
    from collections import Counter

    client = sign_in(world.director)
    component_id = world.action.question.component_id
    for url in (
        f"/actions/{world.action.id}",
        f"/domains/{component_id}",
        f"/actions/{world.action.id}/evidence/new",
    ):
        page = client.get(url).get_data(as_text=True)
        ids = Counter(re.findall(r'\sid="([^"]+)"', page))
        assert [name for name, n in ids.items() if n > 1] == [], url
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if 'type="hidden"' in tag:
                continue
            field_id = re.search(r'\sid="([^"]+)"', tag).group(1)
            assert f'for="{field_id}"' in page, (url, field_id)
