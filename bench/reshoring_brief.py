"""Time the ministry brief: the portal's PDF against raw WeasyPrint on the same HTML.

Builds a throw-away database with the demo world plus enough proposals on the agenda for a
brief of about 30 pages, then renders it several times. Prints the page count, the median
times, and on the last line the ratio (goal: at most 1.3x).

    .venv/bin/python bench/reshoring_brief.py [runs]
"""

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from portal import create_app  # noqa: E402
from portal.demo import seed_all  # noqa: E402
from portal.extensions import db  # noqa: E402

EXTRA_PROPOSALS = 24


def add_agenda(brief) -> None:
    """More proposals, each with supports, on the agenda of the brief's session."""
    from portal.members.models import Company
    from portal.reshoring.models import AgendaItem, Proposal, Support
    from portal.reshoring.services import state_by_code

    companies = db.session.query(Company).limit(8).all()
    state = state_by_code("in_discussione")
    for n in range(EXTRA_PROPOSALS):
        proposal = Proposal(
            title=f"Proposta di reshoring n. {n + 1}: incentivi per il rientro dei servizi di assistenza",
            summary="Misura per riportare in Italia il lavoro di **assistenza clienti** oggi svolto all'estero. " * 3,
            measure="- credito d'imposta per FTE\n- premialità negli appalti\n- formazione digitale\n- controlli sull'art. 24-bis",
            addressees=["mimit", "ministero_lavoro"], fte_reshored=100 + n * 10, from_countries=["AL", "RO"],
            to_regions=["Calabria", "Sicilia"], yearly_volume=1_000_000 + n, state_cost=1_000_000 * (n + 1), timeframe_months=12,
            state=state)
        for company in companies:
            proposal.supports.append(Support(company_id=company.id, fte=10 + n, from_countries=["AL"], to_regions=["Puglia"],
                                             timeframe_months=12, conditions="Con incentivi stabili per almeno tre anni."))
        db.session.add(proposal)
        db.session.flush()
        db.session.add(AgendaItem(roundtable_id=brief.roundtable_id, proposal_id=proposal.id, position=10 + n))
    db.session.commit()


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time stays fair on a shared, busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved_medians(first, second, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Alternate the two so that a busy machine slows both alike; (wall, CPU) medians of each."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(first))
        b.append(timed(second))
    return tuple(statistics.median(t[i] for t in a) for i in (0, 1)), tuple(statistics.median(t[i] for t in b) for i in (0, 1))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "UPLOAD_FOLDER": folder, "MAIL_BACKEND": "console"})
        with app.app_context(), app.test_request_context():
            from portal.reshoring.brief import brief_html, brief_pdf
            from portal.reshoring.models import Brief

            db.create_all()
            seed_all()
            brief = db.session.query(Brief).filter(Brief.roundtable_id.is_not(None)).first()
            add_agenda(brief)
            html = brief_html(brief)
            pages = len(PdfReader(io.BytesIO(brief_pdf(brief))).pages)
            raw, portal = interleaved_medians(lambda: HTML(string=html).write_pdf(), lambda: brief_pdf(brief), runs)
    print(f"brief: {pages} pages, {len(html) / 1024:.0f} KiB of HTML, median of {runs} runs")
    print(f"raw WeasyPrint on the same HTML: {raw[0]:.2f} s wall, {raw[1]:.2f} s CPU")
    print(f"portal brief (data, charts, template, PDF): {portal[0]:.2f} s wall, {portal[1]:.2f} s CPU")
    print(f"wall-clock ratio portal/raw: {portal[0] / raw[0]:.2f}x")
    print(f"ratio portal/raw (CPU time): {portal[1] / raw[1]:.2f}x (goal <= 1.30x)")


if __name__ == "__main__":
    main()
