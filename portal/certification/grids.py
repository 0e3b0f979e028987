"""Reading the answer and score grids, whose fields depend on the edition's parameters."""

from datetime import date

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict


def _ids(form: MultiDict, prefix: str) -> list[int]:
    ids = []
    for key in form:
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            ids.append(int(key[len(prefix):]))
    return ids


def answer_entries(form: MultiDict) -> dict[int, dict]:
    """`value_<id>`, `note_<id>`, `version_<id>` for each parameter shown on the page."""
    return {
        pid: {"value": form.get(f"value_{pid}", ""), "note": form.get(f"note_{pid}", ""), "version": form.get(f"version_{pid}", "")}
        for pid in _ids(form, "version_")
    }


def score_entries(form: MultiDict) -> dict[int, dict]:
    """`score_<id>`, `comment_<id>` (for the company), `internal_<id>` (for staff and auditors), `version_<id>`."""
    return {
        pid: {"score": form.get(f"score_{pid}", ""), "comment": form.get(f"comment_{pid}", ""),
              "internal": form.get(f"internal_{pid}", ""), "version": form.get(f"version_{pid}", "")}
        for pid in _ids(form, "version_")
    }


def questions(form: MultiDict) -> dict[int, str]:
    return {pid: form.get(f"question_{pid}", "") for pid in _ids(form, "question_")}


def confirmations(form: MultiDict) -> set[int]:
    """Parameters whose carried-over answer the company ticked as confirmed (`confirm_<id>`)."""
    return {pid for pid in _ids(form, "confirm_") if form.get(f"confirm_{pid}")}


def responses(form: MultiDict) -> dict[int, str]:
    return {cid: form.get(f"response_{cid}", "") for cid in _ids(form, "response_")}


def review_items(form: MultiDict, codes: list[str]) -> dict[str, dict]:
    return {code: {"score": form.get(f"score_{code}", ""), "comment": form.get(f"comment_{code}", "")} for code in codes}


def parse_date(raw: str) -> date | None:
    """An ISO date from a date input, or ValueError with a message for the field."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("Data non valida: usa il formato gg/mm/aaaa.")) from None
