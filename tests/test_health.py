"""What a load balancer and an operator read: /healthz, /readyz, /metrics, the request id, JSON logs."""

import json
import logging

import pytest

from portal import create_app
from portal.jobs import enqueue
from portal.logs import HEADER, configure_logging, request_id_bound
from tests.conftest import make_test_config
from tests.jobs.sample import count_to

TOKEN = "metrics-token-for-tests"


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "storage": "ok"}  # jobs inline: no Redis to ask


def readiness(response, down: str) -> None:
    assert response.status_code == 503
    state = response.get_json()
    assert state["status"] == "unavailable" and state[down] == "unavailable"
    assert all(value == "ok" for name, value in state.items() if name not in ("status", down))
    assert "127.0.0.1:9" not in response.get_data(as_text=True)  # the reason stays in the log


@pytest.mark.parametrize("app_config, down", [
    ({"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_ENDPOINT_URL": "http://127.0.0.1:9", "S3_ACCESS_KEY_ID": "x",
      "S3_SECRET_ACCESS_KEY": "x", "S3_REGION": "eu-south-1"}, "storage"),
    ({"JOBS_MODE": "celery", "REDIS_URL": "redis://127.0.0.1:9/0"}, "redis"),
])
def test_readyz_says_503_and_which_part_is_missing(client, down):
    readiness(client.get("/readyz"), down)


def test_readyz_says_503_without_the_database(database_url, smtp_server, tmp_path):
    down = create_app(make_test_config(database_url, smtp_server[1], tmp_path)
                      | {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://portal@127.0.0.1:9/portal"})
    readiness(down.test_client().get("/readyz"), "database")
    with down.app_context():
        down.extensions["sqlalchemy"].engine.dispose()


def test_metrics_do_not_exist_without_a_token(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("app_config", [{"METRICS_TOKEN": TOKEN}])
def test_metrics_need_the_token(client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403


@pytest.mark.parametrize("app_config", [{"METRICS_TOKEN": TOKEN}])
def test_metrics_give_latency_by_endpoint_queue_and_jobs(app, client, db):
    client.get("/healthz")
    client.get("/pagina-che-non-esiste")
    enqueue(count_to, 2)
    db.session.commit()  # runs inline: a job duration to report

    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert 'portal_http_request_duration_seconds_count{endpoint="health.healthz",method="GET",status="200"}' in text
    assert 'endpoint="unknown",method="GET",status="404"' in text
    assert 'portal_job_duration_seconds_count{kind="tests.count_to",outcome="done"}' in text
    assert 'portal_task_duration_seconds_count{task="tests.count_to"}' in text
    assert "portal_jobs{" in text and "portal_outbox_pending 0.0" in text


def test_the_request_id_comes_back_and_is_made_when_missing_or_malformed(client):
    assert client.get("/healthz", headers={HEADER: "lb-7f00:1f90_42"}).headers[HEADER] == "lb-7f00:1f90_42"
    made = client.get("/healthz").headers[HEADER]
    assert len(made) == 32 and int(made, 16) >= 0
    for bad in ("<script>", "x" * 65, "a b"):
        assert client.get("/healthz", headers={HEADER: bad}).headers[HEADER] != bad


def test_log_lines_are_json_with_the_request_id(capsys):
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        configure_logging("json")
        with request_id_bound("req-99"):
            logging.getLogger("portal.test").warning("Lavoro %s avviato", 7)
    finally:
        root.handlers[:], _ = before[0], root.setLevel(before[1])
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "Lavoro 7 avviato" and line["request_id"] == "req-99"
    assert line["level"] == "WARNING" and line["logger"] == "portal.test" and "time" in line
