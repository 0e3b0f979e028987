"""A throw-away Redis on a free loopback port, beside tests/pgserver.py's PostgreSQL.

Production keeps its rate-limit counters in Redis (`memory://` is refused there), so the tests
and benchmarks that start the portal as in production start one of these and stop it after.
"""

import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

from tests.pgserver import free_port


def available() -> bool:
    return shutil.which("redis-server") is not None


@contextmanager
def redis_server():
    """Yield the URL of a fresh Redis (no persistence); stop it after."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="portal-redis-") as folder:
        process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", folder], stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)
