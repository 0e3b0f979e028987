"""CSRF protection on every state-changing route of the portal, whoever sends the request."""

import pytest
from werkzeug.routing import Rule

from portal.access import Role


def post_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()):
            urls.append(_build(rule))
    return sorted(urls)


def _build(rule: Rule) -> str:
    """A URL of the rule with placeholder arguments: 1 for numbers, "x" for text."""
    defaults = rule.defaults or {}
    converters = rule._converters
    values = {
        arg: ("x" if type(converters.get(arg)).__name__ in ("UnicodeConverter", "PathConverter") else 1)
        for arg in rule.arguments
        if arg not in defaults
    }
    return rule.build({**defaults, **values}, append_unknown=False)[1]


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_posts_without_token_are_refused_for_anonymous(csrf_app, client, db):
    for url in post_urls(csrf_app):
        response = client.post(url, data={"email": "a@b.it", "password": "x"})
        assert response.status_code == 400, url
        assert "Il modulo è scaduto o non è valido" in response.get_data(as_text=True), url


def test_posts_without_token_are_refused_for_an_admin(csrf_app, client, make_user, db):
    admin = make_user(Role.ADMIN)
    csrf_app.config["WTF_CSRF_ENABLED"] = False
    client.post("/accedi", data={"email": admin.email, "password": "password-di-prova-1"})
    csrf_app.config["WTF_CSRF_ENABLED"] = True
    for url in post_urls(csrf_app):
        response = client.post(url, data={})
        assert response.status_code == 400, url
