"""A throw-away PostgreSQL server for the test run: initdb + pg_ctl in a temporary folder.

Debian keeps the server's programs off the PATH, in /usr/lib/postgresql/<version>/bin: they are
looked for on the PATH first, then there (the newest version). `initdb` refuses to run as root,
so as root the server runs as the `postgres` user. The server listens only on a Unix socket in
its own folder and on a free loopback port.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg

DEBIAN_FOLDERS = Path("/usr/lib/postgresql")


def bin_folder() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`, or None when PostgreSQL is not installed."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    versions = [p for p in DEBIAN_FOLDERS.glob("*/bin") if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    versions.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)])
    return versions[-1] if versions else None


def available() -> bool:
    return bin_folder() is not None


def free_port() -> int:
    """A loopback port no one listens on (for PostgreSQL, SMTP, gunicorn in tests and benches)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def running_server():
    """Yield the base URL (`postgresql+psycopg://...`) of a fresh server; stop and delete it after."""
    programs = bin_folder()
    if programs is None:
        raise RuntimeError("PostgreSQL non è installato: initdb e pg_ctl non si trovano.")
    initdb, pg_ctl = str(programs / "initdb"), str(programs / "pg_ctl")
    root = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = lambda cmd: subprocess.run(_as_server_user(cmd), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"])
        options = f"-k {root} -p {port} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        run([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start"])
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    dsn = base_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"
