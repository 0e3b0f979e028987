"""In English, text that stays Italian is marked `lang="it"` (WCAG 3.1.2): the attack is a reader
whose screen reader speaks English pronouncing Italian proposal titles, state names and
parameter questions with English rules.

The demo data is loaded and, for the visitor and each kind of user, the portal is crawled in
English from its home by following links (two pages per endpoint; files, charts and feeds
skipped). On every HTML page, a text that holds one of the Italian texts of the database
(the columns in ITALIAN_TEXT) must sit inside an element whose language is Italian. The pages
also go to the Nu HTML Checker. New columns of Italian prose shown on pages join ITALIAN_TEXT.
"""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import lxml.html
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from portal.certification.models import Area, ChangeRequest, Edition, Parameter
from portal.members.models import User
from portal.reshoring.models import (
    AgendaItem,
    BriefIssue,
    FollowUpAction,
    Proposal,
    ProposalState,
    Roundtable,
    SectorFigure,
)
from portal.tariffs.models import Decree
from tests.sessions import sign_in

ITALIAN_TEXT = [
    (ProposalState, "label"), (Proposal, "title"), (Proposal, "summary"), (Roundtable, "title"),
    (Roundtable, "description"), (AgendaItem, "title"), (FollowUpAction, "description"),
    (SectorFigure, "label"), (BriefIssue, "title"), (Edition, "title"), (Area, "title"),
    (Parameter, "question"), (Parameter, "help"), (ChangeRequest, "question"), (Decree, "title"),
]
ACCOUNTS = [None, "admin@voce.demo", "staff@assocontact.demo", "valutatore1@assocontact.demo"]
NOT_PAGES = re.compile(r"pdf|xlsx|ics|json|download|_file|attachment|document|chart|export|health|signing|batch_status")
PER_ENDPOINT = 2
# Where a text cannot carry a language mark or is what the user typed: the window title, form values.
UNMARKABLE = {"title", "textarea", "script", "style"}
# A figure's source (macros/provenance.html) is one string that code builds from translated words and
# Italian names, and that exports reuse as plain text: not marked (a known limitation).
NOT_CHECKED_CLASSES = {"fonte"}


def italian_texts(db) -> list[str]:
    """The first line of each Italian text in the database (a template may cut or split the rest)."""
    texts = set()
    for model, column in ITALIAN_TEXT:
        for value in db.session.scalars(select(getattr(model, column))):
            first_line = " ".join((value or "").strip().split("\n")[0].split())[:50].strip()
            if len(first_line) >= 5:
                texts.add(first_line)
    return sorted(texts, key=len, reverse=True)


def unmarked(html: str, texts: list[str]) -> list[str]:
    """The Italian texts found in this page outside an element whose `lang` is Italian."""
    found = []
    for element in lxml.html.document_fromstring(html).iter():
        if not isinstance(element.tag, str) or element.tag in UNMARKABLE or _in_unchecked(element):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text or not text.strip() or owner is None or owner.tag in UNMARKABLE:
                continue
            if _language(owner) == "it":
                continue
            spoken = " ".join(text.split())
            where = f"<{owner.tag}{' class=' + repr(owner.get('class')) if owner.get('class') else ''}>"
            found += [f"{t!r} in {where}" for t in texts if t in spoken]
    return found


def _in_unchecked(element) -> bool:
    return any(NOT_CHECKED_CLASSES & set((e.get("class") or "").split()) for e in element.iterancestors(None)) or \
        bool(NOT_CHECKED_CLASSES & set((element.get("class") or "").split()))


def _language(element) -> str:
    while element is not None:
        if element.get("lang"):
            return element.get("lang").split("-")[0]
        element = element.getparent()
    return ""


def crawl(app, client, start: list[str]) -> dict[str, str]:
    """{url: html} of the pages reached from `start` by links, PER_ENDPOINT pages per endpoint."""
    adapter = app.url_map.bind("localhost")
    seen_endpoints, visited, pages = Counter(), set(), {}
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        try:
            endpoint, _args = adapter.match(urlsplit(url).path, method="GET")
        except (NotFound, MethodNotAllowed, RequestRedirect):
            continue
        if endpoint == "static" or NOT_PAGES.search(endpoint) or seen_endpoints[endpoint] >= PER_ENDPOINT:
            continue
        seen_endpoints[endpoint] += 1
        response = client.get(url)
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        pages[url] = html
        for link in lxml.html.document_fromstring(html).xpath("//a/@href"):
            link = urldefrag(link).url
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
    return pages


def test_italian_database_text_is_marked_on_english_pages(app, db, runner, client, html_pages):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    texts = italian_texts(db)
    assert len(texts) > 30, texts  # the demo's proposals, states, questions, areas...

    problems, crawled = [], 0
    for email in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email)) if email else None
        sign_in(client, user)
        with client.session_transaction() as session:
            session["lang"] = "en"
        pages = crawl(app, client, ["/", "/home"] if user else ["/"])
        crawled += len(pages)
        for url, html in pages.items():
            problems += [f"{email or 'visitor'} {url}: {text}" for text in sorted(set(unmarked(html, texts)))]

    assert crawled > 80
    assert not problems, "\n".join(problems)
