"""`make test`: the whole suite on SQLite, then again on a throw-away PostgreSQL 15 server.

Browser tests run in the SQLite pass only: they test pages, not the database, and doubling
them would double the slowest part of the suite.
"""

import os
import subprocess
import sys

from tests import pgserver


def pytest(extra_env: dict, args: list[str]) -> int:
    env = {**os.environ, **extra_env}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    args = sys.argv[1:]
    print("=== Test su SQLite (database incorporato)", flush=True)
    sqlite_status = pytest({"TEST_DATABASE": "sqlite"}, args)
    if not pgserver.available():
        print("=== PostgreSQL non trovato (initdb/pg_ctl non sono nel PATH): eseguiti solo i test su SQLite.")
        return sqlite_status
    print("=== Test su PostgreSQL (server temporaneo)", flush=True)
    with pgserver.running_server() as base_url:
        pg_status = pytest({"TEST_DATABASE": "postgresql", "TEST_PG_BASE_URL": base_url}, [*args, "-m", "not browser"])
    return sqlite_status or pg_status


if __name__ == "__main__":
    sys.exit(main())
