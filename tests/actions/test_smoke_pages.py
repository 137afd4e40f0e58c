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
