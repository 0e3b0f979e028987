"""Time the public register (page and JSON, with filters) and the certificate PDF.

Builds a throw-away SQLite database with the demo world plus N extra certificates, then
requests each page several times. Prints median milliseconds per request.

    .venv/bin/python bench/certification_register.py [certificates] [runs]
"""

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.certification.models import Application, AppState, Certificate  # noqa: E402
from portal.demo import seed_all  # noqa: E402
from portal.extensions import db  # noqa: E402


def add_certificates(count: int) -> None:
    """Clone the demo's first granted application into `count` certificates."""
    template = db.session.scalars(db.select(Application).where(Application.state == AppState.GRANTED)).first()
    for n in range(count):
        application = Application(company_id=template.company_id, edition_id=template.edition_id, state=AppState.GRANTED,
                                  sites=list(template.sites))
        db.session.add(application)
        db.session.flush()
        issued = date(2024, 1, 1) + timedelta(days=n % 900)
        db.session.add(Certificate(number=f"BB-2030-{n:04d}", application_id=application.id, company_id=template.company_id,
                                   edition_id=template.edition_id, issued_on=issued, expires_on=issued + timedelta(days=1095),
                                   sites=list(template.sites)))
    db.session.commit()


def median_ms(client, url: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "UPLOAD_FOLDER": f"{folder}/uploads", "MAIL_BACKEND": "console", "RATELIMIT_ENABLED": False})
        with app.app_context():
            db.create_all()
            seed_all()
            add_certificates(count)
            total = db.session.query(Certificate).count()
            first = db.session.scalars(db.select(Certificate.id)).first()
        client = app.test_client()
        print(f"{total} certificati nel registro, {runs} richieste per pagina (mediana in ms)")
        for url in ("/bollino/registro", "/bollino/registro?page=50", "/bollino/registro?q=voce&stato=active",
                    "/bollino/registro?regione=Sicilia", "/bollino/registro.json", "/bollino/registro/BB-2030-0500"):
            print(f"{median_ms(client, url, runs):8.1f}  {url}")
        with app.app_context():
            from portal.members.models import User
            from tests.sessions import sign_in

            sign_in(client, db.session.scalar(db.select(User).where(User.email == "staff@assocontact.demo")))
        print(f"{median_ms(client, f'/bollino/certificati/{first}/pdf', max(3, runs // 3)):8.1f}  certificato PDF")


if __name__ == "__main__":
    main()
