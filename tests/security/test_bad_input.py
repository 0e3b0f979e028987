"""Finding 5: out-of-range input gave 500s. The attack over the whole URL map: every route's URL
variables and every query parameter its module reads get huge, negative, malformed and
out-of-range values, as an anonymous visitor, a company user and the admin. Never a 500: a 404
or a 400 with a message, or the page as if the value had not been given.

The query parameters are read from the source (`request.args.get("x")`, `args["x"]`, forms built
from `request.args`), per module, so a new parameter is tried without touching this file. POST
routes get the bad ids and a `next` with a line break (the redirect after a committed action).
"""

import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from wtforms import fields

from portal import inputs
from portal.certification.models import Certificate
from portal.extensions import db
from portal.reshoring.models import Brief
from tests.security.test_headers_and_sessions import URL_VALUES, value_for
from tests.security.test_stored_xss import (  # noqa: F401 (demo_app is a fixture)
    ADMIN,
    COMPANY_ADMIN,
    client_for,
    demo_app,
    every_form_class,
)

PORTAL = Path(__file__).resolve().parents[2] / "portal"
HUGE_IDS = ["9223372036854775808", "184467440737095516160", "2147483648"]
BAD_IDS = [*HUGE_IDS, "-1", "0", "1e3", "abc", "%F0%9F%98%80"]
BAD_TEXT = ["x" * 3000, "%00", "..%2F..%2Fetc%2Fpasswd", "%0D%0ASet-Cookie:%20a=b", "%E2%80%AE"]
BAD_VALUES = ["184467440737095516160", "-1", "abc", "9999-12-31", "0001-01-01", "1e400", "\r\nX-Iniettato: 1\x00"]
NEXT = "/reshoring/\r\nSet-Cookie: iniettato=1"


def view_source(view) -> str:
    """The view's code and that of the portal functions it calls (one level: helpers that read the query)."""
    view = inspect.unwrap(view)
    own = inspect.getsource(view)
    scope = vars(sys.modules[view.__module__])
    called = [scope.get(name) for name in set(re.findall(r"\b(\w+)\(", own))]
    return "\n".join([own] + [inspect.getsource(fn) for fn in called
                               if inspect.isfunction(fn) and fn.__module__.startswith("portal.")])


def query_parameters(view) -> set[str]:
    """What a view reads from the query string: `args.get("x")`, `args["x"]`, forms built from
    `request.args`, the paginator's page and size."""
    source = view_source(view)
    names = {"page", "per_page"} if "paginate(" in source else set()
    names |= set(re.findall(r"args\.get\(\s*[\"'](\w+)[\"']", source))
    names |= set(re.findall(r"args\[\s*[\"'](\w+)[\"']\]", source))
    names |= set(re.findall(r"arg_(?:int|page|date)\(\s*[\"'](\w+)[\"']", source))
    for form_name in re.findall(r"(\w+Form)\(request\.args\)", source):
        form = getattr(importlib.import_module(inspect.unwrap(view).__module__), form_name)
        names |= {n for n in dir(form) if getattr(getattr(form, n), "field_class", None)}
    return names


def filled(rule, values: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[\w()=,\s]+:)?{name}>", str(values.get(name, 1)), path)
    return path


def url_values() -> dict:
    values = {name: value_for(name) for name in URL_VALUES}
    values["brief_id"] = db.session.scalar(select(Brief.id).order_by(Brief.id.desc()).limit(1))
    values["number"] = db.session.scalar(select(Certificate.number).limit(1))
    return values


@pytest.fixture(scope="module")
def clients(demo_app):  # noqa: F811 (the imported fixture)
    return {"admin": client_for(demo_app, ADMIN), "company": client_for(demo_app, COMPANY_ADMIN),
            "anonymous": client_for(demo_app, None)}


def reader(clients, url: str):
    """The first of admin, company user, anonymous whom the page answers: bad input must reach the view."""
    for who, client in clients.items():
        if client.get(url).status_code < 400:
            return who, client
    return "admin", clients["admin"]


def server_errors(responses) -> list[str]:
    return [f"{who} {method} {url!r}: {response.status_code}" for who, method, url, response in responses
            if response.status_code >= 500]


def test_bad_ids_and_url_parts_are_404_never_500(demo_app, clients):  # noqa: F811
    with demo_app.app_context():
        good = url_values()
        answers = []
        for rule in demo_app.url_map.iter_rules():
            if rule.endpoint == "static" or not rule.arguments:
                continue
            methods = {"GET", "POST"} & rule.methods
            who, client = reader(clients, filled(rule, good)) if "GET" in methods else ("admin", clients["admin"])
            for name in rule._converters:  # (not the arguments a route's `defaults` fill)
                numeric = type(rule._converters[name]).__name__.startswith(("Integer", "Bounded"))
                for value in BAD_IDS if numeric else BAD_TEXT:
                    url = filled(rule, good | {name: value})
                    answers += [(who, method, url, client.open(url, method=method)) for method in methods]
        assert server_errors(answers) == []
        huge = [(who, url, r.status_code) for who, method, url, r in answers
                if any(h in url for h in HUGE_IDS) and r.status_code not in (404, 403, 302)]
        assert huge == [], "a huge id names no object: 404 (or the usual refusal)"


def test_bad_query_parameters_never_give_a_500(demo_app, clients):  # noqa: F811
    with demo_app.app_context():
        good = url_values()
        answers = []
        for rule in demo_app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            url = filled(rule, good)
            who, client = reader(clients, url)
            names = query_parameters(demo_app.view_functions[rule.endpoint])
            if not names:
                continue
            for value in BAD_VALUES:
                answers.append((who, "GET", f"{url} all={value!r}", client.get(url, query_string=dict.fromkeys(names, value))))
                answers += [(who, "GET", f"{url}?{name}={value!r}", client.get(url, query_string={name: value}))
                            for name in sorted(names)]
        assert server_errors(answers) == []


def test_a_line_break_in_next_never_reaches_a_redirect(demo_app, clients):  # noqa: F811
    """POST every route with a poisoned `next`: whatever the action did, the answer is not a 500
    and no header carries the injected line."""
    with demo_app.app_context():
        good = url_values()
        answers = []
        for rule in demo_app.url_map.iter_rules():
            if "POST" not in rule.methods:
                continue
            url = filled(rule, good)
            for who, client in clients.items():
                response = client.post(url, data={"next": NEXT})
                answers.append((who, "POST", url, response))
                assert "iniettato" not in str(response.headers).lower(), url
        assert server_errors(answers) == []


def test_every_date_field_of_every_form_is_bounded():
    unbounded = [f"{form.__module__}.{form.__name__}.{name}" for form in every_form_class() for name in dir(form)
                 if issubclass(getattr(getattr(form, name), "field_class", type(None)), fields.DateField | fields.DateTimeField)
                 and not issubclass(getattr(form, name).field_class, inputs.DateField | inputs.DateTimeLocalField)]
    assert unbounded == [], "use portal.inputs.DateField / DateTimeLocalField"


def test_query_parameters_are_read_through_portal_inputs():
    """`request.args.get(..., type=int)` passes a number of any size on: `portal.inputs.arg_int()` bounds it."""
    offenders = [str(path.relative_to(PORTAL)) for path in PORTAL.rglob("*.py")
                 if re.search(r"args\.get\([^)]*type=(int|float)", path.read_text(encoding="utf-8"))]
    assert offenders == []
