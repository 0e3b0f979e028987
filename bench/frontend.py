"""What a phone downloads and how fast the key pages show: Lighthouse (npm) on Debian's Chromium.

Starts a throw-away PostgreSQL server with the migrations and the demo data, serves the portal
under gunicorn as in production (`bench/servers.py`), then runs Lighthouse's mobile audit
(simulated slow 4G and a mid-range phone's CPU) on five pages: the public home, the public
register, the rate calculator, a company admin's home and a staff list (the Bollino Blu
applications, with the audit log's 20 rows as a second staff list). Signed-in pages get the
session cookie of a sign-in through the real form. Each page runs RUNS times (default 3) and
keeps the median performance score. Prints, per page: performance and accessibility scores,
first contentful paint, largest contentful paint, total blocking time and bytes transferred;
the last lines are the public home's first-visit bytes and the goals.

Lighthouse is installed into `bench/lighthouse/` from its own package-lock.json the first time
(`npm ci`): it is a measuring tool, not part of the portal's setup.

    .venv/bin/python bench/frontend.py [RUNS]
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import cookie_jar, portal_database, serve, sign_in  # noqa: E402

LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"

# (label, path, demo account or None for an anonymous visitor)
PAGES = [
    ("public home", "/", None),
    ("register", "/bollino/registro", None),
    ("calculator", "/tariffe/verifica", None),
    ("company home", "/home", "admin@voce.demo"),
    ("staff list", "/bollino/domande", "staff@assocontact.demo"),
    ("audit log", "/registro-attivita", "staff@assocontact.demo"),
]
GOAL_BYTES, GOAL_PERFORMANCE, GOAL_ACCESSIBILITY = 300 * 1024, 90, 100


def install_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=LIGHTHOUSE_DIR, check=True)


def session_cookie(base: str, email: str) -> str:
    jar = cookie_jar()
    sign_in(urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), base, email)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def lighthouse(url: str, cookie: str | None) -> dict:
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    report = json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "failed_accessibility": sorted(ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]
                                       if ref["weight"] and audits[ref["id"]]["score"] == 0),
    }


def median_run(url: str, cookie: str | None, runs: int) -> dict:
    """The run with the median performance score, with the range of the scores of all runs."""
    results = sorted((lighthouse(url, cookie) for _ in range(runs)), key=lambda r: r["performance"])
    return {**results[len(results) // 2], "range": f"{results[0]['performance']}-{results[-1]['performance']}"}


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    install_lighthouse()
    with portal_database("frontend") as env, open(os.devnull, "w") as log:
        server, base = serve("wsgi:app", env, log)
        try:
            cookies = {email: session_cookie(base, email) for email in {p[2] for p in PAGES if p[2]}}
            print(f"Lighthouse mobile, median of {runs} run(s) by performance score; load average {os.getloadavg()[0]:.1f}")
            print(f"{'page':<14} {'perf':>4} {'range':>7} {'a11y':>4} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'KB':>7}")
            results = {}
            for label, path, email in PAGES:
                result = results[label] = median_run(base + path, cookies.get(email), runs)
                print(f"{label:<14} {result['performance']:>4} {result['range']:>7} {result['accessibility']:>4} {result['fcp']:>6.1f} "
                      f"{result['lcp']:>6.1f} {result['tbt']:>7.0f} {result['bytes'] / 1024:>7.1f}"
                      + (f"  failing: {', '.join(result['failed_accessibility'])}" if result["failed_accessibility"] else ""))
        finally:
            server.terminate()
            server.wait()
    performance = min(r["performance"] for r in results.values())
    accessibility = min(r["accessibility"] for r in results.values())
    home = results["public home"]["bytes"]
    print(f"lowest performance {performance} (goal >= {GOAL_PERFORMANCE}); lowest accessibility {accessibility} "
          f"(goal {GOAL_ACCESSIBILITY})")
    print(f"public home, first visit: {home / 1024:.1f} KB transferred (goal <= {GOAL_BYTES // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
