"""`make test`: the whole suite on SQLite, then again on a throw-away PostgreSQL server.

Browser tests run in the SQLite pass only: they test pages, not the database, and doubling
them would double the slowest part of the suite. On a developer's machine without PostgreSQL
the second pass is skipped with a message; under CI (`CI=true`) it must run: a missing
PostgreSQL, or a server that does not start, fails the run.
"""

import os
import subprocess
import sys

from tests import pgserver


def pytest(extra_env: dict, args: list[str]) -> int:
    env = {**os.environ, **extra_env}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def main() -> int:
    args = sys.argv[1:]
    print("=== Test su SQLite (database incorporato)", flush=True)
    sqlite_status = pytest({"TEST_DATABASE": "sqlite"}, args)
    if not pgserver.available():
        if under_ci():
            print("=== ERRORE: PostgreSQL non trovato (né nel PATH né in /usr/lib/postgresql/*/bin): "
                  "in CI il passaggio su PostgreSQL è obbligatorio (make test installa il pacchetto postgresql).")
            return 1
        print("=== PostgreSQL non trovato (né nel PATH né in /usr/lib/postgresql/*/bin): eseguiti solo i test su SQLite. "
              "Installa il pacchetto postgresql per il secondo passaggio.")
        return sqlite_status
    print("=== Test su PostgreSQL (server temporaneo)", flush=True)
    try:
        with pgserver.running_server() as base_url:
            pg_status = pytest({"TEST_DATABASE": "postgresql", "TEST_PG_BASE_URL": base_url}, [*args, "-m", "not browser"])
    except (OSError, subprocess.CalledProcessError) as exc:  # the server did not start: say why, fail the run
        details = getattr(exc, "stderr", "") or str(exc)
        print(f"=== ERRORE: il server PostgreSQL temporaneo non si è avviato: {details.strip()}")
        return 1
    return sqlite_status or pg_status


if __name__ == "__main__":
    sys.exit(main())
