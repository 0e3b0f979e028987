"""Throw-away servers beside PostgreSQL (tests/pgserver.py): Redis, the S3 emulator, Celery workers.

Each listens on a free loopback port with its data in a temporary folder and is stopped after.
Used by the job and storage tests and by `bench/cluster.py`.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[1]


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM to the process group (a worker and its pool), SIGKILL if it does not leave in time."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def kill(process: subprocess.Popen) -> None:
    """kill -9 of the whole process group, as a power cut or the OOM killer would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent` (read from /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


@contextmanager
def redis_server():
    """Yield the URL of a fresh Redis (no persistence); stop it after."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="portal-redis-")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", folder, "--logfile", str(Path(folder) / "redis.log")],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_until(lambda: _accepts(port), 10, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def s3_server():
    """Yield the endpoint URL of moto's standalone S3 server (an emulator of the S3 API, for tests)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).read()
            return True
        except OSError:
            return False

    try:
        wait_until(answers, 30, "moto_server")
        yield url
    finally:
        stop(process)


class Worker:
    """A Celery worker (or beat) of the portal in a process group of its own, logging to a file."""

    def __init__(self, env: dict, log: Path, *arguments: str):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker:celery", *arguments],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )

    def logged(self, text: str) -> bool:
        return text in self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> "Worker":
        wait_until(lambda: self.logged(" ready.") or self.process.poll() is not None, timeout, "celery worker")
        if self.process.poll() is not None:
            raise RuntimeError(f"celery exited:\n{self.log.read_text()[-3000:]}")
        return self

    def stop(self) -> None:
        stop(self.process)

    def kill(self) -> None:
        kill(self.process)


def start_worker(env: dict, log: Path, name: str, concurrency: int = 1, include: str = "") -> Worker:
    arguments = ["worker", "--hostname", f"{name}@%h", "--concurrency", str(concurrency), "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle"]
    if include:
        arguments += ["--include", include]
    return Worker(env, log, *arguments).wait_ready()


def start_beat(env: dict, log: Path, folder: Path) -> Worker:
    beat = Worker(env, log, "beat", "--schedule", str(folder / "beat-schedule"), "--loglevel", "INFO")
    wait_until(lambda: beat.logged("beat: Starting") or beat.process.poll() is not None, 60, "celery beat")
    return beat
