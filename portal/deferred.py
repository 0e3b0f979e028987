"""Work that must not be part of the answer's time: run after the response has been sent.

`after_response(fn, *args)` runs `fn(*args)` once the server has written the response and
closed it (WSGI `close()`; gunicorn and the development server both call it), in a fresh request
context on PUBLIC_BASE_URL (so `url_for` and the audit log work) with the client's address and the
request's id (so its log lines, and the jobs it starts, follow the request).
The password-reset request uses it so that an existing and an unknown address answer alike and
in the same time: looking the account up, creating the link and sending the e-mail all happen
after the answer. A failure is logged; the client has its answer already.
"""

from collections.abc import Callable

from flask import Flask, after_this_request, current_app, request

from portal.logs import current_request_id, request_id_bound


def after_response(fn: Callable, *args, **kwargs) -> None:
    app = current_app._get_current_object()
    client, request_id = request.remote_addr, current_request_id()

    @after_this_request
    def schedule(response):
        response.call_on_close(lambda: _run(app, client, request_id, fn, args, kwargs))
        return response


def _run(app: Flask, client: str | None, request_id: str, fn: Callable, args: tuple, kwargs: dict) -> None:
    # An application context of its own: its own database session, closed when it ends whatever state
    # a failure left it in (and never the session of a context still open around this one, as in tests).
    with request_id_bound(request_id), app.app_context(), app.test_request_context(
            base_url=app.config["PUBLIC_BASE_URL"], environ_base={"REMOTE_ADDR": client or ""}):
        try:
            fn(*args, **kwargs)
        except Exception:
            app.logger.exception("Deferred work %s failed", getattr(fn, "__name__", fn))
