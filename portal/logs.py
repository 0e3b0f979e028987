"""Log lines as JSON (production) or text (development), each with the id of the request behind it.

The id is the load balancer's `X-Request-ID` when it sends a well-formed one (haproxy's
`unique-id`), or one made here. The response carries it back, and every job or e-mail the
request starts carries it into the worker, so one search follows a user's action from the web
node into the job that finished it.
"""

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request (or of the job's originating request) being served, or ''."""
    return _request_id.get()


@contextmanager
def request_id_bound(value: str) -> Iterator[None]:
    token = _request_id.set(value or "")
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def handler(fmt: str) -> logging.Handler:
    """A stderr handler writing JSON lines (`json`) or readable text (`text`), with the request id."""
    stream = logging.StreamHandler()
    stream.addFilter(RequestIdFilter())
    if fmt == "json":
        stream.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        ))
    else:
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    stream.portal_handler = True
    return stream


def configure_logging(fmt: str, level: str = "INFO") -> None:
    """Send every logger's records through one handler of ours (run once per process; again replaces it)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "portal_handler", False)]:
        root.removeHandler(old)
    root.addHandler(handler(fmt))
    root.setLevel(level)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per PDF step otherwise


def register(app: Flask) -> None:
    """Give each request its id (and the response its header); set up the log format outside tests."""
    if not app.testing:
        configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])

    @app.before_request
    def bind_request_id():
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if WELL_FORMED.fullmatch(sent) else uuid.uuid4().hex
        _request_id.set(g.request_id)

    @app.after_request
    def send_request_id(response):
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response

    @app.teardown_request
    def unbind_request_id(exc):
        _request_id.set("")  # a thread serves many requests: the next one gets its own id
