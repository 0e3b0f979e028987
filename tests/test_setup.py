"""The test command on a stock machine: PostgreSQL where Debian puts it, and CI that never
passes without the PostgreSQL pass."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests import pgserver
from tests import run as test_run

ROOT = Path(__file__).resolve().parents[1]


def _install(folder, *versions):
    for version in versions:
        programs = folder / version / "bin"
        programs.mkdir(parents=True)
        for name in ("initdb", "pg_ctl"):
            (programs / name).write_text("#!/bin/sh\n")


def test_debian_folder_is_found_when_postgresql_is_off_the_path(tmp_path, monkeypatch):
    _install(tmp_path, "9.6", "13", "15")
    monkeypatch.setattr(pgserver, "DEBIAN_FOLDERS", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))

    assert pgserver.bin_folder() == tmp_path / "15" / "bin"
    assert pgserver.available()


def test_without_postgresql_there_is_no_server(tmp_path, monkeypatch):
    monkeypatch.setattr(pgserver, "DEBIAN_FOLDERS", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))

    assert pgserver.bin_folder() is None
    with pytest.raises(RuntimeError, match="PostgreSQL non è installato"):
        with pgserver.running_server():
            pass


@pytest.fixture
def passes(monkeypatch):
    """The passes the run starts (pytest itself is not started again here)."""
    started = []
    monkeypatch.setattr(test_run, "pytest", lambda env, args: started.append(env["TEST_DATABASE"]) or 0)
    monkeypatch.setattr(test_run.sys, "argv", ["tests.run"])
    return started


def test_a_developer_without_postgresql_runs_sqlite_only(passes, monkeypatch, capsys):
    monkeypatch.setattr(pgserver, "available", lambda: False)
    monkeypatch.delenv("CI", raising=False)

    assert test_run.main() == 0
    assert passes == ["sqlite"]
    assert "PostgreSQL non trovato" in capsys.readouterr().out


def test_ci_without_postgresql_fails(passes, monkeypatch, capsys):
    monkeypatch.setattr(pgserver, "available", lambda: False)
    monkeypatch.setenv("CI", "true")

    assert test_run.main() == 1
    assert "ERRORE" in capsys.readouterr().out


def test_a_server_that_does_not_start_fails_the_run(passes, monkeypatch, capsys):
    def broken():
        raise subprocess.CalledProcessError(1, ["initdb"], stderr="initdb: cannot be run as root")

    monkeypatch.setattr(pgserver, "available", lambda: True)
    monkeypatch.setattr(pgserver, "running_server", broken)
    monkeypatch.delenv("CI", raising=False)

    assert test_run.main() == 1
    assert passes == ["sqlite"]
    assert "cannot be run as root" in capsys.readouterr().out


FLASK_OWN = {"db", "routes", "run", "shell", "limiter"}  # Flask's and its extensions' groups, in English


def test_every_command_of_the_portal_says_what_it_does(app):
    """`flask --app portal --help` lists each group with a description, and each command has its help."""
    silent = []
    for name, command in app.cli.commands.items():
        if name in FLASK_OWN:
            continue
        if not (command.help or "").strip():
            silent.append(name)
        for sub_name, sub in getattr(command, "commands", {}).items():
            if not (sub.help or "").strip():
                silent.append(f"{name} {sub_name}")
    assert silent == []
    assert set(app.cli.commands) >= {"certificates", "tariffs", "users", "mail", "backup", "demo"}


def test_development_links_follow_the_port(tmp_path):
    """`make run PORT=5001`: the links in e-mails point to port 5001 unless PUBLIC_BASE_URL says otherwise."""
    code = "from portal.config import DevelopmentConfig as C; print(C.PUBLIC_BASE_URL)"
    env = {"PATH": "/usr/bin:/bin", "PORT": "5001"}
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    assert shown.stdout.strip() == "http://127.0.0.1:5001"
    env["PUBLIC_BASE_URL"] = "https://portale.example.it"
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    assert shown.stdout.strip() == "https://portale.example.it"
