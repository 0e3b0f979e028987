"""A worker killed with kill -9 in the middle of a bulk check: another worker finishes the job,
with exactly one set of result rows and one e-mail to the uploader. No command to remember.

Real processes: the member uploads through the app, worker w1 takes the job and is killed (its
whole process group) once it has committed part of the rows; w2 and beat (whose sweeper finds
the job nobody renews) take over.
"""

import io
import time

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.extensions import db
from portal.jobs import DONE, Job
from portal.tariffs.models import RateBatch, RateCheck
from tests.conftest import wait_for
from tests.tariffs.conftest import tables  # noqa: F401  (fixture)
from tests.tariffs.files import RATES_HEADER

ROWS = 30_000  # six commits of 5,000 rows: time to be killed between two of them


@pytest.fixture
def app_config(real_jobs_config):
    return real_jobs_config


def read(statement):
    with db.engine.connect() as connection:
        return connection.execute(statement).first()


def price_list(rows: int) -> bytes:
    lines = [RATES_HEADER] + [f"R{n};3;0,{4500 + n % 400};minuto;01/03/2019;" for n in range(rows)]
    return "\n".join(lines).encode()


def test_a_worker_killed_mid_bulk_check_leaves_it_to_another_and_one_set_of_rows(
        app, workers, client, auth, tables, make_company, make_user, smtp):  # noqa: F811
    member = make_user(Role.APPLICANT, company=make_company())
    auth.login(member.email)
    first = workers.start("w1")
    response = client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(price_list(ROWS)), "listino.csv"), "cliente": "INPS"})
    assert response.status_code == 302
    progress = select(RateBatch.status, RateBatch.processed_rows, RateBatch.total_rows)
    assert wait_for(lambda: read(progress)[1] > 0, timeout=120), workers.logs()[-3000:]

    first.kill()
    status, processed, total = read(progress)
    assert status == "running" and 0 < processed < total  # killed in the middle, rows half written

    workers.start("w2")
    workers.beat()  # its sweeper finds the job whose lease nobody renews
    assert wait_for(lambda: read(progress)[0] == "done", timeout=180), workers.logs()[-3000:]

    batch_id = read(select(RateBatch.id))[0]
    rows, lines = read(select(func.count(), func.count(RateCheck.line.distinct())).where(RateCheck.batch_id == batch_id))
    assert rows == lines == total == ROWS  # exactly one set of result rows
    assert read(select(Job.status, Job.attempts)) == (DONE, 2)
    assert wait_for(lambda: smtp.to(member.email))
    time.sleep(1)
    assert [m["Subject"] for m in smtp.to(member.email)] == ["Verifica del listino conclusa"]
