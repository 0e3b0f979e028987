"""Deny by default: every route of the portal declares who may open it."""

from portal.access import rule_for


def test_every_route_declares_an_access_rule(app):
    undeclared = sorted(
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule_for(rule.endpoint) is None
    )
    assert undeclared == [], "Routes without @public/@authenticated/@roles: " + ", ".join(undeclared)


def test_a_route_without_a_rule_is_refused(app, client):
    app.add_url_rule("/senza-regola", "no_rule", lambda: "segreto")
    response = client.get("/senza-regola")
    assert response.status_code == 403
    assert "segreto" not in response.get_data(as_text=True)
