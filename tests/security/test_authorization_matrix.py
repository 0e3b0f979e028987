"""Every route x every role x own and foreign objects, as declared in `matrix.py`.

One world is built for the whole matrix (building it takes seconds); each cell is a subtest named
"METHOD endpoint as role, own|foreign|shared objects", so every wrong cell is reported by name.
A refused POST must change nothing: the row counts and last updates of every table are compared.
"""

from sqlalchemy import func, select
from werkzeug.routing import Rule

from portal.extensions import db
from tests.security import matrix
from tests.sessions import sign_in

# A form as a user would send it; refused requests must not get as far as reading it.
POST_BODY = {"reason": "Prova", "title": "Prova", "name": "Prova", "email": "prova@example.it", "summary": "Sintesi",
             "statement": "Nessun conflitto", "minutes": "Verbale", "outcome": "grant", "version": "1"}


def undeclared_endpoints(app) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - matrix.ROUTES.keys())


def test_every_endpoint_is_declared(app):
    assert undeclared_endpoints(app) == [], "Declare these endpoints in tests/security/matrix.py"
    stale = matrix.ROUTES.keys() - {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(stale) == [], "These declared endpoints no longer exist"


def test_a_new_route_without_a_declaration_is_reported(app):
    app.add_url_rule("/nuova-pagina", "nuova_pagina", lambda: "")
    assert undeclared_endpoints(app) == ["nuova_pagina"]


def test_every_method_of_every_endpoint_is_declared(app):
    missing = [f"{method} {rule.endpoint}" for rule in app.url_map.iter_rules() if rule.endpoint in matrix.ROUTES
               for method in ("GET", "POST") if method in rule.methods and _expected(matrix.ROUTES[rule.endpoint], method) is None]
    assert missing == []


def _expected(route: matrix.Route, method: str):
    return route.get if method == "GET" else route.post


def database_state() -> tuple:
    """Row count and latest update of every table: a refused request must leave both alone."""
    columns = []
    for table in db.metadata.sorted_tables:
        columns.append(select(func.count()).select_from(table).scalar_subquery())
        if "updated_at" in table.c:
            columns.append(select(func.max(table.c.updated_at)).scalar_subquery())
    return tuple(db.session.execute(select(*columns)).one())


def url_for_rule(rule: Rule, route: matrix.Route, values: dict) -> str:
    arguments = {name: values[route.args.get(name, name)] for name in rule.arguments}
    return rule.build(arguments, append_unknown=False)[1]


def cells(app):
    """(role, method, rule, ownership, expected) for every cell of the matrix that sends a request."""
    for rule in app.url_map.iter_rules():
        route = matrix.ROUTES.get(rule.endpoint)
        for method in ("GET", "POST"):
            expected = _expected(route, method) if route else None
            if method not in rule.methods or expected is None:
                continue
            tables = [(matrix.OWN, expected.own), (matrix.FOREIGN, expected.foreign)] \
                if isinstance(expected, matrix.Owned) else [(matrix.SHARED, expected)]
            for ownership, answers in tables:
                for role in matrix.ROLES:
                    if answers[role] != matrix.ALLOWED:  # an allowed change is the module's tests' business
                        yield role, method, rule, ownership, answers[role]


def answer_of(response) -> int | str:
    if response.status_code == 302 and "/accedi" in response.headers.get("Location", ""):
        return matrix.LOGIN
    return response.status_code


def test_authorization_matrix(app, client, matrix_world, subtests, html_pages):
    """Role by role (one sign-in each), the pages first, then the refused posts (every HTML page
    answered goes to the Nu HTML Checker at the end of the run: `html_pages`)."""
    signed_in = before = None
    for role, method, rule, ownership, expected in sorted(cells(app), key=lambda c: (c[0], c[1], c[2].endpoint, c[2].rule)):
        if role != signed_in:
            sign_in(client, matrix_world.users[role])
            with client.session_transaction() as session:
                session.update(matrix_world.sessions.get(role, {}))
            signed_in, before = role, None
        with subtests.test(msg=f"{method} {rule.rule} ({rule.endpoint}) as {role}, {ownership} objects"):
            url = url_for_rule(rule, matrix.ROUTES[rule.endpoint], matrix_world.url_values(ownership))
            app.config["WTF_CSRF_ENABLED"] = method == "GET"  # pages as in production; posts tried without a token
            if method == "GET":
                assert answer_of(client.get(url)) == expected
                continue
            assert expected in matrix.REFUSED, "a POST cell is either ALLOWED or refused"
            if before is None:
                before = database_state()
            answer = answer_of(client.post(url, data=POST_BODY))
            after = database_state()
            changed, before = after != before, after  # each refused post is the next one's baseline
            assert answer == expected
            assert not changed, "a refused request changed the database"
