"""Every template parses and names only filters and tests that exist.

Jinja reports an unknown filter inside an `{% if %}` (or one named as a string, as in
`map('x')`) only when that code runs, so a page can work for months and answer 500 the first
time a list is empty."""

from jinja2 import nodes

# Filters that take the name of another filter or test as a string argument, and its position.
NAMED_FILTER_ARGUMENT = {"map": 0}
NAMED_TEST_ARGUMENT = {"select": 0, "reject": 0, "selectattr": 1, "rejectattr": 1}


def _named(node: nodes.Filter, positions: dict[str, int]) -> str | None:
    position = positions.get(node.name)
    if position is None or len(node.args) <= position or not isinstance(node.args[position], nodes.Const):
        return None
    return node.args[position].value


def unknown_names(env, tree) -> list[str]:
    found = []
    for node in tree.find_all(nodes.Filter):
        found += [("filter", node.name), ("filter", _named(node, NAMED_FILTER_ARGUMENT)),
                  ("test", _named(node, NAMED_TEST_ARGUMENT))]
    found += [("test", node.name) for node in tree.find_all(nodes.Test)]
    known = {"filter": env.filters, "test": env.tests}
    return [f"{kind} {name}" for kind, name in found if name is not None and name not in known[kind]]


def test_templates_use_only_known_filters_and_tests(app):
    env = app.jinja_env
    unknown = []
    for name in env.list_templates(extensions=("html", "txt")):
        tree = env.parse(env.loader.get_source(env, name)[0])
        unknown += [f"{name}: {problem}" for problem in unknown_names(env, tree)]
    assert unknown == []


def test_a_filter_named_as_a_string_is_checked_too(app):
    tree = app.jinja_env.parse("{% if xs|map('extract', d)|select('nonexistent')|list %}{% endif %}")
    assert sorted(unknown_names(app.jinja_env, tree)) == ["filter extract", "test nonexistent"]
